import Foundation

/// The `proxy` accuracy estimator: a baseline accuracy minus a channel-width term and a noise
/// term per layer,
///
///     accuracy = baseline_accuracy_pct - sum_l (width_l + noise_l)
///     width_l  = width_coefficient_pct * w_l * x_l ^ width_exponent,
///                x_l = max(0, log2(baseline_channels_l / out_channels_l))
///     noise_l  = s_l * NSR_l
///
/// `x_l` is how many octaves (halvings) layer l is narrower than the network whose accuracy is
/// the baseline. Only output channels count: a layer's input channels are the previous
/// layer's output channels, already counted there. A layer wider than the baseline gains
/// nothing (conservative). The weights `w_l` default to `1 / n`, n the number of layers with
/// more than one channel choice, so that narrowing every such layer by the same factor `a`
/// costs `width_coefficient_pct * log2(1/a) ^ width_exponent`: the coefficient is "points lost
/// per octave of uniform narrowing". Both the logarithmic shape and the defaults come from
/// width-multiplier studies:
/// - MobileNet v1 (Howard et al. 2017, Table 6, ImageNet top-1): width 1.0 / 0.75 / 0.5 / 0.25
///   give 70.6 / 68.4 / 63.7 / 50.6 %, i.e. drops of 2.2 / 6.9 / 20.0 points at 0.415 / 1 / 2
///   octaves. `7 * x^1.4` gives 2.0 / 7.0 / 18.5: the defaults `width_coefficient_pct = 7`,
///   `width_exponent = 1.4`.
/// - Wide Residual Networks (Zagoruyko & Komodakis 2016) and EfficientNet's width scaling
///   (Tan & Le 2019, Fig. 3) show the same saturating, roughly log-linear gain with width; on
///   CIFAR-10 the magnitude is about ten times smaller (WRN-40-k gains about 2 points from
///   k = 1 to k = 8, three octaves), so set `width_coefficient_pct` near 0.7 there.
/// The defaults are a rough prior, to be replaced by measurements of the network at hand
/// (train a few narrowed versions and fit the coefficient and exponent).
///
/// The estimator is additive over layers and each layer's term depends only on that layer's
/// own option (output channels and NSR), so it is linear in one-hot (layer, option) variables.
public struct ProxyEstimator: Sendable, Hashable {
    public static let keys = ["estimator", "baseline_accuracy_pct", "baseline_channels", "width_coefficient_pct",
                              "width_exponent", "width_weights", "sensitivity", "default_sensitivity_pct_per_nsr"]

    /// Points lost per octave of uniform narrowing (MobileNet v1, ImageNet; see the type's doc).
    public static let defaultWidthCoefficientPct = 7.0
    /// Curvature of the width law (fit to MobileNet v1's width multipliers).
    public static let defaultWidthExponent = 1.4

    public let baselineAccuracyPct: Double
    /// Output channels of each layer in the baseline network (default: the largest choice).
    public let baselineChannels: [Int]
    public let widthCoefficientPct: Double
    public let widthExponent: Double
    /// `w_l` per layer.
    public let widthWeights: [Double]
    public let sensitivity: NoiseSensitivity

    public init(baselineAccuracyPct: Double, baselineChannels: [Int], widthCoefficientPct: Double = defaultWidthCoefficientPct,
                widthExponent: Double = defaultWidthExponent, widthWeights: [Double], sensitivity: NoiseSensitivity) {
        precondition(baselineChannels.count == widthWeights.count && widthWeights.count == sensitivity.pctPerNSR.count,
                     "one baseline channel count, width weight and sensitivity per layer")
        precondition(baselineChannels.allSatisfy { $0 > 0 } && widthWeights.allSatisfy { $0.isFinite && $0 >= 0 })
        precondition(widthCoefficientPct.isFinite && widthCoefficientPct >= 0 && widthExponent > 0 && widthExponent.isFinite)
        self.baselineAccuracyPct = baselineAccuracyPct
        self.baselineChannels = baselineChannels
        self.widthCoefficientPct = widthCoefficientPct
        self.widthExponent = widthExponent
        self.widthWeights = widthWeights
        self.sensitivity = sensitivity
    }

