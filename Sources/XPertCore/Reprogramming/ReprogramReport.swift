import Foundation

/// One policy's figures for one design on one chip (`xpert reprogram`).
public struct ReprogramPolicyResult: Sendable, Hashable {
    public var policy: ReprogramPolicy
    /// `sorted+stuck`: the `k` and `f` this run used.
    public var stuck: (columns: Int, fraction: Double)?
    /// Cells programmed per inference (per batch, divided by the batch).
    public var writesPerInference: Double
    /// `rewrite-all`'s writes over this policy's (nil when this policy writes nothing).
    public var reductionVsRewriteAll: Double?
    public var reductionVsChangedOnly: Double?
    public var writeEnergyUJ: Double
    public var writeTimeMS: Double
    public var maxCellWritesPerInference: Double
    /// Endurance over the worst cell's writes per inference; nil: never rewritten.
    public var lifetimeInferences: Double?
    /// Noise-to-signal ratio of the stored weights against the intended ones, per crossbar layer
    /// (name, NSR); zero unless bits are stuck.
    public var nsr: [(layer: String, nsr: Double)]
    /// The accuracy the stuck bits cost, percentage points: `sum_l s_l * NSR_l`.
    public var accuracyDropPct: Double
    /// Sorted policies: bits of the row-order index and the energy of its lookups per inference.
    public var indexBits: Int
    public var indexEnergyUJ: Double
    /// Area of the chip: each physical crossbar priced as the largest per-crossbar area of the
    /// layers whose contents it holds, plus the layers on other substrates; nil unless layer
    /// areas were given.
    public var chipAreaMM2: Double?

    public static func == (a: Self, b: Self) -> Bool { a.json == b.json }
    public func hash(into h: inout Hasher) { h.combine(json.serialized()) }

    public var json: JSONValue {
        func number(_ x: Double?) -> JSONValue { x.map { .number($0) } ?? .null }
        return .object([
            ("policy", .string(policy.rawValue)),
        ] + (stuck.map { [("stuck_columns", JSONValue.number(Double($0.columns))), ("stuck_fraction", .number($0.fraction))] } ?? []) + [

            ("writes_per_inference", .number(writesPerInference)),
            ("reduction_vs_rewrite_all", number(reductionVsRewriteAll)),
            ("reduction_vs_changed_only", number(reductionVsChangedOnly)),
            ("write_energy_uj", .number(writeEnergyUJ)),
            ("write_time_ms", .number(writeTimeMS)),
            ("max_cell_writes_per_inference", .number(maxCellWritesPerInference)),
            ("lifetime_inferences", number(lifetimeInferences)),
            ("nsr", .object(nsr.map { ($0.layer, .number($0.nsr)) })),
            ("accuracy_drop_pct", .number(accuracyDropPct)),
            ("index_bits", .number(Double(indexBits))),
            ("index_energy_uj", .number(indexEnergyUJ)),
        ] + (chipAreaMM2.map { [("chip_area_mm2", JSONValue.number($0))] } ?? []))
    }
}

/// The reprogramming figures of one design: its crossbar layers' contents on the space's chip,
/// under each policy of the `reprogramming` section, on the same weights and schedule.
public struct ReprogramReport: Sendable {
    public var chipCrossbars: Int
    public var crossbarsNeeded: Int
    /// Whether the accuracy figures use the space's calibrated sensitivities or the default prior.
    public var sensitivitySource: String
    public var policies: [ReprogramPolicyResult]
    /// The crossbar layers' spans and each policy's sharing of physical crossbars (in `policies` order), to price
    /// the shared chip for designs with the same contents but other periphery.
    public var spans: [ChipContents.LayerSpan]
    public var sharings: [ChipSharing]

    public var isResident: Bool { crossbarsNeeded <= chipCrossbars }

    /// Activation vectors per layer on which the stuck bits' NSR is measured.
    public static let nsrSamples = 32

