import CGLPK
import Dispatch

/// Options of one MILP solve.
public struct MILPOptions: Sendable, Hashable {
    /// Wall-clock budget for the whole solve, in milliseconds; nil for none. When it runs out the
    /// result is ``MILPResult/Status-swift.enum/feasible`` (with the best point found) or
    /// ``MILPResult/Status-swift.enum/noSolutionFound``. A solve that hits it is, by nature, not
    /// deterministic. Must lie in `0..<Int32.max`.
    public var timeLimitMilliseconds: Int?
    /// Relative MIP gap at which the branch-and-bound search may stop, `|best − bound| /
    /// (|best| + ε)`. 0 (the default) proves optimality.
    public var relativeGap: Double
    /// Use GLPK's MIP presolver (off by default). Off: the LP relaxation is solved first with
    /// the primal simplex, then branch and bound runs on the original problem.
    ///
    /// Off by default because GLPK 5.0's presolver is wrong on some small one-hot models: it
    /// can return an infeasible point as optimal (caught by the Swift-side check, which then
    /// re-solves without presolve) and a feasible but suboptimal point as optimal (which no
    /// check can catch): a four-layer phase-2 model whose optimum is 0 came back "optimal"
    /// at 0.0419 with presolve and 0 without (`Phase2OracleTests`, seed 343919).
    public var presolve: Bool

    public init(timeLimitMilliseconds: Int? = nil, relativeGap: Double = 0, presolve: Bool = false) {
        self.timeLimitMilliseconds = timeLimitMilliseconds
        self.relativeGap = relativeGap
        self.presolve = presolve
    }

    /// Throws ``MILPError/invalidOption(_:)`` for a negative or too large time limit, or a gap
    /// that is negative or not finite.
    public func validate() throws(MILPError) {
        if let t = timeLimitMilliseconds, !(0..<Int(Int32.max)).contains(t) {
            throw .invalidOption("timeLimitMilliseconds = \(t), expected 0..<\(Int32.max)")
        }
        if !(relativeGap.isFinite && relativeGap >= 0) {
            throw .invalidOption("relativeGap = \(relativeGap), expected a finite number >= 0")
        }
    }
}

/// The outcome of one MILP solve.
public struct MILPResult: Sendable, CustomStringConvertible {

    public enum Status: String, Sendable, Hashable, CaseIterable {
        /// Proven optimal (to GLPK's tolerances).
        case optimal
        /// An integer-feasible point, not proven optimal: the time limit or the requested
        /// relative gap stopped the search. Not a failure; see ``MILPResult/relativeGap``.
        case feasible
        /// Proven to have no (integer-)feasible point.
        case infeasible
        /// Feasible, with an objective that improves without limit. For a model with integer
        /// variables: the LP relaxation is unbounded and an integer-feasible point exists
        /// (which, for rational data, makes the MILP unbounded too).
        case unbounded
        /// The time limit ran out before any feasible point was found (or before infeasibility
        /// or unboundedness could be decided).
        case noSolutionFound
    }

    public var status: Status
    /// The objective at ``values`` (constant included), recomputed in Swift from the returned,
    /// rounded values; nil without a solution.
    public var objectiveValue: Double?
    /// One value per variable, in model order; integer and binary variables are rounded to
    /// exact integers. Empty without a solution.
    public var values: [Double]
    /// The best proven bound on the optimum: equal to ``objectiveValue`` when optimal; for a
    /// stopped search, the bound of the best open branch-and-bound node that GLPK's search
    /// callback last reported (valid, possibly slightly weaker than GLPK's final one); nil when
    /// unknown.
    public var bestBound: Double?
    /// `|objectiveValue − bestBound| / (|objectiveValue| + DBL_EPSILON)`, GLPK's definition:
    /// 0 when optimal, nil when either side is unknown.
    public var relativeGap: Double?
    /// Wall-clock time of the whole call (validation, building, solving), in milliseconds.
    public var solveTimeMilliseconds: Double
    /// Whether GLPK's presolver returned a point that broke the model, so the model was solved
    /// again without it (a GLPK 5.0 bug; see ``MILPSolver``). The result is the second solve's.
    public var retriedWithoutPresolve = false

    /// Whether ``values`` holds a point (status optimal or feasible).
    public var hasSolution: Bool { status == .optimal || status == .feasible }

    public init(
        status: Status, objectiveValue: Double? = nil, values: [Double] = [],
        bestBound: Double? = nil, relativeGap: Double? = nil, solveTimeMilliseconds: Double = 0
    ) {
        self.status = status
        self.objectiveValue = objectiveValue
        self.values = values
        self.bestBound = bestBound
        self.relativeGap = relativeGap
        self.solveTimeMilliseconds = solveTimeMilliseconds
    }

    public var description: String {
        var s = "MILPResult(\(status.rawValue)"
        if let objectiveValue { s += ", objective \(objectiveValue)" }
        if let relativeGap { s += ", gap \(relativeGap)" }
        return s + ", \(values.count) values, \(solveTimeMilliseconds) ms)"
    }
}

