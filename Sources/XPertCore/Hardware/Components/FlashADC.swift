import Foundation

/// A flash ADC: NeuroSim's multilevel current-mode sense amplifier (`MultilevelSenseAmp.cpp`)
/// with 2^b - 1 reference comparators, followed by its thermometer-to-binary encoder
/// (`MultilevelSAEncoder.cpp`).
///
/// One conversion per sensing cycle, but area and energy double with every bit.
public struct FlashADC: HardwareComponent, Hashable {
    public let bits: Int
    /// Area of one ADC (comparators and encoder), um^2.
    public let areaUM2: Double
    /// Energy of one conversion, pJ.
    public let energyPJ: Double
    /// Latency of one conversion, ns: sensing and encoding overlap, the slower one sets it.
    public let latencyNS: Double
    /// Sensing time of the comparators, ns.
    public let senseLatencyNS: Double
    /// Delay of the encoder alone, ns.
    public let encoderLatencyNS: Double

    /// NeuroSim's sensing cycle: at least 1 ns, at most 10 ns (`MultilevelSenseAmp.cpp`).
    public static let minimumSenseLatencyNS = 1.0
    public static let maximumSenseLatencyNS = 10.0

    /// Sensing then encoding, ns: how the converter adds to an array read when the encoder
    /// output is waited for (NeuroSim's `SubArray` read latency).
    public var readPathLatencyNS: Double { senseLatencyNS + encoderLatencyNS }

    /// - Parameter context: the array read; its column resistance sets the sensing time at
    ///   45 nm and above, its width the layout of the encoders. Defaults to the reference
    ///   condition.
    public init(bits: Int, technology t: Technology, context: ADCContext = .reference) {
        precondition(bits >= 0, "bits must be non-negative")
        self.bits = bits
        let levels = Double(1 << bits)
        let c = t.cells
        // Comparators: per reference level, 9 NMOS + 9 PMOS of the sense stage plus the current
        // sense amplifier (48 NMOS + 40 PMOS) (MultilevelSenseAmp.cpp, CurrentSenseAmp.cpp).
        let comparatorM2 = (levels - 1) * (57 * c.nmosAreaM2 + 49 * c.pmosAreaM2)
        let encoder = ThermometerEncoder(bits: bits, technology: t, context: context)
        areaUM2 = (comparatorM2 + encoder.areaM2) * 1e12
        // Power per reference level (MultilevelSenseAmp.cpp, current mode, LP) over one
        // minimum (1 ns) sensing cycle.
        let senseJ = Self.powerPerLevelUW(nodeNM: t.nodeNM) * 1e-6 * (levels - 1) * Self.minimumSenseLatencyNS * 1e-9
        energyPJ = (senseJ + encoder.energyJ) * 1e12
        encoderLatencyNS = encoder.latencyS * 1e9
        senseLatencyNS = Self.senseLatencyNS(levels: 1 << bits, nodeNM: t.nodeNM, activeRows: context.activeRows,
                                             onFraction: context.onFraction, device: context.device)
        latencyNS = max(senseLatencyNS, encoderLatencyNS)
    }

    /// Sensing time of a current-mode multilevel sense amplifier (NeuroSim
    /// `MultilevelSenseAmp::GetColumnLatency`, LP): a per-node fit of the slowest comparison
    /// against the reference levels, as a function of the column resistance, clamped to
    /// 1-10 ns; a flat 1 ns at 22 nm and 14 nm.
    static func senseLatencyNS(levels: Int, nodeNM: Int, activeRows: Int, onFraction: Double,
                               device: DeviceParameters) -> Double {
        guard let fit = SenseFit.lowPower(nodeNM: nodeNM), levels > 2, activeRows > 0 else {
            return minimumSenseLatencyNS
        }
        let rows = Double(activeRows)
        // The column is the active cells (with their access devices) in parallel; the fits were
        // made at 0.5 V, so the resistance is scaled to that read voltage.
        let on = onFraction / (device.onResistanceOhm + device.accessResistanceOhm)
        let off = (1 - onFraction) / (device.offResistanceOhm + device.accessResistanceOhm)
        let column = 1 / (rows * (on + off)) * 0.5 / device.readVoltageV
        let tMaxNS = fit.slopeNS * log(column / 1000) + fit.offsetNS
        // Reference level i (1...levels-2) sits at R_on/rows + (i+1) R_off/(rows levels).
        let start = device.onResistanceOhm / rows, step = device.offResistanceOhm / rows / Double(levels)
        func time(_ i: Int) -> Double {
            let ratio = (start + Double(i + 1) * step) / column
            if ratio >= 20 || ratio <= 0.05 { return minimumSenseLatencyNS }
            return tMaxNS * (ratio <= 0.9 ? fit.below(ratio) : fit.above(ratio))
        }
        // Every level for small converters; 64 evenly spaced levels (the fits are smooth)
        // for large ones.
        var slowest = 0.0
        let last = levels - 2
        if last <= 64 {
            for i in 1...last { slowest = max(slowest, time(i)) }
        } else {
            for k in 0...63 { slowest = max(slowest, time(1 + (last - 1) * k / 63)) }
        }
        return min(max(slowest, minimumSenseLatencyNS), maximumSenseLatencyNS)
    }

