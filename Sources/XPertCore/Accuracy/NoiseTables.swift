import Foundation

/// How the search measures each layer's noise-to-signal ratio: the `noise` object of a
/// search space's `accuracy` entry.
///
///     "noise": {"samples": 256, "columns": 64, "adc_range": "calibrated", "reference": "float"}
///
/// The data are a layer's real weights and activations (`"weights"`, `"activations"` on the
/// workload layer) at its largest input channels, and synthetic elsewhere (He-scaled weights
/// and rectified activations of the families `weights` and `activations` name, or that the
/// real data fit; seeded by the space's `seed`): a search compares many channel widths, and
/// trained weights exist for one.
public struct NoiseSettings: Sendable, Hashable {
    public static let keys = ["samples", "columns", "adc_range", "clip_percentile", "weights", "activations", "reference", "cache_dir"]
    /// Default `cache_dir`, beside the space (the `command` estimator's default too).
    public static let defaultCacheDir = ".xpert-cache"

    /// What a layer's simulated output is compared with.
    public enum Reference: String, Sendable, Hashable, CaseIterable {
        /// The product of the float weights and activations at the layer's real scale: weight
        /// and activation quantisation, input truncation and the ADC all count.
        case float
        /// The exact integer product of the quantised weights and activations at the
        /// workload's bits: input truncation and the ADC count, quantisation does not.
        case integer
    }

    /// Activation vectors simulated per layer and input-channel count. 256 by default: on VGG16's
    /// layers at 8 bits (32 columns) the NSR's relative standard error is at most 12% at 256
    /// samples against 24% at 64 (`evaluate --json`'s `nsr_standard_error`; README, Accuracy).
    public var samples = 256
    /// Output columns simulated per layer (never more than the layer's widest choice). Synthetic
    /// columns are independent and alike, so the NSR does not depend on their number; more
    /// columns only average more outputs.
    public var columns = 64
    /// ADC range: full scale, or clipped at a percentile of the column sums seen on
    /// `samples` separate calibration vectors (a hardware setting).
    public var range: ADCRange = .fullScale
    /// The family of synthetic weights (He-scaled) and of synthetic activations (rectified).
    public var distribution: WeightDistribution = .normal
    public var activationFamily: DataFamily = .normal
    public var reference: Reference = .float
    /// `cache_dir`: where the tables are cached (`NoiseCache`), relative to the space's folder;
    /// nil (`false`): no cache.
    public var cacheDir: String? = defaultCacheDir

    public init() {}

    static func read(_ node: JSONNode?) throws -> NoiseSettings {
        var s = NoiseSettings()
        guard let node else { return s }
        let o = try node.object(allowing: keys)
        if let n = o.optional("samples") { s.samples = try n.int(in: 1...SpaceLimits.maxNoiseSamples) }
        if let n = o.optional("columns") { s.columns = try n.int(in: 1...SpaceLimits.maxNoiseColumns) }
        if let n = o.optional("weights") { s.distribution = try DataFamily.read(n) }
        if let n = o.optional("activations") { s.activationFamily = try DataFamily.read(n) }
        if let n = o.optional("reference") {
            s.reference = Reference(rawValue: try n.string(oneOf: Reference.allCases.map(\.rawValue)))!
        }
        if let n = o.optional("cache_dir") {
            if case .bool(false) = n.value { s.cacheDir = nil } else {
                guard case let .string(path) = n.value, !path.isEmpty else { throw n.fail("a folder path or false") }
                s.cacheDir = path
            }
        }
        let kind = try o.optional("adc_range")?.string(oneOf: ["full_scale", "calibrated"]) ?? "full_scale"
        let percentile = try o.optional("clip_percentile").map { n -> Double in
            guard kind == "calibrated" else { throw n.error("clip_percentile needs \"adc_range\": \"calibrated\"") }
            let p = try n.number(what: "a percentile in (0, 100]")
            guard p > 0, p <= 100 else { throw n.fail("a percentile in (0, 100]") }
            return p
        }
        if kind == "calibrated" { s.range = .calibrated(percentile: percentile ?? 99.9) }
        return s
    }
}

/// A measured noise-to-signal ratio and its standard error (`RatioSums.standardError`).
public struct NoiseEstimate: Sendable, Hashable {
    public var nsr: Double
    public var standardError: Double

