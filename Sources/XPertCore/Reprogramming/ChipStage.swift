/// A time-shared design's reprogramming figures under one policy, as the search reports them.
public struct ChipFigures: Sendable, Hashable {
    /// Physical crossbars of the chip.
    public var chipCrossbars: Int
    /// nil: the chip holds every weight (resident), nothing is rewritten.
    public var policy: ReprogramPolicy?
    /// `sorted+stuck`: its `k` and `f`.
    public var stuckColumns: Int?
    public var stuckFraction: Double?
    public var writesPerInference: Double
    public var maxCellWritesPerInference: Double
    /// nil: unbounded (never rewritten).
    public var lifetimeInferences: Double?
    public var writeEnergyUJ: Double
    public var writeTimeMS: Double
    public var indexEnergyUJ: Double
    /// Accuracy the stuck bits cost, points (already in the design's accuracy).
    public var stuckDropPct: Double

    public var json: JSONValue {
        .object([("chip_crossbars", .number(Double(chipCrossbars))),
                 ("policy", policy.map { .string($0.rawValue) } ?? .string("resident")),
                 ("stuck_columns", stuckColumns.map { .number(Double($0)) } ?? .null),
                 ("stuck_fraction", stuckFraction.map { .number($0) } ?? .null),
                 ("writes_per_inference", .number(writesPerInference)),
                 ("max_cell_writes_per_inference", .number(maxCellWritesPerInference)),
                 ("lifetime_inferences", lifetimeInferences.map { .number($0) } ?? .null),
                 ("write_energy_uj", .number(writeEnergyUJ)), ("write_time_ms", .number(writeTimeMS)),
                 ("index_energy_uj", .number(indexEnergyUJ)), ("stuck_drop_pct", .number(stuckDropPct))])
    }
}

/// Bounds on the chip stage's figures, from `constraints`: `writes_per_inference` (at most) and
/// `lifetime_inferences` (at least).
public struct ChipConstraints: Sendable, Hashable {
    public static let keys = ["writes_per_inference", "lifetime_inferences"]
    public var writesPerInference: Double?
    public var lifetimeInferences: Double?

    public init() {}

    public func admits(_ f: ChipFigures) -> Bool {
        if let w = writesPerInference, f.writesPerInference > w { return false }
        if let l = lifetimeInferences, let life = f.lifetimeInferences, life < l { return false }
        return true
    }
}

/// The chip stage between the per-layer costs and the final filter, when the space sets
/// `hardware.chip_crossbars`: every candidate design is scored on the real chip (its real
/// schedule, its real bits) under each policy of the `reprogramming` section, one candidate per
/// policy and each chip size offered (`chip_crossbars` choices): the writes' energy and the row-by-row programming time are added to the design's
/// energy and latency, the area becomes the shared chip's, and the stuck bits' accuracy cost is
/// added to its drop. Designs with the same crossbar contents (layer widths and substrates)
/// share one reprogramming run.
public struct ChipStage: Sendable {
    public let space: SearchSpace
    /// The chip sizes offered.
    public let chipCrossbars: [Int]
    public let threads: Int

    public init?(space: SearchSpace, threads: Int) {
        guard !space.hardware.chipCrossbarChoices.isEmpty else { return nil }
        self.space = space
        chipCrossbars = space.hardware.chipCrossbarChoices
        self.threads = threads
    }

    /// The contents a design's crossbars hold depend on these only.
    struct Signature: Hashable {
        var layers: [Int]
        var outChannels: [Int]
    }

    static func signature(_ d: Design) -> Signature {
        let crossbar = d.layers.indices.filter { d.layers[$0].option.substrate == .crossbar }
        return Signature(layers: crossbar, outChannels: d.outChannels)
    }

    /// Per design (with its per-layer areas), per chip size, one scored variant per policy, or
    /// one when the chip holds it whole: totals, accuracy and figures. A signature's contents are
    /// made once, and its reports run once per chip size.
    public func score(_ designs: [(design: Design, layerAreaUM2: [Double], totals: DesignTotals, accuracy: DesignAccuracy?)])
        throws -> [[(totals: DesignTotals, accuracy: DesignAccuracy?, chip: ChipFigures)]]
    {
        var reports: [Signature: [ReprogramReport?]] = [:]
        return try designs.map { item in
            let key = Self.signature(item.design)
            if reports[key] == nil {
                if key.layers.isEmpty {
                    reports[key] = chipCrossbars.map { _ in nil }
                } else {
                    var contents = try DesignContents(space: space, design: item.design, threads: threads)
                    if chipCrossbars.contains(where: { $0 < contents.plain.count }) { contents.sortRows(space: space, threads: threads) }
                    reports[key] = chipCrossbars.map { chip in
                        ReprogramReport.run(space: space, design: item.design, contents: contents, chip: chip, threads: threads)
                    }
                }
            }
            return zip(chipCrossbars, reports[key]!).flatMap { chip, report in variants(item, chip: chip, report: report) }
        }
    }

    func variants(_ item: (design: Design, layerAreaUM2: [Double], totals: DesignTotals, accuracy: DesignAccuracy?), chip: Int,
                  report: ReprogramReport?) -> [(totals: DesignTotals, accuracy: DesignAccuracy?, chip: ChipFigures)] {
        guard let report, !report.isResident else {
            return [(item.totals, item.accuracy, ChipFigures(chipCrossbars: chip, policy: nil, stuckColumns: nil, stuckFraction: nil, writesPerInference: 0, maxCellWritesPerInference: 0,
                                                              lifetimeInferences: nil, writeEnergyUJ: 0, writeTimeMS: 0,
                                                              indexEnergyUJ: 0, stuckDropPct: 0))]
        }
        return zip(report.policies, report.sharings).map { r, sharing in
            var totals = item.totals
            totals.energyUJ += r.writeEnergyUJ + r.indexEnergyUJ
            totals.latencyMS += r.writeTimeMS
            totals.areaMM2 = ReprogramReport.chipArea(spans: report.spans, sharing: sharing, layerAreaUM2: item.layerAreaUM2,
                                                      design: item.design)
            var accuracy = item.accuracy
            accuracy?.dropPct += r.accuracyDropPct
            accuracy?.accuracyPct -= r.accuracyDropPct
            return (totals, accuracy, ChipFigures(chipCrossbars: chip, policy: r.policy, stuckColumns: r.stuck?.columns,
                                                  stuckFraction: r.stuck?.fraction, writesPerInference: r.writesPerInference,
                                                  maxCellWritesPerInference: r.maxCellWritesPerInference,
                                                  lifetimeInferences: r.lifetimeInferences, writeEnergyUJ: r.writeEnergyUJ,
                                                  writeTimeMS: r.writeTimeMS, indexEnergyUJ: r.indexEnergyUJ,
                                                  stuckDropPct: r.accuracyDropPct))
        }
    }
}

extension ChipStage {
    /// A costed design on the chip, one entry per policy (one when resident): `xpert evaluate`'s
    /// `chip` array, the figures the search's `pareto.csv` reports for the same design.
    public func json(_ e: DesignEvaluation) throws -> JSONValue {
        let variants = try score([(e.design, e.layers.map(\.areaUM2.total), e.totals, e.accuracy)])[0]
        return .array(variants.map { v in
            var total = v.totals.json
            if let a = v.accuracy, case let .object(members) = total {
                total = .object(members + [("accuracy_pct", .number(a.accuracyPct)), ("accuracy_drop_pct", .number(a.dropPct))])
            }
            guard case let .object(members) = v.chip.json else { return v.chip.json }
            return .object(members + [("total", total)])
        })
    }
}
