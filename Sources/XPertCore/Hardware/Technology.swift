import Foundation

/// The error thrown for a technology node without device data.
public enum TechnologyError: Error, Sendable, Hashable, CustomStringConvertible {
    case unsupportedNode(Int, supported: [Int])

    public var description: String {
        switch self {
        case let .unsupportedNode(nm, supported):
            return "unsupported technology node \(nm) nm (supported: \(supported.map(String.init).joined(separator: ", ")) nm)"
        }
    }
}

/// A CMOS technology node: supply, device capacitances and currents, wires.
///
/// Figures are NeuroSim's (DNN+NeuroSim V1.3 `Technology.cpp`, PTM low-power "LP" models at
/// 300 K, the roadmap behind the reference figures); every component model derives its
/// area, capacitance and drive from them, so components scale with the node the way
/// NeuroSim's do. Building one (about a microsecond) lays out the standard cells the
/// components use, so build it once per design, not per component.
public struct Technology: Sendable, Hashable {
    /// Nodes with device data: bulk planar CMOS from 130 to 22 nm, and NeuroSim's 14 nm
    /// FinFET node. NeuroSim's 10 and 7 nm FinFET nodes are not modelled.
    public static let supportedNodesNM: [Int] = [14, 22, 32, 45, 65, 90, 130]

    /// Technology node, nm.
    public let nodeNM: Int
    /// Supply voltage, V.
    public let vddV: Double
    /// Threshold voltage, V.
    public let vthV: Double
    /// Physical gate length, nm.
    public let physicalGateLengthNM: Double
    /// NMOS on-current per gate width at 300 K, uA/um (equal to A/m).
    public let nmosOnCurrentUAPerUM: Double
    /// PMOS on-current per gate width at 300 K, uA/um.
    public let pmosOnCurrentUAPerUM: Double
    /// NMOS off-current per gate width at 300 K, nA/um.
    public let nmosOffCurrentNAPerUM: Double
    /// PMOS off-current per gate width at 300 K, nA/um.
    public let pmosOffCurrentNAPerUM: Double
    /// Extra resistance from velocity saturation (CACTI's factor, via NeuroSim).
    public let effectiveResistanceMultiplier: Double
    /// Ideal gate capacitance per gate width, fF/um.
    public let idealGateCapacitanceFFPerUM: Double
    /// Fringe capacitance per gate width, fF/um.
    public let fringeCapacitanceFFPerUM: Double
    /// Drawn width of the wires next to the array, nm (NeuroSim `Param.cpp` node table).
    public let wireWidthNM: Double
    /// Wire resistance per length, ohm/um: resistivity / (width^2 x aspect ratio). Used for
    /// the array lines and the buses.
    public let wireResistanceOhmPerUM: Double
    /// Wire capacitance per length, fF/um (NeuroSim uses 0.2 fF/um at every node).
    public let wireCapacitanceFFPerUM: Double

    // SI copies used by the gate formulas (metres, farads, amperes).
    let featureSizeM: Double
    let gateCapFPerM: Double
    let capJunctionFPerM2: Double
    let capSidewallFPerM: Double
    let capDrainToChannelFPerM: Double
    let nmosOnCurrentAPerM: Double
    let pmosOnCurrentAPerM: Double
    /// Balanced PMOS/NMOS width ratio (NeuroSim truncates it to an integer for FinFETs).
    let pnRatio: Double
    /// Fin geometry of a FinFET node; nil for bulk planar nodes.
    let fin: FinGeometry?
    /// The standard cells every component is built from, laid out once per node.
    private(set) var cells: StandardCells

    /// Device data of one node. Sources: NeuroSim `Technology.cpp` (PTM `<node>_LP.pm`
    /// blocks, `currentOn*[0]` and `currentOff*[0]` = 300 K) and `Param.cpp` (wire table).
    private struct NodeData {
        var vdd: Double, vth: Double, gateLength: Double
        var capIdealGate: Double, capFringe: Double, resistanceMultiplier: Double
        var onN: Double, onP: Double, offN: Double, offP: Double
        var wireWidthNM: Double, wireAspectRatio: Double, resistivity: Double
        var fin: FinGeometry? = nil
    }

