import Foundation
import PropertyBased
import Testing
@testable import XPertCore

/// The reprogramming model: exact write counts on hand-computable chips, against an
/// independent cell-by-cell recount on random ones; the sorted mapping computes the plain
/// mapping's outputs; stuck bits raise the NSR as a recount predicts.
@Suite("Reprogramming")
struct ReprogrammingTests {
    /// 8 rows, 4 columns, one bit per cell, differential: a 3-bit weight is 2 slices x 2 sign
    /// columns, so one output fills one crossbar.
    static let tiny = CrossbarGeometry(crossbarRows: 8, crossbarCols: 4, parallelRows: 8, bitsPerCell: 1, signScheme: .differential)

    static func constant(_ code: Int32, rows: Int = 8) -> QuantisedWeights {
        QuantisedWeights(outputs: 1, rows: rows, bits: 3, values: Array(repeating: code, count: rows))
    }

    @Test("two layers on one crossbar: exact counts per policy")
    func handComputed() {
        // Layer A: every weight +1 (positive slice 0 all ones); layer B: +2 (positive slice 1).
        let contents = ChipContents(layers: [(0, Self.constant(1), nil), (1, Self.constant(2), nil)], geometry: Self.tiny)
        #expect(contents.count == 2)
        let schedule = ChipSchedule(logical: 2, physical: 1)
        func run(_ policy: ReprogramPolicy, k: Int = 0, f256: Int = 256) -> ReprogramSimulation {
            ReprogramSimulation(contents: contents, schedule: schedule, policy: policy, stuckColumns: k, stuckFraction256: f256,
                                seed: 1, threads: 1)
        }
        // Every load rewrites 8 rows x 4 columns; A <-> B changes 16 cells each way.
        let all = run(.rewriteAll), changed = run(.changedOnly)
        #expect(all.cellWrites == 64 && all.maxCellWrites == 2 && all.rowsPerWave == [8, 8])
        #expect(changed.cellWrites == 32 && changed.maxCellWrites == 2 && changed.rowsPerWave == [8, 8])
        #expect(changed.stored == nil)
        // Stucking slice 0 with f = 0: A's ones are never written, so A reads as 0 and only
        // slice 1 changes (8 cells each way).
        let stuck = run(.sortedStuck, k: 1, f256: 0)
        #expect(stuck.cellWrites == 16 && stuck.maxCellWrites == 2)
        let storedA = contents.decode(span: contents.layers[0], rowOrder: nil, stored: stuck.stored!)
        let storedB = contents.decode(span: contents.layers[1], rowOrder: nil, stored: stuck.stored!)
        #expect(storedA == Array(repeating: 0, count: 8) && storedB == Array(repeating: 2, count: 8))
        // A resident chip never rewrites.
        let resident = ReprogramSimulation(contents: contents, schedule: ChipSchedule(logical: 2, physical: 2), policy: .rewriteAll,
                                           stuckColumns: 0, stuckFraction256: 256, seed: 1, threads: 1)
        #expect(resident.cellWrites == 0 && resident.maxCellWrites == 0)
    }

    /// Random layers for the recount: codes of `bits` bits, random sizes.
    static func randomLayers(seed: UInt64, bits: Int) -> [(Int, QuantisedWeights, [Int32]?)] {
        var rng = SimulationRandom(seed: seed)
        let limit = (1 << (bits - 1)) - 1
        return (0..<(1 + rng.nextInt(below: 3))).map { l in
            let (outputs, rows) = (1 + rng.nextInt(below: 5), 1 + rng.nextInt(below: 40))
            let values = (0..<(outputs * rows)).map { _ in Int32(rng.nextInt(below: 2 * limit + 1) - limit) }
            let w = QuantisedWeights(outputs: outputs, rows: rows, bits: bits, values: values)
            return (l, w, rng.nextInt(below: 2) == 0 ? nil : ChipContents.sortedRowOrder(w))
        }
    }

    /// The level of every cell of every logical crossbar, from the mapping's definition.
    static func levels(_ layers: [(Int, QuantisedWeights, [Int32]?)], geometry g: CrossbarGeometry) -> [[Int: Int]] {
        var crossbars: [[Int: Int]] = []
        for (_, w, order) in layers {
            let slices = g.slices(weightBits: w.bits), cpw = g.columnsPerWeight(weightBits: w.bits)
            let rowBlocks = (w.rows + g.crossbarRows - 1) / g.crossbarRows
            let colBlocks = (w.outputs * cpw + g.weightColumns - 1) / g.weightColumns
            var layer = [[Int: Int]](repeating: [:], count: rowBlocks * colBlocks)
            for o in 0..<w.outputs {
                for position in 0..<w.rows {
                    let code = Int(w.values[o * w.rows + Int(order?[position] ?? Int32(position))])
                    for sign in 0..<(g.signScheme == .differential ? 2 : 1) {
                        let magnitude = g.signScheme == .differential ? (sign == 0 ? max(code, 0) : max(-code, 0)) : code + (1 << (w.bits - 1))
                        for s in 0..<slices {
                            let level = (magnitude >> (s * g.bitsPerCell)) % (1 << g.bitsPerCell)
                            let column = o * cpw + sign * slices + s
                            let k = (position / g.crossbarRows) * colBlocks + column / g.weightColumns
                            layer[k][(position % g.crossbarRows) * 1000 + column % g.weightColumns] = level
                        }
                    }
                }
            }
            crossbars += layer
        }
        return crossbars
    }

