import Foundation
import PropertyBased
import Testing
@testable import XPertCore

@Suite("Functional simulator")
struct FunctionalSimulatorTests {
    static let schemes: [SignScheme] = [.differential, .offset]

    @Test("with enough ADC bits the simulated product equals the exact integer product, bit for bit")
    func exactAtFullPrecision() async {
        await propertyCheck(count: 120, input: Gen.int(in: 0...1_000_000), Gen.int(in: 1...4), Gen.int(in: 0...1)) { seed, c, scheme in
            let layer = RandomFunctionalLayer(seed: UInt64(seed), bitsPerCell: c, signScheme: Self.schemes[scheme])
            let simulator = FunctionalSimulator(weights: layer.weights, geometry: layer.geometry)
            let a = layer.activations
            let expected = FunctionalOracle.exactProduct(layer.weights, a, inputBits: a.bits)
            for extra in [0, 2] {
                for range in [ADCRange.fullScale, .calibrated(percentile: 50)] {
                    let out = simulator.simulate(a, option: PrecisionOption(inputBits: a.bits, adcBits: layer.exactADCBits + extra), range: range)
                    #expect(out.exact == expected)
                    #expect(out.exactActivation == expected)
                    #expect(out.values == expected.map(Double.init))
                    #expect(out.values.map { Int64(exactly: $0) } == expected.map { Optional($0) })
                    #expect(out.nsr == 0 && out.nsrVsActivationBits == 0)
                }
            }
            // Fewer input bits: still exact against the truncated input.
            let inputBits = 1 + seed % a.bits
            let truncated = FunctionalOracle.exactProduct(layer.weights, a, inputBits: inputBits)
            let out = simulator.simulate(a, option: PrecisionOption(inputBits: inputBits, adcBits: layer.exactADCBits))
            #expect(out.exact == truncated)
            #expect(out.values == truncated.map(Double.init))
            #expect(out.exactActivation == expected)
            #expect(out.nsr == 0)
        }
    }

    @Test("with a quantising ADC the simulator matches the straight-loop oracle")
    func matchesOracleWhenQuantising() async {
        await propertyCheck(count: 80, input: Gen.int(in: 0...1_000_000), Gen.int(in: 1...3), Gen.int(in: 0...1)) { seed, c, scheme in
            let layer = RandomFunctionalLayer(seed: UInt64(seed), bitsPerCell: c, signScheme: Self.schemes[scheme])
            let simulator = FunctionalSimulator(weights: layer.weights, geometry: layer.geometry)
            let a = layer.activations
            let adcBits = 1 + seed % max(1, layer.exactADCBits - 1)
            let inputBits = 1 + (seed / 7) % a.bits
            for percentile in [nil, 50.0, 99.0] {
                let out = simulator.simulate(a, option: PrecisionOption(inputBits: inputBits, adcBits: adcBits),
                                             range: percentile.map { .calibrated(percentile: $0) } ?? .fullScale)
                let oracle = FunctionalOracle.simulate(layer.weights, a, layer.geometry, inputBits: inputBits, adcBits: adcBits,
                                                       percentile: percentile)
                #expect(out.values.count == oracle.count)
                for (x, y) in zip(out.values, oracle) {
                    #expect(abs(x - y) <= 1e-9 * (1 + abs(y)), "p\(String(describing: percentile)) simulated \(x), oracle \(y)")
                }
                // The reported NSR is the NSR of the reported outputs.
                let e = zip(out.values, out.exact).reduce(0.0) { $0 + ($1.0 - Double($1.1)) * ($1.0 - Double($1.1)) }
                let s = out.exact.reduce(0.0) { $0 + Double($1) * Double($1) }
                let ratio = NSRAccumulator.ratio(e, s)
                #expect(out.nsr == ratio || abs(out.nsr - ratio) <= 1e-9 * max(1, ratio))
            }
        }
    }