    private static func data(_ nm: Int) -> NodeData? {
        switch nm {
        // Technology.cpp, 130 nm, PTM 130nm_LP.pm; Param.cpp: wire 175 nm, AR 1.60, rho 2.20e-8 ohm m.
        case 130: return NodeData(vdd: 1.3, vth: 0.4660949, gateLength: 7.5e-8,
                                  capIdealGate: 1.8574e-9, capFringe: 9.530642e-10, resistanceMultiplier: 1.54,
                                  onN: 300.70, onP: 150.70, offN: 100.20e-6, offP: 100.20e-6,
                                  wireWidthNM: 175, wireAspectRatio: 1.60, resistivity: 2.20e-8)
        // Technology.cpp, 90 nm, PTM 90nm_LP.pm; Param.cpp: wire 110 nm, AR 1.60, rho 2.52e-8.
        case 90: return NodeData(vdd: 1.2, vth: 0.5013229, gateLength: 5.5e-8,
                                 capIdealGate: 1.5413e-10, capFringe: 9.601334e-10, resistanceMultiplier: 1.77,
                                 onN: 346.30, onP: 200.30, offN: 100.00e-6, offP: 100.30e-6,
                                 wireWidthNM: 110, wireAspectRatio: 1.60, resistivity: 2.52e-8)
        // Technology.cpp, 65 nm, PTM 65nm_LP.pm; Param.cpp: wire 105 nm, AR 1.70, rho 2.68e-8.
        case 65: return NodeData(vdd: 1.1, vth: 0.5016636, gateLength: 3.5e-8,
                                 capIdealGate: 1.1926e-9, capFringe: 9.62148e-10, resistanceMultiplier: 1.77,
                                 onN: 400.00, onP: 238.70, offN: 100.20e-6, offP: 100.20e-6,
                                 wireWidthNM: 105, wireAspectRatio: 1.70, resistivity: 2.68e-8)
        // Technology.cpp, 45 nm, PTM 45nm_LP.pm; Param.cpp: wire 80 nm, AR 1.70, rho 3.31e-8.
        case 45: return NodeData(vdd: 1.0, vth: 0.4643718, gateLength: 3.0e-8,
                                 capIdealGate: 8.930709e-10, capFringe: 8.849901e-10, resistanceMultiplier: 1.77,
                                 onN: 500.20, onP: 300.00, offN: 100.00e-6, offP: 100.20e-6,
                                 wireWidthNM: 80, wireAspectRatio: 1.70, resistivity: 3.31e-8)
        // Technology.cpp, 32 nm, PTM 32nm_LP.pm; Param.cpp: wire 56 nm, AR 1.80, rho 3.70e-8.
        case 32: return NodeData(vdd: 0.9, vth: 0.442034, gateLength: 2.8e-8,
                                 capIdealGate: 8.375279e-10, capFringe: 6.856677e-10, resistanceMultiplier: 1.77,
                                 onN: 600.20, onP: 400.00, offN: 100.10e-6, offP: 100.10e-6,
                                 wireWidthNM: 56, wireAspectRatio: 1.80, resistivity: 3.70e-8)
        // Technology.cpp, 22 nm, PTM 22nm_LP.pm; Param.cpp: wire 40 nm, AR 1.90, rho 4.03e-8.
        case 22: return NodeData(vdd: 0.85, vth: 0.419915, gateLength: 2.6e-8,
                                 capIdealGate: 5.245e-10, capFringe: 8.004e-10, resistanceMultiplier: 1.77,
                                 onN: 791.90, onP: 600.20, offN: 100.00e-6, offP: 100.00e-6,
                                 wireWidthNM: 40, wireAspectRatio: 1.90, resistivity: 4.03e-8)
        // Technology.cpp, 14 nm FinFET, PTM 14nfet_LP.pm / 14pfet_LP.pm (fin height 37 nm,
        // width 8 nm, pitch 48 nm; at most 3 fins per device in a cell, formula.cpp);
        // Param.cpp: wire 25 nm, AR 2.00, rho 5.08e-8.
        case 14: return NodeData(vdd: 0.8, vth: 0.3821222, gateLength: 2.2e-8,
                                 capIdealGate: 1.0572e-9, capFringe: 0, resistanceMultiplier: 1.76,
                                 onN: 893, onP: 820, offN: 99.7866e-6, offP: 102.3333e-6,
                                 wireWidthNM: 25, wireAspectRatio: 2.00, resistivity: 5.08e-8,
                                 fin: FinGeometry(heightM: 3.7e-8, widthM: 8e-9, pitchM: 4.8e-8, maxFinsPerDevice: 3))
        default: return nil
        }
    }

