/// Real layer data from NumPy files, checked against the layer's shape.
///
/// Weights: a conv layer's as `(Cout, Cin, K, K)` (PyTorch's `Conv2d.weight`), a linear
/// layer's as `(Cout, in)` with `in = Cin * H * W` of its input (PyTorch's `Linear.weight`,
/// input flattened in `(C, H, W)` order).
///
/// Activations (the layer's input, non-negative, e.g. after the previous ReLU), either
/// - `(N, rows)`: `N` ready-made activation vectors in the weight-row order (a conv layer's
///   im2col patches in `(Cin, K, K)` order, a linear layer's flattened input), or
/// - `(N, Cin, H, W)`: `N` input feature maps of the layer's input size; a conv layer's
///   vectors are the zero-padded patches at output positions `(n, y, x)`, a linear layer's
///   the flattened maps.
/// When there are more vectors (or output positions) than `samples`, `samples` of them are
/// drawn without replacement (seeded, kept in their original order).
extension WeightMatrix {
    /// The `.npy` shape of a layer's weights at these channels, and its form in words.
    static func npyShape(layer: Layer, inChannels: Int, outChannels: Int) -> (shape: [Int], form: String) {
        switch layer.kind {
        case let .conv(k, _, _): return ([outChannels, inChannels, k, k], "(Cout, Cin, K, K)")
        case .linear: return ([outChannels, layer.weightRows(inChannels: inChannels)], "(Cout, in)")
        }
    }

    public init(npy array: NPYArray, layer: Layer, inChannels: Int, outChannels: Int, path: String) throws {
        let (expected, form) = Self.npyShape(layer: layer, inChannels: inChannels, outChannels: outChannels)
        guard array.shape == expected else {
            throw InputError(path: path, "weights of layer \(layer.name) have shape \(array.shapeDescription), expected \(form) = \(NPYArray.describe(expected))")
        }
        self.init(outputs: outChannels, rows: array.values.count / outChannels, values: array.values)
    }
}

extension ActivationSamples {
    public init(npy array: NPYArray, layer: Layer, inChannels: Int, samples: Int, seed: UInt64, path: String) throws {
        precondition(samples > 0)
        let rows = layer.weightRows(inChannels: inChannels)
        let (c, h, w) = (inChannels, layer.inputHeight, layer.inputWidth)
        if let bad = array.values.firstIndex(where: { $0 < 0 }) {
            throw InputError(path: path, "activations must be non-negative (the input of an unsigned bit-serial crossbar), found \(array.values[bad]) at flat index \(bad)")
        }
        func pick(_ total: Int) -> [Int] {
            guard total > samples else { return Array(0..<total) }
            var rng = SimulationRandom(seed: seed, stream: 0xAC71)
            var indices = Array(0..<total)
            for i in 0..<samples { indices.swapAt(i, i + rng.nextInt(below: total - i)) }
            return indices[0..<samples].sorted()
        }
        let x = array.values
        var values: [Float] = []
        switch array.shape.count {
        case 2 where array.shape[1] == rows && array.shape[0] > 0:
            for n in pick(array.shape[0]) { values += x[(n * rows)..<((n + 1) * rows)] }
        case 4 where Array(array.shape[1...]) == [c, h, w] && array.shape[0] > 0:
            let mapSize = c * h * w
            switch layer.kind {
            case .linear:
                for n in pick(array.shape[0]) { values += x[(n * mapSize)..<((n + 1) * mapSize)] }
            case let .conv(k, stride, padding):
                let (outH, outW) = (layer.outputHeight, layer.outputWidth)
                let positions = pick(array.shape[0] * outH * outW)
                values.reserveCapacity(positions.count * rows)
                for p in positions {
                    let (n, y, xo) = (p / (outH * outW), (p / outW) % outH, p % outW)
                    for ci in 0..<c {
                        for kh in 0..<k {
                            for kw in 0..<k {
                                let (iy, ix) = (y * stride - padding + kh, xo * stride - padding + kw)
                                values.append(iy >= 0 && iy < h && ix >= 0 && ix < w ? x[((n * c + ci) * h + iy) * w + ix] : 0)
                            }
                        }
                    }
                }
            }
        default:
            throw InputError(path: path, "activations of layer \(layer.name) have shape \(array.shapeDescription), expected (N, \(rows)) vectors or (N, \(c), \(h), \(w)) feature maps with N >= 1")
        }
        self.init(rows: rows, count: values.count / rows, values: values)
    }
}

extension ActivationSamples {
    /// Checks an activations file's header against the layer at `inChannels` input channels
    /// (its largest choice): `(N, rows)` vectors or `(N, Cin, H, W)` maps, N >= 1.
    static func checkFile(path: String, layer: Layer, inChannels: Int, node: JSONNode) throws {
        let header = try NPYArray.header(path: path, for: node, what: "activations")
        let rows = layer.weightRows(inChannels: inChannels)
        let maps = [inChannels, layer.inputHeight, layer.inputWidth]
        guard (header.shape.count == 2 && header.shape[1] == rows || header.shape.count == 4 && Array(header.shape[1...]) == maps),
              header.shape[0] >= 1 else {
            throw node.fail("a .npy of (N, \(rows)) vectors or (N, \(maps.map(String.init).joined(separator: ", "))) maps at the layer's "
                + "largest input channels, but the file has shape \(NPYArray.describe(header.shape))")
        }
    }
}

extension FunctionalLayer {
    /// A layer's data from `.npy` files: weights, and activations (`samples` vectors at most);
    /// `calibrationPath` gives separate calibration activations.
    public static func load(layer: Layer, inChannels: Int, outChannels: Int, weightsPath: String, activationsPath: String,
                            calibrationPath: String? = nil, samples: Int, seed: UInt64) throws -> FunctionalLayer {
        let weights = try WeightMatrix(npy: try NPYArray.load(path: weightsPath), layer: layer, inChannels: inChannels,
                                       outChannels: outChannels, path: weightsPath)
        func activations(_ path: String) throws -> ActivationSamples {
            try ActivationSamples(npy: try NPYArray.load(path: path), layer: layer, inChannels: inChannels,
                                  samples: samples, seed: seed, path: path)
        }
        return FunctionalLayer(name: layer.name, weights: weights, activations: try activations(activationsPath),
                               calibration: try calibrationPath.map(activations))
    }
}
