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

/// Progress of a running search: phase, units done, units in all.
public struct SearchProgress: Sendable {
    public var phase: String
    public var done: Int
    public var total: Int
}

/// The accuracy of the baseline design, which a `command` estimator measures drops from,
/// could not be obtained.
public struct AccuracyUnavailable: Error, Sendable, CustomStringConvertible {
    public let failure: CommandEstimatorFailure
    public init(failure: CommandEstimatorFailure) { self.failure = failure }
    public var description: String { "the accuracy command failed on the baseline design: \(failure)" }
}

/// A phase-2 design the `command` estimator failed on; the design is left out of the frontier.
public struct AccuracyFailure: Sendable {
    public var design: Design
    public var failure: CommandEstimatorFailure
}

/// A whole two-phase search of a space and its exact frontier.
public struct SearchRun: Sendable {
    public var space: SearchSpace
    public var threads: Int
    public var phase1: Phase1Search.Result
    /// The phase-1 architectures refined in phase 2, by latency.
    public var architectures: [Phase1Point]
    /// One phase-2 result per architecture, in the same order.
    public var phase2: [Phase2Result]
    /// The frontier: nondominated by the space's objectives, sorted by them.
    public var frontier: [DesignEvaluation]
    public var baseline: DesignEvaluation
    /// Whole designs evaluated for the final filter (phase-2 points of every architecture).
    public var designsEvaluated: Int
    /// The accuracy model, when the space has an estimator.
    public var accuracy: AccuracyModel?
    /// Designs the `command` estimator failed on (left out).
    public var accuracyFailures: [AccuracyFailure]
    /// Wall times: phase 1 (after the noise tables), phase 2, and the final accuracy estimates.
    public var phase1Seconds: Double
    public var phase2Seconds: Double
    public var accuracySeconds: Double

    /// Wall time of the whole run: noise tables, both phases and the accuracy estimates.
    public var totalSeconds: Double { (accuracy?.noise.seconds ?? 0) + phase1Seconds + phase2Seconds + accuracySeconds }

    /// Runs phase 1, then phase 2 on the `topK` best architectures in parallel over `threads`.
    /// With an accuracy estimator the noise tables are simulated first. The result does not
    /// depend on `threads`.
    public static func run(space: SearchSpace, topK: Int? = nil, threads: Int = 1, interrupts: Interrupts? = nil,
                           progress: (@Sendable (SearchProgress) -> Void)? = nil) throws -> SearchRun {
        let architecture = CrossbarArchitecture(space: space)
        let workload = space.workload
        let settings = space.search
        let areaBudget = space.constraints.areaMM2.map { Phase2Metric.area.rawThreshold(forLimit: $0) }
        func seconds(since start: UInt64) -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }

        var model: AccuracyModel?
        if let spec = space.accuracy {
            progress?(SearchProgress(phase: "noise tables", done: 0, total: workload.layers.count))
            let noise = NoiseTables.build(space: space, settings: spec.noise, threads: threads)
            do { model = try AccuracyModel(space: space, spec: spec, noise: noise, interrupts: interrupts) } catch {
                throw AccuracyUnavailable(failure: error)
            }
        }
        let start1 = DispatchTime.now().uptimeNanoseconds
        let steersByAccuracy = space.objectives.contains(.accuracy) || space.constraints.accuracyDropPct != nil
        let phase1Accuracy = steersByAccuracy ? model?.phase1Terms(budgetPct: space.constraints.accuracyDropPct) : nil

        progress?(SearchProgress(phase: "phase 1", done: 0, total: workload.layers.count))
        let search1 = Phase1Search(workload: workload, architecture: architecture,
                                   referenceInputBits: settings.referenceInputBits(workload),
                                   referenceADCBits: settings.referenceADCBits(workload), areaBudgetUM2: areaBudget,
                                   accuracy: phase1Accuracy)
        let phase1 = search1.run(threads: threads)
        if phase1.frontier.isEmpty {
            throw infeasiblePhase1(search1: search1, threads: threads, space: space)
        }
        let phase1Seconds = seconds(since: start1)
        progress?(SearchProgress(phase: "phase 1", done: workload.layers.count, total: workload.layers.count))

        let chosen = phase1.architectures(count: topK ?? settings.topK, spreadOverAccuracy: space.objectives.contains(.accuracy))
        let phase2Settings = Phase2Settings(maxPoints: settings.maxPointsPerSweep, levels: settings.sweepLevels,
                                            solverOptions: MILPOptions(timeLimitMilliseconds: settings.milpTimeLimitMS))
        // A drop budget the MILP cannot see exactly (`command`) is checked on the answers; the
        // sweep then trades the guide's drop so that candidates span accuracies.
        var phase2Constraints = space.constraints
        var phase2Objectives = space.objectives
        if let model, !model.isExactInPhase2, phase2Constraints.accuracyDropPct != nil {
            phase2Constraints.accuracyDropPct = nil
            if !phase2Objectives.contains(.accuracy) { phase2Objectives.append(.accuracy) }
        }
        let (accuracyModel, constraints2, objectives2) = (model, phase2Constraints, phase2Objectives)
        let start2 = DispatchTime.now().uptimeNanoseconds
        let counter = ProgressCounter()
        progress?(SearchProgress(phase: "phase 2", done: 0, total: chosen.count))
        let outcomes = ParallelMap.map(chosen, threads: threads) { point -> Result<Phase2Result, Phase2Error> in
            let result = Result { () throws(Phase2Error) -> Phase2Result in
                try Phase2Search(workload: workload, architecture: architecture, choices: point.choices,
                                 constraints: constraints2, objectives: objectives2, settings: phase2Settings)
                    .run(accuracyDropPct: steersByAccuracy ? accuracyModel?.phase2DropPct(choices: point.choices) : nil)
            }
            let done = counter.increment()
            progress?(SearchProgress(phase: "phase 2", done: done, total: chosen.count))
            return result
        }
        let phase2 = try outcomes.map { try $0.get() }

