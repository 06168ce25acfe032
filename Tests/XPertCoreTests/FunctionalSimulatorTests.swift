import Foundation
import PropertyBased
import Testing
@testable import XPertCore

@Suite("Functional simulator")
struct FunctionalSimulatorTests {
    static let schemes: [SignScheme] = [.differential, .offset]

    @Test("with enough ADC bits the simulated product equals the exact integer product, bit for bit")
    func exactAtFullPrecision() async {
        await propertyCheck(count: 120, input: Gen.int(in: 0...1_000_000), Gen.int(in: 1...4), Gen.int(in: 0...1)) { seed, c, scheme in
            let layer = RandomFunctionalLayer(seed: UInt64(seed), bitsPerCell: c, signScheme: Self.schemes[scheme])
            let simulator = FunctionalSimulator(weights: layer.weights, geometry: layer.geometry)
            let a = layer.activations
            let expected = FunctionalOracle.exactProduct(layer.weights, a, inputBits: a.bits)
            for extra in [0, 2] {
                for range in [ADCRange.fullScale, .calibrated(percentile: 50)] {
                    let out = simulator.simulate(a, option: PrecisionOption(inputBits: a.bits, adcBits: layer.exactADCBits + extra), range: range)
                    #expect(out.exact == expected)
                    #expect(out.exactActivation == expected)
                    #expect(out.values == expected.map(Double.init))
                    #expect(out.values.map { Int64(exactly: $0) } == expected.map { Optional($0) })
                    #expect(out.nsr == 0 && out.nsrVsActivationBits == 0)
                }
            }
            // Fewer input bits: still exact against the truncated input.
            let inputBits = 1 + seed % a.bits
            let truncated = FunctionalOracle.exactProduct(layer.weights, a, inputBits: inputBits)
            let out = simulator.simulate(a, option: PrecisionOption(inputBits: inputBits, adcBits: layer.exactADCBits))
            #expect(out.exact == truncated)
            #expect(out.values == truncated.map(Double.init))
            #expect(out.exactActivation == expected)
            #expect(out.nsr == 0)
        }
    }

    @Test("with a quantising ADC the simulator matches the straight-loop oracle")
    func matchesOracleWhenQuantising() async {
        await propertyCheck(count: 80, input: Gen.int(in: 0...1_000_000), Gen.int(in: 1...3), Gen.int(in: 0...1)) { seed, c, scheme in
            let layer = RandomFunctionalLayer(seed: UInt64(seed), bitsPerCell: c, signScheme: Self.schemes[scheme])
            let simulator = FunctionalSimulator(weights: layer.weights, geometry: layer.geometry)
            let a = layer.activations
            let adcBits = 1 + seed % max(1, layer.exactADCBits - 1)
            let inputBits = 1 + (seed / 7) % a.bits
            for percentile in [nil, 50.0, 99.0] {
                let out = simulator.simulate(a, option: PrecisionOption(inputBits: inputBits, adcBits: adcBits),
                                             range: percentile.map { .calibrated(percentile: $0) } ?? .fullScale)
                let oracle = FunctionalOracle.simulate(layer.weights, a, layer.geometry, inputBits: inputBits, adcBits: adcBits,
                                                       percentile: percentile)
                #expect(out.values.count == oracle.count)
                for (x, y) in zip(out.values, oracle) {
                    #expect(abs(x - y) <= 1e-9 * (1 + abs(y)), "simulated \(x), oracle \(y)")
                }
                // The reported NSR is the NSR of the reported outputs.
                let e = zip(out.values, out.exact).reduce(0.0) { $0 + ($1.0 - Double($1.1)) * ($1.0 - Double($1.1)) }
                let s = out.exact.reduce(0.0) { $0 + Double($1) * Double($1) }
                let ratio = NSRAccumulator.ratio(e, s)
                #expect(out.nsr == ratio || abs(out.nsr - ratio) <= 1e-9 * max(1, ratio))
            }
        }
    }

    /// Two rows, one output, 3-bit weights (3, -2), 2-bit activations (1, 3): the exact
    /// product is 3*1 - 2*3 = -3. With one 1-bit cell per slice, both rows read at once
    /// (full scale 2) and a 1-bit ADC (step 2: sum 0 -> 0, 1 -> 2 (tie up), 2 -> 2):
    /// differential: positive column (3 = 0b11) reads 1 at plane 0 on both slices -> 2 + 2*2 = 6,
    /// negative column (2 = 0b10) reads 1 on slice 1 at planes 0 and 1 -> 2*2 + 2*2*2 = 12: -6.
    /// Offset: 3+4 = 0b111 and -2+4 = 0b010; sums per (slice, plane 0/1) are (1,0), (2,1), (1,0)
    /// -> 2 + 2*(2 + 2*2) + 4*2 = 22, minus 4*(1+3) = 16: 6.
    @Test("a hand-checked tiny example")
    func tinyExample() {
        let w = QuantisedWeights(WeightMatrix(outputs: 1, rows: 2, values: [1.0, -0.6]), bits: 3)
        #expect(w.values == [3, -2])
        #expect(abs(w.scale - 1.0 / 3) < 1e-12)
        let a = QuantisedActivations(rows: 2, count: 1, bits: 2, values: [1, 3])
        for (scheme, coarse) in [(SignScheme.differential, -6.0), (.offset, 6.0)] {
            let g = CrossbarGeometry(crossbarRows: 2, parallelRows: 2, bitsPerCell: 1, signScheme: scheme)
            let simulator = FunctionalSimulator(weights: w, geometry: g)
            let exact = simulator.simulate(a, option: PrecisionOption(inputBits: 2, adcBits: 2))
            #expect(exact.values == [-3] && exact.exact == [-3] && exact.nsr == 0)
            let rough = simulator.simulate(a, option: PrecisionOption(inputBits: 2, adcBits: 1))
            #expect(rough.values == [coarse])
            #expect(rough.nsr == (coarse + 3) * (coarse + 3) / 9)
            #expect(FunctionalOracle.simulate(w, a, g, inputBits: 2, adcBits: 1) == [coarse])
            // One input bit: x = a >> 1 = (0, 1), W.x = -2; against the 2-bit input, 2 * -2 vs -3.
            let short = simulator.simulate(a, option: PrecisionOption(inputBits: 1, adcBits: 2))
            #expect(short.values == [-2] && short.exact == [-2] && short.exactActivation == [-3])
            #expect(short.nsr == 0 && short.nsrVsActivationBits == 1.0 / 9)
        }
        // Two row groups of one row each: full scale 1, so a 1-bit ADC is exact.
        let g = CrossbarGeometry(crossbarRows: 2, parallelRows: 1, bitsPerCell: 1, signScheme: .differential)
        #expect(FunctionalSimulator(weights: w, geometry: g).simulate(a, option: PrecisionOption(inputBits: 2, adcBits: 1)).values == [-3])
    }

