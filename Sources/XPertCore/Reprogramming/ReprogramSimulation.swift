/// One policy run over one inference of a time-shared chip: every cell write counted on the
/// stored bits (XOR and popcount on packed words), rows programmed per load, the most-written
/// cell, and, with bit stucking, what each crossbar really holds while it computes.
///
/// Each physical crossbar cycles through its contents (`ChipSchedule`); the count is the steady
/// state: the transition into its first content comes from its last. With stucking the stored
/// state depends on history, so the cycle runs twice from the intended last content and the
/// second pass is counted.
public struct ReprogramSimulation: Sendable {
    /// Cells programmed per cycle of the schedule (one inference, or one batch).
    public let cellWrites: Int
    /// Rows programmed in each wave: the most any of the wave's physical crossbars programs (they
    /// program in parallel, each row by row), so the wave's programming time in rows.
    public let rowsPerWave: [Int]
    /// Writes of the most-written cell per cycle.
    public let maxCellWrites: Int
    /// With stucking: the bits each logical crossbar holds while it computes (the layout of
    /// `ChipContents.words`); nil when they are the intended ones.
    public let stored: [UInt64]?

    /// Runs `policy` on `contents` (already sorted when the policy sorts) under `schedule`.
    public init(contents: ChipContents, schedule: ChipSchedule, policy: ReprogramPolicy, stuckColumns: Int,
                stuckFraction256: Int, seed: UInt64, threads: Int) {
        let stuck = policy == .sortedStuck && stuckColumns > 0 && stuckFraction256 < 256 && !schedule.isResident
        let perCrossbar = ParallelMap.map(count: schedule.used, threads: threads) { p in
            Self.run(physical: p, contents: contents, schedule: schedule, rewriteAll: policy == .rewriteAll,
                     stuck: stuck ? (stuckColumns, stuckFraction256) : nil, seed: seed)
        }
        cellWrites = perCrossbar.reduce(0) { $0 + $1.writes }
        maxCellWrites = perCrossbar.reduce(0) { max($0, $1.maxWear) }
        var rows = [Int](repeating: 0, count: schedule.waves)
        for r in perCrossbar { for (w, n) in r.rows { rows[w] = max(rows[w], n) } }
        rowsPerWave = rows
        if stuck {
            var words = contents.words
            for r in perCrossbar {
                for (k, bits) in r.stored {
                    words.replaceSubrange((k * contents.crossbarWords)..<((k + 1) * contents.crossbarWords), with: bits)
                }
            }
            stored = words
        } else {
            stored = nil
        }
    }

    struct PhysicalResult: Sendable {
        var writes = 0
        var maxWear = 0
        var rows: [(wave: Int, rows: Int)] = []
        var stored: [(crossbar: Int, bits: [UInt64])] = []
    }

    static func run(physical p: Int, contents: ChipContents, schedule: ChipSchedule, rewriteAll: Bool,
                    stuck: (columns: Int, fraction256: Int)?, seed: UInt64) -> PhysicalResult {
        var result = PhysicalResult()
        let sequence = schedule.sequence(p)
        let m = sequence.count
        guard m >= 2 else { return result }  // holds one content: programmed once, never rewritten
        let (c, wpc, columns, xw) = (contents.geometry.bitsPerCell, contents.wordsPerColumn, contents.columns, contents.crossbarWords)
        let rows = contents.rows
        // The valid rows of each row word.
        let rowMask = (0..<wpc).map { w in rows - 64 * w >= 64 ? UInt64.max : (UInt64(1) << UInt64(rows - 64 * w)) - 1 }
        let span = { (k: Int) in contents.layers.last { $0.first <= k }! }
        var state = Array(contents.crossbar(sequence[m - 1].crossbar))
        // Per-cell write counters as bit planes (vertical counters): plane q holds bit q.
        let planes = Int.bitWidth - m.leadingZeroBitCount
        var counter = [UInt64](repeating: 0, count: planes * columns * wpc)
        var changedRows = [UInt64](repeating: 0, count: wpc)
        let passes = stuck == nil ? 1 : 2
        contents.words.withUnsafeBufferPointer { all in
            for pass in 0..<passes {
                let counted = pass == passes - 1
                for (t, (wave, k)) in sequence.enumerated() {
                    let intended = all.baseAddress! + k * xw
                    let s = span(k)
                    for w in 0..<wpc { changedRows[w] = 0 }
                    var writes = 0
                    for j in 0..<columns {
                        let stuckColumn = stuck.map { contents.slice(column: j, crossbar: k, span: s) < $0.columns } ?? false
                        var rng = stuckColumn
                            ? SimulationRandom(seed: seed, stream: SimulationRandom.mix(SimulationRandom.mix(UInt64(p)) ^ UInt64(pass * m + t)) ^ UInt64(j))
                            : nil
                        for w in 0..<wpc {
                            var diff: UInt64 = 0
                            if rewriteAll {
                                diff = rowMask[w]
                            } else {
                                for b in 0..<c { diff |= state[(j * c + b) * wpc + w] ^ intended[(j * c + b) * wpc + w] }
                            }
                            if diff == 0 { continue }
                            if rng != nil { diff &= bernoulli(&rng!, fraction256: stuck!.fraction256) }
                            for b in 0..<c {
                                let i = (j * c + b) * wpc + w
                                state[i] = (state[i] & ~diff) | (intended[i] & diff)
                            }
                            guard counted else { continue }
                            writes += diff.nonzeroBitCount
                            changedRows[w] |= diff
                            // counter += diff, bit-sliced ripple carry.
                            var carry = diff
                            for q in 0..<planes where carry != 0 {
                                let i = (q * columns + j) * wpc + w
                                let next = counter[i] & carry
                                counter[i] ^= carry
                                carry = next
                            }
                        }
                    }
                    guard counted else { continue }
                    result.writes += writes
                    result.rows.append((wave, changedRows.reduce(0) { $0 + $1.nonzeroBitCount }))
                    if stuck != nil { result.stored.append((k, state)) }
                }
            }
        }
        // The largest counter: bit-sliced maximum, top plane first.
        var candidates = [UInt64](repeating: 0, count: columns * wpc)
        for j in 0..<columns { for w in 0..<wpc { candidates[j * wpc + w] = rowMask[w] } }
        var maxWear = 0
        for q in stride(from: planes - 1, through: 0, by: -1) {
            var any = false
            for i in candidates.indices where candidates[i] & counter[q * columns * wpc + i] != 0 { any = true; break }
            guard any else { continue }
            maxWear |= 1 << q
            for i in candidates.indices { candidates[i] &= counter[q * columns * wpc + i] }
        }
        result.maxWear = maxWear
        return result
    }

    /// 64 independent bits, each 1 with probability `fraction256 / 256`: the binary digits of
    /// the fraction, least significant first, select OR (digit 1) or AND (digit 0) with a fresh
    /// uniform word.
    @inlinable
    static func bernoulli(_ rng: inout SimulationRandom, fraction256: Int) -> UInt64 {
        if fraction256 >= 256 { return .max }
        var mask: UInt64 = 0
        for digit in 0..<8 {
            let r = rng.next()
            mask = (fraction256 >> digit) & 1 == 1 ? mask | r : mask & r
        }
        return mask
    }
}
