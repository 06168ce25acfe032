import Foundation

/// A design's estimated accuracy and the evidence behind it.
public struct DesignAccuracy: Sendable, Hashable {
    public var accuracyPct: Double
    /// Percentage points below the estimator's reference (``AccuracyModel/referenceAccuracyPct``).
    public var dropPct: Double
    /// Each layer's noise-to-signal ratio at the design's precision (``NoiseTables``).
    public var nsr: [Double]
    /// The standard error of each layer's NSR estimate.
    public var nsrStandardError: [Double]
    /// "prior", "calibrated" or "measured" (`AccuracyModel.basis`).
    public var basis: String
}

/// The search space's `accuracy` entry: which estimator, and how noise is measured.
public struct AccuracySpec: Sendable {
    public static let sharedKeys = ["noise", "drop_curve", "calibration"]

    public var estimator: AccuracyConfig
    public var noise: NoiseSettings
    /// How the summed noise term becomes a drop (`proxy` and `table`).
    public var curve: DropCurve = .linear
    /// What `xpert calibrate` recorded when it fitted this section; nil: the sensitivities and
    /// width law are priors.
    public var calibration: JSONValue? = nil
    /// Each layer's real weights and activations (`RealLayerData`), loaded with the space.
    public var realData: [RealLayerData?] = []

    public init(estimator: AccuracyConfig, noise: NoiseSettings, curve: DropCurve = .linear, calibration: JSONValue? = nil) {
        self.estimator = estimator
        self.noise = noise
        self.curve = curve
        self.calibration = calibration
    }

    static func read(_ node: JSONNode, workload: Workload, baseDirectory: URL) throws -> AccuracySpec {
        let estimator = try AccuracyConfig.read(node, workload: workload, baseDirectory: baseDirectory, sharedKeys: sharedKeys)
        let object = try node.object(allowing: AccuracyConfig.allKeys + sharedKeys)
        let noise = try NoiseSettings.read(object.optional("noise"))
        let curve = try DropCurve.read(object.optional("drop_curve"))
        if case .command = estimator, let n = object.optional("drop_curve") {
            throw InputError(path: n.path, "a drop curve applies to the proxy and table estimators; a command program measures the drop itself")
        }
        if case let .table(table) = estimator { try table.checkCovers(workload: workload, path: node.path + ".path") }
        let calibration = try object.optional("calibration").map { n -> JSONValue in
            _ = try n.object(allowing: n.value.objectKeys ?? [])
            return n.value
        }
        return AccuracySpec(estimator: estimator, noise: noise, curve: curve, calibration: calibration)
    }

    /// "calibrated" when `xpert calibrate` fitted the section, else "prior".
    public var basis: String { calibration == nil ? "prior" : "calibrated" }
}

/// The accuracy side of a search: the space's estimator, the measured noise tables, and the
/// additive per-layer drops the two phases optimise.
///
/// Per layer l, the drop the search sums is `width_l(out channels) + s_l * NSR_l(in channels,
/// input bits, ADC bits)` (``ProxyEstimator``'s terms, the "guide"):
/// - `proxy`: the guide is the estimator, so phase 1, phase 2 and the reported figures agree exactly;
/// - `table`: phase 2 is exact too (the table's accuracy of an architecture is a constant,
///   carried by the first layer's column, and the noise terms use the table's sensitivities);
///   phase 1 steers by the proxy's default width law, since a table is not additive;
/// - `command`: both phases steer by the proxy's default terms, and the program's answers,
///   asked for every phase-2 design, decide the frontier and `accuracy_drop_pct`.
public struct AccuracyModel: Sendable {
    public let estimator: AccuracyConfig
    public let noise: NoiseTables
    public let workload: Workload
    /// The additive terms the search steers by (see the type's doc).
    public let guide: ProxyEstimator
    /// The accuracy drops are measured from, percent: the proxy's `baseline_accuracy_pct`, the
    /// table's best accuracy, or the command's answer for the space's baseline design.
    public let referenceAccuracyPct: Double
    /// Where a `command` program's process group is registered while it runs.
    public let interrupts: Interrupts?
    /// How the summed noise term becomes a drop.
    public let curve: DropCurve
    /// "calibrated" or "prior" (`AccuracySpec.basis`); the command program's answers are measurements.
    public let basis: String

