import Foundation
import PropertyBased
import Testing
@testable import XPertCore

@Suite("Convex drop curve")
struct DropCurveTests {
    @Test("the curve's pieces, its epigraph lines and its one-piece linear case")
    func pieces() {
        let c = DropCurve(kneesPct: [0.5, 3], slopes: [0, 1, 6])
        #expect(c.drop(noisePct: 0.4) == 0)
        #expect(abs(c.drop(noisePct: 2) - 1.5) < 1e-12)
        #expect(abs(c.drop(noisePct: 4) - (2.5 + 6)) < 1e-12)
        for z in stride(from: 0.0, through: 8, by: 0.25) {
            #expect(abs(c.lines.map { $0.interceptPct + $0.slope * z }.max()! - c.drop(noisePct: z)) < 1e-12)
        }
        #expect(DropCurve.linear.isLinear && DropCurve.linear.drop(noisePct: 3.5) == 3.5)
    }

    @Test("a curve that is not convex, or whose pieces do not match, is refused at its path")
    func readErrors() {
        let base = Fixtures.smallSpaceJSON.setting([.key("accuracy")], to: .object([
            ("estimator", .string("proxy")), ("baseline_accuracy_pct", .number(90)),
            ("noise", .object([("samples", .number(4)), ("columns", .number(4))])),
        ]))
        func curve(_ knees: [Double], _ slopes: [Double]) -> JSONValue {
            base.setting([.key("accuracy"), .key("drop_curve")], to: .object([
                ("knees_pct", .array(knees.map { .number($0) })), ("slopes", .array(slopes.map { .number($0) }))]))
        }
        #expect(Fixtures.readError(curve([1], [0, 2])) == nil)
        #expect(Fixtures.readError(curve([1], [2, 1]))?.path == "$.accuracy.drop_curve.slopes[1]")
        #expect(Fixtures.readError(curve([1], [1]))?.path == "$.accuracy.drop_curve.slopes")
        #expect(Fixtures.readError(curve([2, 1], [0, 1, 2]))?.path == "$.accuracy.drop_curve.knees_pct[1]")
        #expect(Fixtures.readError(curve([0], [0, 1]))?.path == "$.accuracy.drop_curve.knees_pct[0]")
        #expect(Fixtures.readError(curve([], [-1]))?.path == "$.accuracy.drop_curve.slopes[0]")
    }

    /// Three linear layers of fixed width, precision choices only: every design is the brute
    /// force's, scored by `AccuracyModel.evaluate` (the curve on the summed noise terms).
    static func space(seed: UInt64, method: String, budget: Double?) throws -> SearchSpace {
        var rng = SplitMix64(seed: seed)
        let sharing = JSONValue.number(rng.next() % 2 == 0 ? 4 : 8)
        let slopes = [0.0, 0.2 + Double(rng.next() % 8) / 10, 2 + Double(rng.next() % 8)]
        let knees = [0.05 + Double(rng.next() % 10) / 20, 1 + Double(rng.next() % 20) / 5]
        var doc = Fixtures.smallSpaceJSON
            .setting([.key("workload"), .key("input")], to: .object([("height", .number(1)), ("width", .number(1)), ("channels", .number(48))]))
            .setting([.key("workload"), .key("layers")], to: .array((1...3).map { i in
                .object([("name", .string("fc\(i)")), ("type", .string("linear")), ("out_channels", .number(Double(i == 3 ? 10 : 24)))])
            }))
            .setting([.key("choices")], to: .object([
                ("adc_type", .array([.string("sar")])), ("adc_bits", .array([2, 3, 5].map { .number($0) })),
                ("column_sharing", .array([sharing])), ("input_bits", .array([2, 4, 8].map { .number($0) })),
            ]))
            .setting([.key("objectives")], to: .array([.string("energy"), .string("accuracy")]))
            .setting([.key("constraints")], to: budget.map { .object([("accuracy_drop_pct", .number($0))]) })
            .setting([.key("search")], to: .object([("method", .string(method))]))
            .setting([.key("accuracy")], to: .object([
                ("estimator", .string("proxy")), ("baseline_accuracy_pct", .number(95)),
                ("default_sensitivity_pct_per_nsr", .number(0.5 + Double(rng.next() % 4) / 2)),
                ("drop_curve", .object([("knees_pct", .array(knees.map { .number($0) })), ("slopes", .array(slopes.map { .number($0) }))])),
                ("noise", .object([("samples", .number(8)), ("columns", .number(8))])),
            ]))
        doc = doc.setting([.key("baseline")], to: .object([("layers", .array((1...3).map { i in
            .object([("name", .string("fc\(i)")), ("out_channels", .number(Double(i == 3 ? 10 : 24))), ("adc_type", .string("sar")),
                     ("adc_bits", .number(5)), ("column_sharing", sharing),
                     ("input_bits", .number(8))])
        }))]))
        return try SearchSpace.read(JSONNode(doc))
    }

