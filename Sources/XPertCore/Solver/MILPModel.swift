/// A mixed-integer linear programme, as a plain value.
///
///     minimise / maximise   constant + Σ c_j x_j
///     subject to            L_i <= Σ a_ij x_j <= U_i      for every constraint i
///                           l_j <= x_j <= u_j             for every variable j
///                           x_j integer                   for integer and binary variables
///
/// Variables are referred to by their position in ``variables`` (0-based). Bounds use
/// `-.infinity` / `.infinity` for "none". The model holds no GLPK state: it is built in Swift,
/// checked by ``validate()`` and handed to ``MILPSolver/solve(_:options:)``, which builds,
/// solves and frees the GLPK problem in one synchronous call.
///
/// Names are for humans (error messages, debugging); they are never passed to GLPK, need not be
/// unique and may be empty.
public struct MILPModel: Sendable, Hashable {

    /// Integrality of a variable.
    public enum VariableKind: String, Sendable, Hashable, CaseIterable {
        /// A real-valued variable.
        case continuous
        /// An integer-valued variable; finite bounds must be integral.
        case integer
        /// An integer variable whose bounds lie in {0, 1} (default 0...1).
        case binary
    }

    /// Direction of optimisation.
    public enum Sense: String, Sendable, Hashable, CaseIterable {
        case minimize
        case maximize
    }

    /// One entry of a sparse row: `coefficient · x[variable]`.
    public struct Term: Sendable, Hashable {
        /// Index of the variable in ``MILPModel/variables``.
        public var variable: Int
        public var coefficient: Double

        public init(_ variable: Int, _ coefficient: Double) {
            self.variable = variable
            self.coefficient = coefficient
        }
    }

    /// A decision variable.
    public struct Variable: Sendable, Hashable {
        public var name: String
        public var kind: VariableKind
        /// `-.infinity` when the variable has no lower bound.
        public var lowerBound: Double
        /// `.infinity` when the variable has no upper bound.
        public var upperBound: Double

        /// Bounds default to `0...1` for binaries and to `0...+∞` otherwise (the usual LP
        /// convention); pass `-.infinity` explicitly for a free variable.
        public init(
            name: String = "", kind: VariableKind = .continuous,
            lowerBound: Double? = nil, upperBound: Double? = nil
        ) {
            self.name = name
            self.kind = kind
            self.lowerBound = lowerBound ?? 0
            self.upperBound = upperBound ?? (kind == .binary ? 1 : .infinity)
        }
    }

    /// The linear objective `constant + Σ coefficient · x[variable]`.
    public struct Objective: Sendable, Hashable {
        public var sense: Sense
        /// Sparse coefficients; each variable at most once.
        public var terms: [Term]
        public var constant: Double

        public init(sense: Sense = .minimize, terms: [Term] = [], constant: Double = 0) {
            self.sense = sense
            self.terms = terms
            self.constant = constant
        }
    }

    /// The bounds of a constraint row, as a convenience for building ``Constraint``s.
    public enum Relation: Sendable, Hashable {
        /// `row <= value`
        case lessOrEqual(Double)
        /// `row >= value`
        case greaterOrEqual(Double)
        /// `row == value`
        case equal(Double)
        /// `lower <= row <= upper`
        case between(Double, Double)

        /// The relation as `(lower, upper)`, with infinities for missing sides.
        public var bounds: (lower: Double, upper: Double) {
            switch self {
            case .lessOrEqual(let u): return (-.infinity, u)
            case .greaterOrEqual(let l): return (l, .infinity)
            case .equal(let v): return (v, v)
            case .between(let l, let u): return (l, u)
            }
        }
    }

    /// A linear constraint `lowerBound <= Σ coefficient · x[variable] <= upperBound`.
    ///
    /// Equality is `lowerBound == upperBound`; a row with both bounds infinite is free (allowed,
    /// and ignored by the solver). Zero coefficients are allowed and dropped.
    public struct Constraint: Sendable, Hashable {
        public var name: String
        /// Sparse coefficients; each variable at most once.
        public var terms: [Term]
        public var lowerBound: Double
        public var upperBound: Double

        public init(
            name: String = "", terms: [Term],
            lowerBound: Double = -.infinity, upperBound: Double = .infinity
        ) {
            self.name = name
            self.terms = terms
            self.lowerBound = lowerBound
            self.upperBound = upperBound
        }

        public init(name: String = "", terms: [Term], _ relation: Relation) {
            let b = relation.bounds
            self.init(name: name, terms: terms, lowerBound: b.lower, upperBound: b.upper)
        }
    }

    public var variables: [Variable]
    public var constraints: [Constraint]
    public var objective: Objective

    public init(
        variables: [Variable] = [], constraints: [Constraint] = [],
        objective: Objective = Objective()
    ) {
        self.variables = variables
        self.constraints = constraints
        self.objective = objective
    }
}

// MARK: - Builders

extension MILPModel {

    /// Appends a variable and returns its index.
    @discardableResult
    public mutating func addVariable(
        _ name: String = "", kind: VariableKind = .continuous,
        lowerBound: Double? = nil, upperBound: Double? = nil
    ) -> Int {
        variables.append(
            Variable(name: name, kind: kind, lowerBound: lowerBound, upperBound: upperBound))
        return variables.count - 1
    }

    /// Appends a 0/1 variable and returns its index.
    @discardableResult
    public mutating func addBinary(_ name: String = "") -> Int {
        addVariable(name, kind: .binary)
    }

