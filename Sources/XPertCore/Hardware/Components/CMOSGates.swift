import Foundation

// Gate-level layout, capacitance and resistance formulas for bulk CMOS (22 nm and above) and
// FinFETs (14 nm), after NeuroSim's `formula.cpp` and `constant.h` (DNN+NeuroSim V1.3). Everything here is in
// SI units (metres, farads, ohms, seconds) and internal; components convert at their outputs.

/// Layout design rules of NeuroSim's standard cells, in units of the feature size F
/// (NeuroSim `constant.h`).
enum DesignRule {
    /// Minimum NMOS width: 2 F (`MIN_NMOS_SIZE`).
    static let minNMOSWidthF = 2.0
    /// Height of a standard-cell transistor region: 28 F (`MAX_TRANSISTOR_HEIGHT`).
    static let cellHeightF = 28.0
    /// Gap between P and N diffusions: 3.5 F (`MIN_GAP_BET_P_AND_N_DIFFS`).
    static let pnDiffusionGapF = 3.5
    /// Gap between gate polys: 2.8 F (`MIN_GAP_BET_GATE_POLY`).
    static let gatePolyGapF = 2.8
    /// Poly extension beyond diffusion: 1.0 F (`MIN_POLY_EXT_DIFF`).
    static let polyExtensionF = 1.0
    /// Gap between field poly and diffusion: 1.6 F (`MIN_GAP_BET_FIELD_POLY`).
    static let fieldPolyGapF = 1.6
    /// Poly width: 1.0 F (`POLY_WIDTH`).
    static let polyWidthF = 1.0
    /// FinFET cell height relative to the bulk one. NeuroSim scales by
    /// `MAX_TRANSISTOR_HEIGHT_FINFET / MAX_TRANSISTOR_HEIGHT` (34 / 28), integer macros whose
    /// quotient is 1: FinFET cells keep the 28 F height.
    static let finFETCellHeightScale = 1.0
    /// FinFET poly width and gate-poly gap: 1.4 F + 3.9 F (`POLY_WIDTH_FINFET`,
    /// `MIN_GAP_BET_GATE_POLY_FINFET`).
    static let finFETGatePolyGapF = 3.9
    static let finFETPolyPitchF = 1.4 + 3.9
    /// Metal-3 pitch: 2.8 F (`M3_PITCH`).
    static let metal3PitchF = 2.8
    /// Vertical overhead of a cell outside the diffusions: (1.0 + 1.6 / 2) x 2 = 3.6 F.
    static let cellOverheadF = (polyExtensionF + fieldPolyGapF / 2) * 2
    /// Width of one poly pitch: 1.0 + 2.8 = 3.8 F.
    static let polyPitchF = polyWidthF + gatePolyGapF
    /// Transistor on-resistance in the linear region relative to saturation: 0.2
    /// (`LINEAR_REGION_RATIO`).
    static let linearRegionRatio = 0.2
    /// Tolerated IR drop on a pass gate: 0.25 (`IR_DROP_TOLERANCE`).
    static let irDropTolerance = 0.25
}

/// NeuroSim's calibration against silicon (`Param.cpp`, `validated = true`): switching
/// activities of the digital periphery and the post-layout stretch of the sensing cycle.
enum NeuroSimCalibration {
    /// DFFs in shift-and-add and accumulators switch half the time: 0.5 (`gamma`).
    static let flipFlopActivity = 0.5
    /// Adders: 0.15 (`delta`).
    static let adderActivity = 0.15
    /// Control logic (decoders, encoders, comparators): 0.05 (`epsilon`).
    static let controlActivity = 0.05
    /// Sensing cycle stretched by 1.4 after layout (`beta`), applied to the array read.
    static let senseCycleStretch = 1.4
}

/// Static CMOS gate topologies of NeuroSim's gate formulas.
enum GateKind { case inv, nor, nand }

