import Foundation

/// Per-layer sensitivities and a drop curve from a `command` program's answers for the
/// baseline design with noise of known NSR injected in one layer at a time (`xpert calibrate
/// --probe`).
///
/// Layer l's sensitivity is the least-squares slope through the origin of its drop against
/// the injected NSR, over the levels before its collapse (drops up to a quarter of the
/// noise-free accuracy); the curve is then the convex three-piece function (flat, linear,
/// steeper) of `z = s_l * NSR` that fits those probe points best (knees on a grid of the
/// points' own `z`, slopes by non-negative least squares). Beyond the collapse the answers
/// saturate towards chance; the fit leaves them out and `rmsePct` covers the points it used.
public struct ProbeCalibration: Sendable {
    /// NSRs injected, per layer.
    public static let levels = [0.003, 0.01, 0.03, 0.1, 0.3, 1, 3]

    /// The program's accuracy with no noise anywhere.
    public let referencePct: Double
    /// `dropsPct[l][k]`: the drop with `levels[k]` in layer l.
    public let dropsPct: [[Double]]
    public let sensitivity: [Double]
    public let curve: DropCurve

    /// The NSR vectors to ask for, in order: all zero, then each layer at each level.
    public static func requests(layers: Int) -> [[Double]] {
        var out = [[Double](repeating: 0, count: layers)]
        for l in 0..<layers {
            for v in levels {
                var nsr = [Double](repeating: 0, count: layers)
                nsr[l] = v
                out.append(nsr)
            }
        }
        return out
    }

    /// The fit from the answers to `requests(layers:)`, in order.
    public init(layers: Int, answersPct: [Double]) {
        precondition(answersPct.count == 1 + layers * Self.levels.count)
        let reference = answersPct[0]
        referencePct = reference
        let drops = (0..<layers).map { l in Self.levels.indices.map { reference - answersPct[1 + l * Self.levels.count + $0] } }
        dropsPct = drops
        let collapse = reference / 4
        let sensitivity = drops.map { d -> Double in
            var (vd, vv) = (0.0, 0.0)
            for (k, v) in Self.levels.enumerated() {
                if d[k] > collapse && vv > 0 { break }
                vd += v * d[k]
                vv += v * v
            }
            return max(0, vd / vv)
        }
        self.sensitivity = sensitivity
        // The curve is fitted where designs are worth having: past a quarter of the accuracy
        // lost, the answers saturate towards chance, which no convex curve follows.
        var points: [(z: Double, drop: Double)] = []
        for l in 0..<layers {
            for (k, v) in Self.levels.enumerated() where drops[l][k] <= collapse { points.append((sensitivity[l] * v, drops[l][k])) }
        }
        curve = points.isEmpty ? .linear : Self.fitCurve(points)
    }

    /// The convex curve `s1 * max(0, z - a) + (s2 - s1) * max(0, z - b)` of least squared error.
    static func fitCurve(_ points: [(z: Double, drop: Double)]) -> DropCurve {
        let knots = [0.0] + Array(Set(points.map(\.z).filter { $0 > 0 })).sorted()
        var best = (sse: Double.infinity, curve: DropCurve.linear)
        for (i, a) in knots.enumerated() {
            for b in knots[(i + 1)...] + [Double.infinity] {
                let rows = points.map { [max(0, $0.z - a), b.isFinite ? max(0, $0.z - b) : 0] }
                let x = NonNegativeLeastSquares.solve(rows, points.map(\.drop))
                let sse = zip(rows, points).reduce(0.0) { $0 + pow(x[0] * $1.0[0] + x[1] * $1.0[1] - $1.1.drop, 2) }
                guard sse < best.sse - 1e-12 else { continue }
                var knees: [Double] = [], slopes = [0.0]
                if a > 0 { knees.append(a); slopes.append(x[0]) } else { slopes = [x[0]] }
                if b.isFinite, x[1] > 0 { knees.append(b); slopes.append(x[0] + x[1]) }
                // Drop pieces that do not change the slope.
                var k = 0
                while k < knees.count {
                    if slopes[k + 1] == slopes[k] { knees.remove(at: k); slopes.remove(at: k + 1) } else { k += 1 }
                }
                best = (sse, DropCurve(kneesPct: knees, slopes: slopes))
            }
        }
        return best.curve
    }

    /// The fitted drop of layer l at `levels[k]`.
    public func fittedDropPct(layer l: Int, level k: Int) -> Double { curve.drop(noisePct: sensitivity[l] * Self.levels[k]) }

    /// Root-mean-square error of the fit over the probe points before the collapse, points.
    public var rmsePct: Double {
        var (sum, count) = (0.0, 0)
        for l in dropsPct.indices {
            for k in Self.levels.indices where dropsPct[l][k] <= referencePct / 4 {
                sum += pow(fittedDropPct(layer: l, level: k) - dropsPct[l][k], 2)
                count += 1
            }
        }
        return count == 0 ? 0 : (sum / Double(count)).squareRoot()
    }
}