    /// Two rows, one output, 3-bit weights (3, -2), 2-bit activations (1, 3): the exact
    /// product is 3*1 - 2*3 = -3. With one 1-bit cell per slice, both rows read at once
    /// (full scale 2) and a 1-bit ADC (step 2 / 2^1 = 1: sum 0 -> 0, 1 -> 1, 2 -> 1, clipped):
    /// differential: no sum reaches 2, so the output is exact, -3.
    /// Offset: 3+4 = 0b111 and -2+4 = 0b010; sums per (slice, plane 0/1) are (1,0), (2,1), (1,0)
    /// -> 1 + 2*(1 + 2*1) + 4*1 = 11, minus 4*(1+3) = 16: -5.
    @Test("a hand-checked tiny example")
    func tinyExample() {
        let w = QuantisedWeights(WeightMatrix(outputs: 1, rows: 2, values: [1.0, -0.6]), bits: 3)
        #expect(w.values == [3, -2])
        #expect(abs(w.scale - 1.0 / 3) < 1e-12)
        let a = QuantisedActivations(rows: 2, count: 1, bits: 2, values: [1, 3])
        for (scheme, coarse) in [(SignScheme.differential, -3.0), (.offset, -5.0)] {
            let g = CrossbarGeometry(crossbarRows: 2, parallelRows: 2, bitsPerCell: 1, signScheme: scheme)
            let simulator = FunctionalSimulator(weights: w, geometry: g)
            let exact = simulator.simulate(a, option: PrecisionOption(inputBits: 2, adcBits: 2))
            #expect(exact.values == [-3] && exact.exact == [-3] && exact.nsr == 0)
            let rough = simulator.simulate(a, option: PrecisionOption(inputBits: 2, adcBits: 1))
            #expect(rough.values == [coarse])
            #expect(rough.nsr == (coarse + 3) * (coarse + 3) / 9)
            #expect(FunctionalOracle.simulate(w, a, g, inputBits: 2, adcBits: 1) == [coarse])
            // One input bit: x = a >> 1 = (0, 1), W.x = -2; against the 2-bit input, 2 * -2 vs -3.
            let short = simulator.simulate(a, option: PrecisionOption(inputBits: 1, adcBits: 2))
            #expect(short.values == [-2] && short.exact == [-2] && short.exactActivation == [-3])
            #expect(short.nsr == 0 && short.nsrVsActivationBits == 1.0 / 9)
        }
        // Two row groups of one row each: full scale 1, so a 1-bit ADC is exact.
        let g = CrossbarGeometry(crossbarRows: 2, parallelRows: 1, bitsPerCell: 1, signScheme: .differential)
        #expect(FunctionalSimulator(weights: w, geometry: g).simulate(a, option: PrecisionOption(inputBits: 2, adcBits: 1)).values == [-3])
    }

