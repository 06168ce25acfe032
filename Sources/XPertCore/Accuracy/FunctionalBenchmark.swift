import Dispatch
import Foundation

/// Speed of the functional simulator (build with `-c release`):
/// 1. the bit-parallel kernel on one core, as binary (1-bit input x 1-bit cell) MACs per
///    second, on a synthetic layer (by default `2304 x 256`, VGG16's conv6 at baseline width) on the
///    space's crossbar, with every (input bits, ADC bits) option of the space measured in the
///    same pass; and the same with only the exact (identity) ADC;
/// 2. the wall time to build the NSR tables of every layer of the space (baseline channel
///    counts, synthetic data, the space's input and ADC bit choices, the hardware's bits
///    per cell, full-scale ADC) on `threads` threads;
/// 3. the wall time of the tables a search builds (every layer at every input-channel count).
public struct FunctionalBenchmark: Sendable, CustomStringConvertible {
    public let kernelLayer: String
    public let kernelOptions: Int
    /// Binary MACs of one kernel pass.
    public let kernelBinaryMACs: Int
    /// Per repetition, with all options / with only the exact ADC.
    public let macsPerSecond: [Double]
    public let exactOnlyMACsPerSecond: [Double]
    public let tableLayers: Int
    public let tableOptions: Int
    public let tableSamples: Int
    public let threads: Int
    public let generationSeconds: Double
    public let tableSeconds: Double
    /// Process CPU time (all threads) of the data generation and the table build: on a
    /// machine shared with other work, `cpu / threads` is the wall time on idle cores.
    public let tableCPUSeconds: Double
    /// Total binary MACs of the table build.
    public let tableBinaryMACs: Int
    /// Mean NSR over all layers and options of the tables.
    public let meanNSR: Double
    /// Sum of the kernel passes' first NSRs, printed so that the work cannot be optimised away.
    public let kernelChecksum: Double
    /// 3. The search's noise tables (``NoiseTables``, the space's `accuracy.noise` settings or
    /// the defaults): layer shapes, entries and wall time per repetition.
    public let searchTableShapes: Int
    public let searchTableEntries: Int
    public let searchTableSeconds: [Double]

    static func median(_ xs: [Double]) -> Double { xs.sorted()[xs.count / 2] }

    public var description: String {
        func rate(_ x: Double) -> String { String(format: "%.3g", x) }
        return """
            functional kernel: \(kernelLayer), \(kernelOptions) options per pass, \(kernelBinaryMACs) binary MACs per pass
            one core, median of \(macsPerSecond.count): \(rate(Self.median(macsPerSecond))) binary MACs/s (runs: \(macsPerSecond.map(rate).joined(separator: " ")))
            exact ADC only, median: \(rate(Self.median(exactOnlyMACsPerSecond))) binary MACs/s (runs: \(exactOnlyMACsPerSecond.map(rate).joined(separator: " ")))
            NSR tables: \(tableLayers) layers x \(tableOptions) options, \(tableSamples) samples per layer, \(threads) threads
            synthetic data: \(String(format: "%.3f", generationSeconds)) s; tables: \(String(format: "%.3f", tableSeconds)) s (\(rate(Double(tableBinaryMACs) / tableSeconds)) binary MACs/s); total \(String(format: "%.3f", generationSeconds + tableSeconds)) s wall, \(String(format: "%.3f", tableCPUSeconds)) s CPU
            mean NSR over layers and options: \(meanNSR); kernel checksum: \(kernelChecksum)
            search noise tables: \(searchTableShapes) layer shapes, \(searchTableEntries) entries, \(threads) threads, median of \(searchTableSeconds.count): \(String(format: "%.3f", Self.median(searchTableSeconds))) s (runs: \(searchTableSeconds.map { String(format: "%.3f", $0) }.joined(separator: " ")))
            """
    }

    static func seconds(since start: UInt64) -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
    static func cpuSeconds() -> Double { Double(clock()) / Double(CLOCKS_PER_SEC) }

