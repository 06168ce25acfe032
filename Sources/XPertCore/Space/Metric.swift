/// A quantity a design is measured by, summed (or maximised) over layers: how it is named,
/// reported, constrained and summed in fixed point. `Metric.all` is the registry; a new metric
/// (writes per inference, say) is one declaration here, and constraints, search dimensions,
/// reports and objectives pick it up from the descriptor. Every metric is minimised and its
/// constraint is an upper bound: a quantity where more is better is registered as its loss
/// (accuracy as the accuracy drop; a lifetime would be registered as wear per inference).
public struct Metric: Hashable, Sendable, CustomStringConvertible {
    /// How per-layer values combine into a design's value.
    public enum Aggregation: Sendable, Hashable { case sum, max }

    /// Position in `Metric.all`.
    public let index: Int
    /// Name in `run.json` and in messages; the objective name is `objectiveName`.
    public let rawValue: String
    /// The objective that optimises this metric (`accuracy` for the drop), if any.
    public let objectiveName: String?
    /// The key of its budget in `constraints` (in report units).
    public let constraintKey: String
    /// Unit of per-layer values and sums (pJ, ns, µm², points).
    public let rawUnit: String
    /// Raw value / `reportScale` = value in the unit of constraints and reports.
    public let reportScale: Double
    /// Fixed-point units per raw unit in the search's sums (`FixedPoint`).
    public let resolution: Double
    public let aggregation: Aggregation
    /// Allowed budgets, in report units (nil: any positive number), and what they read as in
    /// a message.
    public let limitRange: ClosedRange<Double>?
    public let limitDescription: String
    /// Axis label of its objective in the plot.
    public let label: String

    public var description: String { rawValue }
    public var name: String { rawValue }

    public static func == (a: Metric, b: Metric) -> Bool { a.index == b.index }
    public func hash(into hasher: inout Hasher) { hasher.combine(index) }

    /// Dynamic energy per inference: raw pJ, reported in µJ; 1 fJ fixed point.
    public static let energy = Metric(index: 0, rawValue: "energy", objectiveName: "energy", constraintKey: "energy_uj",
                                      rawUnit: "pJ", reportScale: 1e6, resolution: 1000, aggregation: .sum,
                                      limitRange: nil, limitDescription: "a positive number",
                                      label: "energy (µJ per inference)")
    /// Latency per inference, layers one after another: raw ns, reported in ms; 1 ps fixed point.
    public static let latency = Metric(index: 1, rawValue: "latency", objectiveName: "latency", constraintKey: "latency_ms",
                                       rawUnit: "ns", reportScale: 1e6, resolution: 1000, aggregation: .sum,
                                       limitRange: nil, limitDescription: "a positive number",
                                       label: "latency (ms per inference)")
    /// Chip area: raw µm², reported in mm²; 0.001 µm² fixed point.
    public static let area = Metric(index: 2, rawValue: "area", objectiveName: "area", constraintKey: "area_mm2",
                                    rawUnit: "um2", reportScale: 1e6, resolution: 1000, aggregation: .sum,
                                    limitRange: nil, limitDescription: "a positive number", label: "area (mm²)")
    /// Accuracy drop below the estimator's reference, percentage points, additive over layers;
    /// the `accuracy` objective maximises accuracy by minimising it. 1e-6 points fixed point.
    public static let accuracyDrop = Metric(index: 3, rawValue: "accuracyDrop", objectiveName: "accuracy",
                                            constraintKey: "accuracy_drop_pct", rawUnit: "pct", reportScale: 1, resolution: 1e6,
                                            aggregation: .sum, limitRange: 0...100, limitDescription: "percentage points in 0...100",
                                            label: "accuracy (%)")

    /// The registry, in index order.
    public static let all: [Metric] = [energy, latency, area, accuracyDrop]
    public static var allCases: [Metric] { all }
    /// The hardware costs of `LayerCost` totals.
    public static let costMetrics: [Metric] = [energy, latency, area]

    /// The metric of a constraint key.
    public static func constrained(by key: String) -> Metric? { all.first { $0.constraintKey == key } }

    /// The budget of this metric in `constraints`, in report units; nil when unconstrained.
    public func limit(in constraints: Constraints) -> Double? { constraints[self] }

    /// The largest raw value `x` with `x / reportScale <= limit`: a sum meets the budget (as
    /// `Constraints.violations` reads it, in report units) exactly when it is at most this.
    public func rawThreshold(forLimit limit: Double) -> Double {
        var t = limit * reportScale
        while t / reportScale > limit { t = t.nextDown }
        while t.nextUp / reportScale <= limit, t.nextUp.isFinite { t = t.nextUp }
        return t
    }
}

