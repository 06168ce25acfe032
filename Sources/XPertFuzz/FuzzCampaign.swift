import Foundation
import XPertCore

/// A fuzz campaign over the `xpert` command line: mutated search spaces through `validate`,
/// accepted ones through `evaluate --baseline --json` and, every few, `search`, and mutated
/// designs through `evaluate --design`; each run is a child process with a deadline. A run
/// that a signal ends is a crash, one past its deadline a hang; an input error must be one
/// line with exit status 2.
public struct FuzzCampaign {
    public struct Settings: Sendable {
        public var xpert: URL
        public var seed: UInt64 = 1
        public var seconds: Double = 60
        public var maxInputs: Int = .max
        /// Every how many accepted spaces a search runs.
        public var searchEvery: Int = 8
        /// Every how many accepted spaces a mutated design is evaluated.
        public var designEvery: Int = 4
        public var evaluateTimeoutS: Double = 60
        public var searchTimeoutS: Double = 120
        /// Peak memory above which a run is a finding, KiB.
        public var memoryLimitKB: Int = 2 << 20
        /// Accepted inputs slower than this are copied to `findings` as `slow-*` (not findings).
        public var keepSlowerThanS: Double = .infinity
        public var findings: URL
        public init(xpert: URL, findings: URL) {
            self.xpert = xpert
            self.findings = findings
        }
    }

    /// One seed document: a search space (its relative paths made absolute) and a design of it.
    public struct Seed: Sendable {
        public var name: String
        public var space: JSONValue
        public var design: JSONValue?
        public init(name: String, space: JSONValue, design: JSONValue?) {
            self.name = name
            self.space = space
            self.design = design
        }
    }

    /// What a campaign found.
    public struct Report: Sendable, CustomStringConvertible {
        public var inputs = 0
        public var refused = 0
        public var accepted = 0
        public var evaluations = 0
        public var searches = 0
        public var designs = 0
        public var crashes: [String] = []
        public var hangs: [String] = []
        public var badErrors: [String] = []
        public var memory: [String] = []
        /// The slowest and the most memory-hungry run of an accepted input.
        /// Refused inputs per JSON path of their error (indices as `[*]`).
        public var refusedAt: [String: Int] = [:]
        public var slowest: (seconds: Double, what: String) = (0, "")
        public var largest: (peakKB: Int, what: String) = (0, "")

        public var findings: Int { crashes.count + hangs.count + badErrors.count + memory.count }

        public var description: String {
            var lines = [
                "inputs executed: \(inputs) (refused \(refused), accepted \(accepted))",
                "runs: \(inputs) validate, \(evaluations) evaluate --baseline, \(searches) search, \(designs) evaluate --design",
                "crashes: \(crashes.count), hangs: \(hangs.count), bad error messages: \(badErrors.count), over the memory limit: \(memory.count)",
                String(format: "slowest accepted run: %.2f s (%@)", slowest.seconds, slowest.what),
                "largest peak memory of an accepted run: \(largest.peakKB / 1024) MiB (\(largest.what))",
            ]
            let top = refusedAt.sorted { ($1.value, $0.key) < ($0.value, $1.key) }.prefix(8)
            lines.append("refused most often at: " + top.map { "\($0.key) (\($0.value))" }.joined(separator: ", "))
            for (title, list) in [("crash", crashes), ("hang", hangs), ("bad error", badErrors), ("memory", memory)] {
                lines += list.map { "\(title): \($0)" }
            }
            return lines.joined(separator: "\n")
        }
    }

    public let settings: Settings
    public let seeds: [Seed]

    public init(settings: Settings, seeds: [Seed]) {
        precondition(!seeds.isEmpty, "a campaign needs seed documents")
        self.settings = settings
        self.seeds = seeds
    }

