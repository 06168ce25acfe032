import Foundation
import Testing

@Suite("xpert search")
struct SearchCLITests {
    static func read(_ dir: String, _ file: String) throws -> String {
        try String(contentsOfFile: "\(dir)/\(file)", encoding: .utf8)
    }

    /// A results folder inside a parent folder of its own (so leftovers can be looked for).
    static func tempDir() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("xpert-search-\(UUID().uuidString)/results").path
    }

    @Test func sameBytesForAnyThreadCount() throws {
        let a = Self.tempDir(), b = Self.tempDir()
        let ra = try CLI.run(["search", CLI.space("vgg8-cifar10"), "--out", a, "--threads", "1", "--quiet"])
        let rb = try CLI.run(["search", CLI.space("vgg8-cifar10"), "--out", b, "--threads", "2", "--quiet"])
        #expect(ra.status == 0, "\(ra.stderr)")
        #expect(rb.status == 0, "\(rb.stderr)")
        #expect(ra.stderr.isEmpty)
        for file in ["pareto.csv", "designs.json", "breakdown.csv", "pareto.svg", "run.json"] {
            #expect(try Self.read(a, file) == Self.read(b, file), "\(file) differs between thread counts")
        }
        let run = try JSONSerialization.jsonObject(with: Data(try Self.read(b, "run.json").utf8)) as! [String: Any]
        #expect((run["input_sha256"] as? String)?.count == 64)
        let timings = try JSONSerialization.jsonObject(with: Data(try Self.read(b, "timings.json").utf8)) as! [String: Any]
        #expect(timings["threads"] as? Int == 2)
    }

    @Test func designsReproduceTheirRows() throws {
        let dir = Self.tempDir()
        let r = try CLI.run(["search", CLI.space("vgg8-cifar10"), "--out", dir, "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        let csv = try Self.read(dir, "pareto.csv").split(separator: "\r\n").map { $0.split(separator: ",").map(String.init) }
        let header = csv[0]
        #expect(Array(header.prefix(10)) == ["design_id", "energy_uj", "latency_ms", "area_mm2", "accuracy_pct", "accuracy_drop_pct",
                                             "edap", "tops_per_w", "tops_per_mm2", "ops"])
        let eval = try CLI.run(["evaluate", CLI.space("vgg8-cifar10"), "--design", "\(dir)/designs.json", "--json"])
        #expect(eval.status == 0, "\(eval.stderr)")
        // Compare the printed numbers as text: both sides print the shortest exact form.
        for (column, key) in [(1, "energy_uj"), (2, "latency_ms"), (3, "area_mm2"), (4, "accuracy_pct"), (5, "accuracy_drop_pct"), (6, "edap")] {
            let printed = eval.stdout.split(separator: "\n").filter { $0.contains("\"\(key)\": ") }.map {
                String($0.split(separator: ": ")[1].trimmingCharacters(in: CharacterSet(charactersIn: ", ")))
            }
            #expect(printed == csv.dropFirst().map { $0[column] }, "\(key)")
        }
        // No row dominates another on the objectives (energy, latency, accuracy drop) and every row meets the area budget.
        let values = csv.dropFirst().map { [Double($0[1])!, Double($0[2])!, Double($0[5])!] }
        for (i, p) in values.enumerated() {
            #expect(Double(csv[i + 1][3])! <= 100)
            for (j, q) in values.enumerated() where i != j {
                #expect(!(zip(q, p).allSatisfy { $0 <= $1 } && q != p), "row \(j + 1) dominates row \(i + 1)")
            }
        }
    }

    @Test func infeasibleBudgetNamesTheConstraintAndWritesNothing() throws {
        var text = try CLI.relocatedSpaceText("vgg8-cifar10")
        text = text.replacingOccurrences(of: "\"area_mm2\": 100", with: "\"area_mm2\": 0.5")
        let exact = try CLI.temporaryFile(text)
        let twoPhase = try CLI.temporaryFile(text.replacingOccurrences(of: "\"command_designs\": 48", with: "\"method\": \"two-phase\""))
        let dir = Self.tempDir()
        let r = try CLI.run(["search", twoPhase, "--out", dir, "--quiet"])
        #expect(r.status == 2)
        #expect(r.stderr.hasPrefix("error: \(twoPhase): $.constraints.area_mm2: no architecture fits area_mm2 = 0.5"))
        #expect(r.stderr.contains("the smallest needs"))
        #expect(r.stderr.split(separator: "\n").count == 1)
        #expect(!FileManager.default.fileExists(atPath: dir))
        // The exact method names the least area any design needs.
        let e = try CLI.run(["search", exact, "--out", dir, "--quiet"])
        #expect(e.status == 2)
        #expect(e.stderr.hasPrefix("error: \(exact): $.constraints.area_mm2: no design meets the constraints: area_mm2 = 0.5 needs at least "))
        #expect(e.stderr.split(separator: "\n").count == 1)
        #expect(!FileManager.default.fileExists(atPath: dir))
    }

    @Test func latencyBudgetBelowEveryDesign() throws {
        var text = try CLI.relocatedSpaceText("vgg8-cifar10")
        text = text.replacingOccurrences(of: "\"area_mm2\": 100", with: "\"area_mm2\": 100, \"latency_ms\": 0.001")
        let space = try CLI.temporaryFile(text)
        let dir = Self.tempDir()
        let r = try CLI.run(["search", space, "--out", dir, "--quiet"])
        #expect(r.status == 2)
        #expect(r.stderr.hasPrefix("error: \(space): $.constraints.latency_ms: no design meets the constraints: latency_ms = 0.001 needs at least "))
        #expect(!FileManager.default.fileExists(atPath: dir))
    }

    @Test func resultsReplaceAnEarlierRunWhole() throws {
        let dir = Self.tempDir()
        let first = try CLI.run(["search", CLI.space("resnet18-tinyimagenet"), "--out", dir, "--quiet"])
        #expect(first.status == 0, "\(first.stderr)")
        let r = try CLI.run(["search", CLI.space("vgg8-cifar10"), "--out", dir, "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).sorted()
        #expect(files == ["breakdown.csv", "designs.json", "pareto.csv", "pareto.svg", "run.json", "timings.json"])
        #expect(try Self.read(dir, "run.json").contains("vgg8-cifar10.json"))
        let parent = URL(fileURLWithPath: dir).deletingLastPathComponent().path
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: parent).filter { $0.hasPrefix(".xpert-") }
        #expect(leftovers.isEmpty)
    }
}
