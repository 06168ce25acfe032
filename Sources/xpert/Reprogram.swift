import ArgumentParser
import Foundation
import XPertCore

struct Reprogram: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Crossbar writes per inference of a design on a time-shared chip, per reprogramming policy: energy, time, wear, lifetime and the accuracy cost of stuck bits.")

    @Argument(help: "The search-space JSON file (its hardware.chip_crossbars and reprogramming section).")
    var space: String

    @Option(help: "A design JSON file (one design object).")
    var design: String?

    @Flag(help: "Use the space's baseline design (the default when no --design is given).")
    var baseline = false

    @Option(name: .customLong("chip-crossbars"), help: "Physical crossbars of the chip, overriding hardware.chip_crossbars.")
    var chipCrossbars: Int?

    @Flag(help: "Print a JSON object instead of a table.")
    var json = false

    @Option(help: "Worker threads; results are identical for any value.")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws {
        if baseline && design != nil { throw ValidationError("--design and --baseline exclude each other") }
        if let chipCrossbars, chipCrossbars < 1 { throw ValidationError("--chip-crossbars must be positive") }
        guard threads >= 1 else { throw ValidationError("--threads must be positive") }
    }

    func run() throws {
        let s = try loadSpace(space)
        var chosen = s.baseline
        if let design {
            do {
                let (designs, isArray) = try Design.readList(try JSONDocument.load(path: design), workload: s.workload)
                guard !isArray, designs.count == 1 else { throw InputError(path: "$", "expected one design object, found an array") }
                chosen = designs[0]
            } catch { throw fail(file: design, error) }
        }
        let report: ReprogramReport
        do {
            try SpaceLimits.checkStoredCells(s.workload, hardware: s.hardware, path: "$.workload")
            let layerAreaUM2 = Substrates(space: s).evaluate(chosen, workload: s.workload).layers.map(\.areaUM2.total)
            report = try ReprogramReport.run(space: s, design: chosen, chipCrossbars: chipCrossbars, layerAreaUM2: layerAreaUM2,
                                             threads: threads)
        } catch { throw fail(file: design ?? space, error) }
        print(json ? report.json.serialized() : ReprogramTable.render(report))
    }
}
