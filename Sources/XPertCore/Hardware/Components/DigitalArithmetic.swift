/// NeuroSim's digital clock: 1 GHz; a DFF takes half a cycle (`Param.cpp`, `DFF.cpp`).
let dffLatencyNS = 0.5

/// A ripple-carry adder of NAND2 gates (NeuroSim `Adder.cpp`): 9 NAND2 per bit.
///
/// The accumulators of the periphery (shift-and-add, adder trees) are built from it.
public struct Adder: HardwareComponent, Hashable {
    public let bits: Int
    /// Area of one adder, um^2.
    public let areaUM2: Double
    /// Energy of one addition, pJ (NeuroSim's adder switching activity 0.15 included).
    public let energyPJ: Double
    /// Carry ripple through all bits, ns.
    public let latencyNS: Double

    public init(bits: Int, technology t: Technology) {
        self.init(bits: bits, loadCapF: 0, technology: t)
    }

    init(bits: Int, loadCapF: Double, technology t: Technology) {
        precondition(bits >= 1, "an adder has at least one bit")
        self.bits = bits
        let c = t.cells
        let nand = c.nand2
        let b = Double(bits)
        areaUM2 = 9 * b * nand.areaM2 * 1e12
        // Adder.cpp: switched NAND inputs and outputs, 14 + 7 for the first bit's carry-in
        // logic and 13 + 7 for each further bit.
        let cap = 14 * nand.inputCapF + 7 * nand.outputCapF + (b - 1) * (13 * nand.inputCapF + 7 * nand.outputCapF)
        energyPJ = cap * t.vddV * t.vddV * NeuroSimCalibration.adderActivity * 1e12
        let out = horowitz(tauS: 2 * t.onResistanceOhm(widthM: nand.nmosWidthM, pmos: false) * (nand.outputCapF + loadCapF),
                           rampInput: c.adderOutputRampInput)
        let ripple = c.adderLeadS + Double(max(bits - 2, 0)) * c.adderPerBitS + c.adderTailS + out.delayS
        latencyNS = ripple * 1e9
    }
}

/// A binary tree of adders summing `inputs` values of `bits` bits; each level is one bit
/// wider (the NeuroSim plug-in's adder tree).
///
/// Energy is one complete summation; latency is the ripple through every level.
public struct AdderTree: HardwareComponent, Hashable {
    public let inputs: Int
    public let bits: Int
    /// Area of all its adders, um^2.
    public let areaUM2: Double
    /// Energy of one summation of all inputs, pJ.
    public let energyPJ: Double
    /// Latency of one summation, ns.
    public let latencyNS: Double
    /// Adders in the tree.
    public let adders: Int

    public init(inputs: Int, bits: Int, technology t: Technology) {
        precondition(inputs >= 1 && bits >= 1, "an adder tree needs inputs and bits")
        self.inputs = inputs
        self.bits = bits
        var n = inputs, width = bits
        var area = 0.0, energy = 0.0, latency = 0.0, count = 0
        // Pairs are added at each level; an odd value passes to the next level.
        while n > 1 {
            let pairs = n / 2
            width += 1
            let adder = Adder(bits: width, technology: t)
            area += Double(pairs) * adder.areaUM2
            energy += Double(pairs) * adder.energyPJ
            latency += adder.latencyNS
            count += pairs
            n -= pairs
        }
        areaUM2 = area
        energyPJ = energy
        latencyNS = latency
        adders = count
    }
}

/// Shift-and-add accumulator (NeuroSim `ShiftAdd.cpp`, binary mode): an adder of `bits`
/// bits and a register of `bits + shiftRegisterBits` DFFs that shifts the running sum.
///
/// One operation adds one partial result (an ADC output) into the shifted sum.
public struct ShiftAdd: HardwareComponent, Hashable {
    public let bits: Int
    public let shiftRegisterBits: Int
    /// Area of one shift-and-add unit, um^2.
    public let areaUM2: Double
    /// Energy of one shift-and-add, pJ.
    public let energyPJ: Double
    /// Latency of one shift-and-add: the add, then the register, ns.
    public let latencyNS: Double

    public init(bits: Int, shiftRegisterBits: Int, technology t: Technology) {
        self.bits = bits
        self.shiftRegisterBits = shiftRegisterBits
        let c = t.cells
        // The adder output is one bit wider; the register extends by the shifted bits.
        let flipFlops = Double(bits + shiftRegisterBits)
        let adder = Adder(bits: bits, loadCapF: c.tgDrainCapF, technology: t)
        areaUM2 = adder.areaUM2 + flipFlops * c.dffBitAreaM2 * 1e12
        energyPJ = adder.energyPJ + flipFlops * c.dffBitEnergyJ * NeuroSimCalibration.flipFlopActivity * 1e12
        latencyNS = adder.latencyNS + dffLatencyNS
    }
}
