import Testing
import XPertCore

@Suite("Technology nodes")
struct TechnologyTests {
    @Test("supported nodes build, with the feature size of their name")
    func supportedNodes() throws {
        #expect(Technology.supportedNodesNM.contains(14))
        #expect(Technology.supportedNodesNM.contains(22))
        #expect(Technology.supportedNodesNM.contains(32))
        #expect(Technology.supportedNodesNM.contains(45))
        #expect(Technology.supportedNodesNM.contains(65))
        for nm in Technology.supportedNodesNM {
            let t = try Technology(nodeNM: nm)
            #expect(t.nodeNM == nm)
            #expect(t.featureSizeNM == Double(nm))
            #expect(t.vddV > t.vthV && t.vthV > 0)
            #expect(t.nmosOnCurrentUAPerUM > t.pmosOnCurrentUAPerUM)
            // Technology.cpp: P/N width ratio from the on-currents (an integer for FinFETs);
            // overlap is 0.2 of the ideal gate capacitance in bulk, included in it for FinFETs.
            let ratio = t.nmosOnCurrentUAPerUM / t.pmosOnCurrentUAPerUM
            #expect(abs(t.pnSizeRatio - (t.isFinFET ? ratio.rounded(.towardZero) : ratio)) < 1e-12)
            #expect(t.isFinFET == (nm < 22))
            #expect(abs(t.overlapCapacitanceFFPerUM - (t.isFinFET ? 0 : 0.2 * t.idealGateCapacitanceFFPerUM)) < 1e-12)
            #expect(abs(t.gateCapacitanceFFPerUM
                        - (t.idealGateCapacitanceFFPerUM + t.overlapCapacitanceFFPerUM + t.fringeCapacitanceFFPerUM)) < 1e-12)
            #expect(t.minNMOSWidthNM == 2 * Double(nm))
            #expect(t.standardCellHeightNM == 28 * Double(nm))
            #expect(t.wireResistanceOhmPerUM > 0 && t.wireCapacitanceFFPerUM == 0.2)
        }
    }

    @Test("32 nm low-power figures are NeuroSim's")
    func figuresAt32nm() throws {
        let t = try Technology(nodeNM: 32)
        #expect(t.vddV == 0.9)
        #expect(abs(t.vthV - 0.442034) < 1e-9)
        #expect(t.nmosOnCurrentUAPerUM == 600.2)
        #expect(t.pmosOnCurrentUAPerUM == 400.0)
        #expect(abs(t.idealGateCapacitanceFFPerUM - 0.8375279) < 1e-9)
        // SarADC.cpp's area unit: a 2 F NMOS in a 28 F cell, 7.6 F x 28 F = 0.2179 um^2.
        #expect(abs(t.minNMOSAreaUM2 - 0.2179072) < 1e-6)
        #expect(abs(t.minPMOSAreaUM2 - 0.2179072) < 1e-6)
    }

    @Test("supply voltage rises with the node")
    func supplyOrder() throws {
        let vdd = try Technology.supportedNodesNM.sorted().map { try Technology(nodeNM: $0).vddV }
        #expect(vdd == vdd.sorted())
        #expect(Set(vdd).count == vdd.count)
    }

    @Test("unsupported nodes throw", arguments: [7, 10, 16, 28, 180, 0, -32])
    func unsupported(nm: Int) {
        #expect(throws: TechnologyError.unsupportedNode(nm, supported: Technology.supportedNodesNM)) {
            try Technology(nodeNM: nm)
        }
    }

    @Test("7 nm throws with the supported list")
    func sevenNanometres() {
        do {
            _ = try Technology(nodeNM: 7)
            Issue.record("7 nm should not build")
        } catch let TechnologyError.unsupportedNode(nm, supported) {
            #expect(nm == 7)
            #expect(supported == Technology.supportedNodesNM)
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test("equal nodes are equal values")
    func hashable() throws {
        #expect(try Technology(nodeNM: 45) == Technology(nodeNM: 45))
        #expect(try Technology(nodeNM: 45) != Technology(nodeNM: 65))
        #expect(Set([try Technology(nodeNM: 22), try Technology(nodeNM: 22)]).count == 1)
    }
}
