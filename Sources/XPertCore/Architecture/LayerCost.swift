/// One figure (area, energy or latency) split by hardware component.
public struct ComponentBreakdown: Sendable, Hashable {
    public var adc = 0.0
    public var cellArray = 0.0
    public var rowDrivers = 0.0
    /// Column drivers, column multiplexers and their decoders.
    public var columnMux = 0.0
    public var shiftAdd = 0.0
    public var adderTree = 0.0
    public var buffer = 0.0
    public var interconnect = 0.0
    /// Pooling units and anything not listed above.
    public var other = 0.0

    public init() {}

    /// Component names as they appear in JSON and CSV output, in `values` order.
    public static let keys = ["adc", "cell_array", "row_drivers", "column_mux", "shift_add",
                              "adder_tree", "buffer", "interconnect", "other"]

    public var values: [Double] { [adc, cellArray, rowDrivers, columnMux, shiftAdd, adderTree, buffer, interconnect, other] }

    @inlinable
    public var total: Double {
        adc + cellArray + rowDrivers + columnMux + shiftAdd + adderTree + buffer + interconnect + other
    }

    public static func + (a: ComponentBreakdown, b: ComponentBreakdown) -> ComponentBreakdown {
        var r = ComponentBreakdown()
        r.adc = a.adc + b.adc
        r.cellArray = a.cellArray + b.cellArray
        r.rowDrivers = a.rowDrivers + b.rowDrivers
        r.columnMux = a.columnMux + b.columnMux
        r.shiftAdd = a.shiftAdd + b.shiftAdd
        r.adderTree = a.adderTree + b.adderTree
        r.buffer = a.buffer + b.buffer
        r.interconnect = a.interconnect + b.interconnect
        r.other = a.other + b.other
        return r
    }
}

/// The cost of one layer under one design choice, with its mapping counts.
public struct LayerCost: Sendable, Hashable {
    /// Crossbars holding the layer's weights.
    public var crossbars = 0
    /// Crossbar slots allocated (whole tiles), whose area the layer pays.
    public var crossbarSlots = 0
    public var tiles = 0
    public var adcs = 0
    /// ADC conversions per inference.
    public var adcConversions = 0
    public var macs = 0
    public var areaUM2 = ComponentBreakdown()
    public var energyPJ = ComponentBreakdown()
    public var latencyNS = ComponentBreakdown()

    public init() {}
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
