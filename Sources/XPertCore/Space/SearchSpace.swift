import Foundation

/// A whole search-space document: the network, the hardware, the per-layer choices, the
/// constraints and objectives, and an optional baseline design.
public struct SearchSpace: Sendable {
    public var name: String
    public var seed: UInt64
    public var workload: Workload
    public var hardware: HardwareSpec
    public var constraints: Constraints
    public var objectives: [Objective]
    /// The `baseline` design of the document, or every layer at its largest choices.
    public var baseline: Design
    public var search: SearchSettings
    /// The accuracy estimator and noise settings; nil: accuracy is not estimated.
    public var accuracy: AccuracySpec?
    /// The `daism` section: DAISM's variants, operand bits and array (defaults when absent).
    public var daism: DaismSettings
    /// The `reprogramming` section: the policies a time-shared chip is scored with.
    public var reprogramming: ReprogrammingSettings
    /// Bounds on writes and lifetime (`constraints.writes_per_inference`, `lifetime_inferences`).
    public var chipConstraints = ChipConstraints()
    /// Where noise tables are cached (`NoiseCache`): `.xpert-cache` beside a space read from a
    /// file, or its `accuracy.noise.cache_dir`; nil (no cache) for a space read from memory or
    /// with `"cache_dir": false`.
    public var noiseCacheDirectory: URL?

    /// Longest space name: it names the results folder, whose path must stay well within a
    /// file system's 255-byte name limit.
    public static let maxNameLength = 100

