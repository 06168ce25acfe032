import Testing
import XPertCore

/// Monotonicity and technology scaling of the component models.
@Suite("Component scaling")
struct ComponentScalingTests {
    static let nodes = Technology.supportedNodesNM
    /// Planar nodes, where every layout dimension is a multiple of F (FinFET layouts follow
    /// the fin pitch).
    static let bulkNodes = Technology.supportedNodesNM.filter { $0 >= 22 }

    static func increasing(_ values: [Double]) -> Bool { zip(values, values.dropFirst()).allSatisfy { $0 < $1 } }

    @Test("ADC area and energy grow with the bits", arguments: nodes)
    func adcMonotonic(nm: Int) throws {
        let t = try Technology(nodeNM: nm)
        let sar = (1...12).map { SARADC(bits: $0, technology: t) }
        let flash = (1...12).map { FlashADC(bits: $0, technology: t) }
        #expect(Self.increasing(sar.map(\.areaUM2)))
        #expect(Self.increasing(sar.map(\.energyPJ)))
        #expect(sar.map(\.latencyNS) == (1...12).map { Double($0 + 1) })
        #expect(Self.increasing(flash.map(\.areaUM2)))
        #expect(Self.increasing(flash.map(\.energyPJ)))
        #expect(flash.allSatisfy { $0.latencyNS >= 1 })
        // Flash grows about 2x a bit, SAR linearly: flash is the larger one at 8 bits.
        let ratio = flash[7].areaUM2 / flash[6].areaUM2
        #expect(ratio > 1.8 && ratio < 2.6)
        #expect(flash[7].areaUM2 > sar[7].areaUM2)
        // SAR energy per cycle is linear in the bits (NeuroSim's power fit).
        let perCycle = sar.map { $0.energyPJ / Double($0.bits + 1) }
        let steps = zip(perCycle, perCycle.dropFirst()).map { $1 - $0 }
        #expect(steps.allSatisfy { abs($0 - steps[0]) < 1e-12 * max(1, abs(steps[0])) + 1e-15 })
    }

    @Test("a smaller node gives smaller, lower-energy ADCs")
    func adcAcrossNodes() throws {
        let sorted = try Self.nodes.sorted().map { try Technology(nodeNM: $0) }
        for bits in [2, 5, 8] {
            #expect(Self.increasing(sorted.map { SARADC(bits: bits, technology: $0).areaUM2 }))
            #expect(Self.increasing(sorted.map { FlashADC(bits: bits, technology: $0).areaUM2 }))
            #expect(Self.increasing(sorted.map { SARADC(bits: bits, technology: $0).energyPJ }))
            #expect(Self.increasing(sorted.map { FlashADC(bits: bits, technology: $0).energyPJ }))
        }
        let t22 = try Technology(nodeNM: 22), t45 = try Technology(nodeNM: 45)
        for bits in 1...10 {
            #expect(SARADC(bits: bits, technology: t22).areaUM2 < SARADC(bits: bits, technology: t45).areaUM2)
            #expect(SARADC(bits: bits, technology: t22).energyPJ < SARADC(bits: bits, technology: t45).energyPJ)
            #expect(FlashADC(bits: bits, technology: t22).areaUM2 < FlashADC(bits: bits, technology: t45).areaUM2)
            #expect(FlashADC(bits: bits, technology: t22).energyPJ < FlashADC(bits: bits, technology: t45).energyPJ)
        }
        // Areas of the same circuit scale with F^2.
        let ratio = SARADC(bits: 6, technology: t45).areaUM2 / SARADC(bits: 6, technology: t22).areaUM2
        #expect(abs(ratio - (45.0 * 45.0) / (22.0 * 22.0)) < 1e-9)
    }

    @Test("logic areas scale with F^2 at every planar node")
    func areaScalesWithFeatureSize() throws {
        let t32 = try Technology(nodeNM: 32)
        func normalised(_ t: Technology) -> [Double] {
            let f2 = t.featureSizeNM * t.featureSizeNM
            return [Adder(bits: 8, technology: t).areaUM2, FlipFlop(bits: 8, technology: t).areaUM2,
                    ShiftAdd(bits: 6, shiftRegisterBits: 10, technology: t).areaUM2,
                    AdderTree(inputs: 16, bits: 8, technology: t).areaUM2, Mux(inputs: 4, bits: 8, technology: t).areaUM2,
                    FlashADC(bits: 5, technology: t).areaUM2, CellArray(rows: 128, cols: 128, technology: t).areaUM2,
                    RowDrivers(rows: 128, cols: 128, technology: t).areaUM2,
                    ColumnDrivers(rows: 128, cols: 128, columnsPerADC: 8, technology: t).areaUM2].map { $0 / f2 }
        }
        let reference = normalised(t32)
        for nm in Self.bulkNodes {
            for (a, b) in zip(normalised(try Technology(nodeNM: nm)), reference) {
                #expect(abs(a / b - 1) < 1e-9, "\(nm) nm")
            }
        }
        // The FinFET node is still the smallest.
        let t14 = try Technology(nodeNM: 14), t22 = try Technology(nodeNM: 22)
        #expect(Adder(bits: 8, technology: t14).areaUM2 < Adder(bits: 8, technology: t22).areaUM2)
        #expect(FlipFlop(bits: 8, technology: t14).energyPJ < FlipFlop(bits: 8, technology: t22).energyPJ)
    }