/// Solves ``MILPModel``s with GLPK (branch and bound over the simplex method).
///
/// **Threads.** ``solve(_:options:)`` is one synchronous call: it creates the GLPK problem,
/// solves it, reads the solution and deletes the problem before returning, so no GLPK object
/// outlives the call or crosses a thread, and there is no `await` inside. Debian's GLPK 5.0 keeps
/// its environment in thread-local storage (the library has a TLS segment), so different
/// threads may solve their own models at the same time; this is exercised by the test suite
/// (many concurrent solves from `DispatchQueue.concurrentPerform` and a task group, results
/// identical to serial solves). GLPK never frees a thread's environment (a few kilobytes)
/// before the thread ends; pool threads are long-lived, so this does not grow.
///
/// **Safety.** GLPK aborts the process on invalid input, so the model and options are
/// validated in Swift first (``MILPModel/validate()``, ``MILPOptions/validate()``) and GLPK
/// only ever sees well-formed data. Its terminal output is switched off for the calling
/// thread during the call (and its message level set to off), so nothing is printed.
///
/// **Checked answers.** Every point GLPK returns is checked against the model in Swift
/// (bounds, rows, integrality, GLPK's tolerances). GLPK 5.0's MIP presolver has a bug that
/// makes some infeasible models come back "optimal" with a point that breaks a row; such a
/// solve is repeated without the presolver, which answers correctly
/// (``MILPResult/retriedWithoutPresolve`` tells).
///
/// **Determinism.** The same model and options give the same result (values, objective,
/// status) every time, unless the time limit is what stops the search.
public enum MILPSolver {

    /// Solves `model`. Throws ``MILPError`` for an invalid model or options (before GLPK is
    /// touched) or when GLPK reports a failure; infeasible, unbounded and timed-out models are
    /// results, not errors.
    public static func solve(
        _ model: MILPModel, options: MILPOptions = .init()
    ) throws(MILPError) -> MILPResult {
        let clock = MILPStopwatch()
        try model.validate()
        try options.validate()

        let previousTermOut = glp_term_out(GLP_OFF)
        defer { glp_term_out(previousTermOut) }
        guard let problem = glp_create_prob() else {
            throw .solverFailed(code: 0, stage: "glp_create_prob")
        }
        defer { glp_delete_prob(problem) }

        GLPKBridge.load(model, into: problem)
        var attempt = try checkedOptimize(problem, model, options, clock)

        if attempt.run.status == .relaxationUnbounded {
            // GLPK only knows the LP relaxation has no dual-feasible solution (its presolver
            // says so before checking primal feasibility). Decide feasibility with a zero
            // objective: feasible ⇒ unbounded, infeasible ⇒ infeasible.
            GLPKBridge.clearObjective(of: model, in: problem)
            let check = try checkedOptimize(problem, model, options, clock)
            let status: MILPResult.Status
            switch check.run.status {
            case .optimal, .feasible: status = .unbounded
            case .infeasible: status = .infeasible
            case .noSolution: status = .noSolutionFound
            case .relaxationUnbounded:
                throw .solverFailed(code: GLP_ENODFS, stage: "feasibility check with a zero objective")
            }
            var result = MILPResult(status: status, solveTimeMilliseconds: clock.elapsedMilliseconds)
            result.retriedWithoutPresolve = attempt.retried || check.retried
            return result
        }

        var result: MILPResult
        switch attempt.run.status {
        case .infeasible:
            result = MILPResult(status: .infeasible)
        case .noSolution:
            result = MILPResult(status: .noSolutionFound, bestBound: attempt.run.bound)
        case .relaxationUnbounded:
            preconditionFailure("handled above")
        case .optimal, .feasible:
            let values = GLPKBridge.cleaned(attempt.raw, for: model)
            let objective = model.objectiveValue(at: values)
            if attempt.run.status == .optimal {
                attempt.run.bound = objective
            }
            let gap = attempt.run.bound.map { abs(objective - $0) / (abs(objective) + Double.ulpOfOne) }
            result = MILPResult(
                status: attempt.run.status == .optimal ? .optimal : .feasible,
                objectiveValue: objective, values: values,
                bestBound: attempt.run.bound, relativeGap: attempt.run.status == .optimal ? 0 : gap)
        }
        result.retriedWithoutPresolve = attempt.retried
        result.solveTimeMilliseconds = clock.elapsedMilliseconds
        return result
    }

    /// One optimisation whose claimed point, if any, is checked against the model in Swift.
    ///
    /// GLPK 5.0's MIP presolver can report a point that breaks the model as optimal: when a
    /// row singleton's implied lower bound, rounded up, fixes an integer column at its upper
    /// bound, `npp_ineq_singlet` skips the implied upper bound (`1 <= 3x <= 2` with binary
    /// `x` comes back "optimal" at x = 1; such a model is in fact infeasible). A point that
    /// fails the check after presolve is therefore re-solved once without the presolver;
    /// a point that still fails throws ``MILPError/invalidSolution(_:)``.
    private static func checkedOptimize(
        _ problem: OpaquePointer, _ model: MILPModel, _ options: MILPOptions, _ clock: MILPStopwatch
    ) throws(MILPError) -> (run: GLPKRun, raw: [Double], retried: Bool) {
        var options = options
        var retried = false
        while true {
            let run = try GLPKBridge.optimize(
                problem, options: options, timeLimit: clock.remaining(options.timeLimitMilliseconds))
            guard run.status == .optimal || run.status == .feasible else { return (run, [], retried) }
            let raw = GLPKBridge.rawValues(count: model.variables.count, from: problem)
            guard let violation = model.firstViolation(at: raw) else { return (run, raw, retried) }
            guard options.presolve else { throw .invalidSolution(violation) }
            options.presolve = false
            retried = true
        }
    }
}

/// Monotonic wall-clock measurements of one solve.
struct MILPStopwatch {
    let start = DispatchTime.now().uptimeNanoseconds

    var elapsedMilliseconds: Double {
        Double(DispatchTime.now().uptimeNanoseconds &- start) / 1e6
    }

    /// What is left of `limit` ms, clamped to `0...limit`; nil for no limit.
    func remaining(_ limit: Int?) -> Int32? {
        guard let limit else { return nil }
        let left = Double(limit) - elapsedMilliseconds
        return Int32(max(0, min(Double(limit), left.rounded(.up))))
    }
}