    public func run(progress: ((Report) -> Void)? = nil) throws -> Report {
        let fm = FileManager.default
        try fm.createDirectory(at: settings.findings, withIntermediateDirectories: true)
        let work = fm.temporaryDirectory.appendingPathComponent("xpert-fuzz-\(getpid())")
        try fm.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? fm.removeItem(at: work) }
        var mutator = SpaceMutator(seed: settings.seed, corpus: seeds.map(\.space) + seeds.compactMap(\.design))
        // The unmutated seeds, which mutated designs are evaluated against.
        let seedFiles = try seeds.enumerated().map { k, seed -> URL in
            let url = work.appendingPathComponent("seed-\(k)-\(seed.name).json")
            try Data(seed.space.serialized().utf8).write(to: url)
            return url
        }
        var report = Report()
        let start = Date()
        var i = 0
        while i < settings.maxInputs, Date().timeIntervalSince(start) < settings.seconds {
            let seed = seeds[i % seeds.count], seedFile = seedFiles[i % seeds.count]
            let doc = mutator.mutate(seed.space, count: mutator.mutationCount())
            let file = work.appendingPathComponent("space-\(i).json")
            try Data(doc.serialized().utf8).write(to: file)
            report.inputs += 1
            let validate = call(["validate", file.path], timeout: settings.evaluateTimeoutS)
            if classify(validate, run: "validate", input: file, allowed: [0, 2], report: &report) == 0 {
                report.accepted += 1
                let evaluate = call(["evaluate", file.path, "--baseline", "--json", "--threads", "1"], timeout: settings.evaluateTimeoutS)
                report.evaluations += 1
                note(evaluate, run: "evaluate", input: file, report: &report)
                _ = classify(evaluate, run: "evaluate --baseline", input: file, allowed: [0, 1], report: &report)
                if report.accepted % settings.searchEvery == 0 {
                    let out = work.appendingPathComponent("out-\(i)")
                    let search = call(["search", file.path, "--out", out.path, "--threads", "1", "--quiet"], timeout: settings.searchTimeoutS)
                    report.searches += 1
                    note(search, run: "search", input: file, report: &report)
                    _ = classify(search, run: "search", input: file, allowed: [0, 1, 2], report: &report)
                    try? fm.removeItem(at: out)
                }
                if report.accepted % settings.designEvery == 0, let design = seed.design {
                    let designFile = work.appendingPathComponent("design-\(i).json")
                    try Data(mutator.mutate(design, count: mutator.mutationCount()).serialized().utf8).write(to: designFile)
                    let r = call(["evaluate", seedFile.path, "--design", designFile.path, "--json", "--threads", "1"],
                                 timeout: settings.evaluateTimeoutS)
                    report.designs += 1
                    _ = classify(r, run: "evaluate --design \(designFile.lastPathComponent)", input: designFile, allowed: [0, 1, 2],
                                 report: &report)
                    try? fm.removeItem(at: designFile)
                }
            }
            try? fm.removeItem(at: file)
            i += 1
            if i % 25 == 0 { progress?(report) }
        }
        return report
    }

    func call(_ arguments: [String], timeout: Double) -> ChildProcess.Outcome {
        var child = ChildProcess(executable: settings.xpert, arguments: arguments,
                                 directory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath), timeoutS: timeout)
        child.killGraceS = 1
        return child.run(input: Data())
    }

    /// Records the slowest and largest runs of accepted inputs.
    func note(_ o: ChildProcess.Outcome, run: String, input: URL, report: inout Report) {
        if o.seconds > settings.keepSlowerThanS {
            let name = String(format: "slow-%.0fs-%@-%@", o.seconds, run, input.lastPathComponent)
            try? FileManager.default.copyItem(at: input, to: settings.findings.appendingPathComponent(name))
        }
        if o.seconds > report.slowest.seconds { report.slowest = (o.seconds, "\(run) \(input.lastPathComponent)") }
        if o.peakMemoryKB > report.largest.peakKB { report.largest = (o.peakMemoryKB, "\(run) \(input.lastPathComponent)") }
    }

    /// The JSON path of an `error: FILE: PATH: message` line, indices as `[*]`.
    static func errorPath(_ line: String) -> String {
        let parts = line.components(separatedBy: ": ")
        guard parts.count >= 3, parts[2].hasPrefix("$") else { return "?" }
        return parts[2].replacingOccurrences(of: #"\[[0-9]+\]"#, with: "[*]", options: .regularExpression)
    }

    /// The exit status, or nil after recording a finding (the input is kept in `findings`).
    @discardableResult
    func classify(_ o: ChildProcess.Outcome, run: String, input: URL, allowed: Set<Int32>, report: inout Report) -> Int32? {
        func keep(_ kind: String) -> String {
            let name = "\(kind)-\(report.inputs)-\(input.lastPathComponent)"
            try? FileManager.default.copyItem(at: input, to: settings.findings.appendingPathComponent(name))
            let tail = String(decoding: o.stderr.suffix(300), as: UTF8.self).replacingOccurrences(of: "\n", with: " | ")
            return "\(run) on \(name): \(tail)"
        }
        if o.peakMemoryKB > settings.memoryLimitKB { report.memory.append(keep("memory")) }
        switch o.termination {
        case let .signalled(sig):
            report.crashes.append(keep("crash-signal\(sig)"))
            return nil
        case .timedOut:
            report.hangs.append(keep("hang"))
            return nil
        case let .launchFailed(m):
            report.crashes.append("\(run): could not start xpert: \(m)")
            return nil
        case let .exited(status):
            guard allowed.contains(status) else {
                report.badErrors.append(keep("status\(status)"))
                return nil
            }
            if status == 2 {
                let text = String(decoding: o.stderr, as: UTF8.self)
                let lines = text.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.isEmpty }
                if lines.count != 1 || !text.hasPrefix("error: ") || text.count > 600 { report.badErrors.append(keep("message")) }
                if run == "validate" {
                    report.refused += 1
                    report.refusedAt[Self.errorPath(text), default: 0] += 1
                }
            }
            return status
        }
    }
}
