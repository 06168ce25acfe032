/// The sums behind one ratio `error / signal` of energies, with the second moments over
/// independent units (an output column over a block of samples) that give its standard error.
public struct RatioSums: Sendable, Hashable {
    public var error = 0.0
    public var signal = 0.0
    var units = 0
    var error2 = 0.0, signal2 = 0.0, cross = 0.0

    public init() {}

    /// `error / signal`; 0 when there is no error, infinity for error on a zero signal.
    public var ratio: Double { NSRAccumulator.ratio(error, signal) }

    /// The ratio estimate's standard error over its units (delta method:
    /// `sqrt(U / (U - 1) * sum (e_u - R s_u)^2) / sum s_u`); 0 with fewer than two units.
    public var standardError: Double {
        guard units > 1, signal > 0 else { return 0 }
        let r = ratio
        let residual = max(0, error2 - 2 * r * cross + r * r * signal2)
        return (Double(units) / Double(units - 1) * residual).squareRoot() / signal
    }

    /// One unit's error and signal energies.
    mutating func addUnit(error e: Double, signal s: Double) {
        error += e
        signal += s
        units += 1
        error2 += e * e
        signal2 += s * s
        cross += e * s
    }

    mutating func add(_ other: RatioSums) {
        error += other.error
        signal += other.signal
        units += other.units
        error2 += other.error2
        signal2 += other.signal2
        cross += other.cross
    }
}

/// Sums of squares behind a layer's noise-to-signal ratios, over every output of every sample,
/// in units of the `activationBits`-scale integer product squared, against three references:
///
/// - `vsInputBits`: the exact product of the quantised weights and the `inputBits` activations
///   (the noise of the ADC alone);
/// - `vsActivationBits`: the simulated output rescaled by `2^(activationBits - inputBits)`
///   against the exact product of the quantised weights and the `activationBits` activations
///   (ADC noise plus the dropped input bits);
/// - `vsFloat`: against the float product of the layer's float weights and activations at its
///   real scale (weight and activation quantisation count too); empty when no float
///   reference was given.
public struct NSRAccumulator: Sendable, Hashable {
    public var vsInputBits = RatioSums()
    public var vsActivationBits = RatioSums()
    public var vsFloat = RatioSums()
    /// Outputs accumulated (samples x output columns).
    public var outputs = 0

    public init() {}

    public var nsr: Double { vsInputBits.ratio }
    public var nsrVsActivationBits: Double { vsActivationBits.ratio }
    public var nsrVsFloat: Double { vsFloat.ratio }

    static func ratio(_ error: Double, _ signal: Double) -> Double {
        error == 0 ? 0 : signal == 0 ? .infinity : error / signal
    }

    public mutating func add(_ other: NSRAccumulator) {
        vsInputBits.add(other.vsInputBits)
        vsActivationBits.add(other.vsActivationBits)
        vsFloat.add(other.vsFloat)
        outputs += other.outputs
    }
}

/// The shape of one column sum: cell bits and 64-bit words per row group. Concrete shapes
/// with constant properties let the compiler unroll the popcount loop.
protocol ColumnShape {
    var c: Int { get }
    var wpg: Int { get }
    /// The column sum of one read: `sum_j 2^j * popcount(inputPlane & weightPlane_j)`.
    func columnSum(_ x: UnsafePointer<UInt64>, _ w: UnsafePointer<UInt64>) -> Int
}

extension ColumnShape {
    @inline(__always)
    func columnSum(_ x: UnsafePointer<UInt64>, _ w: UnsafePointer<UInt64>) -> Int {
        var sum = 0
        for j in 0..<c {
            var s = 0
            for k in 0..<wpg { s &+= (x[k] & w[j &* wpg &+ k]).nonzeroBitCount }
            sum &+= s &<< j
        }
        return sum
    }
}

