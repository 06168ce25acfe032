/// One GLPK solve of phase 2, as `run.json` records it.
public struct Phase2SolveRecord: Sendable, Hashable {
    /// Why the model was solved.
    public enum Role: String, Sendable, Hashable, CaseIterable {
        /// The first solve of an exact minimisation.
        case optimum
        /// A re-solve after cutting off GLPK's point, which broke a bound once the totals were
        /// computed exactly (it only met it within GLPK's tolerance).
        case retry
        /// Enumerating the designs GLPK cannot tell from the optimum (within the band
        /// tolerance); the last one of a minimisation normally answers `infeasible`.
        case band
    }

    /// The part of the search: `optimum`, `point 3`, `extreme area`, `cell 2,4`, `infeasibility area_mm2`.
    public var step: String
    public var role: Role
    /// The metric minimised.
    public var metric: Phase2Metric
    public var status: MILPResult.Status
    /// GLPK's objective at its point, in the model's scaled units (0 = every layer at its
    /// cheapest option, 1 = every layer at its dearest); nil without a point.
    public var objectiveValue: Double?
    public var relativeGap: Double?
    public var solveTimeMilliseconds: Double
    /// Rows of the model, and how many of them are no-good cuts.
    public var rows: Int
    public var cuts: Int
    public var retriedWithoutPresolve: Bool

    /// The record without its time (which is in `timings.json`), so that `run.json` is the
    /// same for the same input.
    public var json: JSONValue {
        .object([
            ("step", .string(step)),
            ("role", .string(role.rawValue)),
            ("minimize", .string(metric.rawValue)),
            ("status", .string(status.rawValue)),
            ("objective", objectiveValue.map(JSONValue.number) ?? .null),
            ("relative_gap", relativeGap.map(JSONValue.number) ?? .null),
            ("rows", .number(Double(rows))),
            ("cuts", .number(Double(cuts))),
            ("presolve_retry", .bool(retriedWithoutPresolve)),
        ])
    }
}

/// Why phase 2 could not finish. Infeasible budgets are not an error (``Phase2Outcome/infeasible(_:)``).
public enum Phase2Error: Error, Sendable, Hashable, CustomStringConvertible {
    /// The MILP wrapper rejected a model or GLPK failed.
    case solver(MILPError)
    /// A solve ended without an answer (the time limit of ``Phase2Settings/solverOptions``).
    case solverGaveUp(step: String, status: MILPResult.Status)
    /// GLPK kept returning designs that break a bound by less than its tolerance, more than
    /// ``Phase2Settings/maxBandDesigns`` times.
    case unresolved(step: String)

    public var description: String {
        switch self {
        case .solver(let e): return "phase 2: \(e)"
        case .solverGaveUp(let step, let status): return "phase 2, \(step): the MILP solve ended as \(status.rawValue)"
        case .unresolved(let step):
            return "phase 2, \(step): too many designs lie within GLPK's tolerance of a bound"
        }
    }
}

/// A design found by phase 2: its option path and exact totals (raw units, by metric index).
struct Phase2Candidate: Sendable, Hashable {
    var path: [Int]
    var totals: [Double]

    init(path: [Int], table: Phase2CostTable) {
        self.path = path
        totals = Phase2Metric.allCases.map { table.total($0, path: path) }
    }

    func total(_ metric: Phase2Metric) -> Double { totals[metric.index] }

    /// Smaller totals in `order` first, then the smaller path.
    func precedes(_ other: Phase2Candidate, in order: [Phase2Metric]) -> Bool {
        for m in order where total(m) != other.total(m) { return total(m) < other.total(m) }
        return path.lexicographicallyPrecedes(other.path)
    }
}

/// Exact minimisations over one architecture's options, with GLPK as the candidate generator.
///
/// An exact minimisation of metric `f` under bounds:
/// 1. GLPK minimises `g_f` (scaled); a point that breaks a bound in exact arithmetic is cut off
///    (no-good cut) and the model solved again (`retry`).
/// 2. Band: with `g_f <= g_f(first) + τ`, GLPK is asked for further designs, each cut off in
///    turn, until it answers infeasible (`band`). The band holds every design GLPK cannot tell
///    from the optimum; since τ (1e-6) exceeds GLPK's optimality tolerance (`tol_obj` 1e-7 at
///    this scale), it holds the exact minimum and all its ties. Usually it is one design.
/// 3. The answer is picked among the band's exactly feasible designs in Swift: lexicographic
///    by the requested metric order, then by option path. A lexicographic minimum under upper
///    bounds on the other metrics is a nondominated design, which makes the sweeps exact.
/// Not a class and not shared: one engine per run, so runs on several threads are independent.
struct Phase2Engine {
    let model: Phase2Model
    let settings: Phase2Settings
    var records: [Phase2SolveRecord] = []
    /// The current part of the search, for the records.
    var step = ""
    /// False once a band hit ``Phase2Settings/maxBandDesigns``: ties may have been missed.
    var isExact = true

