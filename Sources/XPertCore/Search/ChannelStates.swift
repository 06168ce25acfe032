/// The channel-count bookkeeping of a dynamic programme over layers.
///
/// A layer's cost depends on its own output channels and on the channels of the layer it
/// reads. Channels are chosen per *entity*: a channel group, or a layer outside any group.
/// After layer `i`, the entities still needed later (by a later member of the group or by a
/// later reader) are *live*; a DP state is the channel count of every live entity.
public struct ChannelStates: Sendable {
    /// Entity of each layer's output channels.
    public let entityOfLayer: [Int]
    /// Channel choices of each entity.
    public let choices: [[Int]]
    /// Live entities after each layer, in ascending order.
    public let liveAfter: [[Int]]

    public init(workload: Workload) {
        var entityOfLayer: [Int] = []
        var groupEntity: [String: Int] = [:]
        var choices: [[Int]] = []
        for layer in workload.layers {
            if let g = layer.channelGroup, let e = groupEntity[g] {
                entityOfLayer.append(e)
                continue
            }
            let e = choices.count
            choices.append(layer.outChannelChoices)
            if let g = layer.channelGroup { groupEntity[g] = e }
            entityOfLayer.append(e)
        }
        // An entity is needed at layer j if j belongs to it or reads from it.
        var lastUse = [Int](repeating: -1, count: choices.count)
        var firstUse = [Int](repeating: Int.max, count: choices.count)
        for (j, layer) in workload.layers.enumerated() {
            let own = entityOfLayer[j]
            lastUse[own] = max(lastUse[own], j)
            firstUse[own] = min(firstUse[own], j)
            if let input = layer.inputIndex { lastUse[entityOfLayer[input]] = max(lastUse[entityOfLayer[input]], j) }
        }
        liveAfter = workload.layers.indices.map { i in
            choices.indices.filter { firstUse[$0] <= i && lastUse[$0] > i }
        }
        self.entityOfLayer = entityOfLayer
        self.choices = choices
    }

    /// Live entities before layer `i` (after layer `i - 1`).
    public func liveBefore(_ i: Int) -> [Int] { i == 0 ? [] : liveAfter[i - 1] }
}