    /// Builds the model; for `command` this runs the program on `space.baseline` (cached).
    public init(space: SearchSpace, spec: AccuracySpec, noise: NoiseTables,
                interrupts: Interrupts? = nil) throws(CommandEstimatorFailure) {
        let workload = space.workload
        self.interrupts = interrupts
        self.estimator = spec.estimator
        self.noise = noise
        curve = spec.curve
        if case .command = spec.estimator { basis = "measured" } else { basis = spec.basis }
        self.workload = workload
        func defaultGuide(reference: Double, sensitivity: NoiseSensitivity) -> ProxyEstimator {
            ProxyEstimator(baselineAccuracyPct: reference, baselineChannels: workload.layers.map { $0.outChannelChoices.max()! },
                           widthWeights: ProxyEstimator.defaultWidthWeights(workload: workload), sensitivity: sensitivity)
        }
        switch spec.estimator {
        case let .proxy(proxy):
            guide = proxy
            referenceAccuracyPct = proxy.baselineAccuracyPct
        case let .table(table):
            referenceAccuracyPct = table.baselineAccuracyPct
            guide = defaultGuide(reference: referenceAccuracyPct, sensitivity: table.sensitivity)
        case let .command(command):
            referenceAccuracyPct = try command.evaluate([space.baseline], nsr: [noise.nsr(of: space.baseline, workload: workload)],
                                                        interrupts: interrupts)[0].get()
            guide = defaultGuide(reference: referenceAccuracyPct, sensitivity: NoiseSensitivity(
                pctPerNSR: Array(repeating: NoiseSensitivity.defaultPctPerNSR, count: workload.layers.count)))
        }
    }

    /// Whether phase 2's accuracy column is the estimator's drop exactly (`proxy`, `table`), so
    /// that `accuracy_drop_pct` can be a MILP row.
    public var isExactInPhase2: Bool {
        if case .command = estimator { return false }
        return curve.isLinear
    }

    /// Whether phase 1's accuracy label is the estimator's drop (`proxy` only), so that
    /// `accuracy_drop_pct` can prune phase-1 labels.
    public var isExactInPhase1: Bool {
        if case .proxy = estimator { return curve.isLinear }
        return false
    }


    /// Phase-1 terms: per layer, input-channel choice and architecture option, the least drop
    /// the layer's precision options reach (so a drop budget prunes only hopeless labels).
    public func phase1Terms(budgetPct: Double?) -> Phase1AccuracyTerms {
        let terms = workload.layers.enumerated().map { l, layer in
            let space = LayerOptionSpace(layer: layer)
            return noise.inChannelChoices[l].map { inChannels in
                // The least NSR of each architecture's precisions (computed once per substrate option part).
                var least: [SubstrateOption: Double] = [:]
                return space.architectures.map { a in
                    let nsr = least[a.option] ?? space.precisions(of: a).map {
                        noise.nsr(layer: l, inChannels: inChannels, option: LayerOptionSpace.design(a, $0).option)
                    }.min()!
                    least[a.option] = nsr
                    return guide.term(layer: l, outChannels: a.outChannels, nsr: nsr)
                }
            }
        }
        return Phase1AccuracyTerms(dropPct: terms, budgetPct: isExactInPhase1 ? budgetPct : nil)
    }

    /// Phase-2 column of an architecture: `[l][o]`, the drop of layer l at option o of
    /// `Phase2Options(layer:)`, percentage points.
    public func phase2DropPct(choices: [ArchitectureChoice]) -> [[Double]] {
        let outChannels = choices.map(\.outChannels)
        let tableLoss = tableLossPct(outChannels: outChannels)
        return workload.layers.enumerated().map { l, layer in
            let inChannels = workload.inChannels(of: l, outChannels: outChannels)
            return Phase2Options(layer: layer, architecture: choices[l]).options.map { o in
                layerDropPct(l, outChannels: outChannels[l], tableLoss: tableLoss,
                             nsr: noise.nsr(layer: l, inChannels: inChannels, option: LayerOptionSpace.design(choices[l], o).option))
            }
        }
    }

