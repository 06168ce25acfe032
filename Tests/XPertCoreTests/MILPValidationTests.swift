import Testing
@testable import XPertCore

/// Invalid models and options must throw a Swift error before GLPK sees them (GLPK would
/// abort the test process).
@Suite("MILP solver: validation")
struct MILPValidationTests {

    /// A valid two-variable model to break in one place.
    static var base: MILPModel {
        var m = MILPModel()
        let x = m.addVariable("x", kind: .integer, upperBound: 10)
        let y = m.addBinary("y")
        m.addConstraint("row", [(x, 1), (y, 2)], .lessOrEqual(5))
        m.maximize([(x, 1), (y, 1)])
        return m
    }

    func expectError(
        _ model: MILPModel, options: MILPOptions = .init(),
        sourceLocation: SourceLocation = #_sourceLocation,
        _ matches: (MILPError) -> Bool
    ) {
        let error = #expect(throws: MILPError.self, sourceLocation: sourceLocation) {
            try MILPSolver.solve(model, options: options)
        }
        if let error {
            #expect(matches(error), "unexpected error: \(error)", sourceLocation: sourceLocation)
            #expect(!error.description.isEmpty)
        }
    }

    @Test func baseModelIsValid() throws {
        try Self.base.validate()
        #expect(try MILPSolver.solve(Self.base).objectiveValue == 5)
    }

    @Test func noVariables() {
        expectError(MILPModel()) { $0 == .noVariables }
    }

    @Test func indexOutOfRangeInRow() {
        var m = Self.base
        m.constraints[0].terms.append(.init(2, 1))
        expectError(m) {
            $0 == .variableIndexOutOfRange(location: .constraint(index: 0, name: "row"), index: 2, count: 2)
        }
        m.constraints[0].terms[2] = .init(-1, 1)
        expectError(m) {
            if case .variableIndexOutOfRange(_, -1, 2) = $0 { true } else { false }
        }
    }

    @Test func indexOutOfRangeInObjective() {
        var m = Self.base
        m.objective.terms.append(.init(7, 1))
        expectError(m) { $0 == .variableIndexOutOfRange(location: .objective, index: 7, count: 2) }
    }

    @Test func duplicateIndex() {
        var m = Self.base
        m.constraints[0].terms.append(.init(0, 3))
        expectError(m) { $0 == .duplicateVariable(location: .constraint(index: 0, name: "row"), index: 0) }
        var o = Self.base
        o.objective.terms.append(.init(1, 3))
        expectError(o) { $0 == .duplicateVariable(location: .objective, index: 1) }
        // The same variable in two different rows is fine.
        var ok = Self.base
        ok.addConstraint("again", [(0, 1), (1, 1)], .greaterOrEqual(0))
        #expect(throws: Never.self) { try ok.validate() }
    }

    @Test(arguments: [Double.nan, .infinity, -.infinity])
    func nonFiniteCoefficient(value: Double) {
        var m = Self.base
        m.constraints[0].terms[1].coefficient = value
        expectError(m) {
            if case .nonFiniteValue(.constraint(0, "row"), 1, _) = $0 { true } else { false }
        }
        var o = Self.base
        o.objective.terms[0].coefficient = value
        expectError(o) {
            if case .nonFiniteValue(.objective, 0, _) = $0 { true } else { false }
        }
        var c = Self.base
        c.objective.constant = value
        expectError(c) {
            if case .nonFiniteValue(.objective, nil, _) = $0 { true } else { false }
        }
    }

    @Test func hugeCoefficient() {
        var m = Self.base
        m.constraints[0].terms[0].coefficient = 1e40
        expectError(m) {
            if case .magnitudeTooLarge(.constraint(0, _), 0, 1e40) = $0 { true } else { false }
        }
    }

    @Test func variableLowerAboveUpper() {
        var m = Self.base
        m.variables[0].lowerBound = 11
        expectError(m) { $0 == .invalidVariableBounds(variable: 0, name: "x", lower: 11, upper: 10) }
    }

    @Test(arguments: [
        (Double.nan, 1.0), (0, .nan), (.infinity, .infinity), (-.infinity, -.infinity),
    ])
    func variableBoundsMalformed(lower: Double, upper: Double) {
        var m = Self.base
        m.variables[0].kind = .continuous
        m.variables[0].lowerBound = lower
        m.variables[0].upperBound = upper
        expectError(m) {
            if case .invalidVariableBounds(0, "x", _, _) = $0 { true } else { false }
        }
    }

    @Test func integerBoundsMustBeIntegral() {
        var m = Self.base
        m.variables[0].upperBound = 2.5
        expectError(m) { $0 == .nonIntegralBound(variable: 0, name: "x", bound: 2.5) }
    }

    @Test(arguments: [(0.0, 2.0), (-1, 1), (0.5, 1)])
    func binaryBounds(lower: Double, upper: Double) {
        var m = Self.base
        m.variables[1].lowerBound = lower
        m.variables[1].upperBound = upper
        expectError(m) {
            if case .invalidBinaryBounds(1, "y", _, _) = $0 { true } else { false }
        }
    }

    @Test func constraintLowerAboveUpper() {
        var m = Self.base
        m.constraints[0].lowerBound = 6
        expectError(m) { $0 == .invalidConstraintBounds(constraint: 0, name: "row", lower: 6, upper: 5) }
        m.constraints[0].lowerBound = .nan
        expectError(m) {
            if case .invalidConstraintBounds(0, "row", _, 5) = $0 { true } else { false }
        }
        m.constraints[0].lowerBound = .infinity
        m.constraints[0].upperBound = .infinity
        expectError(m) {
            if case .invalidConstraintBounds = $0 { true } else { false }
        }
    }

    @Test func invalidOptions() {
        for options in [
            MILPOptions(timeLimitMilliseconds: -1), MILPOptions(timeLimitMilliseconds: Int(Int32.max)),
            MILPOptions(relativeGap: -0.1), MILPOptions(relativeGap: .nan), MILPOptions(relativeGap: .infinity),
        ] {
            expectError(Self.base, options: options) {
                if case .invalidOption = $0 { true } else { false }
            }
        }
    }

    @Test("names GLPK would reject are fine: they never reach GLPK")
    func awkwardNames() throws {
        var m = Self.base
        m.variables[0].name = String(repeating: "n", count: 1000)
        m.constraints[0].name = "tab\there\nnewline"
        #expect(try MILPSolver.solve(m).status == .optimal)
    }
}
