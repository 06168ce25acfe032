/// What each physical crossbar of a chip holds over one inference.
///
/// The design's `logical` crossbars run in execution order (layer by layer, row block by row
/// block). A chip of `physical >= logical` crossbars holds them all (`resident`: programmed
/// once, never rewritten). A smaller chip is `time-shared`: it runs them in waves of
/// `physical`, wave `w` loading logical crossbars `w*P ..< (w+1)*P`, and the next inference
/// starts again at wave 0, so each physical crossbar cycles through its contents. Within a wave
/// any physical crossbar may take any of the wave's contents:
/// - plain placement: the `i`-th of the wave goes to physical crossbar `i`;
/// - similar placement (the sorted policies): the wave's contents ranked by their stored
///   magnitude (`key`) go rank for rank to the physical crossbars, so each physical crossbar
///   sees contents of about the same rank in every wave; a shorter last wave is spread evenly
///   over the ranks.
public struct ChipSchedule: Sendable, Hashable {
    public let physical: Int
    public let logical: Int
    public let waves: Int
    /// Physical crossbars that hold some content: `min(physical, logical)` (the others stay empty).
    public let used: Int
    /// `slots[w * used + p]`: the logical crossbar physical crossbar `p` loads in wave `w`,
    /// or -1 (it keeps its content).
    public let slots: [Int32]

    public var isResident: Bool { logical <= physical }

    public init(logical: Int, physical: Int, keys: [Double]? = nil) {
        precondition(logical >= 1 && physical >= 1 && (keys == nil || keys!.count == logical))
        self.physical = physical
        self.logical = logical
        let used = min(physical, logical)
        let waves = (logical + used - 1) / used
        self.waves = waves
        self.used = used
        var slots = [Int32](repeating: -1, count: waves * used)
        for w in 0..<waves {
            let wave = Array((w * used)..<min(logical, (w + 1) * used))
            let ranked = keys.map { k in wave.sorted { (k[$0], $0) < (k[$1], $1) } } ?? wave
            for (r, k) in ranked.enumerated() {
                let p = keys == nil || ranked.count == used ? r : r * used / ranked.count
                slots[w * used + p] = Int32(k)
            }
        }
        self.slots = slots
    }

    /// The contents physical crossbar `p` (below `used`) loads over one inference, in order.
    public func sequence(_ p: Int) -> [(wave: Int, crossbar: Int)] {
        (0..<waves).compactMap { w in slots[w * used + p] >= 0 ? (w, Int(slots[w * used + p])) : nil }
    }

    /// Every logical crossbar's stored magnitude, the similar placement's key: the sum over its
    /// cells of the stored level times the slice's weight `2^(s * c)`.
    public static func magnitudeKeys(_ contents: ChipContents) -> [Double] {
        let c = contents.geometry.bitsPerCell
        var keys = [Double](repeating: 0, count: contents.count)
        for span in contents.layers {
            for k in span.first..<(span.first + span.count) {
                var sum = 0.0
                let base = k * contents.crossbarWords
                for j in 0..<contents.columns {
                    let s = contents.slice(column: j, crossbar: k, span: span)
                    for b in 0..<c {
                        var ones = 0
                        let start = base + (j * c + b) * contents.wordsPerColumn
                        for w in start..<(start + contents.wordsPerColumn) { ones += contents.words[w].nonzeroBitCount }
                        sum += Double(ones) * Double(1 << (s * c + b))
                    }
                }
                keys[k] = sum
            }
        }
        return keys
    }
}

/// Which layers share each physical crossbar under a schedule, grouped: the physical crossbars
/// holding contents of exactly the same layers form one group. Prices a shared chip for any
/// periphery in time independent of its crossbar count.
public struct ChipSharing: Sendable, Hashable {
    /// Layer spans (indices into `ChipContents.layers`) of a group, and its physical crossbars.
    public let groups: [(spans: [Int], crossbars: Int)]
    public let isResident: Bool

    public static func == (a: Self, b: Self) -> Bool {
        a.isResident == b.isResident && a.groups.elementsEqual(b.groups) { $0.spans == $1.spans && $0.crossbars == $1.crossbars }
    }
    public func hash(into h: inout Hasher) { for g in groups { h.combine(g.spans); h.combine(g.crossbars) } }

    public init(spans: [ChipContents.LayerSpan], schedule: ChipSchedule) {
        isResident = schedule.isResident
        var spanOf = [Int](repeating: 0, count: schedule.logical)
        for (i, span) in spans.enumerated() { for k in span.first..<(span.first + span.count) { spanOf[k] = i } }
        var count: [[Int]: Int] = [:]
        for p in 0..<schedule.used {
            count[Array(Set(schedule.sequence(p).map { spanOf[$0.crossbar] })).sorted(), default: 0] += 1
        }
        groups = count.keys.sorted { $0.lexicographicallyPrecedes($1) }.map { ($0, count[$0]!) }
    }
}
