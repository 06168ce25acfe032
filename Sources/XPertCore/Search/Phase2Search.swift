/// Sizes and tolerances of a phase-2 run.
public struct Phase2Settings: Sendable, Hashable {
    /// Most points of a two-objective sweep; the sweep stops there (``Phase2Result/truncated``).
    public var maxPoints: Int
    /// Epsilon levels per secondary metric of a grid over k >= 3 metrics (`levels^(k-1)` cells).
    public var levels: Int
    /// τ: width of the band of designs GLPK cannot tell from an optimum, in scaled units (the
    /// whole range of a metric is 1). Must exceed GLPK's optimality tolerance (about 2e-7 there).
    public var bandTolerance: Double
    /// Most designs one band may enumerate; beyond it the result is marked inexact.
    public var maxBandDesigns: Int
    /// Options of every GLPK solve. A time limit makes results timing-dependent when it is
    /// hit; the default, 60 s, only guards against a solve that does not end (GLPK's simplex
    /// was once seen running for over 30 minutes on a 20-binary model with presolve on).
    public var solverOptions: MILPOptions

    public static let defaultSolverOptions = MILPOptions(timeLimitMilliseconds: 60_000)

    public init(maxPoints: Int = 64, levels: Int = 6, bandTolerance: Double = 1e-6, maxBandDesigns: Int = 64,
                solverOptions: MILPOptions = Phase2Settings.defaultSolverOptions) {
        precondition(maxPoints >= 1 && levels >= 1 && maxBandDesigns >= 1, "phase 2 sizes must be positive")
        precondition(bandTolerance > 0 && bandTolerance.isFinite, "the band tolerance must be positive")
        self.maxPoints = maxPoints
        self.levels = levels
        self.bandTolerance = bandTolerance
        self.maxBandDesigns = maxBandDesigns
        self.solverOptions = solverOptions
    }
}

/// A phase-2 frontier point: a complete design and its exact totals.
public struct Phase2Point: Sendable, Hashable {
    public var design: Design
    /// Per layer, the index of the chosen option in `Phase2Options(layer:).options`.
    public var optionPath: [Int32]
    /// Correctly rounded sums (``ExactSum``) of the layers' values of every metric, raw units,
    /// indexed by `Metric.index`; the accuracy drop is 0 without accuracy terms.
    public var totals: [Double]

    public var energyPJ: Double { total(.energy) }
    public var latencyNS: Double { total(.latency) }
    public var areaUM2: Double { total(.area) }
    public var accuracyDropPct: Double { total(.accuracyDrop) }
    public var energyUJ: Double { energyPJ / 1e6 }
    public var latencyMS: Double { latencyNS / 1e6 }
    public var areaMM2: Double { areaUM2 / 1e6 }
    /// Energy x delay x area in µJ x ms x mm², as `DesignTotals.edap`.
    public var edap: Double { energyUJ * latencyMS * areaMM2 }

    public func total(_ metric: Phase2Metric) -> Double { totals[metric.index] }

    /// The value of an objective, smaller is better: a metric's raw total (accuracy: its drop),
    /// a product of the metrics' totals in report units (EDAP in µJ x ms x mm²).
    public func value(of objective: Objective) -> Double {
        objective.isProduct ? objective.metrics.reduce(1.0) { $0 * total($1) / $1.reportScale } : total(objective.metrics[0])
    }
}

/// Why no precision assignment of the architecture meets the constraints.
public struct Phase2Infeasibility: Sendable, Hashable, CustomStringConvertible {
    public struct Limit: Sendable, Hashable {
        public var metric: Phase2Metric
        /// The constraint's value, in report units (µJ, ms, mm², percentage points).
        public var limit: Double
        /// The smallest total of this metric that meets the other constraints (report units):
        /// raising the limit to it makes the architecture feasible. Nil when the other
        /// constraints cannot be met whatever this one is.
        public var minimumGivenOthers: Double?
        /// The smallest total of this metric with no constraint at all (report units).
        public var minimumAlone: Double

        /// Whether relaxing this constraint alone restores feasibility.
        public var isBinding: Bool { minimumGivenOthers != nil }
    }

    /// One entry per constraint present, in the order energy, latency, area, accuracy drop.
    public var limits: [Limit]

    public var binding: [Limit] { limits.filter(\.isBinding) }

    public var description: String {
        func line(_ l: Limit) -> String {
            var s = "\(l.metric.constraintKey) = \(l.limit)"
            if let m = l.minimumGivenOthers { s += " needs at least \(m)" } else { s += " cannot help alone" }
            return s + " (\(l.minimumAlone) without other constraints)"
        }
        let lead = binding.isEmpty ? "the constraints must be relaxed together" : "relax one of the binding constraints"
        return "no precision assignment meets the constraints; \(lead): " + limits.map(line).joined(separator: "; ")
    }
}

