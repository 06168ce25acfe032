import ArgumentParser
import Foundation
import XPertCore
import XPertFuzz

/// Fuzzes the `xpert` command line with mutated search spaces and designs (see `FuzzCampaign`).
struct XPertFuzzCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "xpert-fuzz",
        abstract: "Run mutated search spaces and designs through xpert validate, evaluate and search; report crashes, hangs and bad error messages.")

    @Option(help: "Seconds to run.")
    var seconds: Double = 60

    @Option(help: "Most inputs to run (default: no limit but --seconds).")
    var inputs: Int?

    @Option(help: "Seed of the mutator: the same seed gives the same inputs.")
    var seed: UInt64 = 1

    @Option(help: "The xpert binary (default: the one beside this program).")
    var xpert: String?

    @Option(help: "The folder of seed spaces (their designs come from Results/<name>/designs.json beside it).")
    var spaces: String = "SearchSpaces"

    @Option(help: "Where inputs that crash, hang or give a bad message are copied.")
    var findings: String = ".build/fuzz-findings"

    @Option(help: "Copy accepted inputs whose run is slower than this many seconds to the findings folder (as slow-*).")
    var keepSlowerThan: Double?

    func run() throws {
        let binary = xpert.map { URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("xpert")
        guard FileManager.default.isExecutableFile(atPath: binary.path) else {
            throw ValidationError("no xpert binary at \(binary.path); build it or pass --xpert")
        }
        let spacesDir = URL(fileURLWithPath: spaces)
        let root = spacesDir.deletingLastPathComponent()
        let names = try FileManager.default.contentsOfDirectory(atPath: spacesDir.path).filter { $0.hasSuffix(".json") }.sorted()
        let seeds: [FuzzCampaign.Seed] = try names.map { name in
            // Relative paths in a space are relative to its folder; the mutated copies live elsewhere.
            let text = try String(contentsOf: spacesDir.appendingPathComponent(name), encoding: .utf8)
                .replacingOccurrences(of: "\"../", with: "\"\(root.standardizedFileURL.path)/")
            let stem = String(name.dropLast(5))
            let designs = try? JSONValue.parse(Data(contentsOf: root.appendingPathComponent("Results/\(stem)/designs.json")))
            var design: JSONValue?
            if case let .array(list)? = designs, let first = list.first { design = first }
            return FuzzCampaign.Seed(name: stem, space: try JSONValue.parse(Data(text.utf8)), design: design)
        }
        var settings = FuzzCampaign.Settings(xpert: binary, findings: URL(fileURLWithPath: findings))
        settings.seed = seed
        settings.seconds = seconds
        settings.maxInputs = inputs ?? .max
        settings.keepSlowerThanS = keepSlowerThan ?? .infinity
        let start = Date()
        let report = try FuzzCampaign(settings: settings, seeds: seeds).run { r in
            FileHandle.standardError.write(Data(String(format: "\r%d inputs, %d findings, %.0f s   ", r.inputs, r.findings,
                                                       Date().timeIntervalSince(start)).utf8))
        }
        FileHandle.standardError.write(Data("\n".utf8))
        print(report.description)
        print(String(format: "time: %.1f s, %d cores", Date().timeIntervalSince(start), ProcessInfo.processInfo.activeProcessorCount))
        if report.findings > 0 { throw ExitCode(1) }
    }
}

XPertFuzzCommand.main()
