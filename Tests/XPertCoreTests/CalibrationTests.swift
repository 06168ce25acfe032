import Foundation
import PropertyBased
import Testing
@testable import XPertCore

@Suite("Calibration")
struct CalibrationTests {
    /// Least squares over x >= 0 by brute force: every subset of free columns solved
    /// unconstrained, the best feasible one.
    static func bruteForceNNLS(_ a: [[Double]], _ b: [Double]) -> Double {
        let n = a[0].count
        var best = b.reduce(0) { $0 + $1 * $1 }
        for mask in 1..<(1 << n) {
            let set = (0..<n).filter { mask & (1 << $0) != 0 }
            var normal = set.map { j in set.map { jj in zip(a, a).reduce(0.0) { $0 + $1.0[j] * $1.1[jj] } } + [zip(a, b).reduce(0.0) { $0 + $1.0[j] * $1.1 }] }
            for p in set.indices { normal[p][p] += 1e-12 }
            let z = NonNegativeLeastSquares.gaussian(normal)
            guard z.allSatisfy({ $0 >= -1e-12 }) else { continue }
            var x = [Double](repeating: 0, count: n)
            for (p, j) in set.enumerated() { x[j] = max(0, z[p]) }
            best = min(best, zip(a, b).reduce(0.0) { s, row in s + pow(zip(row.0, x).reduce(0) { $0 + $1.0 * $1.1 } - row.1, 2) })
        }
        return best
    }

    @Test("non-negative least squares reaches the brute force's optimum")
    func nnlsMatchesBruteForce() async {
        await propertyCheck(count: 60, input: Gen.int(in: 0...1_000_000)) { seed in
            var rng = SplitMix64(seed: UInt64(seed))
            func u() -> Double { Double(rng.next() % 2001) / 1000 - 1 }
            let (m, n) = (3 + Int(rng.next() % 6), 1 + Int(rng.next() % 4))
            let a = (0..<m).map { _ in (0..<n).map { _ in u() } }, b = (0..<m).map { _ in 2 * u() }
            let x = NonNegativeLeastSquares.solve(a, b)
            #expect(x.allSatisfy { $0 >= 0 })
            let sse = zip(a, b).reduce(0.0) { s, row in s + pow(zip(row.0, x).reduce(0) { $0 + $1.0 * $1.1 } - row.1, 2) }
            let best = Self.bruteForceNNLS(a, b)
            #expect(abs(sse - best) <= 1e-7 * max(1, best), "seed \(seed): \(sse) vs \(best)")
        }
    }

    static let workload: Workload = {
        let text = """
        {"name": "w", "workload": {"input": {"height": 1, "width": 1, "channels": 32}, "weight_bits": 8, "activation_bits": 8,
          "layers": [{"name": "a", "type": "linear", "out_channels": {"choices": [8, 16, 32]}},
                     {"name": "b", "type": "linear", "out_channels": {"choices": [8, 16, 32]}},
                     {"name": "c", "type": "linear", "out_channels": 10}]},
         "hardware": {"technology_nm": 32, "cell": "rram-1t1r", "crossbar": {"rows": 64, "cols": 64}},
         "choices": {"adc_type": ["sar"], "adc_bits": [4, 6], "column_sharing": [4], "input_bits": [4, 8]}}
        """
        return try! SearchSpace.read(JSONNode(JSONValue.parse(Data(text.utf8)))).workload
    }()

