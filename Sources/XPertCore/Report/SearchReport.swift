import Foundation

/// The files of a search's results folder.
public enum SearchReport {
    /// `pareto.csv`: one row per frontier design, objectives and per-layer choices; the
    /// accuracy columns are empty without an accuracy estimator.
    public static func paretoCSV(_ run: SearchRun) -> String {
        var table = CSVTable(header: ["design_id", "energy_uj", "latency_ms", "area_mm2", "accuracy_pct", "accuracy_drop_pct",
                                      "edap", "tops_per_w", "tops_per_mm2", "ops", "out_channels", "adc_type", "adc_bits",
                                      "column_sharing", "input_bits"])
        for (i, e) in run.frontier.enumerated() {
            let t = e.totals
            func perLayer(_ field: (LayerDesign) -> String) -> String { e.design.layers.map(field).joined(separator: "|") }
            table.append([designID(i), t.energyUJ.csvText, t.latencyMS.csvText, t.areaMM2.csvText,
                          e.accuracy?.accuracyPct.csvText ?? "", e.accuracy?.dropPct.csvText ?? "", t.edap.csvText,
                          t.topsPerW.csvText, t.topsPerMM2.csvText, t.ops.csvText,
                          perLayer { "\($0.outChannels)" }, perLayer(\.adcType.rawValue), perLayer { "\($0.adcBits)" },
                          perLayer { "\($0.columnSharing)" }, perLayer { "\($0.inputBits)" }])
        }
        return table.text
    }

    /// `designs.json`: every frontier design, in the form `xpert evaluate --design` reads.
    public static func designsJSON(_ run: SearchRun) -> String {
        let designs: [JSONValue] = run.frontier.enumerated().map { i, e in
            guard case let .object(members) = e.design.json(workload: run.space.workload) else { return .null }
            return .object([("name", .string(designID(i)))] + members)
        }
        return JSONValue.array(designs).serialized() + "\n"
    }

    /// `breakdown.csv`: per design and layer, the mapping, the NSR (empty without an accuracy
    /// estimator) and every component's figures.
    public static func breakdownCSV(_ run: SearchRun) -> String {
        let parts = [("area_um2", \LayerCost.areaUM2), ("energy_pj", \LayerCost.energyPJ), ("latency_ns", \LayerCost.latencyNS)]
        let componentColumns = parts.flatMap { prefix, _ in (ComponentBreakdown.keys + ["total"]).map { "\(prefix)_\($0)" } }
        var table = CSVTable(header: ["design_id", "layer", "out_channels", "adc_type", "adc_bits", "column_sharing", "input_bits",
                                      "nsr", "crossbars", "tiles", "adcs", "adc_conversions", "macs"] + componentColumns)
        let rows = [("baseline", run.baseline)] + run.frontier.enumerated().map { (designID($0), $1) }
        for (id, e) in rows {
            for (l, layer) in run.space.workload.layers.enumerated() {
                let (d, c) = (e.design.layers[l], e.layers[l])
                let figures = parts.flatMap { _, path in (c[keyPath: path].values + [c[keyPath: path].total]).map(\.csvText) }
                table.append([id, layer.name, "\(d.outChannels)", d.adcType.rawValue, "\(d.adcBits)", "\(d.columnSharing)",
                              "\(d.inputBits)", e.accuracy?.nsr[l].csvText ?? "", "\(c.crossbars)", "\(c.tiles)", "\(c.adcs)", "\(c.adcConversions)", "\(c.macs)"] + figures)
            }
        }
        return table.text
    }

    /// `pareto.svg`: the first two objectives on the axes (accuracy on the y axis, in percent,
    /// when it is one), the next objective of the space as colour (none when there are two).
    public static func plotSVG(_ run: SearchRun) -> String {
        var objectives: [Objective] = []
        for o in run.space.objectives where !objectives.contains(o) { objectives.append(o) }
        var axes = objectives.filter { $0 != .accuracy }
        if objectives.contains(.accuracy) { axes.insert(.accuracy, at: min(1, axes.count)) }
        for m in [Objective.latency, .energy, .area] where axes.count < 2 && !axes.contains(m) { axes.append(m) }
        let (x, y) = (axes[0], axes[1])
        let colour = axes.count > 2 ? axes[2] : nil
        func value(_ o: Objective, _ e: DesignEvaluation) -> Double {
            o == .accuracy ? e.accuracy?.accuracyPct ?? 0 : ParetoFront.value(o, e)
        }
        func point(_ e: DesignEvaluation, _ label: String) -> ParetoPlot.Point {
            ParetoPlot.Point(x: value(x, e), y: value(y, e), colour: colour.map { value($0, e) }, label: label)
        }
        let plot = ParetoPlot(
            title: "\(run.space.name): \(run.frontier.count) Pareto designs",
            xLabel: label(x), yLabel: label(y), colourLabel: colour.map(label),
            points: run.frontier.enumerated().map { point($1, designID($0)) },
            baseline: point(run.baseline, "baseline"))
        return plot.svg
    }

