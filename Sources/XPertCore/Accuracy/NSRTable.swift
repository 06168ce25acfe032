import Dispatch
import Foundation

/// The key of an NSR table entry.
public struct NSRKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var inputBits: Int
    public var adcBits: Int
    public var bitsPerCell: Int

    public init(inputBits: Int, adcBits: Int, bitsPerCell: Int) {
        self.inputBits = inputBits
        self.adcBits = adcBits
        self.bitsPerCell = bitsPerCell
    }

    public static func < (a: NSRKey, b: NSRKey) -> Bool {
        (a.bitsPerCell, a.inputBits, a.adcBits) < (b.bitsPerCell, b.inputBits, b.adcBits)
    }

    public var description: String { "I\(inputBits)/ADC\(adcBits)/c\(bitsPerCell)" }
}

/// A layer's measured noise-to-signal ratios, one per (input bits, ADC bits, bits per cell).
public struct NSRTable: Sendable, Hashable, CustomStringConvertible {
    public let layer: String
    public let range: ADCRange
    /// Activation vectors simulated (each gives one output per output column).
    public let samples: Int
    public let entries: [NSRKey: NSRAccumulator]

    public init(layer: String, range: ADCRange, samples: Int, entries: [NSRKey: NSRAccumulator]) {
        self.layer = layer
        self.range = range
        self.samples = samples
        self.entries = entries
    }

    public subscript(key: NSRKey) -> NSRAccumulator? { entries[key] }

    public subscript(inputBits inputBits: Int, adcBits adcBits: Int, bitsPerCell bitsPerCell: Int) -> NSRAccumulator? {
        entries[NSRKey(inputBits: inputBits, adcBits: adcBits, bitsPerCell: bitsPerCell)]
    }

    /// NSR against the `inputBits` product (ADC noise only); nil for an option not measured.
    public func nsr(inputBits: Int, adcBits: Int, bitsPerCell: Int) -> Double? {
        self[inputBits: inputBits, adcBits: adcBits, bitsPerCell: bitsPerCell]?.nsr
    }

    public var keys: [NSRKey] { entries.keys.sorted() }

    /// One line per key: NSR (vs input bits), NSR vs activation bits and NSR vs the float product.
    public var description: String {
        var lines = ["\(layer) (\(range), \(samples) samples): key nsr nsr_vs_activation_bits nsr_vs_float"]
        for key in keys {
            let e = entries[key]!
            lines.append("  \(key) \(e.nsr) \(e.nsrVsActivationBits) \(e.nsrVsFloat)")
        }
        return lines.joined(separator: "\n")
    }
}

/// The data of one layer for the functional simulation.
public struct FunctionalLayer: Sendable {
    public var name: String
    public var weights: WeightMatrix
    public var activations: ActivationSamples
    /// Samples that set the activation scale and a calibrated ADC's clip; nil: `activations`.
    public var calibration: ActivationSamples?

    public init(name: String, weights: WeightMatrix, activations: ActivationSamples, calibration: ActivationSamples? = nil) {
        precondition(weights.rows == activations.rows && (calibration?.rows ?? weights.rows) == weights.rows,
                     "activation vectors must have one value per weight row")
        self.name = name
        self.weights = weights
        self.activations = activations
        self.calibration = calibration
    }

    /// Synthetic layers for a workload at the given output channels: He-scaled weights,
    /// rectified-normal activations and, when `calibrationSamples > 0`, separate calibration
    /// vectors, each on its layer's stream (`SyntheticData.stream`).
    public static func synthetic(workload: Workload, outChannels: [Int], samples: Int, calibrationSamples: Int = 0,
                                 distribution: WeightDistribution = .normal, seed: UInt64, threads: Int = 1) -> [FunctionalLayer] {
        precondition(outChannels.count == workload.layers.count, "one output channel count per layer")
        return ParallelMap.map(count: workload.layers.count, threads: threads) { i in
            let layer = workload.layers[i]
            let rows = layer.weightRows(inChannels: workload.inChannels(of: i, outChannels: outChannels))
            return FunctionalLayer(
                name: layer.name,
                weights: SyntheticData.weights(outputs: outChannels[i], rows: rows, distribution: distribution, seed: seed,
                                               stream: SyntheticData.stream(layer: i, tensor: .weights)),
                activations: SyntheticData.activations(rows: rows, count: samples, seed: seed,
                                                       stream: SyntheticData.stream(layer: i, tensor: .activations)),
                calibration: calibrationSamples > 0
                    ? SyntheticData.activations(rows: rows, count: calibrationSamples, seed: seed,
                                                stream: SyntheticData.stream(layer: i, tensor: .calibration)) : nil)
        }
    }
}

