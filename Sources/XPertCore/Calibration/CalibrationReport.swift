import Foundation

/// What `xpert calibrate` prints and records: the fitted terms, per-design (or per-probe)
/// measured and estimated accuracies, and the fit's errors.
public struct CalibrationReport: Sendable {
    /// The `calibration` member written into the fitted space.
    public let record: [(key: String, value: JSONValue)]
    public let json: JSONValue
    public let table: String

    static func f(_ x: Double) -> String { EvaluationTable.fmt(x) }

    public init(measured fit: ProxyCalibration, workload: Workload, source: String) {
        record = [("method", .string("measured")), ("source", .string(URL(fileURLWithPath: source).lastPathComponent)),
                  ("designs", .number(Double(fit.ids.count))),
                  ("prior_rmse_pct", CalibratedSpace.rounded(fit.priorRMSEPct)),
                  ("rmse_pct", CalibratedSpace.rounded(fit.fittedRMSEPct)),
                  ("leave_one_out_rmse_pct", CalibratedSpace.rounded(fit.leaveOneOutRMSEPct))]
        let sensitivity = workload.layers.indices.map { (workload.layers[$0].name, JSONValue.number(fit.fitted.sensitivity.pctPerNSR[$0])) }
        json = .object(record + [
            ("width_coefficient_pct", .number(fit.fitted.widthCoefficientPct)),
            ("width_exponent", .number(fit.fitted.widthExponent)),
            ("sensitivity", .object(sensitivity)),
            ("designs_detail", .array(fit.ids.indices.map { i in
                .object([("design_id", .string(fit.ids[i])), ("measured_pct", .number(fit.measuredPct[i])),
                         ("prior_pct", .number(fit.priorPct[i])), ("fitted_pct", .number(fit.fittedPct[i])),
                         ("residual_pct", .number(fit.fittedPct[i] - fit.measuredPct[i])),
                         ("leave_one_out_pct", .number(fit.leaveOneOutPct[i]))])
            })),
        ])
        var rows = [["design", "measured_pct", "prior_pct", "fitted_pct", "residual_pct", "leave_one_out_pct"]]
        for i in fit.ids.indices {
            rows.append([fit.ids[i], Self.f(fit.measuredPct[i]), Self.f(fit.priorPct[i]), Self.f(fit.fittedPct[i]),
                         Self.f(fit.fittedPct[i] - fit.measuredPct[i]), Self.f(fit.leaveOneOutPct[i])])
        }
        var layerRows = [["layer", "sensitivity_pct_per_nsr"]]
        for (l, layer) in workload.layers.enumerated() { layerRows.append([layer.name, Self.f(fit.fitted.sensitivity.pctPerNSR[l])]) }
        table = EvaluationTable.align(rows, numericFrom: 1)
            + "\nrmse: prior \(Self.f(fit.priorRMSEPct)) points, fitted \(Self.f(fit.fittedRMSEPct)), leave-one-out \(Self.f(fit.leaveOneOutRMSEPct)) "
            + "(\(fit.ids.count) designs)\nwidth law: \(Self.f(fit.fitted.widthCoefficientPct)) points per octave, exponent "
            + "\(Self.f(fit.fitted.widthExponent))\n" + EvaluationTable.align(layerRows, numericFrom: 1)
    }

    public init(probe fit: ProbeCalibration, workload: Workload) {
        record = [("method", .string("probe")), ("levels_nsr", .array(ProbeCalibration.levels.map { .number($0) })),
                  ("noise_free_accuracy_pct", CalibratedSpace.rounded(fit.referencePct)),
                  ("rmse_pct", CalibratedSpace.rounded(fit.rmsePct))]
        json = .object(record + [
            ("sensitivity", .object(workload.layers.indices.map { (workload.layers[$0].name, .number(fit.sensitivity[$0])) })),
            ("drop_curve", .object([("knees_pct", .array(fit.curve.kneesPct.map { .number($0) })),
                                    ("slopes", .array(fit.curve.slopes.map { .number($0) }))])),
            ("drops_pct", .object(workload.layers.indices.map { (workload.layers[$0].name, .array(fit.dropsPct[$0].map { .number($0) })) })),
        ])
        var rows = [["layer", "sensitivity_pct_per_nsr"] + ProbeCalibration.levels.map { "drop@\(JSONValue.format(number: $0))" }]
        for (l, layer) in workload.layers.enumerated() {
            rows.append([layer.name, Self.f(fit.sensitivity[l])]
                        + fit.dropsPct[l].indices.map { "\(Self.f(fit.dropsPct[l][$0]))/\(Self.f(fit.fittedDropPct(layer: l, level: $0)))" })
        }
        table = "noise-free accuracy \(Self.f(fit.referencePct))%; drops measured/fitted, points\n" + EvaluationTable.align(rows, numericFrom: 1)
            + "\ndrop curve: knees \(fit.curve.kneesPct.map(Self.f)) points, slopes \(fit.curve.slopes.map(Self.f)); rmse \(Self.f(fit.rmsePct)) points\n"
    }
}
