import Foundation

/// The weights a design's layer stores: the layer's `weights` file, or seeded synthetic
/// weights at the layer's full size.
///
/// Narrower channel choices keep a prefix (the slimmable-network convention): the first
/// `outChannels` filters and, of each, the rows of the first `inChannels` input channels, which
/// are the first `inChannels * K * K` rows of a conv layer and the first `inChannels * H * W`
/// of a linear one (rows in `(C, K, K)` or `(C, H, W)` order). Synthetic weights are drawn at
/// the largest choices (He-scaled normal, `SyntheticData`) and cut the same way, so designs
/// differing in width share their common weights.
public enum DesignWeights {
    /// The shape stream of reprogramming weights, apart from the noise tables' shapes.
    static let shapeStream = (1 << 18) - 1

    /// Layer `l`'s float weights at `inChannels x outChannels`.
    public static func matrix(space: SearchSpace, layer l: Int, inChannels: Int, outChannels: Int) throws -> WeightMatrix {
        let layer = space.workload.layers[l]
        let fullOut = layer.outChannelChoices.max()!
        let fullIn = space.workload.inChannelChoices(of: l).max()!
        let full: WeightMatrix
        if let path = layer.weightsPath {
            full = try WeightMatrix(npy: try NPYArray.load(path: path), layer: layer, inChannels: fullIn, outChannels: fullOut, path: path)
        } else {
            full = SyntheticData.weights(outputs: fullOut, rows: layer.weightRows(inChannels: fullIn), distribution: .normal,
                                         seed: space.seed, stream: SyntheticData.stream(layer: l, shape: shapeStream, tensor: .weights))
        }
        return full.prefix(outputs: outChannels, rows: layer.weightRows(inChannels: inChannels))
    }

    /// Checks a layer's `weights` file at read time: a readable `.npy` of the layer's full shape
    /// (its largest channel choices). Only the header is read.
    static func checkFile(path: String, layer: Layer, inChannels: Int, outChannels: Int, node: JSONNode) throws {
        let header = try NPYArray.header(path: path, for: node, what: "weights")
        let (expected, form) = WeightMatrix.npyShape(layer: layer, inChannels: inChannels, outChannels: outChannels)
        guard header.shape == expected else {
            throw node.fail("a .npy of shape \(form) = \(NPYArray.describe(expected)) at the layer's largest channel choices, "
                + "but the file has shape \(NPYArray.describe(header.shape))")
        }
    }
}
