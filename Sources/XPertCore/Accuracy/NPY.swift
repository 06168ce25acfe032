import Foundation

/// Element types the `.npy` reader accepts.
public enum NPYDType: String, Sendable, Hashable, CaseIterable {
    case float32 = "<f4"
    case float64 = "<f8"
    case int8 = "|i1"
    case uint8 = "|u1"

    var itemSize: Int {
        switch self {
        case .float32: return 4
        case .float64: return 8
        case .int8, .uint8: return 1
        }
    }

    /// The header's `descr`: one-byte types may be written `|i1`, `<i1`, `=i1` or `i1`.
    init?(descr: String) {
        switch descr {
        case "<f4": self = .float32
        case "<f8": self = .float64
        case "|i1", "<i1", "=i1", "i1": self = .int8
        case "|u1", "<u1", "=u1", "u1": self = .uint8
        default: return nil
        }
    }
}

/// A NumPy `.npy` array (format versions 1.0, 2.0 and 3.0), C order, little-endian `<f4`,
/// `<f8`, `|i1` or `|u1`, its values converted to `Float` in C (row-major) order.
///
/// Everything wrong with a file (not `.npy`, unsupported version or dtype, big-endian,
/// Fortran order, malformed header, truncated or oversized data, non-finite values) is an
/// `InputError` whose path is the file's path.
public struct NPYArray: Sendable, Hashable {
    public let shape: [Int]
    public let dtype: NPYDType
    public let values: [Float]

    public init(shape: [Int], dtype: NPYDType, values: [Float]) {
        precondition(values.count == shape.reduce(1, *))
        self.shape = shape
        self.dtype = dtype
        self.values = values
    }

    public var shapeDescription: String { Self.describe(shape) }

    static func describe(_ shape: [Int]) -> String {
        shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
    }

