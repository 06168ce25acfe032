/// How the summed noise term becomes an accuracy drop: a convex, non-decreasing,
/// piecewise-linear function `f` of `z = sum_l s_l * NSR_l` (points; the linear model's noise
/// drop), with `f(0) = 0`:
///
///     f(z) = slopes[0] * z + sum_k (slopes[k+1] - slopes[k]) * max(0, z - knees_pct[k])
///
/// It expresses what networks show when noise grows: nothing visible at first, then a roughly
/// linear loss, then a collapse. One piece with slope 1 (the default) is the linear model.
///
///     "drop_curve": {"knees_pct": [0.3, 12], "slopes": [0, 1, 8]}
///
/// Convex and non-decreasing, so the search stays exact on fixed channel widths: it sums the
/// linear terms, and `f` only reorders nothing (a larger sum never gives a smaller drop).
public struct DropCurve: Sendable, Hashable {
    public static let keys = ["knees_pct", "slopes"]

    /// Where the slope changes, in points of `z`, strictly increasing and positive.
    public let kneesPct: [Double]
    /// The slope of each piece (one more than the knees), non-negative and non-decreasing.
    public let slopes: [Double]

    public static let linear = DropCurve(kneesPct: [], slopes: [1])

    public init(kneesPct: [Double], slopes: [Double]) {
        precondition(slopes.count == kneesPct.count + 1, "one slope more than knees")
        precondition(zip(kneesPct, kneesPct.dropFirst()).allSatisfy { $0 < $1 } && kneesPct.allSatisfy { $0 > 0 && $0.isFinite })
        precondition(zip(slopes, slopes.dropFirst()).allSatisfy { $0 <= $1 } && slopes.allSatisfy { $0 >= 0 && $0.isFinite })
        self.kneesPct = kneesPct
        self.slopes = slopes
    }

    public var isLinear: Bool { kneesPct.isEmpty && slopes == [1] }

    /// `f(z)` for `z >= 0`.
    public func drop(noisePct z: Double) -> Double {
        var f = slopes[0] * z
        for (k, knee) in kneesPct.enumerated() where z > knee { f += (slopes[k + 1] - slopes[k]) * (z - knee) }
        return f
    }

    /// The pieces as lines `f(z) = max_k (intercept_k + slope_k z)` (the epigraph form a solver
    /// takes: `t >= intercept_k + slope_k z` for every k).
    public var lines: [(interceptPct: Double, slope: Double)] {
        var out = [(interceptPct: 0.0, slope: slopes[0])]
        for (k, knee) in kneesPct.enumerated() {
            let valueAtKnee = out[k].interceptPct + out[k].slope * knee
            out.append((valueAtKnee - slopes[k + 1] * knee, slopes[k + 1]))
        }
        return out
    }

    var json: JSONValue {
        .object([("knees_pct", .array(kneesPct.map { .number($0) })), ("slopes", .array(slopes.map { .number($0) }))])
    }

    static func read(_ node: JSONNode?) throws -> DropCurve {
        guard let node else { return .linear }
        let o = try node.object(allowing: keys)
        let knees = try o.optional("knees_pct")?.array().map { n -> Double in
            let v = try n.number(positive: true, what: "a positive number of points")
            guard v <= 1e6 else { throw n.fail("a number of points up to 1e6") }
            return v
        } ?? []
        let slopeNodes = try o.required("slopes").array(nonEmpty: true)
        guard slopeNodes.count == knees.count + 1 else {
            throw InputError(path: o.childPath("slopes"), "expected \(knees.count + 1) slopes (one more than knees_pct), found \(slopeNodes.count)")
        }
        if let k = knees.indices.dropFirst().first(where: { knees[$0] <= knees[$0 - 1] }) {
            throw InputError(path: o.childPath("knees_pct") + "[\(k)]", "expected a knee above the previous one (\(JSONValue.format(number: knees[k - 1])))")
        }
        var slopes: [Double] = []
        for n in slopeNodes {
            let v = try n.number(in: 0...1e6, what: "a slope in 0...1e6")
            if let last = slopes.last, v < last {
                throw n.fail("a slope of at least \(JSONValue.format(number: last)) (slopes never fall: the curve is convex)")
            }
            slopes.append(v)
        }
        return DropCurve(kneesPct: knees, slopes: slopes)
    }
}
