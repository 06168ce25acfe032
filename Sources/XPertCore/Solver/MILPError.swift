/// Why a MILP could not be solved.
///
/// Everything except ``solverFailed(code:stage:)`` is found by ``MILPModel/validate()`` or
/// ``MILPOptions/validate()`` in Swift, before any GLPK call: GLPK aborts the whole process on
/// invalid input, so it must never see any.
public enum MILPError: Error, Sendable, Hashable, CustomStringConvertible {

    /// Where in the model a problem was found.
    public enum Location: Sendable, Hashable, CustomStringConvertible {
        case objective
        case variable(index: Int, name: String)
        case constraint(index: Int, name: String)

        public var description: String {
            switch self {
            case .objective: return "objective"
            case .variable(let i, let name): return "variable \(i)\(quoted(name))"
            case .constraint(let i, let name): return "constraint \(i)\(quoted(name))"
            }
        }
    }

    /// The model has no variable (GLPK needs at least one column).
    case noVariables
    /// More variables, constraints or non-zero coefficients than GLPK accepts.
    case tooLarge(what: String, count: Int, limit: Int)
    /// A variable's bounds are NaN, `lower > upper`, `lower == +∞` or `upper == -∞`.
    case invalidVariableBounds(variable: Int, name: String, lower: Double, upper: Double)
    /// A finite bound of an integer or binary variable is not an integer.
    case nonIntegralBound(variable: Int, name: String, bound: Double)
    /// A binary variable's bounds are not 0 or 1.
    case invalidBinaryBounds(variable: Int, name: String, lower: Double, upper: Double)
    /// A term refers to a variable index outside `0..<count`.
    case variableIndexOutOfRange(location: Location, index: Int, count: Int)
    /// The same variable appears twice in one row (or twice in the objective).
    case duplicateVariable(location: Location, index: Int)
    /// A coefficient, the objective constant or a bound is NaN or infinite where a finite
    /// number is required (`variable` is the term's variable, nil for a constant).
    case nonFiniteValue(location: Location, variable: Int?, value: Double)
    /// A finite number exceeds ``MILPModel/magnitudeLimit`` in absolute value.
    case magnitudeTooLarge(location: Location, variable: Int?, value: Double)
    /// A constraint's bounds are NaN, `lower > upper`, `lower == +∞` or `upper == -∞`.
    case invalidConstraintBounds(constraint: Int, name: String, lower: Double, upper: Double)
    /// An option is out of range.
    case invalidOption(String)
    /// GLPK returned a code that means it failed (numerical trouble, for instance); `code` is the
    /// raw GLPK return code (`GLP_EFAIL`, …) and `stage` the call that returned it.
    case solverFailed(code: Int32, stage: String)
    /// GLPK claimed a solution that breaks the model, even after retrying without its
    /// presolver (see ``MILPResult/retriedWithoutPresolve``); the text names the violation.
    case invalidSolution(String)

    public var description: String {
        switch self {
        case .noVariables:
            return "MILP model has no variables"
        case .tooLarge(let what, let count, let limit):
            return "MILP model has \(count) \(what); GLPK accepts at most \(limit)"
        case .invalidVariableBounds(let i, let name, let lower, let upper):
            return "variable \(i)\(quoted(name)) has invalid bounds [\(lower), \(upper)]"
        case .nonIntegralBound(let i, let name, let bound):
            return "integer variable \(i)\(quoted(name)) has non-integral bound \(bound)"
        case .invalidBinaryBounds(let i, let name, let lower, let upper):
            return "binary variable \(i)\(quoted(name)) has bounds [\(lower), \(upper)]; both must be 0 or 1"
        case .variableIndexOutOfRange(let location, let index, let count):
            return "\(location) refers to variable \(index), outside 0..<\(count)"
        case .duplicateVariable(let location, let index):
            return "\(location) lists variable \(index) more than once"
        case .nonFiniteValue(let location, let variable, let value):
            return "\(location) has a non-finite value \(value)\(variable.map { " for variable \($0)" } ?? "")"
        case .magnitudeTooLarge(let location, let variable, let value):
            return "\(location) has value \(value)\(variable.map { " for variable \($0)" } ?? ""), beyond ±\(MILPModel.magnitudeLimit)"
        case .invalidConstraintBounds(let i, let name, let lower, let upper):
            return "constraint \(i)\(quoted(name)) has invalid bounds [\(lower), \(upper)]"
        case .invalidOption(let message):
            return "invalid MILP option: \(message)"
        case .solverFailed(let code, let stage):
            return "GLPK \(stage) failed with code \(code) (\(glpkCodeName(code)))"
        case .invalidSolution(let violation):
            return "GLPK returned a point that breaks the model: \(violation)"
        }
    }
}

private func quoted(_ name: String) -> String {
    name.isEmpty ? "" : " '\(name)'"
}

