extension DesignEvaluation {
    /// The `xpert evaluate --json` form: per-layer mapping and per-component figures, and totals;
    /// with an accuracy estimate, each layer's `nsr` and `nsr_standard_error` and the total's `accuracy_pct` and `accuracy_drop_pct`.
    public func json(workload: Workload) -> JSONValue {
        func breakdown(_ b: ComponentBreakdown, _ keys: [ComponentKey]) -> JSONValue {
            .object(keys.map { ($0.name, .number(b[$0])) } + [("total", .number(b.total))])
        }
        let layerValues: [JSONValue] = workload.layers.indices.map { index in
            let (layer, d, c) = (workload.layers[index], design.layers[index], layers[index])
            let keys = c.substrate.components
            return .object(d.members(name: layer.name)
                + c.namedCounts.map { ($0.key, .number(Double($0.value))) } + [
                ("macs", .number(Double(c.macs))),
                ("area_um2", breakdown(c.areaUM2, keys)),
                ("energy_pj", breakdown(c.energyPJ, keys)),
                ("latency_ns", breakdown(c.latencyNS, keys)),
            ] + (accuracy.map { [("nsr", .number($0.nsr[index])), ("nsr_standard_error", .number($0.nsrStandardError[index]))] } ?? []))
        }
        var total = totals.json
        if let accuracy, case let .object(members) = total {
            total = .object(members + [("accuracy_pct", .number(accuracy.accuracyPct)),
                                       ("accuracy_drop_pct", .number(accuracy.dropPct)),
                                       ("accuracy_basis", .string(accuracy.basis))])
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
