/// How an ADC's input range is set.
public enum ADCRange: Sendable, Hashable, CustomStringConvertible {
    /// The range is the largest sum one read can produce, `parallelRows * (2^c - 1)`.
    case fullScale
    /// The range is clipped at this percentile (in (0, 100]) of the column sums observed on the
    /// layer's calibration samples (all columns, slices, row groups and fed bit planes pooled),
    /// but never below `2^b - 1` (an ADC with enough levels resolves every integer sum up to
    /// that, so clipping lower would only lose information).
    case calibrated(percentile: Double)

    public var description: String {
        switch self {
        case .fullScale: return "full-scale"
        case let .calibrated(p): return "calibrated(p\(p))"
        }
    }

    var needsCalibration: Bool { if case .calibrated = self { return true } else { return false } }
}

/// A uniform ADC on integer column sums: level `k = min(levels, round(s * levels / top))`
/// (ties up), reconstructed to `k * top / levels`. Sums above `top` clip to the top level.
///
/// The step `top / levels` is never below 1: when `2^b - 1` is at least the largest possible
/// sum, the ADC resolves every sum exactly (`top == levels`, the identity).
struct ADCQuantiser: Sendable, Hashable {
    /// The sum the top level stands for.
    let top: Int
    /// The highest level index.
    let levels: Int

    static func identity(range: Int) -> ADCQuantiser { ADCQuantiser(top: range, levels: range) }

    init(top: Int, levels: Int) {
        precondition(top >= levels && levels >= 1)
        self.top = top
        self.levels = levels
    }

    /// The ADC of `bits` bits on sums in `0...range`, clipped at `clip` (calibrated) or at
    /// `range` (full scale, `clip == nil`).
    init(bits: Int, range: Int, clip: Int?) {
        let maxLevel = (1 << bits) - 1
        if maxLevel >= range {
            self = .identity(range: range)
        } else {
            self.init(top: max(maxLevel, min(range, clip ?? range)), levels: maxLevel)
        }
    }

    var isIdentity: Bool { top == levels }

    /// The level of sum `s` (integer round-half-up of `s * levels / top`, clipped).
    @inlinable
    func level(_ s: Int) -> Int {
        min(levels, (2 * s * levels + top) / (2 * top))
    }

    /// The value one level stands for.
    var step: Double { Double(top) / Double(levels) }
}

/// The distinct ADCs that a set of (input bits, ADC bits) options needs, as lookup tables
/// of `SIMD8<Int32>` lanes: `tables[chunk * (range + 1) + s]` holds the levels of sum `s` under
/// quantisers `8 * chunk ..< 8 * chunk + 8`. Quantiser 0 is the identity (exact sums).
///
/// Option `(I, b)` reads bit planes `A - I ..< A` of the `A`-bit activations; quantisers are
/// ordered by the lowest plane that needs them, so plane `q` only updates the first
/// `chunksForPlane[q]` chunks.
struct QuantiserPlan: Sendable {
    let range: Int
    let planes: Int
    let quantisers: [ADCQuantiser]
    let chunks: Int
    let chunksForPlane: [Int]
    let tables: [SIMD8<Int32>]
    /// Per option: the quantiser index and the input bits.
    let optionQuantiser: [Int]
    let optionInputBits: [Int]

    /// `clips[I]`: the calibrated clip for input bits `I` (nil: full scale).
    init(options: [(inputBits: Int, adcBits: Int)], activationBits: Int, range: Int, clips: [Int: Int]?) {
        var quantisers = [ADCQuantiser.identity(range: range)]
        var minPlane = [0]
        var optionQuantiser: [Int] = []
        for (inputBits, adcBits) in options {
            precondition((1...activationBits).contains(inputBits), "input bits must be in 1...activation bits")
            precondition((1...16).contains(adcBits), "ADC bits must be in 1...16")
            let quantiser = ADCQuantiser(bits: adcBits, range: range, clip: clips.map { $0[inputBits]! })
            let plane = activationBits - inputBits
            if let i = quantisers.firstIndex(of: quantiser) {
                minPlane[i] = min(minPlane[i], plane)
                optionQuantiser.append(i)
            } else {
                quantisers.append(quantiser)
                minPlane.append(plane)
                optionQuantiser.append(quantisers.count - 1)
            }
        }
        // Stable order by lowest plane (the identity stays first: its plane is 0).
        let order = quantisers.indices.sorted { (minPlane[$0], $0) < (minPlane[$1], $1) }
        var newIndex = [Int](repeating: 0, count: order.count)
        for (new, old) in order.enumerated() { newIndex[old] = new }
        self.quantisers = order.map { quantisers[$0] }
        let sortedPlanes = order.map { minPlane[$0] }
        self.optionQuantiser = optionQuantiser.map { newIndex[$0] }
        optionInputBits = options.map(\.inputBits)
        self.range = range
        planes = activationBits
        chunks = (order.count + 7) / 8
        chunksForPlane = (0..<activationBits).map { q in
            (sortedPlanes.lastIndex { $0 <= q }! / 8) + 1
        }
        var tables = [SIMD8<Int32>](repeating: .zero, count: chunks * (range + 1))
        for (i, quantiser) in self.quantisers.enumerated() {
            for s in 0...range {
                tables[(i / 8) * (range + 1) + s][i % 8] = Int32(quantiser.level(s))
            }
        }
        self.tables = tables
    }

    /// The clip at `percentile` of a histogram of sums (`histogram[s]` counts sum `s`): the
    /// smallest sum whose cumulative count reaches `percentile / 100` of the total.
    static func clip(histogram: [Int], percentile: Double) -> Int {
        precondition(percentile > 0 && percentile <= 100, "the calibration percentile must be in (0, 100]")
        let total = histogram.reduce(0, +)
        guard total > 0 else { return histogram.count - 1 }
        let target = percentile / 100 * Double(total)
        var cumulative = 0
        for (s, n) in histogram.enumerated() {
            cumulative += n
            if Double(cumulative) >= target { return s }
        }
        return histogram.count - 1
    }
}