    /// NeuroSim's sensing-time fits per node (`MultilevelSenseAmp.cpp`, LP): T_max =
    /// slope x ln(R_column / 1 kOhm) + offset, times a cubic in the reference/column
    /// resistance ratio below 0.9 and a quartic above.
    struct SenseFit {
        var slopeNS: Double, offsetNS: Double
        var cubic: (Double, Double, Double, Double)
        var quartic: (Double, Double, Double, Double, Double)

        func below(_ r: Double) -> Double { ((cubic.0 * r + cubic.1) * r + cubic.2) * r + cubic.3 }
        func above(_ r: Double) -> Double { (((quartic.0 * r + quartic.1) * r + quartic.2) * r + quartic.3) * r + quartic.4 }

        static func lowPower(nodeNM: Int) -> SenseFit? {
            switch nodeNM {
            case 130: return SenseFit(slopeNS: 0.2679, offsetNS: 0.0478, cubic: (3.915, -5.3996, 2.4653, 0.3856),
                                      quartic: (0.0004, -0.0087, 0.0742, -0.2725, 1.2211))
            case 90: return SenseFit(slopeNS: 0.0586, offsetNS: 1.41, cubic: (3.726, -5.651, 2.8249, 0.3574),
                                     quartic: (0.0000008, -0.00007, 0.0017, -0.0188, 0.9835))
            case 65: return SenseFit(slopeNS: 0.1239, offsetNS: 0.6642, cubic: (1.3899, -2.6913, 2.0483, 0.3202),
                                     quartic: (0.0036, -0.0363, 0.1043, -0.0346, 1.0512))
            case 45, 32: return SenseFit(slopeNS: 0.0714, offsetNS: 0.7651, cubic: (3.7949, -5.6685, 2.6492, 0.4807),
                                         quartic: (0.000001, -0.00006, 0.0001, -0.0171, 1.0057))
            default: return nil // 22 nm and 14 nm: 1 ns
            }
        }
    }

    /// Power of one reference level of the current-mode sense amplifier, uW, from NeuroSim's
    /// fits per node (`MultilevelSenseAmp.cpp`, `GetColumnPower`, current mode, LP devices).
    static func powerPerLevelUW(nodeNM: Int) -> Double {
        switch nodeNM {
        case 130: return 18.09
        case 90: return 12.612
        case 65: return 8.4147
        case 45: return 6.3162
        case 32: return 3.0875
        case 22: return 1.7
        default: return 1.0 // 14 nm
        }
    }

    /// The thermometer-to-binary encoder of a 2^bits-level sense amplifier: per level an
    /// inverter and a NAND2, and per output bit a NAND over half the levels.
    struct ThermometerEncoder {
        /// Area per ADC, m^2.
        var areaM2: Double
        var energyJ: Double
        var latencyS: Double

        init(bits: Int, technology t: Technology, context: ADCContext) {
            let c = t.cells
            let levels = 1 << bits
            let wideInputs = levels / 2
            let inv = c.inverter, nand = c.nand2
            let wide = t.gate(.nand, inputs: max(wideInputs, 1), nmosWidthM: nand.nmosWidthM, pmosWidthM: nand.pmosWidthM)
            // One encoder: its gates side by side, one row of them per level. The array's
            // encoders fill rows of the array's width; NeuroSim rounds the encoders per row up
            // (`MultilevelSAEncoder::CalculateArea`), and each ADC takes its share.
            let encoderWidth = 2 * inv.widthM + nand.widthM + wide.widthM
            let encoderHeight = Double(levels - 1) * max(inv.heightM, nand.heightM)
            let arrayWidth = Double(context.columns) * context.cell.widthF * t.featureSizeM
            let count = context.converters
            let perRow = min(max(Int((arrayWidth / encoderWidth).rounded(.up)), 1), count)
            let rows = (count + perRow - 1) / perRow
            areaM2 = max(arrayWidth, encoderWidth) * encoderHeight * Double(rows) / Double(count)
            let vdd2 = t.vddV * t.vddV
            let wideOut = wideInputs > 0 ? wide.outputCapF : 0
            let perLevel = inv.inputCapF + inv.outputCapF + nand.inputCapF + nand.outputCapF
            energyJ = vdd2 * (perLevel * Double(levels + bits) + (nand.inputCapF + wideOut) * Double(bits))
                * NeuroSimCalibration.controlActivity
            let first = horowitz(tauS: 2 * t.onResistanceOhm(widthM: inv.nmosWidthM, pmos: false)
                                 * (inv.outputCapF + 2 * nand.inputCapF))
            let second = horowitz(tauS: t.onResistanceOhm(widthM: nand.pmosWidthM, pmos: true)
                                  * (nand.outputCapF + nand.inputCapF * Double(wideInputs)),
                                  rampInput: first.rampOutput)
            latencyS = first.delayS + second.delayS
        }
    }
}
