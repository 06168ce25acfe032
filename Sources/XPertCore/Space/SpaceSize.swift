import Foundation

/// The number of joint design points of a space: channel choices (one per channel group)
/// times every layer's periphery choices. Kept as a base-10 logarithm, since it overflows.
public struct SpaceSize: Sendable, CustomStringConvertible {
    public let log10Count: Double

    public init(workload: Workload) {
        var seenGroups = Set<String>()
        var log = 0.0
        for layer in workload.layers {
            log += log10(Double(layer.choices.count))
            if let g = layer.channelGroup, !seenGroups.insert(g).inserted { continue }
            log += log10(Double(layer.outChannelChoices.count))
        }
        log10Count = log
    }

    public var description: String {
        if log10Count < 15 { return String(Int((pow(10, log10Count)).rounded())) }
        return String(format: "%.3ge%d", pow(10, log10Count - log10Count.rounded(.down)), Int(log10Count.rounded(.down)))
    }
}
