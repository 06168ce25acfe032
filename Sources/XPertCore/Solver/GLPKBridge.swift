import CGLPK

/// What one GLPK optimisation ended with, before interpretation by ``MILPSolver``.
struct GLPKRun {
    enum Status: Equatable {
        case optimal
        case feasible
        case infeasible
        /// The LP relaxation has no dual-feasible solution: unbounded if feasible at all.
        case relaxationUnbounded
        /// Time limit before any integer-feasible point.
        case noSolution
    }

    var status: Status
    /// Best bound of the open branch-and-bound nodes last seen by the search callback.
    var bound: Double?
}

/// The only code that calls GLPK. Every function takes a live problem owned by
/// ``MILPSolver/solve(_:options:)`` and assumes a model that passed ``MILPModel/validate()``:
/// indices in range and distinct per row, finite numbers, consistent and integral bounds, at
/// least one column. Nothing here may be called with anything else, or GLPK aborts.
enum GLPKBridge {

    /// Columns (bounds, kinds), objective (sense, constant, coefficients) and rows. Names are
    /// not passed: GLPK aborts on names longer than 255 bytes or with control characters.
    static func load(_ model: MILPModel, into problem: OpaquePointer) {
        glp_set_obj_dir(problem, model.objective.sense == .minimize ? GLP_MIN : GLP_MAX)

        let n = model.variables.count
        glp_add_cols(problem, Int32(n))
        for (j, variable) in model.variables.enumerated() {
            let column = Int32(j + 1)
            let b = boundType(variable.lowerBound, variable.upperBound)
            glp_set_col_bnds(problem, column, b.type, b.lower, b.upper)
            // GLP_BV would reset the bounds to 0...1; binaries are integers with 0/1 bounds,
            // which also allows a binary fixed at 0 or 1.
            glp_set_col_kind(problem, column, variable.kind == .continuous ? GLP_CV : GLP_IV)
        }

        glp_set_obj_coef(problem, 0, model.objective.constant)
        for term in model.objective.terms {
            glp_set_obj_coef(problem, Int32(term.variable + 1), term.coefficient)
        }

        let m = model.constraints.count
        guard m > 0 else { return }
        glp_add_rows(problem, Int32(m))
        // GLPK arrays are 1-based: slot 0 is unused.
        var indices = [Int32](repeating: 0, count: n + 1)
        var coefficients = [Double](repeating: 0, count: n + 1)
        for (i, row) in model.constraints.enumerated() {
            let rowNumber = Int32(i + 1)
            let b = boundType(row.lowerBound, row.upperBound)
            glp_set_row_bnds(problem, rowNumber, b.type, b.lower, b.upper)
            var length = 0
            for term in row.terms where term.coefficient != 0 {
                length += 1
                indices[length] = Int32(term.variable + 1)
                coefficients[length] = term.coefficient
            }
            glp_set_mat_row(problem, rowNumber, Int32(length), indices, coefficients)
        }
    }

    /// GLPK's bound type for `lower...upper` (validated: `lower` is finite or -∞, `upper` finite
    /// or +∞, `lower <= upper`).
    static func boundType(_ lower: Double, _ upper: Double) -> (type: Int32, lower: Double, upper: Double) {
        switch (lower.isFinite, upper.isFinite) {
        case (false, false): return (GLP_FR, 0, 0)
        case (true, false): return (GLP_LO, lower, 0)
        case (false, true): return (GLP_UP, 0, upper)
        case (true, true): return lower == upper ? (GLP_FX, lower, lower) : (GLP_DB, lower, upper)
        }
    }

    /// Sets every objective coefficient and the constant to zero (feasibility check).
    static func clearObjective(of model: MILPModel, in problem: OpaquePointer) {
        glp_set_obj_coef(problem, 0, 0)
        for term in model.objective.terms {
            glp_set_obj_coef(problem, Int32(term.variable + 1), 0)
        }
    }

