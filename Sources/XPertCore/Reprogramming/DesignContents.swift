/// What a design's crossbars must hold, made once and run on any chip size: each crossbar
/// layer's quantised weights, their plain contents and, once sorted, the row orders and the
/// sorted contents.
public struct DesignContents: Sendable {
    public let layers: [(layer: Int, weights: QuantisedWeights)]
    public let plain: ChipContents
    /// Per crossbar layer, the row at each crossbar row position (empty until sorted).
    public private(set) var rowOrders: [[Int32]] = []
    public private(set) var sorted: ChipContents?

    public init(space: SearchSpace, design: Design, threads: Int) throws {
        layers = try Self.weights(space: space, design: design, threads: threads)
        plain = ChipContents(layers: layers.map { ($0.layer, $0.weights, nil) }, geometry: CrossbarGeometry(hardware: space.hardware),
                             threads: threads)
    }

    /// The design's crossbar layers and their weights quantised to `weight_bits`; each layer's
    /// from its own file or stream, so the result is the same on any thread.
    public static func weights(space: SearchSpace, design: Design, threads: Int) throws -> [(layer: Int, weights: QuantisedWeights)] {
        let workload = space.workload
        let outChannels = design.outChannels
        let crossbarLayers = design.layers.indices.filter { design.layers[$0].option.substrate == .crossbar }
        let loaded = ParallelMap.map(crossbarLayers, threads: threads) { l in
            Result { () throws(InputError) -> QuantisedWeights in
                let inChannels = workload.inChannels(of: l, outChannels: outChannels)
                do {
                    let matrix = try DesignWeights.matrix(space: space, layer: l, inChannels: inChannels, outChannels: outChannels[l])
                    return QuantisedWeights(matrix, bits: workload.weightBits)
                } catch let e as InputError { throw e } catch { throw InputError(path: "$", "\(error)") }
            }
        }
        guard !crossbarLayers.isEmpty else {
            throw InputError(path: "$.design", "the design runs no layer on the crossbar substrate: nothing is reprogrammed")
        }
        return try zip(crossbarLayers, loaded).map { ($0, try $1.get()) }
    }

    /// Adds the sorted contents, when a policy of the space sorts rows (once).
    public mutating func sortRows(space: SearchSpace, threads: Int) {
        guard sorted == nil, space.reprogramming.policies.contains(where: \.sortsRows) else { return }
        let layers = self.layers
        rowOrders = ParallelMap.map(count: layers.count, threads: threads) { ChipContents.sortedRowOrder(layers[$0].weights) }
        sorted = ChipContents(layers: zip(layers, rowOrders).map { ($0.layer, $0.weights, $1) }, geometry: plain.geometry, threads: threads)
    }
}