/// One laid-out logic gate: device widths, layout box and pin capacitances.
struct GateLayout: Sendable, Hashable {
    var nmosWidthM: Double
    var pmosWidthM: Double
    var heightM: Double
    var widthM: Double
    var inputCapF: Double
    var outputCapF: Double
    var areaM2: Double { heightM * widthM }
}

extension Technology {
    /// Height of the transistor region a cell of nominal height `heightM` really gets
    /// (NeuroSim `CalculateGateArea`; the same for FinFETs, see `finFETCellHeightScale`).
    @inline(__always)
    func regionHeightM(_ heightM: Double) -> Double {
        fin == nil ? heightM : heightM * DesignRule.finFETCellHeightScale
    }

    /// Largest NMOS and PMOS widths that fit in a cell region of `heightM` for a gate whose
    /// PMOS share of the total width is `ratio` (NeuroSim `CalculateGateArea`, bulk).
    @inline(__always)
    func maxWidths(ratio: Double, heightM: Double) -> (nmos: Double, pmos: Double) {
        let f = featureSizeM
        if ratio == 0 { return (heightM - DesignRule.cellOverheadF * f, 0) }
        if ratio == 1 { return (0, heightM - DesignRule.cellOverheadF * f) }
        let p = ratio * (heightM - DesignRule.pnDiffusionGapF * f - DesignRule.cellOverheadF * f)
        return (p / ratio * (1 - ratio), p)
    }

    /// Largest fin counts of NMOS and PMOS in a FinFET cell region of `heightM` (already
    /// scaled), NeuroSim `CalculateGateArea`.
    private func maxFins(ratio: Double, heightM: Double, fin: FinGeometry) -> (nmos: Int, pmos: Int) {
        let f = featureSizeM
        let free = heightM - DesignRule.cellOverheadF * f
        if ratio == 0 { return (Int((free / fin.pitchM).rounded(.down)) + 1, 0) }
        if ratio == 1 { return (0, Int((free / fin.pitchM).rounded(.down)) + 1) }
        let both = free - DesignRule.pnDiffusionGapF * f
        return (Int(((1 - ratio) * both / fin.pitchM).rounded(.down)) + 1, Int((ratio * both / fin.pitchM).rounded(.down)) + 1)
    }

    /// Fins of a device of drawn width `widthM` (2 F of drawn width per fin), evaluated in
    /// NeuroSim's order (width x pitch / 2F, then / pitch, rounded up), rounding included.
    @inline(__always)
    private func fins(_ widthM: Double, _ fin: FinGeometry) -> Int {
        Int((widthM * (fin.pitchM / (2 * featureSizeM)) / fin.pitchM).rounded(.up))
    }

    /// Widens minimum devices to fill the standard-cell height at no area cost (NeuroSim
    /// `EnlargeSize`).
    func enlarged(nmosWidthM: Double, pmosWidthM: Double) -> (nmos: Double, pmos: Double) {
        let ratio = pmosWidthM / (pmosWidthM + nmosWidthM)
        if let fin {
            let most = fin.maxFinsPerDevice, finWidth = 2 * featureSizeM
            var n = Int((nmosWidthM / finWidth).rounded(.up)), p = Int((pmosWidthM / finWidth).rounded(.up))
            if ratio == 0, n <= most { return (Double(most) * finWidth, pmosWidthM) }
            if ratio == 1, p <= most { return (nmosWidthM, Double(most) * finWidth) }
            guard p > 0, p <= most, n > 0, n <= most else { return (nmosWidthM, pmosWidthM) }
            if ratio >= 0.5 {
                p = most
                n = Int((Double(p) / ratio * (1 - ratio)).rounded(.up))
            } else {
                n = most
                p = Int((Double(n) / (1 - ratio) * ratio).rounded(.up))
            }
            return (Double(n) * finWidth, Double(p) * finWidth)
        }
        let m = maxWidths(ratio: ratio, heightM: DesignRule.cellHeightF * featureSizeM)
        if ratio == 0, nmosWidthM < m.nmos { return (m.nmos, pmosWidthM) }
        if ratio == 1, pmosWidthM < m.pmos { return (nmosWidthM, m.pmos) }
        if pmosWidthM > 0, pmosWidthM < m.pmos, nmosWidthM > 0, nmosWidthM < m.nmos { return (m.nmos, m.pmos) }
        return (nmosWidthM, pmosWidthM)
    }

