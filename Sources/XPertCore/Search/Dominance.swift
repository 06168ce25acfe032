/// Fixed-point objective values of a partial or whole design: up to four dimensions, the
/// unused ones 0. Smaller is better in every dimension.
public typealias ObjectiveVector = SIMD4<Int64>

/// Whether `a` precedes `b` lexicographically in the first `dims` dimensions (nil: equal).
@inlinable
func lexicographicOrder(_ a: ObjectiveVector, _ b: ObjectiveVector) -> Bool? {
    for i in 0..<4 where a[i] != b[i] { return a[i] < b[i] }
    return nil
}

/// The kept points of a dominance filter that sees candidates in increasing order of their
/// first dimension (ties in any order): `admit` tells whether no kept point weakly dominates a
/// candidate in the remaining `dims - 1` dimensions, and keeps it if so. Since every earlier
/// point is at most the candidate in the first dimension, that is weak dominance in all
/// dimensions, so admitting in that order yields the nondominated set (equal vectors: the
/// first one).
///
/// One dimension: the first point only. Two: a running minimum. Three: a staircase of the
/// minimal (second, third) pairs. Four: a Fenwick tree over the ranks of the second
/// dimension whose nodes hold staircases of (third, fourth) pairs; the ranks come from the
/// second-dimension values of every possible candidate, given up front.
struct DominanceFilter {
    let dims: Int
    private var any = false
    private var minimum = Int64.max
    private var stairs = Staircase()
    private var ranked: RankedStaircases?

    /// `secondValues`: with four dimensions, every second-dimension value a candidate can
    /// have (any order, duplicates allowed); ignored otherwise.
    init(dims: Int, secondValues: [Int64] = []) {
        precondition((1...4).contains(dims), "one to four dimensions")
        self.dims = dims
        if dims == 4 { ranked = RankedStaircases(values: secondValues) }
    }

    /// Whether no kept point weakly dominates `v` (in dimensions 1..<dims); if so, it is kept.
    @inlinable
    mutating func admit(_ v: ObjectiveVector) -> Bool {
        switch dims {
        case 1:
            if any { return false }
            any = true
            return true
        case 2:
            if v[1] >= minimum { return false }
            minimum = v[1]
            return true
        case 3:
            return stairs.admit(v[1], v[2])
        default:
            return ranked!.admit(v[1], v[2], v[3])
        }
    }
}

/// The minimal (x, y) pairs of kept points: x ascending, y strictly descending.
struct Staircase {
    private(set) var xs: [Int64] = []
    private(set) var ys: [Int64] = []

    var count: Int { xs.count }

    /// The number of steps with x at most `x`; the last of them has their lowest y.
    @inlinable
    func stepsAtMost(_ x: Int64) -> Int {
        var lo = 0, n = xs.count
        while n > 0 {
            let half = n / 2
            let below = xs[lo + half] <= x
            lo = below ? lo + half + 1 : lo
            n = below ? n - half - 1 : half
        }
        return lo
    }

    /// Whether some step has x and y both at most these.
    @inlinable
    func dominates(_ x: Int64, _ y: Int64) -> Bool {
        let lo = stepsAtMost(x)
        return lo > 0 && ys[lo - 1] <= y
    }

    /// Adds the pair, removing the steps it covers (the caller knows no step dominates it).
    mutating func insert(_ x: Int64, _ y: Int64) {
        let lo = stepsAtMost(x)
        let start = lo > 0 && xs[lo - 1] == x ? lo - 1 : lo
        var end = lo
        while end < ys.count && ys[end] >= y { end += 1 }
        xs.replaceSubrange(start..<end, with: CollectionOfOne(x))
        ys.replaceSubrange(start..<end, with: CollectionOfOne(y))
    }

    /// Whether no step has x and y both at most these; if so, the pair becomes a step.
    @inlinable
    mutating func admit(_ x: Int64, _ y: Int64) -> Bool {
        if dominates(x, y) { return false }
        insert(x, y)
        return true
    }
}

/// Three-dimensional dominance among kept points, for candidates in any order of the first of
/// the three: a Fenwick tree over the ranks of the first, each node a staircase of the other two.
struct RankedStaircases {
    /// Sorted distinct first-dimension values.
    private let values: [Int64]
    private var nodes: [Staircase]

    init(values: [Int64]) {
        self.values = Array(Set(values)).sorted()
        nodes = Array(repeating: Staircase(), count: self.values.count + 1)
    }

    /// 1-based rank of the largest value at most `x` (0: none).
    private func rank(_ x: Int64) -> Int {
        var lo = 0, n = values.count
        while n > 0 {
            let half = n / 2
            if values[lo + half] <= x { lo += half + 1; n -= half + 1 } else { n = half }
        }
        return lo
    }

    mutating func admit(_ a: Int64, _ b: Int64, _ c: Int64) -> Bool {
        let r = rank(a)
        var i = r
        while i > 0 {
            if nodes[i].dominates(b, c) { return false }
            i -= i & -i
        }
        precondition(r > 0, "a candidate's value must be among those given up front")
        i = r
        while i < nodes.count {
            if !nodes[i].dominates(b, c) { nodes[i].insert(b, c) }
            i += i & -i
        }
        return true
    }
}
