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

/// The distribution of synthetic weights; both are He-scaled (`std = sqrt(2 / fan_in)`).
public enum WeightDistribution: String, Sendable, Hashable, CaseIterable {
    case normal
    case laplace
}

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
        switch distribution {
        case .normal: for i in values.indices { values[i] = Float(std * rng.nextNormal()) }
        case .laplace: for i in values.indices { values[i] = Float(std * rng.nextLaplace()) }
        }
        return WeightMatrix(outputs: outputs, rows: rows, values: values)
    }

    /// `count` activation vectors of `rows` elements, i.i.d. rectified standard normal
    /// (`max(0, z)`): about half the elements are 0, as after a ReLU.
    public static func activations(rows: Int, count: Int, seed: UInt64, stream: UInt64 = 1) -> ActivationSamples {
        precondition(rows > 0 && count > 0)
        var rng = SimulationRandom(seed: seed, stream: stream)
        var values = [Float](repeating: 0, count: rows * count)
        for i in values.indices { values[i] = Float(max(0, rng.nextNormal())) }
        return ActivationSamples(rows: rows, count: count, values: values)
    }
}
