import Foundation

/// The `table` accuracy estimator: measured accuracies of channel configurations, read from a
/// CSV file, interpolated.
///
/// CSV (RFC 4180, comma-separated, optional quotes, CRLF or LF line ends): a header row with
/// one column per layer (named as in the workload) and an `accuracy_pct` column, then one row
/// per measured configuration (output channel counts, then accuracy in percent). Every layer
/// with more than one channel choice needs a column; a layer without one is not part of the
/// interpolation. Configurations must be distinct.
///
/// Interpolation: Shepard's inverse-distance weighting (Shepard 1968) in log2-channel space,
///
///     accuracy(c) = sum_r a_r / d_r^p / sum_r 1 / d_r^p,  d_r = |log2 c - log2 c_r|  (Euclidean)
///
/// with power `p = k + 1` for k layer columns (with p > k the summed weight of far rows stays
/// bounded as the table grows, so nearby measurements dominate). It is exact at every listed
/// configuration and stays within the listed accuracies (it never extrapolates). A
/// configuration with any layer's channels outside that column's [min, max] is refused.
///
/// Noise terms `s_l * NSR_l` are subtracted as in `proxy`, with the same default sensitivity:
/// the table's accuracies are taken at full precision, and lower precision costs its noise.
public struct TableEstimator: Sendable, Hashable {
    public static let keys = ["estimator", "path", "sensitivity", "default_sensitivity_pct_per_nsr"]

    /// The file the table was read from (for messages).
    public let file: String
    /// Workload layer index of each channel column, in CSV column order.
    public let layerColumns: [Int]
    public let layerNames: [String]
    /// Measured configurations: channels per layer column, and accuracy in percent.
    public let rows: [(channels: [Int], accuracyPct: Double)]
    public let sensitivity: NoiseSensitivity

    public init(file: String, layerColumns: [Int], layerNames: [String], rows: [(channels: [Int], accuracyPct: Double)],
                sensitivity: NoiseSensitivity) {
        precondition(!rows.isEmpty && rows.allSatisfy { $0.channels.count == layerColumns.count && $0.channels.allSatisfy { $0 > 0 } })
        self.file = file
        self.layerColumns = layerColumns
        self.layerNames = layerNames
        self.rows = rows
        self.sensitivity = sensitivity
    }

    public static func == (a: TableEstimator, b: TableEstimator) -> Bool {
        a.file == b.file && a.layerColumns == b.layerColumns && a.layerNames == b.layerNames && a.sensitivity == b.sensitivity
            && a.rows.count == b.rows.count && zip(a.rows, b.rows).allSatisfy { $0.channels == $1.channels && $0.accuracyPct == $1.accuracyPct }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(file)
        hasher.combine(layerColumns)
        for r in rows { hasher.combine(r.channels); hasher.combine(r.accuracyPct) }
    }

    /// The [min, max] channels of each layer column.
    public var ranges: [ClosedRange<Int>] {
        layerColumns.indices.map { k in
            let values = rows.map { $0.channels[k] }
            return values.min()!...values.max()!
        }
    }

    /// The interpolated accuracy at the given output channels (one per workload layer).
    /// Throws an `InputError` at `$.layers[i].out_channels` (the design's path) when a layer's
    /// channels are outside the table's range for that layer.
    public func accuracy(outChannels: [Int]) throws -> Double {
        let point = layerColumns.map { outChannels[$0] }
        for (k, range) in ranges.enumerated() where !range.contains(point[k]) {
            let l = layerColumns[k]
            throw InputError(path: "$.layers[\(l)].out_channels",
                             "layer \(layerNames[k]) has \(point[k]) output channels, outside the accuracy table's range "
                                 + "\(range.lowerBound)...\(range.upperBound) (column \"\(layerNames[k])\" of \(file))")
        }
        if let exact = rows.first(where: { $0.channels == point }) { return exact.accuracyPct }
        let x = point.map { log2(Double($0)) }
        let power = Double(layerColumns.count + 1)
        var weighted = 0.0, total = 0.0
        for row in rows {
            var d2 = 0.0
            for k in x.indices {
                let d = x[k] - log2(Double(row.channels[k]))
                d2 += d * d
            }
            let w = pow(d2, -power / 2)
            weighted += w * row.accuracyPct
            total += w
        }
        return weighted / total
    }

    /// The estimate of a design: the interpolated accuracy minus the noise terms (NSRs one per
    /// layer); `dropPct` is measured from the table's best accuracy.
    public func estimate(design: Design, nsr: [Double]) throws -> AccuracyEstimate {
        precondition(nsr.count == sensitivity.pctPerNSR.count, "one NSR per layer")
        var accuracy = try accuracy(outChannels: design.outChannels)
        for l in nsr.indices { accuracy -= sensitivity.term(layer: l, nsr: nsr[l]) }
        return AccuracyEstimate(accuracyPct: accuracy, dropPct: baselineAccuracyPct - accuracy)
    }

    /// The best accuracy in the table: the reference for `dropPct`.
    public var baselineAccuracyPct: Double { rows.map(\.accuracyPct).max()! }

    static func read(_ object: JSONObject, workload: Workload, baseDirectory: URL) throws -> TableEstimator {
        let pathNode = try object.required("path")
        let path = try pathNode.string()
        guard !path.isEmpty else { throw pathNode.fail("a file path") }
        let url = URL.resolving(path, against: baseDirectory)
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw pathNode.error("cannot read the accuracy table \(url.path): \(error.localizedDescription)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw pathNode.error("\(path): not UTF-8 text")
        }
        let sensitivity = try NoiseSensitivity.read(object, workload: workload, fallback: NoiseSensitivity.defaultPctPerNSR)
        do throws(CSVError) {
            return try parse(csv: text, file: path, workload: workload, sensitivity: sensitivity)
        } catch {
            throw pathNode.error("\(path) line \(error.line): \(error.message)")
        }
    }