    public var json: JSONValue {
        .object([("chip_crossbars", .number(Double(chipCrossbars))), ("crossbars_needed", .number(Double(crossbarsNeeded))),
                 ("schedule", .string(isResident ? "resident" : "time-shared")), ("sensitivity", .string(sensitivitySource)),
                 ("policies", .array(policies.map(\.json)))])
    }

    /// Runs every policy of `space.reprogramming` on `design`; `chipCrossbars` overrides the
    /// hardware's (nil: the hardware's, or resident).
    /// `layerAreaUM2` (each workload layer's area, resident) prices the shared chip.
    public static func run(space: SearchSpace, design: Design, chipCrossbars: Int? = nil, layerAreaUM2: [Double]? = nil,
                           threads: Int) throws -> ReprogramReport {
        var contents = try DesignContents(space: space, design: design, threads: threads)
        let chip = chipCrossbars ?? space.hardware.chipCrossbars ?? contents.plain.count
        if chip < contents.plain.count { contents.sortRows(space: space, threads: threads) }
        return run(space: space, design: design, contents: contents, chip: chip, layerAreaUM2: layerAreaUM2, threads: threads)
    }

    /// Every policy on a chip of `chip` crossbars, from contents made once (several chip sizes
    /// share them). Without sorted contents the sorting policies run on the plain ones, which a
    /// resident chip never rewrites anyway.
    public static func run(space: SearchSpace, design: Design, contents prepared: DesignContents, chip: Int,
                           layerAreaUM2: [Double]? = nil, threads: Int) -> ReprogramReport {
        let workload = space.workload
        let settings = space.reprogramming
        let (layers, plain) = (prepared.layers, prepared.plain)
        let needed = plain.count
        // A resident chip is never rewritten: its sorting policies neither sort nor index.
        let sorted = needed > chip ? prepared.sorted : nil
        let rowOrders = sorted == nil ? [] : prepared.rowOrders
        let plainSchedule = ChipSchedule(logical: needed, physical: chip)
        let sortedSchedule = sorted.map { ChipSchedule(logical: needed, physical: chip, keys: ChipSchedule.magnitudeKeys($0)) }
        let plainSharing = ChipSharing(spans: plain.layers, schedule: plainSchedule)
        let sortedSharing = sortedSchedule.map { ChipSharing(spans: plain.layers, schedule: $0) }
        // The row index of the sorting policies: bits and lookups depend on the layers only.
        var indexBits = 0
        var indexEnergyPJ = 0.0
        if sorted != nil {
            for (l, w) in layers {
                let bits = max(1, ceilLog2(w.rows))
                indexBits += w.rows * bits
                let buffer = SRAMBuffer(capacityBits: w.rows * bits, busWidthBits: bits, technology: space.hardware.technology)
                indexEnergyPJ += Double(workload.layers[l].outputPositions) * Double(w.rows * bits) * buffer.readEnergyPerBitPJ
            }
        }

        let device = space.hardware.device
        let rowTimeNS = device.writePulseWidthNS * device.writePulses
        // Energy of one cell program: V^2 x mean conductance x pulse (the plug-in's 0.6 pJ SET).
        let cellEnergyPJ = device.writeVoltageV * device.writeVoltageV * (1 / device.onResistanceOhm + 1 / device.offResistanceOhm) / 2
            * device.writePulseWidthNS * 1e-9 * device.writePulses * 1e12
        let batch = Double(settings.batch)
        let (pctPerNSR, sensitivitySource) = Self.sensitivities(space: space)

        var results: [ReprogramPolicyResult] = []
        var sharings: [ChipSharing] = []
        // One run per policy, and per (k, f) choice for sorted+stuck.
        let runs = settings.policies.flatMap { p -> [(ReprogramPolicy, (columns: Int, fraction: Double)?)] in
            p == .sortedStuck ? settings.stuckChoices.map { (p, $0) } : [(p, nil)]
        }
        for (policy, stuck) in runs {
            let contents = policy.sortsRows ? sorted ?? plain : plain
            let schedule = policy.sortsRows ? sortedSchedule ?? plainSchedule : plainSchedule
            let sharing = policy.sortsRows ? sortedSharing ?? plainSharing : plainSharing
            sharings.append(sharing)
            let run = ReprogramSimulation(contents: contents, schedule: schedule, policy: policy, stuckColumns: stuck?.columns ?? 0,
                                          stuckFraction256: ReprogrammingSettings.steps256(stuck?.fraction ?? 1), seed: settings.seed,
                                          threads: threads)
            var nsr: [(String, Double)] = layers.map { (workload.layers[$0.layer].name, 0) }
            if let stored = run.stored {
                let values = ParallelMap.map(count: layers.count, threads: threads) { i in
                    let span = contents.layers[i]
                    let storedCodes = contents.decode(span: span, rowOrder: rowOrders.isEmpty ? nil : rowOrders[i], stored: stored)
                    return Self.nsr(intended: layers[i].weights, stored: storedCodes, layer: span.layer, space: space)
                }
                for i in nsr.indices { nsr[i].1 = values[i] }
            }
            let drop = ExactSum.of(zip(layers, nsr).map { pctPerNSR[$0.layer] * $1.1 })
            let indexed = policy.sortsRows && sorted != nil
            let writes = Double(run.cellWrites) / batch
            let maxWear = Double(run.maxCellWrites) / batch
            results.append(ReprogramPolicyResult(
                policy: policy, stuck: stuck, writesPerInference: writes, reductionVsRewriteAll: nil, reductionVsChangedOnly: nil,
                writeEnergyUJ: writes * cellEnergyPJ * 1e-6,
                writeTimeMS: Double(run.rowsPerWave.reduce(0, +)) * rowTimeNS * 1e-6 / batch,
                maxCellWritesPerInference: maxWear,
                lifetimeInferences: maxWear > 0 ? settings.enduranceCycles / maxWear : nil,
                nsr: nsr, accuracyDropPct: drop, indexBits: indexed ? indexBits : 0, indexEnergyUJ: indexed ? indexEnergyPJ * 1e-6 : 0,
                chipAreaMM2: layerAreaUM2.map { chipArea(spans: contents.layers, sharing: sharing, layerAreaUM2: $0, design: design) }))
        }
        // Reductions against the two references, measured on the same weights and schedule.
        func reference(_ p: ReprogramPolicy) -> Double? {
            if let r = results.first(where: { $0.policy == p }) { return r.writesPerInference }
            return Double(ReprogramSimulation(contents: plain, schedule: plainSchedule, policy: p, stuckColumns: 0,
                                              stuckFraction256: 256, seed: settings.seed, threads: threads).cellWrites) / batch
        }
        let (all, changed) = (reference(.rewriteAll), reference(.changedOnly))
        for i in results.indices where results[i].writesPerInference > 0 {
            results[i].reductionVsRewriteAll = all.map { $0 / results[i].writesPerInference }
            results[i].reductionVsChangedOnly = changed.map { $0 / results[i].writesPerInference }
        }
        return ReprogramReport(chipCrossbars: chip, crossbarsNeeded: needed,
                               sensitivitySource: sensitivitySource,
                               policies: results, spans: plain.layers, sharings: sharings)
    }

