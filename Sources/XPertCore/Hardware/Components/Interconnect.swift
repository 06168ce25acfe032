/// A repeated on-chip bus of `busWidthBits` wires, `lengthUM` long (NeuroSim `HTree.cpp`
/// and `Bus.cpp`): wire capacitance 0.2 fF/um, the node's wire resistance, and inverter
/// repeaters sized and spaced for minimum delay, then relaxed to within 10 % of it to save
/// energy (NeuroSim's default bus delay tolerance).
///
/// Energy is per bit moved, at NeuroSim's data activity (a quarter of the bits charge their
/// wire); latency is the end-to-end delay.
public struct Interconnect: HardwareComponent, Hashable {
    public let lengthUM: Double
    public let busWidthBits: Int
    /// Area of the bus: one standard-cell track (repeater row) per bit along its length, um^2.
    public let areaUM2: Double
    /// Energy per bit moved over the whole length, pJ.
    public let energyPJ: Double
    /// End-to-end delay, ns.
    public let latencyNS: Double
    /// Repeater spacing, um.
    public let repeaterSpacingUM: Double

    /// Energy per bit moved, pJ (same as `energyPJ`).
    public var energyPerBitPJ: Double { energyPJ }

    /// NeuroSim's bus delay tolerance (`Param.cpp`, `globalBusDelayTolerance`).
    static let delayTolerance = 0.1
    /// Fraction of the bits that charge their wire on a transfer (`HTree.cpp`).
    static let dataActivity = 0.25

    public init(lengthUM: Double, busWidthBits: Int, technology t: Technology) {
        self.lengthUM = lengthUM
        self.busWidthBits = busWidthBits
        let wire = t.cells.repeatedWire
        let lengthM = lengthUM * 1e-6
        latencyNS = wire.delaySPerM * lengthM * 1e9
        energyPJ = wire.energyJPerM * lengthM * Self.dataActivity * 1e12
        areaUM2 = Double(busWidthBits) * lengthUM * t.standardCellHeightNM * 1e-3
        repeaterSpacingUM = wire.spacingM * 1e6
    }

    /// Delay and energy per metre of a repeated wire and the repeater spacing, for repeaters
    /// scaled from `minInv`.
    static func repeatedWire(technology t: Technology, minInverter minInv: GateLayout) -> RepeatedWire {
        let r = t.wireResistanceOhmPerUM * 1e6
        let cw = t.wireCapacitanceFFPerUM * 1e-15 / 1e-6
        func drive(_ size: Double) -> Double {
            t.onResistanceOhm(widthM: minInv.nmosWidthM * size, pmos: false)
                + t.onResistanceOhm(widthM: minInv.pmosWidthM * size, pmos: true)
        }
        func repeater(_ size: Double) -> GateLayout {
            t.gate(.inv, nmosWidthM: minInv.nmosWidthM * size, pmosWidthM: minInv.pmosWidthM * size)
        }
        func delay(_ g: GateLayout, _ rOn: Double, _ d: Double) -> Double {
            0.7 * (rOn * (g.inputCapF + g.outputCapF + cw * d) + 0.5 * r * d * cw * d + r * d * g.inputCapF) / d
        }
        let rMin = drive(1)
        var size = (rMin * cw / (minInv.inputCapF * r)).squareRoot().rounded(.down)
        var spacing = (2 * rMin * (minInv.outputCapF + minInv.inputCapF) / (r * cw)).squareRoot()
        let fastest = delay(repeater(size), drive(size), spacing)
        var current = fastest
        // Trade delay for energy: halve the repeaters and bring them closer until 10 % slower.
        var steps = 0
        while current < fastest * (1 + delayTolerance), steps < 64 {
            steps += 1
            size /= 2
            spacing *= 0.9
            current = delay(repeater(size), drive(size), spacing)
        }
        let g = repeater(max(1, size))
        let delayPerM = delay(g, drive(max(1, size)), spacing)
        let energyPerM = (g.inputCapF + g.outputCapF + cw * spacing) * t.vddV * t.vddV / spacing
        return RepeatedWire(delaySPerM: delayPerM, energyJPerM: energyPerM, spacingM: spacing)
    }
}

/// Per-length figures of an optimally repeated wire of one node.
struct RepeatedWire: Sendable, Hashable {
    var delaySPerM: Double
    var energyJPerM: Double
    var spacingM: Double
}

/// A wire bus; the same model as `Interconnect`.
public typealias Wire = Interconnect
