/// A hardware component whose figures a layer cost reports: its key (the suffix of its CSV and
/// JSON columns) and the actions its energy counts (read, write, leak, ...). The registry
/// (`ComponentKey.registry`) lists them in column order; a substrate names the ones it uses
/// (`SubstrateKind.components`). A key is only its registry position, so the cost model's hot
/// path indexes figures without reference counting.
public struct ComponentKey: Sendable, Hashable, CustomStringConvertible {
    /// Position in the registry: the lane of its figures in a `ComponentBreakdown`.
    public let index: Int

    @usableFromInline
    init(_ index: Int) { self.index = index }

    public var name: String { Self.registry[index].name }
    /// The actions whose energy the component's figure sums.
    public var actions: [String] { Self.registry[index].actions }
    public var description: String { name }

    /// Names and actions, in column order (at most `ComponentBreakdown.capacity` components).
    static let registry: [(name: String, actions: [String])] = [
        ("adc", ["convert"]),
        ("cell_array", ["read"]),
        ("row_drivers", ["drive"]),
        ("column_mux", ["select"]),
        ("shift_add", ["add"]),
        ("adder_tree", ["add"]),
        ("buffer", ["read", "write"]),
        ("interconnect", ["transfer"]),
        ("other", ["compare"]),
        ("sense_amp", ["sense"]),
        ("word_line_logic", ["decode"]),
        ("multiplier", ["multiply"]),
        ("accumulator", ["add"]),
    ]

    /// Registered components (`ComponentBreakdown.total` adds exactly these lanes).
    @inlinable public static var count: Int { 13 }

    @inlinable public static var adc: ComponentKey { ComponentKey(0) }
    @inlinable public static var cellArray: ComponentKey { ComponentKey(1) }
    @inlinable public static var rowDrivers: ComponentKey { ComponentKey(2) }
    /// Column drivers, column multiplexers and their decoders.
    @inlinable public static var columnMux: ComponentKey { ComponentKey(3) }
    @inlinable public static var shiftAdd: ComponentKey { ComponentKey(4) }
    @inlinable public static var adderTree: ComponentKey { ComponentKey(5) }
    @inlinable public static var buffer: ComponentKey { ComponentKey(6) }
    @inlinable public static var interconnect: ComponentKey { ComponentKey(7) }
    /// Pooling units and anything not listed above.
    @inlinable public static var other: ComponentKey { ComponentKey(8) }
    /// Sense amplifiers of digital bit lines.
    @inlinable public static var senseAmp: ComponentKey { ComponentKey(9) }
    /// Logic that opens word lines from an operand (DAISM's OR and pre-computed-product rows).
    @inlinable public static var wordLineLogic: ComponentKey { ComponentKey(10) }
    /// Digital multipliers.
    @inlinable public static var multiplier: ComponentKey { ComponentKey(11) }
    /// Accumulators: an adder and a register per output being summed.
    @inlinable public static var accumulator: ComponentKey { ComponentKey(12) }

    /// Every registered component, in column order.
    public static var all: [ComponentKey] { (0..<count).map(ComponentKey.init) }
}

/// One figure (area, energy or latency) split by hardware component: a value per registered
/// component (`ComponentKey`), 0 for the components a substrate does not have.
public struct ComponentBreakdown: Sendable, Hashable {
    /// Most registered components.
    public static let capacity = 16
    public var lanes = SIMD16<Double>(repeating: 0)

    public init() {}

    @inlinable
    public subscript(key: ComponentKey) -> Double {
        get { lanes[key.index] }
        set { lanes[key.index] = newValue }
    }

    /// The figures of `keys`, in that order.
    public func values(_ keys: [ComponentKey]) -> [Double] { keys.map { lanes[$0.index] } }

    /// The sum over every component, added in registry order.
    @inlinable @inline(__always)
    public var total: Double {
        // Written out (left to right, registry order) so that it compiles to straight adds.
        let l = lanes
        let first = l[0] + l[1] + l[2] + l[3] + l[4] + l[5] + l[6] + l[7] + l[8]
        return first + l[9] + l[10] + l[11] + l[12]
    }

    public static func + (a: ComponentBreakdown, b: ComponentBreakdown) -> ComponentBreakdown {
        var r = ComponentBreakdown()
        r.lanes = a.lanes + b.lanes
        return r
    }
}

/// The cost of one layer under one design choice, with its mapping counts.
public struct LayerCost: Sendable, Hashable {
    /// The substrate the layer runs on: what `counts` and the breakdowns' components mean.
    public var substrate: SubstrateKind
    /// Mapping counts named by `substrate.countKeys`, in that order (crossbars, ADC conversions...).
    public var counts = SIMD8<Int>(repeating: 0)
    public var macs = 0
    public var areaUM2 = ComponentBreakdown()
    public var energyPJ = ComponentBreakdown()
    public var latencyNS = ComponentBreakdown()

    public init(substrate: SubstrateKind) { self.substrate = substrate }

    /// The count named `key`; nil when the substrate has no such count.
    public func count(_ key: String) -> Int? { substrate.countKeys.firstIndex(of: key).map { counts[$0] } }

    /// The counts with their names.
    public var namedCounts: [(key: String, value: Int)] { substrate.countKeys.enumerated().map { ($1, counts[$0]) } }
}

/// Totals of a whole design, in the units reported to users.
public struct DesignTotals: Sendable, Hashable {
    public var areaMM2: Double
    public var energyUJ: Double
    public var latencyMS: Double
    /// Operations per inference: 2 per multiply-accumulate.
    public var ops: Double

    public init(layers: [LayerCost]) {
        self.init(areaUM2: layers.map(\.areaUM2.total), energyPJ: layers.map(\.energyPJ.total),
                  latencyNS: layers.map(\.latencyNS.total), macs: layers.map(\.macs))
    }

    /// Totals of per-layer figures, each summed in layer order.
    public init(areaUM2: [Double], energyPJ: [Double], latencyNS: [Double], macs: [Int]) {
        areaMM2 = areaUM2.reduce(0, +) / 1e6
        energyUJ = energyPJ.reduce(0, +) / 1e6
        latencyMS = latencyNS.reduce(0, +) / 1e6
        ops = 2 * Double(macs.reduce(0, +))
    }

    /// Values of metrics beyond energy, latency and area (report units), set by the models
    /// that compute them.
    public var extra: [Metric: Double] = [:]

    /// The value of a metric in report units; nil for one these totals do not hold (the
    /// accuracy drop is in `DesignAccuracy`).
    public subscript(metric: Metric) -> Double? {
        switch metric.index {
        case Metric.energy.index: return energyUJ
        case Metric.latency.index: return latencyMS
        case Metric.area.index: return areaMM2
        default: return extra[metric]
        }
    }

    /// Operations per second per watt, in tera: ops / energy (1 op/pJ = 1 TOPS/W).
    public var topsPerW: Double { ops / (energyUJ * 1e6) }
    /// Throughput per area: ops / latency / area, in TOPS/mm^2.
    public var topsPerMM2: Double { ops / (latencyMS * 1e-3) / 1e12 / areaMM2 }
    /// Energy x delay x area, in uJ x ms x mm^2.
    public var edap: Double { energyUJ * latencyMS * areaMM2 }
}