    @Test("write counts and wear equal a cell-by-cell recount on random chips")
    func recount() async {
        await propertyCheck(count: 60, input: Gen.int(in: 0...1_000_000)) { seed in
            var rng = SimulationRandom(seed: UInt64(seed), stream: 9)
            let g = CrossbarGeometry(crossbarRows: [8, 16, 64, 128][rng.nextInt(below: 4)], crossbarCols: [4, 8, 16][rng.nextInt(below: 3)],
                                     parallelRows: 8, bitsPerCell: 1 + rng.nextInt(below: 2),
                                     signScheme: rng.nextInt(below: 2) == 0 ? .differential : .offset)
            let layers = Self.randomLayers(seed: UInt64(seed), bits: 3 + rng.nextInt(below: 4))
            let contents = ChipContents(layers: layers, geometry: g)
            let levels = Self.levels(layers, geometry: g)
            #expect(levels.count == contents.count)
            // The packing decodes to the weights.
            for (i, (_, w, order)) in layers.enumerated() {
                #expect(contents.decode(span: contents.layers[i], rowOrder: order, stored: contents.words) == w.values)
            }
            let physical = 1 + rng.nextInt(below: contents.count)
            let keys = rng.nextInt(below: 2) == 0 ? nil : ChipSchedule.magnitudeKeys(contents)
            let schedule = ChipSchedule(logical: contents.count, physical: physical, keys: keys)
            // Recount: every physical crossbar's cycle, cell by cell (absent cells hold 0).
            var writes = 0, worst = 0
            for p in 0..<schedule.used {
                let sequence = schedule.sequence(p).map(\.crossbar)
                guard sequence.count >= 2 else { continue }
                var perCell: [Int: Int] = [:]
                for t in sequence.indices {
                    let (old, new) = (levels[sequence[(t + sequence.count - 1) % sequence.count]], levels[sequence[t]])
                    for cell in Set(old.keys).union(new.keys) where old[cell, default: 0] != new[cell, default: 0] {
                        writes += 1
                        perCell[cell, default: 0] += 1
                    }
                }
                worst = max(worst, perCell.values.max() ?? 0)
            }
            let run = ReprogramSimulation(contents: contents, schedule: schedule, policy: .changedOnly, stuckColumns: 0,
                                          stuckFraction256: 256, seed: 0, threads: 2)
            #expect(run.cellWrites == writes && run.maxCellWrites == worst)
            // f = 1 stucks nothing.
            let full = ReprogramSimulation(contents: contents, schedule: schedule, policy: .sortedStuck, stuckColumns: 2,
                                           stuckFraction256: 256, seed: 0, threads: 1)
            #expect(full.cellWrites == writes)
        }
    }

    @Test("sorted rows compute the plain mapping's outputs (exact ADC)")
    func sortedMappingIsExact() {
        for seed in UInt64(0)..<6 {
            let g = CrossbarGeometry(crossbarRows: 16, crossbarCols: 32, parallelRows: 8, bitsPerCell: 1 + Int(seed % 2),
                                     signScheme: seed < 3 ? .differential : .offset)
            let w = QuantisedWeights(SyntheticData.weights(outputs: 6, rows: 40, distribution: .normal, seed: seed), bits: 6)
            let a = QuantisedActivations(SyntheticData.activations(rows: 40, count: 10, seed: seed), bits: 4)
            let order = ChipContents.sortedRowOrder(w).map(Int.init)
            #expect(order != Array(0..<40))
            let sortedW = QuantisedWeights(outputs: 6, rows: 40, bits: 6, scale: w.scale,
                                           values: (0..<6).flatMap { o in order.map { w.values[o * 40 + $0] } })
            let sortedA = QuantisedActivations(rows: 40, count: 10, bits: 4, scale: a.scale,
                                               values: (0..<10).flatMap { n in order.map { a.values[n * 40 + $0] } })
            let exactADC = Int.bitWidth - g.fullScaleSum.leadingZeroBitCount
            let option = PrecisionOption(inputBits: 4, adcBits: exactADC)
            let plain = FunctionalSimulator(weights: w, geometry: g).simulate(a, option: option)
            let sorted = FunctionalSimulator(weights: sortedW, geometry: g).simulate(sortedA, option: option)
            #expect(plain.values == sorted.values && plain.exact == sorted.exact)
        }
    }

    @Test("stuck bits raise the NSR exactly as a recount of the stored weights predicts")
    func stuckNSR() throws {
        let space = try Fixtures.smallSpace()
        let intended = QuantisedWeights(outputs: 2, rows: 8, bits: 3, values: [1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2, 2])
        // Stored: output 0 lost its slice-0 bits (0 instead of 1); output 1 intact.
        let stored: [Int32] = [0, 0, 0, 0, 0, 0, 0, 0, 2, 2, 2, 2, 2, 2, 2, 2]
        let nsr = ReprogramReport.nsr(intended: intended, stored: stored, layer: 0, space: space)
        // y0 = sum a, y1 = 2 sum a, error on y0 only: NSR = (sum a)^2 / (5 (sum a)^2) = 0.2.
        #expect(abs(nsr - 0.2) < 1e-12)
    }
}