    /// `sum w[i] x[i]` in wrapping 32-bit arithmetic (callers check it cannot wrap); a plain
    /// loop the compiler vectorises.
    @inline(never)
    static func dot(_ w: UnsafePointer<Int32>, _ x: UnsafePointer<Int32>, count: Int) -> Int32 {
        var sum: Int32 = 0
        for i in 0..<count { sum &+= w[i] &* x[i] }
        return sum
    }

    /// `sum w[i] x[i]` in 64-bit arithmetic.
    static func wideDot(_ w: UnsafePointer<Int32>, _ x: UnsafePointer<Int32>, count: Int) -> Int64 {
        var sum: Int64 = 0
        for i in 0..<count { sum += Int64(w[i]) * Int64(x[i]) }
        return sum
    }

    /// The shared chip's area: every physical crossbar at the largest per-crossbar area (layer
    /// area over its crossbars, periphery and tile share included) among the contents it holds,
    /// plus every layer not on the crossbar; a resident chip is the layers' sum.
    public static func chipArea(spans: [ChipContents.LayerSpan], sharing: ChipSharing, layerAreaUM2: [Double], design: Design) -> Double {
        let others = ExactSum.of(design.layers.indices.filter { design.layers[$0].option.substrate != .crossbar }.map { layerAreaUM2[$0] })
        guard !sharing.isResident else {
            return (ExactSum.of(spans.map { layerAreaUM2[$0.layer] }) + others) / 1e6
        }
        let perCrossbar = spans.map { layerAreaUM2[$0.layer] / Double($0.count) }
        let physical = sharing.groups.map { g in Double(g.crossbars) * g.spans.map { perCrossbar[$0] }.max()! }
        return (ExactSum.of(physical) + others) / 1e6
    }