    /// Decodes and validates a search space; every error names its JSON path. Relative paths
    /// in `accuracy` are resolved against `baseDirectory` (normally the file's directory).
    public static func read(_ root: JSONNode,
                            baseDirectory: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath, isDirectory: true))
        throws -> SearchSpace
    {
        let o = try root.object(allowing: ["name", "seed", "workload", "hardware", "choices", "constraints", "objectives", "baseline",
                                           "search", "accuracy", "description", "daism", "reprogramming"])
        let nameNode = try o.required("name")
        let name = try nameNode.string()
        guard !name.isEmpty, name.count <= Self.maxNameLength,
              name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }), !name.hasPrefix(".") else {
            throw nameNode.fail("a name of letters, digits, '-', '_' or '.' (1 to \(Self.maxNameLength) characters, not starting with '.': it names the results folder)")
        }
        if let d = o.optional("description") { _ = try d.string() }
        let seed = UInt64(try o.optional("seed")?.int(in: 0...Int.max) ?? 0)
        let hardware = try HardwareSpec.read(try o.required("hardware"))
        let daism = try DaismSettings.read(o.optional("daism"), hardware: hardware)
        let workload = try WorkloadReader.read(try o.required("workload"), choices: try o.required("choices"), hardware: hardware,
                                               daism: daism, baseDirectory: baseDirectory)
        if workload.layers.contains(where: { $0.choices.substrates.contains { $0.substrate == .daism } }) { try daism.checkFits() }
        let accuracyNode = o.optional("accuracy")
        var accuracy = try accuracyNode.map { try AccuracySpec.read($0, workload: workload, baseDirectory: baseDirectory) }
        if let settings = accuracy?.noise {
            accuracy?.realData = try RealLayerData.load(workload: workload, settings: settings, seed: seed, path: "$.workload")
        }
        if let accuracy, let accuracyNode {
            let reads = NoiseTables.simulatedReads(workload: workload, settings: accuracy.noise,
                                                   geometry: CrossbarGeometry(hardware: hardware))
            guard reads <= Double(SpaceLimits.maxSimulatedReads) else {
                throw InputError(path: accuracyNode.path + ".noise.samples",
                                 "the noise simulation would make \(String(format: "%.3g", reads)) column reads, more than "
                                     + "2^33 (\(SpaceLimits.maxSimulatedReads)); lower noise.samples or noise.columns, or raise parallel_rows")
            }
            let multiplies = NoiseTables.daismMultiplies(workload: workload, settings: accuracy.noise, daism: daism)
            guard multiplies <= Double(SpaceLimits.maxSimulatedReads) else {
                throw InputError(path: accuracyNode.path + ".noise.samples",
                                 "the DAISM error kernel would make \(String(format: "%.3g", multiplies)) multiplies, more than "
                                     + "2^33 (\(SpaceLimits.maxSimulatedReads)); lower noise.samples or noise.columns, or offer fewer DAISM variants or operand bits")
            }
        }
        let constraintsNode = o.optional("constraints")
        let constraints = try readConstraints(constraintsNode)
        if accuracy == nil, constraints.accuracyDropPct != nil, let node = constraintsNode {
            throw InputError(path: node.path + ".accuracy_drop_pct", "accuracy_drop_pct needs an accuracy estimator: add an \"accuracy\" object")
        }
        var objectives: [Objective] = [.energy, .latency, .area]
        if let n = o.optional("objectives") {
            objectives = try n.choiceList { item in
                let objective = Objective(rawValue: try item.string(oneOf: Objective.allCases.map(\.rawValue)))!
                guard objective != .accuracy || accuracy != nil else {
                    throw item.error("the accuracy objective needs an accuracy estimator: add an \"accuracy\" object")
                }
                return objective
            }
        }
        let baseline = try o.optional("baseline").map { try Design.read($0, workload: workload) } ?? Design.largest(workload: workload)
        let search = try SearchSettings.read(o.optional("search"), workload: workload)
        if let n = o.optional("objectives") {
            for (item, objective) in zip(try n.array(), objectives) where objective.chipFigure != nil {
                guard hardware.chipCrossbars != nil else {
                    throw item.error("the \(objective.rawValue) objective needs a time-shared chip: set hardware.chip_crossbars")
                }
                guard search.method == .exact else {
                    throw item.error("the \(objective.rawValue) objective needs the exact method (two-phase sums per-layer metrics only)")
                }
            }
        }
        let reprogrammingNode = o.optional("reprogramming")
        let reprogramming = try ReprogrammingSettings.read(reprogrammingNode, spaceSeed: seed)
        if reprogrammingNode != nil || hardware.chipCrossbars != nil {
            try SpaceLimits.checkStoredCells(workload, hardware: hardware, path: "$.workload")
        }
        var space = SearchSpace(name: name, seed: seed, workload: workload, hardware: hardware, constraints: constraints,
                                objectives: objectives, baseline: baseline, search: search, accuracy: accuracy, daism: daism,
                                reprogramming: reprogramming)
        if let node = constraintsNode {
            let c = try node.object(allowing: Metric.all.map(\.constraintKey) + ChipConstraints.keys)
            for key in ChipConstraints.keys {
                guard let n = c.optional(key) else { continue }
                guard hardware.chipCrossbars != nil else {
                    throw InputError(path: n.path, "\(key) needs a time-shared chip: set hardware.chip_crossbars")
                }
                let v = try n.number(in: 0...1e30, what: "a non-negative number")
                if key == "writes_per_inference" { space.chipConstraints.writesPerInference = v } else { space.chipConstraints.lifetimeInferences = v }
            }
        }
        return space
    }

    /// Reads and validates a search-space file.
    public static func load(path: String) throws -> SearchSpace {
        let base = URL(fileURLWithPath: path).deletingLastPathComponent()
        var space = try read(try JSONDocument.load(path: path), baseDirectory: base)
        space.noiseCacheDirectory = space.accuracy?.noise.cacheDir.map { URL.resolving($0, against: base) }
        return space
    }

    static func readConstraints(_ node: JSONNode?) throws -> Constraints {
        var c = Constraints()
        guard let node else { return c }
        let o = try node.object(allowing: Metric.all.map(\.constraintKey) + ChipConstraints.keys)
        for m in Metric.all {
            guard let n = o.optional(m.constraintKey) else { continue }
            c[m] = try m.limitRange.map { try n.number(in: $0, what: m.limitDescription) } ?? n.number(positive: true)
        }
        return c
    }
}

/// Reading a JSON file into a root node, with file-level errors as `InputError`s at `$`.
public enum JSONDocument {
    public static func load(path: String) throws -> JSONNode {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw InputError(path: "$", "cannot read the file (\(FileManager.default.fileExists(atPath: path) ? "permission or I/O error" : "no such file"))")
        }
        return try parse(data)
    }

    /// Parses JSON text; a syntax error is an `InputError` at `$` with its line and column.
    public static func parse(_ data: Data) throws -> JSONNode {
        do { return JSONNode(try JSONValue.parse(data)) } catch let e as JSONTextParser.SyntaxError {
            throw InputError(path: "$", "invalid JSON at \(e)")
        }
    }
}
