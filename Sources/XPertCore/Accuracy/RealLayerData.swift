import Foundation

/// A layer's real data for the noise tables, loaded when the space is read: its trained
/// weights (`"weights"`) and samples of its input (`"activations"`), both at the layer's
/// largest channel choices. The noise of that shape is measured on them; the layer's other
/// shapes use synthetic data of the families their statistics fit (`fittedFamilies`).
public struct RealLayerData: Sendable {
    public var weights: WeightMatrix?
    /// `samples` vectors drawn from the file, and a second draw for the ADC's calibration.
    public var activations: ActivationSamples?
    public var calibration: ActivationSamples?

    /// Every layer's real data (nil for a layer with neither file).
    static func load(workload: Workload, settings: NoiseSettings, seed: UInt64, path: String) throws -> [RealLayerData?] {
        try workload.layers.enumerated().map { l, layer -> RealLayerData? in
            guard layer.weightsPath != nil || layer.activationsPath != nil else { return nil }
            let inChannels = workload.inChannelChoices(of: l).max()!
            var data = RealLayerData()
            if let file = layer.weightsPath {
                let at = "\(path).layers[\(l)].weights"
                data.weights = try Self.wrap(at) {
                    try WeightMatrix(npy: try NPYArray.load(path: file), layer: layer, inChannels: inChannels,
                                     outChannels: layer.outChannelChoices.max()!, path: at)
                }
            }
            if let file = layer.activationsPath {
                let at = "\(path).layers[\(l)].activations"
                let array = try Self.wrap(at) { try NPYArray.load(path: file) }
                data.activations = try Self.wrap(at) {
                    try ActivationSamples(npy: array, layer: layer, inChannels: inChannels, samples: settings.samples, seed: seed, path: at)
                }
                data.calibration = try Self.wrap(at) {
                    try ActivationSamples(npy: array, layer: layer, inChannels: inChannels, samples: settings.samples,
                                          seed: seed ^ 0xCA11_B4A7, path: at)
                }
            }
            return data
        }
    }

    static func wrap<T>(_ path: String, _ body: () throws -> T) throws -> T {
        do { return try body() } catch let e as InputError {
            throw InputError(path: path, e.message)
        }
    }

    /// The synthetic families that match this data's statistics, for the layer's other shapes:
    /// weights by their kurtosis (normal below 4.5, Laplace below 9, else Student's t with 5
    /// degrees of freedom, kurtosis 9), activations by their fraction of exact zeros (sparse) or,
    /// with none, rectified normal.
    func fittedFamilies(default d: (weights: DataFamily, activations: DataFamily)) -> (weights: DataFamily, activations: DataFamily) {
        var out = d
        if let w = weights {
            let n = Double(w.values.count)
            let mean = w.values.reduce(0.0) { $0 + Double($1) } / n
            let m2 = w.values.reduce(0.0) { $0 + pow(Double($1) - mean, 2) } / n
            let m4 = w.values.reduce(0.0) { $0 + pow(Double($1) - mean, 4) } / n
            let kurtosis = m2 > 0 ? m4 / (m2 * m2) : 3
            out.weights = kurtosis < 4.5 ? .normal : kurtosis < 9 ? .laplace : .studentT(dof: 5)
        }
        if let a = activations {
            let zeros = Double(a.values.filter { $0 == 0 }.count) / Double(a.values.count)
            out.activations = zeros > 0 ? .sparse(zeroFraction: min(0.99, zeros)) : .normal
        }
        return out
    }
}