    /// The default width weights: `1 / n` for each of the n layers with several channel
    /// choices, 0 for fixed layers (all 0 when no layer has a choice).
    public static func defaultWidthWeights(workload: Workload) -> [Double] {
        let variable = workload.layers.filter { $0.outChannelChoices.count > 1 }.count
        return workload.layers.map { $0.outChannelChoices.count > 1 ? 1 / Double(variable) : 0 }
    }

    public var layerCount: Int { baselineChannels.count }

    /// The width part of layer `layer`'s loss, in points, at `outChannels` output channels.
    public func widthTerm(layer: Int, outChannels: Int) -> Double {
        precondition(outChannels > 0, "channel counts are positive")
        let octaves = log2(Double(baselineChannels[layer]) / Double(outChannels))
        guard octaves > 0, widthWeights[layer] > 0 else { return 0 }
        return widthCoefficientPct * widthWeights[layer] * pow(octaves, widthExponent)
    }

    /// The noise part of layer `layer`'s loss, in points, at noise-to-signal ratio `nsr`.
    public func noiseTerm(layer: Int, nsr: Double) -> Double { sensitivity.term(layer: layer, nsr: nsr) }

    /// Layer `layer`'s whole loss, in points: `accuracy = baseline - sum of term(l, ...)`.
    public func term(layer: Int, outChannels: Int, nsr: Double) -> Double {
        widthTerm(layer: layer, outChannels: outChannels) + noiseTerm(layer: layer, nsr: nsr)
    }

    /// The estimate at the given output channels and NSRs (one per layer, in workload order).
    /// Not clamped to 0...100, so that it stays exactly `baseline - sum of terms`.
    public func estimate(outChannels: [Int], nsr: [Double]) -> AccuracyEstimate {
        precondition(outChannels.count == layerCount && nsr.count == layerCount, "one channel count and NSR per layer")
        let drop = ExactSum.of((0..<layerCount).map { term(layer: $0, outChannels: outChannels[$0], nsr: nsr[$0]) })
        return AccuracyEstimate(accuracyPct: baselineAccuracyPct - drop, dropPct: drop)
    }

    /// The estimate of a design of this estimator's workload, given each layer's NSR at the
    /// design's precision (see `NSRTable.nsr(inputBits:adcBits:bitsPerCell:)`).
    public func estimate(design: Design, nsr: [Double]) -> AccuracyEstimate {
        estimate(outChannels: design.outChannels, nsr: nsr)
    }

    static func read(_ object: JSONObject, workload: Workload) throws -> ProxyEstimator {
        let baseline = try object.required("baseline_accuracy_pct").number(in: 0...100, what: "a percentage")
        var channels = workload.layers.map { $0.outChannelChoices.max()! }
        if let node = object.optional("baseline_channels") {
            for (index, item) in try perLayer(node, workload: workload) { channels[index] = try item.positiveInt() }
        }
        let coefficient = try object.optional("width_coefficient_pct").map(nonNegative) ?? defaultWidthCoefficientPct
        let exponent = try object.optional("width_exponent").map { try $0.number(in: 0.25...4) } ?? defaultWidthExponent
        var weights = defaultWidthWeights(workload: workload)
        if let node = object.optional("width_weights") {
            for (index, item) in try perLayer(node, workload: workload) { weights[index] = try nonNegative(item) }
        }
        let sensitivity = try NoiseSensitivity.read(object, workload: workload, fallback: NoiseSensitivity.defaultPctPerNSR)
        return ProxyEstimator(baselineAccuracyPct: baseline, baselineChannels: channels, widthCoefficientPct: coefficient,
                              widthExponent: exponent, widthWeights: weights, sensitivity: sensitivity)
    }
}
