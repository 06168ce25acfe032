import ArgumentParser
import Foundation
import XPertCore

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure layer-option cost evaluations per second on one core (build with -c release).")

    @Argument(help: "The search-space JSON file whose layers and choices are costed.")
    var space: String

    @Option(help: "Minimum measuring time per repetition, in seconds.")
    var seconds: Double = 1

    @Option(help: "Repetitions; the median is reported.")
    var repetitions: Int = 5

    func run() throws {
        let s = try loadSpace(space)
        let result = CostBenchmark.run(space: s, minimumSeconds: seconds, repetitions: repetitions)
        print(result.description)
    }
}
