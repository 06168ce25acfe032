import Foundation
@testable import XPertCore

/// Test-side oracles for the functional simulator: straight loops over rows, with none of
/// the bit packing, lookup tables or shift-and-add reordering of the library.
enum FunctionalOracle {
    /// `W_q . (a >> (A - inputBits))`, per `[n * outputs + o]`.
    static func exactProduct(_ w: QuantisedWeights, _ a: QuantisedActivations, inputBits: Int) -> [Int64] {
        var out: [Int64] = []
        for n in 0..<a.count {
            for o in 0..<w.outputs {
                var y: Int64 = 0
                for r in 0..<w.rows {
                    y += Int64(w.values[o * w.rows + r]) * Int64(a.values[n * a.rows + r] >> UInt32(a.bits - inputBits))
                }
                out.append(y)
            }
        }
        return out
    }

    /// The crossbar's reads in order: for each row group, fed plane, sign column and slice, a
    /// column sum, through the ADC, weighted by its plane and slice.
    struct Column { var sign: Double; var magnitude: (Int) -> Int }

    static func columns(_ w: QuantisedWeights, _ g: CrossbarGeometry) -> [Column] {
        g.signScheme == .differential
            ? [Column(sign: 1) { max($0, 0) }, Column(sign: -1) { max(-$0, 0) }]
            : [Column(sign: 1) { $0 + (1 << (w.bits - 1)) }]
    }

    static func groups(rows: Int, _ g: CrossbarGeometry) -> [Range<Int>] {
        var out: [Range<Int>] = []
        for block in stride(from: 0, to: rows, by: g.crossbarRows) {
            let end = min(block + g.crossbarRows, rows)
            for start in stride(from: block, to: end, by: g.parallelRows) { out.append(start..<min(start + g.parallelRows, end)) }
        }
        return out
    }

    /// Every column sum of every read (the calibration population), with the weight of its
    /// squared error in the output (`4^(slice * c + plane)`, planes counted from the lowest fed).
    static func columnSums(_ w: QuantisedWeights, _ a: QuantisedActivations, _ g: CrossbarGeometry,
                           inputBits: Int) -> [(sum: Int, weight: Double)] {
        let c = g.bitsPerCell
        let slices = (g.magnitudeBits(weightBits: w.bits) + c - 1) / c
        var sums: [(sum: Int, weight: Double)] = []
        for n in 0..<a.count {
            for o in 0..<w.outputs {
                for group in groups(rows: w.rows, g) {
                    for q in (a.bits - inputBits)..<a.bits {
                        for column in columns(w, g) {
                            for s in 0..<slices {
                                var sum = 0
                                for r in group {
                                    let x = Int(a.values[n * a.rows + r] >> UInt32(q)) & 1
                                    sum += x * ((column.magnitude(Int(w.values[o * w.rows + r])) >> (s * c)) & ((1 << c) - 1))
                                }
                                sums.append((sum, pow(4, Double(s * c + q - a.bits + inputBits))))
                            }
                        }
                    }
                }
            }
        }
        return sums
    }

