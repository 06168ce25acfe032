import Foundation

/// The files of a search's results folder: designs and their figures (`run.json` and
/// `timings.json` are in `RunReport.swift`).
public enum SearchReport {
    /// Designs `breakdown.csv` details at most besides the baseline: all reported designs up
    /// to this many, else an evenly spread subset of this many (a layer row per design each).
    public static let breakdownLimit = 100

    /// `pareto.csv`: one row per reported design, objectives and per-layer choices (a `|` list
    /// per field; with more than the crossbar offered, a `substrate` list too, and a layer's
    /// entry for another substrate's field empty); the accuracy columns are empty without an
    /// accuracy estimator.
    public static func paretoCSV(_ run: SearchRun) -> String {
        let columns = SubstrateColumns(workload: run.space.workload)
        let substrate = columns.showsSubstrate ? ["substrate"] : []
        // With a time-shared chip (`hardware.chip_crossbars`), the chip stage's figures.
        let chip = run.space.hardware.chipCrossbars == nil ? [] : ["chip_crossbars", "reprogram_policy", "stuck_columns",
                                                                  "stuck_fraction", "writes_per_inference",
                                                                  "max_cell_writes_per_inference", "lifetime_inferences",
                                                                  "write_energy_uj", "write_time_ms", "stuck_drop_pct"]
        var table = CSVTable(header: ["design_id", "energy_uj", "latency_ms", "area_mm2", "accuracy_pct", "accuracy_drop_pct",
                                      "edap", "tops_per_w", "tops_per_mm2", "ops"] + chip + ["out_channels"] + substrate
                                      + columns.fields.map(\.key))
        var text = OptionText(run) { d in
            ["\(d.outChannels)"] + (columns.showsSubstrate ? [d.option.substrate.rawValue] : []) + columns.fieldTexts(d.option)
        }
        let fieldCount = 1 + substrate.count + columns.fields.count
        for (i, e) in run.frontier.enumerated() {
            let t = e.totals
            let fields = text.fields(e.path)
            let perLayer = (0..<fieldCount).map { f in fields.map { $0[f] }.joined(separator: "|") }
            table.append([designID(i), t.energyUJ.csvText, t.latencyMS.csvText, t.areaMM2.csvText,
                          e.accuracy?.accuracyPct.csvText ?? "", e.accuracy?.dropPct.csvText ?? "", t.edap.csvText,
                          t.topsPerW.csvText, t.topsPerMM2.csvText, t.ops.csvText]
                          + (chip.isEmpty ? [] : chipTexts(e.chip)) + perLayer)
        }
        return table.text
    }

    static func chipTexts(_ c: ChipFigures?) -> [String] {
        guard let c else { return Array(repeating: "", count: 10) }
        return ["\(c.chipCrossbars)", c.policy?.rawValue ?? "resident", c.stuckColumns.map(String.init) ?? "",
                c.stuckFraction?.csvText ?? "", c.writesPerInference.csvText, c.maxCellWritesPerInference.csvText,
                c.lifetimeInferences?.csvText ?? "", c.writeEnergyUJ.csvText, c.writeTimeMS.csvText, c.stuckDropPct.csvText]
    }

    /// Per layer and option, the text an output writes for it, made once per option used.
    struct OptionText {
        let run: SearchRun
        let make: (LayerDesign) -> [String]
        var cache: [[Int32: [String]]]

        init(_ run: SearchRun, make: @escaping (LayerDesign) -> [String]) {
            self.run = run
            self.make = make
            cache = Array(repeating: [:], count: run.options.count)
        }

        /// The texts of every layer of a path.
        mutating func fields(_ path: [Int32]) -> [[String]] {
            path.enumerated().map { l, o in
                if let hit = cache[l][o] { return hit }
                let value = make(run.options[l].design(Int(o)))
                cache[l][o] = value
                return value
            }
        }
    }

    /// `designs.json`: every reported design, in the form `xpert evaluate --design` reads; an
    /// array with one compact design per line, so that large frontiers stay small and diffable.
    public static func designsJSON(_ run: SearchRun) -> String {
        guard !run.frontier.isEmpty else { return "[]\n" }
        let layers = run.space.workload.layers
        var text = OptionText(run) { [JSONValue.object($0.members(name: "")).serialized(indent: nil)] }
        var lines: [String] = []
        lines.reserveCapacity(run.frontier.count)
        for (i, e) in run.frontier.enumerated() {
            // Each layer's object is its name, then the cached members of its option.
            let parts = zip(layers, text.fields(e.path)).map { layer, f in
                "{\"name\":" + JSONValue.quote(layer.name) + f[0].dropFirst("{\"name\":\"\"".count)
            }
            lines.append("{\"name\":\"\(designID(i))\",\"layers\":[" + parts.joined(separator: ",") + "]}")
        }
        return "[\n" + lines.joined(separator: ",\n") + "\n]\n"
    }

