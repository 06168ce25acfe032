extension DesignEvaluation {
    /// The `xpert evaluate --json` form: per-layer mapping and per-component figures, and totals.
    public func json(workload: Workload) -> JSONValue {
        func breakdown(_ b: ComponentBreakdown) -> JSONValue {
            .object(zip(ComponentBreakdown.keys, b.values).map { ($0, .number($1)) } + [("total", .number(b.total))])
        }
        let layerValues: [JSONValue] = zip(workload.layers, zip(design.layers, layers)).map { layer, pair in
            let (d, c) = pair
            return .object(d.members(name: layer.name) + [
                ("crossbars", .number(Double(c.crossbars))),
                ("tiles", .number(Double(c.tiles))),
                ("adcs", .number(Double(c.adcs))),
                ("adc_conversions", .number(Double(c.adcConversions))),
                ("macs", .number(Double(c.macs))),
                ("area_um2", breakdown(c.areaUM2)),
                ("energy_pj", breakdown(c.energyPJ)),
                ("latency_ns", breakdown(c.latencyNS)),
            ])
        }
        return .object([
            ("layers", .array(layerValues)),
            ("total", totals.json),
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