    /// `samples` activation vectors per layer for the tables; the kernel is measured for at
    /// least `minimumSeconds` per repetition on a `kernelRows x kernelOutputs` layer.
    public static func run(space: SearchSpace, samples: Int = 128, threads: Int = 2, minimumSeconds: Double = 0.5,
                           repetitions: Int = 3, kernelRows: Int = 2304, kernelOutputs: Int = 256) -> FunctionalBenchmark {
        let workload = space.workload
        let (weightBits, activationBits) = (workload.weightBits, workload.activationBits)
        let inputBits = Set(workload.layers.flatMap(\.choices.inputBits)).filter { $0 <= activationBits }.sorted()
        let adcBits = Set(workload.layers.flatMap(\.choices.adcBits)).sorted()
        let geometry = CrossbarGeometry(hardware: space.hardware)
        let options = inputBits.flatMap { i in adcBits.map { PrecisionOption(inputBits: i, adcBits: $0) } }

        // 1. Kernel throughput on one core.
        let (rows, outputs, kernelSamples) = (kernelRows, kernelOutputs, 16)
        let weights = QuantisedWeights(SyntheticData.weights(outputs: outputs, rows: rows, distribution: .normal, seed: space.seed),
                                       bits: weightBits)
        let activations = QuantisedActivations(SyntheticData.activations(rows: rows, count: kernelSamples, seed: space.seed),
                                               bits: activationBits)
        let simulator = FunctionalSimulator(weights: weights, geometry: geometry)
        let macs = simulator.binaryMACs(samples: kernelSamples, activationBits: activationBits)
        var checksum = 0.0
        func measure(_ options: [PrecisionOption]) -> [Double] {
            let kernel = simulator.makeKernel(activations, options: options, range: .fullScale, calibration: nil)
            return (0..<max(1, repetitions)).map { _ in
                var passes = 0
                let start = DispatchTime.now().uptimeNanoseconds
                var elapsed = 0.0
                repeat {
                    checksum += kernel.run(samples: 0..<kernelSamples, record: false).stats[0].nsr
                    passes += 1
                    elapsed = seconds(since: start)
                } while elapsed < minimumSeconds
                return Double(passes * macs) / elapsed
            }
        }
        let all = measure(options)
        let exactOnly = measure([PrecisionOption(inputBits: activationBits, adcBits: 16)])

        // 2. NSR tables of the whole space.
        let outChannels = space.baseline.outChannels
        let cpuStart = cpuSeconds()
        var start = DispatchTime.now().uptimeNanoseconds
        let layers = FunctionalLayer.synthetic(workload: workload, outChannels: outChannels, samples: samples,
                                               seed: space.seed, threads: threads)
        let generation = seconds(since: start)
        start = DispatchTime.now().uptimeNanoseconds
        let tableOptions = NSRTableOptions(inputBits: inputBits, adcBits: adcBits, bitsPerCell: [geometry.bitsPerCell])
        let tables = NSRTables.build(layers: layers, geometry: geometry, weightBits: weightBits, activationBits: activationBits,
                                     options: tableOptions, threads: threads)
        let tableTime = seconds(since: start)
        let cpu = cpuSeconds() - cpuStart
        let tableMACs = layers.reduce(0) { total, layer in
            total + samples * activationBits * layer.weights.values.count * geometry.columnsPerWeight(weightBits: weightBits)
                * geometry.bitsPerCell
        }
        let nsrs = tables.flatMap { table in table.keys.map { table.entries[$0]!.nsr } }  // in key order

        // 3. The search's noise tables: every layer at every input-channel count it can see.
        let settings = space.accuracy?.noise ?? NoiseSettings()
        var noise: NoiseTables?
        let searchSeconds = (0..<max(1, repetitions)).map { _ -> Double in
            let start = DispatchTime.now().uptimeNanoseconds
            noise = NoiseTables.build(space: space, settings: settings, threads: threads)
            return seconds(since: start)
        }
        return FunctionalBenchmark(
            kernelLayer: "\(rows)x\(outputs) layer, \(kernelSamples) samples, \(geometry.crossbarRows) rows / \(geometry.parallelRows) parallel, \(geometry.bitsPerCell) bit/cell, \(geometry.signScheme.rawValue)",
            kernelOptions: options.count, kernelBinaryMACs: macs, macsPerSecond: all, exactOnlyMACsPerSecond: exactOnly,
            tableLayers: tables.count, tableOptions: options.count, tableSamples: samples, threads: threads,
            generationSeconds: generation, tableSeconds: tableTime, tableCPUSeconds: cpu, tableBinaryMACs: tableMACs,
            meanNSR: nsrs.reduce(0, +) / Double(max(1, nsrs.count)), kernelChecksum: checksum,
            searchTableShapes: noise!.tables.reduce(0) { $0 + $1.count }, searchTableEntries: noise!.entryCount,
            searchTableSeconds: searchSeconds)
    }
}
