import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why the accuracy program failed for one design, with the end of its standard error.
public struct CommandEstimatorFailure: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Reason: Sendable, Hashable, CustomStringConvertible {
        /// The program could not be started.
        case launch(String)
        /// It exited with a non-zero status.
        case exit(status: Int32)
        /// It was killed by a signal (not ours).
        case signal(Int32)
        /// It ran longer than `timeout_s` and was killed.
        case timeout(seconds: Double)
        /// It exited with status 0 but its output was not an accuracy.
        case badOutput(String)

        public var description: String {
            switch self {
            case let .launch(m): return "could not start: \(m)"
            case let .exit(s): return "exited with status \(s)"
            case let .signal(s): return "killed by signal \(s)"
            case let .timeout(t): return "timed out after \(JSONValue.format(number: t)) s"
            case let .badOutput(m): return "bad output: \(m)"
            }
        }
    }

    public let reason: Reason
    /// The last `CommandEstimator.stderrLimit` bytes of the program's standard error.
    public let stderr: String

    public init(_ reason: Reason, stderr: String = "") {
        self.reason = reason
        self.stderr = stderr
    }

    public var description: String {
        let tail = stderr.trimmingCharacters(in: .whitespacesAndNewlines)
        return "accuracy command \(reason)" + (tail.isEmpty ? "" : "; stderr:\n\(tail)")
    }
}

/// The `command` accuracy estimator: an external program (no shell) gets one design as JSON on
/// its standard input and prints the design's accuracy in percent as the last non-empty line
/// of its standard output; it runs in the search space's directory with xpert's environment.
///
/// Standard input (one JSON object):
///
///     {"design": <Design.json(workload:), the form Design.read accepts>,
///      "network": {"input": {"height", "width", "channels"}, "weight_bits", "activation_bits",
///                  "layers": [{"name", "type": "conv"|"linear", "kernel", "stride", "padding" (conv),
///                              "input": <name of the layer read, or null: the network input>,
///                              "in_channels": <for this design>, "out_channel_choices": [...]}]},
///      "nsr": [<each layer's noise-to-signal ratio at the design's precision>]   (in a search)}
///
/// Successful answers are cached in `cache_dir` as `accuracy-<key>.json`, the key being the
/// SHA-256 of the argv and of that standard input (compact JSON, keys in a fixed order), so a
/// rerun costs nothing. Failures are not cached. The program's own file is not part of the key:
/// clear the cache after changing it.
public struct CommandEstimator: Sendable {
    public static let keys = ["estimator", "argv", "timeout_s", "max_parallel", "cache_dir"]
    /// Default `timeout_s`: an hour, room for a short fine-tuning run.
    public static let defaultTimeoutS = 3600.0
    /// Default `max_parallel`: one at a time (evaluation scripts usually share one GPU).
    public static let defaultMaxParallel = 1
    /// Default `cache_dir`, relative to the base directory (the search space's directory).
    public static let defaultCacheDir = ".xpert-cache"
    /// Bytes of standard error kept in a failure (the end of it: where tracebacks are).
    public static let stderrLimit = 4000
    /// Seconds between SIGTERM and SIGKILL when a call times out.
    public static let killGraceS = 2.0
    /// Bytes of standard output kept (the end of it: the accuracy is its last line).
    public static let stdoutLimit = 1 << 16

    /// Program and arguments, as given.
    public let argv: [String]
    /// The program, resolved (a path with a slash is relative to `workingDirectory`; a bare
    /// name is looked up on PATH).
    public let executable: URL
    public let timeoutS: Double
    public let maxParallel: Int
    /// nil: no cache.
    public let cacheDirectory: URL?
    public let workingDirectory: URL
    public let workload: Workload

    public init(argv: [String], executable: URL, timeoutS: Double = defaultTimeoutS, maxParallel: Int = defaultMaxParallel,
                cacheDirectory: URL?, workingDirectory: URL, workload: Workload) {
        precondition(!argv.isEmpty && timeoutS > 0 && maxParallel > 0)
        self.argv = argv
        self.executable = executable
        self.timeoutS = timeoutS
        self.maxParallel = maxParallel
        self.cacheDirectory = cacheDirectory
        self.workingDirectory = workingDirectory
        self.workload = workload
    }

