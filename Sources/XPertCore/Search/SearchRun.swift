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
    public var phase1Seconds: Double
    public var phase2Seconds: Double

    /// Runs phase 1, then phase 2 on the `topK` best architectures in parallel over `threads`.
    /// The result does not depend on `threads`.
    public static func run(space: SearchSpace, topK: Int? = nil, threads: Int = 1,
                           progress: (@Sendable (SearchProgress) -> Void)? = nil) throws -> SearchRun {
        let architecture = CrossbarArchitecture(space: space)
        let workload = space.workload
        let settings = space.search
        let areaBudget = space.constraints.areaMM2.map { Phase2Metric.area.rawThreshold(forLimit: $0) }
        let clock = DispatchTime.now().uptimeNanoseconds
        func seconds(since start: UInt64) -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }

        progress?(SearchProgress(phase: "phase 1", done: 0, total: workload.layers.count))
        let search1 = Phase1Search(workload: workload, architecture: architecture,
                                   referenceInputBits: settings.referenceInputBits(workload),
                                   referenceADCBits: settings.referenceADCBits(workload), areaBudgetUM2: areaBudget)
        let phase1 = search1.run(threads: threads)
        if phase1.frontier.isEmpty {
            throw infeasibleArea(search1: search1, threads: threads, space: space)
        }
        let phase1Seconds = seconds(since: clock)
        progress?(SearchProgress(phase: "phase 1", done: workload.layers.count, total: workload.layers.count))

        let chosen = Array(phase1.frontier.prefix(topK ?? settings.topK))
        let phase2Settings = Phase2Settings(maxPoints: settings.maxPointsPerSweep, levels: settings.sweepLevels,
                                            solverOptions: MILPOptions(timeLimitMilliseconds: settings.milpTimeLimitMS))
        let start2 = DispatchTime.now().uptimeNanoseconds
        let counter = ProgressCounter()
        progress?(SearchProgress(phase: "phase 2", done: 0, total: chosen.count))
        let outcomes = ParallelMap.map(chosen, threads: threads) { point -> Result<Phase2Result, Phase2Error> in
            let result = Result { () throws(Phase2Error) -> Phase2Result in
                try Phase2Search(space: space, architecture: architecture, choices: point.choices, settings: phase2Settings).run()
            }
            let done = counter.increment()
            progress?(SearchProgress(phase: "phase 2", done: done, total: chosen.count))
            return result
        }
        let phase2 = try outcomes.map { try $0.get() }
        let phase2Seconds = seconds(since: start2)

        let candidates = phase2.flatMap(\.points).map { architecture.evaluate($0.design, workload: workload) }
        guard !candidates.isEmpty else { throw infeasibleBudgets(phase2.compactMap(\.infeasibility)) }
        let frontier = ParetoFront.filter(candidates, objectives: space.objectives, workload: workload)
        return SearchRun(space: space, threads: threads, phase1: phase1, architectures: chosen, phase2: phase2,
                         frontier: frontier, baseline: architecture.evaluate(space.baseline, workload: workload),
                         designsEvaluated: candidates.count, phase1Seconds: phase1Seconds, phase2Seconds: phase2Seconds)
    }

    /// The area budget is below every architecture at reference precision.
    static func infeasibleArea(search1: Phase1Search, threads: Int, space: SearchSpace) -> SearchInfeasible {
        let free = Phase1Search(workload: search1.workload, architecture: search1.architecture,
                                referenceInputBits: search1.referenceInputBits, referenceADCBits: search1.referenceADCBits,
                                areaBudgetUM2: nil)
        let smallest = free.run(threads: threads).frontier.map(\.areaUM2).min() ?? 0
        return SearchInfeasible(
            path: "$.constraints.area_mm2",
            message: "no architecture fits area_mm2 = \(space.constraints.areaMM2!) at reference precision; "
                + "the smallest needs \(roundedUp(smallest / 1e6)) mm2")
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
