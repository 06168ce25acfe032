/// The crossbar an ADC reads: what a converter's sensing time and layout depend on.
///
/// NeuroSim's flash converter senses faster or slower depending on the column resistance
/// (the rows read in parallel and how many of their cells are on), and its encoders are laid
/// out in a strip under the array. `reference` is the condition of the reference figures.
public struct ADCContext: Sendable, Hashable {
    /// Rows read in parallel on the sensed column.
    public var activeRows: Int
    /// Fraction of those rows whose cell is in the on state.
    public var onFraction: Double
    /// Columns of the array, and columns sharing one ADC.
    public var columns: Int
    public var columnsPerADC: Int
    public var cell: MemoryCell
    public var device: DeviceParameters

    public init(activeRows: Int, onFraction: Double, columns: Int, columnsPerADC: Int,
                cell: MemoryCell = .rram1T1R, device: DeviceParameters = .neuroSimDefault) {
        self.activeRows = activeRows
        self.onFraction = onFraction
        self.columns = columns
        self.columnsPerADC = columnsPerADC
        self.cell = cell
        self.device = device
    }

    /// A 128 x 128 RRAM array, 8 columns per ADC, all 128 rows on with all cells on, the
    /// default device: the reference figures' condition.
    public static let reference = ADCContext(activeRows: 128, onFraction: 1, columns: 128, columnsPerADC: 8)

    /// ADCs along the array.
    var converters: Int { max(columns / max(columnsPerADC, 1), 1) }
}
