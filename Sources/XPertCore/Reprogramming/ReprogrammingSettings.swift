/// How a time-shared chip rewrites its crossbars between the contents of one inference.
public enum ReprogramPolicy: String, Sendable, Hashable, CaseIterable {
    /// Every cell of every loaded crossbar is programmed.
    case rewriteAll = "rewrite-all"
    /// Only cells whose stored level changes are programmed.
    case changedOnly = "changed-only"
    /// Rows of each layer sorted by magnitude, and each wave's crossbars placed so that a
    /// physical crossbar's consecutive contents are similar; changed cells only.
    case sorted
    /// `sorted`, plus bit stucking: in the lowest `stuck_columns` slices only a seeded fraction
    /// `stuck_fraction` of the cells that should change are written.
    case sortedStuck = "sorted+stuck"

    /// Whether rows are sorted and waves placed by similarity.
    public var sortsRows: Bool { self == .sorted || self == .sortedStuck }
}

/// The space's `reprogramming` section: which policies to compare and their parameters.
///
///     "reprogramming": {"policies": ["rewrite-all", "changed-only", "sorted", "sorted+stuck"],
///                       "stuck_columns": 2, "stuck_fraction": 0.5, "endurance_cycles": 1e6,
///                       "batch": 1, "seed": 0}
public struct ReprogrammingSettings: Sendable, Hashable {
    public static let keys = ["policies", "stuck_columns", "stuck_fraction", "endurance_cycles", "batch", "seed"]

    /// Program/erase cycles a cell survives. 1e6 is the conservative end of the endurance
    /// reported for filamentary RRAM (about 1e6 to 1e12 cycles; Yu and Chen, "Emerging memory
    /// technologies", IEEE Solid-State Circuits Magazine 8(2), 2016, Table 1).
    public static let defaultEnduranceCycles = 1e6
    /// Lowest slices where bit stucking applies (two of the seven magnitude bits of an 8-bit
    /// differential weight): our default, a parameter to sweep.
    public static let defaultStuckColumns = 2
    /// Fraction of the cells that should change which are written in stuck slices: our
    /// default, a parameter to sweep.
    public static let defaultStuckFraction = 0.5

    public var policies: [ReprogramPolicy] = ReprogramPolicy.allCases
    /// `k` choices: slices (least significant first) where bit stucking applies.
    public var stuckColumnChoices = [defaultStuckColumns]
    /// `f` choices: the fraction of cells that should change and are written there; quantised to 1/256.
    public var stuckFractionChoices = [defaultStuckFraction]
    public var enduranceCycles = defaultEnduranceCycles
    /// Inferences run on each loaded content before the next is written.
    public var batch = 1
    /// Seed of the stucking draws; the space's seed when absent.
    public var seed: UInt64

    public init(seed: UInt64) { self.seed = seed }

    /// The first `k` and `f` offered.
    public var stuckColumns: Int { stuckColumnChoices[0] }
    public var stuckFraction: Double { stuckFractionChoices[0] }
    /// The written fraction in 1/256 steps, as the packed Bernoulli masks draw it.
    public var stuckFraction256: Int { Self.steps256(stuckFraction) }
    static func steps256(_ f: Double) -> Int { Int((f * 256).rounded()) }

    /// Every (k, f) pair offered, k first.
    public var stuckChoices: [(columns: Int, fraction: Double)] {
        stuckColumnChoices.flatMap { k in stuckFractionChoices.map { (k, $0) } }
    }

    static func read(_ node: JSONNode?, spaceSeed: UInt64) throws -> ReprogrammingSettings {
        var s = ReprogrammingSettings(seed: spaceSeed)
        guard let node else { return s }
        let o = try node.object(allowing: keys)
        if let n = o.optional("policies") {
            s.policies = try n.choiceList { ReprogramPolicy(rawValue: try $0.string(oneOf: ReprogramPolicy.allCases.map(\.rawValue)))! }
        }
        // A number, or {"choices": [...]} (the search tries each).
        func list<T: Hashable>(_ n: JSONNode, _ read: (JSONNode) throws -> T) throws -> [T] {
            guard case .object = n.value else { return [try read(n)] }
            let items = try n.object(allowing: ["choices"]).required("choices")
            let values = try items.choiceList(read)
            guard values.count <= 8 else { throw items.fail("at most 8 choices") }
            return values
        }
        if let n = o.optional("stuck_columns") { s.stuckColumnChoices = try list(n) { try $0.int(in: 0...16) } }
        if let n = o.optional("stuck_fraction") {
            s.stuckFractionChoices = try list(n) { try $0.number(in: 0...1, what: "a fraction in 0...1") }
        }
        if let n = o.optional("endurance_cycles") { s.enduranceCycles = try n.number(in: 1...1e18, what: "a cycle count in 1...1e18") }
        if let n = o.optional("batch") { s.batch = try n.int(in: 1...1_000_000) }
        if let n = o.optional("seed") { s.seed = UInt64(try n.int(in: 0...Int.max)) }
        return s
    }
}