    /// Diffusion of one transistor type in a cell: width of its layout region, folds, drain
    /// and source widths, and the height of its diffusion (NeuroSim `CalculateGateArea` and
    /// `CalculateGateCapacitance`).
    private struct Diffusion {
        var regionWidthM = 0.0
        var folds = 1
        var drainM = 0.0
        var sourceM = 0.0
        var heightM = 0.0
    }

    /// NMOS and PMOS diffusions of a gate in a cell region of nominal height `heightM`.
    private func diffusions(nmosWidthM: Double, pmosWidthM: Double, heightM: Double) -> (n: Diffusion, p: Diffusion) {
        let f = featureSizeM
        let ratio = pmosWidthM / (pmosWidthM + nmosWidthM)
        let region = regionHeightM(heightM)
        if let fin {
            let pitch = DesignRule.finFETPolyPitchF * f, gap = DesignRule.finFETGatePolyGapF * f
            let most = maxFins(ratio: ratio, heightM: region, fin: fin)
            func one(_ w: Double, _ maxFins: Int) -> Diffusion {
                let count = fins(w, fin)
                guard count > 0 else { return Diffusion() }
                if count <= maxFins {
                    return Diffusion(regionWidthM: 2 * pitch, folds: 1, drainM: gap, sourceM: gap,
                                     heightM: Double(count - 1) * fin.pitchM + fin.widthM)
                }
                // NeuroSim divides the fin counts as integers here.
                let folds = max(count / max(maxFins, 1), 1)
                return Diffusion(regionWidthM: Double(folds + 1) * pitch, folds: folds,
                                 drainM: Double((folds + 2) / 2) * gap, sourceM: Double((folds + 1) / 2) * gap,
                                 heightM: Double(maxFins - 1) * fin.pitchM + fin.widthM)
            }
            return (one(nmosWidthM, most.nmos), one(pmosWidthM, most.pmos))
        }
        let pitch = DesignRule.polyPitchF * f, gap = DesignRule.gatePolyGapF * f
        let m = maxWidths(ratio: ratio, heightM: region)
        func one(_ w: Double, _ maxW: Double) -> Diffusion {
            guard w > 0 else { return Diffusion() }
            if w <= maxW { return Diffusion(regionWidthM: 2 * pitch, folds: 1, drainM: gap, sourceM: gap, heightM: w) }
            let folds = Int((w / maxW).rounded(.up))
            return Diffusion(regionWidthM: Double(folds + 1) * pitch, folds: folds,
                             drainM: Double((folds + 2) / 2) * gap, sourceM: Double((folds + 1) / 2) * gap, heightM: maxW)
        }
        return (one(nmosWidthM, m.nmos), one(pmosWidthM, m.pmos))
    }

    /// Layout width of a gate in a cell region of nominal height `heightM` (NeuroSim
    /// `CalculateGateArea`).
    func gateWidthM(_ kind: GateKind, inputs: Int, nmosWidthM: Double, pmosWidthM: Double, heightM: Double) -> Double {
        let d = diffusions(nmosWidthM: nmosWidthM, pmosWidthM: pmosWidthM, heightM: heightM)
        switch kind {
        case .inv:
            return max(d.n.regionWidthM, d.p.regionWidthM)
        case .nor, .nand:
            let k = Double(inputs)
            if d.p.folds == 1, d.n.folds == 1 {
                // Adjacent transistors share source/drain regions.
                let pitch = (fin == nil ? DesignRule.polyPitchF : DesignRule.finFETPolyPitchF) * featureSizeM
                let shared = (k - 1) * pitch
                return max(d.n.regionWidthM * k - shared, d.p.regionWidthM * k - shared)
            }
            return max(d.n.regionWidthM * k, d.p.regionWidthM * k)
        }
    }

