/// What converts a selected column's current during an array read.
public enum ColumnConverter: Sendable, Hashable {
    /// Nothing: the read ends when the column is selected and its bit line has settled.
    case none
    /// A single-threshold current sense amplifier (one sensing cycle): a 1-bit read.
    case senseAmplifier
    /// A flash ADC (`FlashADC`): sensing then encoding.
    case flash(bits: Int)
    /// A SAR ADC (`SARADC`): b + 1 cycles.
    case sar(bits: Int)

    /// Time the converter adds to an array read in `context`, ns.
    func latencyNS(context: ADCContext, technology t: Technology) -> Double {
        switch self {
        case .none: return 0
        case .senseAmplifier: return FlashADC(bits: 0, technology: t, context: context).readPathLatencyNS
        case let .flash(bits): return FlashADC(bits: bits, technology: t, context: context).readPathLatencyNS
        case let .sar(bits): return Double(bits + 1) * SARADC.cycleNS
        }
    }
}

/// The minimum time of one read of a crossbar at a given column sharing: the word line
/// rises while the column mux selects (in parallel), the bit line settles, the converter
/// resolves (NeuroSim `SubArray::CalculateLatency`, 1T1R parallel read).
///
/// NeuroSim stretches this sensing cycle by 1.4 for post-layout effects (`Param.cpp`,
/// `beta`); that factor is included.
public struct ArrayRead: Sendable, Hashable {
    /// Minimum latency of one array read, ns.
    public let latencyNS: Double
    /// Word-line rise, ns.
    public let wordLineNS: Double
    /// Column selection (decoder and mux), ns; zero without sharing.
    public let columnSelectNS: Double
    /// Bit-line settling to a sensable level (20 % of the RC), ns.
    public let bitLineNS: Double
    /// Conversion, ns.
    public let conversionNS: Double

    /// - Parameter converter: defaults to a single-threshold sense amplifier, the condition
    ///   of the reference's `array_read` figures.
    public init(rows: Int, cols: Int, columnsPerADC: Int, cell: MemoryCell = .rram1T1R,
                device: DeviceParameters = .neuroSimDefault, technology t: Technology,
                converter: ColumnConverter = .senseAmplifier) {
        let g = ArrayGeometry(rows: rows, cols: cols, cell: cell, device: device, technology: t)
        let select = ColumnSelect(geometry: g, columnsPerADC: columnsPerADC, device: device, technology: t)
        self.init(geometry: g, select: select, columnsPerADC: columnsPerADC, cell: cell, device: device,
                  technology: t, converter: converter)
    }

    init(geometry g: ArrayGeometry, select: ColumnSelect, columnsPerADC: Int, cell: MemoryCell,
         device: DeviceParameters, technology t: Technology, converter: ColumnConverter) {
        wordLineNS = RowDrivers.wordLineDelayS(geometry: g, technology: t) * 1e9
        columnSelectNS = select.latencyS * 1e9
        // The bit line discharges through the average cell of half the rows in parallel;
        // 20 % of the swing suffices to sense.
        let halfRows = Double(max(g.rows / 2, 1))
        bitLineNS = 0.2 * g.bitLineCapF * g.averageCellOhm / halfRows * 1e9
        // NeuroSim times the read with half the cells of the column on.
        let context = ADCContext(activeRows: g.rows, onFraction: 0.5, columns: g.cols, columnsPerADC: columnsPerADC,
                                 cell: cell, device: device)
        conversionNS = converter.latencyNS(context: context, technology: t)
        latencyNS = NeuroSimCalibration.senseCycleStretch * (max(wordLineNS, columnSelectNS) + bitLineNS + conversionNS)
    }
}