/// A per-layer metric phase 2 sums over layers (every metric is linear in its option binaries).
public typealias Phase2Metric = Metric

/// What the search minimises (or, for accuracy, maximises): one metric, or the product of
/// several (EDAP: energy x latency x area). The objectives are the metrics that name one, then
/// the products; `Objective.all` lists them.
public struct Objective: Hashable, Sendable, CustomStringConvertible {
    /// Its name in the space's `objectives`.
    public let rawValue: String
    /// The metrics it is made of: one, or the factors of a product.
    public let metrics: [Metric]
    /// Axis label in the plot.
    public let label: String

    public var description: String { rawValue }
    /// Whether it is a product of several metrics.
    public var isProduct: Bool { metrics.count > 1 }
    /// For an objective of the time-shared chip (not a sum over layers): the figure it
    /// minimises; the search's labels do not carry it, the chip stage measures it.
    public var chipFigure: ChipFigure?

    /// A time-shared chip's figure an objective can minimise.
    public enum ChipFigure: Sendable, Hashable {
        /// Cells written per inference.
        case writes
        /// The worst cell's writes per inference (minimising it maximises the lifetime).
        case wear
    }

    public static let energy = Objective(rawValue: "energy", metrics: [.energy])
    public static let latency = Objective(rawValue: "latency", metrics: [.latency])
    public static let area = Objective(rawValue: "area", metrics: [.area])
    /// Energy x delay x area, µJ x ms x mm².
    public static let edap = Objective(rawValue: "edap", metrics: [.energy, .latency, .area], label: "EDAP (µJ·ms·mm²)")
    public static let accuracy = Objective(rawValue: "accuracy", metrics: [.accuracyDrop])
    /// Fewest cell writes per inference (a time-shared chip's).
    public static let writes = Objective(rawValue: "writes", chipFigure: .writes, label: "cell writes per inference")
    /// Longest lifetime: fewest writes of the worst cell per inference.
    public static let lifetime = Objective(rawValue: "lifetime", chipFigure: .wear, label: "worst-cell writes per inference")

    /// Every objective: one per metric that names one, then the products, then the chip's.
    public static let all: [Objective] = Metric.all.compactMap { m in m.objectiveName.map { Objective(rawValue: $0, metrics: [m]) } }
        + [edap, writes, lifetime]
    public static var allCases: [Objective] { all }

    public init(rawValue: String, metrics: [Metric], label: String? = nil) {
        self.rawValue = rawValue
        self.metrics = metrics
        self.label = label ?? metrics[0].label
    }

    init(rawValue: String, chipFigure: ChipFigure, label: String) {
        self.rawValue = rawValue
        metrics = []
        self.chipFigure = chipFigure
        self.label = label
    }

    public static func == (a: Objective, b: Objective) -> Bool { a.rawValue == b.rawValue }
    public func hash(into hasher: inout Hasher) { hasher.combine(rawValue) }

    /// The objective of this name.
    public init?(rawValue: String) {
        guard let o = Objective.all.first(where: { $0.rawValue == rawValue }) else { return nil }
        self = o
    }
}

/// Upper bounds every reported design must meet, per metric, in report units; nil means
/// unconstrained. Read from the `constraints` object, one key per metric (`Metric.constraintKey`).
public struct Constraints: Sendable, Hashable {
    private var limits: [Metric: Double] = [:]

    public init() {}

    public init(areaMM2: Double? = nil, latencyMS: Double? = nil, energyUJ: Double? = nil, accuracyDropPct: Double? = nil) {
        limits[.area] = areaMM2
        limits[.latency] = latencyMS
        limits[.energy] = energyUJ
        limits[.accuracyDrop] = accuracyDropPct
    }

    public subscript(metric: Metric) -> Double? {
        get { limits[metric] }
        set { limits[metric] = newValue }
    }

    public var areaMM2: Double? { get { self[.area] } set { self[.area] = newValue } }
    public var latencyMS: Double? { get { self[.latency] } set { self[.latency] = newValue } }
    public var energyUJ: Double? { get { self[.energy] } set { self[.energy] = newValue } }
    public var accuracyDropPct: Double? { get { self[.accuracyDrop] } set { self[.accuracyDrop] = newValue } }

    /// The constrained metrics, in registry order.
    public var metrics: [Metric] { Metric.all.filter { limits[$0] != nil } }
}
