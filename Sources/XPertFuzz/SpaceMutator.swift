import XPertCore

/// A seeded structured mutator of JSON documents (search spaces and designs): each mutation
/// picks a node at random and replaces, removes, duplicates or retypes it, preferring values
/// at the edges of what the reader accepts (limits, powers of two, zero, huge numbers, long
/// and control-character strings, many copies of a layer). The same seed gives the same
/// sequence of documents.
public struct SpaceMutator {
    var rng: SimulationRandom
    /// Member names seen in the corpus, for inserting plausible keys.
    let keys: [String]
    /// Strings seen in the corpus (enumeration values, layer names).
    let strings: [String]

    public init(seed: UInt64, corpus: [JSONValue]) {
        rng = SimulationRandom(seed: seed, stream: 0xF022)
        var keys = Set<String>(), strings = Set<String>()
        for doc in corpus { Self.collect(doc, keys: &keys, strings: &strings) }
        self.keys = keys.sorted()
        self.strings = strings.sorted()
    }

    static func collect(_ v: JSONValue, keys: inout Set<String>, strings: inout Set<String>) {
        switch v {
        case let .object(members):
            for m in members { keys.insert(m.key); collect(m.value, keys: &keys, strings: &strings) }
        case let .array(items): for i in items { collect(i, keys: &keys, strings: &strings) }
        case let .string(s) where s.count < 40: strings.insert(s)
        default: break
        }
    }

    /// Numbers at the edges of the readers' ranges.
    static let interestingNumbers: [Double] = [
        0, -1, 1, 2, 3, 4, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 127, 128, 129, 255, 256, 1000, 1023, 1024, 1025,
        4095, 4096, 4097, 8192, 65535, 65536, 65537, 1e6, 1_000_001, 2_147_483_648, 4_294_967_296, 9_007_199_254_740_992,
        1e15, 1e16, 1e18, 1e19, 1e300, 0.5, -0.5, 1e-300, 1.5, 99.9, 100.0001, -1e6, 1e10,
    ]

    mutating func pick<T>(_ list: [T]) -> T { list[rng.nextInt(below: list.count)] }

    mutating func chance(_ p: Double) -> Bool { rng.nextOpenUnit() < p }

    /// A number of mutations: mostly one, so that many inputs stay valid and reach the models.
    public mutating func mutationCount() -> Int {
        let u = rng.nextOpenUnit()
        return u < 0.7 ? 1 : u < 0.9 ? 2 : 3
    }

    /// `doc` after `count` mutations.
    public mutating func mutate(_ doc: JSONValue, count: Int) -> JSONValue {
        var v = doc
        for _ in 0..<count {
            let total = Self.nodeCount(v)
            let target = rng.nextInt(below: total)
            var index = 0
            v = mutateNode(v, target: target, index: &index)
        }
        return v
    }

    static func nodeCount(_ v: JSONValue) -> Int {
        switch v {
        case let .object(m): return 1 + m.reduce(0) { $0 + nodeCount($1.value) }
        case let .array(a): return 1 + a.reduce(0) { $0 + nodeCount($1) }
        default: return 1
        }
    }

    /// Walks the tree in pre-order and mutates the node numbered `target`.
    mutating func mutateNode(_ v: JSONValue, target: Int, index: inout Int) -> JSONValue {
        if index == target {
            index += 1
            return change(v)
        }
        index += 1
        switch v {
        case var .object(members):
            for i in members.indices {
                if index > target { break }
                members[i].value = mutateNode(members[i].value, target: target, index: &index)
            }
            return .object(members)
        case var .array(items):
            for i in items.indices {
                if index > target { break }
                items[i] = mutateNode(items[i], target: target, index: &index)
            }
            return .array(items)
        default:
            return v
        }
    }

    /// One change to a node.
    mutating func change(_ v: JSONValue) -> JSONValue {
        if chance(0.03) { return pick([.null, .bool(true), .number(0), .string("x"), .array([]), .object([])]) }
        switch v {
        case let .number(n):
            switch rng.nextInt(below: 6) {
            case 0, 1: return .number(pick(Self.interestingNumbers))
            case 2, 3: return .number(n * pick([2, 4, 16, 1000, 1e6, 0.5]))
            case 4: return .number(n + pick([-1, 1]))
            default: return .number(pick([n.rounded(.down) + 0.5, -n, n * 1e300, 0]))
            }
        case .string:
            switch rng.nextInt(below: 5) {
            case 0: return .string("")
            case 1: return .string(String(repeating: pick(["x", "é", "|", ","]), count: pick([41, 255, 300, 5000])))
            case 2: return .string(pick(["a\nb", "tab\there", "nul\u{0}", "quote\"", "back\\slash", "../..", "/"]))
            default: return .string(strings.isEmpty ? "x" : pick(strings))
            }
        case var .array(items):
            if items.isEmpty { return .array([.number(pick(Self.interestingNumbers))]) }
            switch rng.nextInt(below: 5) {
            case 0:
                let i = rng.nextInt(below: items.count)
                let copies = pick([1, 2, 10, 100, 1100])
                items.insert(contentsOf: Array(repeating: items[i], count: copies), at: i)
            case 1: items.remove(at: rng.nextInt(below: items.count))
            case 2: items.reverse()
            case 3: items.append(items[rng.nextInt(below: items.count)])
            default: items = []
            }
            return .array(items)
        case var .object(members):
            switch rng.nextInt(below: 3) {
            case 0 where !members.isEmpty: members.remove(at: rng.nextInt(below: members.count))
            case 1:
                let key = keys.isEmpty || chance(0.2) ? "unknown_key" : pick(keys)
                if !members.contains(where: { $0.key == key }) {
                    members.append((key, chance(0.5) ? .number(pick(Self.interestingNumbers)) : .string(strings.isEmpty ? "x" : pick(strings))))
                }
            default:
                if !members.isEmpty {
                    let i = rng.nextInt(below: members.count)
                    members[i].value = change(members[i].value)
                }
            }
            return .object(members)
        default:
            return .number(pick(Self.interestingNumbers))
        }
    }
}