    @Test("the ADC rounds to the nearest level, clips at the top and is exact with enough levels")
    func adcQuantiser() {
        // Full scale: a step of range / 2^b.
        let q = ADCQuantiser(bits: 2, range: 10, top: nil)
        #expect((0...10).map(q.level) == [0, 0, 1, 1, 2, 2, 2, 3, 3, 3, 3])
        #expect(q.step == 2.5)
        #expect(ADCQuantiser(bits: 4, range: 15, top: nil).isIdentity)
        #expect(ADCQuantiser(bits: 4, range: 15, top: 3).isIdentity)
        // 128 rows of 1-bit cells, 7 bits: a step of one sum, only the sum 128 misread.
        let seven = ADCQuantiser(bits: 7, range: 128, top: nil)
        #expect(seven.step == 1 && (0...127).allSatisfy { seven.level($0) == $0 } && seven.level(128) == 127)
        // Calibrated: the top is never below 2^b - 1, never above the range.
        #expect(ADCQuantiser(bits: 2, range: 100, top: 1) == ADCQuantiser(numerator: 1, denominator: 1, levels: 3))
        #expect(ADCQuantiser(bits: 2, range: 100, top: 30) == ADCQuantiser(numerator: 10, denominator: 1, levels: 3))
        #expect(ADCQuantiser(bits: 2, range: 100, top: 300) == ADCQuantiser(numerator: 100, denominator: 3, levels: 3))
        #expect(ADCQuantiser(numerator: 3, denominator: 3, levels: 3).level(7) == 3)
        #expect(QuantiserPlan.clip(histogram: [5, 3, 2, 0], percentile: 50) == 0)
        #expect(QuantiserPlan.clip(histogram: [5, 3, 2, 0], percentile: 80) == 1)
        #expect(QuantiserPlan.clip(histogram: [5, 3, 2, 0], percentile: 100) == 2)
        // The top with the least squared error within the clip: ten sums of 3 and one level
        // read exactly at top 3 (top 1 reads 1, top 2 reads 2).
        #expect(ADCQuantiser.bestTop(histogram: [0, 0, 0, 10], levels: 1, clip: 3) == 3)
        #expect(ADCQuantiser.bestTop(histogram: [0, 0, 0, 10], levels: 1, clip: 2) == 2)
        // Sums 0...15 and a rare 16 under 15 levels: the step-one ADC beats a step of 16/15.
        #expect(ADCQuantiser.bestTop(histogram: Array(repeating: 100, count: 16) + [1], levels: 15, clip: 16) == 15)
    }

    @Test("a calibrated ADC has no cliff: its NSR falls (weakly) as the clip percentile rises", arguments: [3, 4])
    func calibratedRangeHasNoCliff(adcBits: Int) {
        let g = CrossbarGeometry(crossbarRows: 128, parallelRows: 128, bitsPerCell: 1, signScheme: .differential)
        let w = QuantisedWeights(SyntheticData.weights(outputs: 32, rows: 256, distribution: .normal, seed: 5), bits: 8)
        let a = QuantisedActivations(SyntheticData.activations(rows: 256, count: 64, seed: 5), bits: 8)
        let simulator = FunctionalSimulator(weights: w, geometry: g)
        let percentiles = [90.0, 95, 98, 99, 99.5, 99.8, 99.9, 99.95, 99.99, 100]
        let nsr = percentiles.map {
            simulator.simulate(a, option: PrecisionOption(inputBits: 8, adcBits: adcBits), range: .calibrated(percentile: $0)).nsr
        }
        for k in 1..<nsr.count {
            #expect(nsr[k] <= nsr[k - 1] * 1.05, "p\(percentiles[k]): \(nsr[k]) after \(nsr[k - 1]) at p\(percentiles[k - 1])")
        }
        // Never worse than the step-one ADC that clips at 2^b - 1 (the lowest top offered).
        let stepOne = simulator.simulate(a, option: PrecisionOption(inputBits: 8, adcBits: adcBits), range: .calibrated(percentile: 0.001)).nsr
        #expect(nsr.last! <= stepOne * 1.05)
    }

    @Test("the float reference counts weight quantisation; the integer reference does not")
    func floatReferenceCountsQuantisation() {
        let g = CrossbarGeometry(crossbarRows: 128, parallelRows: 128, bitsPerCell: 1, signScheme: .differential)
        let floats = SyntheticData.weights(outputs: 16, rows: 200, distribution: .normal, seed: 9)
        let acts = SyntheticData.activations(rows: 200, count: 32, seed: 9)
        let a = QuantisedActivations(acts, bits: 8)
        for bits in [3, 8] {
            let w = QuantisedWeights(floats, bits: bits)
            let reference = FloatReference.products(floats, acts, scale: w.scale * a.scale)
            let out = FunctionalSimulator(weights: w, geometry: g)
                .simulate(a, option: PrecisionOption(inputBits: 8, adcBits: 8), reference: reference)
            #expect(out.nsrVsActivationBits == 0)
            // The measured NSR is the NSR of the outputs against the float products.
            var (e, s) = (0.0, 0.0)
            for (y, r) in zip(out.values, reference) { e += (y - r) * (y - r); s += r * r }
            #expect(abs(out.nsrVsFloat - e / s) <= 1e-9 * e / s)
            // Uniform rounding of weights with step `scale`: about scale^2/12 per weight against var(w).
            let wScale = w.scale, variance = floats.values.reduce(0.0) { $0 + Double($1 * $1) } / Double(floats.values.count)
            let expected = wScale * wScale / 12 / variance
            #expect(out.nsrVsFloat > expected / 3 && out.nsrVsFloat < expected * 3, "\(bits) bits: \(out.nsrVsFloat) vs \(expected)")
            #expect(out.measurement.vsFloat.standardError > 0 && out.measurement.vsFloat.standardError < out.nsrVsFloat)
        }
    }

