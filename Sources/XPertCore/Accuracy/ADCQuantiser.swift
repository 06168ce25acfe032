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

/// A uniform ADC on integer column sums with a step of `numerator / denominator` sums: level
/// `k = min(levels, round(s / step))` (ties up), reconstructed to `k * step`.
///
/// Full scale follows the usual converter convention: `b` bits over a full scale `FS` have a
/// least significant step of `FS / 2^b` (the top code stands for `FS - step`), so with a
/// power-of-two row count the levels land on integer sums and the exact sums below the top
/// code read back exactly. A calibrated ADC's top level is a whole number of unit sums (its
/// reference is a whole number of unit-cell currents), chosen per option on calibration sums
/// (`bestTop`). When `2^b - 1` reaches the largest possible sum the ADC is the identity.
struct ADCQuantiser: Sendable, Hashable {
    /// Step = `numerator / denominator` (in lowest terms, so equal ADCs compare equal).
    let numerator: Int
    let denominator: Int
    /// The highest level index.
    let levels: Int

    static func identity(range: Int) -> ADCQuantiser { ADCQuantiser(numerator: 1, denominator: 1, levels: range) }

    init(numerator: Int, denominator: Int, levels: Int) {
        precondition(numerator >= denominator && denominator >= 1 && levels >= 1, "an ADC step is at least one sum")
        var (a, b) = (numerator, denominator)
        while b != 0 { (a, b) = (b, a % b) }
        self.numerator = numerator / a
        self.denominator = denominator / a
        self.levels = levels
    }

    /// The ADC of `bits` bits on sums in `0...range`: full scale (`top == nil`, step
    /// `range / 2^bits`) or calibrated with its top level at the sum `top` (step `top / (2^bits - 1)`,
    /// `top` kept in `2^bits - 1 ... range`).
    init(bits: Int, range: Int, top: Int?) {
        let maxLevel = (1 << bits) - 1
        if maxLevel >= range {
            self = .identity(range: range)
        } else if let top {
            self.init(numerator: max(maxLevel, min(range, top)), denominator: maxLevel, levels: maxLevel)
        } else {
            self.init(numerator: range, denominator: maxLevel + 1, levels: maxLevel)
        }
    }

    var isIdentity: Bool { numerator == 1 && denominator == 1 }

    /// The level of sum `s` (integer round-half-up of `s / step`, clipped).
    @inlinable
    func level(_ s: Int) -> Int {
        min(levels, (2 * s * denominator + numerator) / (2 * numerator))
    }

    /// The value one level stands for.
    var step: Double { Double(numerator) / Double(denominator) }

    /// The top level's sum `T` in `levels ... max(levels, clip)` whose ADC (step `T / levels`)
    /// has the least squared error over `histogram` (`histogram[s]`: the weight of sum `s`);
    /// the smallest such `T` on ties (errors within a relative 1e-9 of the least). Bounding `T` by the percentile clip and minimising the
    /// error inside the bound makes the error fall (weakly) as the percentile rises: a clip one
    /// sum above `levels` can no longer force a fractional step that misreads every sum.
    static func bestTop(histogram: [Double], levels: Int, clip: Int) -> Int {
        let last = histogram.lastIndex { $0 > 0 } ?? 0
        guard clip > levels, last > levels else { return levels }
        let tops = Array(levels...min(clip, histogram.count - 1))
        let errors = tops.map { top in
            var error = 0.0
            for s in 1...last where histogram[s] > 0 {
                let k = min(levels, (2 * s * levels + top) / (2 * top))
                let e = Double(k * top) / Double(levels) - Double(s)
                error += histogram[s] * e * e
            }
            return error
        }
        // Ties (equal up to rounding) go to the smallest top, so the choice does not hang on
        // the order of floating-point additions.
        let least = errors.min()!
        return tops[errors.firstIndex { $0 <= least * (1 + 1e-9) }!]
    }
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

    /// `tops[option]`: a calibrated ADC's top sum per option (nil: full scale).
    init(options: [(inputBits: Int, adcBits: Int)], activationBits: Int, range: Int, tops: [PrecisionOption: Int]?) {
        var quantisers = [ADCQuantiser.identity(range: range)]
        var minPlane = [0]
        var optionQuantiser: [Int] = []
        for (inputBits, adcBits) in options {
            precondition((1...activationBits).contains(inputBits), "input bits must be in 1...activation bits")
            precondition((1...16).contains(adcBits), "ADC bits must be in 1...16")
            let quantiser = ADCQuantiser(bits: adcBits, range: range,
                                         top: tops.map { $0[PrecisionOption(inputBits: inputBits, adcBits: adcBits)]! })
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