struct Shape1x1: ColumnShape { var c: Int { 1 }; var wpg: Int { 1 } }
struct Shape2x2: ColumnShape { var c: Int { 2 }; var wpg: Int { 2 } }
struct AnyShape: ColumnShape { let c: Int; let wpg: Int }

/// One-bit cells, 65-128 rows per read: the two words' popcounts share their last steps
/// (the target has no popcount instruction by default, so popcounts are bit arithmetic).
struct Shape1x2: ColumnShape {
    var c: Int { 1 }
    var wpg: Int { 2 }
    @inline(__always)
    func columnSum(_ x: UnsafePointer<UInt64>, _ w: UnsafePointer<UInt64>) -> Int {
        popcount2(x[0] & w[0], x[1] & w[1])
    }
}

/// `a.nonzeroBitCount + b.nonzeroBitCount` in SWAR arithmetic, adding the two words' nibble
/// counts (at most 4 each) before the byte and horizontal steps.
@inline(__always)
func popcount2(_ a: UInt64, _ b: UInt64) -> Int {
    let m1: UInt64 = 0x5555_5555_5555_5555, m2: UInt64 = 0x3333_3333_3333_3333
    let m4: UInt64 = 0x0F0F_0F0F_0F0F_0F0F, h01: UInt64 = 0x0101_0101_0101_0101
    var x = a &- ((a >> 1) & m1)
    x = (x & m2) &+ ((x >> 2) & m2)
    var y = b &- ((b >> 1) & m1)
    y = (y & m2) &+ ((y >> 2) & m2)
    var z = x &+ y
    z = (z & m4) &+ ((z >> 4) & m4)
    return Int(truncatingIfNeeded: (z &* h01) >> 56)
}

/// What one kernel run gives: per-option sums of squares, and the outputs when recorded
/// (`outputs[option][n * O + o]` in the option's `inputBits` integer scale).
struct KernelResult: Sendable {
    var stats: [NSRAccumulator]
    var outputs: [[Double]] = []
    var exactInput: [[Int64]] = []
    var exactActivation: [Int64] = []
}

/// The bit-parallel functional model of one layer on one geometry for a set of options.
struct FunctionalKernel: Sendable {
    let weights: PackedWeights
    let inputs: PackedInputs
    let plan: QuantiserPlan
    /// The float product of every sample and output (`[n * outputs + o]`) in the
    /// `activationBits` integer scale; nil: no float reference.
    let reference: [Double]?

    init(weights: PackedWeights, inputs: PackedInputs, plan: QuantiserPlan, reference: [Double]? = nil) {
        precondition(weights.layout.rows == inputs.layout.rows && inputs.planes == plan.planes
                     && plan.range == weights.geometry.fullScaleSum)
        precondition(reference.map { $0.count == inputs.count * weights.outputs } ?? true, "one reference per sample and output")
        self.weights = weights
        self.inputs = inputs
        self.plan = plan
        self.reference = reference
    }

    func run(samples: Range<Int>, record: Bool) -> KernelResult {
        let (c, wpg) = (weights.geometry.bitsPerCell, weights.layout.wordsPerGroup)
        switch (c, wpg) {
        case (1, 1): return run(Shape1x1(), samples: samples, record: record)
        case (1, 2): return run(Shape1x2(), samples: samples, record: record)
        case (2, 2): return run(Shape2x2(), samples: samples, record: record)
        default: return run(AnyShape(c: c, wpg: wpg), samples: samples, record: record)
        }
    }