/// The symbolic name of a GLPK return code, for messages.
func glpkCodeName(_ code: Int32) -> String {
    let names: [Int32: String] = [
        0x01: "GLP_EBADB", 0x02: "GLP_ESING", 0x03: "GLP_ECOND", 0x04: "GLP_EBOUND",
        0x05: "GLP_EFAIL", 0x06: "GLP_EOBJLL", 0x07: "GLP_EOBJUL", 0x08: "GLP_EITLIM",
        0x09: "GLP_ETMLIM", 0x0A: "GLP_ENOPFS", 0x0B: "GLP_ENODFS", 0x0C: "GLP_EROOT",
        0x0D: "GLP_ESTOP", 0x0E: "GLP_EMIPGAP", 0x0F: "GLP_ENOFEAS", 0x10: "GLP_ENOCVG",
        0x11: "GLP_EINSTAB", 0x12: "GLP_EDATA", 0x13: "GLP_ERANGE",
    ]
    return names[code] ?? "unknown"
}

// MARK: - Validation

extension MILPModel {

    /// Largest absolute value accepted for a coefficient, a finite bound or the objective
    /// constant. GLPK itself takes any double, but its tolerances are absolute and relative to
    /// values of order 1; numbers this large are almost certainly a units mistake.
    public static let magnitudeLimit: Double = 1e30

    /// GLPK's hard limits (prob.h: M_MAX, N_MAX, NNZ_MAX); beyond them it aborts.
    static let maxRows = 100_000_000
    static let maxColumns = 100_000_000
    static let maxNonZeros = 500_000_000

    /// Checks everything GLPK would abort on, and a little more (finite, sane numbers;
    /// integral bounds for integer variables). Throws the first problem found, in the order
    /// sizes, variables, objective, constraints.
    public func validate() throws(MILPError) {
        if variables.isEmpty { throw .noVariables }
        if variables.count > Self.maxColumns {
            throw .tooLarge(what: "variables", count: variables.count, limit: Self.maxColumns)
        }
        if constraints.count > Self.maxRows {
            throw .tooLarge(what: "constraints", count: constraints.count, limit: Self.maxRows)
        }
        for (j, v) in variables.enumerated() { try Self.validate(variable: v, at: j) }

        let n = variables.count
        var seen = [Int](repeating: -1, count: n)  // seen[j] == stamp of the last row using j
        try Self.validate(terms: objective.terms, at: .objective, count: n, stamp: -2, seen: &seen)
        try Self.checkFinite(objective.constant, at: .objective, variable: nil)

        var nonZeros = 0
        for (i, row) in constraints.enumerated() {
            let location = Location.constraint(index: i, name: row.name)
            try Self.validate(terms: row.terms, at: location, count: n, stamp: i, seen: &seen)
            try Self.validateBounds(row.lowerBound, row.upperBound) {
                .invalidConstraintBounds(constraint: i, name: row.name, lower: row.lowerBound, upper: row.upperBound)
            }
            for b in [row.lowerBound, row.upperBound] where b.isFinite {
                try Self.checkFinite(b, at: location, variable: nil)
            }
            nonZeros += row.terms.lazy.filter { $0.coefficient != 0 }.count
            if nonZeros > Self.maxNonZeros {
                throw .tooLarge(what: "non-zero coefficients", count: nonZeros, limit: Self.maxNonZeros)
            }
        }
    }

    private typealias Location = MILPError.Location

    private static func validate(variable v: Variable, at j: Int) throws(MILPError) {
        try validateBounds(v.lowerBound, v.upperBound) {
            .invalidVariableBounds(variable: j, name: v.name, lower: v.lowerBound, upper: v.upperBound)
        }
        let location = Location.variable(index: j, name: v.name)
        for b in [v.lowerBound, v.upperBound] where b.isFinite {
            try checkFinite(b, at: location, variable: nil)
        }
        switch v.kind {
        case .continuous:
            break
        case .integer:
            for b in [v.lowerBound, v.upperBound] where b.isFinite && b != b.rounded(.down) {
                throw .nonIntegralBound(variable: j, name: v.name, bound: b)
            }
        case .binary:
            guard v.lowerBound == 0 || v.lowerBound == 1, v.upperBound == 0 || v.upperBound == 1 else {
                throw .invalidBinaryBounds(variable: j, name: v.name, lower: v.lowerBound, upper: v.upperBound)
            }
        }
    }

    /// Valid bounds: not NaN, `lower <= upper`, `lower < +∞`, `upper > -∞`.
    private static func validateBounds(
        _ lower: Double, _ upper: Double, _ error: () -> MILPError
    ) throws(MILPError) {
        guard !lower.isNaN, !upper.isNaN, lower <= upper,
            lower != .infinity, upper != -.infinity
        else { throw error() }
    }

    /// In range, no duplicates (using `seen` stamped with `stamp`), finite, not too large.
    private static func validate(
        terms: [Term], at location: Location, count n: Int, stamp: Int, seen: inout [Int]
    ) throws(MILPError) {
        for term in terms {
            guard term.variable >= 0, term.variable < n else {
                throw .variableIndexOutOfRange(location: location, index: term.variable, count: n)
            }
            if seen[term.variable] == stamp {
                throw .duplicateVariable(location: location, index: term.variable)
            }
            seen[term.variable] = stamp
            try checkFinite(term.coefficient, at: location, variable: term.variable)
        }
    }

    private static func checkFinite(
        _ value: Double, at location: Location, variable: Int?
    ) throws(MILPError) {
        guard value.isFinite else {
            throw .nonFiniteValue(location: location, variable: variable, value: value)
        }
        guard abs(value) <= magnitudeLimit else {
            throw .magnitudeTooLarge(location: location, variable: variable, value: value)
        }
    }
}