    /// `table`: the reference minus the table's accuracy of these channels, a constant of the
    /// architecture; 0 for the other estimators.
    func tableLossPct(outChannels: [Int]) -> Double {
        guard case let .table(table) = estimator else { return 0 }
        // Covered: `AccuracySpec.read` checked the table spans every channel choice.
        return referenceAccuracyPct - (try! table.accuracy(outChannels: outChannels))
    }

    /// Layer `l`'s drop at `outChannels` output channels and noise `nsr`: the value phase 2
    /// sums. For `table` the first layer carries the architecture's `tableLoss`.
    func layerDropPct(_ l: Int, outChannels: Int, tableLoss: Double, nsr: Double) -> Double {
        if case .table = estimator { return (l == 0 ? tableLoss : 0) + guide.noiseTerm(layer: l, nsr: nsr) }
        return guide.term(layer: l, outChannels: outChannels, nsr: nsr)
    }

    /// The drop with a drop curve: the width terms and the table's loss, plus the curve at the
    /// summed noise terms.
    func dropPct(outChannels: [Int], tableLoss: Double, nsr: [Double]) -> Double {
        var width = [tableLoss]
        if case .proxy = estimator { width += outChannels.indices.map { guide.widthTerm(layer: $0, outChannels: outChannels[$0]) } }
        let noise = ExactSum.of(nsr.indices.map { guide.noiseTerm(layer: $0, nsr: nsr[$0]) })
        return ExactSum.of(width) + curve.drop(noisePct: noise)
    }

    /// The accuracy of each design, in order. `proxy` and `table` sum the same per-layer drops
    /// as phase 2 (``ExactSum``); `command` asks the program (cached), and a failing call is
    /// that design's failure only.
    public func evaluate(_ designs: [Design]) -> [Result<DesignAccuracy, CommandEstimatorFailure>] {
        let estimates = designs.map { noise.estimates(of: $0, workload: workload) }
        let nsrs = estimates.map { $0.map(\.nsr) }
        let errors = estimates.map { $0.map(\.standardError) }
        if case let .command(command) = estimator {
            return command.evaluate(designs, nsr: nsrs, interrupts: interrupts).enumerated().map { i, answer in
                answer.map { DesignAccuracy(accuracyPct: $0, dropPct: referenceAccuracyPct - $0, nsr: nsrs[i], nsrStandardError: errors[i],
                                      basis: basis) }
            }
        }
        return designs.indices.map { i in
            let outChannels = designs[i].outChannels
            let tableLoss = tableLossPct(outChannels: outChannels)
            let drop = curve.isLinear
                ? ExactSum.of(outChannels.indices.map {
                    layerDropPct($0, outChannels: outChannels[$0], tableLoss: tableLoss, nsr: nsrs[i][$0])
                })
                : dropPct(outChannels: outChannels, tableLoss: tableLoss, nsr: nsrs[i])
            return .success(DesignAccuracy(accuracyPct: referenceAccuracyPct - drop, dropPct: drop, nsr: nsrs[i],
                                           nsrStandardError: errors[i], basis: basis))
        }
    }
}

extension TableEstimator {
    /// Throws unless every layer column spans all of its layer's channel choices, so that every
    /// design of the space can be interpolated.
    func checkCovers(workload: Workload, path: String) throws {
        for (k, range) in ranges.enumerated() {
            let choices = workload.layers[layerColumns[k]].outChannelChoices
            guard range.contains(choices.min()!), range.contains(choices.max()!) else {
                throw InputError(path: path, "the accuracy table's column \(layerNames[k]) spans \(range.lowerBound)...\(range.upperBound) "
                    + "channels, but the layer offers \(choices.min()!)...\(choices.max()!); add rows that cover every choice")
            }
        }
    }
}