    private func run<S: ColumnShape>(_ shape: S, samples: Range<Int>, record: Bool) -> KernelResult {
        let (planes, chunks, groups) = (plan.planes, plan.chunks, weights.layout.groups)
        let (c, wpg, wpp) = (shape.c, shape.wpg, weights.layout.wordsPerPlane)
        let (outputsCount, signColumns, slices, unitWords) = (weights.outputs, weights.signColumns, weights.slices, weights.unitWords)
        let tableStride = plan.range + 1
        let optionCount = plan.optionQuantiser.count
        let steps = plan.quantisers.map(\.step)
        var result = KernelResult(stats: Array(repeating: NSRAccumulator(), count: optionCount))
        // Per (option, output column): this block's energies, one unit of each ratio's spread.
        var units = [Double](repeating: 0, count: 6 * optionCount * outputsCount)
        if record {
            result.outputs = Array(repeating: Array(repeating: 0, count: samples.count * outputsCount), count: optionCount)
            result.exactInput = Array(repeating: Array(repeating: 0, count: samples.count * outputsCount), count: optionCount)
            result.exactActivation = Array(repeating: 0, count: samples.count * outputsCount)
        }
        let outAcc = UnsafeMutablePointer<SIMD8<Int64>>.allocate(capacity: planes * chunks)
        let acc = UnsafeMutablePointer<SIMD8<Int32>>.allocate(capacity: chunks)
        let liveGroups = UnsafeMutablePointer<Int32>.allocate(capacity: planes * groups)
        let liveCount = UnsafeMutablePointer<Int>.allocate(capacity: planes)
        defer { outAcc.deallocate(); acc.deallocate(); liveGroups.deallocate(); liveCount.deallocate() }
        // Per plane, the sum of the plane's input bits times the offset, and the shifted sums.
        var offsetSuffix = [Int64](repeating: 0, count: planes + 1)
        var exactSuffix = [Int64](repeating: 0, count: planes + 1)
        weights.words.withUnsafeBufferPointer { wBuf in
        inputs.words.withUnsafeBufferPointer { xBuf in
        plan.tables.withUnsafeBufferPointer { tBuf in
            let (wp, xp, tp) = (wBuf.baseAddress!, xBuf.baseAddress!, tBuf.baseAddress!)
            for n in samples {
                let xSample = xp + n * inputs.sampleWords
                for q in stride(from: planes - 1, through: 0, by: -1) {
                    offsetSuffix[q] = offsetSuffix[q + 1] + (weights.offset * inputs.planeCounts[n * planes + q]) << q
                }
                // Row groups with any input bit, per plane: the others read sum 0 (level 0).
                for q in 0..<planes {
                    var live = 0
                    for g in 0..<groups {
                        var any: UInt64 = 0
                        for k in 0..<wpg { any |= xSample[q * wpp + g * wpg + k] }
                        if any != 0 { liveGroups[q * groups + live] = Int32(g); live += 1 }
                    }
                    liveCount[q] = live
                }
                for o in 0..<outputsCount {
                    outAcc.initialize(repeating: .zero, count: planes * chunks)
                    for sign in 0..<signColumns {
                        for s in 0..<slices {
                            let wUnit = wp + ((o * signColumns + sign) * slices + s) * unitWords
                            let factor = Int64(sign == 0 ? 1 : -1) << (s * c)
                            for q in 0..<planes where liveCount[q] > 0 {
                                let xPlane = xSample + q * wpp
                                let live = plan.chunksForPlane[q]
                                let groupList = liveGroups + q * groups
                                if live == 1 {
                                    var a = SIMD8<Int32>.zero
                                    if liveCount[q] == groups {
                                        for g in 0..<groups {
                                            a &+= tp[shape.columnSum(xPlane + g * wpg, wUnit + g * c * wpg)]
                                        }
                                    } else {
                                        for i in 0..<liveCount[q] {
                                            let g = Int(groupList[i])
                                            a &+= tp[shape.columnSum(xPlane + g * wpg, wUnit + g * c * wpg)]
                                        }
                                    }
                                    outAcc[q * chunks] &+= SIMD8<Int64>(truncatingIfNeeded: a) &* factor
                                } else {
                                    acc.initialize(repeating: .zero, count: live)
                                    for i in 0..<liveCount[q] {
                                        let g = Int(groupList[i])
                                        let sum = shape.columnSum(xPlane + g * wpg, wUnit + g * c * wpg)
                                        for ch in 0..<live { acc[ch] &+= tp[ch * tableStride + sum] }
                                    }
                                    for ch in 0..<live {
                                        outAcc[q * chunks + ch] &+= SIMD8<Int64>(truncatingIfNeeded: acc[ch]) &* factor
                                    }
                                }
                            }
                        }
                    }
                    // Shift-and-add over input planes, per option; exact sums are lane 0 of chunk 0.
                    for q in stride(from: planes - 1, through: 0, by: -1) {
                        exactSuffix[q] = exactSuffix[q + 1] + outAcc[q * chunks][0] << q
                    }
                    let exactA = exactSuffix[0] - offsetSuffix[0]
                    let local = (n - samples.lowerBound) * outputsCount + o
                    if record { result.exactActivation[local] = exactA }
                    for k in 0..<optionCount {
                        let low = planes - plan.optionInputBits[k]
                        let qi = plan.optionQuantiser[k]
                        let (ch, lane) = (qi / 8, qi % 8)
                        var levels: Int64 = 0
                        for q in low..<planes { levels += outAcc[q * chunks + ch][lane] << q }
                        let sim = Double(levels) * steps[qi] - Double(offsetSuffix[low])
                        let exactI = exactSuffix[low] - offsetSuffix[low]
                        let (e, eA) = (sim - Double(exactI), sim - Double(exactA))
                        let u = 6 * (k * outputsCount + o)
                        units[u] += e * e
                        units[u + 1] += Double(exactI) * Double(exactI)
                        units[u + 2] += eA * eA
                        units[u + 3] += Double(exactA) * Double(exactA)
                        if let reference {
                            let r = reference[n * outputsCount + o], eF = sim - r
                            units[u + 4] += eF * eF
                            units[u + 5] += r * r
                        }
                        result.stats[k].outputs += 1
                        if record {
                            result.outputs[k][local] = sim / Double(1 << low)
                            result.exactInput[k][local] = exactI >> low
                        }
                    }
                }
            }
        }
        }
        }
        for k in 0..<optionCount {
            for o in 0..<outputsCount {
                let u = 6 * (k * outputsCount + o)
                result.stats[k].vsInputBits.addUnit(error: units[u], signal: units[u + 1])
                result.stats[k].vsActivationBits.addUnit(error: units[u + 2], signal: units[u + 3])
                if reference != nil { result.stats[k].vsFloat.addUnit(error: units[u + 4], signal: units[u + 5]) }
            }
        }
        return result
    }