    public static func load(path: String) throws -> NPYArray {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw InputError(path: path, "cannot read the file (\(FileManager.default.fileExists(atPath: path) ? "permission or I/O error" : "no such file"))")
        }
        return try parse([UInt8](data), path: path)
    }

    /// A `.npy` file's header: its shape and type, where the data start, and the value count.
    public struct Header: Sendable, Hashable {
        public let shape: [Int]
        public let dtype: NPYDType
        public let dataStart: Int
        public let count: Int
    }

    /// Reads only the header of a `.npy` file, and checks the file's size against it.
    /// The header of a file a space names at `node`: an unreadable file is an error at the
    /// node's path naming the file (`what`: "weights", "activations").
    static func header(path: String, for node: JSONNode, what: String) throws -> Header {
        do { return try header(path: path) } catch let e as InputError {
            throw InputError(path: node.path, "\(e.message) (\(what) file \(JSONValue.shortQuote(path)))")
        }
    }

    public static func header(path: String) throws -> Header {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw InputError(path: path, "cannot read the file (\(FileManager.default.fileExists(atPath: path) ? "permission or I/O error" : "no such file"))")
        }
        defer { try? handle.close() }
        let prefix = [UInt8]((try? handle.read(upToCount: 1 << 16)) ?? Data())
        let size = (try? handle.seekToEnd()).map(Int.init) ?? prefix.count
        return try parseHeader(prefix, fileSize: size, path: path)
    }

    /// Parses a header from the file's first bytes; `fileSize` checks the data's length.
    static func parseHeader(_ bytes: [UInt8], fileSize: Int, path: String) throws -> Header {
        func fail(_ message: String) -> InputError { InputError(path: path, message) }
        let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)
        guard bytes.count >= 10, Array(bytes[0..<6]) == magic else {
            throw fail("not a NumPy .npy file (it does not start with \\x93NUMPY)")
        }
        let (major, minor) = (Int(bytes[6]), Int(bytes[7]))
        guard (1...3).contains(major), minor == 0 else {
            throw fail("unsupported .npy format version \(major).\(minor) (versions 1.0, 2.0 and 3.0 are supported)")
        }
        let lengthBytes = major == 1 ? 2 : 4
        guard bytes.count >= 8 + lengthBytes else { throw fail("truncated .npy header (the file has \(bytes.count) bytes)") }
        var headerLength = 0
        for i in 0..<lengthBytes { headerLength |= Int(bytes[8 + i]) << (8 * i) }
        let headerStart = 8 + lengthBytes, dataStart = headerStart + headerLength
        guard bytes.count >= dataStart else {
            throw fail("truncated .npy header: it declares \(headerLength) header bytes, the file has \(bytes.count - headerStart)")
        }
        let headerBytes = bytes[headerStart..<dataStart]
        let header: String
        if major == 3 {
            guard let text = String(validating: headerBytes, as: UTF8.self) else { throw fail("the .npy 3.0 header is not valid UTF-8") }
            header = text
        } else {
            header = String(headerBytes.map { Character(Unicode.Scalar($0)) })  // latin-1
        }
        let fields: [String: PythonLiteral]
        do { fields = try PythonLiteral.parseDictionary(header) } catch let e as PythonLiteral.SyntaxError {
            throw fail("malformed .npy header (\(e.message)): \(header.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        let expectedKeys: Set = ["descr", "fortran_order", "shape"]
        guard Set(fields.keys) == expectedKeys else {
            throw fail("the .npy header has keys \(fields.keys.sorted()), expected descr, fortran_order and shape")
        }
        guard case let .string(descr) = fields["descr"]! else { throw fail("the .npy header's descr is not a string") }
        guard let dtype = NPYDType(descr: descr) else {
            let big = descr.hasPrefix(">") ? " (big-endian data is not supported)" : ""
            throw fail("unsupported dtype '\(descr)'\(big): expected one of <f4, <f8, |i1, |u1")
        }
        guard case let .bool(fortran) = fields["fortran_order"]! else { throw fail("the .npy header's fortran_order is not True or False") }
        guard !fortran else {
            throw fail("Fortran-order (column-major) arrays are not supported: save a C-order array (numpy.ascontiguousarray)")
        }
        guard case let .tuple(dims) = fields["shape"]! else { throw fail("the .npy header's shape is not a tuple") }
        var shape: [Int] = []
        for d in dims {
            guard case let .int(n) = d, n >= 0 else { throw fail("the .npy header's shape has an entry that is not a non-negative integer") }
            shape.append(n)
        }
        let (count, overflow) = shape.reduce((1, false)) { acc, n in
            let (p, o) = acc.0.multipliedReportingOverflow(by: n)
            return (p, acc.1 || o)
        }
        let needed = count.multipliedReportingOverflow(by: dtype.itemSize)
        guard !overflow, !needed.overflow else { throw fail("the shape \(describe(shape)) is too large") }
        let available = fileSize - dataStart
        guard available >= needed.partialValue else {
            throw fail("truncated data: shape \(describe(shape)) of \(descr) needs \(needed.partialValue) bytes, the file has \(available)")
        }
        guard available == needed.partialValue else {
            throw fail("\(available - needed.partialValue) bytes of trailing data after the \(needed.partialValue) that shape \(describe(shape)) of \(descr) needs")
        }
        return Header(shape: shape, dtype: dtype, dataStart: dataStart, count: count)
    }

    /// Parses the bytes of a `.npy` file; `path` names it in errors.
    public static func parse(_ bytes: [UInt8], path: String) throws -> NPYArray {
        let header = try parseHeader(bytes, fileSize: bytes.count, path: path)
        let (count, dtype, dataStart, shape) = (header.count, header.dtype, header.dataStart, header.shape)
        func fail(_ message: String) -> InputError { InputError(path: path, message) }
        var values = [Float](repeating: 0, count: count)
        bytes.withUnsafeBytes { raw in
            let base = raw.baseAddress! + dataStart
            switch dtype {
            case .float32:
                for i in 0..<count { values[i] = Float(bitPattern: UInt32(littleEndian: base.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))) }
            case .float64:
                for i in 0..<count { values[i] = Float(Double(bitPattern: UInt64(littleEndian: base.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self)))) }
            case .int8:
                for i in 0..<count { values[i] = Float(Int8(bitPattern: base.load(fromByteOffset: i, as: UInt8.self))) }
            case .uint8:
                for i in 0..<count { values[i] = Float(base.load(fromByteOffset: i, as: UInt8.self)) }
            }
        }
        if let bad = values.firstIndex(where: { !$0.isFinite }) {
            throw fail("non-finite value \(values[bad]) at flat index \(bad)")
        }
        return NPYArray(shape: shape, dtype: dtype, values: values)
    }
}

