import ArgumentParser
import Foundation
import XPertCore

struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Cost one or more designs of a search space, layer by layer and component by component.")

    @Argument(help: "The search-space JSON file.")
    var space: String

    @Option(help: "A design JSON file: one design object, or an array of them.")
    var design: String?

    @Flag(help: "Evaluate the space's baseline design (the default when no --design is given).")
    var baseline = false

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    @Option(help: "Worker threads for the noise simulation; results are identical for any value.")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws {
        if baseline && design != nil { throw ValidationError("--design and --baseline exclude each other") }
    }

    func run() throws {
        let s = try loadSpace(space)
        var designs = [s.baseline]
        var isArray = false
        if let design {
            do { (designs, isArray) = try Design.readList(try JSONDocument.load(path: design), workload: s.workload) } catch {
                throw fail(file: design, error)
            }
        }
        let architecture = CrossbarArchitecture(space: s)
        var evaluations = designs.map { architecture.evaluate($0, workload: s.workload) }
        if let spec = s.accuracy {
            let model: AccuracyModel
            do {
                // Only the layer shapes these designs (and the baseline, for a command's reference) use.
                let noise = NoiseTables.build(space: s, settings: spec.noise, threads: threads, only: designs + [s.baseline])
                let interrupts = Interrupts()
                interrupts.install()
                model = try AccuracyModel(space: s, spec: spec, noise: noise, interrupts: interrupts)
            } catch {
                throw failure(file: space, AccuracyUnavailable(failure: error).description)
            }
            for (i, answer) in model.evaluate(designs).enumerated() {
                switch answer {
                case let .success(a): evaluations[i].accuracy = a
                case let .failure(f): throw failure(file: space, "the accuracy command failed on design \(i): \(f)")
                }
            }
        }
        if json {
            let values = evaluations.map { $0.json(workload: s.workload) }
            print((isArray ? .array(values) : values[0]).serialized())
        } else {
            for (i, e) in evaluations.enumerated() {
                if evaluations.count > 1 { print("design \(i)") }
                print(EvaluationTable.render(e, workload: s.workload, constraints: s.constraints))
            }
        }
    }
}