public enum Phase2Outcome: Sendable, Hashable {
    /// Nondominated designs by the requested objectives, sorted by their objective vectors
    /// (in the requested order), then by option path.
    case frontier([Phase2Point])
    case infeasible(Phase2Infeasibility)
}

public struct Phase2Result: Sendable {
    public var outcome: Phase2Outcome
    /// Every MILP solved, in order.
    public var solves: [Phase2SolveRecord]
    /// The metrics the sweep ran over.
    public var sweepMetrics: [Phase2Metric]
    public var optionsCosted: Int
    /// False when a band of near-equal designs was cut short or a solve stopped early: then a
    /// tie or a design within GLPK's tolerance of a returned one may be missing.
    public var isExact: Bool
    /// True when the two-objective sweep stopped at ``Phase2Settings/maxPoints``.
    public var truncated: Bool

    public var points: [Phase2Point] {
        if case .frontier(let p) = outcome { return p }
        return []
    }

    public var infeasibility: Phase2Infeasibility? {
        if case .infeasible(let i) = outcome { return i }
        return nil
    }
}

/// Phase 2: per-layer input and ADC precision for one phase-1 architecture, as GLPK MILPs
/// (one-hot binaries per layer, linear totals, budgets as rows) with an epsilon-constraint sweep.
///
/// - One metric: one exact minimisation.
/// - Two: the exact epsilon-constraint method. Minimise f1 (then f2, then the option path);
///   then require f2 < previous f2 and repeat until infeasible or ``Phase2Settings/maxPoints``.
///   The step δ is one ulp of f2 (the bound is `previous.nextDown`): the smallest decrease two
///   designs can differ by, so no nondominated point is skipped. GLPK cannot enforce a bound
///   that fine (its rows hold to ~1e-7), so the bound is checked exactly in Swift and points
///   that break it are cut off; see ``Phase2Engine``.
/// - Three or more: extreme points (each metric first) and a grid of `levels` epsilon values
///   per secondary metric between its own minimum and its largest value at an extreme; each
///   cell is a lexicographic minimisation, deduplicated by option path (``grid(_:_:_:)``).
/// - `edap` is swept as energy, latency and area, `accuracy` as the accuracy drop; the final
///   filter on the requested objectives then picks among those (nondominated) points.
public struct Phase2Search: Sendable {
    public let workload: Workload
    public let substrates: Substrates
    public let choices: [ArchitectureChoice]
    public let constraints: Constraints
    public let objectives: [Objective]
    public let settings: Phase2Settings

    public init(workload: Workload, substrates: Substrates, choices: [ArchitectureChoice],
                constraints: Constraints, objectives: [Objective], settings: Phase2Settings = Phase2Settings()) {
        precondition(!workload.layers.isEmpty && choices.count == workload.layers.count, "one architecture choice per layer")
        self.workload = workload
        self.substrates = substrates
        self.choices = choices
        self.constraints = constraints
        self.objectives = objectives
        self.settings = settings
    }

    /// Phase 2 of one architecture of a search space, with its constraints and objectives.
    public init(space: SearchSpace, substrates: Substrates, choices: [ArchitectureChoice],
                settings: Phase2Settings = Phase2Settings()) {
        self.init(workload: space.workload, substrates: substrates, choices: choices,
                  constraints: space.constraints, objectives: space.objectives, settings: settings)
    }

    /// The metrics to sweep for the objectives, in order of first mention; `edap` stands for
    /// energy, latency and area, `accuracy` for the accuracy drop. No objective sweeps the costs.
    public static func sweepMetrics(for objectives: [Objective]) -> [Phase2Metric] {
        var out: [Phase2Metric] = []
        for objective in objectives {
            for m in objective.metrics where !out.contains(m) { out.append(m) }
        }
        return out.isEmpty ? Phase2Metric.costMetrics : out
    }

    /// The budgets of `constraints` as exact raw bounds, energy, latency, area, accuracy drop.
    static func bounds(_ constraints: Constraints) -> [Phase2Bound] {
        Phase2Metric.allCases.compactMap { m in
            m.limit(in: constraints).map { Phase2Bound(metric: m, atMost: m.rawThreshold(forLimit: $0)) }
        }
    }

    /// Costs the options and searches. `accuracyDropPct[layer][option]`: as in
    /// ``Phase2CostTable/init(workload:architecture:choices:accuracyDropPct:)``.
    public func run(accuracyDropPct: [[Double]]? = nil) throws(Phase2Error) -> Phase2Result {
        try run(table: Phase2CostTable(workload: workload, substrates: substrates, choices: choices,
                                       accuracyDropPct: accuracyDropPct))
    }

