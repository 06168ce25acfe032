/// Word-line and bit-line electrical figures of a `rows x cols` crossbar (NeuroSim
/// `SubArray::Initialize`, 1T1R, no relaxed cell pitch). Shared by the array-level models.
struct ArrayGeometry: Sendable, Hashable {
    var rows: Int
    var cols: Int
    /// Array width (word-line length) and height (bit-line length), m.
    var widthM: Double
    var heightM: Double
    /// Word line of the access gates: wire plus one access-transistor gate per column, F.
    var wordLineCapF: Double
    /// Bit line: wire plus one access-transistor drain per row, F.
    var bitLineCapF: Double
    /// Bit line wire alone, F (NeuroSim's `capBL`, charged to the read voltage).
    var bitLineWireCapF: Double
    /// Word-line and bit-line wire resistances, ohm.
    var wordLineResistanceOhm: Double
    var bitLineResistanceOhm: Double
    /// On-resistance of the access transistor from the technology, ohm.
    var accessTransistorOhm: Double
    /// Average cell resistance seen through the access transistor, ohm.
    var averageCellOhm: Double

    init(rows: Int, cols: Int, cell: MemoryCell, device: DeviceParameters, technology t: Technology) {
        precondition(rows > 0 && cols > 0, "an array has rows and columns")
        self.rows = rows
        self.cols = cols
        let f = t.featureSizeM
        widthM = Double(cols) * cell.widthF * f
        heightM = Double(rows) * cell.heightF * f
        let capPerM = t.wireCapacitanceFFPerUM * 1e-15 / 1e-6
        let resPerM = t.wireResistanceOhmPerUM * 1e6
        let accessW = cell.accessWidthF * f
        wordLineCapF = widthM * capPerM + t.gateCapF(widthM: accessW) * Double(cols)
        bitLineWireCapF = heightM * capPerM
        bitLineCapF = bitLineWireCapF
            + t.drainCapF(widthM: accessW, pmos: false, heightM: cell.widthF * f) * Double(rows)
        wordLineResistanceOhm = widthM * resPerM
        bitLineResistanceOhm = heightM * resPerM
        accessTransistorOhm = t.onResistanceOhm(widthM: accessW, pmos: false)
        averageCellOhm = accessTransistorOhm + (device.onResistanceOhm + device.offResistanceOhm) / 2
    }

    /// Wire resistance from the driver to the far corner cell: a full word line plus a full
    /// bit line, ohm (NeuroSim plug-in's wire-aware programming bound).
    var cornerWireOhm: Double { wordLineResistanceOhm + bitLineResistanceOhm }
}
