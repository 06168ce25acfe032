import Foundation
import PropertyBased
import Testing
@testable import XPertCore

/// Helpers for the accuracy-estimator tests: the small fixture space (layers c1 [8, 16],
/// c2 [16, 32], c3 32, fc 10) and `accuracy` objects.
enum EstimatorFixtures {
    static let workload = try! Fixtures.smallSpace().workload

    static func json(_ text: String) -> JSONValue { try! JSONValue.parse(Data(text.utf8)) }

    /// Reads `text` as the space's `accuracy` object.
    static func read(_ text: String, base: URL = FileManager.default.temporaryDirectory) throws -> AccuracyConfig {
        try AccuracyConfig.read(JSONNode(json(text), path: "$.accuracy"), workload: workload, baseDirectory: base)
    }

    static func readError(_ text: String, base: URL = FileManager.default.temporaryDirectory) -> InputError? {
        do { _ = try read(text, base: base); return nil } catch let e as InputError { return e } catch {
            return InputError(path: "?", "unexpected error \(error)")
        }
    }

    static func proxy(_ text: String) throws -> ProxyEstimator {
        guard case let .proxy(p) = try read(text) else { throw InputError(path: "?", "not a proxy") }
        return p
    }

    static func design(_ c1: Int, _ c2: Int, adcBits: Int = 6, inputBits: Int = 8, adcType: ADCType = .sar) -> Design {
        Design(layers: [c1, c2, 32, 10].map {
            LayerDesign(outChannels: $0, adcType: adcType, adcBits: adcBits, columnSharing: 4, inputBits: inputBits)
        })
    }

