extension DesignEvaluation {
    /// The `xpert evaluate --json` form: per-layer mapping and per-component figures, and totals;
    /// with an accuracy estimate, each layer's `nsr` and the total's `accuracy_pct` and `accuracy_drop_pct`.
    public func json(workload: Workload) -> JSONValue {
        func breakdown(_ b: ComponentBreakdown) -> JSONValue {
            .object(zip(ComponentBreakdown.keys, b.values).map { ($0, .number($1)) } + [("total", .number(b.total))])
        }
        let layerValues: [JSONValue] = workload.layers.indices.map { index in
            let (layer, d, c) = (workload.layers[index], design.layers[index], layers[index])
            return .object(d.members(name: layer.name) + [
                ("crossbars", .number(Double(c.crossbars))),
                ("tiles", .number(Double(c.tiles))),
                ("adcs", .number(Double(c.adcs))),
                ("adc_conversions", .number(Double(c.adcConversions))),
                ("macs", .number(Double(c.macs))),
                ("area_um2", breakdown(c.areaUM2)),
                ("energy_pj", breakdown(c.energyPJ)),
                ("latency_ns", breakdown(c.latencyNS)),
            ] + (accuracy.map { [("nsr", .number($0.nsr[index]))] } ?? []))
        }
        var total = totals.json
        if let accuracy, case let .object(members) = total {
            total = .object(members + [("accuracy_pct", .number(accuracy.accuracyPct)),
                                       ("accuracy_drop_pct", .number(accuracy.dropPct))])
        }
        return .object([
            ("layers", .array(layerValues)),
            ("total", total),
        ])
    }
}

extension DesignTotals {
    public var json: JSONValue {
        .object([
            ("area_mm2", .number(areaMM2)),
            ("energy_uj", .number(energyUJ)),
            ("latency_ms", .number(latencyMS)),
            ("ops", .number(ops)),
            ("tops_per_w", .number(topsPerW)),
            ("tops_per_mm2", .number(topsPerMM2)),
            ("edap", .number(edap)),
        ])
    }
}