    /// The reported designs `breakdown.csv` details, with their ids.
    static func detailed(_ run: SearchRun) -> [(id: String, design: FrontierDesign)] {
        let all = run.frontier.enumerated().map { (designID($0), $1) }
        guard all.count > breakdownLimit else { return all }
        let kept = Set(ParetoFront.spread(run.frontier, objectives: run.space.objectives, count: breakdownLimit).map(\.path))
        return all.filter { kept.contains($0.1.path) }
    }

    /// `breakdown.csv`: per design (the baseline and the reported designs, at most
    /// `breakdownLimit` of them) and layer, the mapping, the NSR (empty without an accuracy
    /// estimator) and every component's figures.
    public static func breakdownCSV(_ run: SearchRun) -> String {
        let parts = [("area_um2", \LayerCost.areaUM2), ("energy_pj", \LayerCost.energyPJ), ("latency_ns", \LayerCost.latencyNS)]
        let columns = SubstrateColumns(workload: run.space.workload)
        let componentColumns = parts.flatMap { prefix, _ in (columns.components.map(\.name) + ["total"]).map { "\(prefix)_\($0)" } }
        let substrate = columns.showsSubstrate ? ["substrate"] : []
        var table = CSVTable(header: ["design_id", "layer", "out_channels"] + substrate + columns.fields.map(\.key)
                             + ["nsr", "nsr_standard_error"] + columns.countKeys + ["macs"] + componentColumns)
        let substrates = Substrates(space: run.space)
        let workload = run.space.workload
        let rows = [("baseline", run.baseline)] + detailed(run).map { id, d in
            var e = substrates.evaluate(run.design(d), workload: workload)
            e.accuracy = d.accuracy
            return (id, e)
        }
        for (id, e) in rows {
            for (l, layer) in workload.layers.enumerated() {
                let (d, c) = (e.design.layers[l], e.layers[l])
                let figures = parts.flatMap { _, path in
                    (c[keyPath: path].values(columns.components) + [c[keyPath: path].total]).map(\.csvText)
                }
                table.append([id, layer.name, "\(d.outChannels)"] + (columns.showsSubstrate ? [d.option.substrate.rawValue] : [])
                             + columns.fieldTexts(d.option) + [e.accuracy?.nsr[l].csvText ?? "", e.accuracy?.nsrStandardError[l].csvText ?? ""]
                             + columns.countTexts(c, keys: columns.countKeys) + ["\(c.macs)"] + figures)
            }
        }
        return table.text
    }

    /// `pareto.svg`: the first two objectives on the axes (accuracy on the y axis, in percent,
    /// when it is one), the next objective of the space as colour (none when there are two);
    /// the time-shared chip's objectives (writes, lifetime) are not plotted.
    public static func plotSVG(_ run: SearchRun) -> String {
        var objectives: [Objective] = []
        for o in run.space.objectives where !objectives.contains(o) { objectives.append(o) }
        // The chip's objectives are columns of pareto.csv, not axes: the baseline has no chip figures.
        var axes = objectives.filter { $0 != .accuracy && $0.chipFigure == nil }
        if objectives.contains(.accuracy) { axes.insert(.accuracy, at: min(1, axes.count)) }
        for m in [Objective.latency, .energy, .area] where axes.count < 2 && !axes.contains(m) { axes.append(m) }
        let (x, y) = (axes[0], axes[1])
        let colour = axes.count > 2 ? axes[2] : nil
        func value(_ o: Objective, _ t: DesignTotals, _ a: DesignAccuracy?) -> Double {
            o == .accuracy ? a?.accuracyPct ?? 0 : ParetoFront.value(o, t, a)
        }
        func point(_ t: DesignTotals, _ a: DesignAccuracy?, _ label: String) -> ParetoPlot.Point {
            ParetoPlot.Point(x: value(x, t, a), y: value(y, t, a), colour: colour.map { value($0, t, a) }, label: label)
        }
        let shown = run.frontier.count == run.frontierSize ? "\(run.frontier.count) Pareto designs"
            : "\(run.frontier.count) of \(run.frontierSize) Pareto designs"
        let plot = ParetoPlot(
            title: "\(run.space.name): \(shown)",
            xLabel: label(x), yLabel: label(y), colourLabel: colour.map(label),
            points: run.frontier.enumerated().map { point($1.totals, $1.accuracy, designID($0)) },
            baseline: point(run.baseline.totals, run.baseline.accuracy, "baseline"))
        return plot.svg
    }

    static func designID(_ i: Int) -> String { "d\(i + 1)" }

    static func label(_ o: Objective) -> String { o.label }
}