    /// The per-layer sensitivities (percentage points per unit NSR) the stuck bits are priced
    /// with, and where they come from: the space's `proxy` or `table`, else the default prior.
    static func sensitivities(space: SearchSpace) -> (pctPerNSR: [Double], source: String) {
        switch space.accuracy?.estimator {
        case let .proxy(p)?: return (p.sensitivity.pctPerNSR, "the space's proxy estimator")
        case let .table(t)?: return (t.sensitivity.pctPerNSR, "the space's table estimator")
        case .command?, nil:
            let why = space.accuracy == nil ? "no accuracy section" : "a command estimator has no per-layer sensitivity"
            return (Array(repeating: NoiseSensitivity.defaultPctPerNSR, count: space.workload.layers.count),
                    "prior: the default \(JSONValue.format(number: NoiseSensitivity.defaultPctPerNSR)) points per unit NSR (\(why))")
        }
    }

    /// `sum (W_s a - W a)^2 / sum (W a)^2` over seeded activation samples of the layer
    /// (rectified normal, `activation_bits` codes): the error of the stored weights against the
    /// intended ones, exact in integers (an ideal ADC; the ADC's own noise is the noise tables').
    static func nsr(intended: QuantisedWeights, stored: [Int32], layer l: Int, space: SearchSpace) -> Double {
        let rows = intended.rows
        let samples = SyntheticData.activations(rows: rows, count: nsrSamples, seed: space.seed,
                                                stream: SyntheticData.stream(layer: l, shape: DesignWeights.shapeStream, tensor: .activations))
        let a = QuantisedActivations(samples, bits: space.workload.activationBits)
        var signal = 0.0, noise = 0.0
        // Products fit Int32 when rows x largest code (or code difference) x largest activation does.
        let narrow = Double(rows) * Double(1 << intended.bits) * Double(1 << a.bits) < 0x1p31
        let x = a.values.map { Int32($0) }
        var delta = [Int32](repeating: 0, count: rows)
        intended.values.withUnsafeBufferPointer { w in
            x.withUnsafeBufferPointer { x in
                delta.withUnsafeMutableBufferPointer { delta in
                    for o in 0..<intended.outputs {
                        let base = o * rows
                        var any = false
                        for r in 0..<rows {
                            delta[r] = stored[base + r] &- w[base + r]
                            any = any || delta[r] != 0
                        }
                        for n in 0..<a.count {
                            let xn = x.baseAddress! + n * rows
                            let (y, dy) = narrow
                                ? (Int64(Self.dot(w.baseAddress! + base, xn, count: rows)), any ? Int64(Self.dot(delta.baseAddress!, xn, count: rows)) : 0)
                                : (Self.wideDot(w.baseAddress! + base, xn, count: rows), any ? Self.wideDot(delta.baseAddress!, xn, count: rows) : 0)
                            signal += Double(y) * Double(y)
                            noise += Double(dy) * Double(dy)
                        }
                    }
                }
            }
        }
        return signal > 0 ? noise / signal : 0
    }
}
