import Foundation
import Testing
@testable import XPertCore

/// `.npy` files written byte by byte, as NumPy writes them.
enum NPYBytes {
    static func header(descr: String, fortran: Bool = false, shape: String) -> String {
        "{'descr': '\(descr)', 'fortran_order': \(fortran ? "True" : "False"), 'shape': \(shape), }"
    }

    /// Magic, version, header length, the header padded with spaces and a newline so that the
    /// data start at a multiple of 64, then `payload`.
    static func file(version: UInt8 = 1, header: String, payload: [UInt8]) -> [UInt8] {
        let prefix = version == 1 ? 10 : 12
        var text = header
        while (prefix + text.utf8.count + 1) % 64 != 0 { text += " " }
        text += "\n"
        let n = text.utf8.count
        var out: [UInt8] = [0x93] + Array("NUMPY".utf8) + [version, 0]
        out += version == 1 ? [UInt8(n & 0xFF), UInt8(n >> 8)] : [UInt8(n & 0xFF), UInt8((n >> 8) & 0xFF), UInt8((n >> 16) & 0xFF), UInt8(n >> 24)]
        return out + Array(text.utf8) + payload
    }

    static func f4(_ xs: [Float]) -> [UInt8] { xs.flatMap { v in withUnsafeBytes(of: v.bitPattern.littleEndian) { Array($0) } } }
    static func f8(_ xs: [Double]) -> [UInt8] { xs.flatMap { v in withUnsafeBytes(of: v.bitPattern.littleEndian) { Array($0) } } }

    static func write(_ bytes: [UInt8], name: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("xpert-npy-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }
}

@Suite("NPY loader")
struct NPYLoaderTests {
    @Test("reads versions 1.0, 2.0 and 3.0 with <f4, <f8, |i1, <i1 and |u1 in C order")
    func readsSupportedFiles() throws {
        let a = try NPYArray.parse(NPYBytes.file(header: NPYBytes.header(descr: "<f4", shape: "(2, 3)"),
                                                 payload: NPYBytes.f4([1, -2, 3.5, 0, 0.25, -7])), path: "a.npy")
        #expect(a.shape == [2, 3] && a.dtype == .float32 && a.values == [1, -2, 3.5, 0, 0.25, -7])
        let b = try NPYArray.parse(NPYBytes.file(version: 2, header: NPYBytes.header(descr: "<f8", shape: "(3,)"),
                                                 payload: NPYBytes.f8([0.5, -1e-3, 42])), path: "b.npy")
        #expect(b.shape == [3] && b.dtype == .float64 && b.values == [0.5, Float(-1e-3), 42])
        for descr in ["|i1", "<i1"] {
            let c = try NPYArray.parse(NPYBytes.file(version: 3, header: NPYBytes.header(descr: descr, shape: "(2, 1, 2)"),
                                                     payload: [0x7F, 0x80, 0xFF, 0x01]), path: "c.npy")
            #expect(c.shape == [2, 1, 2] && c.dtype == .int8 && c.values == [127, -128, -1, 1])
        }
        let d = try NPYArray.parse(NPYBytes.file(header: NPYBytes.header(descr: "|u1", shape: "(2,)"), payload: [0, 255]), path: "d.npy")
        #expect(d.values == [0, 255])
        // A scalar, and a header with other spacing and key order.
        let e = try NPYArray.parse(NPYBytes.file(header: "{\"shape\":(),\"fortran_order\":False,\"descr\":\"<f4\"}",
                                                 payload: NPYBytes.f4([9])), path: "e.npy")
        #expect(e.shape == [] && e.values == [9])
        // From disk.
        let path = try NPYBytes.write(NPYBytes.file(header: NPYBytes.header(descr: "<f4", shape: "(1, 2)"), payload: NPYBytes.f4([3, 4])),
                                      name: "disk.npy")
        #expect(try NPYArray.load(path: path).values == [3, 4])
    }

    static func error(_ bytes: [UInt8]) -> InputError? {
        do { _ = try NPYArray.parse(bytes, path: "/data/w.npy"); return nil } catch let e as InputError { return e } catch { return nil }
    }

    @Test("broken files fail with the file's path and a clear message", arguments: [
        (NPYBytes.file(header: NPYBytes.header(descr: ">f4", shape: "(2,)"), payload: [UInt8](repeating: 0, count: 8)), "big-endian"),
        (NPYBytes.file(header: NPYBytes.header(descr: "<i4", shape: "(2,)"), payload: [UInt8](repeating: 0, count: 8)), "unsupported dtype '<i4'"),
        (NPYBytes.file(header: NPYBytes.header(descr: "<f4", fortran: true, shape: "(2, 2)"), payload: NPYBytes.f4([1, 2, 3, 4])), "Fortran-order"),
        (NPYBytes.file(header: NPYBytes.header(descr: "<f4", shape: "(2, 3)"), payload: NPYBytes.f4([1, 2, 3, 4, 5])), "truncated data: shape (2, 3) of <f4 needs 24 bytes, the file has 20"),
        (NPYBytes.file(header: NPYBytes.header(descr: "<f8", shape: "(1,)"), payload: NPYBytes.f8([1, 2])), "8 bytes of trailing data"),
        (Array(NPYBytes.file(header: NPYBytes.header(descr: "<f4", shape: "(1,)"), payload: NPYBytes.f4([1])).prefix(40)), "truncated .npy header"),
        (Array("PK\u{3}\u{4} not numpy at all".utf8), "not a NumPy .npy file"),
        (NPYBytes.file(version: 4, header: NPYBytes.header(descr: "<f4", shape: "(1,)"), payload: NPYBytes.f4([1])), "unsupported .npy format version 4.0"),
        (NPYBytes.file(header: "{'descr': '<f4', 'shape': (1,), }", payload: NPYBytes.f4([1])), "expected descr, fortran_order and shape"),
        (NPYBytes.file(header: "{'descr': '<f4', 'fortran_order': False, 'shape': (1, }", payload: NPYBytes.f4([1])), "malformed .npy header"),
        (NPYBytes.file(header: NPYBytes.header(descr: "<f4", shape: "(2,)"), payload: NPYBytes.f4([1, .nan])), "non-finite value nan at flat index 1"),
    ])
    func brokenFiles(bytes: [UInt8], message: String) {
        let e = Self.error(bytes)
        #expect(e?.path == "/data/w.npy")
        #expect(e?.message.contains(message) == true, "\(e?.message ?? "no error")")
    }

    @Test("a missing file is an InputError naming it")
    func missingFile() {
        #expect(throws: InputError(path: "/nonexistent/w.npy", "cannot read the file (no such file)")) {
            try NPYArray.load(path: "/nonexistent/w.npy")
        }
    }
}

@Suite("NPY layer tensors")
struct NPYLayerTensorTests {
    /// c1: conv 3x3, padding 1, 3 -> 8 channels on 8x8; fc: linear on 32 x 2 x 2.
    static let space = try! Fixtures.smallSpace()
    static var conv: Layer { space.workload.layers[0] }
    static var linear: Layer { space.workload.layers[3] }

