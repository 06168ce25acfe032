/// The stored bits of every logical crossbar a design's crossbar layers need, in execution
/// order: what a chip must hold, one content after another, to run one inference.
///
/// Mapping (`CrossbarGeometry`, as the cost model and the functional simulator): a layer's
/// `rows x outputs` weights become `rows x (outputs * columnsPerWeight)` cells, weight column
/// `g = o * columnsPerWeight + sign * slices + s` (sign 0: positive magnitudes, 1: negative,
/// differential only; slice `s` holds magnitude bits `s*c ..< (s+1)*c`), cut into row blocks
/// of `crossbarRows` and column blocks of `weightColumns`. Crossbar `(rowBlock, colBlock)` of
/// a layer is number `rowBlock * colBlocks + colBlock` after the layer's first. The offset
/// scheme's reference column holds the same constant in every content and is never rewritten,
/// so it is not stored here. Cells a content does not use hold 0 (the high-resistance state).
///
/// Layout of one crossbar: `[column][cell bit][row word]`, row `r` at bit `r % 64` of word
/// `r / 64`.
public struct ChipContents: Sendable {
    public let geometry: CrossbarGeometry
    public let weightBits: Int
    public let slices: Int
    public let columnsPerWeight: Int
    /// Rows and weight columns of one crossbar, and 64-bit words per (column, cell bit).
    public let rows: Int, columns: Int, wordsPerColumn: Int
    /// Words of one crossbar.
    public let crossbarWords: Int
    /// Per layer of the design (crossbar layers only): its workload index, first logical
    /// crossbar, column blocks, and weight-matrix shape.
    public let layers: [LayerSpan]
    public internal(set) var words: [UInt64]

    public struct LayerSpan: Sendable, Hashable {
        public let layer: Int
        public let first: Int
        public let rowBlocks: Int, colBlocks: Int
        public let matrixRows: Int, outputs: Int
        public var count: Int { rowBlocks * colBlocks }
    }

    /// Logical crossbars in all.
    public var count: Int { layers.last.map { $0.first + $0.count } ?? 0 }

    /// One crossbar's words.
    @inlinable
    public func crossbar(_ k: Int) -> ArraySlice<UInt64> { words[(k * crossbarWords)..<((k + 1) * crossbarWords)] }

    /// The slice (bit significance) held by column `j` of logical crossbar `k`, whose layer
    /// span is `span`.
    @inlinable
    public func slice(column j: Int, crossbar k: Int, span: LayerSpan) -> Int {
        let colBlock = (k - span.first) % span.colBlocks
        return (colBlock * columns + j) % slices
    }

