/// Integer units in which the search sums a per-layer metric, so that sums are exact and do
/// not depend on the order of addition.
///
/// The scale is the metric's resolution (say 1000 units per ns: 1 ps) unless the largest
/// total a design can reach would then pass 2^62; it is then lowered by powers of ten until
/// every total fits in an `Int64` with room to spare. For any realistic space the resolution
/// is kept; an absurdly large one is still summed exactly, on a coarser grid.
public struct FixedPoint: Sendable, Hashable {
    /// Integer units per unit of the metric.
    public let unitsPerValue: Double

    /// Largest total magnitude a scale admits.
    public static let maxTotalUnits = Double(1 << 62)

    /// The scale for totals of magnitude at most `largestTotal` (metric units).
    public init(resolution: Double, largestTotal: Double) {
        precondition(resolution > 0 && resolution.isFinite && largestTotal >= 0, "a fixed-point scale needs a positive resolution")
        var scale = resolution
        while largestTotal * scale > Self.maxTotalUnits { scale /= 10 }
        unitsPerValue = scale
    }

    /// `x` in units, rounded to the nearest.
    @inlinable
    public func units(_ x: Double) -> Int64 { Int64((x * unitsPerValue).rounded()) }

    /// The largest unit count within `limit`, or nil when the limit is above every total this
    /// scale admits (it cannot bind).
    public func budget(_ limit: Double) -> Int64? {
        let u = (limit * unitsPerValue).rounded(.down)
        return u >= Self.maxTotalUnits ? nil : Int64(u)
    }

    /// A unit count as a value of the metric.
    @inlinable
    public func value(_ units: Int64) -> Double { Double(units) / unitsPerValue }

    /// The largest total over layers when each layer takes its largest magnitude in `values`.
    public static func largestTotal<S: Sequence>(_ layers: S) -> Double where S.Element == [Double] {
        layers.reduce(0) { $0 + ($1.lazy.map(abs).max() ?? 0) }
    }
}