    /// The search over a given cost table (of this workload and architecture choices).
    func run(table: Phase2CostTable) throws(Phase2Error) -> Phase2Result {
        let sweep = Self.sweepMetrics(for: objectives)
        let budgets = Self.bounds(constraints)
        var relevant = sweep
        for b in budgets where !relevant.contains(b.metric) { relevant.append(b.metric) }
        var engine = Phase2Engine(model: Phase2Model(table: table, relevant: relevant), settings: settings)

        var pool: [Phase2Candidate]
        var truncated = false
        switch sweep.count {
        case 1:
            engine.step = "optimum"
            pool = try engine.lexMin(sweep, budgets).map { [$0] } ?? []
        case 2:
            (pool, truncated) = try twoObjectiveSweep(sweep, budgets, &engine)
        default:
            pool = try grid(sweep, budgets, &engine)
        }

        let outcome: Phase2Outcome
        if pool.isEmpty {
            outcome = .infeasible(try infeasibility(budgets, &engine))
        } else {
            outcome = .frontier(frontier(pool, sweep: sweep, table: table))
        }
        return Phase2Result(outcome: outcome, solves: engine.records, sweepMetrics: sweep,
                            optionsCosted: table.optionsCosted, isExact: engine.isExact, truncated: truncated)
    }

    /// The exact epsilon-constraint method over two metrics.
    func twoObjectiveSweep(_ sweep: [Phase2Metric], _ budgets: [Phase2Bound],
                           _ engine: inout Phase2Engine) throws(Phase2Error) -> ([Phase2Candidate], Bool) {
        let (f1, f2) = (sweep[0], sweep[1])
        let lowest2 = engine.model.base[f2.index] // the exact minimum of f2 over all designs
        var found: [Phase2Candidate] = []
        // Designs that break a bound keep breaking it: bounds only tighten.
        var infeasible: [[Int]] = []
        var upper: Double?
        while true {
            engine.step = "point \(found.count)"
            let bounds = budgets + (upper.map { [Phase2Bound(metric: f2, atMost: $0)] } ?? [])
            let cuts = infeasible + found.map(\.path)
            guard let p = try engine.lexMin([f1, f2], bounds, cuts: cuts, infeasible: &infeasible) else { break }
            if found.count == settings.maxPoints { return (found, true) } // a further point exists
            found.append(p)
            if p.total(f2) <= lowest2 { break }
            upper = p.total(f2).nextDown
        }
        return (found, false)
    }

    /// Per budget: the smallest total meeting the others, and with none.
    func infeasibility(_ budgets: [Phase2Bound], _ engine: inout Phase2Engine) throws(Phase2Error) -> Phase2Infeasibility {
        precondition(!budgets.isEmpty, "without constraints every design is feasible")
        var limits: [Phase2Infeasibility.Limit] = []
        for (i, b) in budgets.enumerated() {
            let others = budgets.enumerated().filter { $0.offset != i }.map(\.element)
            engine.step = "infeasibility \(b.metric.constraintKey)"
            let given = others.isEmpty ? nil : try engine.lexMin([b.metric], others)
            // With no other budget, the minimum is every layer at its cheapest option.
            let alone = engine.model.base[b.metric.index]
            let minimum = others.isEmpty ? alone : given?.total(b.metric)
            limits.append(Phase2Infeasibility.Limit(
                metric: b.metric, limit: b.metric.limit(in: constraints)!,
                minimumGivenOthers: minimum.map { $0 / b.metric.reportScale },
                minimumAlone: alone / b.metric.reportScale))
        }
        return Phase2Infeasibility(limits: limits)
    }

    /// The pool's designs nondominated by the requested objectives (the sweep metrics when none
    /// is requested); equal vectors keep the smaller option path.
    func frontier(_ pool: [Phase2Candidate], sweep: [Phase2Metric], table: Phase2CostTable) -> [Phase2Point] {
        let points = pool.map { c in
            Phase2Point(design: table.design(path: c.path), optionPath: c.path.map(Int32.init),
                        totals: Metric.all.map { c.total($0) })
        }
        var requested: [Objective] = []
        for o in objectives where !requested.contains(o) { requested.append(o) }
        let vectors: [[Double]] = points.map { p in
            requested.isEmpty ? sweep.map { p.total($0) } : requested.map { p.value(of: $0) }
        }
        let kept = points.indices.filter { i in
            !points.indices.contains { j in
                j != i && zip(vectors[j], vectors[i]).allSatisfy { $0 <= $1 }
                    && (zip(vectors[j], vectors[i]).contains { $0 < $1 }
                        || points[j].optionPath.lexicographicallyPrecedes(points[i].optionPath))
            }
        }
        return kept.sorted { a, b in
            if vectors[a] != vectors[b] { return vectors[a].lexicographicallyPrecedes(vectors[b]) }
            return points[a].optionPath.lexicographicallyPrecedes(points[b].optionPath)
        }.map { points[$0] }
    }
}