    /// Packs the quantised weights of each layer; `rowOrder[l][i]` is the weight-matrix row
    /// placed at crossbar row position `i` (nil: the plain order).
    public init(layers weights: [(layer: Int, weights: QuantisedWeights, rowOrder: [Int32]?)], geometry: CrossbarGeometry,
                threads: Int = 1) {
        precondition(!weights.isEmpty && weights.allSatisfy { $0.weights.bits == weights[0].weights.bits })
        let weightBits = weights[0].weights.bits
        self.geometry = geometry
        self.weightBits = weightBits
        slices = geometry.slices(weightBits: weightBits)
        columnsPerWeight = geometry.columnsPerWeight(weightBits: weightBits)
        rows = geometry.crossbarRows
        columns = geometry.weightColumns
        let placement = BitPlacement(geometry: geometry, weightBits: weightBits)
        wordsPerColumn = placement.wordsPerColumn
        crossbarWords = placement.crossbarWords
        var layerSpans: [LayerSpan] = []
        var first = 0
        for (layer, w, _) in weights {
            let rowBlocks = (w.rows + rows - 1) / rows
            let colBlocks = (w.outputs * columnsPerWeight + columns - 1) / columns
            layerSpans.append(LayerSpan(layer: layer, first: first, rowBlocks: rowBlocks, colBlocks: colBlocks,
                                   matrixRows: w.rows, outputs: w.outputs))
            first += rowBlocks * colBlocks
        }
        layers = layerSpans
        let (rows, xw) = (rows, crossbarWords)
        let spans = layerSpans
        let differential = geometry.signScheme == .differential
        let offset: Int32 = differential ? 0 : 1 << (weightBits - 1)
        let magnitudeBits = geometry.magnitudeBits(weightBits: weightBits)
        let signs = differential ? 2 : 1
        // Layer by layer (each its own words), in parallel; 64 rows at a time: the rows'
        // magnitudes per sign column, then one word per magnitude bit, gathered in registers.
        let perLayer = ParallelMap.map(count: spans.count, threads: threads) { index -> [UInt64] in
            let (span, w, order) = (spans[index], weights[index].weights, weights[index].rowOrder)
            var layerWords = [UInt64](repeating: 0, count: span.count * xw)
            layerWords.withUnsafeMutableBufferPointer { out in
                withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 128) { magnitude in
                    w.values.withUnsafeBufferPointer { codes in
                        for o in 0..<w.outputs {
                            let target = placement.offsets(output: o)
                            for rowBlock in 0..<span.rowBlocks {
                                let crossbarBase = rowBlock * span.colBlocks * xw
                                let blockRows = min(rows, w.rows - rowBlock * rows)
                                for word in 0..<((blockRows + 63) / 64) {
                                    let first = rowBlock * rows + word * 64
                                    let count = min(64, blockRows - word * 64)
                                    for i in 0..<64 {
                                        var code: Int32 = 0
                                        if i < count { code = codes[o * w.rows + Int(order?[first + i] ?? Int32(first + i))] }
                                        if differential {
                                            magnitude[i] = UInt32(max(code, 0))
                                            magnitude[64 + i] = UInt32(max(-code, 0))
                                        } else {
                                            magnitude[i] = i < count ? UInt32(code + offset) : 0
                                        }
                                    }
                                    for sign in 0..<signs {
                                        for p in 0..<magnitudeBits {
                                            var bits: UInt64 = 0
                                            for i in 0..<64 { bits |= UInt64((magnitude[sign * 64 + i] >> UInt32(p)) & 1) << UInt64(i) }
                                            if bits != 0 { out[crossbarBase + target[sign * magnitudeBits + p] + word] |= bits }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            return layerWords
        }
        words = Array(perLayer.joined())
    }

    /// The integer weight codes a layer's crossbars hold in `stored` (this layout), in the
    /// weight matrix's own row order: the inverse of the packing, for contents that differ
    /// from the intended ones (stuck bits). Differential codes are positive minus negative
    /// magnitude, clamped to the code range.
    public func decode(span: LayerSpan, rowOrder: [Int32]?, stored: [UInt64]) -> [Int32] {
        let differential = geometry.signScheme == .differential
        let limit = Int32((1 << (weightBits - 1)) - 1)
        let magnitudeBits = geometry.magnitudeBits(weightBits: weightBits)
        let signs = differential ? 2 : 1
        var codes = [Int32](repeating: 0, count: span.outputs * span.matrixRows)
        var magnitude = [Int32](repeating: 0, count: 128)
        let placement = BitPlacement(geometry: geometry, weightBits: weightBits)
        for o in 0..<span.outputs {
            let source = placement.offsets(output: o)
            for rowBlock in 0..<span.rowBlocks {
                let crossbarBase = (span.first + rowBlock * span.colBlocks) * crossbarWords
                let blockRows = min(rows, span.matrixRows - rowBlock * rows)
                for word in 0..<((blockRows + 63) / 64) {
                    for i in 0..<128 { magnitude[i] = 0 }
                    for sign in 0..<signs {
                        for p in 0..<magnitudeBits {
                            let bits = stored[crossbarBase + source[sign * magnitudeBits + p] + word]
                            if bits == 0 { continue }
                            for i in 0..<64 { magnitude[sign * 64 + i] |= Int32(truncatingIfNeeded: (bits >> UInt64(i)) & 1) << Int32(p) }
                        }
                    }
                    let first = rowBlock * rows + word * 64
                    for i in 0..<min(64, blockRows - word * 64) {
                        let code = differential ? magnitude[i] - magnitude[64 + i] : magnitude[i] - (1 << (weightBits - 1))
                        codes[o * span.matrixRows + Int(rowOrder?[first + i] ?? Int32(first + i))] = max(-limit, min(limit, code))
                    }
                }
            }
        }
        return codes
    }

    /// Rows sorted by the sum of their codes' magnitudes over all outputs (ascending, ties by
    /// row): row blocks then go from small to large weights, so the high-order slices of the
    /// early blocks are mostly zero and blocks of equal rank in different layers look alike.
    public static func sortedRowOrder(_ w: QuantisedWeights) -> [Int32] {
        var key = [Int64](repeating: 0, count: w.rows)
        for o in 0..<w.outputs {
            for r in 0..<w.rows { key[r] += Int64(abs(w.values[o * w.rows + r])) }
        }
        return (0..<w.rows).sorted { (key[$0], $0) < (key[$1], $1) }.map(Int32.init)
    }
}

/// Where the stored bits of one output's weights sit: per (sign column, magnitude bit), the word
/// offset from its row block's first crossbar (the packing and its inverse share it).
struct BitPlacement: Sendable {
    let columnsPerWeight: Int, slices: Int, columns: Int, bitsPerCell: Int
    let crossbarWords: Int, wordsPerColumn: Int, magnitudeBits: Int, signs: Int

    /// The layout `ChipContents` uses for this geometry and weight width.
    init(geometry g: CrossbarGeometry, weightBits: Int) {
        (columnsPerWeight, slices, columns, bitsPerCell) = (g.columnsPerWeight(weightBits: weightBits), g.slices(weightBits: weightBits),
                                                            g.weightColumns, g.bitsPerCell)
        wordsPerColumn = (g.crossbarRows + 63) / 64
        crossbarWords = columns * bitsPerCell * wordsPerColumn
        magnitudeBits = g.magnitudeBits(weightBits: weightBits)
        signs = g.signScheme == .differential ? 2 : 1
    }

    /// Offsets indexed `sign * magnitudeBits + bit`.
    func offsets(output o: Int) -> [Int] {
        (0..<(signs * magnitudeBits)).map { i in
            let (sign, p) = i.quotientAndRemainder(dividingBy: magnitudeBits)
            let g = o * columnsPerWeight + sign * slices + p / bitsPerCell
            return (g / columns) * crossbarWords + ((g % columns) * bitsPerCell + p % bitsPerCell) * wordsPerColumn
        }
    }
}