    static func array(_ shape: [Int], _ f: (Int) -> Float = { Float($0) }) -> NPYArray {
        let n = shape.reduce(1, *)
        return NPYArray(shape: shape, dtype: .float32, values: (0..<n).map(f))
    }

    @Test("weights: (Cout, Cin, K, K) for conv and (Cout, in) for linear; other shapes fail")
    func weightShapes() throws {
        let w = try WeightMatrix(npy: Self.array([8, 3, 3, 3]), layer: Self.conv, inChannels: 3, outChannels: 8, path: "c1.npy")
        #expect(w.outputs == 8 && w.rows == 27 && w.values[27 + 4] == 31)
        let fc = try WeightMatrix(npy: Self.array([10, 128]), layer: Self.linear, inChannels: 32, outChannels: 10, path: "fc.npy")
        #expect(fc.rows == 128)
        for (shape, layer, cin, cout) in [([8, 3, 3], Self.conv, 3, 8), ([8, 3, 3, 3], Self.conv, 3, 16), ([3, 8, 3, 3], Self.conv, 3, 8),
                                          ([10, 129], Self.linear, 32, 10), ([10, 32, 2, 2], Self.linear, 32, 10)] {
            #expect(throws: InputError.self) {
                try WeightMatrix(npy: Self.array(shape), layer: layer, inChannels: cin, outChannels: cout, path: "bad.npy")
            }
        }
        do {
            _ = try WeightMatrix(npy: Self.array([8, 3, 5, 5]), layer: Self.conv, inChannels: 3, outChannels: 8, path: "bad.npy")
            Issue.record("a wrong weight shape was accepted")
        } catch let e as InputError {
            #expect(e.path == "bad.npy")
            #expect(e.message == "weights of layer c1 have shape (8, 3, 5, 5), expected (Cout, Cin, K, K) = (8, 3, 3, 3)")
        }
    }