        let phase2Seconds = seconds(since: start2)
        let start3 = DispatchTime.now().uptimeNanoseconds
        var candidates = phase2.flatMap(\.points).map { architecture.evaluate($0.design, workload: workload) }
        guard !candidates.isEmpty else { throw infeasibleBudgets(phase2.compactMap(\.infeasibility)) }
        var failures: [AccuracyFailure] = []
        if let model {
            progress?(SearchProgress(phase: "accuracy", done: 0, total: candidates.count))
            let answers = model.evaluate(candidates.map(\.design))
            for (i, answer) in answers.enumerated() {
                switch answer {
                case let .success(a): candidates[i].accuracy = a
                case let .failure(f): failures.append(AccuracyFailure(design: candidates[i].design, failure: f))
                }
            }
            let estimated = candidates.filter { $0.accuracy != nil }
            candidates = estimated.filter { $0.violations(of: space.constraints).isEmpty }
            if candidates.isEmpty {
                throw infeasibleAccuracy(estimated: estimated, failures: failures.count, space: space)
            }
        }
        let frontier = ParetoFront.filter(candidates, objectives: space.objectives, workload: workload)
        var baseline = architecture.evaluate(space.baseline, workload: workload)
        if let model { baseline.accuracy = try? model.evaluate([space.baseline])[0].get() }
        return SearchRun(space: space, threads: threads, phase1: phase1, architectures: chosen, phase2: phase2,
                         frontier: frontier, baseline: baseline, designsEvaluated: phase2.reduce(0) { $0 + $1.points.count },
                         accuracy: model, accuracyFailures: failures, phase1Seconds: phase1Seconds, phase2Seconds: phase2Seconds,
                         accuracySeconds: seconds(since: start3))
    }

    /// No phase-2 design (with a known accuracy) meets the drop budget.
    static func infeasibleAccuracy(estimated: [DesignEvaluation], failures: Int, space: SearchSpace) -> SearchInfeasible {
        let limit = JSONValue.format(number: space.constraints.accuracyDropPct ?? 0)
        guard let least = estimated.compactMap(\.accuracy?.dropPct).min() else {
            return SearchInfeasible(path: "$.accuracy", message: "the accuracy estimator failed on all \(failures) designs")
        }
        return SearchInfeasible(
            path: "$.constraints.accuracy_drop_pct",
            message: "no design meets accuracy_drop_pct = \(limit): the least drop among the \(estimated.count) estimated designs is \(roundedUp(least))")
    }

    /// Phase 1 found nothing: the area budget is below every architecture at reference
    /// precision, or the drop budget below every architecture's least drop (or both).
    static func infeasiblePhase1(search1: Phase1Search, threads: Int, space: SearchSpace) -> SearchInfeasible {
        var unbounded = search1.accuracy
        unbounded?.budgetPct = nil
        let free = Phase1Search(workload: search1.workload, architecture: search1.architecture,
                                referenceInputBits: search1.referenceInputBits, referenceADCBits: search1.referenceADCBits,
                                areaBudgetUM2: nil, accuracy: unbounded).run(threads: threads).frontier
        let smallestArea = free.map(\.areaUM2).min() ?? 0
        let areaMessage = "no architecture fits area_mm2 = \(space.constraints.areaMM2.map { JSONValue.format(number: $0) } ?? "none") "
            + "at reference precision; the smallest needs \(roundedUp(smallestArea / 1e6)) mm2"
        guard let budget = search1.accuracy?.budgetPct else {
            return SearchInfeasible(path: "$.constraints.area_mm2", message: areaMessage)
        }
        let leastDrop = free.compactMap(\.accuracyDropPct).min() ?? 0
        guard leastDrop > budget else { return SearchInfeasible(path: "$.constraints.area_mm2", message: areaMessage) }
        return SearchInfeasible(
            path: "$.constraints.accuracy_drop_pct",
            message: "no architecture reaches accuracy_drop_pct = \(JSONValue.format(number: budget)) even at its best precision; "
                + "the least drop is \(roundedUp(leastDrop))")
    }

    /// No architecture's precision assignment meets the budgets: report, per constraint, the
    /// smallest value that makes some architecture feasible.
    static func infeasibleBudgets(_ reports: [Phase2Infeasibility]) -> SearchInfeasible {
        var parts: [String] = []
        var firstBinding: String?
        for metric in Phase2Metric.allCases {
            let limits = reports.compactMap { r in r.limits.first { $0.metric == metric } }
            guard let limit = limits.first else { continue }
            let needed = limits.compactMap(\.minimumGivenOthers).min()
            if let needed {
                firstBinding = firstBinding ?? metric.constraintName
                parts.append("\(metric.constraintName) = \(JSONValue.format(number: limit.limit)) needs at least \(roundedUp(needed))")
            } else {
                parts.append("\(metric.constraintName) = \(JSONValue.format(number: limit.limit)) cannot be met by relaxing it alone")
            }
        }
        return SearchInfeasible(path: "$.constraints" + (firstBinding.map { "." + $0 } ?? ""),
                                message: "no design meets the constraints: " + parts.joined(separator: "; "))
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

/// A counter shared by the phase-2 workers, for progress only (results never depend on it).
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
