import Foundation
import Testing
@testable import XPertCore

/// The accuracy side of a search: reading `accuracy`, the noise tables, the per-layer drops
/// the phases sum, and whole searches with an accuracy objective and budget.
@Suite("Accuracy in the search")
struct AccuracySearchTests {
    /// The small fixture space with 8-bit ADCs on offer (exact at full precision on 64 rows)
    /// and a proxy estimator with a cheap noise simulation.
    static func spaceJSON(accuracy: JSONValue? = nil, objectives: [String] = ["energy", "accuracy"],
                          dropBudget: Double? = nil) -> JSONValue {
        let proxy: JSONValue = .object([
            ("estimator", .string("proxy")), ("baseline_accuracy_pct", .number(90)),
            ("noise", .object([("samples", .number(16)), ("columns", .number(16))])),
        ])
        var doc = Fixtures.smallSpaceJSON
            .setting([.key("choices"), .key("adc_bits")], to: .array([.number(4), .number(8)]))
            .setting([.key("choices"), .key("input_bits")], to: .array([.number(4), .number(6), .number(8)]))
            .setting([.key("objectives")], to: .array(objectives.map { .string($0) }))
            .setting([.key("accuracy")], to: accuracy ?? proxy)
        if let dropBudget { doc = doc.setting([.key("constraints"), .key("accuracy_drop_pct")], to: .number(dropBudget)) }
        return doc
    }

    static func space(_ doc: JSONValue = spaceJSON()) throws -> SearchSpace { try SearchSpace.read(JSONNode(doc)) }

    static func model(_ space: SearchSpace, threads: Int = 2) throws -> AccuracyModel {
        let spec = try #require(space.accuracy)
        return try AccuracyModel(space: space, spec: spec, noise: NoiseTables.build(space: space, settings: spec.noise, threads: threads))
    }

    @Test func readsTheAccuracyObject() throws {
        let s = try Self.space()
        let spec = try #require(s.accuracy)
        #expect(spec.estimator.name == "proxy")
        #expect(spec.noise.samples == 16 && spec.noise.columns == 16 && spec.noise.range == .fullScale)
        let calibrated = try Self.space(Self.spaceJSON().setting([.key("accuracy"), .key("noise"), .key("adc_range")], to: .string("calibrated")))
        #expect(calibrated.accuracy?.noise.range == .calibrated(percentile: 99.9))
    }

    @Test func accuracyErrorsNameTheirPath() {
        let cases: [(JSONValue, String)] = [
            (Self.spaceJSON().setting([.key("accuracy")], to: nil), "$.objectives[1]"),
            (Self.spaceJSON(objectives: ["energy"], dropBudget: 1).setting([.key("accuracy")], to: nil), "$.constraints.accuracy_drop_pct"),
            (Self.spaceJSON().setting([.key("accuracy"), .key("noise"), .key("clip_percentile")], to: .number(99)),
             "$.accuracy.noise.clip_percentile"),
            (Self.spaceJSON().setting([.key("accuracy"), .key("noise"), .key("weights")], to: .string("uniform")), "$.accuracy.noise.weights"),
            (Self.spaceJSON().setting([.key("accuracy"), .key("noise"), .key("bins")], to: .number(3)), "$.accuracy.noise"),
            (Self.spaceJSON(dropBudget: -1), "$.constraints.accuracy_drop_pct"),
        ]
        for (doc, path) in cases {
            let error = Fixtures.readError(doc)
            #expect(error?.path == path, "\(String(describing: error))")
        }
    }

    @Test func noiseTablesAreExactAtFullPrecisionAndIndependentOfThreads() throws {
        let s = try Self.space()
        let spec = try #require(s.accuracy)
        let one = NoiseTables.build(space: s, settings: spec.noise, threads: 1)
        let two = NoiseTables.build(space: s, settings: spec.noise, threads: 2)
        #expect(one.tables == two.tables)
        // Building only the baseline's shapes gives the same entries.
        let some = NoiseTables.build(space: s, settings: spec.noise, threads: 2, only: [s.baseline])
        #expect(some.entryCount < one.entryCount)
        #expect(some.nsr(of: s.baseline, workload: s.workload) == one.nsr(of: s.baseline, workload: s.workload))
        // Against the exact integer product, 8-bit ADCs resolving every sum of 64 one-bit rows
        // leave only input truncation; against the float product, quantisation remains.
        var integer = spec.noise
        integer.reference = .integer
        let exact = NoiseTables.build(space: s, settings: integer, threads: 2)
        for (l, choices) in one.inChannelChoices.enumerated() {
            for c in choices {
                #expect(exact.nsr(layer: l, inChannels: c, inputBits: 8, adcBits: 8) == 0)
                let quantised = one.estimate(layer: l, inChannels: c, key: one.substrates.crossbar.errorKey(inputBits: 8, adcBits: 8))
                #expect(quantised.nsr > 0 && quantised.nsr < 1e-3 && quantised.standardError > 0 && quantised.standardError < quantised.nsr)
                let coarse = one.nsr(layer: l, inChannels: c, inputBits: 4, adcBits: 8)
                let fine = one.nsr(layer: l, inChannels: c, inputBits: 6, adcBits: 8)
                #expect(coarse > fine && fine > 0, "layer \(l) at \(c) input channels: \(coarse) vs \(fine)")
            }
        }
    }