    @Test("the fit recovers known sensitivities and width law from synthetic measurements, and leaving one out predicts it")
    func recoversKnownTerms() {
        let w = Self.workload
        let truth = ProxyEstimator(baselineAccuracyPct: 93, baselineChannels: [32, 32, 10], widthCoefficientPct: 3, widthExponent: 1.6,
                                   widthWeights: ProxyEstimator.defaultWidthWeights(workload: w),
                                   sensitivity: NoiseSensitivity(pctPerNSR: [12, 45, 80]))
        let prior = ProxyEstimator(baselineAccuracyPct: 93, baselineChannels: [32, 32, 10],
                                   widthWeights: ProxyEstimator.defaultWidthWeights(workload: w),
                                   sensitivity: NoiseSensitivity(pctPerNSR: [20, 20, 20]))
        var rng = SplitMix64(seed: 4)
        var designs = MeasuredDesigns(designs: [], accuracyPct: [], ids: [])
        var nsr: [[Double]] = []
        let options = LayerOptionSpace.of(w)
        for i in 0..<24 {
            let design = Design(layers: options.map { $0.design(Int(rng.next() % UInt64($0.count))) })
            let n = (0..<3).map { _ in Double(rng.next() % 1000) / 20000 }
            designs.designs.append(design)
            designs.accuracyPct.append(truth.estimate(outChannels: design.outChannels, nsr: n).accuracyPct)
            designs.ids.append("d\(i)")
            nsr.append(n)
        }
        let fit = ProxyCalibration(prior: prior, designs: designs, nsr: nsr)
        for (s, t) in zip(fit.fitted.sensitivity.pctPerNSR, truth.sensitivity.pctPerNSR) { #expect(abs(s - t) < 0.01 * t, "\(s) vs \(t)") }
        #expect(abs(fit.fitted.widthExponent - 1.6) < 1e-9)
        #expect(abs(fit.fitted.widthCoefficientPct - 3) < 0.01)
        #expect(fit.fittedRMSEPct < 0.01 && fit.leaveOneOutRMSEPct < 0.02 && fit.priorRMSEPct > 0.1)
    }

    @Test("probing recovers per-layer sensitivities and a flat-then-linear curve")
    func probeRecoversSensitivities() {
        let truth = [8.0, 30, 90]
        let curve = DropCurve(kneesPct: [0.2], slopes: [0, 1])
        let answers = ProbeCalibration.requests(layers: 3).map { nsr in
            96 - curve.drop(noisePct: zip(truth, nsr).reduce(0) { $0 + $1.0 * $1.1 })
        }
        let fit = ProbeCalibration(layers: 3, answersPct: answers)
        #expect(fit.referencePct == 96)
        #expect(fit.rmsePct < 0.35, "rmse \(fit.rmsePct)")
        // The through-the-origin slope sees the flat start; within a few percent of the truth.
        for (s, t) in zip(fit.sensitivity, truth) { #expect(abs(s - t) < 0.1 * t, "\(s) vs \(t)") }
        #expect(fit.curve.slopes.first! < 0.2)
    }

    @Test("measured designs are read in pareto.csv's layout; a bad row is refused at its row and column")
    func measuredCSV() throws {
        let w = Self.workload
        let good = "design_id,energy_uj,out_channels,adc_type,adc_bits,column_sharing,input_bits,accuracy_pct\n"
            + "d1,1.5,8|16|10,sar|sar|sar,4|6|4,4,8|4|8,91.5\n"
        let m = try MeasuredDesigns.read(text: good, workload: w)
        #expect(m.ids == ["d1"] && m.accuracyPct == [91.5] && m.designs[0].outChannels == [8, 16, 10])
        func error(_ text: String) -> String? {
            do { _ = try MeasuredDesigns.read(text: text, workload: w); return nil } catch let e as InputError { return e.path } catch { return "?" }
        }
        #expect(error(good.replacingOccurrences(of: ",91.5", with: ",191.5")) == "row 2.accuracy_pct")
        #expect(error(good.replacingOccurrences(of: "8|16|10", with: "8|16")) == "row 2.out_channels")
        #expect(error(good.replacingOccurrences(of: "8|16|10", with: "8|12|10"))?.hasPrefix("row 2 layer [1]") == true)
        #expect(error(good.replacingOccurrences(of: ",accuracy_pct", with: ",acc")) == "row 1")
        #expect(error("design_id,out_channels,accuracy_pct\n") == "row 2")
    }
}
