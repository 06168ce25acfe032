/// A layer's float weight matrix, `outputs x rows`, row-major by output: `values[o * rows + r]`.
/// Rows follow the crossbar mapping: a conv layer's `(Cin, K, K)` in C order
/// (`r = ci * K * K + kh * K + kw`), a linear layer's flattened input.
public struct WeightMatrix: Sendable, Hashable {
    public let outputs: Int
    public let rows: Int
    public var values: [Float]

    public init(outputs: Int, rows: Int, values: [Float]) {
        precondition(outputs > 0 && rows > 0 && values.count == outputs * rows,
                     "a weight matrix needs outputs * rows values")
        self.outputs = outputs
        self.rows = rows
        self.values = values
    }

    /// The first `outputs` outputs, each cut to its first `rows` rows (a narrower layer's
    /// weights by the prefix convention, or the rows a simulation keeps).
    public func prefix(outputs: Int, rows: Int) -> WeightMatrix {
        precondition(outputs <= self.outputs && rows <= self.rows)
        if outputs == self.outputs && rows == self.rows { return self }
        var kept: [Float] = []
        kept.reserveCapacity(outputs * rows)
        for o in 0..<outputs { kept += values[(o * self.rows)..<(o * self.rows + rows)] }
        return WeightMatrix(outputs: outputs, rows: rows, values: kept)
    }
}

/// Sampled activation vectors (the inputs of one matrix-vector product each), non-negative,
/// row-major by sample: `values[n * rows + r]`, rows in the weight matrix's row order.
public struct ActivationSamples: Sendable, Hashable {
    public let rows: Int
    public let count: Int
    public var values: [Float]

    public init(rows: Int, count: Int, values: [Float]) {
        precondition(rows > 0 && count > 0 && values.count == rows * count,
                     "activation samples need rows * count values")
        self.rows = rows
        self.count = count
        self.values = values
    }

    /// Every vector cut to its first `rows` elements.
    public func prefix(rows: Int) -> ActivationSamples {
        precondition(rows <= self.rows)
        if rows == self.rows { return self }
        var kept: [Float] = []
        kept.reserveCapacity(count * rows)
        for n in 0..<count { kept += values[(n * self.rows)..<(n * self.rows + rows)] }
        return ActivationSamples(rows: rows, count: count, values: kept)
    }
}

/// Weights quantised to `bits`-bit signed integers with a per-layer symmetric scale:
/// `q = round(w / scale)` with `scale = max|w| / (2^(bits-1) - 1)`, so `q` lies in
/// `-(2^(bits-1) - 1) ... 2^(bits-1) - 1` (the most negative code is unused, as with a sign
/// and magnitude). Ties round away from zero. An all-zero matrix quantises to zeros (scale 1).
public struct QuantisedWeights: Sendable, Hashable {
    public let outputs: Int
    public let rows: Int
    public let bits: Int
    /// Float weight = `scale * q`.
    public let scale: Double
    /// `values[o * rows + r]`.
    public let values: [Int32]

    public init(_ matrix: WeightMatrix, bits: Int) {
        precondition((2...16).contains(bits), "weight bits must be in 2...16 (a sign and at least one magnitude bit)")
        let maxCode = Double((1 << (bits - 1)) - 1)
        let maxAbs = matrix.values.reduce(0.0) { max($0, Double(abs($1))) }
        let scale = maxAbs > 0 ? maxAbs / maxCode : 1
        self.init(outputs: matrix.outputs, rows: matrix.rows, bits: bits, scale: scale,
                  values: matrix.values.map { Int32(max(-maxCode, min(maxCode, (Double($0) / scale).rounded()))) })
    }

    /// Integer weights given directly (tests, hand-checked examples).
    public init(outputs: Int, rows: Int, bits: Int, scale: Double = 1, values: [Int32]) {
        precondition((2...16).contains(bits), "weight bits must be in 2...16")
        let limit = Int32((1 << (bits - 1)) - 1)
        precondition(values.count == outputs * rows && values.allSatisfy { abs($0) <= limit },
                     "weights must be outputs * rows codes in -(2^(bits-1)-1)...2^(bits-1)-1")
        self.outputs = outputs
        self.rows = rows
        self.bits = bits
        self.scale = scale
        self.values = values
    }
}

