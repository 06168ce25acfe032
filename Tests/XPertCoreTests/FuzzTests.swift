import Foundation
import Testing
import XPertFuzz
@testable import XPertCore

/// The structured mutator run in process on a small space with an accuracy section: every
/// mutated document is refused with a one-line `InputError` or read, costed and simulated
/// without a crash. (The longer campaign over the command line is `xpert-fuzz`, run by CI.)
@Suite("Fuzzing the reader and the models")
struct FuzzTests {
    static let seedText = Fixtures.smallSpaceText.replacingOccurrences(
        of: "\"constraints\": {\"area_mm2\": 50}",
        with: "\"constraints\": {\"area_mm2\": 50}, \"objectives\": [\"energy\", \"accuracy\"], "
            + "\"accuracy\": {\"estimator\": \"proxy\", \"baseline_accuracy_pct\": 90, \"noise\": {\"samples\": 8, \"columns\": 8}}")

    @Test func mutatedSpacesAreRefusedOrRun() throws {
        let seed = try JSONValue.parse(Data(Self.seedText.utf8))
        _ = try SearchSpace.read(JSONNode(seed)) // the seed itself is valid
        var mutator = SpaceMutator(seed: 11, corpus: [seed])
        var accepted = 0, refused = 0
        for _ in 0..<400 {
            let doc = mutator.mutate(seed, count: mutator.mutationCount())
            let space: SearchSpace
            do { space = try SearchSpace.read(JSONNode(doc)) } catch let e as InputError {
                refused += 1
                #expect(!e.description.contains("\n") && e.description.count < 400, "\(e)")
                continue
            }
            accepted += 1
            let evaluation = Substrates(space: space).evaluate(space.baseline, workload: space.workload)
            #expect(evaluation.totals.energyUJ.isFinite && evaluation.totals.latencyMS.isFinite)
            if let spec = space.accuracy {
                let noise = NoiseTables.build(space: space, settings: spec.noise, threads: 1, only: [space.baseline])
                let model = try AccuracyModel(space: space, spec: spec, noise: noise)
                #expect(try model.evaluate([space.baseline])[0].get().dropPct.isFinite)
            }
        }
        #expect(accepted > 40 && refused > 40, "accepted \(accepted), refused \(refused)")
    }

    @Test func theMutatorIsDeterministic() throws {
        let seed = try JSONValue.parse(Data(Self.seedText.utf8))
        var a = SpaceMutator(seed: 3, corpus: [seed]), b = SpaceMutator(seed: 3, corpus: [seed])
        for _ in 0..<50 { #expect(a.mutate(seed, count: 2) == b.mutate(seed, count: 2)) }
    }
}