    @Test("the ADC rounds to the nearest level, clips at the top and is exact with enough levels")
    func adcQuantiser() {
        let q = ADCQuantiser(bits: 2, range: 10, clip: nil)
        #expect((0...10).map(q.level) == [0, 0, 1, 1, 1, 2, 2, 2, 2, 3, 3])
        #expect(abs(q.step - 10.0 / 3) < 1e-12)
        #expect(ADCQuantiser(bits: 4, range: 15, clip: nil).isIdentity)
        #expect(ADCQuantiser(bits: 4, range: 15, clip: 3).isIdentity)
        // Calibrated: the clip is never below 2^b - 1, never above the range.
        #expect(ADCQuantiser(bits: 2, range: 100, clip: 1) == ADCQuantiser(top: 3, levels: 3))
        #expect(ADCQuantiser(bits: 2, range: 100, clip: 30) == ADCQuantiser(top: 30, levels: 3))
        #expect(ADCQuantiser(bits: 2, range: 100, clip: 300) == ADCQuantiser(top: 100, levels: 3))
        #expect(ADCQuantiser(top: 3, levels: 3).level(7) == 3)
        #expect(QuantiserPlan.clip(histogram: [5, 3, 2, 0], percentile: 50) == 0)
        #expect(QuantiserPlan.clip(histogram: [5, 3, 2, 0], percentile: 80) == 1)
        #expect(QuantiserPlan.clip(histogram: [5, 3, 2, 0], percentile: 100) == 2)
    }

    @Test("NSR falls (weakly) as full-scale ADC bits grow, and is 0 at full precision", arguments: [1, 2], schemes)
    func nsrFallsWithADCBits(c: Int, scheme: SignScheme) {
        let g = CrossbarGeometry(crossbarRows: 128, parallelRows: 64, bitsPerCell: c, signScheme: scheme)
        let w = QuantisedWeights(SyntheticData.weights(outputs: 16, rows: 300, distribution: .normal, seed: 3), bits: 8)
        let a = QuantisedActivations(SyntheticData.activations(rows: 300, count: 24, seed: 3), bits: 8)
        let simulator = FunctionalSimulator(weights: w, geometry: g)
        let exactBits = Int.bitWidth - g.fullScaleSum.leadingZeroBitCount
        let options = (1...exactBits).map { PrecisionOption(inputBits: 8, adcBits: $0) }
        let nsr = simulator.measure(a, options: options).map(\.nsr)
        for b in 1..<nsr.count { #expect(nsr[b] <= nsr[b - 1], "ADC \(b + 1) bits: \(nsr[b]) > \(nsr[b - 1])") }
        #expect(nsr.first! > 0)
        #expect(nsr.last! == 0)
        // Fewer input bits add truncation noise against the 8-bit input, never ADC noise at full precision.
        let short = simulator.measure(a, options: (1...8).map { PrecisionOption(inputBits: $0, adcBits: exactBits) })
        #expect(short.allSatisfy { $0.nsr == 0 })
        for i in 1..<8 { #expect(short[i].nsrVsActivationBits <= short[i - 1].nsrVsActivationBits) }
        #expect(short[7].nsrVsActivationBits == 0 && short[0].nsrVsActivationBits > 0)
    }

    @Test("measuring many options at once equals measuring each alone")
    func optionsAreIndependent() {
        let g = CrossbarGeometry(crossbarRows: 64, parallelRows: 32, bitsPerCell: 2, signScheme: .offset)
        let w = QuantisedWeights(SyntheticData.weights(outputs: 8, rows: 150, distribution: .laplace, seed: 9), bits: 6)
        let a = QuantisedActivations(SyntheticData.activations(rows: 150, count: 10, seed: 9), bits: 6)
        let simulator = FunctionalSimulator(weights: w, geometry: g)
        let options = (2...6).flatMap { i in (1...8).map { PrecisionOption(inputBits: i, adcBits: $0) } }
        for range in [ADCRange.fullScale, .calibrated(percentile: 99.5)] {
            let together = simulator.measure(a, options: options, range: range)
            for (k, option) in options.enumerated() {
                #expect(together[k] == simulator.measure(a, options: [option], range: range)[0], "\(option) \(range)")
            }
        }
    }
}