/// Activations quantised to `bits`-bit unsigned integers: `a = round(v / scale)` clamped to
/// `0 ... 2^bits - 1`, with `scale = clip / (2^bits - 1)` and `clip` the `clipPercentile`
/// percentile of all the sampled values (100: their maximum). Negative values are clamped to 0.
///
/// Input precision below `bits` drops least significant bits: the crossbar is fed the top
/// `inputBits` bit planes of `a`, i.e. `x = a >> (bits - inputBits)` (truncation, which is
/// what a bit-serial input stage that skips its last cycles computes). The float value of
/// `x` is `x * 2^(bits - inputBits) * scale`.
public struct QuantisedActivations: Sendable, Hashable {
    public let rows: Int
    public let count: Int
    public let bits: Int
    public let scale: Double
    /// `values[n * rows + r]`.
    public let values: [UInt32]

    public init(_ samples: ActivationSamples, bits: Int, clipPercentile: Double = 100) {
        self.init(samples, bits: bits, scale: Self.scale(of: samples, bits: bits, clipPercentile: clipPercentile))
    }

    /// Quantised with a given scale (e.g. one set on calibration samples).
    public init(_ samples: ActivationSamples, bits: Int, scale: Double) {
        precondition((1...16).contains(bits), "activation bits must be in 1...16")
        precondition(scale > 0 && scale.isFinite, "the activation scale must be positive")
        let maxCode = Double((1 << bits) - 1)
        self.init(rows: samples.rows, count: samples.count, bits: bits, scale: scale,
                  values: samples.values.map { UInt32(max(0, min(maxCode, (Double($0) / scale).rounded()))) })
    }

    /// The scale that maps the `clipPercentile` percentile of the values to `2^bits - 1`
    /// (1 when that is 0).
    public static func scale(of samples: ActivationSamples, bits: Int, clipPercentile: Double = 100) -> Double {
        precondition((1...16).contains(bits), "activation bits must be in 1...16")
        precondition(clipPercentile > 0 && clipPercentile <= 100, "the clip percentile must be in (0, 100]")
        let clip: Double
        if clipPercentile >= 100 {
            clip = samples.values.reduce(0.0) { max($0, Double($1)) }
        } else {
            let sorted = samples.values.sorted()
            let rank = Int((clipPercentile / 100 * Double(sorted.count)).rounded(.up)) - 1
            clip = Double(sorted[max(0, min(sorted.count - 1, rank))])
        }
        return clip > 0 ? clip / Double((1 << bits) - 1) : 1
    }

    /// Integer activations given directly (tests, hand-checked examples).
    public init(rows: Int, count: Int, bits: Int, scale: Double = 1, values: [UInt32]) {
        precondition((1...16).contains(bits), "activation bits must be in 1...16")
        precondition(rows > 0 && count > 0 && values.count == rows * count && values.allSatisfy { $0 < 1 << bits },
                     "activations must be rows * count codes in 0..<2^bits")
        self.rows = rows
        self.count = count
        self.bits = bits
        self.scale = scale
        self.values = values
    }
}

/// The float products a quantised simulation is measured against.
public enum FloatReference {
    /// `W . a` for every sample and output (`[n * outputs + o]`) from the float weights and
    /// activations, divided by `scale` (the weight scale times the activation scale), so it is
    /// in the scale of the integer product of the codes.
    public static func products(_ weights: WeightMatrix, _ activations: ActivationSamples, scale: Double) -> [Double] {
        precondition(weights.rows == activations.rows && scale > 0)
        let (rows, outputs) = (weights.rows, weights.outputs)
        var out = [Double](repeating: 0, count: activations.count * outputs)
        weights.values.withUnsafeBufferPointer { w in
            activations.values.withUnsafeBufferPointer { a in
                for n in 0..<activations.count {
                    for o in 0..<outputs {
                        var sum = 0.0
                        for r in 0..<rows { sum += Double(w[o * rows + r]) * Double(max(0, a[n * rows + r])) }
                        out[n * outputs + o] = sum / scale
                    }
                }
            }
        }
        return out
    }
}
