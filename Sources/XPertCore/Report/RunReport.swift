import Foundation

/// `run.json` and `timings.json` of a results folder.
extension SearchReport {
    /// `run.json`: what ran, with its counts; the same bytes for the same input, whatever the
    /// thread count (times are in `timings.json`).
    public static func runJSON(_ run: SearchRun, inputSHA256: String, inputPath: String) -> String {
        let size = SpaceSize(workload: run.space.workload)
        var members: [(key: String, value: JSONValue)] = [
            ("tool", .string("xpert")),
            ("version", .string(XPertVersion.string)),
            ("input", .string(inputPath)),
            ("input_sha256", .string(inputSHA256)),
            ("seed", .number(Double(run.space.seed))),
            ("method", .string(run.space.search.method.rawValue)),
            ("space_size", .string(size.description)),
            ("space_size_log10", .number((size.log10Count * 1000).rounded() / 1000)),
            ("objectives", .array(run.space.objectives.map { .string($0.rawValue) })),
            ("exactness", .object(run.exactness.map { ($0.key, .string($0.statement)) })),
        ]
        if let joint = run.joint { members += exactJSON(joint) }
        if let twoPhase = run.twoPhase { members += twoPhaseJSON(twoPhase) }
        members += [
            ("designs_evaluated", .number(Double(run.designsEvaluated))),
            ("designs_estimated", .number(Double(run.designsEstimated))),
            ("accuracy", accuracyJSON(run)),
            ("frontier_size", .number(Double(run.frontierSize))),
            ("reported_designs", .number(Double(run.frontier.count))),
        ]
        return JSONValue.object(members).serialized() + "\n"
    }

    /// The exact method's part of `run.json`.
    static func exactJSON(_ joint: JointSummary) -> [(key: String, value: JSONValue)] {
        [
            ("layer_options_costed", .number(Double(joint.optionsCosted))),
            ("exact_search", .object([
                ("mode", .string(joint.epsilon == nil ? "exact" : "epsilon")),
                ("epsilon", joint.epsilon.map { .number($0) } ?? .null),
                ("dimensions", .array(joint.dimensions.map { .string($0.rawValue) })),
                ("options_kept_after_cell_pruning", .number(Double(joint.optionsKept))),
                ("labels_per_layer", .array(joint.labelsPerLayer.map { .number(Double($0)) })),
                ("labels_max", .number(Double(joint.labelsPerLayer.max() ?? 0))),
                ("label_frontier", .number(Double(joint.labelFrontier))),
            ])),
        ]
    }

    /// The two-phase method's part of `run.json`: phase 1 and every MILP of phase 2.
    static func twoPhaseJSON(_ t: TwoPhaseSummary) -> [(key: String, value: JSONValue)] {
        let milps = t.phase2.flatMap(\.solves)
        var statusCounts: [(String, JSONValue)] = []
        for status in MILPResult.Status.allCases {
            let n = milps.filter { $0.status == status }.count
            if n > 0 { statusCounts.append((status.rawValue, .number(Double(n)))) }
        }
        let costed = t.phase1.optionsCosted + t.phase2.reduce(0) { $0 + $1.optionsCosted }
        return [
            ("layer_options_costed", .number(Double(costed))),
            ("phase1", .object([
                ("layer_options_costed", .number(Double(t.phase1.optionsCosted))),
                ("labels_per_layer", .array(t.phase1.labelsPerLayer.map { .number(Double($0)) })),
                ("frontier_size", .number(Double(t.phase1.frontier.count))),
                ("architectures_refined", .number(Double(t.architectures.count))),
            ])),
            ("phase2", .object([
                ("milps_solved", .number(Double(milps.count))),
                ("milp_status", .object(statusCounts)),
                ("exact", .bool(t.phase2.allSatisfy(\.isExact))),
                ("truncated_sweeps", .number(Double(t.phase2.filter(\.truncated).count))),
                ("architectures", .array(zip(t.architectures, t.phase2).map { arch, result in
                    .object([
                        ("phase1_latency_ms", .number(arch.latencyNS / 1e6)),
                        ("phase1_area_mm2", .number(arch.areaUM2 / 1e6)),
                        ("points", .number(Double(result.points.count))),
                        ("milps", .array(result.solves.map(\.json))),
                    ])
                })),
            ])),
        ]
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
            ("basis", .string(model.basis)),
            ("reference_accuracy_pct", .number(model.referenceAccuracyPct)),
        ] + (model.curve.isLinear ? [] : [("drop_curve", model.curve.json)]) + [
            ("noise", .object([
                ("samples", .number(Double(noise.settings.samples))),
                ("columns", .number(Double(noise.settings.columns))),
                ("adc_range", .string(range)),
                ("reference", .string(noise.settings.reference.rawValue)),
                ("weights", .string(noise.settings.distribution.description)),
                ("activations", .string(noise.settings.activationFamily.description)),
                ("real_data_layers", .array(model.workload.layers.filter { $0.weightsPath != nil || $0.activationsPath != nil }
                    .map { .string($0.name) })),
                ("layer_shapes", .number(Double(noise.tables.reduce(0) { $0 + $1.count }))),
                ("nsr_entries", .number(Double(noise.entryCount))),
            ])),
            ("estimator_failures", .array(run.accuracyFailures.map { .string($0.failure.description) })),
        ])
    }

    /// `timings.json`: the thread count and the wall time of every stage, in seconds; the one
    /// results file that changes from run to run.
    public static func timingsJSON(_ run: SearchRun) -> String {
        let milps = (run.twoPhase?.phase2 ?? []).flatMap(\.solves).map(\.solveTimeMilliseconds)
        var members: [(key: String, value: JSONValue)] = [("tool", .string("xpert")), ("threads", .number(Double(run.threads)))]
        members += run.stageSeconds.map { ("\($0.stage)_s", .number($0.seconds)) }
        if run.twoPhase != nil {
            members += [("milp_total_ms", .number(milps.reduce(0, +))), ("milp_max_ms", .number(milps.max() ?? 0))]
        }
        members.append(("total_s", .number(run.totalSeconds)))
        return JSONValue.object(members).serialized() + "\n"
    }
}
