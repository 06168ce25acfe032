import Foundation
import Testing

/// `xpert calibrate`: measured rows of a frontier fed back, the fitted space written and read
/// as calibrated; the probe of a command program; one-line errors.
@Suite("xpert calibrate")
struct CalibrateCLITests {
    static func dir() throws -> URL {
        let d = FileManager.default.temporaryDirectory.appendingPathComponent("xpert-calibrate-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
        return d
    }

    /// The command-estimator space of `AccuracyCLITests` with a proxy in its place.
    static func proxySpace(dir: URL) throws -> String {
        let path = try AccuracyCLITests.space(dir: dir)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let start = text.range(of: "\"accuracy\": {")!.lowerBound, end = text.range(of: "\"search\"")!.lowerBound
        let proxy = "\"accuracy\": {\"estimator\": \"proxy\", \"baseline_accuracy_pct\": 91, \"noise\": {\"samples\": 8, \"columns\": 8}},\n  "
        try Data(text.replacingCharacters(in: start..<end, with: proxy).utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    @Test func measuredFrontierRowsFitAndTheFittedSpaceIsCalibrated() throws {
        let d = try Self.dir()
        let space = try Self.proxySpace(dir: d)
        let out = d.appendingPathComponent("results").path
        let search = try CLI.run(["search", space, "--out", out, "--quiet"])
        #expect(search.status == 0, "\(search.stderr)")
        // "Measured" accuracies: the estimates with 3 points per unit of summed NSR more.
        let csv = try String(contentsOfFile: out + "/pareto.csv", encoding: .utf8)
        let fitted = d.appendingPathComponent("fitted.json").path
        let r = try CLI.run(["calibrate", space, "--measured", try CLI.temporaryFile(csv, name: "measured.csv"), "--out", fitted, "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let doc = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        // The frontier's own estimates: the prior already fits them.
        #expect((doc["rmse_pct"] as! Double) < 1e-3 && (doc["prior_rmse_pct"] as! Double) < 1e-3)
        #expect((doc["designs"] as! Double) >= 2)
        let fittedSpace = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: fitted))) as! [String: Any]
        let accuracy = fittedSpace["accuracy"] as! [String: Any]
        #expect((accuracy["calibration"] as! [String: Any])["method"] as? String == "measured")
        #expect(Set((accuracy["sensitivity"] as! [String: Any]).keys) == ["c1", "c2", "fc"])
        let again = try CLI.run(["search", fitted, "--out", d.appendingPathComponent("again").path, "--quiet"])
        #expect(again.status == 0, "\(again.stderr)")
        let run = try JSONSerialization.jsonObject(with: Data(contentsOf: d.appendingPathComponent("again/run.json"))) as! [String: Any]
        #expect((run["accuracy"] as! [String: Any])["basis"] as? String == "calibrated")
    }

    @Test func probeFitsTheCommandProgram() throws {
        let d = try Self.dir()
        let space = try AccuracyCLITests.space(dir: d)
        let fitted = d.appendingPathComponent("fitted.json").path
        let r = try CLI.run(["calibrate", space, "--probe", "--out", fitted])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("drop curve") && r.stdout.contains("sensitivity_pct_per_nsr"))
        let accuracy = (try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: fitted))) as! [String: Any])["accuracy"] as! [String: Any]
        #expect(accuracy["estimator"] as? String == "proxy")
        #expect((accuracy["calibration"] as! [String: Any])["method"] as? String == "probe")
    }

    /// The digits example end to end: its program answers with injected noise, the output layer
    /// is the most sensitive, and the fit follows the answers before their collapse.
    @Test func digitsProbe() throws {
        let d = try Self.dir()
        let space = CLI.repoRoot.appendingPathComponent("SearchSpaces/digits-mlp.json").path
        let r = try CLI.run(["calibrate", space, "--probe", "--json", "--out", d.appendingPathComponent("fitted.json").path])
        #expect(r.status == 0, "\(r.stderr)")
        let doc = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        let s = doc["sensitivity"] as! [String: Double]
        #expect(s["fc3"]! > s["fc1"]! && s["fc1"]! > 5, "\(s)")
        #expect((doc["rmse_pct"] as! Double) < 1 && (doc["noise_free_accuracy_pct"] as! Double) > 90)
    }

    @Test func badInputIsOneLineExitTwoAndWritesNothing() throws {
        let d = try Self.dir()
        let space = try Self.proxySpace(dir: d)
        let fitted = d.appendingPathComponent("fitted.json").path
        let bad = try CLI.temporaryFile("design_id,out_channels,accuracy_pct\nd1,8|16|10,150\n", name: "bad.csv")
        let r = try CLI.run(["calibrate", space, "--measured", bad, "--out", fitted])
        #expect(r.status == 2)
        #expect(r.stderr.contains("row 2.accuracy_pct") && r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: fitted))
        let probe = try CLI.run(["calibrate", space, "--probe"])
        #expect(probe.status == 2 && probe.stderr.contains("$.accuracy.estimator"), "\(probe.stderr)")
        // Neither --measured nor --probe: a usage error, as for every subcommand's arguments.
        let neither = try CLI.run(["calibrate", space])
        #expect(neither.status == 64 && neither.stderr.contains("exactly one of --measured"), "\(neither.stderr)")
    }
}