    @Test("NSR falls (weakly) as full-scale ADC bits grow, and is 0 at full precision", arguments: [1, 2], schemes)
    func nsrFallsWithADCBits(c: Int, scheme: SignScheme) {
        let g = CrossbarGeometry(crossbarRows: 128, parallelRows: 64, bitsPerCell: c, signScheme: scheme)
        let w = QuantisedWeights(SyntheticData.weights(outputs: 16, rows: 300, distribution: .normal, seed: 3), bits: 8)
        let a = QuantisedActivations(SyntheticData.activations(rows: 300, count: 24, seed: 3), bits: 8)
        let simulator = FunctionalSimulator(weights: w, geometry: g)
        let exactBits = Int.bitWidth - g.fullScaleSum.leadingZeroBitCount
        let options = (1...exactBits).map { PrecisionOption(inputBits: 8, adcBits: $0) }
        let nsr = simulator.measure(a, options: options).map(\.nsr)
        // Nested steps (range / 2^b): once the NSR is below 1/2 (a usable layer), more bits never
        // add noise. Coarser, it may: reading every small sum as 0 errs alike on the positive and
        // negative columns, and those errors cancel where a finer ADC's do not.
        for b in 1..<nsr.count where nsr[b - 1] < 0.5 {
            #expect(nsr[b] <= nsr[b - 1], "ADC \(b + 1) bits: \(nsr[b]) > \(nsr[b - 1])")
        }
        #expect(nsr.first! > 0)
        #expect(nsr.last! == 0)
        // Fewer input bits add truncation noise against the 8-bit input, never ADC noise at full precision.
        let short = simulator.measure(a, options: (1...8).map { PrecisionOption(inputBits: $0, adcBits: exactBits) })
        #expect(short.allSatisfy { $0.nsr == 0 })
        for i in 1..<8 { #expect(short[i].nsrVsActivationBits <= short[i - 1].nsrVsActivationBits) }
        #expect(short[7].nsrVsActivationBits == 0 && short[0].nsrVsActivationBits > 0)
    }

    @Test("measuring many options at once equals measuring each alone")
    func optionsAreIndependent() {
        let g = CrossbarGeometry(crossbarRows: 64, parallelRows: 32, bitsPerCell: 2, signScheme: .offset)
        let w = QuantisedWeights(SyntheticData.weights(outputs: 8, rows: 150, distribution: .laplace, seed: 9), bits: 6)
        let a = QuantisedActivations(SyntheticData.activations(rows: 150, count: 10, seed: 9), bits: 6)
        let simulator = FunctionalSimulator(weights: w, geometry: g)
        let options = (2...6).flatMap { i in (1...8).map { PrecisionOption(inputBits: i, adcBits: $0) } }
        for range in [ADCRange.fullScale, .calibrated(percentile: 99.5)] {
            let together = simulator.measure(a, options: options, range: range)
            for (k, option) in options.enumerated() {
                #expect(together[k] == simulator.measure(a, options: [option], range: range)[0], "\(option) \(range)")
            }
        }
    }
}
