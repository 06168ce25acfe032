import Dispatch
import Foundation

/// Why a search found nothing to report: the message names the binding constraint and the
/// smallest value that would be feasible.
public struct SearchInfeasible: Error, Sendable, CustomStringConvertible {
    /// JSON path of the binding constraint, e.g. `$.constraints.area_mm2`.
    public let path: String
    public let message: String
    public var description: String { message }
}

/// Progress of a running search: phase, units done, units in all, and a detail.
public struct SearchProgress: Sendable {
    public var phase: String
    public var done: Int
    public var total: Int
    /// A detail to show after the count (the layer and its labels, say).
    public var detail: String = ""

    public init(phase: String, done: Int, total: Int, detail: String = "") {
        self.phase = phase
        self.done = done
        self.total = total
        self.detail = detail
    }
}

/// The accuracy of the baseline design, which a `command` estimator measures drops from,
/// could not be obtained.
public struct AccuracyUnavailable: Error, Sendable, CustomStringConvertible {
    public let failure: CommandEstimatorFailure
    public init(failure: CommandEstimatorFailure) { self.failure = failure }
    public var description: String { "the accuracy command failed on the baseline design: \(failure)" }
}

/// A design the `command` estimator failed on; the design is left out of the frontier.
public struct AccuracyFailure: Error, Sendable {
    public var design: Design
    public var failure: CommandEstimatorFailure
}

/// A whole search of a space, by its method, and the frontier it reports.
public struct SearchRun: Sendable {
    public var space: SearchSpace
    public var threads: Int
    public var options: [LayerOptionSpace]
    /// The exact method's summary; nil for two-phase.
    public var joint: JointSummary?
    /// The two-phase method's summary; nil for exact.
    public var twoPhase: TwoPhaseSummary?
    /// The reported designs: nondominated by the space's objectives, sorted by them (an
    /// evenly spread subset with `search.report_points`).
    public var frontier: [FrontierDesign]
    /// Designs of the whole frontier, before `report_points`.
    public var frontierSize: Int
    public var baseline: DesignEvaluation
    /// Whole designs evaluated for the final filter.
    public var designsEvaluated: Int
    /// Designs whose accuracy was estimated (with a `command` estimator in the exact method,
    /// an evenly spread subset of the candidates).
    public var designsEstimated = 0
    /// The accuracy model, when the space has an estimator.
    public var accuracy: AccuracyModel?
    /// Designs the `command` estimator failed on (left out).
    public var accuracyFailures: [AccuracyFailure]
    /// What is exact about the result and what is not, for `run.json`, in order.
    public var exactness: [(key: String, statement: String)]
    /// Wall times of the stages, in order: noise tables, the search's parts, the accuracy estimates.
    public var stageSeconds: [(stage: String, seconds: Double)]

    /// Wall time of the whole run.
    public var totalSeconds: Double { stageSeconds.reduce(0) { $0 + $1.seconds } }

    /// The design of a frontier entry.
    public func design(_ d: FrontierDesign) -> Design { d.design(options: options) }

    /// Runs the space's search method: the noise tables first when the space has an accuracy
    /// estimator, then the search, then the accuracy estimates and the final filter. The result
    /// does not depend on `threads`. `topK` overrides `search.top_k` (two-phase).
    public static func run(space: SearchSpace, topK: Int? = nil, threads: Int = 1, interrupts: Interrupts? = nil,
                           progress: (@Sendable (SearchProgress) -> Void)? = nil) throws -> SearchRun {
        let workload = space.workload
        var stages: [(String, Double)] = []
        if space.accuracy != nil { progress?(SearchProgress(phase: "noise tables", done: 0, total: workload.layers.count)) }
        let evaluator = try DesignEvaluator(space: space, threads: threads, interrupts: interrupts)
        if space.accuracy != nil { stages.append(("noise_tables", evaluator.accuracySeconds)) }
        var run = SearchRun(space: space, threads: threads, options: LayerOptionSpace.of(workload), joint: nil, twoPhase: nil,
                            frontier: [], frontierSize: 0, baseline: evaluator.cost(space.baseline),
                            designsEvaluated: 0, accuracy: evaluator.accuracy, accuracyFailures: [], exactness: [], stageSeconds: stages)
        let candidates: [FrontierDesign]
        switch space.search.method {
        case .exact: candidates = try run.exact(progress: progress)
        case .twoPhase: candidates = try run.twoPhase(topK: topK, progress: progress)
        }
        try run.finish(candidates, progress: progress)
        return run
    }