    /// `run.json`: what ran, with its counts; the same bytes for the same input, whatever the
    /// thread count (times are in `timings.json`).
    public static func runJSON(_ run: SearchRun, inputSHA256: String, inputPath: String) -> String {
        let milps = run.phase2.flatMap(\.solves)
        var statusCounts: [(String, JSONValue)] = []
        for status in MILPResult.Status.allCases {
            let n = milps.filter { $0.status == status }.count
            if n > 0 { statusCounts.append((status.rawValue, .number(Double(n)))) }
        }
        let costed = run.phase1.optionsCosted + run.phase2.reduce(0) { $0 + $1.optionsCosted }
        let size = SpaceSize(workload: run.space.workload)
        let phase2 = phase2JSON(run, milps: milps, statusCounts: statusCounts)
        let doc: JSONValue = .object([
            ("tool", .string("xpert")),
            ("version", .string(XPertVersion.string)),
            ("input", .string(inputPath)),
            ("input_sha256", .string(inputSHA256)),
            ("seed", .number(Double(run.space.seed))),
            ("space_size", .string(size.description)),
            ("space_size_log10", .number((size.log10Count * 1000).rounded() / 1000)),
            ("objectives", .array(run.space.objectives.map { .string($0.rawValue) })),
            ("layer_options_costed", .number(Double(costed))),
            ("designs_evaluated", .number(Double(run.designsEvaluated))),
            ("phase1", .object([
                ("layer_options_costed", .number(Double(run.phase1.optionsCosted))),
                ("labels_per_layer", .array(run.phase1.labelsPerLayer.map { .number(Double($0)) })),
                ("frontier_size", .number(Double(run.phase1.frontier.count))),
                ("architectures_refined", .number(Double(run.architectures.count))),
            ])),
            ("phase2", phase2),
            ("accuracy", accuracyJSON(run)),
            ("frontier_size", .number(Double(run.frontier.count))),
        ])
        return doc.serialized() + "\n"
    }

    /// The phase-2 part of `run.json`: every MILP of every architecture.
    static func phase2JSON(_ run: SearchRun, milps: [Phase2SolveRecord], statusCounts: [(String, JSONValue)]) -> JSONValue {
        .object([
                ("milps_solved", .number(Double(milps.count))),
                ("milp_status", .object(statusCounts)),
                ("exact", .bool(run.phase2.allSatisfy(\.isExact))),
                ("truncated_sweeps", .number(Double(run.phase2.filter(\.truncated).count))),
                ("architectures", .array(zip(run.architectures, run.phase2).map { arch, result in
                    .object([
                        ("phase1_latency_ms", .number(arch.latencyNS / 1e6)),
                        ("phase1_area_mm2", .number(arch.areaUM2 / 1e6)),
                        ("points", .number(Double(result.points.count))),
                        ("milps", .array(result.solves.map(\.json))),
                    ])
                })),
            ])
    }

    /// The accuracy part of `run.json`: estimator, reference, noise simulation, failures.
    static func accuracyJSON(_ run: SearchRun) -> JSONValue {
        guard let model = run.accuracy else { return .null }
        let noise = model.noise
        let range: String
        switch noise.settings.range {
        case .fullScale: range = "full_scale"
        case let .calibrated(p): range = "calibrated p\(JSONValue.format(number: p))"
        }
        return .object([
            ("estimator", .string(model.estimator.name)),
            ("reference_accuracy_pct", .number(model.referenceAccuracyPct)),
            ("noise", .object([
                ("samples", .number(Double(noise.settings.samples))),
                ("columns", .number(Double(noise.settings.columns))),
                ("adc_range", .string(range)),
                ("weights", .string(noise.settings.distribution.rawValue)),
                ("layer_shapes", .number(Double(noise.tables.reduce(0) { $0 + $1.count }))),
                ("nsr_entries", .number(Double(noise.entryCount))),
            ])),
            ("designs_estimated", .number(Double(run.designsEvaluated))),
            ("estimator_failures", .array(run.accuracyFailures.map { .string($0.failure.description) })),
        ])
    }

    /// `timings.json`: the thread count and the wall time of every stage, in seconds; the one
    /// results file that changes from run to run.
    public static func timingsJSON(_ run: SearchRun) -> String {
        let milps = run.phase2.flatMap(\.solves).map(\.solveTimeMilliseconds)
        let doc: JSONValue = .object([
            ("tool", .string("xpert")),
            ("threads", .number(Double(run.threads))),
            ("noise_tables_s", .number(run.accuracy?.noise.seconds ?? 0)),
            ("phase1_s", .number(run.phase1Seconds)),
            ("phase2_s", .number(run.phase2Seconds)),
            ("milp_total_ms", .number(milps.reduce(0, +))),
            ("milp_max_ms", .number(milps.max() ?? 0)),
            ("accuracy_s", .number(run.accuracySeconds)),
            ("total_s", .number(run.totalSeconds)),
        ])
        return doc.serialized() + "\n"
    }

    static func designID(_ i: Int) -> String { "d\(i + 1)" }

    static func label(_ o: Objective) -> String {
        switch o {
        case .energy: return "energy (µJ per inference)"
        case .latency: return "latency (ms per inference)"
        case .area: return "area (mm²)"
        case .edap: return "EDAP (µJ·ms·mm²)"
        case .accuracy: return "accuracy (%)"
        }
    }
}