    /// The simulated output in the `inputBits` scale. Full scale: a step of `range / 2^b`.
    /// `percentile` calibrates the ADC on the column sums of `a` itself: its top level is the
    /// whole sum, at most the percentile, whose ADC misreads the sums least (each error weighted
    /// as it reaches the output), the smallest on ties.
    static func simulate(_ w: QuantisedWeights, _ a: QuantisedActivations, _ g: CrossbarGeometry,
                         inputBits: Int, adcBits: Int, percentile: Double? = nil) -> [Double] {
        let c = g.bitsPerCell
        let slices = (g.magnitudeBits(weightBits: w.bits) + c - 1) / c
        let range = g.parallelRows * ((1 << c) - 1)
        let levels = (1 << adcBits) - 1
        // The step as a fraction (numerator, denominator) of sums, so that s / step is one
        // correctly rounded division and a tie at .5 is seen as one.
        var step = (range, levels + 1)
        func read(_ s: Int, step: (Int, Int)) -> Double {
            if levels >= range { return Double(s) }
            let k = min(Double(levels), (Double(s) * Double(step.1) / Double(step.0) + 0.5).rounded(.down))
            return k * Double(step.0) / Double(step.1)
        }
        if let percentile {
            let sums = columnSums(w, a, g, inputBits: inputBits)
            let sorted = sums.map(\.sum).sorted()
            let target = percentile / 100 * Double(sorted.count)
            let clip = min(range, sorted[max(0, Int(target.rounded(.up)) - 1)])
            let tops = Array(levels...max(levels, clip))
            let errors = tops.map { top in
                sums.reduce(0.0) { total, item in
                    let e = read(item.sum, step: (top, levels)) - Double(item.sum)
                    return total + item.weight * e * e
                }
            }
            let least = errors.min()!
            step = (tops[errors.firstIndex { $0 <= least * (1 + 1e-9) }!], levels)
        }
        func adc(_ s: Int) -> Double { read(s, step: step) }
        let shift = a.bits - inputBits
        var out: [Double] = []
        for n in 0..<a.count {
            for o in 0..<w.outputs {
                var y = 0.0
                for group in groups(rows: w.rows, g) {
                    for j in 0..<inputBits {
                        for column in columns(w, g) {
                            for s in 0..<slices {
                                var sum = 0
                                for r in group {
                                    let x = Int(a.values[n * a.rows + r] >> UInt32(j + shift)) & 1
                                    sum += x * ((column.magnitude(Int(w.values[o * w.rows + r])) >> (s * c)) & ((1 << c) - 1))
                                }
                                y += column.sign * Double(1 << (s * c + j)) * adc(sum)
                            }
                        }
                    }
                }
                if g.signScheme == .offset {
                    var inputSum = 0
                    for r in 0..<w.rows { inputSum += Int(a.values[n * a.rows + r] >> UInt32(shift)) }
                    y -= Double(1 << (w.bits - 1)) * Double(inputSum)
                }
                out.append(y)
            }
        }
        return out
    }
}

/// A small random layer for property tests.
struct RandomFunctionalLayer {
    var weights: QuantisedWeights
    var activations: QuantisedActivations
    var geometry: CrossbarGeometry

    init(seed: UInt64, bitsPerCell: Int, signScheme: SignScheme) {
        var rng = SplitMix64(seed: seed)
        func int(_ r: ClosedRange<Int>) -> Int { r.lowerBound + Int(rng.next() % UInt64(r.count)) }
        let crossbarRows = [8, 16, 32, 64, 128, 256][int(0...5)]
        let parallelRows = int(0...2) == 0 ? crossbarRows : int(1...crossbarRows)
        geometry = CrossbarGeometry(crossbarRows: crossbarRows, parallelRows: parallelRows, bitsPerCell: bitsPerCell,
                                    signScheme: signScheme)
        let rows = int(0...3) == 0 ? int(200...400) : int(1...200), outputs = int(1...5), weightBits = int(2...9), activationBits = int(1...8)
        let limit = (1 << (weightBits - 1)) - 1
        // Dense, sparse or extreme weights and activations.
        let style = int(0...2)
        weights = QuantisedWeights(outputs: outputs, rows: rows, bits: weightBits, values: (0..<(outputs * rows)).map { _ in
            switch style {
            case 0: return Int32(int(-limit...limit))
            case 1: return int(0...3) == 0 ? Int32(int(-limit...limit)) : 0
            default: return Int32([-limit, limit, 0][int(0...2)])
            }
        })
        let count = int(1...4), maxCode = (1 << activationBits) - 1
        activations = QuantisedActivations(rows: rows, count: count, bits: activationBits, values: (0..<(rows * count)).map { _ in
            switch style {
            case 0: return UInt32(int(0...maxCode))
            case 1: return int(0...1) == 0 ? UInt32(int(0...maxCode)) : 0
            default: return UInt32(maxCode)
            }
        })
    }

    /// ADC bits that resolve every column sum.
    var exactADCBits: Int { Int.bitWidth - geometry.fullScaleSum.leadingZeroBitCount }
}
