/// How signed weights are stored on conductances, which are non-negative.
public enum SignScheme: String, Sendable, Hashable, CaseIterable {
    /// A positive and a negative column per weight slice; the two column sums are subtracted.
    case differential
    /// Weights stored with an offset (unsigned) and one reference column per crossbar whose
    /// sum is subtracted digitally.
    case offset
}

/// The fixed hardware: technology, memory device, crossbar and tile geometry, clock.
public struct HardwareSpec: Sendable, Hashable {
    public var technology: Technology
    public var cell: MemoryCell
    public var bitsPerCell: Int
    public var rows: Int
    public var cols: Int
    public var signScheme: SignScheme
    public var crossbarsPerPE: Int
    public var pesPerTile: Int
    public var clockMHz: Double
    /// Rows activated in one array read (all rows when equal to `rows`).
    public var parallelRows: Int
    public var device: DeviceParameters
    /// Fraction of input bits that are 1 (drives row and cell read energy).
    public var inputActivity: Double
    /// Fraction of cells in the low-resistance state.
    public var cellOnFraction: Double
    /// Physical crossbar counts the chip may have (`chip_crossbars`: a number or choices); empty:
    /// as many as a design needs (every weight resident).
    public var chipCrossbarChoices: [Int] = []
    /// The first chip size offered; nil: resident.
    public var chipCrossbars: Int? { chipCrossbarChoices.first }

    public var clockPeriodNS: Double { 1000 / clockMHz }

    public init(technology: Technology, cell: MemoryCell, bitsPerCell: Int, rows: Int, cols: Int,
                signScheme: SignScheme, crossbarsPerPE: Int, pesPerTile: Int, clockMHz: Double,
                parallelRows: Int, device: DeviceParameters, inputActivity: Double, cellOnFraction: Double) {
        self.technology = technology
        self.cell = cell
        self.bitsPerCell = bitsPerCell
        self.rows = rows
        self.cols = cols
        self.signScheme = signScheme
        self.crossbarsPerPE = crossbarsPerPE
        self.pesPerTile = pesPerTile
        self.clockMHz = clockMHz
        self.parallelRows = parallelRows
        self.device = device
        self.inputActivity = inputActivity
        self.cellOnFraction = cellOnFraction
    }
}

extension HardwareSpec {
    static let keys = ["technology_nm", "cell", "bits_per_cell", "crossbar", "sign_scheme", "tile", "clock_mhz",
                       "parallel_rows", "read_voltage_v", "on_resistance_ohm", "on_off_ratio",
                       "input_activity", "cell_on_fraction", "chip_crossbars"]

    /// Reads the `hardware` object; absent optional keys take the NeuroSim defaults.
    public static func read(_ node: JSONNode) throws -> HardwareSpec {
        let o = try node.object(allowing: keys)
        let nodeNode = try o.required("technology_nm")
        let nm = try nodeNode.int()
        let technology: Technology
        do { technology = try Technology(nodeNM: nm) } catch {
            throw nodeNode.fail("a supported node (\(Technology.supportedNodesNM.map(String.init).joined(separator: ", ")))")
        }
        let cellNode = try o.required("cell")
        let cell = MemoryCell(rawValue: try cellNode.string(oneOf: MemoryCell.allCases.map(\.rawValue)))!
        let bitsNode = o.optional("bits_per_cell")
        let bitsPerCell = try bitsNode?.int(in: 1...4) ?? 1
        if cell == .sram, bitsPerCell != 1, let bitsNode { throw bitsNode.fail("1 (an SRAM cell stores one bit)") }

        let xbar = try o.required("crossbar").object(allowing: ["rows", "cols"])
        func powerOfTwo(_ key: String, in object: JSONObject) throws -> Int {
            let n = try object.required(key)
            let v = try n.int(in: 8...4096)
            guard v & (v - 1) == 0 else { throw n.fail("a power of two in 8...4096") }
            return v
        }
        let rows = try powerOfTwo("rows", in: xbar)
        let cols = try powerOfTwo("cols", in: xbar)
        let sign = try o.optional("sign_scheme").map { SignScheme(rawValue: try $0.string(oneOf: SignScheme.allCases.map(\.rawValue)))! } ?? .differential
        let tile = try o.optional("tile")?.object(allowing: ["crossbars_per_pe", "pes_per_tile"])
        let crossbarsPerPE = try tile?.optional("crossbars_per_pe")?.int(in: 1...1024) ?? 4
        let pesPerTile = try tile?.optional("pes_per_tile")?.int(in: 1...1024) ?? 4
        let clockMHz = try o.optional("clock_mhz")?.number(in: 1...10_000, what: "a clock in MHz") ?? 1000
        let parallelRows = try o.optional("parallel_rows")?.int(in: 1...rows) ?? rows

        var device = DeviceParameters.neuroSimDefault
        if let n = o.optional("read_voltage_v") { device.readVoltageV = try n.number(in: 0.01...5, what: "a voltage") }
        if let n = o.optional("on_resistance_ohm") { device.onResistanceOhm = try n.number(in: 100...1e9, what: "a resistance in ohm") }
        if let n = o.optional("on_off_ratio") { device.onOffRatio = try n.number(in: 1.000001...1e9, what: "a ratio above 1") }
        let inputActivity = try o.optional("input_activity")?.number(in: 0...1, what: "a fraction") ?? 0.5
        let cellOnFraction = try o.optional("cell_on_fraction")?.number(in: 0...1, what: "a fraction") ?? 0.5
        var spec = HardwareSpec(technology: technology, cell: cell, bitsPerCell: bitsPerCell, rows: rows, cols: cols,
                                signScheme: sign, crossbarsPerPE: crossbarsPerPE, pesPerTile: pesPerTile,
                                clockMHz: clockMHz, parallelRows: parallelRows, device: device,
                                inputActivity: inputActivity, cellOnFraction: cellOnFraction)
        if let n = o.optional("chip_crossbars") {
            if case .object = n.value {
                let list = try n.object(allowing: ["choices"]).required("choices")
                spec.chipCrossbarChoices = try list.choiceList { try $0.int(in: 1...(1 << 30)) }
                guard spec.chipCrossbarChoices.count <= 16 else { throw list.fail("at most 16 chip sizes") }
            } else {
                spec.chipCrossbarChoices = [try n.int(in: 1...(1 << 30))]
            }
        }
        return spec
    }
}
