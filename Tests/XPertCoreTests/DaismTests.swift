import Foundation
import Testing
@testable import XPertCore

/// The DAISM multiplier against hand-checked cases and an independent brute-force product
/// loop; the product-table error kernel; DAISM in spaces and designs.
@Suite("DAISM")
struct DaismTests {
    /// The approximate product written out bit by bit: for `or`, a copy of A per set bit of B;
    /// for `pcK`, the multiple of A by each k-bit group, by repeated addition, at the group's shift.
    static func bruteProduct(_ v: DaismVariant, _ a: Int, _ b: Int, bits n: Int) -> Int {
        switch v {
        case .exact: return a * b
        case .or:
            var r = 0
            for i in 0..<n where (b / (1 << i)) % 2 == 1 { r |= a * (1 << i) }
            return r
        case .pc2, .pc3, .pc4:
            let k = v == .pc2 ? 2 : v == .pc3 ? 3 : 4
            var r = 0, position = 0
            while position < n {
                let group = (b / (1 << position)) % (1 << k)
                var multiple = 0
                for _ in 0..<group { multiple += a }
                r |= multiple * (1 << position)
                position += k
            }
            return r
        }
    }

    @Test func handCheckedFourBitProducts() {
        #expect(DaismVariant.or.product(5, 3) == 15)       // 0101 | 1010: no overlap, exact
        #expect(DaismVariant.or.product(3, 3) == 7)        // 0011 | 0110 = 0111, exact 9
        #expect(DaismVariant.pc2.product(3, 7) == 13)      // 3*3 | (3*1) << 2 = 1001 | 1100, exact 21
        #expect(DaismVariant.pc3.product(7, 9) == 63)      // 7 | 7 << 3, exact 63
        #expect(DaismVariant.pc3.product(7, 15) == 57)     // 49 | 56 = 111001, exact 105
        #expect(DaismVariant.pc4.product(15, 15) == 225)   // one 4-bit group: the pre-computed product
        #expect(DaismVariant.exact.product(13, 11) == 143)
        #expect(DaismVariant.or.rowsPerWeight(bits: 8) == 8 && DaismVariant.pc2.rowsPerWeight(bits: 8) == 12)
        #expect(DaismVariant.pc3.rowsPerWeight(bits: 8) == 21 && DaismVariant.pc4.rowsPerWeight(bits: 8) == 30)
    }

    @Test(arguments: [false, true])
    func exhaustiveStatisticsEqualABruteForceLoop(significand: Bool) {
        for n in 4...8 {
            for v in DaismVariant.allCases {
                let s = DaismErrorStats.exhaustive(variant: v, bits: n, significand: significand)
                var sum = 0.0, sumAbs = 0.0, maxAbs = 0.0, exact = 0, pairs = 0
                let low = significand ? 1 << (n - 1) : 1
                for a in low..<(1 << n) {
                    for b in low..<(1 << n) {
                        let p = Self.bruteProduct(v, a, b, bits: n)
                        let rel = Double(p - a * b) / Double(a * b)
                        sum += rel
                        sumAbs += abs(rel)
                        maxAbs = max(maxAbs, abs(rel))
                        if p == a * b { exact += 1 }
                        pairs += 1
                    }
                }
                #expect(s.pairs == pairs)
                #expect(abs(s.meanRelErr - sum / Double(pairs)) < 1e-12, "\(v) n=\(n)")
                #expect(abs(s.meanAbsRelErr - sumAbs / Double(pairs)) < 1e-12, "\(v) n=\(n)")
                #expect(s.maxAbsRelErr == maxAbs, "\(v) n=\(n)")
                #expect(s.fracExact == Double(exact) / Double(pairs), "\(v) n=\(n)")
                // An OR never exceeds the sum it replaces.
                #expect(s.meanRelErr <= 0)
            }
        }
    }

