import Foundation

/// Fits the `proxy` estimator's per-layer sensitivities and width law to measured accuracies:
///
///     drop_i = reference - accuracy_i = sum_l s_l * NSR_il + c * sum_l w_l * x_il ^ e
///
/// (`ProxyEstimator`'s terms), with `s_l >= 0` and `c >= 0` by non-negative least squares and
/// `e` on a grid (0.25 ... 4 in steps of 0.05) when some design narrows a layer. Unknowns the
/// designs cannot tell apart are held near their prior by a light ridge (1e-4 of the mean
/// squared column norm, on columns scaled to unit norm), so a fit from few designs moves only
/// what the data show.
public struct ProxyCalibration: Sendable {
    /// The fitted estimator (the space's width weights and baseline channels, its reference).
    public let fitted: ProxyEstimator
    /// Per design: measured accuracy, the prior's estimate, the fit's estimate.
    public let measuredPct: [Double]
    public let priorPct: [Double]
    public let fittedPct: [Double]
    /// Per design: the estimate when that design is left out of the fit.
    public let leaveOneOutPct: [Double]
    public let ids: [String]

    public var priorRMSEPct: Double { Self.rmse(priorPct, measuredPct) }
    public var fittedRMSEPct: Double { Self.rmse(fittedPct, measuredPct) }
    public var leaveOneOutRMSEPct: Double { Self.rmse(leaveOneOutPct, measuredPct) }

    static func rmse(_ a: [Double], _ b: [Double]) -> Double {
        (zip(a, b).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / Double(max(1, a.count))).squareRoot()
    }

    /// `prior`: the terms before the fit (the space's proxy, or the default terms for another
    /// estimator, with `reference` as the baseline accuracy); `nsr[i]`: design i's per-layer NSRs.
    public init(prior: ProxyEstimator, designs: MeasuredDesigns, nsr: [[Double]]) {
        let layers = prior.layerCount
        let outChannels = designs.designs.map(\.outChannels)
        let targets = designs.accuracyPct.map { prior.baselineAccuracyPct - $0 }
        func octaves(_ i: Int, _ l: Int) -> Double { max(0, log2(Double(prior.baselineChannels[l]) / Double(outChannels[i][l]))) }
        let narrows = designs.designs.indices.contains { i in (0..<layers).contains { octaves(i, $0) > 0 && prior.widthWeights[$0] > 0 } }
        let exponents = narrows ? stride(from: 0.25, through: 4.0001, by: 0.05).map { ($0 * 100).rounded() / 100 } : [prior.widthExponent]
        let priorValues = prior.sensitivity.pctPerNSR + [prior.widthCoefficientPct]

        /// Features of design i at exponent e: NSR per layer, then the width sum.
        func features(_ i: Int, _ e: Double) -> [Double] {
            nsr[i] + [(0..<layers).reduce(0.0) { $0 + prior.widthWeights[$1] * (octaves(i, $1) > 0 ? pow(octaves(i, $1), e) : 0) }]
        }
        func fit(_ rows: [Int], _ e: Double) -> [Double] {
            let a = rows.map { features($0, e) }, b = rows.map { targets[$0] }
            let n = priorValues.count
            let norms = (0..<n).map { j in a.reduce(0.0) { $0 + $1[j] * $1[j] }.squareRoot() }
            let live = (0..<n).filter { norms[$0] > 0 }
            guard !live.isEmpty else { return priorValues }
            let lambda = 1e-4
            var scaled = a.map { row in live.map { row[$0] / norms[$0] } }
            var rhs = b
            for (k, j) in live.enumerated() {
                var ridge = [Double](repeating: 0, count: live.count)
                ridge[k] = lambda.squareRoot()
                scaled.append(ridge)
                rhs.append(lambda.squareRoot() * priorValues[j] * norms[j])
            }
            let x = NonNegativeLeastSquares.solve(scaled, rhs)
            var out = priorValues
            for (k, j) in live.enumerated() { out[j] = x[k] / norms[j] }
            return out
        }
        func predict(_ values: [Double], _ i: Int, _ e: Double) -> Double {
            prior.baselineAccuracyPct - zip(values, features(i, e)).reduce(0) { $0 + $1.0 * $1.1 }
        }
        let all = Array(designs.designs.indices)
        var best = (sse: Double.infinity, e: prior.widthExponent, values: priorValues)
        for e in exponents {
            let values = fit(all, e)
            let sse = all.reduce(0.0) { $0 + pow(predict(values, $1, e) - designs.accuracyPct[$1], 2) }
            if sse < best.sse - 1e-12 { best = (sse, e, values) }
        }
        let fitted = ProxyEstimator(baselineAccuracyPct: prior.baselineAccuracyPct, baselineChannels: prior.baselineChannels,
                                widthCoefficientPct: best.values[layers], widthExponent: best.e, widthWeights: prior.widthWeights,
                                sensitivity: NoiseSensitivity(pctPerNSR: Array(best.values[0..<layers])))
        self.fitted = fitted
        measuredPct = designs.accuracyPct
        ids = designs.ids
        priorPct = all.map { prior.estimate(outChannels: outChannels[$0], nsr: nsr[$0]).accuracyPct }
        fittedPct = all.map { fitted.estimate(outChannels: outChannels[$0], nsr: nsr[$0]).accuracyPct }
        leaveOneOutPct = all.map { i in
            let rest = all.filter { $0 != i }
            return rest.isEmpty ? predict(priorValues, i, prior.widthExponent) : predict(fit(rest, best.e), i, best.e)
        }
    }
}
