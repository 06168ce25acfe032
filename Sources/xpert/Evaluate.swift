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
        let evaluator: DesignEvaluator
        do {
            let interrupts = Interrupts()
            if s.accuracy != nil { interrupts.install() }
            evaluator = try DesignEvaluator(space: s, threads: threads, interrupts: interrupts, only: designs)
        } catch {
            throw failure(file: space, error.description)
        }
        let evaluations = try evaluator.evaluate(designs).enumerated().map { i, answer in
            switch answer {
            case let .success(e): return e
            case let .failure(f): throw failure(file: space, "the accuracy command failed on design \(i): \(f.failure)")
            }
        }
        // A time-shared chip: each design also on the chip, per reprogramming policy.
        let chip = try ChipStage(space: s, threads: threads).map { stage in
            do { return try evaluations.map { try stage.json($0) } } catch { throw fail(file: space, error) }
        }
        if json {
            let values = evaluations.enumerated().map { i, e -> JSONValue in
                let value = e.json(workload: s.workload)
                guard let chip, case let .object(members) = value else { return value }
                return .object(members + [("chip", chip[i])])
            }
            print((isArray ? .array(values) : values[0]).serialized())
        } else {
            for (i, e) in evaluations.enumerated() {
                if evaluations.count > 1 { print("design \(i)") }
                print(EvaluationTable.render(e, workload: s.workload, constraints: s.constraints))
                if let chip { print("on the time-shared chip, per chip size and reprogramming policy:\n" + chip[i].serialized()) }
            }
        }
    }
}