    /// Finds a program: a name with a slash is a path (relative to `directory`), a bare name
    /// is looked up on `PATH`; nil when there is no executable file there.
    public static func resolve(program: String, directory: URL,
                               path: String? = ProcessInfo.processInfo.environment["PATH"]) -> URL? {
        let fm = FileManager.default
        if program.contains("/") {
            let url = URL.resolving(program, against: directory)
            return fm.isExecutableFile(atPath: url.path) ? url.standardizedFileURL : nil
        }
        for dir in (path ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":") where !dir.isEmpty {
            let url = URL(fileURLWithPath: String(dir)).appendingPathComponent(program)
            var isDirectory: ObjCBool = false
            if fm.fileExists(atPath: url.path, isDirectory: &isDirectory), !isDirectory.boolValue,
               fm.isExecutableFile(atPath: url.path) {
                return url
            }
        }
        return nil
    }

    static func read(_ object: JSONObject, workload: Workload, baseDirectory: URL) throws -> CommandEstimator {
        let argvNode = try object.required("argv")
        let items = try argvNode.array(nonEmpty: true)
        let argv = try items.map { try $0.string() }
        guard !argv[0].isEmpty else { throw items[0].fail("a program name or path") }
        guard let executable = resolve(program: argv[0], directory: baseDirectory) else {
            throw items[0].error(argv[0].contains("/")
                ? "no executable file \(argv[0]) (relative to \(baseDirectory.path))"
                : "no executable \(argv[0]) on PATH (give argv as [\"python3\", \"script.py\", ...] or a path)")
        }
        let timeout = try object.optional("timeout_s").map { try $0.number(positive: true) } ?? defaultTimeoutS
        guard timeout.isFinite else { throw object.optional("timeout_s")!.fail("a positive number") }
        let parallel = try object.optional("max_parallel").map { try $0.int(in: 1...256) } ?? defaultMaxParallel
        var cache = baseDirectory.appendingPathComponent(defaultCacheDir)
        if let node = object.optional("cache_dir") {
            let s = try node.string()
            guard !s.isEmpty else { throw node.fail("a directory path") }
            cache = URL.resolving(s, against: baseDirectory)
        }
        return CommandEstimator(argv: argv, executable: executable, timeoutS: timeout, maxParallel: parallel,
                                cacheDirectory: cache.standardizedFileURL, workingDirectory: baseDirectory, workload: workload)
    }

    // MARK: Request and cache key

    /// What the program reads on standard input for `design`.
    public func request(_ design: Design, nsr: [Double]? = nil) -> JSONValue {
        precondition(design.layers.count == workload.layers.count, "a design of this estimator's workload")
        let outChannels = design.outChannels
        let layers: [JSONValue] = workload.layers.enumerated().map { i, layer in
            var members: [(key: String, value: JSONValue)] = [("name", .string(layer.name))]
            switch layer.kind {
            case let .conv(k, s, p):
                members += [("type", .string("conv")), ("kernel", .number(Double(k))), ("stride", .number(Double(s))),
                            ("padding", .number(Double(p)))]
            case .linear:
                members += [("type", .string("linear"))] + (layer.tokens > 1 ? [("tokens", .number(Double(layer.tokens)))] : [])
            }
            members += [
                ("input", layer.inputIndex.map { .string(workload.layers[$0].name) } ?? .null),
                ("in_channels", .number(Double(workload.inChannels(of: i, outChannels: outChannels)))),
                ("out_channel_choices", .array(layer.outChannelChoices.map { .number(Double($0)) })),
            ]
            return .object(members)
        }
        let network: JSONValue = .object([
            ("input", .object([("height", .number(Double(workload.input.height))), ("width", .number(Double(workload.input.width))),
                               ("channels", .number(Double(workload.input.channels)))])),
            ("weight_bits", .number(Double(workload.weightBits))),
            ("activation_bits", .number(Double(workload.activationBits))),
            ("layers", .array(layers)),
        ])
        return .object([("design", design.json(workload: workload)), ("network", network)]
            + (nsr.map { [("nsr", .array($0.map { .number($0) }))] } ?? []))
    }

    /// The cache key of `design`: SHA-256 (hex) of the argv and the compact request JSON.
    public func cacheKey(_ design: Design) -> String { cacheKey(request: request(design).serialized(indent: nil)) }

    func cacheKey(request: String) -> String {
        let argvJSON = JSONValue.array(argv.map { .string($0) }).serialized(indent: nil)
        return SHA256.hex(Array("xpert-accuracy-command/2\n\(argvJSON)\n\(request)".utf8))
    }

    /// The cache file of a key.
    public func cacheFile(key: String) -> URL? { cacheDirectory?.appendingPathComponent("accuracy-\(key).json") }

    func cached(key: String) -> Double? {
        guard let url = cacheFile(key: key), let data = try? Data(contentsOf: url),
              let json = try? JSONValue.parse(data), case let .number(a)? = json["accuracy_pct"], a.isFinite else { return nil }
        return a
    }