    /// Appends the constraint `relation(Σ coefficient · x[variable])` and returns its index.
    @discardableResult
    public mutating func addConstraint(
        _ name: String = "", _ terms: [(variable: Int, coefficient: Double)], _ relation: Relation
    ) -> Int {
        constraints.append(
            Constraint(name: name, terms: terms.map { Term($0.variable, $0.coefficient) }, relation))
        return constraints.count - 1
    }

    /// Appends `options` binaries named `group[0]`, `group[1]`, … and the row
    /// `Σ_o x[group][o] == 1` named `group`; returns the indices of the new binaries in order.
    ///
    /// This is the per-layer choice of phase 2: exactly one option of the group is selected.
    @discardableResult
    public mutating func addOneHot(group name: String, options count: Int) -> [Int] {
        precondition(count >= 0, "addOneHot: negative option count \(count)")
        let indices = (0..<count).map { addBinary("\(name)[\($0)]") }
        addOneHot(group: name, over: indices)
        return indices
    }

    /// Appends the row `Σ x[i] == 1` over existing variables (normally binaries) and returns the
    /// constraint index.
    @discardableResult
    public mutating func addOneHot(group name: String, over indices: [Int]) -> Int {
        addConstraint(name, indices.map { ($0, 1.0) }, .equal(1))
    }

    /// Replaces the objective.
    public mutating func setObjective(
        _ sense: Sense, _ terms: [(variable: Int, coefficient: Double)], constant: Double = 0
    ) {
        objective = Objective(
            sense: sense, terms: terms.map { Term($0.variable, $0.coefficient) }, constant: constant)
    }

    /// Replaces the objective by `minimise constant + Σ terms`.
    public mutating func minimize(_ terms: [(variable: Int, coefficient: Double)], constant: Double = 0) {
        setObjective(.minimize, terms, constant: constant)
    }

    /// Replaces the objective by `maximise constant + Σ terms`.
    public mutating func maximize(_ terms: [(variable: Int, coefficient: Double)], constant: Double = 0) {
        setObjective(.maximize, terms, constant: constant)
    }

    /// Index of the first variable with that name, if any (linear search).
    public func variableIndex(named name: String) -> Int? {
        variables.firstIndex { $0.name == name }
    }

    /// Whether some variable is integer or binary.
    public var hasIntegerVariables: Bool {
        variables.contains { $0.kind != .continuous }
    }
}

// MARK: - Evaluation

extension MILPModel {

    /// `constant + Σ c_j x_j` at the given point (one value per variable), summed in term order.
    public func objectiveValue(at values: [Double]) -> Double {
        precondition(values.count == variables.count, "objectiveValue: expected \(variables.count) values, got \(values.count)")
        var total = objective.constant
        for term in objective.terms { total += term.coefficient * values[term.variable] }
        return total
    }

    /// `Σ a_ij x_j` of every constraint at the given point.
    public func rowActivities(at values: [Double]) -> [Double] {
        precondition(values.count == variables.count, "rowActivities: expected \(variables.count) values, got \(values.count)")
        return constraints.map { row in
            row.terms.reduce(0) { $0 + $1.coefficient * values[$1.variable] }
        }
    }

    /// Whether the point satisfies bounds, rows and integrality within an absolute `tolerance`.
    /// The model must be valid (indices in range).
    public func isFeasible(_ values: [Double], tolerance: Double = 1e-6) -> Bool {
        guard values.count == variables.count else { return false }
        for (v, x) in zip(variables, values) {
            guard x.isFinite, x >= v.lowerBound - tolerance, x <= v.upperBound + tolerance else { return false }
            if v.kind != .continuous, abs(x - x.rounded()) > tolerance { return false }
        }
        for (row, a) in zip(constraints, rowActivities(at: values)) {
            guard a >= row.lowerBound - tolerance, a <= row.upperBound + tolerance else { return false }
        }
        return true
    }

    /// The first way a solver's raw point breaks the model, or nil. Tolerances follow GLPK's:
    /// bounds and rows `1e-6 · (1 + |bound| + |activity terms|)`, integrality `1e-5`
    /// (`tol_int`). Used to catch wrong answers from GLPK's presolver.
    func firstViolation(at values: [Double]) -> String? {
        func slack(_ bound: Double, _ scale: Double = 0) -> Double { 1e-6 * (1 + abs(bound) + scale) }
        for (j, (v, x)) in zip(variables, values).enumerated() {
            if !x.isFinite { return "variable \(j) '\(v.name)' = \(x)" }
            if x < v.lowerBound - slack(v.lowerBound) || x > v.upperBound + slack(v.upperBound) {
                return "variable \(j) '\(v.name)' = \(x) outside [\(v.lowerBound), \(v.upperBound)]"
            }
            if v.kind != .continuous, abs(x - x.rounded()) > 1e-5 {
                return "integer variable \(j) '\(v.name)' = \(x)"
            }
        }
        for (i, row) in constraints.enumerated() {
            var activity = 0.0
            var magnitude = 0.0
            for term in row.terms {
                activity += term.coefficient * values[term.variable]
                magnitude += abs(term.coefficient * values[term.variable])
            }
            if activity < row.lowerBound - slack(row.lowerBound, magnitude)
                || activity > row.upperBound + slack(row.upperBound, magnitude)
            {
                return "constraint \(i) '\(row.name)' = \(activity) outside [\(row.lowerBound), \(row.upperBound)]"
            }
        }
        return nil
    }
}
