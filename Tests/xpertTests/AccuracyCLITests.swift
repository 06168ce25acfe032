import Foundation
import Testing

/// End to end with the `command` estimator: the shipped example script answers for every
/// phase-2 design, answers are cached, failing designs are left out with a warning.
@Suite("Accuracy from the command line")
struct AccuracyCLITests {
    /// A small space whose accuracy comes from `Examples/accuracy-command.py`, logging its
    /// calls to `dir/calls.log` and caching in `dir/cache`.
    static func space(dir: URL, extraArguments: [String] = []) throws -> String {
        let script = CLI.repoRoot.appendingPathComponent("Examples/accuracy-command.py").path
        let argv = (["python3", script, "--log", dir.appendingPathComponent("calls.log").path] + extraArguments)
            .map { "\"\($0)\"" }.joined(separator: ", ")
        let text = """
        {
          "name": "tiny-command", "seed": 3,
          "workload": {
            "input": {"height": 8, "width": 8, "channels": 3},
            "layers": [
              {"name": "c1", "type": "conv", "kernel": 3, "padding": 1, "out_channels": {"choices": [8, 16]}},
              {"name": "c2", "type": "conv", "kernel": 3, "padding": 1, "out_channels": {"choices": [16, 32]}, "pool": {"kernel": 2}},
              {"name": "fc", "type": "linear", "out_channels": 10}
            ]
          },
          "hardware": {"technology_nm": 32, "cell": "rram-1t1r", "crossbar": {"rows": 64, "cols": 64}},
          "choices": {"adc_type": ["sar"], "adc_bits": [4, 8], "column_sharing": [4, 8], "input_bits": [4, 6, 8]},
          "constraints": {"area_mm2": 50},
          "objectives": ["energy", "accuracy"],
          "accuracy": {"estimator": "command", "argv": [\(argv)], "max_parallel": 2,
                       "cache_dir": "\(dir.appendingPathComponent("cache").path)",
                       "noise": {"samples": 8, "columns": 8}},
          "search": {"top_k": 2, "max_points_per_sweep": 6}
        }
        """
        let url = dir.appendingPathComponent("space.json")
        try Data(text.utf8).write(to: url)
        return url.path
    }

    static func tempDir() throws -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("xpert-accuracy-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }

    static func rows(_ dir: URL) throws -> [[String]] {
        try String(contentsOf: dir.appendingPathComponent("pareto.csv"), encoding: .utf8)
            .split(separator: "\r\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    static func calls(_ dir: URL) -> Int {
        let log = (try? String(contentsOf: dir.appendingPathComponent("calls.log"), encoding: .utf8)) ?? ""
        return log.split(separator: "\n").filter { $0.hasPrefix("start") }.count
    }

    @Test func searchAsksTheProgramOnceAndCaches() throws {
        let dir = try Self.tempDir()
        let space = try Self.space(dir: dir)
        let out = dir.appendingPathComponent("results")
        let r = try CLI.run(["search", space, "--out", out.path, "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        let rows = try Self.rows(out)
        #expect(rows[0][4] == "accuracy_pct" && rows[0][5] == "accuracy_drop_pct")
        #expect(rows.count > 2, "a frontier of several designs")
        for row in rows.dropFirst() {
            let accuracy = try #require(Double(row[4])), drop = try #require(Double(row[5]))
            #expect(accuracy > 10 && accuracy <= 100 && drop > -1e-9)
        }
        let run = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("run.json"))) as! [String: Any]
        let accuracy = run["accuracy"] as! [String: Any]
        #expect(accuracy["estimator"] as? String == "command")
        let first = Self.calls(dir)
        #expect(first >= rows.count - 1, "one call per distinct design, the baseline included")

        // A rerun is answered from the cache: same bytes, no new call.
        let again = dir.appendingPathComponent("again")
        let r2 = try CLI.run(["search", space, "--out", again.path, "--quiet"])
        #expect(r2.status == 0, "\(r2.stderr)")
        #expect(Self.calls(dir) == first)
        #expect(try Self.rows(again) == rows)

        // `evaluate` reports the same accuracy for the frontier designs, and each layer's NSR.
        let e = try CLI.run(["evaluate", space, "--design", out.appendingPathComponent("designs.json").path, "--json"])
        #expect(e.status == 0, "\(e.stderr)")
        let designs = try JSONSerialization.jsonObject(with: Data(e.stdout.utf8)) as! [[String: Any]]
        #expect(designs.count == rows.count - 1)
        for (design, row) in zip(designs, rows.dropFirst()) {
            let total = (design["total"] as! [String: Any]).compactMapValues { $0 as? Double }
            #expect(total["accuracy_pct"] == Double(row[4]))
            let layers = design["layers"] as! [[String: Any]]
            #expect(layers.allSatisfy { ($0["nsr"] as? Double).map { $0 >= 0 } ?? false })
        }
        #expect(Self.calls(dir) == first)
    }

    @Test func failingDesignsAreLeftOutWithAWarning() throws {
        let dir = try Self.tempDir()
        let space = try Self.space(dir: dir, extraArguments: ["--fail-below-channels", "16"])
        let out = dir.appendingPathComponent("results")
        let r = try CLI.run(["search", space, "--out", out.path, "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("warning: \(space): accuracy command failed, design left out"))
        #expect(r.stderr.contains("narrower than 16 channels"))
        let rows = try Self.rows(out)
        #expect(rows.count > 1)
        // Column 10 is out_channels: no design with 8 channels in c1 survives.
        #expect(rows.dropFirst().allSatisfy { !$0[10].hasPrefix("8|") })
    }

    @Test func aFailingBaselineStopsTheSearch() throws {
        let dir = try Self.tempDir()
        let space = try Self.space(dir: dir, extraArguments: ["--fail-below-channels", "1000"])
        let out = dir.appendingPathComponent("results")
        let r = try CLI.run(["search", space, "--out", out.path, "--quiet"])
        #expect(r.status == 1)
        #expect(r.stderr.hasPrefix("error: \(space): the accuracy command failed on the baseline design"))
        #expect(!FileManager.default.fileExists(atPath: out.path))
    }
}