    /// Effective electrical width of a device of drawn width `widthM`: itself in bulk, its
    /// fins' perimeters in a FinFET.
    @inline(__always)
    func effectiveWidthM(_ widthM: Double) -> Double {
        guard let fin else { return widthM }
        return Double(fins(widthM, fin)) * fin.effectiveWidthM
    }

    /// Gate input capacitance of a transistor of width `widthM` (NeuroSim `CalculateGateCap`).
    @inline(__always)
    func gateCapF(widthM: Double) -> Double { gateCapFPerM * effectiveWidthM(widthM) }

    /// Drain (output) capacitance of a gate: junction bottom, sidewall and drain-to-channel
    /// (NeuroSim `CalculateGateCapacitance`).
    func outputCapF(_ kind: GateKind, inputs: Int, nmosWidthM: Double, pmosWidthM: Double, heightM: Double) -> Double {
        let d = diffusions(nmosWidthM: nmosWidthM, pmosWidthM: pmosWidthM, heightM: heightM)
        let n = d.n, p = d.p
        let k = Double(inputs)
        var widthDrainP = 0.0, widthDrainN = 0.0, sidewallP = 0.0, sidewallN = 0.0
        // Parity terms of NeuroSim's sidewall count: 1 + (folds+1)%2 and 1 - (folds+1)%2.
        func odd(_ x: Int) -> Double { Double(x % 2) }
        switch kind {
        case .inv:
            if pmosWidthM > 0 {
                widthDrainP = p.drainM
                sidewallP = widthDrainP * 2 + p.heightM * (1 + odd(p.folds + 1))
            }
            if nmosWidthM > 0 {
                widthDrainN = n.drainM
                // NeuroSim counts the NMOS sidewall with the PMOS folding; kept as is.
                sidewallN = widthDrainN * 2 + n.heightM * (1 + odd(p.folds + 1))
            }
        case .nor:
            if p.folds == 1, n.folds == 1 {
                if pmosWidthM > 0 { widthDrainP = p.drainM * k; sidewallP = widthDrainP * 2 + p.heightM }
                if nmosWidthM > 0 {
                    widthDrainN = n.drainM * Double((inputs + 1) / 2)
                    sidewallN = widthDrainN * 2 + n.heightM * (1 - odd(inputs + 1))
                }
            } else {
                if pmosWidthM > 0 {
                    widthDrainP = p.drainM * k + (k - 1) * p.sourceM
                    sidewallP = widthDrainP * 2 + p.heightM * (1 + odd(p.folds + 1)) * k
                        + p.heightM * (1 - odd(p.folds + 1)) * (k - 1)
                }
                if nmosWidthM > 0 {
                    widthDrainN = n.drainM * k
                    sidewallN = widthDrainN * 2 + n.heightM * (1 + odd(n.folds + 1)) * k
                }
            }
        case .nand:
            if p.folds == 1, n.folds == 1 {
                if pmosWidthM > 0 {
                    widthDrainP = p.drainM * Double((inputs + 1) / 2)
                    sidewallP = widthDrainP * 2 + p.heightM * (1 - odd(inputs + 1))
                }
                if nmosWidthM > 0 { widthDrainN = n.drainM * k; sidewallN = widthDrainN * 2 + n.heightM }
            } else {
                if pmosWidthM > 0 {
                    widthDrainP = p.drainM * k
                    sidewallP = widthDrainP * 2 + p.heightM * (1 + odd(p.folds + 1)) * k
                }
                if nmosWidthM > 0 {
                    widthDrainN = n.drainM * k + (k - 1) * n.sourceM
                    sidewallN = widthDrainN * 2 + n.heightM * (1 + odd(n.folds + 1)) * k
                        + n.heightM * (1 - odd(n.folds + 1)) * (k - 1)
                }
            }
        }
        return (widthDrainN * n.heightM + widthDrainP * p.heightM) * capJunctionFPerM2
            + (sidewallN + sidewallP) * capSidewallFPerM
            + (Double(n.folds) * n.heightM + Double(p.folds) * p.heightM) * capDrainToChannelFPerM
    }

