import Foundation
import Testing
@testable import XPertCore

/// The `command` estimator, end to end with real processes: Examples/accuracy-command.py
/// (the toy evaluator) and small `python3 -c` programs. Each test has its own directory and
/// cache.
@Suite("Accuracy estimators: command")
struct EstimatorCommandTests {
    typealias F = EstimatorFixtures

    static let script = Fixtures.repoRoot.appendingPathComponent("Examples/accuracy-command.py").path

    /// A command estimator run in `dir` with its cache in `dir/cache`.
    static func estimator(_ argv: [String], dir: URL, timeout: Double = 60, parallel: Int = 1) throws -> CommandEstimator {
        let json: JSONValue = .object([
            ("estimator", .string("command")),
            ("argv", .array(argv.map { .string($0) })),
            ("timeout_s", .number(timeout)),
            ("max_parallel", .number(Double(parallel))),
            ("cache_dir", .string("cache")),
        ])
        guard case let .command(c) = try AccuracyConfig.read(JSONNode(json, path: "$.accuracy"), workload: F.workload, baseDirectory: dir)
        else { throw InputError(path: "?", "not a command") }
        return c
    }

    /// The toy evaluator, logging to `dir/calls.log`.
    static func toy(dir: URL, _ extra: [String] = [], timeout: Double = 60, parallel: Int = 1) throws -> CommandEstimator {
        try estimator(["python3", script, "--log", dir.appendingPathComponent("calls.log").path] + extra,
                      dir: dir, timeout: timeout, parallel: parallel)
    }

    /// Calls logged so far (start lines) and the largest number running at once.
    static func calls(_ dir: URL) -> (count: Int, maxConcurrent: Int) {
        let text = (try? String(contentsOf: dir.appendingPathComponent("calls.log"), encoding: .utf8)) ?? ""
        let events = text.split(separator: "\n").map { line -> (Double, Int) in
            let f = line.split(separator: " ")
            return (Double(f[1])!, f[0] == "start" ? 1 : -1)
        }.sorted { ($0.0, $0.1) < ($1.0, $1.1) } // an end before a start at the same instant
        var running = 0, peak = 0
        for e in events { running += e.1; peak = max(peak, running) }
        return (events.filter { $0.1 == 1 }.count, peak)
    }

    static func failure(_ r: Result<Double, CommandEstimatorFailure>) -> CommandEstimatorFailure? {
        if case let .failure(f) = r { return f }
        return nil
    }

    @Test("the toy evaluator answers; identical designs in a batch run once; results follow the designs' order")
    func success() throws {
        let dir = F.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let c = try Self.toy(dir: dir)
        let results = c.evaluate([F.design(16, 32), F.design(16, 16), F.design(16, 32)])
        // Widest design: 92.5 - 4 layers * 2 * 64 * 4^-6 (6-bit ADCs) = 92.375; c2 halved: 0.35 less.
        #expect(try results.map { try $0.get() } == [92.375, 92.025, 92.375])
        #expect(Self.calls(dir).count == 2)
        #expect(c.evaluate([]).isEmpty)
    }

    @Test("the program reads the design (in Design.read's form) and the network on stdin")
    func request() throws {
        let dir = F.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let c = try Self.toy(dir: dir)
        let design = F.design(8, 16, adcBits: 4, inputBits: 4, adcType: .flash)
        let request = c.request(design)
        #expect(try Design.read(JSONNode(request["design"]!), workload: F.workload) == design)
        guard case let .array(layers)? = request["network"]?["layers"] else { Issue.record("no network layers"); return }
        #expect(layers.map { $0["in_channels"] } == [3, 8, 16, 32].map { JSONValue.number($0) })
        #expect(layers.map { $0["type"] } == ["conv", "conv", "conv", "linear"].map { JSONValue.string($0) })
        #expect(request["network"]?["activation_bits"] == .number(8))
        #expect(c.cacheKey(design).count == 64 && c.cacheKey(design) != c.cacheKey(F.design(8, 16)))
    }

