import Foundation
import Testing
@testable import XPertCore

@Suite("Noise on real data and synthetic families")
struct RealDataNoiseTests {
    /// Two linear layers: fc1 32 -> {16, 32}, fc2 -> 10, with `files` on fc2 (whose input
    /// channels follow fc1's choice, so fc2 has a real shape at 32 and a synthetic one at 16).
    static func space(files: String) throws -> SearchSpace {
        let text = """
        {"name": "real", "seed": 5,
         "workload": {"input": {"height": 1, "width": 1, "channels": 32}, "weight_bits": 8, "activation_bits": 8,
           "layers": [{"name": "fc1", "type": "linear", "out_channels": {"choices": [16, 32]}},
                      {"name": "fc2", "type": "linear", "out_channels": 10\(files)}]},
         "hardware": {"technology_nm": 32, "cell": "rram-1t1r", "crossbar": {"rows": 64, "cols": 64}},
         "choices": {"adc_type": ["sar"], "adc_bits": [3, 6], "column_sharing": [4], "input_bits": [4, 8]},
         "objectives": ["energy", "accuracy"],
         "accuracy": {"estimator": "proxy", "baseline_accuracy_pct": 90,
                      "noise": {"samples": 64, "columns": 10, "adc_range": "calibrated"}}}
        """
        return try SearchSpace.read(JSONNode(JSONValue.parse(Data(text.utf8))))
    }

    static func files(zeroFraction: Double, seed: UInt64) throws -> String {
        var rng = SplitMix64(seed: seed)
        func u() -> Float { Float(rng.next() % 10_000) / 10_000 }
        // Heavy-tailed weights (a few large outliers) and sparse activations.
        let weights = (0..<(10 * 32)).map { i in (u() - 0.5) * (i % 37 == 0 ? 20 : 1) }
        let activations = (0..<(200 * 32)).map { _ in u() < Float(zeroFraction) ? 0 : u() }
        let w = try NPYBytes.write(NPYBytes.file(header: NPYBytes.header(descr: "<f4", shape: "(10, 32)"), payload: NPYBytes.f4(weights)),
                                   name: "w\(seed).npy")
        let a = try NPYBytes.write(NPYBytes.file(header: NPYBytes.header(descr: "<f4", shape: "(200, 32)"), payload: NPYBytes.f4(activations)),
                                   name: "a\(seed).npy")
        return ", \"weights\": \"\(w)\", \"activations\": \"\(a)\""
    }

