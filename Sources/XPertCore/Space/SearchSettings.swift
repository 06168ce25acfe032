/// The search method: the exact joint frontier (default), or XPert's two phases.
public enum SearchMethod: String, Sendable, Hashable, CaseIterable {
    case exact
    case twoPhase = "two-phase"
}

/// How `xpert search` runs on a space: the `search` object of the document.
public struct SearchSettings: Sendable, Hashable {
    public var method: SearchMethod = .exact
    /// Relative epsilon of the epsilon-Pareto mode of the exact method; nil: the exact frontier.
    public var epsilon: Double?
    /// In the epsilon mode, the tolerance of the accuracy drop in points; nil: epsilon times
    /// the reference accuracy (so the accuracy, maximised, is within a factor 1 + epsilon).
    public var accuracyTolerancePct: Double?
    /// Most labels after any layer in the exact method; past it the search stops with a message.
    public var maxLabels: Int = 4_000_000
    /// Designs reported: all of the frontier (nil) or an evenly spread subset of this many.
    public var reportPoints: Int?
    /// With a `command` estimator, the exact method asks the program for at most this many
    /// designs, an evenly spread subset of the frontier it steers by.
    public var commandDesigns: Int = 64
    /// Phase-1 architectures refined in phase 2 (the K lowest-latency frontier points).
    public var topK: Int = 4
    /// Input and ADC bits phase 1 costs every layer at; nil = each layer's largest choice.
    public var referenceInputBits: Int?
    public var referenceADCBits: Int?
    /// Epsilon levels per secondary objective when phase 2 sweeps three objectives.
    public var sweepLevels: Int = 6
    /// Most frontier points one phase-2 sweep traces.
    public var maxPointsPerSweep: Int = 64
    /// Time limit of one phase-2 MILP solve. A solve stopped by it with a feasible point is
    /// reported as not proven optimal; the default only guards against a solve that never ends.
    public var milpTimeLimitMS: Int = Phase2Settings.defaultSolverOptions.timeLimitMilliseconds!

    public init() {}

    static func read(_ node: JSONNode?, workload: Workload) throws -> SearchSettings {
        var s = SearchSettings()
        guard let node else { return s }
        let o = try node.object(allowing: ["method", "epsilon", "accuracy_tolerance_pct", "max_labels", "report_points", "command_designs", "top_k",
                                           "reference_input_bits", "reference_adc_bits", "sweep_levels", "max_points_per_sweep",
                                           "milp_time_limit_ms"])
        if let n = o.optional("method") { s.method = SearchMethod(rawValue: try n.string(oneOf: SearchMethod.allCases.map(\.rawValue)))! }
        if let n = o.optional("epsilon") {
            let e = try n.number(in: 0...1, what: "a relative tolerance")
            s.epsilon = e > 0 ? e : nil
        }
        if let n = o.optional("accuracy_tolerance_pct") {
            guard s.epsilon != nil else { throw n.error("accuracy_tolerance_pct needs a positive search.epsilon (the epsilon-Pareto mode)") }
            s.accuracyTolerancePct = try n.number(in: 0...100, what: "percentage points")
        }
        if let n = o.optional("max_labels") { s.maxLabels = try n.int(in: 1000...100_000_000) }
        if let n = o.optional("report_points") { s.reportPoints = try n.int(in: 2...1_000_000) }
        if let n = o.optional("command_designs") { s.commandDesigns = try n.int(in: 1...100_000) }
        if let n = o.optional("top_k") { s.topK = try n.int(in: 1...1000) }
        if let n = o.optional("sweep_levels") { s.sweepLevels = try n.int(in: 2...100) }
        if let n = o.optional("max_points_per_sweep") { s.maxPointsPerSweep = try n.int(in: 1...100_000) }
        if let n = o.optional("milp_time_limit_ms") { s.milpTimeLimitMS = try n.int(in: 1...86_400_000) }
        if let n = o.optional("reference_input_bits") {
            let bits = try n.int(in: 1...16)
            for layer in workload.layers where !layer.choices.inputBits.isEmpty && !layer.choices.inputBits.contains(bits) {
                throw n.fail("input bits that every layer offers (layer \(layer.name) offers \(layer.choices.inputBits.map(String.init).joined(separator: ", ")))")
            }
            s.referenceInputBits = bits
        }
        if let n = o.optional("reference_adc_bits") {
            let bits = try n.int(in: 1...16)
            for layer in workload.layers where !layer.choices.adcBits.isEmpty && !layer.choices.adcBits.contains(bits) {
                throw n.fail("ADC bits that every layer offers (layer \(layer.name) offers \(layer.choices.adcBits.map(String.init).joined(separator: ", ")))")
            }
            s.referenceADCBits = bits
        }
        return s
    }

    /// Per-layer reference input bits: the setting, or each layer's largest choice (0 for a
    /// layer that does not offer the crossbar).
    public func referenceInputBits(_ workload: Workload) -> [Int] {
        workload.layers.map { referenceInputBits ?? $0.choices.inputBits.max() ?? 0 }
    }

    public func referenceADCBits(_ workload: Workload) -> [Int] {
        workload.layers.map { referenceADCBits ?? $0.choices.adcBits.max() ?? 0 }
    }
}
