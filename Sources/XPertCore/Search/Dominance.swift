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

    /// A step with x and y both at most these, if there is one.
    @inlinable
    func dominator(_ x: Int64, _ y: Int64) -> (x: Int64, y: Int64)? {
        let lo = stepsAtMost(x)
        return lo > 0 && ys[lo - 1] <= y ? (xs[lo - 1], ys[lo - 1]) : nil
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
/// the three. The first dimension's range is cut into buckets at quantiles of the values
/// candidates can take; a Fenwick tree over the buckets holds, per node, a staircase of the
/// other two dimensions of the points in its buckets, which answers for every bucket below the
/// candidate's; the points of the candidate's own bucket are checked one by one.
struct RankedStaircases {
    /// Sorted bucket boundaries: bucket k holds values in `bounds[k - 1] ..< bounds[k]`.
    private let bounds: [Int64]
    private var nodes: [Staircase]
    private var members: [[SIMD3<Int64>]]
    /// The last dominating step found: the highest bucket its node covers, and its pair. Runs
    /// of candidates are often dominated by the same kept point, which this checks first.
    private var lastBucket = 0, lastB = Int64.max, lastC = Int64.max

    /// Buckets of the first dimension at most.
    static let bucketCount = 2048

    /// `values`: the first-dimension values candidates can take (any order, a sample will do).
    init(values: [Int64]) {
        let step = max(1, values.count / (4 * Self.bucketCount))
        var sample = stride(from: 0, to: values.count, by: step).map { values[$0] }
        sample.sort()
        var bounds: [Int64] = []
        let count = min(Self.bucketCount, max(1, sample.count / 4))
        for k in 1..<max(1, count) {
            let v = sample[k * sample.count / count]
            if bounds.last != v { bounds.append(v) }
        }
        self.bounds = bounds
        nodes = Array(repeating: Staircase(), count: bounds.count + 2)
        members = Array(repeating: [], count: bounds.count + 1)
    }

    /// The bucket of `x` (0-based): the number of boundaries at most `x`.
    private func bucket(_ x: Int64) -> Int {
        var lo = 0, n = bounds.count
        while n > 0 {
            let half = n / 2
            if bounds[lo + half] <= x { lo += half + 1; n -= half + 1 } else { n = half }
        }
        return lo
    }

    mutating func admit(_ a: Int64, _ b: Int64, _ c: Int64) -> Bool {
        let k = bucket(a)
        // Buckets below this one: every point there has a smaller first value.
        if k >= lastBucket && lastB <= b && lastC <= c { return false }
        var i = k
        while i > 0 {
            if let step = nodes[i].dominator(b, c) {
                (lastBucket, lastB, lastC) = (i, step.x, step.y)
                return false
            }
            i -= i & -i
        }
        for p in members[k] where p.x <= a && p.y <= b && p.z <= c { return false }
        members[k].append(SIMD3(a, b, c))
        i = k + 1
        while i < nodes.count {
            if !nodes[i].dominates(b, c) { nodes[i].insert(b, c) }
            i += i & -i
        }
        return true
    }
}