    /// Reads the table from CSV text; errors name the line.
    public static func parse(csv text: String, file: String, workload: Workload, sensitivity: NoiseSensitivity) throws(CSVError)
        -> TableEstimator
    {
        let records = try CSVReader.records(text)
        guard let first = records.first else { throw CSVError(line: 1, "empty file, expected a header row") }
        let headerLine = first.line
        let header = first.fields.map { $0.trimmingCharacters(in: .whitespaces) }
        var seen = Set<String>()
        var layerColumns: [Int] = [], layerNames: [String] = [], layerFields: [Int] = []
        var accuracyField: Int?
        for (i, name) in header.enumerated() {
            guard seen.insert(name).inserted else { throw CSVError(line: headerLine, "duplicate column \(JSONValue.shortQuote(name))") }
            if name == "accuracy_pct" {
                accuracyField = i
            } else if let l = workload.index(of: name) {
                layerColumns.append(l)
                layerNames.append(name)
                layerFields.append(i)
            } else {
                throw CSVError(line: headerLine, "unknown column \(JSONValue.shortQuote(name)), expected a workload layer name or accuracy_pct")
            }
        }
        guard let accuracyField else { throw CSVError(line: headerLine, "missing column accuracy_pct") }
        for layer in workload.layers where layer.outChannelChoices.count > 1 && !seen.contains(layer.name) {
            throw CSVError(line: headerLine, "missing column for layer \(layer.name) (it has several channel choices)")
        }
        var rows: [(channels: [Int], accuracyPct: Double)] = []
        var lineOf: [[Int]: Int] = [:]
        for (line, fields) in records.dropFirst() {
            guard fields.count == header.count else {
                throw CSVError(line: line, "\(fields.count) fields, expected \(header.count) (one per header column)")
            }
            var channels: [Int] = []
            for (k, f) in layerFields.enumerated() {
                guard let c = Int(fields[f].trimmingCharacters(in: .whitespaces)), c > 0 else {
                    throw CSVError(line: line, "column \(layerNames[k]): expected a positive channel count, found \(JSONValue.shortQuote(fields[f]))")
                }
                channels.append(c)
            }
            guard let a = Double(fields[accuracyField].trimmingCharacters(in: .whitespaces)), a.isFinite, (0...100).contains(a) else {
                throw CSVError(line: line, "column accuracy_pct: expected a percentage in 0...100, found \(JSONValue.shortQuote(fields[accuracyField]))")
            }
            if let first = lineOf[channels] {
                throw CSVError(line: line, "duplicate configuration (also on line \(first))")
            }
            lineOf[channels] = line
            rows.append((channels, a))
        }
        guard !rows.isEmpty else { throw CSVError(line: headerLine, "no data rows after the header") }
        return TableEstimator(file: file, layerColumns: layerColumns, layerNames: layerNames, rows: rows, sensitivity: sensitivity)
    }
}

/// A malformed CSV file: the (1-based) line and what is wrong.
public struct CSVError: Error, Sendable, Equatable, CustomStringConvertible {
    public let line: Int
    public let message: String

    public init(line: Int, _ message: String) {
        self.line = line
        self.message = message
    }

    public var description: String { "line \(line): \(message)" }
}

/// An RFC 4180 reader: records of fields, each record with the line it starts on.
public enum CSVReader {
    /// Splits `text` into records. Fields may be quoted (`"a,b"`, `"say ""hi"""`, line breaks
    /// inside quotes); CRLF and LF both end a record; a final line end is optional. A blank
    /// line is an error, except at the end of the file.
    public static func records(_ text: String) throws(CSVError) -> [(line: Int, fields: [String])] {
        var records: [(line: Int, fields: [String])] = []
        var fields: [String] = []
        var field = ""
        var line = 1, recordLine = 1
        var quoted = false, wasQuoted = false, afterQuote = false
        var scalars = Array(text.unicodeScalars)
        if scalars.first == "\u{FEFF}" { scalars.removeFirst() }
        var blankLines: [Int] = []
        func endRecord() throws(CSVError) {
            fields.append(field)
            if fields == [""] && !wasQuoted {
                blankLines.append(recordLine)
            } else {
                if let blank = blankLines.first { throw CSVError(line: blank, "empty line") }
                records.append((recordLine, fields))
            }
            fields = []
            field = ""
            wasQuoted = false
            afterQuote = false
        }
        var i = 0
        while i < scalars.count {
            let c = scalars[i]
            if quoted {
                if c == "\"" {
                    if i + 1 < scalars.count && scalars[i + 1] == "\"" {
                        field.unicodeScalars.append("\"")
                        i += 1
                    } else {
                        quoted = false
                        afterQuote = true
                    }
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
            } else if c == "," {
                fields.append(field)
                field = ""
                afterQuote = false
            } else if c == "\r" || c == "\n" {
                if c == "\r" && i + 1 < scalars.count && scalars[i + 1] == "\n" { i += 1 }
                try endRecord()
                line += 1
                recordLine = line
            } else if afterQuote {
                throw CSVError(line: line, "unexpected character after a closing quote")
            } else if c == "\"" {
                guard field.isEmpty else { throw CSVError(line: line, "a quote inside an unquoted field") }
                quoted = true
                wasQuoted = true
            } else {
                field.unicodeScalars.append(c)
            }
            i += 1
        }
        if quoted { throw CSVError(line: recordLine, "unterminated quoted field") }
        if !field.isEmpty || !fields.isEmpty || wasQuoted { try endRecord() }
        return records
    }
}