    @Test("the layer's own shape is measured on its real data, the other shapes on the families its statistics fit")
    func realDataAtItsOwnWidth() throws {
        let space = try Self.space(files: try Self.files(zeroFraction: 0.8, seed: 1))
        let spec = try #require(space.accuracy)
        let real = try #require(spec.realData[1])
        #expect(real.weights?.outputs == 10 && real.activations?.count == 64 && real.calibration?.count == 64)
        let families = real.fittedFamilies(default: (.normal, .normal))
        #expect(families.weights == .studentT(dof: 5))
        if case let .sparse(p) = families.activations { #expect(abs(p - 0.8) < 0.05) } else { Issue.record("expected sparse activations") }
        let tables = NoiseTables.build(space: space, settings: spec.noise, threads: 2)
        // The real shape equals a direct measurement of the real data.
        var direct = spec.noise
        direct.reference = .float
        let layer = FunctionalLayer(name: "fc2", weights: real.weights!, activations: real.activations!, calibration: real.calibration)
        let expected = Substrates(space: space).crossbar.measureErrors(layers: [layer], keys: [Substrates(space: space).crossbar.errorKey(inputBits: 4, adcBits: 3)],
                                                                       settings: direct, threads: 1)[0].values.first!
        #expect(tables.estimate(layer: 1, inChannels: 32, key: Substrates(space: space).crossbar.errorKey(inputBits: 4, adcBits: 3)) == expected)
        // Other data in the file: the real shape's NSR changes, the synthetic one's does not.
        let other = try Self.space(files: try Self.files(zeroFraction: 0.2, seed: 2))
        let otherTables = NoiseTables.build(space: other, settings: other.accuracy!.noise, threads: 2)
        let key = Substrates(space: space).crossbar.errorKey(inputBits: 4, adcBits: 3)
        #expect(otherTables.nsr(layer: 1, inChannels: 32, key: key) != tables.nsr(layer: 1, inChannels: 32, key: key))
        #expect(otherTables.nsr(layer: 0, inChannels: 32, key: key) == tables.nsr(layer: 0, inChannels: 32, key: key))
    }

    @Test("a real-data file of the wrong shape is refused at its path when the space is read")
    func wrongShapeIsRefused() throws {
        let a = try NPYBytes.write(NPYBytes.file(header: NPYBytes.header(descr: "<f4", shape: "(4, 16)"), payload: NPYBytes.f4(Array(repeating: 1, count: 64))),
                                   name: "bad.npy")
        do {
            _ = try Self.space(files: ", \"activations\": \"\(a)\"")
            Issue.record("a (4, 16) file read as fc2's (N, 32) activations")
        } catch let e as InputError {
            #expect(e.path == "$.workload.layers[1].activations", "\(e)")
        }
    }

    @Test("synthetic families: unit variance, their tails and zeros; heavy tails cost more at few input bits")
    func families() {
        for family in [DataFamily.normal, .laplace, .studentT(dof: 5), .sparse(zeroFraction: 0.7)] {
            let w = SyntheticData.weights(outputs: 100, rows: 200, distribution: family, seed: 3)
            let x = w.values.map { Double($0) * (200.0 / 2).squareRoot() }  // undo the He scale
            let variance = x.reduce(0) { $0 + $1 * $1 } / Double(x.count)
            #expect(abs(variance - 1) < 0.1, "\(family): variance \(variance)")
            let a = SyntheticData.activations(rows: 100, count: 100, seed: 3, family: family)
            #expect(a.values.allSatisfy { $0 >= 0 })
            if case let .sparse(p) = family {
                let zeros = Double(x.filter { $0 == 0 }.count) / Double(x.count)
                #expect(abs(zeros - p) < 0.02)
            }
        }
        let g = CrossbarGeometry(crossbarRows: 128, parallelRows: 128, bitsPerCell: 1, signScheme: .differential)
        let w = QuantisedWeights(SyntheticData.weights(outputs: 32, rows: 256, distribution: .normal, seed: 4), bits: 8)
        func nsr(_ family: DataFamily) -> Double {
            let samples = SyntheticData.activations(rows: 256, count: 64, seed: 4, family: family)
            let a = QuantisedActivations(samples, bits: 8)
            return FunctionalSimulator(weights: w, geometry: g).simulate(a, option: PrecisionOption(inputBits: 3, adcBits: 8)).nsrVsActivationBits
        }
        #expect(nsr(.studentT(dof: 3)) > 2 * nsr(.normal))
    }
}

@Suite("Noise-table cache")
struct NoiseCacheTests {
    @Test("a rerun reads the cached tables, equal to the simulated ones; other settings, a broken file or cache_dir false simulate")
    func cache() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("xpert-noise-cache-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let doc = Fixtures.smallSpaceJSON.setting([.key("accuracy")], to: .object([
            ("estimator", .string("proxy")), ("baseline_accuracy_pct", .number(90)),
            ("noise", .object([("samples", .number(16)), ("columns", .number(8)), ("adc_range", .string("calibrated"))])),
        ]))
        let path = dir.appendingPathComponent("space.json").path
        try Data(doc.serialized().utf8).write(to: URL(fileURLWithPath: path))
        let space = try SearchSpace.load(path: path)
        #expect(space.noiseCacheDirectory?.lastPathComponent == ".xpert-cache")
        let first = NoiseTables.build(space: space, settings: space.accuracy!.noise, threads: 2)
        let files = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent(".xpert-cache").path)
        #expect(files.count == 1 && files[0].hasPrefix("noise-"))
        let second = NoiseTables.build(space: space, settings: space.accuracy!.noise, threads: 1)
        #expect(second.tables == first.tables && second.inChannelChoices == first.inChannelChoices)
        // The same tables as a space read from memory (no cache).
        let plain = try SearchSpace.read(JSONNode(doc))
        #expect(plain.noiseCacheDirectory == nil)
        #expect(NoiseTables.build(space: plain, settings: plain.accuracy!.noise, threads: 2).tables == first.tables)
        // A broken file is simulated again (and rewritten).
        let file = dir.appendingPathComponent(".xpert-cache/" + files[0])
        try Data("[1, 2".utf8).write(to: file)
        #expect(NoiseTables.build(space: space, settings: space.accuracy!.noise, threads: 2).tables == first.tables)
        #expect(try Data(contentsOf: file).count > 10)
        // Other settings: another key.
        var other = space.accuracy!.noise
        other.samples = 8
        _ = NoiseTables.build(space: space, settings: other, threads: 2)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent(".xpert-cache").path).count == 2)
        // cache_dir false: nothing cached.
        let off = doc.setting([.key("accuracy"), .key("noise"), .key("cache_dir")], to: .bool(false))
        let offPath = dir.appendingPathComponent("off.json").path
        try Data(off.serialized().utf8).write(to: URL(fileURLWithPath: offPath))
        #expect(try SearchSpace.load(path: offPath).noiseCacheDirectory == nil)
    }
}
