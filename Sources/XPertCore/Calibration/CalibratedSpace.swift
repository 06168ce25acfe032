import Foundation

/// A search space document with its `accuracy` section replaced by a fitted `proxy`: the
/// space's `noise` settings kept, the fitted sensitivities by layer name, width law and drop
/// curve, and a `calibration` record (method, source, fit errors), so later runs say their
/// estimates are calibrated.
public enum CalibratedSpace {
    /// Numbers written with six significant digits: a fit is not more precise than that.
    static func rounded(_ x: Double) -> JSONValue {
        guard x != 0, x.isFinite else { return .number(x) }
        let digits = 6 - Int((log10(abs(x))).rounded(.up))
        let p = pow(10.0, Double(digits))
        return .number((x * p).rounded() / p)
    }

    public static func document(original: JSONValue, workload: Workload, fitted: ProxyEstimator, curve: DropCurve,
                                calibration: [(key: String, value: JSONValue)]) -> JSONValue {
        guard case let .object(members) = original else { return original }
        var oldAccuracy: [(key: String, value: JSONValue)] = []
        if let a = members.first(where: { $0.key == "accuracy" }), case let .object(m) = a.value { oldAccuracy = m }
        let wasProxy = oldAccuracy.contains { $0.key == "estimator" && $0.value == .string("proxy") }
        let kept = ["baseline_channels", "width_weights"]
        var accuracy: [(key: String, value: JSONValue)] = [("estimator", .string("proxy")),
                                                           ("baseline_accuracy_pct", rounded(fitted.baselineAccuracyPct))]
        if wasProxy { accuracy += oldAccuracy.filter { kept.contains($0.key) } }
        accuracy += [
            ("width_coefficient_pct", rounded(fitted.widthCoefficientPct)),
            ("width_exponent", rounded(fitted.widthExponent)),
            ("sensitivity", .object(workload.layers.indices.map { (workload.layers[$0].name, rounded(fitted.sensitivity.pctPerNSR[$0])) })),
        ]
        if !curve.isLinear {
            accuracy.append(("drop_curve", .object([("knees_pct", .array(curve.kneesPct.map(rounded))),
                                                    ("slopes", .array(curve.slopes.map(rounded)))])))
        }
        accuracy += oldAccuracy.filter { $0.key == "noise" }
        accuracy.append(("calibration", .object(calibration)))
        var out = members.map { $0.key == "accuracy" ? (key: "accuracy", value: JSONValue.object(accuracy)) : $0 }
        if !out.contains(where: { $0.key == "accuracy" }) { out.append(("accuracy", .object(accuracy))) }
        return .object(out)
    }
}

/// What `xpert calibrate` runs: the space's prior terms, the measured or probed accuracies, the fit.
public enum Calibration {
    /// The terms a fit starts from: the space's `proxy`, or the default terms (default width
    /// law, the estimator's sensitivities or the default prior) around the model's reference.
    public static func prior(_ model: AccuracyModel) -> ProxyEstimator {
        if case let .proxy(p) = model.estimator { return p }
        return model.guide
    }

    /// Fits the proxy to measured designs (`--measured`).
    public static func measured(space: SearchSpace, designs: MeasuredDesigns, threads: Int,
                                interrupts: Interrupts?) throws -> ProxyCalibration {
        let evaluator = try DesignEvaluator(space: space, threads: threads, interrupts: interrupts, only: designs.designs)
        guard let model = evaluator.accuracy else {
            throw InputError(path: "$.accuracy", "missing: calibration fits the accuracy section's terms (add one, e.g. {\"estimator\": \"proxy\", \"baseline_accuracy_pct\": ...})")
        }
        let nsr = designs.designs.map { model.noise.nsr(of: $0, workload: space.workload) }
        return ProxyCalibration(prior: prior(model), designs: designs, nsr: nsr)
    }

    /// Probes a `command` program (`--probe`): the baseline design with noise of each level in
    /// one layer at a time.
    public static func probe(space: SearchSpace, interrupts: Interrupts?) throws -> ProbeCalibration {
        guard case let .command(command) = space.accuracy?.estimator else {
            throw InputError(path: "$.accuracy.estimator", "expected \"command\" for --probe (a program that measures accuracy with injected noise)")
        }
        let layers = space.workload.layers.count
        let requests = ProbeCalibration.requests(layers: layers)
        let answers = command.evaluate(Array(repeating: space.baseline, count: requests.count), nsr: requests, interrupts: interrupts)
        let values = try answers.enumerated().map { i, answer -> Double in
            switch answer {
            case let .success(v): return v
            case let .failure(f): throw CalibrationFailure(message: "the accuracy command failed on probe \(i): \(f)")
            }
        }
        return ProbeCalibration(layers: layers, answersPct: values)
    }
}

/// The accuracy program failed during a calibration (not bad input: exit status 1).
public struct CalibrationFailure: Error, Sendable, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