    @Test func phaseTwoColumnsSumToTheReportedDrop() throws {
        for estimator in ["proxy", "table"] {
            var doc = Self.spaceJSON()
            if estimator == "table" {
                let csv = "c1,c2,accuracy_pct\n8,16,85\n8,32,87\n16,16,88\n16,32,90\n"
                let dir = FileManager.default.temporaryDirectory.appendingPathComponent("xpert-acc-\(UUID().uuidString)")
                try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
                try Data(csv.utf8).write(to: dir.appendingPathComponent("acc.csv"))
                doc = doc.setting([.key("accuracy")], to: .object([
                    ("estimator", .string("table")), ("path", .string(dir.appendingPathComponent("acc.csv").path)),
                    ("default_sensitivity_pct_per_nsr", .number(20)),
                    ("noise", .object([("samples", .number(16)), ("columns", .number(16))])),
                ]))
            }
            let s = try Self.space(doc)
            let model = try Self.model(s)
            var designs: [Design] = []
            var paths: [[Int]] = []
            for c1 in [8, 16] {
                for c2 in [16, 32] {
                    let choices = s.workload.layers.enumerated().map { l, layer in
                        ArchitectureChoice(outChannels: l == 0 ? c1 : l == 1 ? c2 : layer.outChannelChoices[0],
                                           adcType: .sar, columnSharing: 4)
                    }
                    let column = model.phase2DropPct(choices: choices)
                    for seed in 0..<4 {
                        let path = s.workload.layers.indices.map { ($0 * 7 + seed * 3 + c1 + c2) % column[$0].count }
                        let table = Phase2CostTable(workload: s.workload, choices: choices,
                                                    options: s.workload.layers.indices.map { Phase2Options(layer: s.workload.layers[$0], architecture: choices[$0]) },
                                                    values: [column, column, column, column])
                        designs.append(table.design(path: path))
                        paths.append(path)
                        let answer = try model.evaluate([designs.last!])[0].get()
                        #expect(answer.dropPct == ExactSum.of(path.indices.map { column[$0][path[$0]] }), "\(estimator)")
                        #expect(answer.accuracyPct == model.referenceAccuracyPct - answer.dropPct)
                    }
                }
            }
            if case let .table(t) = s.accuracy!.estimator {
                // The table's own estimate agrees to rounding.
                for d in designs {
                    let own = try t.estimate(design: d, nsr: model.noise.nsr(of: d, workload: s.workload))
                    let ours = try model.evaluate([d])[0].get()
                    #expect(abs(own.accuracyPct - ours.accuracyPct) < 1e-9)
                }
            }
        }
    }

    @Test("a search trades precision for accuracy within the budget", arguments: ["exact", "two-phase"])
    func searchTradesPrecisionForAccuracyWithinTheBudget(method: String) throws {
        let s = try Self.space(Self.spaceJSON(dropBudget: 1.5).setting([.key("search")], to: .object([("method", .string(method))])))
        let run = try SearchRun.run(space: s, topK: 3, threads: 2)
        #expect(!run.frontier.isEmpty)
        let model = try #require(run.accuracy)
        let answers = model.evaluate(run.frontier.map(run.design))
        for (e, answer) in zip(run.frontier, answers) {
            let a = try #require(e.accuracy)
            #expect(a == (try answer.get()))
            #expect(a.dropPct <= 1.5)
            #expect(s.constraints.violations(e.totals, dropPct: a.dropPct).isEmpty)
        }
        // A real trade-off: several input precisions, and no design dominates another.
        #expect(Set(run.frontier.flatMap { run.design($0).layers.map(\.inputBits) }).count > 1)
        for e in run.frontier {
            for f in run.frontier where f.path != e.path {
                let dominates = f.totals.energyUJ <= e.totals.energyUJ && f.accuracy!.dropPct <= e.accuracy!.dropPct
                #expect(!dominates, "a frontier design is dominated")
            }
        }
        // Sorted by energy, so the drop falls along the frontier.
        let drops = run.frontier.map { $0.accuracy!.dropPct }
        #expect(drops == drops.sorted(by: >))
    }

    @Test func unreachableDropBudgetNamesTheLeastDrop() throws {
        // A baseline twice as wide as any choice: every architecture loses width accuracy.
        let doc = Self.spaceJSON(dropBudget: 0.01)
            .setting([.key("accuracy"), .key("baseline_channels")], to: .object([("c1", .number(64)), ("c2", .number(64))]))
            .setting([.key("accuracy"), .key("width_coefficient_pct")], to: .number(1))
        let s = try Self.space(doc.setting([.key("search")], to: .object([("method", .string("two-phase"))])))
        #expect {
            try SearchRun.run(space: s, threads: 1)
        } throws: { error in
            guard let e = error as? SearchInfeasible else { return false }
            return e.path == "$.constraints.accuracy_drop_pct" && e.message.contains("least drop is")
        }
        // The exact method names the least drop that meets the other budgets.
        #expect {
            try SearchRun.run(space: try Self.space(doc), threads: 1)
        } throws: { error in
            guard let e = error as? SearchInfeasible else { return false }
            return e.path == "$.constraints.accuracy_drop_pct" && e.message.contains("accuracy_drop_pct = 0.01 needs at least")
        }
    }
}