    @Test("digital energy scales as VDD^2 x C", arguments: bulkNodes)
    func energyScalesWithVddSquaredTimesCapacitance(nm: Int) throws {
        // Switched capacitance ~ gate capacitance per width x F; junction capacitances follow
        // other laws, so the ratio holds to within 20 %.
        func normalised(_ t: Technology) -> [Double] {
            let c = t.vddV * t.vddV * t.gateCapacitanceFFPerUM * t.featureSizeNM
            return [Adder(bits: 8, technology: t).energyPJ / c, FlipFlop(bits: 8, technology: t).energyPJ / c]
        }
        let reference = normalised(try Technology(nodeNM: 32))
        for (a, b) in zip(normalised(try Technology(nodeNM: nm)), reference) {
            #expect(abs(a / b - 1) < 0.2)
        }
        // Exactly V^2 for the resistive cell read: doubling the read voltage quadruples it.
        let t = try Technology(nodeNM: nm)
        var device = DeviceParameters.neuroSimDefault
        let base = CellArray(rows: 128, cols: 128, device: device, technology: t).energyPJ
        device.readVoltageV *= 2
        #expect(abs(CellArray(rows: 128, cols: 128, device: device, technology: t).energyPJ / base - 4) < 1e-9)
    }

    @Test("array figures follow the array size", arguments: nodes)
    func arrayMonotonic(nm: Int) throws {
        let t = try Technology(nodeNM: nm)
        let sizes = [32, 64, 128, 256, 512]
        #expect(Self.increasing(sizes.map { RowDrivers(rows: $0, cols: $0, technology: t).energyPJ }))
        #expect(Self.increasing(sizes.map { RowDrivers(rows: $0, cols: $0, technology: t).areaUM2 }))
        #expect(Self.increasing(sizes.map { ColumnDrivers(rows: $0, cols: $0, columnsPerADC: 8, technology: t).areaUM2 }))
        #expect(Self.increasing(sizes.map { ArrayRead(rows: $0, cols: $0, columnsPerADC: 8, technology: t).latencyNS }))
        let a = CellArray(rows: 128, cols: 64, technology: t)
        #expect(abs(CellArray(rows: 256, cols: 64, technology: t).areaUM2 - 2 * a.areaUM2) < 1e-9 * a.areaUM2)
        #expect(a.writeEnergyPJ > a.energyPJ)
        #expect(a.rowWriteLatencyNS > a.latencyNS)
        // A cell with twice the on-resistance draws about half the read energy.
        var device = DeviceParameters.neuroSimDefault
        device.onResistanceOhm *= 2
        let ratio = CellArray(rows: 128, cols: 64, device: device, technology: t).energyPJ / a.energyPJ
        #expect(ratio > 0.49 && ratio < 0.52)
    }

    @Test("column sharing: more area and energy per column in the mux, no mux without sharing", arguments: nodes)
    func columnSharing(nm: Int) throws {
        let t = try Technology(nodeNM: nm)
        let none = ColumnMux(rows: 128, cols: 128, columnsPerADC: 1, technology: t)
        #expect(none.areaUM2 == 0 && none.energyPJ == 0 && none.selectLatencyNS == 0)
        let shared = [2, 4, 8, 16, 32, 64].map { ColumnMux(rows: 128, cols: 128, columnsPerADC: $0, technology: t) }
        #expect(Self.increasing(shared.map(\.areaUM2)))
        #expect(Self.increasing(shared.map(\.energyPJ)))
        #expect(shared.allSatisfy { $0.latencyNS > none.latencyNS })
        // The array read adds what its converter takes.
        let sense = ArrayRead(rows: 128, cols: 128, columnsPerADC: 8, technology: t)
        let sar = ArrayRead(rows: 128, cols: 128, columnsPerADC: 8, technology: t, converter: .sar(bits: 6))
        let bare = ArrayRead(rows: 128, cols: 128, columnsPerADC: 8, technology: t, converter: .none)
        #expect(bare.latencyNS < sense.latencyNS && sense.latencyNS < sar.latencyNS)
        #expect(abs(sar.conversionNS - 7) < 1e-12)
    }

