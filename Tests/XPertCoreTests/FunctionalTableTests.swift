import Foundation
import Testing
@testable import XPertCore

@Suite("Functional NSR tables and synthetic data")
struct FunctionalTableTests {
    static let space = try! Fixtures.smallSpace()

    static func layers(samples: Int = 20, calibration: Int = 0) -> [FunctionalLayer] {
        FunctionalLayer.synthetic(workload: space.workload, outChannels: [8, 16, 32, 10], samples: samples,
                                  calibrationSamples: calibration, seed: 11, threads: 2)
    }

    @Test("tables are the same for every thread count", arguments: [ADCRange.fullScale, .calibrated(percentile: 99)])
    func threadIndependent(range: ADCRange) {
        let layers = Self.layers(calibration: 12)
        let options = NSRTableOptions(inputBits: [3, 8, 5], adcBits: [2, 4, 6], bitsPerCell: [2, 1], range: range, samplesPerTask: 3)
        let one = NSRTables.build(layers: layers, hardware: Self.space.hardware, weightBits: 8, activationBits: 8, options: options, threads: 1)
        for threads in [2, 3] {
            #expect(NSRTables.build(layers: layers, hardware: Self.space.hardware, weightBits: 8, activationBits: 8,
                                    options: options, threads: threads) == one)
        }
        #expect(one.map(\.layer) == ["c1", "c2", "c3", "fc"])
        #expect(one.allSatisfy { $0.entries.count == 18 && $0.samples == 20 })
        #expect(one[0].keys.first == NSRKey(inputBits: 3, adcBits: 2, bitsPerCell: 1))
    }

    @Test("a table entry is the simulator's measurement of that option (calibration samples set the scale and clip)")
    func tableMatchesSimulator() {
        let layers = Self.layers(calibration: 9)
        let hardware = Self.space.hardware
        for range in [ADCRange.fullScale, .calibrated(percentile: 95)] {
            let options = NSRTableOptions(inputBits: [4, 8], adcBits: [3, 5], bitsPerCell: [1, 2], range: range, samplesPerTask: 7)
            let tables = NSRTables.build(layers: layers, hardware: hardware, weightBits: 6, activationBits: 8, options: options, threads: 2)
            for (layer, table) in zip(layers, tables) {
                for c in [1, 2] {
                    let simulator = FunctionalSimulator(weights: QuantisedWeights(layer.weights, bits: 6),
                                                        geometry: CrossbarGeometry(hardware: hardware, bitsPerCell: c))
                    let precision = options.precisionOptions
                    let scale = QuantisedActivations.scale(of: layer.calibration!, bits: 8)
                    let direct = simulator.measure(QuantisedActivations(layer.activations, bits: 8, scale: scale), options: precision,
                                                   range: range, calibration: QuantisedActivations(layer.calibration!, bits: 8, scale: scale))
                    for (p, d) in zip(precision, direct) {
                        let t = table[inputBits: p.inputBits, adcBits: p.adcBits, bitsPerCell: c]!
                        #expect(t.outputs == d.outputs)
                        #expect(abs(t.nsr - d.nsr) <= 1e-12 * max(1, d.nsr), "\(layer.name) \(p) c\(c) \(range)")
                        #expect(abs(t.nsrVsActivationBits - d.nsrVsActivationBits) <= 1e-12 * max(1, d.nsrVsActivationBits))
                    }
                }
            }
        }
    }

    @Test("full precision gives NSR 0; fewer bits give more noise; a calibrated ADC beats full scale at low bits")
    func tableTrends() {
        let layers = Self.layers(samples: 32)
        let options = NSRTableOptions(inputBits: [4, 8], adcBits: [3, 4, 5, 8], bitsPerCell: [1])
        let full = NSRTables.build(layers: layers, hardware: Self.space.hardware, weightBits: 8, activationBits: 8, options: options, threads: 2)
        var calibratedOptions = options
        calibratedOptions.range = .calibrated(percentile: 99.9)
        let calibrated = NSRTables.build(layers: layers, hardware: Self.space.hardware, weightBits: 8, activationBits: 8,
                                         options: calibratedOptions, threads: 2)
        // 64 rows read at once: 7 ADC bits resolve every sum.
        #expect(Self.space.hardware.parallelRows == 64)
        for (f, c) in zip(full, calibrated) {
            #expect(f.nsr(inputBits: 8, adcBits: 8, bitsPerCell: 1) == 0 && c.nsr(inputBits: 8, adcBits: 8, bitsPerCell: 1) == 0)
            #expect(f[inputBits: 8, adcBits: 8, bitsPerCell: 1]!.nsrVsActivationBits == 0)
            #expect(f[inputBits: 4, adcBits: 8, bitsPerCell: 1]!.nsrVsActivationBits > 0)
            for i in [4, 8] {
                let n = [3, 4, 5, 8].map { f.nsr(inputBits: i, adcBits: $0, bitsPerCell: 1)! }
                #expect(n == n.sorted(by: >), "\(f.layer) I\(i): \(n)")
                #expect(c.nsr(inputBits: i, adcBits: 3, bitsPerCell: 1)! < n[0], "\(c.layer)")
            }
        }
        #expect(full[0].description.contains("I4/ADC3/c1"))
    }

    @Test("synthetic data: seeded, per-stream, He-scaled, rectified")
    func syntheticData() {
        let a = SyntheticData.weights(outputs: 64, rows: 512, distribution: .normal, seed: 4)
        #expect(a == SyntheticData.weights(outputs: 64, rows: 512, distribution: .normal, seed: 4))
        #expect(a != SyntheticData.weights(outputs: 64, rows: 512, distribution: .normal, seed: 5))
        #expect(a != SyntheticData.weights(outputs: 64, rows: 512, distribution: .normal, seed: 4, stream: 7))
        func moments(_ xs: [Float]) -> (mean: Double, std: Double, kurtosis: Double) {
            let n = Double(xs.count)
            let mean = xs.reduce(0.0) { $0 + Double($1) } / n
            let v = xs.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / n
            let m4 = xs.reduce(0.0) { $0 + pow(Double($1) - mean, 4) } / n
            return (mean, v.squareRoot(), m4 / (v * v))
        }
        let he = (2.0 / 512).squareRoot()
        let normal = moments(a.values)
        let laplace = moments(SyntheticData.weights(outputs: 64, rows: 512, distribution: .laplace, seed: 4).values)
        #expect(abs(normal.mean) < 0.02 * he && abs(laplace.mean) < 0.02 * he)
        #expect(abs(normal.std / he - 1) < 0.02 && abs(laplace.std / he - 1) < 0.02)
        #expect(abs(normal.kurtosis - 3) < 0.2 && abs(laplace.kurtosis - 6) < 0.6)
        let x = SyntheticData.activations(rows: 100, count: 100, seed: 4)
        let zeros = x.values.filter { $0 == 0 }.count
        #expect(x.values.allSatisfy { $0 >= 0 } && abs(zeros - 5000) < 300)
        // The same generator stream whatever else is generated, and the same whatever the threads.
        let layers = Self.layers(calibration: 5)
        let serial = FunctionalLayer.synthetic(workload: Self.space.workload, outChannels: [8, 16, 32, 10], samples: 20,
                                               calibrationSamples: 5, seed: 11, threads: 1)
        #expect(zip(layers, serial).allSatisfy { $0.weights == $1.weights && $0.activations == $1.activations && $0.calibration == $1.calibration })
        #expect(layers.map(\.weights.rows) == [27, 72, 144, 128])
        #expect(layers[2].weights == SyntheticData.weights(outputs: 32, rows: 144, distribution: .normal, seed: 11,
                                                           stream: SyntheticData.stream(layer: 2, tensor: .weights)))
        // A generator's sequence is fixed by its seed and stream.
        var r1 = SimulationRandom(seed: 42, stream: 3), r2 = SimulationRandom(seed: 42, stream: 3)
        #expect((0..<100).map { _ in r1.next() } == (0..<100).map { _ in r2.next() })
        var r3 = SimulationRandom(seed: 42, stream: 4)
        #expect(r1.next() != r3.next())
    }

    @Test("quantisation conventions: symmetric weights, max-scaled activations, dropped input LSBs")
    func quantisation() {
        let w = QuantisedWeights(WeightMatrix(outputs: 1, rows: 4, values: [0.5, -1, 0.26, 0.25]), bits: 4)
        #expect(w.values == [4, -7, 2, 2] && w.scale == 1.0 / 7)
        #expect(QuantisedWeights(WeightMatrix(outputs: 1, rows: 2, values: [0, 0]), bits: 8).values == [0, 0])
        let a = QuantisedActivations(ActivationSamples(rows: 4, count: 1, values: [0, 1, 3, -2]), bits: 2)
        #expect(a.values == [0, 1, 3, 0] && a.scale == 1)
        let clipped = QuantisedActivations(ActivationSamples(rows: 4, count: 1, values: [1, 2, 3, 300]), bits: 2, clipPercentile: 75)
        #expect(clipped.values == [1, 2, 3, 3])
        // Input bits drop LSBs: with 3 of 8 bits, a = 0b1011_0110 feeds x = 0b101.
        let g = CrossbarGeometry(crossbarRows: 8, parallelRows: 8, bitsPerCell: 1, signScheme: .differential)
        let one = QuantisedWeights(outputs: 1, rows: 1, bits: 2, values: [1])
        let out = FunctionalSimulator(weights: one, geometry: g)
            .simulate(QuantisedActivations(rows: 1, count: 1, bits: 8, values: [0b1011_0110]), option: PrecisionOption(inputBits: 3, adcBits: 4))
        #expect(out.values == [5] && out.exact == [5] && out.exactActivation == [0b1011_0110])
    }

    @Test("geometry follows the cost model's slicing")
    func geometry() {
        for scheme in SignScheme.allCases {
            for c in 1...4 {
                var hardware = Self.space.hardware
                hardware.signScheme = scheme
                hardware.bitsPerCell = c
                let g = CrossbarGeometry(hardware: hardware)
                for wb in 2...9 {
                    let arch = CrossbarArchitecture(hardware: hardware, weightBits: wb, activationBits: 8)
                    #expect(g.slices(weightBits: wb) == arch.slicesPerWeight)
                    #expect(g.columnsPerWeight(weightBits: wb) == arch.columnsPerWeight)
                }
            }
        }
    }

    @Test("the benchmark runs and reports both measurements")
    func benchmarkSmoke() {
        let b = FunctionalBenchmark.run(space: Self.space, samples: 4, threads: 2, minimumSeconds: 0, repetitions: 1,
                                        kernelRows: 64, kernelOutputs: 4)
        #expect(b.tableLayers == 4 && b.tableOptions == 4 && b.macsPerSecond.count == 1 && b.macsPerSecond[0] > 0)
        #expect(b.description.contains("binary MACs/s") && b.description.contains("NSR tables: 4 layers"))
    }
}
