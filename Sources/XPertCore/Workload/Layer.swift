/// Spatial size and channel count of a feature map.
public struct TensorShape: Sendable, Hashable, Codable {
    public var height: Int
    public var width: Int
    public var channels: Int

    public init(height: Int, width: Int, channels: Int) {
        self.height = height
        self.width = width
        self.channels = channels
    }
}

/// Pooling applied to a layer's output before the next layer reads it.
public enum Pooling: Sendable, Hashable {
    case max(kernel: Int, stride: Int)
    case average(kernel: Int, stride: Int)
    /// Average over the whole feature map (ResNet's head): output is 1 x 1.
    case globalAverage

    /// The spatial size after pooling; nil when the window does not fit.
    public func output(height: Int, width: Int) -> (height: Int, width: Int)? {
        switch self {
        case .globalAverage: return (1, 1)
        case let .max(k, s), let .average(k, s):
            guard k <= height, k <= width else { return nil }
            return ((height - k) / s + 1, (width - k) / s + 1)
        }
    }

    /// Window size in elements (inputs compared or added per output).
    public func window(height: Int, width: Int) -> Int {
        switch self {
        case .globalAverage: return height * width
        case let .max(k, _), let .average(k, _): return k * k
        }
    }
}

/// The kind of a weight layer.
public enum LayerKind: Sendable, Hashable {
    /// 2-D convolution with a square kernel.
    case conv(kernel: Int, stride: Int, padding: Int)
    /// Fully connected layer; it flattens its input.
    case linear
}

/// The choices one layer may take besides its channels: per substrate it may run on, the
/// values of each of that substrate's option fields, in the order the space gives.
public struct LayerChoices: Sendable, Hashable {
    public var substrates: [SubstrateChoices]

    public init(substrates: [SubstrateChoices]) {
        precondition(!substrates.isEmpty, "a layer runs on some substrate")
        self.substrates = substrates
    }

    /// Number of substrate options (not counting channel choices).
    public var count: Int { substrates.reduce(0) { $0 + $1.count } }
}

/// One weight layer of the workload, with its shape rules and its design choices.
public struct Layer: Sendable, Hashable {
    public var name: String
    public var kind: LayerKind
    /// Output channel (or feature) counts this layer may take; one entry when fixed.
    public var outChannelChoices: [Int]
    /// Layers naming the same group take the same output channel count (residual stages).
    public var channelGroup: String?
    /// Index of the layer whose output this one reads; nil reads the network input.
    public var inputIndex: Int?
    public var pooling: Pooling?
    public var choices: LayerChoices
    /// Spatial size of this layer's input and of its output (before pooling); fixed by the
    /// network input, independent of channel choices.
    public var inputHeight: Int, inputWidth: Int
    public var outputHeight: Int, outputWidth: Int
    /// Vectors a linear layer multiplies per inference (a transformer's tokens); 1 otherwise.
    public var tokens = 1
    /// The layer's trained weights (a `.npy` path, resolved), at its largest channel choices.
    public var weightsPath: String?
    /// Samples of the layer's input (a `.npy` path, resolved), at its largest input channels.
    public var activationsPath: String?

    /// Weight-matrix rows for `inChannels` input channels: `Cin*K*K` (conv), or the flattened
    /// input size (linear).
    @inlinable
    public func weightRows(inChannels: Int) -> Int {
        switch kind {
        case let .conv(k, _, _): return inChannels * k * k
        case .linear: return inChannels * inputHeight * inputWidth
        }
    }

    /// Matrix-vector products per inference: one per output position (and per token).
    @inlinable
    public var outputPositions: Int { outputHeight * outputWidth * tokens }

    /// Multiply-accumulates per inference at the given channel counts.
    @inlinable
    public func macs(inChannels: Int, outChannels: Int) -> Int { outputPositions * weightRows(inChannels: inChannels) * outChannels }
}
