/// RFC 4180 CSV text: CRLF line ends, fields quoted when they hold a comma, quote or line break.
public struct CSVTable: Sendable {
    public let header: [String]
    public private(set) var rows: [[String]] = []

    public init(header: [String]) { self.header = header }

    public mutating func append(_ row: [String]) {
        precondition(row.count == header.count, "a CSV row has one field per header column")
        rows.append(row)
    }

    public var text: String {
        var out: [UInt8] = []
        for row in [header] + rows {
            for (i, f) in row.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                out.append(contentsOf: Self.field(f).utf8)
            }
            out.append(contentsOf: [13, 10])
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func field(_ s: String) -> String {
        guard s.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

extension Double {
    /// Shortest text that reads back to the same value, for CSV and reports.
    public var csvText: String { JSONValue.format(number: self) }
}
