/// The multiplier of DAISM, the digital approximate in-SRAM multiplier (Sonnino et al., DATE
/// 2024, arXiv 2305.07376): the weight A is stored in SRAM rows as shifted copies (or
/// pre-computed multiples), the activation B selects which rows a multi-word-line read opens,
/// and the bit lines return the bitwise OR of the opened rows instead of their sum.
public enum DaismVariant: String, Sendable, Hashable, CaseIterable {
    /// An exact digital product (a conventional in-SRAM multiplier: one row read, an array
    /// multiplier in the periphery); the reference the approximate variants are measured against.
    case exact
    /// The OR of copies of A shifted by each set bit of B.
    case or
    /// The OR of pre-computed products of A with each k-bit group of B, at the group's shift.
    case pc2, pc3, pc4

    /// Bits of B per group: 1 for `or` (each group is one bit), k for `pcK`; nil for `exact`.
    @inlinable
    public var groupBits: Int? {
        switch self {
        case .exact: return nil
        case .or: return 1
        case .pc2: return 2
        case .pc3: return 3
        case .pc4: return 4
        }
    }

    /// The variant's product of two unsigned magnitudes:
    /// `OR over i of (A * g_i) << (k * i)` with `g_i = (B >> (k * i)) & (2^k - 1)`.
    @inlinable
    public func product(_ a: UInt32, _ b: UInt32) -> UInt32 {
        guard let k = groupBits else { return a &* b }
        let mask = UInt32(1) << UInt32(k) - 1
        var result: UInt32 = 0, rest = b, shift: UInt32 = 0
        while rest != 0 {
            result |= (a &* (rest & mask)) << shift
            rest >>= UInt32(k)
            shift += UInt32(k)
        }
        return result
    }

    /// SRAM rows that hold one weight: one per (group, nonzero group value), `ceil(n / k) *
    /// (2^k - 1)`; `or` stores n shifted copies; `exact` one row.
    public func rowsPerWeight(bits n: Int) -> Int {
        guard let k = groupBits else { return 1 }
        return (n + k - 1) / k * ((1 << k) - 1)
    }

    /// Bit lines one stored weight occupies: the product's `2n` bits (`exact`: the n bits of A).
    public func columnsPerWeight(bits n: Int) -> Int { groupBits == nil ? n : 2 * n }

    /// Rows one multiply opens at most: one per group (`or`: one per set bit of B).
    public func groups(bits n: Int) -> Int {
        guard let k = groupBits else { return 1 }
        return (n + k - 1) / k
    }
}

/// Every approximate product of two n-bit operands, looked up by `a << n | b`.
public struct DaismProductTable: Sendable, Hashable {
    public let variant: DaismVariant
    public let bits: Int
    public let products: [UInt32]

    public init(variant: DaismVariant, bits: Int) {
        precondition((1...12).contains(bits), "operand bits must be in 1...12")
        self.variant = variant
        self.bits = bits
        let size = 1 << bits
        var table = [UInt32](repeating: 0, count: size * size)
        for a in 0..<size {
            for b in 0..<size { table[a << bits | b] = variant.product(UInt32(a), UInt32(b)) }
        }
        products = table
    }

    @inlinable
    public subscript(a: Int, b: Int) -> UInt32 { products[a << bits | b] }
}

/// Error statistics of a variant over pairs of nonzero operands: the relative error of each
/// product, `(approx - exact) / exact`.
public struct DaismErrorStats: Sendable, Hashable {
    public var variant: DaismVariant
    public var bits: Int
    /// Whether the operands are significands with a leading one (`2^(n-1) ... 2^n - 1`).
    public var significand: Bool
    /// Mean signed relative error (never positive: an OR never exceeds the sum).
    public var meanRelErr: Double
    public var meanAbsRelErr: Double
    public var maxAbsRelErr: Double
    /// Fraction of pairs whose product is exact.
    public var fracExact: Double
    public var pairs: Int

    /// The operands of the statistics: nonzero n-bit magnitudes, or significands.
    public static func operands(bits: Int, significand: Bool) -> ClosedRange<Int> {
        (significand ? 1 << (bits - 1) : 1)...((1 << bits) - 1)
    }

    /// Over every pair of operands, exhaustively.
    public static func exhaustive(variant: DaismVariant, bits: Int, significand: Bool) -> DaismErrorStats {
        let range = operands(bits: bits, significand: significand)
        var acc = Accumulator()
        for a in range {
            for b in range { acc.add(exact: UInt32(a * b), approx: variant.product(UInt32(a), UInt32(b)), count: 1) }
        }
        return acc.stats(variant: variant, bits: bits, significand: significand)
    }

    /// Over operand pairs given by their counts, `counts[a << bits | b]` (pairs with a zero
    /// operand are skipped).
    public static func over(counts: [Int], bits: Int, variant: DaismVariant) -> DaismErrorStats {
        precondition(counts.count == 1 << (2 * bits), "one count per operand pair")
        var acc = Accumulator()
        for key in counts.indices where counts[key] > 0 {
            let a = key >> bits, b = key & ((1 << bits) - 1)
            guard a != 0, b != 0 else { continue }
            acc.add(exact: UInt32(a * b), approx: variant.product(UInt32(a), UInt32(b)), count: counts[key])
        }
        return acc.stats(variant: variant, bits: bits, significand: false)
    }

    struct Accumulator {
        var sum = 0.0, sumAbs = 0.0, maxAbs = 0.0, exact = 0, pairs = 0

        mutating func add(exact e: UInt32, approx: UInt32, count: Int) {
            let rel = (Double(approx) - Double(e)) / Double(e)
            sum += rel * Double(count)
            sumAbs += abs(rel) * Double(count)
            maxAbs = max(maxAbs, abs(rel))
            if approx == e { exact += count }
            pairs += count
        }

        func stats(variant: DaismVariant, bits: Int, significand: Bool) -> DaismErrorStats {
            let n = Double(max(pairs, 1))
            return DaismErrorStats(variant: variant, bits: bits, significand: significand, meanRelErr: sum / n,
                                   meanAbsRelErr: sumAbs / n, maxAbsRelErr: maxAbs, fracExact: Double(exact) / n, pairs: pairs)
        }
    }
}