    /// Counts of every column sum per weight slice and input plane
    /// (`histogram[(slice * planes + q) * (range + 1) + s]`) over the given samples, all output
    /// columns, sign columns and row groups.
    func histogram(samples: Range<Int>) -> [Int] {
        let (c, wpg) = (weights.geometry.bitsPerCell, weights.layout.wordsPerGroup)
        let (planes, groups, wpp, stride) = (plan.planes, weights.layout.groups, weights.layout.wordsPerPlane, plan.range + 1)
        let slices = weights.slices
        var histogram = [Int](repeating: 0, count: slices * planes * stride)
        let shape = AnyShape(c: c, wpg: wpg)
        weights.words.withUnsafeBufferPointer { wBuf in
        inputs.words.withUnsafeBufferPointer { xBuf in
        histogram.withUnsafeMutableBufferPointer { h in
            for n in samples {
                let xSample = xBuf.baseAddress! + n * inputs.sampleWords
                for u in 0..<weights.units {
                    let wUnit = wBuf.baseAddress! + u * weights.unitWords
                    let base = (u % slices) * planes
                    for q in 0..<planes {
                        for g in 0..<groups {
                            h[(base + q) * stride + shape.columnSum(xSample + q * wpp + g * wpg, wUnit + g * c * wpg)] += 1
                        }
                    }
                }
            }
        }
        }
        }
        return histogram
    }
}
