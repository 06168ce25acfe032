/// What `xpert daism` reports per variant: the exhaustive error statistics of the multiplier
/// and, with a space, its cost per MAC at the space's node and the statistics over each layer's
/// own (seeded synthetic) weights and activations.
public struct DaismVariantReport: Sendable {
    public var stats: DaismErrorStats
    public var cost: PerMAC?
    /// Per layer of the space: the statistics over the layer's operand pairs and its NSR.
    public var layers: [(name: String, stats: DaismErrorStats, nsr: Double)]

    /// The network's DAISM cost at the baseline's widths, every layer on this variant:
    /// energy and latency per inference divided by the MACs per inference, and the area of the
    /// arrays with their periphery divided by the multiplies they make at once (one per slot).
    public struct PerMAC: Sendable {
        public var areaUM2: Double, energyPJ: Double, latencyNS: Double
    }

    /// The reports of every variant at `bits` (significands with a leading one when
    /// `significand`), with the space's figures when a space is given.
    public static func run(bits: Int, significand: Bool, space: SearchSpace?, threads: Int) -> [DaismVariantReport] {
        let stats = ParallelMap.map(DaismVariant.allCases, threads: threads) {
            DaismErrorStats.exhaustive(variant: $0, bits: bits, significand: significand)
        }
        guard let space else { return stats.map { DaismVariantReport(stats: $0, cost: nil, layers: []) } }
        let workload = space.workload
        let outChannels = space.baseline.outChannels
        var settings = space.daism
        settings.operandBits = [bits]
        let array = DaismArray(settings: settings, hardware: space.hardware, weightBits: workload.weightBits,
                               activationBits: workload.activationBits)
        let samples = space.accuracy?.noise.samples ?? NoiseSettings().samples
        // Each layer's data at the baseline's shape: 32 output columns, its first `maxRows` rows.
        let data = ParallelMap.map(count: workload.layers.count, threads: threads) { l -> FunctionalLayer in
            let layer = workload.layers[l]
            let rows = min(DaismArray.maxRows, layer.weightRows(inChannels: workload.inChannels(of: l, outChannels: outChannels)))
            return FunctionalLayer(
                name: layer.name,
                weights: SyntheticData.weights(outputs: min(outChannels[l], 32), rows: rows, distribution: space.accuracy?.noise.distribution ?? .normal,
                                               seed: space.seed, stream: SyntheticData.stream(layer: l, tensor: .weights)),
                activations: SyntheticData.activations(rows: rows, count: samples, seed: space.seed,
                                                       stream: SyntheticData.stream(layer: l, tensor: .activations)))
        }
        let pairCounts = ParallelMap.map(data, threads: threads) { operandPairs($0, bits: bits) }
        let nsrs = ParallelMap.map(count: DaismVariant.allCases.count * data.count, threads: threads) { i -> Double in
            let table = DaismProductTable(variant: DaismVariant.allCases[i / data.count], bits: bits)
            return DaismArray.nsr(data[i % data.count], table: table, weightBits: workload.weightBits, activationBits: workload.activationBits)
        }
        return zip(DaismVariant.allCases, stats).enumerated().map { v, pair in
            let (variant, stat) = pair
            let option = DaismOption.option(variant: variant, operandBits: bits)
            var area = 0.0, energy = 0.0, latency = 0.0, macs = 0.0, units = 0.0
            for (l, layer) in workload.layers.enumerated() {
                let inChannels = workload.inChannels(of: l, outChannels: outChannels)
                let c = array.cost(of: layer, inChannels: inChannels, outChannels: outChannels[l], option: option)
                let m = DaismMapping(layer: layer, inChannels: inChannels, outChannels: outChannels[l], variant: variant, bits: bits,
                                     settings: settings)
                area += c.areaUM2.total
                energy += c.energyPJ.total
                latency += c.latencyNS.total
                macs += Double(c.macs)
                units += Double(m.arrays * m.slotsPerRow)
            }
            let layers = workload.layers.indices.map { l in
                (workload.layers[l].name, DaismErrorStats.over(counts: pairCounts[l], bits: bits, variant: variant), nsrs[v * data.count + l])
            }
            return DaismVariantReport(stats: stat, cost: PerMAC(areaUM2: area / units, energyPJ: energy / macs, latencyNS: latency / macs),
                                      layers: layers)
        }
    }

