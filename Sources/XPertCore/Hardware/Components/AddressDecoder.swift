/// A one-hot address decoder (NeuroSim `RowDecoder`, regular mode, not the 8x-widened
/// parallel variant): address inverters, NAND2 pre-decoders, NOR output gates and either two
/// output inverters (row driver) or the NAND + inverters enabling a transmission-gate mux.
struct AddressDecoder: Sendable, Hashable {
    /// Layout area, m^2.
    var areaM2: Double
    /// Energy of one decode, J: read path (with NeuroSim's control-logic activity factor)
    /// and write path (without it).
    var readEnergyJ: Double
    var writeEnergyJ: Double
    /// Delay from address to enabled output, s.
    var latencyS: Double
    /// Ramp handed on to the stage the decoder drives.
    var rampOutput: Double

    /// - Parameters:
    ///   - addressBits: decoded address width; 2^addressBits outputs.
    ///   - mux: drives transmission-gate pairs (NMOS load `capLoad1F`, PMOS load `capLoad2F`)
    ///     rather than a line (`capLoad1F`).
    ///   - layoutHeightM: stack the gates in columns of this height (next to an array), or
    ///     nil for one compact column.
    init(addressBits n: Int, mux: Bool, capLoad1F: Double, capLoad2F: Double = 0, layoutHeightM: Double? = nil,
         technology t: Technology) {
        guard n > 0 else {
            (areaM2, readEnergyJ, writeEnergyJ, latencyS, rampOutput) = (0, 0, 0, 0, .infinity)
            return
        }
        let c = t.cells
        let f = t.featureSizeM
        let inv = c.inverter, nand = c.nand2, drv = c.driverInverter
        let norInputs = (n + 1) / 2
        let minN = DesignRule.minNMOSWidthF * f
        let nor = t.enlargedGate(.nor, inputs: norInputs, nmosWidthM: minN,
                                 pmosWidthM: Double(norInputs) * t.pnSizeRatio * minN)
        let numInv = n
        let numNand = 4 * (n / 2)
        let numNor = n > 2 ? 1 << n : 0
        let numMetal = n > 2 ? numNand + (n % 2) * 2 : 0
        let metalM = DesignRule.metal3PitchF * Double(numMetal) * f

        // Area.
        if let height = layoutHeightM {
            func columns(_ count: Int, _ h: Double) -> Double {
                guard count > 0 else { return 0 }
                let perColumn = min(max(Int(height / h), 0), count)
                return perColumn > 0 ? Double((count + perColumn - 1) / perColumn) : 0
            }
            let colNor = columns(numNor, nor.heightM)
            let colNand = columns(numNand, nand.heightM)
            let colInv = max(columns(numInv, inv.heightM), 1)
            var width = inv.widthM * colInv + nand.widthM * colNand + metalM + nor.widthM * colNor
            width += mux ? (nand.widthM + inv.widthM * 2) * colNor : drv.widthM * 2 * colNor
            areaM2 = height * width
        } else {
            let height = max(nor.heightM * Double(numNor), nand.heightM * Double(numNand))
            var width = inv.widthM + nand.widthM + metalM + nor.widthM
            width += mux ? nand.widthM + inv.widthM * 2 : drv.widthM * 2
            areaM2 = height * width
        }

        // Energy: address lines into the pre-decoders, one pre-decoder output per group of
        // four, one NOR output, then the output stage.
        let nandIn = numNand > 0 ? nand.inputCapF : 0, nandOut = numNand > 0 ? nand.outputCapF : 0
        let norIn = numNor > 0 ? nor.inputCapF : 0, norOut = numNor > 0 ? nor.outputCapF : 0
        let pairs = Double(n / 2) * 2, odd = Double(n - (n / 2) * 2), nors = Double(numNor)
        var cap = (inv.inputCapF + nandIn * 2) * pairs
        cap += (inv.inputCapF + norIn * nors / 2) * odd
        cap += (nandOut + norIn * nors / 4) * Double(numNand) / 4
        if mux {
            cap += norOut + nandIn
            cap += (nandOut + drv.inputCapF) + (drv.outputCapF + drv.inputCapF) + drv.outputCapF
        } else {
            cap += norOut + inv.inputCapF
            cap += (drv.inputCapF + drv.outputCapF) * 2
        }
        let vdd2 = t.vddV * t.vddV
        writeEnergyJ = cap * vdd2
        readEnergyJ = cap * vdd2 * NeuroSimCalibration.controlActivity

        // Delay.
        var total = 0.0
        let rInvN = t.onResistanceOhm(widthM: inv.nmosWidthM, pmos: false)
        let s1 = horowitz(tauS: rInvN * (inv.outputCapF + (numNand > 0 ? nandIn * 2 : capLoad1F)))
        total += s1.delayS
        var ramp = s1.rampOutput
        var rampNand = Double.infinity, rampNor = Double.infinity
        if numNand > 0 {
            let r = 2 * t.onResistanceOhm(widthM: nand.nmosWidthM, pmos: false)
            let s = horowitz(tauS: r * (nandOut + (numNor > 0 ? norIn * nors / 4 : capLoad1F)), rampInput: ramp)
            total += s.delayS
            rampNand = s.rampOutput
            ramp = rampNand
        }
        if numNor > 0 {
            let r = 2 * t.onResistanceOhm(widthM: nor.pmosWidthM, pmos: true)
            let s = horowitz(tauS: r * (norOut + (mux ? nandIn : inv.inputCapF)), rampInput: rampNand)
            total += s.delayS
            rampNor = s.rampOutput
            ramp = rampNor
        }
        let rDrvN = t.onResistanceOhm(widthM: drv.nmosWidthM, pmos: false)
        let rDrvP = t.onResistanceOhm(widthM: drv.pmosWidthM, pmos: true)
        if mux {
            let rNand = t.onResistanceOhm(widthM: nand.nmosWidthM, pmos: false)
            let a = horowitz(tauS: rNand * (nandOut + inv.inputCapF), rampInput: rampNor)
            let b = horowitz(tauS: rDrvP * (drv.outputCapF + drv.inputCapF + capLoad1F), rampInput: a.rampOutput)
            let d = horowitz(tauS: rDrvN * (drv.outputCapF + capLoad2F), rampInput: b.rampOutput)
            total += a.delayS + b.delayS + d.delayS
            ramp = b.rampOutput
        } else {
            let a = horowitz(tauS: rDrvN * (drv.outputCapF + drv.inputCapF), rampInput: rampNor)
            let b = horowitz(tauS: rDrvP * (drv.outputCapF + capLoad1F), rampInput: a.rampOutput)
            total += a.delayS + b.delayS
            ramp = a.rampOutput
        }
        latencyS = total
        rampOutput = ramp
    }
}
