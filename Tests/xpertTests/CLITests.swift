import Foundation
import Testing

/// Runs the built `xpert` executable as a user would.
enum CLI {
    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The `xpert` binary sits beside the test bundle in the build products folder.
    static let binary: URL = {
        var dir = Bundle.main.bundleURL
        for _ in 0..<4 {
            let candidate = dir.appendingPathComponent("xpert")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            dir.deleteLastPathComponent()
        }
        return Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("xpert")
    }()

    struct Result { var status: Int32; var stdout: String; var stderr: String }

    static func run(_ arguments: [String], in directory: URL? = nil) throws -> Result {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = directory ?? repoRoot
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }

    static func space(_ name: String) -> String { repoRoot.appendingPathComponent("SearchSpaces/\(name).json").path }

    /// A shipped space's text with its relative accuracy-script path made absolute, so that a
    /// modified copy can live in a temporary folder.
    static func relocatedSpaceText(_ name: String) throws -> String {
        try String(contentsOfFile: space(name), encoding: .utf8)
            .replacingOccurrences(of: "\"../Examples/", with: "\"\(repoRoot.path)/Examples/")
    }

    static func temporaryFile(_ text: String, name: String = "doc.json") throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("xpert-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }
}

@Suite("Command line")
struct CLITests {
    @Test func validateShippedSpace() throws {
        let r = try CLI.run(["validate", CLI.space("vgg16-cifar10")])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("ok: 14 layers"))
    }

    @Test func invalidSpaceGivesOneLineAndStatus2() throws {
        var text = try String(contentsOfFile: CLI.space("vgg8-cifar10"), encoding: .utf8)
        text = text.replacingOccurrences(of: "\"rows\": 128", with: "\"rows\": 100")
        let path = try CLI.temporaryFile(text)
        for command in ["validate", "evaluate"] {
            let r = try CLI.run([command, path])
            #expect(r.status == 2)
            #expect(r.stdout.isEmpty)
            #expect(r.stderr == "error: \(path): $.hardware.crossbar.rows: expected a power of two in 8...4096, found 100\n")
        }
    }

    @Test func missingFileAndBadJSON() throws {
        let missing = try CLI.run(["validate", "/nonexistent/space.json"])
        #expect(missing.status == 2)
        #expect(missing.stderr.hasPrefix("error: /nonexistent/space.json: $: cannot read the file"))
        let bad = try CLI.run(["validate", try CLI.temporaryFile("{\"name\": }")])
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("invalid JSON at line 1, column 10"))
    }

    @Test func evaluateBaselineJSON() throws {
        // A lighter noise simulation than the shipped one: this runs in a debug build.
        let text = try CLI.relocatedSpaceText("vgg16-cifar10")
            .replacingOccurrences(of: "\"samples\": 64", with: "\"samples\": 4")
            .replacingOccurrences(of: "\"columns\": 32", with: "\"columns\": 4")
        let r = try CLI.run(["evaluate", try CLI.temporaryFile(text), "--baseline", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let doc = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        let layers = doc["layers"] as! [[String: Any]]
        #expect(layers.count == 14)
        let first = layers[0]
        for key in ["name", "crossbars", "adcs", "adc_conversions", "macs", "area_um2", "energy_pj", "latency_ns", "nsr"] {
            #expect(first[key] != nil, "missing \(key)")
        }
        let area = first["area_um2"] as! [String: Double]
        #expect(Set(area.keys) == ["adc", "cell_array", "row_drivers", "column_mux", "shift_add", "adder_tree",
                                   "buffer", "interconnect", "other", "total"])
        let totalMembers = doc["total"] as! [String: Any]
        #expect(totalMembers["accuracy_basis"] as? String == "prior")
        let total = totalMembers.compactMapValues { $0 as? Double }
        for key in ["area_mm2", "energy_uj", "latency_ms", "ops", "tops_per_w", "tops_per_mm2", "edap"] {
            #expect((total[key] ?? 0) > 0, "total \(key)")
        }
        // The baseline is the proxy's reference network at 8-bit precision: against the float
        // product only its weight and activation quantisation remain, a small drop.
        let drop = try #require(total["accuracy_drop_pct"])
        #expect(drop > 0 && drop < 0.5)
        #expect(abs(total["accuracy_pct"]! - (92.64 - drop)) < 1e-9)
        #expect(first["nsr_standard_error"] != nil)
        // This VGG16 (pools after conv2, 4, 7, 10) has 313,196,544 conv MACs and 2048 x 10 classifier MACs.
        #expect(total["ops"].map { Int($0) } == 2 * (313_196_544 + 20_480))
    }

    @Test func evaluateDesignArrayAndDeterminism() throws {
        let base = try CLI.run(["evaluate", CLI.space("vgg8-cifar10"), "--json"])
        #expect(base.status == 0, "\(base.stderr)")
        // The baseline design, written out and read back as a two-design array.
        let doc = try JSONSerialization.jsonObject(with: Data(base.stdout.utf8)) as! [String: Any]
        let layers = (doc["layers"] as! [[String: Any]]).map { l in
            ["name", "out_channels", "adc_type", "adc_bits", "column_sharing", "input_bits"].reduce(into: [String: Any]()) { $0[$1] = l[$1] }
        }
        var cheaper = layers
        for i in cheaper.indices { cheaper[i]["input_bits"] = 4 }
        let designs = try JSONSerialization.data(withJSONObject: [["layers": layers], ["layers": cheaper]])
        let path = try CLI.temporaryFile(String(decoding: designs, as: UTF8.self))
        let r = try CLI.run(["evaluate", CLI.space("vgg8-cifar10"), "--design", path, "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let results = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [[String: Any]]
        #expect(results.count == 2)
        let t0 = (results[0]["total"] as! [String: Any]).compactMapValues { $0 as? Double }, t1 = (results[1]["total"] as! [String: Any]).compactMapValues { $0 as? Double }
        #expect(t0 == ((doc["total"] as! [String: Any]).compactMapValues { $0 as? Double }))
        #expect(t1["energy_uj"]! < t0["energy_uj"]!)
        #expect(t1["latency_ms"]! < t0["latency_ms"]!)
        let again = try CLI.run(["evaluate", CLI.space("vgg8-cifar10"), "--design", path, "--json"])
        #expect(again.stdout == r.stdout)
    }

    @Test func designErrorsNameTheDesignFile() throws {
        let path = try CLI.temporaryFile("{\"layers\": []}")
        let r = try CLI.run(["evaluate", CLI.space("vgg8-cifar10"), "--design", path])
        #expect(r.status == 2)
        #expect(r.stderr == "error: \(path): $.layers: expected 8 layer entries (one per workload layer), found 0\n")
    }

    @Test func tableOutput() throws {
        let r = try CLI.run(["evaluate", CLI.space("resnet18-tinyimagenet")])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("s2down"))
        #expect(r.stdout.contains("TOPS/W"))
    }
}