    init(model: Phase2Model, settings: Phase2Settings) {
        self.model = model
        self.settings = settings
    }

    /// One GLPK solve; the path of its point, or nil when infeasible.
    mutating func solve(_ milp: MILPModel, _ role: Phase2SolveRecord.Role, _ metric: Phase2Metric, cuts: Int) throws(Phase2Error) -> [Int]? {
        let r: MILPResult
        do { r = try MILPSolver.solve(milp, options: settings.solverOptions) } catch { throw .solver(error) }
        records.append(Phase2SolveRecord(
            step: step, role: role, metric: metric, status: r.status, objectiveValue: r.objectiveValue,
            relativeGap: r.relativeGap, solveTimeMilliseconds: r.solveTimeMilliseconds,
            rows: milp.constraints.count, cuts: cuts, retriedWithoutPresolve: r.retriedWithoutPresolve))
        switch r.status {
        case .optimal: return model.path(from: r.values)
        case .infeasible: return nil
        case .feasible:
            // A stopped search: its point is a candidate like any other, the minimum is unproven.
            isExact = false
            return model.path(from: r.values)
        case .unbounded, .noSolutionFound: throw .solverGaveUp(step: step, status: r.status)
        }
    }

    /// The exactly feasible designs GLPK cannot tell from the minimum of `metric` (step 1-2);
    /// nil when no design meets the bounds. `infeasible` collects the cut-off designs that break
    /// a bound. `complete` is false when the band was cut short at `maxBandDesigns`.
    mutating func band(_ metric: Phase2Metric, _ bounds: [Phase2Bound], cuts: [[Int]],
                       infeasible: inout [[Int]]) throws(Phase2Error) -> (members: [Phase2Candidate], complete: Bool)? {
        var excluded = cuts
        var retries = 0
        var first: [Int]
        while true {
            let milp = model.model(minimizing: metric, bounds: bounds, excluding: excluded)
            guard let p = try solve(milp, retries == 0 ? .optimum : .retry, metric, cuts: excluded.count) else { return nil }
            if model.satisfies(p, bounds) {
                first = p
                break
            }
            excluded.append(p)
            infeasible.append(p)
            retries += 1
            if retries > settings.maxBandDesigns { throw .unresolved(step: step) }
        }
        let limit = model.scaled(metric, path: first) + settings.bandTolerance
        var members = [Phase2Candidate(path: first, table: model.table)]
        excluded.append(first)
        var found = 1
        while found < settings.maxBandDesigns {
            let milp = model.model(minimizing: metric, bounds: bounds, bandLimit: limit, excluding: excluded)
            guard let p = try solve(milp, .band, metric, cuts: excluded.count) else { return (members, true) }
            excluded.append(p)
            found += 1
            if model.satisfies(p, bounds) {
                members.append(Phase2Candidate(path: p, table: model.table))
            } else {
                infeasible.append(p)
            }
        }
        isExact = false
        return (members, false)
    }

    /// The exact lexicographic minimum of `order` under `bounds` (smallest option path among
    /// ties), or nil when no design meets the bounds. `cuts` are designs known to break the
    /// bounds; designs found to break them are appended to `infeasible`. `level` is the metric
    /// of `order` the band is taken on (0 but for the fallback below).
    mutating func lexMin(_ order: [Phase2Metric], _ bounds: [Phase2Bound], cuts: [[Int]] = [], level: Int = 0,
                         infeasible: inout [[Int]]) throws(Phase2Error) -> Phase2Candidate? {
        guard let (members, complete) = try band(order[level], bounds, cuts: cuts, infeasible: &infeasible) else { return nil }
        let best = members.min { $0.precedes($1, in: order) }!
        if complete || level == order.count - 1 { return best }
        // The band was cut short: fix this metric and minimise the next one explicitly.
        let fixed = bounds + [Phase2Bound(metric: order[level], atMost: best.total(order[level]))]
        return try lexMin(order, fixed, cuts: cuts, level: level + 1, infeasible: &infeasible) ?? best
    }

    mutating func lexMin(_ order: [Phase2Metric], _ bounds: [Phase2Bound]) throws(Phase2Error) -> Phase2Candidate? {
        var ignored: [[Int]] = []
        return try lexMin(order, bounds, infeasible: &ignored)
    }
}
