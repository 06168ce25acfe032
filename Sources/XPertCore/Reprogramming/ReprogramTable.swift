/// The text form of a `ReprogramReport`: one row per policy, then the stuck bits' NSR per layer.
public enum ReprogramTable {
    public static func render(_ r: ReprogramReport) -> String {
        var out = "chip: \(r.chipCrossbars) crossbars; the design needs \(r.crossbarsNeeded): "
            + (r.isResident ? "resident (programmed once, never rewritten)\n" : "time-shared\n")
        var rows: [[String]] = [["policy", "writes_per_inference", "x_vs_rewrite_all", "x_vs_changed_only", "write_energy_uj",
                                 "write_time_ms", "max_cell_writes", "lifetime_inferences", "accuracy_drop_pct", "index_bits", "chip_area_mm2"]]
        for p in r.policies {
            let name = p.stuck.map { "\(p.policy.rawValue) k=\($0.columns) f=\(JSONValue.format(number: $0.fraction))" } ?? p.policy.rawValue
            rows.append([name, f(p.writesPerInference), p.reductionVsRewriteAll.map(f) ?? "-",
                         p.reductionVsChangedOnly.map(f) ?? "-", f(p.writeEnergyUJ), f(p.writeTimeMS), f(p.maxCellWritesPerInference),
                         p.lifetimeInferences.map(f) ?? "unbounded", f(p.accuracyDropPct), "\(p.indexBits)",
                         p.chipAreaMM2.map(f) ?? "-"])
        }
        out += EvaluationTable.align(rows, numericFrom: 1)
        if let stuck = r.policies.first(where: { $0.nsr.contains { $0.nsr > 0 } }) {
            var layerRows: [[String]] = [["layer", "stuck_nsr"]]
            for (name, nsr) in stuck.nsr { layerRows.append([name, f(nsr)]) }
            out += "\nstuck bits (\(stuck.policy.rawValue)) against the intended weights, ideal ADC; sensitivity: \(r.sensitivitySource):\n"
                + EvaluationTable.align(layerRows, numericFrom: 1)
        }
        return out
    }

    static func f(_ x: Double) -> String { EvaluationTable.fmt(x) }
}
