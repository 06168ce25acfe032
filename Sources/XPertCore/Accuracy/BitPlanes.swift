/// Row blocks and row groups of a weight matrix, and where each row's bit goes in the packed
/// planes: groups are numbered block by block, and every group starts a fresh run of
/// `wordsPerGroup` 64-bit words (bit `i` of the group is bit `i % 64` of word `i / 64`).
struct RowLayout: Sendable {
    let rows: Int
    let groups: Int
    let wordsPerGroup: Int
    /// First row and row count of each group.
    let groupStart: [Int]
    let groupCount: [Int]

    init(rows: Int, geometry: CrossbarGeometry) {
        let groups = geometry.rowGroups(rows: rows)
        self.rows = rows
        self.groups = groups.count
        wordsPerGroup = (geometry.parallelRows + 63) / 64
        groupStart = groups.map(\.start)
        groupCount = groups.map(\.count)
    }

    var wordsPerPlane: Int { groups * wordsPerGroup }

    /// Word offset (within a plane) and bit of every row.
    func rowPositions() -> (word: [Int32], bit: [UInt8]) {
        var word = [Int32](repeating: 0, count: rows), bit = [UInt8](repeating: 0, count: rows)
        for g in 0..<groups {
            for i in 0..<groupCount[g] {
                word[groupStart[g] + i] = Int32(g * wordsPerGroup + i / 64)
                bit[groupStart[g] + i] = UInt8(i % 64)
            }
        }
        return (word, bit)
    }
}

/// A layer's quantised weights as bit planes, one plane per (output, sign column, slice, cell
/// bit), each `layout.wordsPerPlane` words. Layout: unit `u = (o * signColumns + sign) * slices
/// + s`, then group, then cell bit `j`, then word: `words[((u * groups + g) * c + j) * wpg + w]`.
struct PackedWeights: Sendable {
    let geometry: CrossbarGeometry
    let layout: RowLayout
    let outputs: Int
    let weightBits: Int
    let slices: Int
    /// 2 (positive then negative column) for differential, 1 for offset.
    let signColumns: Int
    /// Offset added to every stored weight: 2^(Wb-1) for the offset scheme, else 0.
    let offset: Int64
    let words: [UInt64]

    var unitWords: Int { layout.groups * geometry.bitsPerCell * layout.wordsPerGroup }
    var units: Int { outputs * signColumns * slices }

    init(_ weights: QuantisedWeights, geometry: CrossbarGeometry) {
        let layout = RowLayout(rows: weights.rows, geometry: geometry)
        let c = geometry.bitsPerCell
        let slices = geometry.slices(weightBits: weights.bits)
        let signColumns = geometry.signScheme == .differential ? 2 : 1
        let offset: Int64 = geometry.signScheme == .offset ? 1 << (weights.bits - 1) : 0
        let (groups, wpg) = (layout.groups, layout.wordsPerGroup)
        let unitWords = groups * c * wpg
        var words = [UInt64](repeating: 0, count: weights.outputs * signColumns * slices * unitWords)
        // 64 rows at a time: the bits of every magnitude bit position gathered into one word
        // each, then stored at (slice, cell bit) = (p / c, p % c).
        let positions = slices * c
        let rows = weights.rows
        let bitWords = UnsafeMutablePointer<UInt64>.allocate(capacity: positions)
        defer { bitWords.deallocate() }
        weights.values.withUnsafeBufferPointer { codes in
        words.withUnsafeMutableBufferPointer { out in
            for o in 0..<weights.outputs {
                let row0 = o * rows
                for g in 0..<groups {
                    for w in 0..<wpg {
                        let first = layout.groupStart[g] + 64 * w
                        let count = min(64, layout.groupStart[g] + layout.groupCount[g] - first)
                        if count <= 0 { continue }
                        for sign in 0..<signColumns {
                            bitWords.initialize(repeating: 0, count: positions)
                            for i in 0..<count {
                                let code = Int(codes[row0 + first + i])
                                var m = UInt64(truncatingIfNeeded: signColumns == 1 ? code + Int(offset)
                                                                     : sign == 0 ? max(code, 0) : max(-code, 0))
                                var p = 0
                                while m != 0 {
                                    bitWords[p] |= (m & 1) << UInt64(i)
                                    m >>= 1
                                    p += 1
                                }
                            }
                            for p in 0..<positions where bitWords[p] != 0 {
                                let u = (o * signColumns + sign) * slices + p / c
                                out[((u * groups + g) * c + p % c) * wpg + w] = bitWords[p]
                            }
                        }
                    }
                }
            }
        }
        }
        self.geometry = geometry
        self.layout = layout
        self.outputs = weights.outputs
        self.weightBits = weights.bits
        self.slices = slices
        self.signColumns = signColumns
        self.offset = offset
        self.words = words
    }
}

/// Activation vectors as bit planes: `words[((n * planes + q) * groups + g) * wpg + w]` is
/// word `w` of group `g` of bit plane `q` (bit `q` of the `bits`-bit code) of sample `n`.
/// `planeCounts[n * planes + q]` is the number of ones of the plane (the input sum the offset
/// scheme subtracts digitally).
struct PackedInputs: Sendable {
    let layout: RowLayout
    let count: Int
    let planes: Int
    let words: [UInt64]
    let planeCounts: [Int64]

    var sampleWords: Int { planes * layout.wordsPerPlane }

    init(_ activations: QuantisedActivations, layout: RowLayout) {
        precondition(activations.rows == layout.rows, "activation vectors must have one value per weight row")
        let (planes, wpp, rows) = (activations.bits, layout.wordsPerPlane, layout.rows)
        let (rowWord, rowBit) = layout.rowPositions()
        var words = [UInt64](repeating: 0, count: activations.count * planes * wpp)
        var counts = [Int64](repeating: 0, count: activations.count * planes)
        words.withUnsafeMutableBufferPointer { out in
            for n in 0..<activations.count {
                for r in 0..<rows {
                    var a = activations.values[n * rows + r]
                    while a != 0 {
                        let q = a.trailingZeroBitCount
                        a &= a - 1
                        out[(n * planes + q) * wpp + Int(rowWord[r])] |= 1 << UInt64(rowBit[r])
                        counts[n * planes + q] += 1
                    }
                }
            }
        }
        self.layout = layout
        count = activations.count
        self.planes = planes
        self.words = words
        planeCounts = counts
    }
}