/// What to measure: every (input bits, ADC bits) pair for every bits per cell.
public struct NSRTableOptions: Sendable, Hashable {
    public var inputBits: [Int]
    public var adcBits: [Int]
    public var bitsPerCell: [Int]
    public var range: ADCRange
    /// Activation vectors per parallel task (a fixed split, so results do not depend on threads).
    public var samplesPerTask: Int

    public init(inputBits: [Int], adcBits: [Int], bitsPerCell: [Int], range: ADCRange = .fullScale, samplesPerTask: Int = 16) {
        precondition(!inputBits.isEmpty && !adcBits.isEmpty && !bitsPerCell.isEmpty && samplesPerTask > 0)
        self.inputBits = Array(Set(inputBits)).sorted()
        self.adcBits = Array(Set(adcBits)).sorted()
        self.bitsPerCell = Array(Set(bitsPerCell)).sorted()
        self.range = range
        self.samplesPerTask = samplesPerTask
    }

    /// Every (input bits, ADC bits) pair, input bits major.
    public var precisionOptions: [PrecisionOption] {
        inputBits.flatMap { i in adcBits.map { PrecisionOption(inputBits: i, adcBits: $0) } }
    }
}

public enum NSRTables {
    /// NSR tables of `layers` (in order) on crossbars of `geometry` (its bits per cell is
    /// replaced by each of `options.bitsPerCell`). Work is split into fixed tasks (layer, bits
    /// per cell, block of `samplesPerTask` vectors) run on `threads` threads; partial sums are
    /// added in task order, so the tables are the same for every thread count.
    public static func build(layers: [FunctionalLayer], geometry: CrossbarGeometry, weightBits: Int, activationBits: Int,
                             options: NSRTableOptions, threads: Int) -> [NSRTable] {
        precondition(options.inputBits.allSatisfy { (1...activationBits).contains($0) }, "input bits must be in 1...activation bits")
        let cells = options.bitsPerCell
        let geometries = cells.map { c -> CrossbarGeometry in var g = geometry; g.bitsPerCell = c; return g }

        // Stage 1, per layer: quantise and pack.
        struct Prepared: Sendable {
            var inputs: PackedInputs
            var calibration: PackedInputs
            var weights: [PackedWeights]
            var reference: [Double]
        }
        let prepared: [Prepared] = ParallelMap.map(count: layers.count, threads: threads,
                                                 cost: layers.map { Double($0.weights.values.count) }) { l in
            let layer = layers[l]
            let rows = RowLayout(rows: layer.weights.rows, geometry: geometry)
            // One activation scale per layer, set on the calibration samples when there are any.
            let scale = QuantisedActivations.scale(of: layer.calibration ?? layer.activations, bits: activationBits)
            let inputs = PackedInputs(QuantisedActivations(layer.activations, bits: activationBits, scale: scale), layout: rows)
            let calibration = layer.calibration.map {
                PackedInputs(QuantisedActivations($0, bits: activationBits, scale: scale), layout: rows)
            }
            let q = QuantisedWeights(layer.weights, bits: weightBits)
            return Prepared(inputs: inputs, calibration: calibration ?? inputs,
                            weights: geometries.map { PackedWeights(q, geometry: $0) },
                            reference: FloatReference.products(layer.weights, layer.activations, scale: q.scale * scale))
        }

        // Tasks: (layer, cell option, sample block).
        struct Task: Sendable { var layer: Int, cell: Int, samples: Range<Int> }
        func tasks(_ count: (Int) -> Int) -> [Task] {
            var out: [Task] = []
            for l in layers.indices {
                for c in cells.indices {
                    for start in stride(from: 0, to: count(l), by: options.samplesPerTask) {
                        out.append(Task(layer: l, cell: c, samples: start..<min(count(l), start + options.samplesPerTask)))
                    }
                }
            }
            return out
        }
        func cost(_ t: Task) -> Double {
            let w = prepared[t.layer].weights[t.cell]
            return Double(t.samples.count * w.units * w.layout.groups * w.layout.wordsPerGroup * w.geometry.bitsPerCell + t.samples.count * w.outputs)
        }

        // Stage 2 (calibrated range only): integer histograms, added in any order.
        let precision = options.precisionOptions
        var tops: [[[PrecisionOption: Int]?]] = Array(repeating: Array(repeating: nil, count: cells.count), count: layers.count)
        if case let .calibrated(percentile) = options.range {
            let histogramTasks = tasks { prepared[$0].calibration.count }
            let histograms = ParallelMap.map(count: histogramTasks.count, threads: threads, cost: histogramTasks.map(cost)) { i in
                let t = histogramTasks[i]
                return FunctionalSimulator.histogram(prepared[t.layer].weights[t.cell], prepared[t.layer].calibration, samples: t.samples)
            }
            var merged: [[[Int]]] = layers.indices.map { l in
                prepared[l].weights.indices.map { c in
                    [Int](repeating: 0, count: prepared[l].weights[c].slices * activationBits * (geometries[c].fullScaleSum + 1))
                }
            }
            for (t, h) in zip(histogramTasks, histograms) {
                for i in h.indices { merged[t.layer][t.cell][i] += h[i] }
            }
            for l in layers.indices {
                for c in cells.indices {
                    tops[l][c] = FunctionalSimulator.calibratedTops(histogram: merged[l][c], slices: prepared[l].weights[c].slices,
                                                                    bitsPerCell: geometries[c].bitsPerCell, planes: activationBits,
                                                                    range: geometries[c].fullScaleSum, options: precision,
                                                                    percentile: percentile)
                }
            }
        }

        // Stage 3: the simulation.
        let plans: [[QuantiserPlan]] = layers.indices.map { l in
            cells.indices.map { c in
                QuantiserPlan(options: precision.map { ($0.inputBits, $0.adcBits) }, activationBits: activationBits,
                              range: geometries[c].fullScaleSum, tops: tops[l][c])
            }
        }
        let runTasks = tasks { prepared[$0].inputs.count }
        let partials = ParallelMap.map(count: runTasks.count, threads: threads, cost: runTasks.map(cost)) { i in
            let t = runTasks[i]
            let kernel = FunctionalKernel(weights: prepared[t.layer].weights[t.cell], inputs: prepared[t.layer].inputs,
                                          plan: plans[t.layer][t.cell], reference: prepared[t.layer].reference)
            return kernel.run(samples: t.samples, record: false).stats
        }
        var sums: [[[NSRAccumulator]]] = layers.indices.map { _ in
            cells.map { _ in Array(repeating: NSRAccumulator(), count: precision.count) }
        }
        for (t, stats) in zip(runTasks, partials) {
            for k in stats.indices { sums[t.layer][t.cell][k].add(stats[k]) }
        }
        return layers.indices.map { l in
            var entries: [NSRKey: NSRAccumulator] = [:]
            for (c, bits) in cells.enumerated() {
                for (k, p) in precision.enumerated() {
                    entries[NSRKey(inputBits: p.inputBits, adcBits: p.adcBits, bitsPerCell: bits)] = sums[l][c][k]
                }
            }
            return NSRTable(layer: layers[l].name, range: options.range, samples: layers[l].activations.count, entries: entries)
        }
    }

    /// `build` on the hardware's crossbar geometry.
    public static func build(layers: [FunctionalLayer], hardware: HardwareSpec, weightBits: Int, activationBits: Int,
                             options: NSRTableOptions, threads: Int) -> [NSRTable] {
        build(layers: layers, geometry: CrossbarGeometry(hardware: hardware), weightBits: weightBits,
              activationBits: activationBits, options: options, threads: threads)
    }
}
