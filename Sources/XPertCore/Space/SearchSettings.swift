/// How `xpert search` runs on a space: the `search` object of the document.
public struct SearchSettings: Sendable, Hashable {
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
        let o = try node.object(allowing: ["top_k", "reference_input_bits", "reference_adc_bits", "sweep_levels", "max_points_per_sweep", "milp_time_limit_ms"])
        if let n = o.optional("top_k") { s.topK = try n.int(in: 1...1000) }
        if let n = o.optional("sweep_levels") { s.sweepLevels = try n.int(in: 2...100) }
        if let n = o.optional("max_points_per_sweep") { s.maxPointsPerSweep = try n.int(in: 1...100_000) }
        if let n = o.optional("milp_time_limit_ms") { s.milpTimeLimitMS = try n.int(in: 1...86_400_000) }
        if let n = o.optional("reference_input_bits") {
            let bits = try n.int(in: 1...16)
            for layer in workload.layers where !layer.choices.inputBits.contains(bits) {
                throw n.fail("input bits that every layer offers (layer \(layer.name) offers \(layer.choices.inputBits.map(String.init).joined(separator: ", ")))")
            }
            s.referenceInputBits = bits
        }
        if let n = o.optional("reference_adc_bits") {
            let bits = try n.int(in: 1...16)
            for layer in workload.layers where !layer.choices.adcBits.contains(bits) {
                throw n.fail("ADC bits that every layer offers (layer \(layer.name) offers \(layer.choices.adcBits.map(String.init).joined(separator: ", ")))")
            }
            s.referenceADCBits = bits
        }
        return s
    }

    /// Per-layer reference input bits: the setting, or each layer's largest choice.
    public func referenceInputBits(_ workload: Workload) -> [Int] {
        workload.layers.map { referenceInputBits ?? $0.choices.inputBits.max()! }
    }

    public func referenceADCBits(_ workload: Workload) -> [Int] {
        workload.layers.map { referenceADCBits ?? $0.choices.adcBits.max()! }
    }
}