    /// Drain capacitance of a single transistor (NeuroSim `CalculateDrainCap`).
    func drainCapF(widthM: Double, pmos: Bool, heightM: Double) -> Double {
        outputCapF(.inv, inputs: 1, nmosWidthM: pmos ? 0 : widthM, pmosWidthM: pmos ? widthM : 0, heightM: heightM)
    }

    /// Effective on-resistance of a transistor at 300 K (NeuroSim `CalculateOnResistance`).
    @inline(__always)
    func onResistanceOhm(widthM: Double, pmos: Bool) -> Double {
        effectiveResistanceMultiplier * vddV / ((pmos ? pmosOnCurrentAPerM : nmosOnCurrentAPerM) * effectiveWidthM(widthM))
    }

    /// A gate in a standard cell (nominal height 28 F), with its pin capacitances.
    func gate(_ kind: GateKind, inputs: Int = 1, nmosWidthM: Double, pmosWidthM: Double) -> GateLayout {
        let h = DesignRule.cellHeightF * featureSizeM
        let w = gateWidthM(kind, inputs: inputs, nmosWidthM: nmosWidthM, pmosWidthM: pmosWidthM, heightM: h)
        return GateLayout(nmosWidthM: nmosWidthM, pmosWidthM: pmosWidthM, heightM: regionHeightM(h), widthM: w,
                          inputCapF: gateCapF(widthM: nmosWidthM) + gateCapF(widthM: pmosWidthM),
                          outputCapF: outputCapF(kind, inputs: inputs, nmosWidthM: nmosWidthM, pmosWidthM: pmosWidthM, heightM: h))
    }

    /// A gate whose minimum devices are first widened to fill the cell (`EnlargeSize`).
    func enlargedGate(_ kind: GateKind, inputs: Int = 1, nmosWidthM: Double, pmosWidthM: Double) -> GateLayout {
        let w = enlarged(nmosWidthM: nmosWidthM, pmosWidthM: pmosWidthM)
        return gate(kind, inputs: inputs, nmosWidthM: w.nmos, pmosWidthM: w.pmos)
    }

    /// Layout box of a transmission gate whose cell height follows its devices, folded
    /// `folds` times (NeuroSim `CalculatePassGateArea`).
    func passGateBox(nmosWidthM: Double, pmosWidthM: Double, folds: Int) -> (heightM: Double, widthM: Double) {
        let f = featureSizeM, k = Double(folds)
        let overhead = DesignRule.pnDiffusionGapF * f + DesignRule.cellOverheadF * f
        guard let fin else {
            let width = (k + 1) * DesignRule.polyPitchF * f
            return (pmosWidthM / k + nmosWidthM / k + overhead, width)
        }
        let width = (k + 1) * DesignRule.finFETPolyPitchF * f
        func rows(_ w: Double) -> Double {
            // NeuroSim divides by the fin's effective width here, not by the pitch.
            let total = (w * (fin.pitchM / (2 * f)) / fin.effectiveWidthM).rounded(.up)
            let perFold = (total / k).rounded(.up)
            return (perFold - 1) * fin.pitchM + fin.widthM
        }
        return (rows(pmosWidthM) + rows(nmosWidthM) + overhead, width)
    }
}

/// Delay of an RC stage driven by a ramp, and the ramp it hands on (Horowitz's model as in
/// CACTI and NeuroSim `horowitz`, with beta = 0.5 and switching threshold 0.5).
@inline(__always)
func horowitz(tauS: Double, rampInput: Double = .infinity) -> (delayS: Double, rampOutput: Double) {
    let alpha = rampInput.isInfinite ? 0 : 1 / (rampInput * tauS)
    let ln05 = -0.6931471805599453
    let delay = tauS * (ln05 * ln05 + 0.5 * alpha).squareRoot()
    return (delay, 0.5 / delay)
}