    /// How often each operand pair occurs in a layer's multiplies at n bits (weight magnitudes
    /// scaled to n bits, activations to n bits on their own scale), `counts[a << n | b]`.
    static func operandPairs(_ layer: FunctionalLayer, bits n: Int) -> [Int] {
        let weights = QuantisedWeights(layer.weights, bits: n + 1)
        let acts = QuantisedActivations(layer.activations, bits: n)
        let rows = min(weights.rows, DaismArray.maxRows)
        var counts = [Int](repeating: 0, count: 1 << (2 * n))
        for o in 0..<weights.outputs {
            for s in 0..<acts.count {
                for r in 0..<rows {
                    counts[Int(abs(weights.values[o * weights.rows + r])) << n | Int(acts.values[s * acts.rows + r])] += 1
                }
            }
        }
        return counts
    }

    /// The `--json` form of one variant.
    public var json: JSONValue {
        var members: [(key: String, value: JSONValue)] = [
            ("variant", .string(stats.variant.rawValue)), ("bits", .number(Double(stats.bits))),
            ("significand", .bool(stats.significand)), ("mean_rel_err", .number(stats.meanRelErr)),
            ("mean_abs_rel_err", .number(stats.meanAbsRelErr)), ("max_abs_rel_err", .number(stats.maxAbsRelErr)),
            ("frac_exact", .number(stats.fracExact)), ("pairs", .number(Double(stats.pairs))),
        ]
        if let cost {
            members += [("area_um2_per_mac", .number(cost.areaUM2)), ("energy_pj_per_mac", .number(cost.energyPJ)),
                        ("latency_ns_per_mac", .number(cost.latencyNS))]
            members.append(("layers", .array(layers.map { l in
                .object([("name", .string(l.name)), ("mean_rel_err", .number(l.stats.meanRelErr)),
                         ("mean_abs_rel_err", .number(l.stats.meanAbsRelErr)), ("frac_exact", .number(l.stats.fracExact)),
                         ("pairs", .number(Double(l.stats.pairs))), ("nsr", .number(l.nsr))])
            })))
        }
        return .object(members)
    }
}

/// Plain-text tables of `xpert daism`.
public enum DaismTable {
    public static func render(_ reports: [DaismVariantReport]) -> String {
        guard let first = reports.first else { return "" }
        let operands = first.stats.significand ? "\(first.stats.bits)-bit significands" : "nonzero \(first.stats.bits)-bit magnitudes"
        var rows: [[String]] = [["variant", "mean_rel_err", "mean_abs_rel_err", "max_abs_rel_err", "frac_exact", "pairs"]
            + (first.cost == nil ? [] : ["area_um2_per_mac", "energy_pj_per_mac", "latency_ns_per_mac"])]
        for r in reports {
            let s = r.stats
            rows.append([s.variant.rawValue, f(s.meanRelErr), f(s.meanAbsRelErr), f(s.maxAbsRelErr), f(s.fracExact), "\(s.pairs)"]
                + (r.cost.map { [f($0.areaUM2), f($0.energyPJ), f($0.latencyNS)] } ?? []))
        }
        var out = "all pairs of \(operands):\n" + EvaluationTable.align(rows, numericFrom: 1)
        if first.cost != nil {
            var layerRows: [[String]] = [["layer"] + reports.map { "\($0.stats.variant.rawValue)_mean_rel_err" } + reports.map { "\($0.stats.variant.rawValue)_nsr" }]
            for (l, layer) in first.layers.enumerated() {
                layerRows.append([layer.name] + reports.map { f($0.layers[l].stats.meanRelErr) } + reports.map { f($0.layers[l].nsr) })
            }
            out += "\nper layer (baseline widths, seeded synthetic data):\n" + EvaluationTable.align(layerRows, numericFrom: 1)
        }
        return out
    }

    static func f(_ x: Double) -> String { EvaluationTable.fmt(x) }
}
