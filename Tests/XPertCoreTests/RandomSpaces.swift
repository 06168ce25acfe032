import Foundation
@testable import XPertCore

/// SplitMix64: a small seeded generator so that a generated space is reproducible from its seed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Small random search spaces for oracle tests: 2-4 layers, a few choices each, sometimes a
/// channel group or a layer that reads an earlier one. Tests set budgets themselves.
enum RandomSpaces {
    static func make(seed: UInt64) throws -> SearchSpace { try SearchSpace.read(JSONNode(document(seed: seed))) }

    /// The document of `make(seed:)`.
    static func document(seed: UInt64) -> JSONValue {
        var rng = SplitMix64(seed: seed)
        func pick<T>(_ xs: [T]) -> T { xs[Int(rng.next() % UInt64(xs.count))] }
        func subset(_ xs: [Int], max: Int) -> [Int] {
            let n = 1 + Int(rng.next() % UInt64(min(max, xs.count)))
            return Array(xs.shuffled(using: &rng).prefix(n)).sorted()
        }
        let layerCount = 2 + Int(rng.next() % 3)
        let useGroup = layerCount >= 3 && rng.next() % 2 == 0
        let groupChoices = subset([4, 8, 16, 24], max: 3)
        var layers: [JSONValue] = []
        for i in 0..<layerCount {
            var members: [(key: String, value: JSONValue)] = [
                ("name", .string("l\(i)")),
                ("type", .string(i == layerCount - 1 && rng.next() % 2 == 0 ? "linear" : "conv")),
            ]
            if case .string("conv") = members[1].value {
                members += [("kernel", .number(Double(pick([1, 3])))), ("padding", .number(1))]
            }
            let inGroup = useGroup && (i == 0 || i == layerCount - 1)
            let channels = inGroup ? groupChoices : subset([4, 8, 16, 32], max: 3)
            members.append(("out_channels", .object([("choices", .array(channels.map { .number(Double($0)) }))])))
            if inGroup { members.append(("channel_group", .string("g"))) }
            if i >= 2 && rng.next() % 3 == 0 { members.append(("input", .string("l\(i - 2)"))) }
            if rng.next() % 3 == 0 {
                members.append(("choices", .object([("column_sharing", .array(subset([1, 2, 4, 8], max: 2).map { .number(Double($0)) }))])))
            }
            layers.append(.object(members))
        }
        let adcTypes: [JSONValue] = pick([[.string("sar")], [.string("flash")], [.string("sar"), .string("flash")]])
        let doc: [(key: String, value: JSONValue)] = [
            ("name", .string("random-\(seed)")),
            ("seed", .number(Double(seed % 1000))),
            ("workload", .object([
                ("input", .object([("height", .number(6)), ("width", .number(6)), ("channels", .number(3))])),
                ("layers", .array(layers)),
            ])),
            ("hardware", .object([
                ("technology_nm", .number(Double(pick([22, 32, 45])))),
                ("cell", .string("rram-1t1r")),
                ("crossbar", .object([("rows", .number(32)), ("cols", .number(32))])),
                ("sign_scheme", .string(pick(["differential", "offset"]))),
                ("tile", .object([("crossbars_per_pe", .number(2)), ("pes_per_tile", .number(2))])),
            ])),
            ("choices", .object([
                ("adc_type", .array(adcTypes)),
                ("adc_bits", .array(subset([3, 4, 5, 6], max: 2).map { .number(Double($0)) })),
                ("column_sharing", .array(subset([1, 2, 4, 8, 16], max: 3).map { .number(Double($0)) })),
                ("input_bits", .array(subset([2, 4, 6, 8], max: 2).map { .number(Double($0)) })),
            ])),
        ]
        return .object(doc)
    }
}
