/// An error in an input document: where it is (a JSON path such as `$.workload.layers[2].kernel`)
/// and what was expected instead of what was found.
public struct InputError: Error, Sendable, Equatable, CustomStringConvertible {
    public let path: String
    public let message: String

    public init(path: String, _ message: String) {
        self.path = path
        self.message = message
    }

    public var description: String { "\(path): \(message)" }
}

/// A JSON value with the path it was read from: every accessor throws an `InputError`
/// naming that path, the expected value and the value found.
public struct JSONNode: Sendable {
    public let value: JSONValue
    public let path: String

    public init(_ value: JSONValue, path: String = "$") {
        self.value = value
        self.path = path
    }

    public func fail(_ expected: String) -> InputError {
        InputError(path: path, "expected \(expected), found \(value.summary)")
    }

    /// Reads an object, rejecting any member not in `allowed`.
    public func object(allowing allowed: [String]) throws -> JSONObject {
        guard case let .object(members) = value else { throw fail("an object") }
        for m in members where !allowed.contains(m.key) {
            throw InputError(path: path, "unknown key \(JSONValue.shortQuote(m.key)), expected one of: \(allowed.joined(separator: ", "))")
        }
        return JSONObject(members: members, path: path)
    }

    public func array(nonEmpty: Bool = false) throws -> [JSONNode] {
        guard case let .array(items) = value else { throw fail(nonEmpty ? "a non-empty array" : "an array") }
        if nonEmpty && items.isEmpty { throw fail("a non-empty array") }
        return items.enumerated().map { JSONNode($1, path: "\(path)[\($0)]") }
    }

    public func string() throws -> String {
        guard case let .string(s) = value else { throw fail("a string") }
        return s
    }

    /// A name: non-empty, at most `maxLength` characters, none of them a control character or
    /// one of `forbidden` (so that it can stand in a one-line message or a CSV list).
    public func name(maxLength: Int = 64, forbidden: String = "") throws -> String {
        let s = try string()
        let describe = forbidden.isEmpty ? "a name of 1 to \(maxLength) characters without control characters"
            : "a name of 1 to \(maxLength) characters without control characters or any of \(forbidden.map { "'\($0)'" }.joined(separator: " "))"
        guard !s.isEmpty, s.count <= maxLength,
              !s.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || forbidden.unicodeScalars.contains($0) })
        else { throw fail(describe) }
        return s
    }

    public func string(oneOf options: [String]) throws -> String {
        let quoted = options.map { "\"\($0)\"" }.joined(separator: " or ")
        guard case let .string(s) = value, options.contains(s) else { throw fail(quoted) }
        return s
    }

    public func bool() throws -> Bool {
        guard case let .bool(b) = value else { throw fail("true or false") }
        return b
    }

    public func number(in range: ClosedRange<Double>? = nil, positive: Bool = false, what: String = "a number") throws -> Double {
        guard case let .number(n) = value, n.isFinite,
              !positive || n > 0,
              range.map({ $0.contains(n) }) ?? true else {
            throw fail(range.map { "\(what) in \(JSONValue.format(number: $0.lowerBound))...\(JSONValue.format(number: $0.upperBound))" }
                ?? (positive ? "a positive number" : what))
        }
        return n
    }

    public func int(in range: ClosedRange<Int>? = nil) throws -> Int {
        let describe = range.map { r -> String in
            r.upperBound == Int.max ? "an integer >= \(r.lowerBound)" : "an integer in \(r.lowerBound)...\(r.upperBound)"
        } ?? "an integer"
        guard case let .number(n) = value, n == n.rounded(), abs(n) < 1e15 else { throw fail(describe) }
        let i = Int(n)
        if let range, !range.contains(i) { throw fail(describe) }
        return i
    }

    public func positiveInt() throws -> Int { try int(in: 1...Int.max) }

    /// A non-empty list of values, each read by `read`; duplicates are rejected.
    public func choiceList<T: Hashable>(_ read: (JSONNode) throws -> T) throws -> [T] {
        let items = try array(nonEmpty: true)
        var seen = Set<T>()
        var out: [T] = []
        for item in items {
            let v = try read(item)
            guard seen.insert(v).inserted else { throw InputError(path: item.path, "duplicate choice \(item.value.summary)") }
            out.append(v)
        }
        return out
    }
}

/// An object's members with their path; reads by key.
public struct JSONObject: Sendable {
    let members: [(key: String, value: JSONValue)]
    public let path: String

    public func has(_ key: String) -> Bool { members.contains { $0.key == key } }

    public func optional(_ key: String) -> JSONNode? {
        guard let m = members.first(where: { $0.key == key }), m.value != .null else { return nil }
        return JSONNode(m.value, path: childPath(key))
    }

    public func required(_ key: String) throws -> JSONNode {
        guard let node = optional(key) else { throw InputError(path: childPath(key), "missing required key") }
        return node
    }

    func childPath(_ key: String) -> String {
        let plain = key.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") } && !key.isEmpty
            && key.count <= JSONValue.echoLimit
        return plain ? "\(path).\(key)" : "\(path)[\(JSONValue.shortQuote(key))]"
    }

    public var keys: [String] { members.map(\.key) }
}
