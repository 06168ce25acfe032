/// The crossbar parameters that decide how a weight matrix maps onto crossbars, and so a
/// layer's functional result: the one place of the mapping arithmetic (slices, columns per
/// weight, row blocks and groups), used by the cost model and the functional simulator alike.
public struct CrossbarGeometry: Sendable, Hashable {
    /// Rows of one crossbar: the weight matrix is cut into row blocks of this many rows.
    public var crossbarRows: Int
    /// Columns of one crossbar.
    public var crossbarCols: Int
    /// Rows read at once within a block (a row group); each read is one conversion per column.
    public var parallelRows: Int
    public var bitsPerCell: Int
    public var signScheme: SignScheme

    public init(crossbarRows: Int, crossbarCols: Int = 128, parallelRows: Int, bitsPerCell: Int, signScheme: SignScheme) {
        precondition(crossbarRows > 0 && (1...crossbarRows).contains(parallelRows), "parallel rows must be in 1...crossbar rows")
        precondition((1...8).contains(bitsPerCell), "bits per cell must be in 1...8")
        self.crossbarRows = crossbarRows
        self.crossbarCols = crossbarCols
        self.parallelRows = parallelRows
        self.bitsPerCell = bitsPerCell
        self.signScheme = signScheme
    }

    /// The hardware's geometry, with `bitsPerCell` overriding the hardware's when given.
    public init(hardware: HardwareSpec, bitsPerCell: Int? = nil) {
        self.init(crossbarRows: hardware.rows, crossbarCols: hardware.cols, parallelRows: hardware.parallelRows,
                  bitsPerCell: bitsPerCell ?? hardware.bitsPerCell, signScheme: hardware.signScheme)
    }

    /// The largest column sum one read can produce: `parallelRows * (2^c - 1)`; the ADC's
    /// full-scale range (the same for every read, whatever the layer).
    public var fullScaleSum: Int { parallelRows * ((1 << bitsPerCell) - 1) }

    /// Bits of the stored magnitude: `Wb - 1` (differential) or `Wb` (offset: `w + 2^(Wb-1)`).
    public func magnitudeBits(weightBits: Int) -> Int {
        signScheme == .differential ? weightBits - 1 : weightBits
    }

    /// Slices per weight magnitude, `ceil(magnitude bits / bits per cell)` (as `CrossbarArchitecture`).
    public func slices(weightBits: Int) -> Int {
        (magnitudeBits(weightBits: weightBits) + bitsPerCell - 1) / bitsPerCell
    }

    /// Crossbar columns per weight: slices, doubled for differential pairs.
    public func columnsPerWeight(weightBits: Int) -> Int {
        slices(weightBits: weightBits) * (signScheme == .differential ? 2 : 1)
    }

    /// Columns of a crossbar that hold weights (the offset scheme keeps one as reference).
    public var weightColumns: Int { signScheme == .differential ? crossbarCols : crossbarCols - 1 }

    /// The row groups of a weight matrix of `rows` rows: row blocks of `crossbarRows` (one
    /// crossbar each), each read `parallelRows` rows at a time; first row and row count of each.
    public func rowGroups(rows: Int) -> [(start: Int, count: Int)] {
        var out: [(start: Int, count: Int)] = []
        var block = 0
        while block < rows {
            let blockEnd = min(block + crossbarRows, rows)
            var g = block
            while g < blockEnd {
                out.append((g, min(parallelRows, blockEnd - g)))
                g += parallelRows
            }
            block = blockEnd
        }
        return out
    }

    /// Row blocks of a weight matrix, row groups in all (one read each per input bit), and row
    /// groups of the slowest block (the reads one crossbar makes in series per input bit):
    /// `rowGroups(rows:)` counted without listing them.
    public func rowCounts(rows: Int) -> (blocks: Int, groups: Int, serialGroups: Int) {
        let blocks = (rows + crossbarRows - 1) / crossbarRows
        let lastBlockRows = rows - (blocks - 1) * crossbarRows
        let perFullBlock = (crossbarRows + parallelRows - 1) / parallelRows
        let lastBlock = (lastBlockRows + parallelRows - 1) / parallelRows
        return (blocks, (blocks - 1) * perFullBlock + lastBlock, blocks > 1 ? perFullBlock : lastBlock)
    }
}