    /// A fresh temporary directory.
    static func temporaryDirectory() -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("xpert-estimator-test-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

@Suite("Accuracy estimators: proxy")
struct EstimatorProxyTests {
    typealias F = EstimatorFixtures

    @Test("defaults: largest channels as baseline, 1/n width weights over the layers with a choice, MobileNet-fit law")
    func defaults() throws {
        let p = try F.proxy(#"{"estimator": "proxy", "baseline_accuracy_pct": 90}"#)
        #expect(p.baselineAccuracyPct == 90)
        #expect(p.baselineChannels == [16, 32, 32, 10])
        #expect(p.widthWeights == [0.5, 0.5, 0, 0])
        #expect(p.widthCoefficientPct == 7 && p.widthExponent == 1.4)
        #expect(p.sensitivity.pctPerNSR == [20, 20, 20, 20])
        // Halving every layer that has a choice costs the coefficient (one octave of uniform narrowing).
        #expect(abs(p.estimate(design: F.design(8, 16), nsr: [0, 0, 0, 0]).dropPct - 7) < 1e-12)
        #expect(p.estimate(design: F.design(16, 32), nsr: [0, 0, 0, 0]) == AccuracyEstimate(accuracyPct: 90, dropPct: 0))
    }

    @Test("hand-computed estimate with every key set")
    func arithmetic() throws {
        let p = try F.proxy("""
            {"estimator": "proxy", "baseline_accuracy_pct": 91.5, "baseline_channels": {"c1": 32},
             "width_coefficient_pct": 2, "width_exponent": 1, "width_weights": {"c1": 0.25, "fc": 1},
             "sensitivity": {"c3": 100}, "default_sensitivity_pct_per_nsr": 10}
            """)
        // c1: 32 -> 8 is 2 octaves * 0.25 * 2 = 1; c2: 32 -> 16 is 1 octave * 0.5 * 2 = 1; fc fixed at 10: 0.
        // noise: 10 * 0.01 + 10 * 0.02 + 100 * 0.003 + 10 * 0 = 0.6
        let e = p.estimate(design: F.design(8, 16), nsr: [0.01, 0.02, 0.003, 0])
        #expect(abs(e.dropPct - 2.6) < 1e-12)
        #expect(abs(e.accuracyPct - 88.9) < 1e-12)
        #expect(abs(p.widthTerm(layer: 0, outChannels: 8) - 1) < 1e-12)
        #expect(abs(p.noiseTerm(layer: 2, nsr: 0.003) - 0.3) < 1e-12)
        // Wider than the baseline gains nothing; a zero sensitivity ignores even an infinite NSR.
        #expect(p.widthTerm(layer: 0, outChannels: 64) == 0)
        let deaf = try F.proxy(#"{"estimator": "proxy", "baseline_accuracy_pct": 50, "default_sensitivity_pct_per_nsr": 0}"#)
        #expect(deaf.noiseTerm(layer: 1, nsr: .infinity) == 0)
    }

    @Test("the width law is a power of octaves: exponent 1.4 fits MobileNet v1's width multipliers")
    func mobileNetFit() throws {
        let p = ProxyEstimator(baselineAccuracyPct: 70.6, baselineChannels: [1024], widthWeights: [1],
                               sensitivity: NoiseSensitivity(pctPerNSR: [0]))
        // Measured drops (Howard et al. 2017, Table 6): 2.2, 6.9, 20.0 points at widths 0.75, 0.5, 0.25.
        for (channels, measured) in [(768, 2.2), (512, 6.9), (256, 20.0)] {
            #expect(abs(p.widthTerm(layer: 0, outChannels: channels) - measured) < 1.6, "width \(channels)/1024")
        }
    }

    static let designGen = zip(Gen.int(in: 3...4), Gen.int(in: 4...5),
                               Gen.double(in: 0...0.5).array(of: 4), Gen.double(in: 0...200).array(of: 4))

    @Test("estimate == baseline - sum of per-layer terms, and each term = width(layer, channels) + s_l * NSR_l")
    func linearity() async {
        await propertyCheck(count: 200, input: Self.designGen) { log1, log2, nsr, sensitivities in
            let (c1, c2) = (1 << log1, 1 << log2)
            let p = ProxyEstimator(baselineAccuracyPct: 90, baselineChannels: [16, 32, 32, 10], widthCoefficientPct: 3,
                                   widthExponent: 1.3, widthWeights: [0.5, 0.5, 0, 0],
                                   sensitivity: NoiseSensitivity(pctPerNSR: sensitivities))
            let design = F.design(c1, c2)
            let e = p.estimate(design: design, nsr: nsr)
            let terms = (0..<4).map { p.term(layer: $0, outChannels: design.layers[$0].outChannels, nsr: nsr[$0]) }
            #expect(abs(e.accuracyPct - (90 - terms.reduce(0, +))) < 1e-9)
            #expect(abs(e.dropPct - terms.reduce(0, +)) < 1e-9)
            for l in 0..<4 {
                #expect(abs(terms[l] - p.widthTerm(layer: l, outChannels: design.layers[l].outChannels)
                    - sensitivities[l] * nsr[l]) < 1e-9)
            }
            // Adding NSR to one layer changes only that layer's term, by s_l * delta.
            var more = nsr
            more[1] += 0.1
            #expect(abs(p.estimate(design: design, nsr: more).dropPct - e.dropPct - 0.1 * sensitivities[1]) < 1e-9)
        }
    }
}

@Suite("Accuracy estimators: configuration errors")
struct EstimatorConfigTests {
    typealias F = EstimatorFixtures

    @Test("every bad value is an InputError at its JSON path", arguments: [
        (#"{"baseline_accuracy_pct": 90}"#, "$.accuracy.estimator"),
        (#"{"estimator": "oracle"}"#, "$.accuracy.estimator"),
        (#"["proxy"]"#, "$.accuracy"),
        (#"{"estimator": "proxy"}"#, "$.accuracy.baseline_accuracy_pct"),
        (#"{"estimator": "proxy", "baseline_accuracy_pct": 120}"#, "$.accuracy.baseline_accuracy_pct"),
        (#"{"estimator": "proxy", "baseline_accuracy_pct": "90"}"#, "$.accuracy.baseline_accuracy_pct"),
        (#"{"estimator": "proxy", "baseline_accuracy_pct": 90, "path": "a.csv"}"#, "$.accuracy"),
        (#"{"estimator": "proxy", "baseline_accuracy_pct": 90, "colour": 1}"#, "$.accuracy"),
        (#"{"estimator": "proxy", "baseline_accuracy_pct": 90, "sensitivity": {"c3": -1}}"#, "$.accuracy.sensitivity.c3"),
        (#"{"estimator": "proxy", "baseline_accuracy_pct": 90, "sensitivity": {"c3": "high"}}"#, "$.accuracy.sensitivity.c3"),
        (#"{"estimator": "proxy", "baseline_accuracy_pct": 90, "sensitivity": {"conv9": 1}}"#, "$.accuracy.sensitivity.conv9"),
        (#"{"estimator": "proxy", "baseline_accuracy_pct": 90, "sensitivity": [1, 2]}"#, "$.accuracy.sensitivity"),
        (#"{"estimator": "proxy", "baseline_accuracy_pct": 90, "default_sensitivity_pct_per_nsr": -2}"#,
         "$.accuracy.default_sensitivity_pct_per_nsr"),
        (#"{"estimator": "proxy", "baseline_accuracy_pct": 90, "baseline_channels": {"c2": 0}}"#, "$.accuracy.baseline_channels.c2"),
        (#"{"estimator": "proxy", "baseline_accuracy_pct": 90, "width_exponent": 0}"#, "$.accuracy.width_exponent"),
        (#"{"estimator": "proxy", "baseline_accuracy_pct": 90, "width_coefficient_pct": -1}"#, "$.accuracy.width_coefficient_pct"),
        (#"{"estimator": "proxy", "baseline_accuracy_pct": 90, "width_weights": {"fc": -0.5}}"#, "$.accuracy.width_weights.fc"),
        (#"{"estimator": "table"}"#, "$.accuracy.path"),
        (#"{"estimator": "table", "path": "does-not-exist.csv"}"#, "$.accuracy.path"),
        (#"{"estimator": "table", "path": 3}"#, "$.accuracy.path"),
        (#"{"estimator": "command"}"#, "$.accuracy.argv"),
        (#"{"estimator": "command", "argv": []}"#, "$.accuracy.argv"),
        (#"{"estimator": "command", "argv": "python3 x.py"}"#, "$.accuracy.argv"),
        (#"{"estimator": "command", "argv": ["python3", 2]}"#, "$.accuracy.argv[1]"),
        (#"{"estimator": "command", "argv": [""]}"#, "$.accuracy.argv[0]"),
        (#"{"estimator": "command", "argv": ["no-such-program-xpert-test"]}"#, "$.accuracy.argv[0]"),
        (#"{"estimator": "command", "argv": ["./no-such-script.py"]}"#, "$.accuracy.argv[0]"),
        (#"{"estimator": "command", "argv": ["python3"], "timeout_s": 0}"#, "$.accuracy.timeout_s"),
        (#"{"estimator": "command", "argv": ["python3"], "max_parallel": 0}"#, "$.accuracy.max_parallel"),
        (#"{"estimator": "command", "argv": ["python3"], "max_parallel": 1.5}"#, "$.accuracy.max_parallel"),
        (#"{"estimator": "command", "argv": ["python3"], "cache_dir": ""}"#, "$.accuracy.cache_dir"),
        (#"{"estimator": "command", "argv": ["python3"], "sensitivity": {}}"#, "$.accuracy"),
    ])
    func errorPaths(text: String, path: String) {
        let e = F.readError(text)
        #expect(e?.path == path, "\(text): \(e.map { "\($0)" } ?? "no error")")
    }

    @Test("messages say what was expected")
    func messages() {
        #expect(F.readError(#"{"estimator": "oracle"}"#)?.message == #"expected "proxy" or "table" or "command", found "oracle""#)
        #expect(F.readError(#"{"estimator": "proxy", "baseline_accuracy_pct": 90, "sensitivity": {"conv9": 1}}"#)?.message
            == #"unknown layer "conv9", expected one of the workload's layers: c1, c2, c3, fc"#)
        #expect(F.readError(#"{"estimator": "proxy", "baseline_accuracy_pct": 90, "path": "a.csv"}"#)?.message.contains(
            "unknown key \"path\"") == true)
    }

    @Test("command defaults: one at a time, an hour, .xpert-cache in the base directory")
    func commandDefaults() throws {
        let base = URL(fileURLWithPath: "/tmp/some-space-dir")
        guard case let .command(c) = try F.read(#"{"estimator": "command", "argv": ["python3", "eval.py", "--fast"]}"#, base: base)
        else { Issue.record("not a command"); return }
        #expect(c.argv == ["python3", "eval.py", "--fast"])
        #expect(c.executable.lastPathComponent == "python3")
        #expect(c.maxParallel == 1 && c.timeoutS == 3600)
        #expect(c.cacheDirectory?.path == "/tmp/some-space-dir/.xpert-cache")
        #expect(c.workingDirectory == base)
        guard case let .command(d) = try F.read(#"{"estimator": "command", "argv": ["python3"], "cache_dir": "cache/acc", "timeout_s": 2.5, "max_parallel": 3}"#, base: base)
        else { Issue.record("not a command"); return }
        #expect(d.cacheDirectory?.path == "/tmp/some-space-dir/cache/acc" && d.timeoutS == 2.5 && d.maxParallel == 3)
    }
}

@Suite("Accuracy estimators: table")
struct EstimatorTableTests {
    typealias F = EstimatorFixtures

    @Test("RFC 4180 records: quotes, doubled quotes, line breaks inside quotes, CRLF, BOM, no final newline")
    func csvRecords() throws {
        let text = "\u{FEFF}a,\"b,c\",d\r\n1,\"say \"\"hi\"\"\",\"two\nlines\"\n3,,\"\"\n4,5,6"
        let records = try CSVReader.records(text)
        #expect(records.map(\.line) == [1, 2, 4, 5])
        #expect(records.map(\.fields) == [["a", "b,c", "d"], ["1", "say \"hi\"", "two\nlines"], ["3", "", ""], ["4", "5", "6"]])
        #expect(try CSVReader.records("a,b\n1,2\n\n\n").count == 2)
    }

    @Test("malformed CSV text names the line", arguments: [
        ("a,b\n1,\"2\n", 2, "unterminated quoted field"),
        ("a,b\n\n1,2\n", 2, "empty line"),
        ("a,b\n1,\"2\"x\n", 2, "unexpected character after a closing quote"),
        ("a,b\n1,2\"\n", 2, "a quote inside an unquoted field"),
    ])
    func csvErrors(text: String, line: Int, message: String) {
        #expect(throws: CSVError(line: line, message)) { try CSVReader.records(text) }
    }

    static let grid = """
        c1,c2,accuracy_pct
        8,16,80
        8,32,84
        32,16,88
        32,32,92

        """

    static func table(_ text: String = grid, sensitivity: [Double] = [0, 0, 0, 0]) throws -> TableEstimator {
        try TableEstimator.parse(csv: text, file: "acc.csv", workload: F.workload, sensitivity: NoiseSensitivity(pctPerNSR: sensitivity))
    }

    @Test("exact at every listed configuration")
    func exact() throws {
        let t = try Self.table()
        for (c1, c2, a) in [(8, 16, 80.0), (8, 32, 84.0), (32, 16, 88.0), (32, 32, 92.0)] {
            #expect(try t.accuracy(outChannels: [c1, c2, 32, 10]) == a)
        }
        #expect(t.ranges == [8...32, 16...32])
        #expect(t.baselineAccuracyPct == 92)
    }

    @Test("inverse-distance weighting in log2-channel space, power = columns + 1")
    func interpolation() throws {
        let t = try Self.table()
        // (16, 16): distances 1, sqrt 2, 1, sqrt 2 octaves to the four rows; power 3.
        let w = [1.0, pow(2, -1.5), 1.0, pow(2, -1.5)]
        let expected = (w[0] * 80 + w[1] * 84 + w[2] * 88 + w[3] * 92) / w.reduce(0, +)
        let got = try t.accuracy(outChannels: [16, 16, 32, 10])
        #expect(abs(got - expected) < 1e-12)
        // Inside the hull of the data: within the listed accuracies, and monotone here.
        #expect(got > 80 && got < 92)
        #expect(try t.accuracy(outChannels: [16, 24, 32, 10]) > got)
    }

    @Test("a configuration outside the table's range is an InputError naming the design's layer and the range")
    func outOfRange() throws {
        let t = try Self.table()
        #expect(throws: InputError(path: "$.layers[0].out_channels",
                                   "layer c1 has 4 output channels, outside the accuracy table's range 8...32 (column \"c1\" of acc.csv)")) {
            try t.accuracy(outChannels: [4, 16, 32, 10])
        }
        #expect(throws: InputError.self) { try t.estimate(design: F.design(16, 64), nsr: [0, 0, 0, 0]) }
    }

    @Test("noise terms are subtracted when sensitivities are given")
    func noise() throws {
        let t = try Self.table(sensitivity: [10, 0, 0, 50])
        let e = try t.estimate(design: F.design(8, 32), nsr: [0.1, 0.3, 0.3, 0.02])
        #expect(abs(e.accuracyPct - (84 - 1 - 1)) < 1e-12)
        #expect(abs(e.dropPct - 10) < 1e-12)
    }

    @Test("CSV content errors name the line", arguments: [
        ("c1,accuracy_pct\n8,90\n", 1, "missing column for layer c2 (it has several channel choices)"),
        ("c1,c2\n8,16\n", 1, "missing column accuracy_pct"),
        ("c1,c2,c2,accuracy_pct\n", 1, "duplicate column \"c2\""),
        ("c1,c2,c9,accuracy_pct\n", 1, "unknown column \"c9\", expected a workload layer name or accuracy_pct"),
        ("c1,c2,accuracy_pct\n", 1, "no data rows after the header"),
        ("c1,c2,accuracy_pct\n8,16,90\n8,16\n", 3, "2 fields, expected 3 (one per header column)"),
        ("c1,c2,accuracy_pct\n8,16,90\n8,x,91\n", 3, "column c2: expected a positive channel count, found \"x\""),
        ("c1,c2,accuracy_pct\n8,16,90\n8,0,91\n", 3, "column c2: expected a positive channel count, found \"0\""),
        ("c1,c2,accuracy_pct\n8,16,190\n", 2, "column accuracy_pct: expected a percentage in 0...100, found \"190\""),
        ("c1,c2,accuracy_pct\n8,16,90\n16,16,91\n8,16,92\n", 4, "duplicate configuration (also on line 2)"),
        ("", 1, "empty file, expected a header row"),
    ])
    func contentErrors(text: String, line: Int, message: String) {
        #expect(throws: CSVError(line: line, message)) { try Self.table(text) }
    }

    @Test("read from a file: relative to the base directory; a malformed file is an error at $.accuracy.path naming file and line")
    func fromFile() throws {
        let dir = F.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        try Data("\"c1\",c2,c3,accuracy_pct\r\n8,16,32,80\r\n16,32,32,90\r\n".utf8).write(to: dir.appendingPathComponent("acc.csv"))
        guard case let .table(t) = try F.read(#"{"estimator": "table", "path": "acc.csv", "sensitivity": {"c2": 5}}"#, base: dir)
        else { Issue.record("not a table"); return }
        #expect(t.layerNames == ["c1", "c2", "c3"] && t.layerColumns == [0, 1, 2])
        #expect(t.sensitivity.pctPerNSR == [20, 5, 20, 20])
        #expect(try t.accuracy(outChannels: [16, 32, 32, 10]) == 90)

        try Data("c1,c2,accuracy_pct\n8,16,80\n16,\"32,90\n".utf8).write(to: dir.appendingPathComponent("bad.csv"))
        let e = F.readError(#"{"estimator": "table", "path": "bad.csv"}"#, base: dir)
        #expect(e == InputError(path: "$.accuracy.path", "bad.csv line 3: unterminated quoted field"))
    }
}