    @Test("a rerun is answered from the on-disk cache without calling the program; the key includes argv")
    func cache() throws {
        let dir = F.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let designs = [F.design(16, 32), F.design(8, 16, adcBits: 4)]
        let first = try Self.toy(dir: dir).evaluate(designs)
        #expect(Self.calls(dir).count == 2)
        // A new estimator (a new process of xpert would do the same) reads the cache.
        let again = try Self.toy(dir: dir).evaluate(designs.reversed() + designs)
        #expect(Self.calls(dir).count == 2)
        #expect(try again.map { try $0.get() } == (first.reversed() + first).map { try $0.get() })
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("cache").path)
        #expect(files.sorted() == designs.map { "accuracy-\(try! Self.toy(dir: dir).cacheKey($0)).json" }.sorted())
        // Other arguments: another key, another call.
        let other = try Self.toy(dir: dir, ["--baseline", "90"]).evaluate([designs[0]])
        #expect(Self.calls(dir).count == 3)
        #expect(try other[0].get() == 89.875)
    }

    @Test("a call that runs longer than timeout_s is killed and fails with its stderr")
    func timeout() throws {
        let dir = F.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let c = try Self.estimator(["python3", "-c", "import sys, time; sys.stderr.write('training...\\n'); sys.stderr.flush(); time.sleep(60)"],
                                   dir: dir, timeout: 1)
        let start = Date()
        let results = c.evaluate([F.design(16, 32)])
        #expect(Date().timeIntervalSince(start) < 10)
        let f = Self.failure(results[0])
        #expect(f?.reason == .timeout(seconds: 1))
        #expect(f?.stderr.contains("training...") == true)
    }

    @Test("a timeout kills the program's whole process group, children included")
    func timeoutKillsChildren() throws {
        let dir = F.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let c = try Self.estimator(["sh", "-c", "sleep 20; echo 50"], dir: dir, timeout: 1)
        let start = Date()
        let f = Self.failure(c.evaluate([F.design(16, 32)])[0])
        #expect(f?.reason == .timeout(seconds: 1))
        // The deadline, then SIGTERM ends the group at once; far below the child's 20 s.
        #expect(Date().timeIntervalSince(start) < 5)
    }

    @Test("a program that prints without end is cut off at its timeout, keeping only the end of its output",
          arguments: ["yes >&2", "yes"])
    func endlessOutput(program: String) throws {
        let dir = F.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let c = try Self.estimator(["sh", "-c", program], dir: dir, timeout: 1)
        let start = Date()
        let f = Self.failure(c.evaluate([F.design(16, 32)])[0])
        #expect(f?.reason == .timeout(seconds: 1))
        #expect(Date().timeIntervalSince(start) < 5)
        #expect((f?.stderr.utf8.count ?? 0) <= CommandEstimator.stderrLimit + 3)
    }

    @Test("a program that answers and leaves a child behind returns at once, and the child is ended")
    func leftoverChildren() throws {
        let dir = F.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let pidFile = dir.appendingPathComponent("child.pid").path
        let c = try Self.estimator(["sh", "-c", "sleep 30 & echo $! > \(pidFile); echo 50"], dir: dir, timeout: 60)
        let start = Date()
        #expect(try c.evaluate([F.design(16, 32)])[0].get() == 50)
        #expect(Date().timeIntervalSince(start) < 5)
        let pid = Int32(try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines))!
        usleep(100_000)
        let stat = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        #expect(stat.isEmpty || stat.contains(") Z"), "the child \(pid) is still running: \(stat)")
    }

    @Test("a non-zero exit fails that design with the program's stderr; failures are not cached")
    func nonZeroExit() throws {
        let dir = F.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let c = try Self.estimator(["python3", "-c", "import sys; sys.stdin.read(); sys.stderr.write('boom: out of memory\\n'); sys.exit(3)"],
                                   dir: dir)
        let f = Self.failure(c.evaluate([F.design(16, 32)])[0])
        #expect(f?.reason == .exit(status: 3))
        #expect(f?.stderr == "boom: out of memory\n")
        #expect(f?.description == "accuracy command exited with status 3; stderr:\nboom: out of memory")

        let toy = try Self.toy(dir: dir, ["--fail-below-channels", "100"])
        _ = toy.evaluate([F.design(16, 32)])
        _ = toy.evaluate([F.design(16, 32)])
        #expect(Self.calls(dir).count == 2)
    }

    @Test("a program killed by a signal fails with the signal")
    func signal() throws {
        let dir = F.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let c = try Self.estimator(["python3", "-c", "import os, signal; os.kill(os.getpid(), signal.SIGKILL)"], dir: dir)
        #expect(Self.failure(c.evaluate([F.design(16, 32)])[0])?.reason == .signal(9))
    }

    @Test("output that is not an accuracy is a per-design failure; the last non-empty line counts", arguments: [
        ("print('hello')", nil),
        ("print(250)", nil),
        ("print('nan')", nil),
        ("pass", nil),
        ("print('epoch 1 loss 0.3'); print(' 87.5 '); print()", 87.5),
        ("print('91')", 91.0),
    ] as [(String, Double?)])
    func output(program: String, expected: Double?) throws {
        let dir = F.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let c = try Self.estimator(["python3", "-c", program], dir: dir)
        let r = c.evaluate([F.design(16, 32)])[0]
        if let expected {
            #expect(try r.get() == expected)
        } else if case let .badOutput(m)? = Self.failure(r)?.reason {
            #expect(!m.isEmpty)
        } else {
            Issue.record("expected bad output, got \(r)")
        }
    }

    @Test("stderr is cut to its last 4000 bytes")
    func stderrTail() throws {
        let dir = F.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let c = try Self.estimator(["python3", "-c", "import sys; sys.stderr.write('x' * 10000 + 'END'); sys.exit(1)"], dir: dir)
        let f = Self.failure(c.evaluate([F.design(16, 32)])[0])
        #expect(f?.stderr.hasPrefix("...x") == true)
        #expect(f?.stderr.hasSuffix("xEND") == true)
        #expect(f?.stderr.utf8.count == 3 + CommandEstimator.stderrLimit)
    }

    @Test("at most max_parallel programs run at once, and they do run in parallel", arguments: [1, 2, 3])
    func maxParallel(width: Int) throws {
        let dir = F.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let c = try Self.toy(dir: dir, ["--sleep", "1.5"], parallel: width)
        let designs = [F.design(16, 32), F.design(8, 32), F.design(16, 16), F.design(8, 16), F.design(8, 16, adcBits: 4)]
        let results = c.evaluate(designs)
        #expect(results.allSatisfy { (try? $0.get()) != nil })
        let (count, peak) = Self.calls(dir)
        #expect(count == 5)
        #expect(peak <= width)
        #expect(peak == width, "with 1.5 s calls, \(width) slots should all be busy at some point")
    }

    @Test("results follow the designs' order whatever finishes first, failures included")
    func order() throws {
        let dir = F.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let c = try Self.toy(dir: dir, ["--fail-below-channels", "16"], parallel: 3)
        let designs = [F.design(16, 32), F.design(8, 32), F.design(16, 16), F.design(8, 16), F.design(16, 32, adcBits: 4)]
        let results = c.evaluate(designs)
        #expect((try? results[0].get()) == 92.375)
        #expect(Self.failure(results[1])?.stderr.contains("layers c1 are narrower than 16") == true)
        #expect((try? results[2].get()) == 92.025)
        #expect(Self.failure(results[3])?.reason == .exit(status: 2))
        #expect((try? results[4].get()) == 90.5)
        // The same, one by one.
        for (design, result) in zip(designs, results) {
            #expect(c.evaluate([design])[0] == result)
        }
    }
}
