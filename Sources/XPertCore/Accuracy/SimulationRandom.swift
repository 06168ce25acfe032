import Foundation

/// SplitMix64 (Steele, Lea and Flood 2014): the seeded generator of the functional simulator's
/// synthetic data. A generator is made from a seed and a stream number, so that every layer
/// (and every tensor of a layer) draws from its own stream: the data of a layer do not depend
/// on which thread makes them or on what else is generated.
public struct SimulationRandom: RandomNumberGenerator, Sendable {
    public private(set) var state: UInt64
    /// The second normal of the last Box-Muller pair, not yet returned.
    private var spareNormal: Double?

    public init(seed: UInt64, stream: UInt64 = 0) {
        state = Self.mix(seed ^ Self.mix(stream &+ 0x6A09_E667_F3BC_C909))
    }

    /// SplitMix64's output function, also used to derive stream seeds.
    @inlinable
    public static func mix(_ x: UInt64) -> UInt64 {
        var z = x
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return Self.mix(state)
    }

    /// Uniform in the open interval (0, 1): 53 random bits, centred in their cell.
    public mutating func nextOpenUnit() -> Double {
        (Double(next() >> 11) + 0.5) * 0x1p-53
    }

    /// Uniform integer in `0..<bound` (Lemire's multiply-shift; bound > 0).
    public mutating func nextInt(below bound: Int) -> Int {
        precondition(bound > 0)
        return Int(next().multipliedFullWidth(by: UInt64(bound)).high)
    }

    /// Standard normal (Box-Muller; both values of a pair are used, in order).
    public mutating func nextNormal() -> Double {
        if let spare = spareNormal {
            spareNormal = nil
            return spare
        }
        let r = (-2 * Foundation.log(nextOpenUnit())).squareRoot()
        let theta = 2 * Double.pi * nextOpenUnit()
        spareNormal = r * Foundation.sin(theta)
        return r * Foundation.cos(theta)
    }

    /// Laplace with mean 0 and unit standard deviation (scale 1/sqrt 2), by inversion.
    public mutating func nextLaplace() -> Double {
        let u = nextOpenUnit() - 0.5
        let b = 1 / 2.0.squareRoot()
        return u < 0 ? b * Foundation.log(1 + 2 * u) : -b * Foundation.log(1 - 2 * u)
    }
}

/// A family of synthetic values with mean 0 and unit variance: weights draw it directly
/// (He-scaled), activations its rectified value `max(0, x)` (as after a ReLU), except
/// `sparse`, whose activations are `|x|` where not zero.
///
/// - `normal`, `laplace`: the usual priors for trained weights;
/// - `studentT(dof:)`: heavy tails (outlier channels, attention inputs), scaled to unit variance;
/// - `sparse(zeroFraction:)`: exact zeros with that probability, else normal (pruned weights,
///   sparse post-ReLU activations).
public enum DataFamily: Sendable, Hashable, CustomStringConvertible {
    case normal
    case laplace
    case studentT(dof: Int)
    case sparse(zeroFraction: Double)

    public static let names = ["normal", "laplace", "student_t", "sparse"]
    public static let defaultDOF = 3
    public static let defaultZeroFraction = 0.5

    public var description: String {
        switch self {
        case .normal: return "normal"
        case .laplace: return "laplace"
        case let .studentT(dof): return "student_t(dof \(dof))"
        case let .sparse(p): return "sparse(zero_fraction \(JSONValue.format(number: p)))"
        }
    }

    /// One draw (signed, unit variance).
    func draw(_ rng: inout SimulationRandom) -> Double {
        switch self {
        case .normal: return rng.nextNormal()
        case .laplace: return rng.nextLaplace()
        case let .studentT(dof):
            var chi2 = 0.0
            for _ in 0..<dof { let z = rng.nextNormal(); chi2 += z * z }
            return rng.nextNormal() / (chi2 / Double(dof)).squareRoot() * (Double(dof - 2) / Double(dof)).squareRoot()
        case let .sparse(p):
            return rng.nextOpenUnit() < p ? 0 : rng.nextNormal() / (1 - p).squareRoot()
        }
    }

