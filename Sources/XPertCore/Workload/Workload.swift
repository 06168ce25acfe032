/// The network: its input, its weight layers in evaluation order and its number formats.
public struct Workload: Sendable, Hashable {
    public var input: TensorShape
    public var layers: [Layer]
    public var weightBits: Int
    public var activationBits: Int

    public init(input: TensorShape, layers: [Layer], weightBits: Int, activationBits: Int) {
        self.input = input
        self.layers = layers
        self.weightBits = weightBits
        self.activationBits = activationBits
    }

    /// Input channels of layer `index` when every layer has the given output channels.
    @inlinable
    public func inChannels(of index: Int, outChannels: [Int]) -> Int {
        layers[index].inputIndex.map { outChannels[$0] } ?? input.channels
    }

    /// Input channel counts layer `index` may read: its input layer's choices, or the network input.
    public func inChannelChoices(of index: Int) -> [Int] {
        layers[index].inputIndex.map { layers[$0].outChannelChoices } ?? [input.channels]
    }

    /// Index of the layer with this name.
    public func index(of name: String) -> Int? { layers.firstIndex { $0.name == name } }
}
