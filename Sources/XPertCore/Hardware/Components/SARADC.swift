/// A successive-approximation ADC serving one group of crossbar columns.
///
/// Area grows linearly with the resolution and a conversion takes one cycle per bit plus
/// one; NeuroSim models it from a fabricated design (`SarADC.cpp`).
public struct SARADC: HardwareComponent, Hashable {
    public let bits: Int
    /// Area of one ADC, um^2.
    public let areaUM2: Double
    /// Energy of one conversion, pJ.
    public let energyPJ: Double
    /// Latency of one conversion, ns.
    public let latencyNS: Double

    /// NeuroSim's SAR clock: one bit decided per 1 ns cycle (`SarADC.cpp`).
    public static let cycleNS = 1.0

    public init(bits: Int, technology t: Technology) {
        precondition(bits >= 1, "an ADC resolves at least one bit")
        self.bits = bits
        let b = Double(bits)
        // SarADC.cpp: (269 + 109 (b-1)) minimum NMOS and (209 + 73 (b-1)) minimum PMOS.
        areaUM2 = (t.cells.nmosAreaM2 * (269 + 109 * (b - 1)) + t.cells.pmosAreaM2 * (209 + 73 * (b - 1))) * 1e12
        latencyNS = (b + 1) * Self.cycleNS
        let p = Self.powerCoefficientsUW(nodeNM: t.nodeNM)
        // Power is linear in the bits and lasts the b + 1 cycles of a conversion. The
        // column-current term of SarADC.cpp belongs to the cell read energy here.
        energyPJ = (p.perBit * b + p.fixed) * 1e-6 * latencyNS * 1e-9 * 1e12
    }

    /// Average power of one SAR ADC, P = perBit x b + fixed, in uW, from NeuroSim's post-layout
    /// fits per node (`SarADC.cpp`, `GetColumnPower`, LP devices).
    static func powerCoefficientsUW(nodeNM: Int) -> (perBit: Double, fixed: Double) {
        switch nodeNM {
        case 130: return (8.4483, 65.243)
        case 90: return (5.9869, 37.462)
        case 65: return (3.7506, 25.844)
        case 45: return (2.1691, 16.693)
        case 32: return (1.1294, 8.8998)
        case 22: return (0.538, 4.3753)
        default: return (0.3132, 2.5681) // 14 nm
        }
    }
}
