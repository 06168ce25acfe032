import ArgumentParser
import Foundation
import XPertCore

struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure the cost model (layer-option evaluations per second, one core), with --functional the crossbar simulator, with --reprogram the reprogramming model. Build with -c release.")

    @Argument(help: "The search-space JSON file whose layers and choices are measured.")
    var space: String

    @Flag(help: "Measure the functional simulator: binary MACs per second on one core and the time to build the space's NSR tables.")
    var functional = false

    @Flag(help: "Measure the reprogramming model on the baseline design: weights, packing and each policy's count, one thread.")
    var reprogram = false

    @Option(help: "Minimum measuring time per repetition, in seconds.")
    var seconds: Double = 1

    @Option(help: "Repetitions; the median is reported.")
    var repetitions: Int = 5

    @Option(help: "With --functional: sampled activation vectors per layer for the NSR tables.")
    var samples: Int = 128

    @Option(help: "With --functional: threads for the NSR tables.")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws {
        if repetitions < 1 || seconds <= 0 || samples < 1 || threads < 1 {
            throw ValidationError("--repetitions, --seconds, --samples and --threads must be positive")
        }
    }

    func run() throws {
        let s = try loadSpace(space)
        if reprogram {
            do { print(try ReprogramBenchmark.run(space: s, repetitions: repetitions).description) } catch { throw fail(file: space, error) }
        } else if functional {
            print(FunctionalBenchmark.run(space: s, samples: samples, threads: threads, minimumSeconds: seconds,
                                          repetitions: repetitions).description)
        } else {
            print(CostBenchmark.run(space: s, minimumSeconds: seconds, repetitions: repetitions).description)
        }
    }
}
