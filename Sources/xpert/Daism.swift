import ArgumentParser
import Foundation
import XPertCore

struct Daism: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Error statistics of the DAISM multiplier variants over all operand pairs and, with a space, their cost per MAC and their error on each layer's data.")

    @Argument(help: "A search-space JSON file: adds the cost per MAC at its node and the per-layer figures.")
    var space: String?

    @Option(help: "Operand bits n, 4 to 8.")
    var bits: Int = 8

    @Flag(help: "Operands are n-bit significands with a leading one (bf16: n = 8) instead of unsigned magnitudes.")
    var significand = false

    @Flag(help: "Print a JSON array, one object per variant.")
    var json = false

    @Option(help: "Worker threads; results are identical for any value.")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws {
        guard (4...8).contains(bits) else { throw ValidationError("--bits must be in 4...8") }
        guard threads >= 1 else { throw ValidationError("--threads must be positive") }
    }

    func run() throws {
        let s = try space.map(loadSpace)
        let reports = DaismVariantReport.run(bits: bits, significand: significand, space: s, threads: threads)
        if json {
            print(JSONValue.array(reports.map(\.json)).serialized())
            return
        }
        print(DaismTable.render(reports))
    }
}