    @Test("digital periphery grows with its width", arguments: nodes)
    func digitalMonotonic(nm: Int) throws {
        let t = try Technology(nodeNM: nm)
        let bits = [2, 4, 8, 16, 32]
        for figures in [bits.map { Adder(bits: $0, technology: t) as any HardwareComponent },
                        bits.map { FlipFlop(bits: $0, technology: t) as any HardwareComponent },
                        bits.map { ShiftAdd(bits: $0, shiftRegisterBits: $0 + 4, technology: t) as any HardwareComponent },
                        bits.map { Mux(inputs: 4, bits: $0, technology: t) as any HardwareComponent },
                        bits.map { MaxPool(window: 4, bits: $0, technology: t) as any HardwareComponent }] {
            #expect(Self.increasing(figures.map(\.areaUM2)))
            #expect(Self.increasing(figures.map(\.energyPJ)))
        }
        #expect(Self.increasing(bits.map { Adder(bits: $0, technology: t).latencyNS }))
        let trees = [2, 4, 8, 16, 128].map { AdderTree(inputs: $0, bits: 8, technology: t) }
        #expect(Self.increasing(trees.map(\.areaUM2)) && Self.increasing(trees.map(\.latencyNS)))
        #expect(trees.map(\.adders) == [1, 3, 7, 15, 127])
        // An odd input count still adds every input.
        #expect(AdderTree(inputs: 5, bits: 8, technology: t).adders == 4)
        #expect(AdderTree(inputs: 1, bits: 8, technology: t).energyPJ == 0)
        #expect(Self.increasing([2, 4, 8, 16].map { Mux(inputs: $0, bits: 8, technology: t).areaUM2 }))
    }

    @Test("buffers and wires", arguments: nodes)
    func buffersAndWires(nm: Int) throws {
        let t = try Technology(nodeNM: nm)
        let buffers = [4_096, 16_384, 65_536, 262_144].map { SRAMBuffer(capacityBits: $0, busWidthBits: 64, technology: t) }
        #expect(Self.increasing(buffers.map(\.areaUM2)))
        #expect(Self.increasing(buffers.map(\.energyPerBitPJ)))
        #expect(Self.increasing(buffers.map(\.latencyNS)))
        #expect(buffers.allSatisfy { $0.readEnergyPerBitPJ > 0 && $0.writeEnergyPerBitPJ > 0 && $0.writeLatencyNS > 0 })
        let short = Interconnect(lengthUM: 500, busWidthBits: 64, technology: t)
        let long = Interconnect(lengthUM: 1000, busWidthBits: 64, technology: t)
        #expect(abs(long.energyPerBitPJ / short.energyPerBitPJ - 2) < 1e-9)
        #expect(abs(long.latencyNS / short.latencyNS - 2) < 1e-9)
        #expect(abs(Interconnect(lengthUM: 1000, busWidthBits: 128, technology: t).areaUM2 / long.areaUM2 - 2) < 1e-9)
        // A repeated wire: well under a nanosecond per millimetre, tens of fJ per bit.
        #expect(long.latencyNS > 0.05 && long.latencyNS < 2)
        #expect(long.energyPerBitPJ > 0.005 && long.energyPerBitPJ < 0.5)
    }

    @Test("SRAM cells are larger than 1T1R RRAM cells")
    func cellKinds() throws {
        let t = try Technology(nodeNM: 32)
        #expect(MemoryCell.rram1T1R.areaF2 == 53 || abs(MemoryCell.rram1T1R.areaF2 - 53) < 1e-9)
        #expect(MemoryCell.sram.areaF2 == 280)
        let sram = CellArray(rows: 64, cols: 64, cell: .sram, technology: t)
        let rram = CellArray(rows: 64, cols: 64, cell: .rram1T1R, technology: t)
        #expect(sram.areaUM2 > 5 * rram.areaUM2)
        #expect(sram.energyPJ > 0 && sram.writeEnergyPJ > 0 && sram.rowWriteLatencyNS < rram.rowWriteLatencyNS)
        #expect(MemoryCell(rawValue: "rram-1t1r") == .rram1T1R && MemoryCell(rawValue: "sram") == .sram)
    }
}