    func store(key: String, accuracy: Double, request: JSONValue) {
        guard let url = cacheFile(key: key) else { return }
        let record: JSONValue = .object([("accuracy_pct", .number(accuracy)), ("argv", .array(argv.map { .string($0) })),
                                         ("request", request)])
        // A cache that cannot be written only costs a rerun later.
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? Data((record.serialized() + "\n").utf8).write(to: url, options: .atomic)
    }

    // MARK: Evaluation

    /// The accuracy of each design, in order: cached answers first, then the program for the
    /// others (each distinct design once), at most `maxParallel` at a time. A failing call is
    /// that design's failure; it does not stop the others. Blocks the calling thread until
    /// every call has finished (each call runs on its own thread): call it from synchronous
    /// code, not from an actor or a task that must not block.
    /// `nsr[i]`, when given, is design i's per-layer NSR, passed to the program. With
    /// `interrupts`, running programs are killed when xpert is interrupted.
    public func evaluate(_ designs: [Design], nsr: [[Double]]? = nil,
                         interrupts: Interrupts? = nil) -> [Result<Double, CommandEstimatorFailure>] {
        var jobs: [(key: String, request: JSONValue)] = []
        var jobOf: [String: Int] = [:]
        var results: [Result<Double, CommandEstimatorFailure>?] = Array(repeating: nil, count: designs.count)
        var slot: [Int?] = Array(repeating: nil, count: designs.count)
        for (i, design) in designs.enumerated() {
            let request = self.request(design, nsr: nsr?[i])
            let key = cacheKey(request: request.serialized(indent: nil))
            if let j = jobOf[key] { slot[i] = j; continue }
            if let hit = cached(key: key) { results[i] = .success(hit); continue }
            jobOf[key] = jobs.count
            slot[i] = jobs.count
            jobs.append((key, request))
        }
        let pending = jobs
        let outcomes = ParallelMap.map(count: pending.count, threads: maxParallel, workers: .blocking) { j in
            let outcome = run(input: Data(pending[j].request.serialized(indent: nil).utf8), interrupts: interrupts)
            if case let .success(a) = outcome { store(key: pending[j].key, accuracy: a, request: pending[j].request) }
            return outcome
        }
        for i in designs.indices where results[i] == nil { results[i] = outcomes[slot[i]!] }
        return results.map { $0! }
    }

    /// One call of the program with `input` on its standard input, in its own process group:
    /// the group is killed when the call times out, when the program exits (descendants it
    /// left behind) and when xpert is interrupted (`interrupts`). Only the ends of its output
    /// are kept (`stdoutLimit`, `stderrLimit` bytes), so a program that prints without end
    /// fills neither memory nor disk.
    func run(input: Data, interrupts: Interrupts? = nil) -> Result<Double, CommandEstimatorFailure> {
        var child = ChildProcess(executable: executable, arguments: Array(argv.dropFirst()), directory: workingDirectory,
                                 timeoutS: timeoutS, stdoutLimit: Self.stdoutLimit, stderrLimit: Self.stderrLimit)
        child.killGraceS = Self.killGraceS
        let outcome = child.run(input: input, interrupts: interrupts)
        let stderrTail = (outcome.stderrCut ? "..." : "") + String(decoding: outcome.stderr, as: UTF8.self)
        switch outcome.termination {
        case let .launchFailed(message):
            return .failure(CommandEstimatorFailure(.launch(message)))
        case .timedOut:
            return .failure(CommandEstimatorFailure(.timeout(seconds: timeoutS), stderr: stderrTail))
        case let .signalled(sig):
            return .failure(CommandEstimatorFailure(.signal(sig), stderr: stderrTail))
        case let .exited(status) where status != 0:
            return .failure(CommandEstimatorFailure(.exit(status: status), stderr: stderrTail))
        case .exited:
            let stdout = String(decoding: outcome.stdout, as: UTF8.self)
            return Self.parse(output: stdout).mapError { CommandEstimatorFailure($0.reason, stderr: stderrTail) }
        }
    }

    /// The accuracy in the program's output: the last non-empty line, a number in 0...100.
    static func parse(output: String) -> Result<Double, CommandEstimatorFailure> {
        let lines = output.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        guard let last = lines.last(where: { !$0.isEmpty }) else {
            return .failure(CommandEstimatorFailure(.badOutput("no output, expected the accuracy in percent on standard output")))
        }
        guard let value = Double(last), value.isFinite else {
            return .failure(CommandEstimatorFailure(.badOutput("expected a number (accuracy in percent) on the last line of standard output, found \(JSONValue.shortQuote(String(last))))")))
        }
        guard (0...100).contains(value) else {
            return .failure(CommandEstimatorFailure(.badOutput("accuracy \(last) is not a percentage in 0...100")))
        }
        return .success(value)
    }
}