    /// One activation draw (non-negative).
    func drawActivation(_ rng: inout SimulationRandom) -> Double {
        if case .sparse = self { return abs(draw(&rng)) }
        return max(0, draw(&rng))
    }

    /// Reads `"normal"` or `{"family": "student_t", "dof": 3}` / `{"family": "sparse", "zero_fraction": 0.7}`.
    static func read(_ node: JSONNode) throws -> DataFamily {
        let name: String
        var object: JSONObject?
        if case .string = node.value {
            name = try node.string(oneOf: names)
        } else {
            let o = try node.object(allowing: ["family", "dof", "zero_fraction"])
            name = try o.required("family").string(oneOf: names)
            object = o
        }
        func only(_ key: String, for family: String) throws {
            if let n = object?.optional(key), name != family { throw n.error("\(key) applies to the \(family) family only") }
        }
        try only("dof", for: "student_t")
        try only("zero_fraction", for: "sparse")
        switch name {
        case "normal": return .normal
        case "laplace": return .laplace
        case "student_t": return .studentT(dof: try object?.optional("dof")?.int(in: 3...100) ?? defaultDOF)
        default:
            let p = try object?.optional("zero_fraction")?.number(in: 0...0.99, what: "a fraction in 0...0.99") ?? defaultZeroFraction
            return .sparse(zeroFraction: p)
        }
    }
}

/// The distribution of synthetic weights (He-scaled).
public typealias WeightDistribution = DataFamily

/// Seeded synthetic tensors for the functional simulator.
public enum SyntheticData {
    /// The tensors of one layer shape: weights, the activation samples, the calibration samples.
    public enum Tensor: UInt64, Sendable { case weights = 0, activations = 1, calibration = 2 }

    /// The one stream convention: `2^20 * layer + 4 * shape + tensor`, where `shape` numbers
    /// the layer's simulated shapes (its input-channel choices; 0 for a single shape). Every
    /// tensor of every shape draws from its own stream, so data do not depend on what else is
    /// generated or on the thread that makes them.
    public static func stream(layer: Int, shape: Int = 0, tensor: Tensor) -> UInt64 {
        precondition(shape < 1 << 18, "at most 2^18 shapes per layer")
        return UInt64(layer) << 20 | UInt64(4 * shape) | tensor.rawValue
    }

    /// A `outputs x rows` weight matrix, i.i.d. with mean 0 and `std = sqrt(2 / rows)`.
    public static func weights(outputs: Int, rows: Int, distribution: WeightDistribution,
                               seed: UInt64, stream: UInt64 = 0) -> WeightMatrix {
        precondition(outputs > 0 && rows > 0)
        var rng = SimulationRandom(seed: seed, stream: stream)
        let std = (2 / Double(rows)).squareRoot()
        var values = [Float](repeating: 0, count: outputs * rows)
        for i in values.indices { values[i] = Float(std * distribution.draw(&rng)) }
        return WeightMatrix(outputs: outputs, rows: rows, values: values)
    }

    /// `count` activation vectors of `rows` elements, i.i.d. from `family`'s activation draw;
    /// by default rectified standard normal (`max(0, z)`): about half the elements are 0, as
    /// after a ReLU.
    public static func activations(rows: Int, count: Int, seed: UInt64, stream: UInt64 = 1,
                                   family: DataFamily = .normal) -> ActivationSamples {
        precondition(rows > 0 && count > 0)
        var rng = SimulationRandom(seed: seed, stream: stream)
        var values = [Float](repeating: 0, count: rows * count)
        for i in values.indices { values[i] = Float(family.drawActivation(&rng)) }
        return ActivationSamples(rows: rows, count: count, values: values)
    }
}