    public init(nsr: Double, standardError: Double) {
        self.nsr = nsr
        self.standardError = standardError
    }

    init(_ sums: RatioSums) { self.init(nsr: sums.ratio, standardError: sums.standardError) }
}

/// Every layer's noise-to-signal ratio on a space's substrates, per input-channel count and
/// error key (`Substrate.errorKey`; on the crossbar: input bits and ADC bits): the error of the
/// simulated layer output against the settings' reference (the float product by default, so
/// weight and activation quantisation, input truncation and the ADC all count), with its
/// standard error.
public struct NoiseTables: Sendable {
    public let settings: NoiseSettings
    public let activationBits: Int
    /// The substrate models that measured the tables and key the lookups.
    public let substrates: Substrates
    /// `inChannelChoices[l]`: the input-channel counts measured for layer l.
    public let inChannelChoices: [[Int]]
    /// `tables[l][k]`: layer l at `inChannelChoices[l][k]` input channels, NSR per error key.
    public let tables: [[[ErrorKey: NoiseEstimate]]]
    /// Seconds the simulation took.
    public let seconds: Double
    /// Weight rows simulated for a layer shape of `rows` rows: all of them up to
    /// `SpaceLimits.maxSimulatedRows`, else the first whole crossbar row blocks within it. With
    /// independent synthetic rows every row block adds signal and noise power alike, so the NSR
    /// of the first blocks estimates the whole layer's.
    public static func simulatedRows(_ rows: Int, crossbarRows: Int) -> Int {
        rows <= SpaceLimits.maxSimulatedRows ? rows : max(1, SpaceLimits.maxSimulatedRows / crossbarRows) * crossbarRows
    }

    /// Column reads of a whole simulation of `workload` (every layer at every input-channel
    /// choice, calibration samples included): the work `SpaceLimits.maxSimulatedReads` bounds.
    public static func simulatedReads(workload: Workload, settings: NoiseSettings, geometry: CrossbarGeometry) -> Double {
        let passes = settings.range == .fullScale ? 1.0 : 2.0
        let columnsPerWeight = Double(geometry.columnsPerWeight(weightBits: workload.weightBits))
        var total = 0.0
        for (l, layer) in workload.layers.enumerated() {
            let columns = Double(min(settings.columns, layer.outChannelChoices.max()!))
            for inChannels in workload.inChannelChoices(of: l) {
                let rows = simulatedRows(layer.weightRows(inChannels: inChannels), crossbarRows: geometry.crossbarRows)
                let full = rows / geometry.crossbarRows, last = rows % geometry.crossbarRows
                let perBlock = (geometry.crossbarRows + geometry.parallelRows - 1) / geometry.parallelRows
                let groups = full * perBlock + (last + geometry.parallelRows - 1) / geometry.parallelRows
                total += passes * Double(settings.samples) * columns * columnsPerWeight * Double(workload.activationBits) * Double(groups)
            }
        }
        return total
    }

    /// Multiplies of DAISM's product-table kernel over the whole simulation (every layer shape
    /// that offers DAISM, at every variant and operand width): the work `SpaceLimits.maxSimulatedReads`
    /// bounds as well.
    public static func daismMultiplies(workload: Workload, settings: NoiseSettings, daism: DaismSettings) -> Double {
        let keys = Double(daism.variants.count * daism.operandBits.count)
        var total = 0.0
        for (l, layer) in workload.layers.enumerated() where layer.choices.substrates.contains(where: { $0.substrate == .daism }) {
            let columns = Double(min(settings.columns, layer.outChannelChoices.max()!))
            for inChannels in workload.inChannelChoices(of: l) {
                total += keys * Double(settings.samples) * columns * Double(min(layer.weightRows(inChannels: inChannels), DaismArray.maxRows))
            }
        }
        return total
    }

    /// Bytes of synthetic data held at once while simulating: shapes are simulated in batches
    /// up to this size, so memory stays bounded whatever the number of shapes.
    static let batchBytes = 1 << 28