    static func seconds(since start: UInt64) -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }

    /// Whether the search steers by accuracy: an objective or a budget.
    var steersByAccuracy: Bool { space.objectives.contains(.accuracy) || space.constraints.accuracyDropPct != nil }

    /// The accuracy estimates of the candidates, the budgets on the estimates, the final filter
    /// and the `report_points` subset.
    mutating func finish(_ candidates: [FrontierDesign], progress: (@Sendable (SearchProgress) -> Void)?) throws {
        let start = DispatchTime.now().uptimeNanoseconds
        var pool = candidates
        if let model = accuracy {
            if case .command = model.estimator, space.search.method == .exact, pool.count > space.search.commandDesigns {
                // The program is asked for an evenly spread subset of the frontier it steered by
                // (the accuracy there is the search's guide drop).
                var guided = space.objectives.filter { $0 != .accuracy }
                if steersByAccuracy { guided.append(.accuracy) }
                let dims = joint?.dimensions ?? []
                pool = ParetoFront.spread(pool, objectives: guided, count: space.search.commandDesigns) { o, d in
                    if o == .accuracy, let sums = d.searchSums, let i = dims.firstIndex(of: .accuracyDrop) { return Double(sums[i]) }
                    return ParetoFront.value(o, d)
                }
            }
            progress?(SearchProgress(phase: "accuracy", done: 0, total: pool.count))
            designsEstimated = pool.count
            let designs = pool.map(design)
            let answers = model.evaluate(designs)
            var estimated: [FrontierDesign] = []
            for (i, answer) in answers.enumerated() {
                switch answer {
                case let .success(a): pool[i].accuracy = a; estimated.append(pool[i])
                case let .failure(f): accuracyFailures.append(AccuracyFailure(design: designs[i], failure: f))
                }
            }
            let staged = try chipStage(estimated)
            try checkChipConstraints(staged)
            pool = staged.filter { space.constraints.violations($0.totals, dropPct: $0.accuracy?.dropPct).isEmpty && admitted($0) }
            if pool.isEmpty { throw Self.infeasibleAccuracy(estimated: estimated, failures: accuracyFailures.count, space: space) }
            baseline.accuracy = try? model.evaluate([space.baseline])[0].get()
        } else {
            let staged = try chipStage(pool)
            try checkChipConstraints(staged)
            pool = staged.filter { space.constraints.violations($0.totals, dropPct: nil).isEmpty && admitted($0) }
        }
        designsEvaluated = candidates.count
        let all = ParetoFront.filter(pool, objectives: space.objectives, value: filterValue)
        frontierSize = all.count
        frontier = space.search.reportPoints.map { ParetoFront.spread(all, objectives: space.objectives, count: $0) } ?? all
        stageSeconds.append(("accuracy_and_filter", Self.seconds(since: start)))
    }

    /// With `hardware.chip_crossbars`: each candidate scored on the shared chip, one per policy
    /// (`ChipStage`); its sums are no longer the search's, so the filter reads its totals.
    mutating func chipStage(_ pool: [FrontierDesign]) throws -> [FrontierDesign] {
        guard let stage = ChipStage(space: space, threads: threads) else { return pool }
        let substrates = Substrates(space: space)
        let items = pool.map { d in
            let design = self.design(d)
            return (design, substrates.evaluate(design, workload: space.workload).layers.map(\.areaUM2.total), d.totals, d.accuracy)
        }
        let scored = try stage.score(items)
        let sizes = stage.chipCrossbars.map(String.init).joined(separator: ", ")
        exactness.append(("chip", "every reported design was scored exactly on a chip of \(sizes) crossbars (its real "
            + "schedule and stored bits, each chip size and reprogramming policy); the search before it ranked designs by their per-layer costs, "
            + "without writes or the shared chip's area, so designs it dropped were not scored on the chip (approximate)"))
        return zip(pool, scored).flatMap { d, variants in
            variants.map { v in
                var out = d
                out.totals = v.totals
                out.accuracy = v.accuracy
                out.searchSums = nil
                out.chip = v.chip
                return out
            }
        }
    }

    /// Throws when no scored design meets a chip constraint, naming the best value reached.
    func checkChipConstraints(_ staged: [FrontierDesign]) throws {
        let figures = staged.compactMap(\.chip)
        guard !figures.isEmpty else { return }
        let c = space.chipConstraints
        if let w = c.writesPerInference, let least = figures.map(\.writesPerInference).min(), least > w {
            throw SearchInfeasible(path: "$.constraints.writes_per_inference",
                                   message: "no design meets writes_per_inference = \(JSONValue.format(number: w)): the fewest writes of the \(staged.count) designs scored on the chip are \(JSONValue.format(number: least))")
        }
        if let l = c.lifetimeInferences {
            let lives = figures.map { $0.lifetimeInferences ?? .infinity }
            if let longest = lives.max(), longest < l {
                throw SearchInfeasible(path: "$.constraints.lifetime_inferences",
                                       message: "no design meets lifetime_inferences = \(JSONValue.format(number: l)): the longest lifetime of the \(staged.count) designs scored on the chip is \(JSONValue.format(number: longest)) inferences")
            }
        }
    }

    /// Whether a design meets the chip constraints (`writes_per_inference`, `lifetime_inferences`).
    func admitted(_ d: FrontierDesign) -> Bool { d.chip.map { space.chipConstraints.admits($0) } ?? true }

    /// An objective's value in the final filter: from the exact method's fixed-point sums where
    /// the search carried it exactly (so the result is exact on the search's own sums), else
    /// from the reported totals and the accuracy estimate.
    func filterValue(_ o: Objective, _ d: FrontierDesign) -> Double {
        guard o.chipFigure == nil, let sums = d.searchSums, let dims = joint?.dimensions else { return ParetoFront.value(o, d) }
        var product = 1.0
        for m in o.metrics {
            guard let i = dims.firstIndex(of: m), m != .accuracyDrop || accuracy?.isExactInPhase1 == true else {
                return ParetoFront.value(o, d)
            }
            product *= Double(sums[i])
        }
        return product
    }

    /// No design (with a known accuracy) meets the drop budget.
    static func infeasibleAccuracy(estimated: [FrontierDesign], failures: Int, space: SearchSpace) -> SearchInfeasible {
        let limit = JSONValue.format(number: space.constraints.accuracyDropPct ?? 0)
        guard let least = estimated.compactMap(\.accuracy?.dropPct).min() else {
            return SearchInfeasible(path: "$.accuracy", message: "the accuracy estimator failed on all \(failures) designs")
        }
        return SearchInfeasible(
            path: "$.constraints.accuracy_drop_pct",
            message: "no design meets accuracy_drop_pct = \(limit): the least drop among the \(estimated.count) estimated designs is \(roundedUp(least))")
    }
}

/// `x` rounded up to four significant digits: a limit of that value is feasible.
func roundedUp(_ x: Double) -> String {
    guard x > 0, x.isFinite else { return JSONValue.format(number: x) }
    let scale = pow(10, 3 - floor(log10(x)))
    var v = (x * scale).rounded(.up) / scale
    if v < x { v = v.nextUp }
    return String(format: "%.4g", v)
}

/// A counter shared by parallel workers, for progress only (results never depend on it).
final class ProgressCounter: @unchecked Sendable {
    private var value = 0
    private let lock = DispatchSemaphore(value: 1)
    func increment() -> Int {
        lock.wait()
        defer { lock.signal() }
        value += 1
        return value
    }
}
