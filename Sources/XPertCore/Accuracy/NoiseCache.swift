import Foundation

/// Noise tables kept on disk (`<directory>/noise-<key>.json`), so a rerun with the same noise
/// settings costs nothing. The key is the SHA-256 of everything the tables depend on: the
/// tool's version and this format, the seed, the noise settings, the number formats, the
/// crossbar geometry and DAISM settings, every simulated shape (layer, input channels, rows,
/// columns) with its error keys, and the bytes of any real weights and activations. A file
/// that is missing, unreadable or of another shape is recomputed; writes go to a temporary
/// file renamed into place, so readers never see half a file.
enum NoiseCache {
    /// Bumped whenever the simulation's results change for the same inputs.
    static let format = 1

    static func key(space: SearchSpace, settings: NoiseSettings, shapes: [(layer: Int, choice: Int, inChannels: Int)],
                    keys: [SubstrateKind: Set<ErrorKey>]) -> String {
        let workload = space.workload
        var text = "xpert-noise/\(format) \(XPertVersion.string)\nseed \(space.seed)\n"
        text += "samples \(settings.samples) columns \(settings.columns) range \(settings.range) reference \(settings.reference.rawValue) "
            + "weights \(settings.distribution) activations \(settings.activationFamily)\n"
        text += "bits \(workload.weightBits) \(workload.activationBits)\ngeometry \(CrossbarGeometry(hardware: space.hardware))\n"
        text += "daism \(space.daism.variants) \(space.daism.operandBits) \(DaismArray.maxRows)\n"
        for kind in SubstrateKind.allCases {
            if let k = keys[kind] { text += "\(kind.rawValue) keys " + k.sorted().map(\.description).joined(separator: ";") + "\n" }
        }
        for shape in shapes {
            let layer = workload.layers[shape.layer]
            text += "shape \(shape.layer) \(shape.choice) \(shape.inChannels) \(layer.weightRows(inChannels: shape.inChannels)) "
                + "\(layer.outChannelChoices.max()!) \(layer.kind)\n"
        }
        for (l, data) in (space.accuracy?.realData ?? []).enumerated() {
            guard let data else { continue }
            for (name, values) in [("weights", data.weights?.values), ("activations", data.activations?.values),
                                   ("calibration", data.calibration?.values)] {
                guard let values else { continue }
                let bytes = values.withUnsafeBytes { Array($0) }
                text += "real \(l) \(name) \(SHA256.hex(bytes))\n"
            }
        }
        return SHA256.hex(Array(text.utf8))
    }

    static func url(_ directory: URL, _ key: String) -> URL { directory.appendingPathComponent("noise-\(key).json") }

    /// The tables of `count` shapes, or nil.
    static func load(directory: URL, key: String, count: Int) -> [[ErrorKey: NoiseEstimate]]? {
        guard let data = try? Data(contentsOf: url(directory, key)),
              let node = try? JSONValue.parse(data), case let .array(shapes) = node, shapes.count == count else { return nil }
        var out: [[ErrorKey: NoiseEstimate]] = []
        for shape in shapes {
            guard case let .array(entries) = shape else { return nil }
            var table: [ErrorKey: NoiseEstimate] = [:]
            for entry in entries {
                guard case let .array(v) = entry, v.count == 7, case let .string(kind) = v[0], let substrate = SubstrateKind(rawValue: kind)
                else { return nil }
                var numbers: [Double] = []
                for x in v.dropFirst() {
                    switch x {
                    case let .number(n): numbers.append(n)
                    case .string("inf"): numbers.append(.infinity)  // an error on a zero signal
                    default: return nil
                    }
                }
                let values = SIMD4<Int32>(Int32(numbers[0]), Int32(numbers[1]), Int32(numbers[2]), Int32(numbers[3]))
                table[ErrorKey(substrate: substrate, values: values)] = NoiseEstimate(nsr: numbers[4], standardError: numbers[5])
            }
            out.append(table)
        }
        return out
    }

    /// Writes the tables; a failure (a read-only folder) only costs the next run the simulation.
    static func store(directory: URL, key: String, tables: [[ErrorKey: NoiseEstimate]]) {
        let value = JSONValue.array(tables.map { table in
            .array(table.keys.sorted().map { k in
                .array([.string(k.substrate.rawValue)] + (0..<4).map { .number(Double(k.values[$0])) }
                       + [table[k]!.nsr, table[k]!.standardError].map { $0.isFinite ? .number($0) : .string("inf") })
            })
        })
        let target = url(directory, key)
        let temporary = directory.appendingPathComponent(".noise-\(key)-\(ProcessInfo.processInfo.processIdentifier).tmp")
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try Data(value.serialized(indent: nil).utf8).write(to: temporary)
            guard rename(temporary.path, target.path) == 0 else { try? FileManager.default.removeItem(at: temporary); return }
        } catch {
            try? FileManager.default.removeItem(at: temporary)
        }
    }
}