    /// The brute force: every design's (energy, drop), the budget, then the nondominated values.
    static func bruteForce(_ space: SearchSpace) throws -> [[Double]] {
        let evaluator = try DesignEvaluator(space: space, threads: 1)
        let options = LayerOptionSpace.of(space.workload)
        var designs: [Design] = []
        func visit(_ layers: [LayerDesign]) {
            if layers.count == options.count { designs.append(Design(layers: layers)); return }
            for o in 0..<options[layers.count].count { visit(layers + [options[layers.count].design(o)]) }
        }
        visit([])
        let evaluations = try evaluator.evaluate(designs).map { try $0.get() }
        let points = evaluations.map { [$0.totals.energyUJ, $0.accuracy!.dropPct] }
            .filter { p in space.constraints.accuracyDropPct.map { p[1] <= $0 } ?? true }
        let front = points.filter { p in !points.contains { q in zip(q, p).allSatisfy { $0 <= $1 } && q != p } }
        return Array(Set(front.map { $0.map { ($0 * 1e9).rounded() / 1e9 } })).sorted { $0.lexicographicallyPrecedes($1) }
    }

    @Test("the exact method and the MILP's phase 2 (one architecture) give the brute force's frontier",
          arguments: ["exact", "two-phase"])
    func matchesBruteForce(method: String) async throws {
        let checked = CheckedCases()
        await propertyCheck(count: 24, input: Gen.int(in: 0...1_000_000)) { seed in
            // Every other space gets a drop budget inside its frontier's range of drops.
            var space = try! Self.space(seed: UInt64(seed), method: method, budget: nil)
            var expected = try! Self.bruteForce(space)
            let budget: Double? = (seed / 7) % 2 == 0 ? min(99, expected.map { $0[1] }.sorted()[(expected.count - 1) / (seed % 3 == 0 ? 2 : 4)] * 1.01) : nil
            if let budget {
                space = try! Self.space(seed: UInt64(seed), method: method, budget: budget)
                expected = try! Self.bruteForce(space)
            }
            checked.add(designs: expected.count)
            do {
                let run = try SearchRun.run(space: space, threads: 2)
                let found = Array(Set(run.frontier.map { d in [d.totals.energyUJ, d.accuracy!.dropPct].map { ($0 * 1e9).rounded() / 1e9 } }))
                    .sorted { $0.lexicographicallyPrecedes($1) }
                #expect(found == expected, "seed \(seed), \(method): \(found.count) found, \(expected.count) expected")
                #expect(run.frontier.contains { $0.accuracy!.dropPct > 0 })
            } catch {
                #expect(expected.isEmpty, "seed \(seed): \(error)")
            }
        }
        #expect(checked.frontierDesigns >= 3 * checked.count, "\(checked.frontierDesigns) designs over \(checked.count) spaces")
    }
}