    /// Runs GLPK on the loaded problem: `glp_intopt` with the presolver, or the primal simplex
    /// on the LP relaxation then `glp_intopt` without it. Messages off; `timeLimit` in ms.
    static func optimize(
        _ problem: OpaquePointer, options: MILPOptions, timeLimit: Int32?
    ) throws(MILPError) -> GLPKRun {
        if !options.presolve {
            var smcp = glp_smcp()
            glp_init_smcp(&smcp)
            smcp.msg_lev = GLP_MSG_OFF
            smcp.presolve = GLP_OFF
            if let timeLimit { smcp.tm_lim = timeLimit }
            let code = glp_simplex(problem, &smcp)
            switch code {
            case 0: break
            case GLP_ETMLIM: return GLPKRun(status: .noSolution)
            default: throw .solverFailed(code: code, stage: "glp_simplex on the LP relaxation")
            }
            switch glp_get_status(problem) {
            case GLP_OPT: break
            case GLP_NOFEAS: return GLPKRun(status: .infeasible)
            case GLP_UNBND: return GLPKRun(status: .relaxationUnbounded)
            case let status:
                throw .solverFailed(code: status, stage: "glp_simplex on the LP relaxation (solution status)")
            }
        }

        var iocp = glp_iocp()
        glp_init_iocp(&iocp)
        iocp.msg_lev = GLP_MSG_OFF
        iocp.presolve = options.presolve ? GLP_ON : GLP_OFF
        iocp.mip_gap = options.relativeGap
        if let timeLimit { iocp.tm_lim = timeLimit }
        iocp.cb_func = recordBestBound

        var probe = SearchProbe()
        let code = withUnsafeMutablePointer(to: &probe) { pointer in
            iocp.cb_info = UnsafeMutableRawPointer(pointer)
            return glp_intopt(problem, &iocp)
        }
        let bound = probe.hasBound ? probe.bound : nil

        switch code {
        case 0, GLP_EMIPGAP, GLP_ETMLIM:
            switch glp_mip_status(problem) {
            case GLP_OPT: return GLPKRun(status: .optimal, bound: bound)
            case GLP_FEAS: return GLPKRun(status: .feasible, bound: bound)
            case GLP_NOFEAS: return GLPKRun(status: .infeasible)
            case _ where code == GLP_ETMLIM: return GLPKRun(status: .noSolution, bound: bound)
            case let status:
                throw .solverFailed(code: code, stage: "glp_intopt (MIP status \(status))")
            }
        case GLP_ENOPFS:
            return GLPKRun(status: .infeasible)
        case GLP_ENODFS:
            return GLPKRun(status: .relaxationUnbounded)
        default:
            throw .solverFailed(code: code, stage: "glp_intopt")
        }
    }

    /// The MIP solution as GLPK reports it, one value per column.
    static func rawValues(count: Int, from problem: OpaquePointer) -> [Double] {
        (0..<count).map { glp_mip_col_val(problem, Int32($0 + 1)) }
    }

    /// Integer variables rounded to the nearest integer, and -0 normalised to 0 so equal
    /// solutions print and hash alike.
    static func cleaned(_ raw: [Double], for model: MILPModel) -> [Double] {
        zip(model.variables, raw).map { variable, value in
            let x = variable.kind == .continuous ? value : value.rounded()
            return x == 0 ? 0 : x
        }
    }
}

/// State shared with ``recordBestBound(_:_:)`` through `glp_iocp.cb_info`.
private struct SearchProbe {
    var bound: Double = 0
    var hasBound = false
}

/// GLPK's branch-and-bound callback: remembers the bound of the best open node each time the
/// search calls back (it always does before checking the gap and time limits). It does not
/// change the search.
private func recordBestBound(_ tree: OpaquePointer?, _ info: UnsafeMutableRawPointer?) {
    guard let tree, let info else { return }
    let node = glp_ios_best_node(tree)
    guard node != 0 else { return }
    let bound = glp_ios_node_bound(tree, node)
    // Unsolved nodes carry ±DBL_MAX.
    guard abs(bound) < Double.greatestFiniteMagnitude else { return }
    let probe = info.assumingMemoryBound(to: SearchProbe.self)
    probe.pointee.bound = bound
    probe.pointee.hasBound = true
}
