import Foundation

/// Plain-text tables for people: one row per layer, the totals, and the split by component.
public enum EvaluationTable {
    public static func render(_ e: DesignEvaluation, workload: Workload, constraints: Constraints) -> String {
        let columns = SubstrateColumns(workload: workload)
        let substrate = columns.showsSubstrate ? ["substrate"] : []
        var rows: [[String]] = [["layer", "out_ch"] + substrate + columns.fields.map(\.title) + columns.tableCountKeys
                                + ["area_mm2", "energy_uj", "latency_ms"]]
        for (layer, (d, c)) in zip(workload.layers, zip(e.design.layers, e.layers)) {
            rows.append([layer.name, "\(d.outChannels)"] + (columns.showsSubstrate ? [d.option.substrate.rawValue] : [])
                        + columns.fieldTexts(d.option) + columns.countTexts(c, keys: columns.tableCountKeys)
                        + [fmt(c.areaUM2.total / 1e6), fmt(c.energyPJ.total / 1e6), fmt(c.latencyNS.total / 1e6)])
        }
        let t = e.totals
        let countTotals = columns.tableCountKeys.map { key in "\(e.layers.reduce(0) { $0 + ($1.count(key) ?? 0) })" }
        rows.append(["total", ""] + substrate.map { _ in "" } + columns.fields.map { _ in "" } + countTotals
                    + [fmt(t.areaMM2), fmt(t.energyUJ), fmt(t.latencyMS)])
        var out = align(rows, numericFrom: 1)
        out += "\nops \(fmt(t.ops))  TOPS/W \(fmt(t.topsPerW))  TOPS/mm2 \(fmt(t.topsPerMM2))  EDAP \(fmt(t.edap)) uJ*ms*mm2\n"
        if let a = e.accuracy {
            out += "accuracy \(fmt(a.accuracyPct)) % (\(a.basis))  drop \(fmt(a.dropPct)) points  NSR per layer "
                + zip(a.nsr, a.nsrStandardError).map { "\(fmt($0)) ± \(fmt($1))" }.joined(separator: " ") + "\n"
        }

        let area = e.layers.reduce(ComponentBreakdown()) { $0 + $1.areaUM2 }
        let energy = e.layers.reduce(ComponentBreakdown()) { $0 + $1.energyPJ }
        let latency = e.layers.reduce(ComponentBreakdown()) { $0 + $1.latencyNS }
        var split: [[String]] = [["component", "area_pct", "energy_pct", "latency_pct"]]
        for key in columns.components {
            split.append([key.name, pct(area[key], area.total), pct(energy[key], energy.total),
                          pct(latency[key], latency.total)])
        }
        out += "\n" + align(split, numericFrom: 1)
        let violated = e.violations(of: constraints)
        out += "\nconstraints: " + (violated.isEmpty ? "all met" : "exceeds " + violated.joined(separator: ", ")) + "\n"
        return out
    }

    static func fmt(_ x: Double) -> String {
        if x == 0 { return "0" }
        let a = abs(x)
        if a >= 1e6 || a < 1e-3 { return String(format: "%.4g", x) }
        return String(format: a >= 100 ? "%.1f" : (a >= 1 ? "%.3f" : "%.5f"), x)
    }

    static func pct(_ part: Double, _ whole: Double) -> String {
        whole > 0 ? String(format: "%.1f", 100 * part / whole) : "0"
    }

    /// Pads columns; columns from `numericFrom` on are right-aligned.
    static func align(_ rows: [[String]], numericFrom: Int) -> String {
        let widths = rows[0].indices.map { c in rows.map { $0[c].count }.max()! }
        return rows.map { row in
            row.enumerated().map { c, cell in
                let pad = String(repeating: " ", count: widths[c] - cell.count)
                return c >= numericFrom ? pad + cell : cell + pad
            }.joined(separator: "  ")
        }.joined(separator: "\n") + "\n"
    }
}