/// The Python literals of a `.npy` header: a dict of strings, booleans, integers and tuples.
enum PythonLiteral: Equatable {
    case string(String)
    case bool(Bool)
    case int(Int)
    case tuple([PythonLiteral])

    struct SyntaxError: Error { let message: String }

    static func parseDictionary(_ text: String) throws -> [String: PythonLiteral] {
        var p = Parser(chars: Array(text.unicodeScalars))
        p.skipSpace()
        try p.expect("{")
        var out: [String: PythonLiteral] = [:]
        while true {
            p.skipSpace()
            if p.take("}") { break }
            guard case let .string(key) = try p.value() else { throw SyntaxError(message: "a key is not a string") }
            p.skipSpace()
            try p.expect(":")
            guard out.updateValue(try p.value(), forKey: key) == nil else { throw SyntaxError(message: "duplicate key '\(key)'") }
            p.skipSpace()
            if p.take("}") { break }
            try p.expect(",")
        }
        p.skipSpace()
        guard p.i == p.chars.count else { throw SyntaxError(message: "text after the dictionary") }
        return out
    }

    private struct Parser {
        let chars: [Unicode.Scalar]
        var i = 0

        mutating func skipSpace() { while i < chars.count, chars[i].properties.isWhitespace { i += 1 } }

        mutating func take(_ c: Unicode.Scalar) -> Bool {
            if i < chars.count, chars[i] == c { i += 1; return true }
            return false
        }

        mutating func expect(_ c: Unicode.Scalar) throws {
            guard take(c) else { throw SyntaxError(message: "expected '\(c)'") }
        }

        mutating func value() throws -> PythonLiteral {
            skipSpace()
            guard i < chars.count else { throw SyntaxError(message: "unexpected end") }
            let c = chars[i]
            if c == "'" || c == "\"" {
                i += 1
                var s = ""
                while i < chars.count, chars[i] != c { s.unicodeScalars.append(chars[i]); i += 1 }
                try expect(c)
                return .string(s)
            }
            if c == "(" || c == "[" {
                i += 1
                let close: Unicode.Scalar = c == "(" ? ")" : "]"
                var items: [PythonLiteral] = []
                while true {
                    skipSpace()
                    if take(close) { break }
                    items.append(try value())
                    skipSpace()
                    if take(close) { break }
                    try expect(",")
                }
                return .tuple(items)
            }
            var word = ""
            while i < chars.count, chars[i].properties.isAlphabetic || ("0"..."9").contains(chars[i]) || chars[i] == "-" || chars[i] == "_" {
                word.unicodeScalars.append(chars[i]); i += 1
            }
            switch word {
            case "True": return .bool(true)
            case "False": return .bool(false)
            default:
                // Python 2 headers may write longs as `3L`.
                let digits = word.hasSuffix("L") ? String(word.dropLast()) : word
                guard let n = Int(digits) else { throw SyntaxError(message: word.isEmpty ? "unexpected '\(c)'" : "unexpected '\(word)'") }
                return .int(n)
            }
        }
    }
}