    /// `ComponentBreakdown.total` adds exactly the registered lanes.
    @Test func componentRegistryMatchesTheBreakdownTotal() {
        #expect(ComponentKey.registry.count == ComponentKey.count && ComponentKey.count <= ComponentBreakdown.capacity)
        var b = ComponentBreakdown()
        for key in ComponentKey.all { b[key] = Double(key.index + 1) }
        #expect(b.total == Double(ComponentKey.count * (ComponentKey.count + 1) / 2))
    }

    @Test func productTableHoldsEveryProduct() {
        for v in DaismVariant.allCases {
            let t = DaismProductTable(variant: v, bits: 5)
            for a in 0..<32 { for b in 0..<32 { #expect(Int(t[a, b]) == Self.bruteProduct(v, a, b, bits: 5)) } }
        }
    }

    /// The kernel's NSR on a small layer against the same quantities computed directly.
    @Test func errorKernelMatchesADirectComputation() {
        let weights = SyntheticData.weights(outputs: 3, rows: 40, distribution: .normal, seed: 7, stream: 1)
        let acts = SyntheticData.activations(rows: 40, count: 5, seed: 7, stream: 2)
        let layer = FunctionalLayer(name: "t", weights: weights, activations: acts)
        for v in DaismVariant.allCases {
            for n in [4, 6, 8] {
                let nsr = DaismArray.nsr(layer, table: DaismProductTable(variant: v, bits: n), weightBits: 8, activationBits: 8)
                let q = QuantisedWeights(weights, bits: 8)
                let x = QuantisedActivations(acts, bits: 8, scale: QuantisedActivations.scale(of: acts, bits: 8))
                let ws = max(0, 7 - n), xs = max(0, 8 - n)
                var err = 0.0, sig = 0.0
                for o in 0..<3 {
                    for s in 0..<5 {
                        var exact = 0, approx = 0
                        for r in 0..<40 {
                            let w = Int(q.values[o * 40 + r]), a = Int(x.values[s * 40 + r])
                            exact += w * a
                            let m = ws == 0 ? abs(w) : min((1 << n) - 1, (abs(w) + (1 << (ws - 1))) >> ws)
                            approx += (w < 0 ? -1 : 1) * Self.bruteProduct(v, m, a >> xs, bits: n)
                        }
                        let y = Double(approx) * Double(1 << (ws + xs))
                        err += (y - Double(exact)) * (y - Double(exact))
                        sig += Double(exact) * Double(exact)
                    }
                }
                #expect(abs(nsr - err / sig) <= 1e-12 * max(1, err / sig), "\(v) n=\(n)")
                if v == .exact && n == 8 { #expect(nsr == 0) }
            }
        }
    }

    @Test func mixedSpaceReadsAndDesignsNameTheSubstrate() throws {
        let space = try SearchSpace.load(path: Fixtures.spacePath("vgg16-cifar10-mixed"))
        #expect(space.workload.layers.allSatisfy { $0.choices.substrates.map(\.substrate) == [.crossbar, .daism] })
        var design = space.baseline
        design.layers[0] = LayerDesign(outChannels: design.layers[0].outChannels, option: DaismOption.option(variant: .pc2, operandBits: 6))
        let json = design.json(workload: space.workload)
        let back = try Design.read(JSONNode(json), workload: space.workload)
        #expect(back == design)
        let e = Substrates(space: space).evaluate(design, workload: space.workload)
        #expect(e.layers[0].substrate == .daism && e.layers[0].arrays > 0 && e.layers[0].energyPJ[.adc] == 0)
        #expect(e.layers[1].substrate == .crossbar && e.layers[1].crossbars > 0)
        // ADC fields on a DAISM layer are refused at their path.
        let bad = json.setting([.key("layers"), .index(0), .key("adc_bits")], to: .number(8))
        let error = #expect(throws: InputError.self) { try Design.read(JSONNode(bad), workload: space.workload) }
        #expect(error?.path == "$.layers[0]" && error?.message.contains("unknown key \"adc_bits\"") == true)
    }

    /// Found by the fuzz campaign: a design value beyond 32 bits trapped in the conversion of
    /// option values; it is an ordinary "not one of the choices" error at its path.
    @Test func hugeDesignValuesAreRefusedAtTheirPath() throws {
        let text = try String(contentsOfFile: Fixtures.spacePath("vgg16-cifar10-mixed"), encoding: .utf8)
        let doc = try JSONValue.parse(Data(text.utf8))
        for (key, value) in [("adc_bits", 1e12), ("input_bits", 4_294_967_300.0)] {
            let error = Fixtures.readError(doc.setting([.key("baseline"), .key("layers"), .index(0), .key(key)], to: .number(value)))
            #expect(error?.path == "$.baseline.layers[0].\(key)")
        }
        var daismLayer = doc.setting([.key("baseline"), .key("layers"), .index(1)], to: .object([
            ("name", .string("conv2")), ("out_channels", .number(64)), ("substrate", .string("daism")),
            ("daism_variant", .string("or")), ("operand_bits", .number(1e15))]))
        #expect(Fixtures.readError(daismLayer)?.path == "$.baseline.layers[1].operand_bits")
        daismLayer = daismLayer.setting([.key("baseline"), .key("layers"), .index(1), .key("operand_bits")], to: .number(6))
        #expect(Fixtures.readError(daismLayer) == nil)
    }

    /// An array too small for a variant's weight is refused when DAISM is offered (also when the
    /// array size comes from the crossbar's), never a division by zero later.
    @Test func arraysTooSmallForAWeightAreRefused() throws {
        let text = try String(contentsOfFile: Fixtures.spacePath("vgg16-cifar10-mixed"), encoding: .utf8)
        var doc = try JSONValue.parse(Data(text.utf8))
        doc = doc.setting([.key("hardware"), .key("crossbar")], to: .object([("rows", .number(16)), ("cols", .number(16))]))
        doc = doc.setting([.key("hardware"), .key("parallel_rows")], to: .number(16))
        doc = doc.setting([.key("choices"), .key("column_sharing")], to: .array([.number(2)]))
        doc = doc.setting([.key("baseline")], to: nil)
        doc = doc.setting([.key("daism")], to: nil)
        #expect(Fixtures.readError(doc)?.path == "$.daism")
        let sized = doc.setting([.key("daism")], to: .object([("rows", .number(32)), ("cols", .number(32))]))
        #expect(Fixtures.readError(sized) == nil)
        let fits = doc.setting([.key("daism")], to: .object([("rows", .number(32)), ("cols", .number(32)), ("variants", .array([.string("pc4")])),
                                                                 ("operand_bits", .array([.number(8)]))]))
        #expect(Fixtures.readError(fits) == nil)   // 30 rows fit in 32
        let crossbarOnly = doc.setting([.key("choices"), .key("substrate")], to: .array([.string("crossbar")]))
        #expect(Fixtures.readError(crossbarOnly) == nil)  // DAISM not offered: its defaults are not checked
    }

    /// XPert's two phases on a mixed space: phase 1 picks substrate and variant, phase 2 the
    /// precision; every design it reports is a design of the space whose totals `evaluate` reproduces.
    @Test func twoPhaseChoosesSubstratesToo() throws {
        var checked = 0
        for seed in UInt64(1)...40 {
            guard var space = try JointOracle.space(seed: seed, mixed: true) else { continue }
            space.search.method = .twoPhase
            space.search.topK = 8
            guard let run = try? SearchRun.run(space: space, threads: 2) else { continue }
            let substrates = Substrates(space: space)
            for d in run.frontier {
                let design = run.design(d)
                let e = substrates.evaluate(design, workload: space.workload)
                #expect(abs(e.totals.energyUJ - d.totals.energyUJ) <= 1e-9 * e.totals.energyUJ)
                #expect(abs(e.totals.areaMM2 - d.totals.areaMM2) <= 1e-9 * e.totals.areaMM2)
                #expect(try Design.read(JSONNode(design.json(workload: space.workload)), workload: space.workload) == design)
            }
            checked += run.frontier.count
        }
        #expect(checked > 20)
    }
}
