/// Every local option of one layer: the input channel counts it may read, and its own
/// output channels and periphery choices. A layer's cost depends on nothing else.
public struct LayerOptions: Sendable {
    public let inChannelChoices: [Int]
    public let outChannelChoices: [Int]
    public let choices: LayerChoices

    public init(workload: Workload, layer index: Int) {
        let layer = workload.layers[index]
        inChannelChoices = workload.inChannelChoices(of: index)
        outChannelChoices = layer.outChannelChoices
        choices = layer.choices
    }

    public var count: Int { inChannelChoices.count * outChannelChoices.count * choices.count }

    /// Calls `body` with every (input channels, layer design), in a fixed order.
    @inlinable
    public func forEach(_ body: (Int, LayerDesign) -> Void) {
        for cin in inChannelChoices {
            for cout in outChannelChoices {
                for type in choices.adcTypes {
                    for bits in choices.adcBits {
                        for sharing in choices.columnSharing {
                            for input in choices.inputBits {
                                body(cin, LayerDesign(outChannels: cout, adcType: type, adcBits: bits,
                                                      columnSharing: sharing, inputBits: input))
                            }
                        }
                    }
                }
            }
        }
    }
}