    /// Simulates every layer of `space` at each input-channel count it can see (or only those
    /// of `designs`), for every input and ADC bit choice of that layer, on `threads` threads.
    /// Layer l at its k-th input-channel choice draws from `SyntheticData.stream(layer: l,
    /// shape: k, ...)`, so an entry is the same whatever else is built and whatever `threads` is.
    public static func build(space: SearchSpace, settings: NoiseSettings, threads: Int, only designs: [Design]? = nil) -> NoiseTables {
        let start = Date()
        let workload = space.workload
        let activationBits = workload.activationBits
        let geometry = CrossbarGeometry(hardware: space.hardware)
        let substrates = Substrates(space: space)
        var shapes: [(layer: Int, choice: Int, inChannels: Int)] = []
        var inChoices: [[Int]] = []
        // The error keys of every layer option, per substrate.
        var keys: [SubstrateKind: Set<ErrorKey>] = [:]
        let needed: [Set<Int>]? = designs.map { designs in
            workload.layers.indices.map { l in Set(designs.map { workload.inChannels(of: l, outChannels: $0.outChannels) }) }
        }
        for (l, layer) in workload.layers.enumerated() {
            let all = workload.inChannelChoices(of: l)
            let choices = all.filter { needed?[l].contains($0) ?? true }
            inChoices.append(choices)
            for c in layer.choices.substrates {
                keys[c.substrate, default: []].formUnion(c.allOptions.map { substrates.errorKey(of: SubstrateOption(substrate: c.substrate, values: $0)) })
            }
            for inChannels in choices { shapes.append((l, all.firstIndex(of: inChannels)!, inChannels)) }
        }
        let realData = space.accuracy?.realData ?? []
        // Per layer, the synthetic families: those its real data fit, else the settings'.
        let families = workload.layers.indices.map { l in
            (l < realData.count ? realData[l] : nil)?.fittedFamilies(default: (settings.distribution, settings.activationFamily))
                ?? (settings.distribution, settings.activationFamily)
        }
        /// The data of one shape, made when its batch is simulated: the layer's real weights and
        /// activations at its largest input channels, else synthetic data (of the families the
        /// real data fit, when there are any).
        func data(_ shape: (layer: Int, choice: Int, inChannels: Int)) -> FunctionalLayer {
            let layer = workload.layers[shape.layer]
            let columns = min(settings.columns, layer.outChannelChoices.max()!)
            let rows = simulatedRows(layer.weightRows(inChannels: shape.inChannels), crossbarRows: geometry.crossbarRows)
            func stream(_ t: SyntheticData.Tensor) -> UInt64 { SyntheticData.stream(layer: shape.layer, shape: shape.choice, tensor: t) }
            let real = shape.layer < realData.count ? realData[shape.layer] : nil
            let own = real != nil && shape.inChannels == workload.inChannelChoices(of: shape.layer).max()!
            let (weightFamily, activationFamily) = families[shape.layer]
            let weights = own ? real?.weights?.prefix(outputs: columns, rows: rows) : nil
            let activations = own ? real?.activations?.prefix(rows: rows) : nil
            let calibration = own ? real?.calibration?.prefix(rows: rows) : nil
            return FunctionalLayer(
                name: "\(layer.name)@\(shape.inChannels)",
                weights: weights ?? SyntheticData.weights(outputs: columns, rows: rows, distribution: weightFamily,
                                                          seed: space.seed, stream: stream(.weights)),
                activations: activations ?? SyntheticData.activations(rows: rows, count: settings.samples, seed: space.seed,
                                                                      stream: stream(.activations), family: activationFamily),
                calibration: settings.range == .fullScale ? nil
                    : calibration ?? SyntheticData.activations(rows: rows, count: settings.samples, seed: space.seed,
                                                               stream: stream(.calibration), family: activationFamily))
        }
        func bytes(_ shape: (layer: Int, choice: Int, inChannels: Int)) -> Int {
            let layer = workload.layers[shape.layer]
            let rows = simulatedRows(layer.weightRows(inChannels: shape.inChannels), crossbarRows: geometry.crossbarRows)
            return 4 * rows * (min(settings.columns, layer.outChannelChoices.max()!) + 2 * settings.samples)
        }
        let cacheKey = space.noiseCacheDirectory.map { _ in NoiseCache.key(space: space, settings: settings, shapes: shapes, keys: keys) }
        if let directory = space.noiseCacheDirectory, let cacheKey,
           let cached = NoiseCache.load(directory: directory, key: cacheKey, count: shapes.count) {
            return NoiseTables(settings: settings, activationBits: activationBits, substrates: substrates, inChannelChoices: inChoices,
                               tables: split(cached, inChoices), seconds: Date().timeIntervalSince(start))
        }
        var flat: [[ErrorKey: NoiseEstimate]] = []
        var batch: [(layer: Int, choice: Int, inChannels: Int)] = [], batchSize = 0
        func flush() {
            let layers = batch.map(data)
            var measured = layers.map { _ in [ErrorKey: NoiseEstimate]() }
            for kind in SubstrateKind.allCases {
                guard let kindKeys = keys[kind] else { continue }
                let errors = substrates.model(kind).measureErrors(layers: layers, keys: kindKeys, settings: settings, threads: threads)
                for i in measured.indices { measured[i].merge(errors[i]) { a, _ in a } }
            }
            flat += measured
            batch = []
            batchSize = 0
        }
        for shape in shapes {
            if !batch.isEmpty && batchSize + bytes(shape) > batchBytes { flush() }
            batch.append(shape)
            batchSize += bytes(shape)
        }
        if !batch.isEmpty { flush() }
        if let directory = space.noiseCacheDirectory, let cacheKey { NoiseCache.store(directory: directory, key: cacheKey, tables: flat) }
        return NoiseTables(settings: settings, activationBits: activationBits, substrates: substrates,
                           inChannelChoices: inChoices, tables: split(flat, inChoices), seconds: Date().timeIntervalSince(start))
    }

