/// The memory cell of a crossbar: its layout and access device.
///
/// Needed by every array-level model: the cell pitch sets the word and bit line lengths
/// (their capacitance and resistance) and the access transistor loads the lines.
public enum MemoryCell: String, Sendable, CaseIterable {
    /// Resistive RAM with one access transistor: the reference 53 F^2 square cell with a
    /// 6 F access NMOS (the NeuroSim plug-in's sample RRAM cell).
    case rram1T1R = "rram-1t1r"
    /// 6T SRAM: NeuroSim `Param.cpp` defaults, 10 F x 28 F, pull-down NMOS 2 F, pull-up
    /// PMOS 1 F, access NMOS 1 F.
    case sram = "sram"

    /// Cell height along a column (bit line), in feature sizes.
    public var heightF: Double {
        switch self {
        case .rram1T1R: return Self.rramSideF
        case .sram: return 10
        }
    }

    /// Cell width along a row (word line), in feature sizes.
    public var widthF: Double {
        switch self {
        case .rram1T1R: return Self.rramSideF
        case .sram: return 28
        }
    }

    /// Cell area in F^2.
    public var areaF2: Double { heightF * widthF }

    /// Width of the access transistor, in feature sizes.
    public var accessWidthF: Double {
        switch self {
        case .rram1T1R: return 6
        case .sram: return 1
        }
    }

    /// Side of the square 53 F^2 RRAM cell.
    static let rramSideF = 53.0.squareRoot()
}

/// Electrical settings of a resistive memory device and its read and write pulses.
///
/// Defaults (`neuroSimDefault`) are the conditions behind the reference figures: the
/// NeuroSim plug-in's sample RRAM cell (R_on 1 MOhm and R_off 10 MOhm at the read voltage,
/// 0.4 V read, SET 2 V with 0.6 pJ per SET) and its configuration (20 kOhm access
/// resistance, one write pulse, 10 ns read pulse).
public struct DeviceParameters: Sendable, Hashable {
    /// Read voltage on the selected lines, V.
    public var readVoltageV: Double
    /// Width of one read (input) pulse, ns.
    public var readPulseWidthNS: Double
    /// Low-resistance (on) state at the read voltage, ohm.
    public var onResistanceOhm: Double
    /// R_off / R_on.
    public var onOffRatio: Double
    /// Programming voltage, V.
    public var writeVoltageV: Double
    /// Programming pulse width, ns.
    public var writePulseWidthNS: Double
    /// Programming pulses per write, on average.
    public var writePulses: Double
    /// Gate voltage of the access transistor when a row is selected, V.
    public var accessVoltageV: Double
    /// Series resistance of the on access transistor, ohm.
    public var accessResistanceOhm: Double

    public init(readVoltageV: Double, readPulseWidthNS: Double, onResistanceOhm: Double, onOffRatio: Double,
                writeVoltageV: Double, writePulseWidthNS: Double, writePulses: Double = 1,
                accessVoltageV: Double, accessResistanceOhm: Double) {
        self.readVoltageV = readVoltageV
        self.readPulseWidthNS = readPulseWidthNS
        self.onResistanceOhm = onResistanceOhm
        self.onOffRatio = onOffRatio
        self.writeVoltageV = writeVoltageV
        self.writePulseWidthNS = writePulseWidthNS
        self.writePulses = writePulses
        self.accessVoltageV = accessVoltageV
        self.accessResistanceOhm = accessResistanceOhm
    }

    /// The conditions of the reference figures. The write pulse is the plug-in's: SET energy
    /// 0.6 pJ / (2 V^2 x mean conductance (1/1 MOhm + 1/10 MOhm) / 2) = 272.7 ns. The access
    /// gate is driven at the read voltage, as the plug-in configures it.
    public static let neuroSimDefault = DeviceParameters(
        readVoltageV: 0.4, readPulseWidthNS: 10, onResistanceOhm: 1e6, onOffRatio: 10,
        writeVoltageV: 2.0, writePulseWidthNS: 0.6e-12 / (4 * (1 / 1e6 + 1 / 1e7) / 2) * 1e9, writePulses: 1,
        accessVoltageV: 0.4, accessResistanceOhm: 20_000)

    /// High-resistance (off) state, ohm.
    public var offResistanceOhm: Double { onResistanceOhm * onOffRatio }
}
