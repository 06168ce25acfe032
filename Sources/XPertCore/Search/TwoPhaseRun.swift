import Dispatch
import Foundation

/// What the two-phase method ran: phase 1's frontier, the architectures refined, and every
/// phase-2 result.
public struct TwoPhaseSummary: Sendable {
    public var phase1: Phase1Search.Result
    /// The phase-1 architectures refined in phase 2, in frontier order.
    public var architectures: [Phase1Point]
    /// One phase-2 result per architecture, in the same order.
    public var phase2: [Phase2Result]
}

extension SearchRun {
    /// XPert's method (`"method": "two-phase"`): phase 1 picks architectures at reference
    /// precision (exact on its own terms), phase 2 refines the precision of the `topK` of
    /// them with GLPK MILPs. A heuristic for the joint space: designs outside the refined
    /// architectures are never looked at. Returns phase 2's designs with their totals.
    mutating func twoPhase(topK: Int?, progress: (@Sendable (SearchProgress) -> Void)?) throws -> [FrontierDesign] {
        let (space, threads, model) = (self.space, self.threads, self.accuracy)
        let substrates = Substrates(space: space)
        let workload = space.workload
        let settings = space.search
        let areaBudget = space.constraints.areaMM2.map { Phase2Metric.area.rawThreshold(forLimit: $0) }
        let steersByAccuracy = self.steersByAccuracy
        let start1 = DispatchTime.now().uptimeNanoseconds
        let phase1Accuracy = steersByAccuracy ? model?.phase1Terms(budgetPct: space.constraints.accuracyDropPct) : nil
        progress?(SearchProgress(phase: "phase 1", done: 0, total: workload.layers.count))
        let search1 = Phase1Search(workload: workload, substrates: substrates,
                                   referenceInputBits: settings.referenceInputBits(workload),
                                   referenceADCBits: settings.referenceADCBits(workload), areaBudgetUM2: areaBudget,
                                   accuracy: phase1Accuracy)
        let phase1 = search1.run(threads: threads)
        if phase1.frontier.isEmpty {
            throw Self.infeasiblePhase1(search1: search1, threads: threads, space: space)
        }
        stageSeconds.append(("phase1", Self.seconds(since: start1)))
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
        let (constraints2, objectives2) = (phase2Constraints, phase2Objectives)
        let start2 = DispatchTime.now().uptimeNanoseconds
        let counter = ProgressCounter()
        progress?(SearchProgress(phase: "phase 2", done: 0, total: chosen.count))
        let outcomes = ParallelMap.map(chosen, threads: threads) { point -> Result<Phase2Result, Phase2Error> in
            let result = Result { () throws(Phase2Error) -> Phase2Result in
                try Phase2Search(workload: workload, substrates: substrates, choices: point.choices,
                                 constraints: constraints2, objectives: objectives2, settings: phase2Settings)
                    .run(accuracyDropPct: steersByAccuracy ? model?.phase2DropPct(choices: point.choices) : nil)
            }
            let done = counter.increment()
            progress?(SearchProgress(phase: "phase 2", done: done, total: chosen.count))
            return result
        }
        let phase2 = try outcomes.map { try $0.get() }
        stageSeconds.append(("phase2", Self.seconds(since: start2)))
        twoPhase = TwoPhaseSummary(phase1: phase1, architectures: chosen, phase2: phase2)
        let points = phase2.flatMap(\.points)
        guard !points.isEmpty else { throw Self.infeasibleBudgets(phase2.compactMap(\.infeasibility)) }
        exactness = [
            ("method", "two-phase (XPert): phase 1 exact at reference precision, phase 2 on the \(chosen.count) refined architectures only"),
            ("phase2", phase2.allSatisfy(\.isExact) ? "exact for each refined architecture" : "not proven exact (see phase2.exact)"),
        ]
        let options = self.options
        return points.map { p in
            let path = zip(p.design.layers, options).map { Int32($1.index(of: $0)!) }
            return FrontierDesign(path: path, totals: substrates.evaluate(p.design, workload: workload).totals)
        }
    }

    /// Phase 1 found nothing: the area budget is below every architecture at reference
    /// precision, or the drop budget below every architecture's least drop (or both).
    static func infeasiblePhase1(search1: Phase1Search, threads: Int, space: SearchSpace) -> SearchInfeasible {
        var unbounded = search1.accuracy
        unbounded?.budgetPct = nil
        let free = Phase1Search(workload: search1.workload, substrates: search1.substrates,
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
                firstBinding = firstBinding ?? metric.constraintKey
                parts.append("\(metric.constraintKey) = \(JSONValue.format(number: limit.limit)) needs at least \(roundedUp(needed))")
            } else {
                parts.append("\(metric.constraintKey) = \(JSONValue.format(number: limit.limit)) cannot be met by relaxing it alone")
            }
        }
        return SearchInfeasible(path: "$.constraints" + (firstBinding.map { "." + $0 } ?? ""),
                                message: "no design meets the constraints: " + parts.joined(separator: "; "))
    }
}