    /// The flat per-shape tables cut per layer.
    static func split(_ flat: [[ErrorKey: NoiseEstimate]], _ inChoices: [[Int]]) -> [[[ErrorKey: NoiseEstimate]]] {
        var tables: [[[ErrorKey: NoiseEstimate]]] = []
        var next = 0
        for choices in inChoices {
            tables.append(Array(flat[next..<next + choices.count]))
            next += choices.count
        }
        return tables
    }

    /// Layer `layer`'s NSR and its standard error at `inChannels` input channels (one of its
    /// choices) under `key`.
    public func estimate(layer: Int, inChannels: Int, key: ErrorKey) -> NoiseEstimate {
        guard let k = inChannelChoices[layer].firstIndex(of: inChannels) else {
            preconditionFailure("layer \(layer) was not simulated at \(inChannels) input channels")
        }
        guard let estimate = tables[layer][k][key] else { preconditionFailure("no NSR measured for \(key)") }
        return estimate
    }

    /// Layer `layer`'s NSR at `inChannels` input channels (one of its choices) under `key`.
    public func nsr(layer: Int, inChannels: Int, key: ErrorKey) -> Double {
        estimate(layer: layer, inChannels: inChannels, key: key).nsr
    }

    /// Layer `layer`'s NSR under a layer option.
    public func nsr(layer: Int, inChannels: Int, option: SubstrateOption) -> Double {
        nsr(layer: layer, inChannels: inChannels, key: substrates.errorKey(of: option))
    }

    /// A crossbar layer's NSR at the given bits.
    public func nsr(layer: Int, inChannels: Int, inputBits: Int, adcBits: Int) -> Double {
        nsr(layer: layer, inChannels: inChannels, key: substrates.crossbar.errorKey(inputBits: inputBits, adcBits: adcBits))
    }

    /// Each layer's NSR in `design` (one per workload layer).
    public func nsr(of design: Design, workload: Workload) -> [Double] {
        estimates(of: design, workload: workload).map(\.nsr)
    }

    /// Each layer's NSR and standard error in `design` (one per workload layer).
    public func estimates(of design: Design, workload: Workload) -> [NoiseEstimate] {
        let outChannels = design.outChannels
        return design.layers.indices.map { l in
            estimate(layer: l, inChannels: workload.inChannels(of: l, outChannels: outChannels),
                     key: substrates.errorKey(of: design.layers[l].option))
        }
    }

    /// Entries simulated, over all layers and input-channel counts.
    public var entryCount: Int { tables.reduce(0) { $0 + $1.reduce(0) { $0 + $1.count } } }
}
