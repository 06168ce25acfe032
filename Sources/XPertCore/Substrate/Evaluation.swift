import Dispatch

/// A design's cost: every layer's cost and the totals.
public struct DesignEvaluation: Sendable, Hashable {
    public var design: Design
    public var layers: [LayerCost]
    public var totals: DesignTotals
    /// The estimated accuracy, when the space has an accuracy estimator.
    public var accuracy: DesignAccuracy?

    public init(design: Design, layers: [LayerCost], totals: DesignTotals, accuracy: DesignAccuracy? = nil) {
        self.design = design
        self.layers = layers
        self.totals = totals
        self.accuracy = accuracy
    }

    /// Constraint names the design exceeds (see `Constraints.violations`).
    public func violations(of constraints: Constraints) -> [String] {
        constraints.violations(totals, dropPct: accuracy?.dropPct)
    }
}

extension CrossbarArchitecture {
    /// The architecture of a search space's hardware and number formats.
    public init(space: SearchSpace) {
        self.init(hardware: space.hardware, weightBits: space.workload.weightBits,
                  activationBits: space.workload.activationBits)
    }
}

/// Design evaluation, shared by `xpert evaluate` and the search: the substrates' costs and,
/// when the space has an accuracy estimator, the noise tables and the accuracy model.
public struct DesignEvaluator: Sendable {
    public let space: SearchSpace
    public let substrates: Substrates
    /// The accuracy model; nil without an estimator.
    public let accuracy: AccuracyModel?
    /// Seconds spent building the noise tables and the model (0 without an estimator).
    public let accuracySeconds: Double

    /// Builds the models. With `only`, the noise tables hold just the layer shapes those designs
    /// (and the baseline, a `command` estimator's reference) use; otherwise every shape of the
    /// space. A `command` estimator runs once here, on the baseline.
    public init(space: SearchSpace, threads: Int, interrupts: Interrupts? = nil, only designs: [Design]? = nil) throws(AccuracyUnavailable) {
        self.space = space
        substrates = Substrates(space: space)
        guard let spec = space.accuracy else {
            accuracy = nil
            accuracySeconds = 0
            return
        }
        let start = DispatchTime.now().uptimeNanoseconds
        let noise = NoiseTables.build(space: space, settings: spec.noise, threads: threads, only: designs.map { $0 + [space.baseline] })
        do { accuracy = try AccuracyModel(space: space, spec: spec, noise: noise, interrupts: interrupts) } catch {
            throw AccuracyUnavailable(failure: error)
        }
        accuracySeconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    /// The cost of a design, without accuracy.
    public func cost(_ design: Design) -> DesignEvaluation { substrates.evaluate(design, workload: space.workload) }

    /// Each design's cost and, with an estimator, its accuracy (a `command` failure is that
    /// design's failure only).
    public func evaluate(_ designs: [Design]) -> [Result<DesignEvaluation, AccuracyFailure>] {
        var evaluations = designs.map(cost)
        guard let accuracy else { return evaluations.map { .success($0) } }
        return accuracy.evaluate(designs).enumerated().map { i, answer in
            switch answer {
            case let .success(a):
                evaluations[i].accuracy = a
                return .success(evaluations[i])
            case let .failure(f):
                return .failure(AccuracyFailure(design: designs[i], failure: f))
            }
        }
    }
}