    @Test("activations: (N, rows) vectors, or (N, C, H, W) maps cut into zero-padded patches")
    func activationShapes() throws {
        // Vectors: all kept when there are few, a seeded subset in order when there are many.
        let v = try ActivationSamples(npy: Self.array([5, 27]), layer: Self.conv, inChannels: 3, samples: 10, seed: 1, path: "a.npy")
        #expect(v.count == 5 && v.values == Self.array([5, 27]).values)
        let sub = try ActivationSamples(npy: Self.array([50, 27]), layer: Self.conv, inChannels: 3, samples: 4, seed: 1, path: "a.npy")
        let firsts = stride(from: 0, to: sub.values.count, by: 27).map { Int(sub.values[$0]) / 27 }
        #expect(sub.count == 4 && firsts == firsts.sorted() && Set(firsts).count == 4)
        #expect(try ActivationSamples(npy: Self.array([50, 27]), layer: Self.conv, inChannels: 3, samples: 4, seed: 1, path: "a.npy") == sub)
        // Maps: one image, all 64 positions; the patch at (y, x) = (0, 0) is padded on its top and left.
        let maps = try ActivationSamples(npy: Self.array([1, 3, 8, 8]), layer: Self.conv, inChannels: 3, samples: 1000, seed: 1, path: "m.npy")
        #expect(maps.count == 64 && maps.rows == 27)
        let patch0 = Array(maps.values[0..<27])
        // Channel 0 (values 0..63): rows -1, 0, 1 and columns -1, 0, 1.
        #expect(Array(patch0[0..<9]) == [0, 0, 0, 0, 0, 1, 0, 8, 9])
        #expect(Array(patch0[9..<18]) == [0, 0, 0, 0, 64, 65, 0, 72, 73])
        // Position (y, x) = (3, 4) of channel 2: rows 2...4, columns 3...5.
        let patch = Array(maps.values[(3 * 8 + 4) * 27..<(3 * 8 + 5) * 27])
        #expect(Array(patch[18..<27]) == [147, 148, 149, 155, 156, 157, 163, 164, 165].map(Float.init))
        // A linear layer flattens its input maps.
        let flat = try ActivationSamples(npy: Self.array([2, 32, 2, 2]), layer: Self.linear, inChannels: 32, samples: 8, seed: 1, path: "f.npy")
        #expect(flat.count == 2 && flat.rows == 128 && flat.values == Self.array([2, 32, 2, 2]).values)
        // Wrong shapes and negative values fail.
        for shape in [[5, 28], [1, 4, 8, 8], [1, 3, 8, 7], [0, 27], [27]] {
            #expect(throws: InputError.self) {
                try ActivationSamples(npy: Self.array(shape), layer: Self.conv, inChannels: 3, samples: 8, seed: 1, path: "a.npy")
            }
        }
        do {
            _ = try ActivationSamples(npy: Self.array([2, 27]) { $0 == 5 ? -0.5 : 1 }, layer: Self.conv, inChannels: 3, samples: 8, seed: 1, path: "neg.npy")
            Issue.record("negative activations were accepted")
        } catch let e as InputError {
            #expect(e.path == "neg.npy" && e.message.contains("non-negative") && e.message.contains("-0.5 at flat index 5"))
        }
    }

    @Test("a layer loaded from .npy files gives an NSR table")
    func endToEnd() throws {
        var rng = SplitMix64(seed: 5)
        let weights = (0..<(8 * 27)).map { _ in Float(Int(rng.next() % 255) - 127) }
        let activations = (0..<(2 * 3 * 8 * 8)).map { _ in Float(rng.next() % 256) / 255 }
        let wPath = try NPYBytes.write(NPYBytes.file(header: NPYBytes.header(descr: "<f4", shape: "(8, 3, 3, 3)"), payload: NPYBytes.f4(weights)),
                                       name: "c1-w.npy")
        let aPath = try NPYBytes.write(NPYBytes.file(version: 2, header: NPYBytes.header(descr: "<f8", shape: "(2, 3, 8, 8)"),
                                                     payload: NPYBytes.f8(activations.map(Double.init))), name: "c1-a.npy")
        let layer = try FunctionalLayer.load(layer: Self.conv, inChannels: 3, outChannels: 8, weightsPath: wPath, activationsPath: aPath,
                                             samples: 32, seed: 2)
        #expect(layer.weights.rows == 27 && layer.activations.count == 32)
        let tables = NSRTables.build(layers: [layer], hardware: Self.space.hardware, weightBits: 8, activationBits: 8,
                                     options: NSRTableOptions(inputBits: [4, 8], adcBits: [3, 8], bitsPerCell: [1, 2]), threads: 2)
        #expect(tables.count == 1 && tables[0].entries.count == 8)
        // 27 rows of 1-bit cells need 5 ADC bits; at 8 bits and 8 input bits the product is exact.
        #expect(tables[0].nsr(inputBits: 8, adcBits: 8, bitsPerCell: 1) == 0)
        #expect(tables[0].nsr(inputBits: 8, adcBits: 3, bitsPerCell: 1)! > 0)
        #expect(throws: InputError.self) {
            try FunctionalLayer.load(layer: Self.conv, inChannels: 3, outChannels: 16, weightsPath: wPath, activationsPath: aPath,
                                     samples: 32, seed: 2)
        }
    }
}
