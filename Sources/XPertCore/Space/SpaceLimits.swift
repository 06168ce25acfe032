/// Upper bounds on the size of an accepted search space, checked when the space is read.
///
/// Within them every count the models multiply (MACs, conversions, cells, additions) fits in a
/// 64-bit integer, cost tables and noise simulations fit in memory, and the work before the
/// search proper is bounded; the README lists them. A space beyond one is refused with a
/// message at the JSON path of the part that is too large.
public enum SpaceLimits {
    /// Weight layers of a workload.
    public static let maxLayers = 1024
    /// Entries of one layer's `out_channels` choice list.
    public static let maxChannelChoices = 64
    /// Multiply-accumulates of one layer per inference at its widest input and output choice,
    /// 2^50 (about 1.1e15). Conversions are at most 2^10 times a layer's MACs (16 input bits, 32
    /// columns per weight, one row per read, plus reference columns), so every per-layer count
    /// stays below 2^61, and a design's sum over 1024 layers below 2^63.
    public static let maxLayerMACs = 1 << 50
    /// Layer options over all layers: (input-channel choice, output-channel choice, periphery
    /// option) triples, each one cost-table entry.
    public static let maxLayerOptions = 1 << 22
    /// Channel-count states of the search's dynamic programme after any layer: the product of
    /// the choice counts of the channel entities still needed later (a shortcut's source, an
    /// open channel group, the previous layer).
    public static let maxChannelStates = 1 << 16
    /// `accuracy.noise.samples`.
    public static let maxNoiseSamples = 4096
    /// `accuracy.noise.columns`.
    public static let maxNoiseColumns = 1024
    /// Weight rows of one layer shape that the noise simulation runs: a layer with more rows is
    /// simulated on its first `maxSimulatedRows` rows (whole crossbar row blocks), see `NoiseTables`.
    public static let maxSimulatedRows = 8192
    /// Column reads of the whole noise simulation, 2^33 (about 8.6e9): samples x output
    /// columns x weight columns per output x activation bit planes x row groups, summed over
    /// layer shapes (calibration samples included). The kernel runs 2e8 to 4e8 reads a second
    /// on one core, so the largest accepted simulation takes under a minute.
    public static let maxSimulatedReads = 1 << 33

    /// The product of `factors`, or nil when it exceeds `limit` (or `Int.max`).
    public static func product(_ factors: [Int], atMost limit: Int) -> Int? {
        var p = 1
        for f in factors {
            let (r, overflow) = p.multipliedReportingOverflow(by: f)
            guard !overflow, r <= limit else { return nil }
            p = r
        }
        return p
    }

    /// Checks a workload's sizes; `path` is the workload's JSON path.
    static func check(_ workload: Workload, path: String) throws {
        guard workload.layers.count <= maxLayers else {
            throw InputError(path: "\(path).layers", "expected at most \(maxLayers) layers, found \(workload.layers.count)")
        }
        for (i, layer) in workload.layers.enumerated() {
            let inChannels = workload.inChannelChoices(of: i).max()!, outChannels = layer.outChannelChoices.max()!
            let rows: [Int]
            switch layer.kind {
            case let .conv(k, _, _): rows = [inChannels, k, k]
            case .linear: rows = [inChannels, layer.inputHeight, layer.inputWidth]
            }
            guard product([layer.outputPositions] + rows + [outChannels], atMost: maxLayerMACs) != nil else {
                throw InputError(path: "\(path).layers[\(i)]",
                                 "layer \(layer.name) has more than 2^50 multiply-accumulates per inference at its widest choices "
                                     + "(\(layer.outputPositions) output positions x \(rows.map(String.init).joined(separator: " x ")) "
                                     + "weight rows x \(outChannels) outputs); the cost model counts exactly up to that size")
            }
        }
    }

    /// Checks the sizes that depend on the whole space: cost-table entries and search states.
    static func check(options workload: Workload, path: String) throws {
        var total = 0
        for (i, layer) in workload.layers.enumerated() {
            let n = product([workload.inChannelChoices(of: i).count, layer.outChannelChoices.count, layer.choices.count],
                            atMost: maxLayerOptions) ?? Int.max
            total = total > maxLayerOptions - n ? Int.max : total + n
            guard total <= maxLayerOptions else {
                throw InputError(path: "\(path).layers[\(i)]",
                                 "the space has more than \(maxLayerOptions) layer options (input-channel choice x output-channel "
                                     + "choice x periphery option, summed over layers) by layer \(layer.name); offer fewer choices")
            }
        }
        let states = ChannelStates(workload: workload)
        for (i, live) in states.liveAfter.enumerated() {
            guard product(live.map { states.choices[$0].count }, atMost: maxChannelStates) != nil else {
                throw InputError(path: "\(path).layers[\(i)]",
                                 "after layer \(workload.layers[i].name) the channel counts of \(live.count) layers or groups are still "
                                     + "needed, more than \(maxChannelStates) combinations; offer fewer channel choices")
            }
        }
    }

    /// Stored bits the reprogramming model packs for one design at the largest choices, 2^31
    /// (256 MiB per copy; it keeps the plain, the sorted and the stuck contents, besides the
    /// weights): ViT-Base at 8-bit weights needs about 2^30.2 and peaks near 1 GiB.
    public static let maxStoredBits = 1 << 31

    /// Checks the cells a chip holds for the widest design (every layer on the crossbar), when
    /// the space asks for the reprogramming model; `path` is the workload's JSON path.
    public static func checkStoredCells(_ workload: Workload, hardware: HardwareSpec, path: String) throws {
        let geometry = CrossbarGeometry(hardware: hardware)
        let cpw = geometry.columnsPerWeight(weightBits: workload.weightBits)
        var total = 0
        for (i, layer) in workload.layers.enumerated() {
            let rows = layer.weightRows(inChannels: workload.inChannelChoices(of: i).max()!)
            let rowBlocks = (rows + hardware.rows - 1) / hardware.rows
            let colBlocks = (layer.outChannelChoices.max()! * cpw + geometry.weightColumns - 1) / geometry.weightColumns
            let bits = product([rowBlocks, colBlocks, hardware.rows, geometry.weightColumns, hardware.bitsPerCell], atMost: maxStoredBits) ?? Int.max
            total = total > maxStoredBits - bits ? Int.max : total + bits
            guard total <= maxStoredBits else {
                throw InputError(path: "\(path).layers[\(i)]",
                                 "the reprogramming model would pack more than 2^31 stored bits (crossbar cells x bits per cell) by layer "
                                     + "\(layer.name); it holds every content of a design in memory")
            }
        }
    }
}
