import Foundation
import Testing

/// `xpert reprogram` on a chip small enough to count by hand, with weights from `.npy` files;
/// the chip stage in `search`; its input errors.
@Suite("Reprogram command")
struct ReprogramCLITests {
    /// A `.npy` of float32 values (version 1.0, C order).
    static func npy(_ values: [Float], shape: String) -> Data {
        var header = "{'descr': '<f4', 'fortran_order': False, 'shape': \(shape), }"
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        let n = header.utf8.count
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(n & 0xFF), UInt8(n >> 8)] + Array(header.utf8)
        for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes += $0 } }
        return Data(bytes)
    }

    /// Two 8-input, 1-output linear layers at 3-bit weights on 8x8 crossbars: each fills one
    /// crossbar (2 slices x 2 sign columns); the chip has one, so they alternate.
    static func space(chip: String = "\"chip_crossbars\": 1,", reprogramming: String = "", constraints: String = "",
                      secondShape: String = "(1, 8)") throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("xpert-reprogram-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try npy(Array(repeating: 1, count: 8), shape: "(1, 8)").write(to: dir.appendingPathComponent("a.npy"))
        try npy(Array(repeating: -1, count: 8), shape: secondShape).write(to: dir.appendingPathComponent("b.npy"))
        let text = """
        {"name": "two", "workload": {"input": {"height": 1, "width": 1, "channels": 8}, "weight_bits": 3,
          "layers": [{"name": "a", "type": "linear", "out_channels": 1, "weights": "a.npy"},
                     {"name": "b", "type": "linear", "out_channels": 1, "input": "input", "weights": "b.npy"}]},
         "hardware": {"technology_nm": 32, "cell": "rram-1t1r", \(chip) "crossbar": {"rows": 8, "cols": 8}},
         "choices": {"adc_type": ["sar"], "adc_bits": [4], "column_sharing": [1], "input_bits": [8]}
         \(reprogramming) \(constraints)}
        """
        let url = dir.appendingPathComponent("space.json")
        try Data(text.utf8).write(to: url)
        return url.path
    }

    @Test("exact counts per policy on two alternating crossbars, from .npy weights")
    func handCounted() throws {
        let r = try CLI.run(["reprogram", try Self.space(reprogramming: ", \"reprogramming\": {\"policies\": [\"rewrite-all\", \"changed-only\"]}"), "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(json["chip_crossbars"] as? Double == 1 && json["crossbars_needed"] as? Double == 2)
        let policies = try #require(json["policies"] as? [[String: Any]])
        // Codes +3 and -3: the positive pair and the negative pair swap, 32 cells each way;
        // rewrite-all programs 8 x 8 cells per load, two loads.
        #expect(policies.map { $0["writes_per_inference"] as? Double } == [128, 64])
        #expect(policies.map { $0["reduction_vs_rewrite_all"] as? Double } == [1, 2])
        #expect(policies.map { $0["max_cell_writes_per_inference"] as? Double } == [2, 2])
        #expect(policies.map { $0["lifetime_inferences"] as? Double } == [5e5, 5e5])
        // 0.6 pJ per cell write (the plug-in's SET energy); 8 rows per load at 272.7 ns a row.
        let energy = try #require(policies[1]["write_energy_uj"] as? Double)
        #expect(abs(energy - 64 * 0.6e-6) < 1e-12)
        let time = try #require(policies[1]["write_time_ms"] as? Double)
        #expect(abs(time - 16 * 0.6e-12 / (4 * 1.1e-6 / 2) * 1e3) < 1e-12)
        for key in ["reduction_vs_changed_only", "nsr", "accuracy_drop_pct", "policy", "chip_area_mm2"] { #expect(policies[0][key] != nil) }
    }

    @Test("a resident chip writes nothing; the search adds the chip's columns and says what is approximate")
    func residentAndSearch() throws {
        let resident = try CLI.run(["reprogram", try Self.space(chip: ""), "--json"])
        #expect(resident.status == 0, "\(resident.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(resident.stdout.utf8)) as? [String: Any])
        let policies = try #require(json["policies"] as? [[String: Any]])
        #expect(json["schedule"] as? String == "resident" && policies.allSatisfy { $0["writes_per_inference"] as? Double == 0 })
        // A chip far larger than the design holds it whole, without a slot per idle crossbar.
        let huge = try CLI.run(["reprogram", try Self.space(), "--chip-crossbars", "\(Int32.max)", "--json"])
        #expect(huge.status == 0 && huge.stdout.contains("\"resident\""), "\(huge.stderr)")
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("xpert-chip-\(UUID().uuidString)")
        let only = ", \"reprogramming\": {\"policies\": [\"rewrite-all\", \"changed-only\"]}"
        let search = try CLI.run(["search", try Self.space(reprogramming: only), "--out", out.path, "--quiet"])
        #expect(search.status == 0, "\(search.stderr)")
        let csv = try String(contentsOf: out.appendingPathComponent("pareto.csv"), encoding: .utf8)
        #expect(csv.hasPrefix("design_id,") && csv.contains("chip_crossbars,reprogram_policy,stuck_columns,stuck_fraction,writes_per_inference"))
        #expect(csv.contains(",changed-only,,,64,"))
        // evaluate reports the same design on the chip with the same totals as the frontier row.
        let spaceFile = try Self.space(reprogramming: only)
        let evaluated = try CLI.run(["evaluate", spaceFile, "--design", out.appendingPathComponent("designs.json").path, "--json"])
        #expect(evaluated.status == 0, "\(evaluated.stderr)")
        let designs = try #require(try JSONSerialization.jsonObject(with: Data(evaluated.stdout.utf8)) as? [[String: Any]])
        let chip = try #require(designs.first?["chip"] as? [[String: Any]])
        let changed = try #require(chip.first { $0["policy"] as? String == "changed-only" }?["total"] as? [String: Any])
        let row = csv.split(whereSeparator: \.isNewline)[1].split(separator: ",")
        #expect(abs((changed["energy_uj"] as? Double ?? 0) - Double(row[1])!) <= 1e-12 * Double(row[1])!)
        #expect(abs((changed["area_mm2"] as? Double ?? 0) - Double(row[3])!) <= 1e-12 * Double(row[3])!)
        let run = try String(contentsOf: out.appendingPathComponent("run.json"), encoding: .utf8)
        #expect(run.contains("\"chip\"") && run.contains("approximate"))
        // A lifetime no policy reaches leaves nothing to report.
        let tooLong = try CLI.run(["search", try Self.space(constraints: ", \"constraints\": {\"lifetime_inferences\": 1e9}"),
                                   "--out", out.path + "-2", "--quiet"])
        #expect(tooLong.status == 2 && tooLong.stderr.contains("lifetime_inferences"), "\(tooLong.stderr)")
    }

    @Test("chip sizes as choices: the frontier trades the small chip's area against the large one's writes")
    func chipSizeChoices() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("xpert-chips-\(UUID().uuidString)")
        let only = ", \"reprogramming\": {\"policies\": [\"changed-only\"]}"
        let r = try CLI.run(["search", try Self.space(chip: "\"chip_crossbars\": {\"choices\": [1, 2]},", reprogramming: only),
                             "--out", out.path, "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        let rows = try String(contentsOf: out.appendingPathComponent("pareto.csv"), encoding: .utf8).split(whereSeparator: \.isNewline)
        // Two crossbars hold both layers (no writes, twice the area); one rewrites them.
        #expect(rows.count == 3)
        #expect(rows.contains { $0.contains(",2,resident,,,0,") } && rows.contains { $0.contains(",1,changed-only,,,64,") }, "\(rows)")
    }

    @Test("writes and lifetime as objectives: the chip stage's figures decide the frontier")
    func chipObjectives() throws {
        let policies = ", \"reprogramming\": {\"policies\": [\"rewrite-all\", \"changed-only\"]}"
        for objective in ["writes", "lifetime"] {
            let out = FileManager.default.temporaryDirectory.appendingPathComponent("xpert-objective-\(UUID().uuidString)")
            let r = try CLI.run(["search", try Self.space(chip: "\"chip_crossbars\": {\"choices\": [1, 2]},", reprogramming: policies,
                                                          constraints: ", \"objectives\": [\"area\", \"\(objective)\"]"),
                                 "--out", out.path, "--quiet"])
            #expect(r.status == 0, "\(r.stderr)")
            let rows = try String(contentsOf: out.appendingPathComponent("pareto.csv"), encoding: .utf8).split(whereSeparator: \.isNewline)
            // The small chip (least area) rewriting only changed cells, and the resident chip
            // (no writes); rewrite-all writes more on the same area, so it is dominated for writes
            // and tied on the worst cell (2 writes), where the smaller path wins.
            #expect(rows.count == 3, "\(rows)")
            #expect(rows.contains { $0.contains(",2,resident,,,0,") }, "\(rows)")
            #expect(rows.contains { $0.contains(",1,") && !$0.contains(",2,resident,") }, "\(rows)")
            if objective == "writes" { #expect(rows.contains { $0.contains(",1,changed-only,,,64,") }, "\(rows)") }
        }
    }

    @Test("stuck_columns and stuck_fraction as choices: one sorted+stuck run per pair")
    func stuckChoices() throws {
        let settings = ", \"reprogramming\": {\"policies\": [\"sorted\", \"sorted+stuck\"], \"stuck_columns\": {\"choices\": [1, 2]}, "
            + "\"stuck_fraction\": {\"choices\": [0, 1]}}"
        let r = try CLI.run(["reprogram", try Self.space(reprogramming: settings), "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let policies = try #require(json["policies"] as? [[String: Any]])
        let stuck = policies.filter { $0["policy"] as? String == "sorted+stuck" }
        #expect(stuck.map { "\($0["stuck_columns"] ?? "-") \($0["stuck_fraction"] ?? "-")" } == ["1 0", "1 1", "2 0", "2 1"])
        let sorted = try #require(policies.first?["writes_per_inference"] as? Double)
        let writes = stuck.compactMap { $0["writes_per_inference"] as? Double }
        // f = 1 writes every due cell (as sorted); f = 0 in slice 0 or in both slices writes fewer.
        #expect(writes[1] == sorted && writes[3] == sorted && writes[0] < sorted && writes[2] < writes[0], "\(writes) vs \(sorted)")
        // The search keeps the pairs apart.
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("xpert-stuck-\(UUID().uuidString)")
        let search = try CLI.run(["search", try Self.space(reprogramming: settings, constraints: ", \"objectives\": [\"writes\", \"energy\"]"),
                                  "--out", out.path, "--quiet"])
        #expect(search.status == 0, "\(search.stderr)")
        let csv = try String(contentsOf: out.appendingPathComponent("pareto.csv"), encoding: .utf8)
        #expect(csv.contains(",sorted+stuck,2,0,"), "\(csv)")
    }

    @Test("bad input: one line naming the path, exit 2")
    func badInput() throws {
        let cases: [(String, String)] = [
            (try Self.space(reprogramming: ", \"reprogramming\": {\"stuck_fraction\": 2}"), "$.reprogramming.stuck_fraction"),
            (try Self.space(reprogramming: ", \"reprogramming\": {\"stuck_columns\": {\"choices\": [1, 1]}}"), "$.reprogramming.stuck_columns.choices[1]"),
            (try Self.space(reprogramming: ", \"reprogramming\": {\"policies\": [\"sorted\", \"sorted\"]}"), "$.reprogramming.policies[1]"),
            (try Self.space(chip: "", constraints: ", \"constraints\": {\"writes_per_inference\": 5}"), "$.constraints.writes_per_inference"),
            (try Self.space(chip: "\"chip_crossbars\": 0,"), "$.hardware.chip_crossbars"),
            (try Self.space(chip: "\"chip_crossbars\": {\"choices\": [2, 2]},"), "$.hardware.chip_crossbars.choices[1]"),
            (try Self.space(secondShape: "(1, 9)"), "$.workload.layers[1].weights"),
            (try Self.space(chip: "", constraints: ", \"objectives\": [\"energy\", \"writes\"]"), "$.objectives[1]"),
            (try Self.space(constraints: ", \"objectives\": [\"lifetime\"], \"search\": {\"method\": \"two-phase\"}"), "$.objectives[0]"),
        ]
        for (file, path) in cases {
            let r = try CLI.run(["reprogram", file])
            #expect(r.status == 2, "\(path): \(r.stderr)")
            #expect(r.stderr.contains(path), "\(r.stderr)")
            #expect(r.stderr.split(separator: "\n").count == 1)
        }
    }
}