    /// The node `nodeNM`; throws `TechnologyError.unsupportedNode` for nodes without data.
    public init(nodeNM: Int) throws {
        guard let d = Self.data(nodeNM) else {
            throw TechnologyError.unsupportedNode(nodeNM, supported: Self.supportedNodesNM)
        }
        self.nodeNM = nodeNM
        vddV = d.vdd
        vthV = d.vth
        physicalGateLengthNM = d.gateLength * 1e9
        nmosOnCurrentUAPerUM = d.onN
        pmosOnCurrentUAPerUM = d.onP
        nmosOffCurrentNAPerUM = d.offN * 1e3
        pmosOffCurrentNAPerUM = d.offP * 1e3
        effectiveResistanceMultiplier = d.resistanceMultiplier
        idealGateCapacitanceFFPerUM = d.capIdealGate * 1e9
        fringeCapacitanceFFPerUM = d.capFringe * 1e9
        wireWidthNM = d.wireWidthNM
        let wireWidthM = d.wireWidthNM * 1e-9
        wireResistanceOhmPerUM = d.resistivity / (wireWidthM * wireWidthM * d.wireAspectRatio) * 1e-6
        // SubArray.cpp / HTree.cpp: 0.2 fF per um of wire.
        wireCapacitanceFFPerUM = 0.2

        featureSizeM = Double(nodeNM) * 1e-9
        nmosOnCurrentAPerM = d.onN
        pmosOnCurrentAPerM = d.onP
        fin = d.fin
        // Technology.cpp: pnSizeRatio = I_on,N / I_on,P, cast to an integer for FinFETs.
        pnRatio = d.fin == nil ? d.onN / d.onP : (d.onN / d.onP).rounded(.towardZero)
        // Technology.cpp: capOverlap = 0.2 capIdealGate at 22 nm and above, included in the
        // ideal gate capacitance for FinFETs; capPolywire = 0.
        gateCapFPerM = d.fin == nil ? d.capIdealGate * 1.2 + d.capFringe : d.capIdealGate + d.capFringe
        // Technology.cpp: BSIM4 junction figures cj = 1e-3 F/m^2 (grading 0.5),
        // cjsw = 2.5e-10 F/m and cjswg = 0.5e-10 F/m (grading 0.33), built-in potential 0.9 V,
        // taken at a reverse bias of VDD.
        let bias = 1 + d.vdd / 0.9
        capJunctionFPerM2 = 1e-3 / bias.squareRoot()
        capSidewallFPerM = 2.5e-10 / pow(bias, 0.33)
        capDrainToChannelFPerM = 0.5e-10 / pow(bias, 0.33)
        cells = StandardCells.placeholder
        cells = StandardCells(self)
    }

    /// Feature size F, nm.
    public var featureSizeNM: Double { Double(nodeNM) }
    /// Overlap capacitance per gate width, fF/um (0.2 x ideal gate capacitance; part of the
    /// ideal gate capacitance for FinFETs).
    public var overlapCapacitanceFFPerUM: Double { fin == nil ? idealGateCapacitanceFFPerUM * 0.2 : 0 }
    /// Total gate input capacitance per (effective) gate width, ideal + overlap + fringe, fF/um.
    public var gateCapacitanceFFPerUM: Double { gateCapFPerM * 1e9 }
    /// Junction bottom capacitance at VDD reverse bias, fF/um^2.
    public var junctionCapacitanceFFPerUM2: Double { capJunctionFPerM2 * 1e3 }
    /// Junction sidewall capacitance at VDD reverse bias, fF/um.
    public var sidewallCapacitanceFFPerUM: Double { capSidewallFPerM * 1e9 }
    /// PMOS/NMOS width ratio of balanced gates: NMOS over PMOS on-current.
    public var pnSizeRatio: Double { pnRatio }
    /// Whether the node is a FinFET node.
    public var isFinFET: Bool { fin != nil }
    /// Minimum NMOS width (2 F), nm.
    public var minNMOSWidthNM: Double { DesignRule.minNMOSWidthF * featureSizeNM }
    /// Height of a standard-cell transistor region (28 F, FinFETs included), nm.
    public var standardCellHeightNM: Double {
        DesignRule.cellHeightF * featureSizeNM * (fin == nil ? 1 : DesignRule.finFETCellHeightScale)
    }
    /// Layout area of a minimum NMOS in a standard cell, um^2: the SAR ADC's unit.
    public var minNMOSAreaUM2: Double { cells.nmosAreaM2 * 1e12 }
    /// Layout area of a minimum (balanced) PMOS in a standard cell, um^2.
    public var minPMOSAreaUM2: Double { cells.pmosAreaM2 * 1e12 }
    /// On-resistance of a minimum NMOS, ohm.
    public var minNMOSOnResistanceOhm: Double {
        onResistanceOhm(widthM: DesignRule.minNMOSWidthF * featureSizeM, pmos: false)
    }
}

/// Fin geometry of a FinFET node (NeuroSim `Technology.cpp`, `formula.cpp`).
struct FinGeometry: Sendable, Hashable {
    var heightM: Double
    var widthM: Double
    var pitchM: Double
    /// Largest fin count of one device in a standard cell (`EnlargeSize`).
    var maxFinsPerDevice: Int
    /// Effective electrical width of one fin: both sidewalls and the top.
    var effectiveWidthM: Double { 2 * heightM + widthM }
}
