import Foundation

/// A JSON value as records carry it. Records are schema-driven (see `Schema`), so their fields
/// are kept as JSON values keyed by the API's snake_case names.
public enum JSONValue: Hashable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }
    public var boolValue: Bool? { if case .bool(let b) = self { return b } else { return nil } }
    public var numberValue: Double? { if case .number(let n) = self { return n } else { return nil } }
    public var arrayValue: [JSONValue]? { if case .array(let a) = self { return a } else { return nil } }
    public var objectValue: [String: JSONValue]? { if case .object(let o) = self { return o } else { return nil } }
    public var isNull: Bool { if case .null = self { return true } else { return false } }

    /// The JSON type name used in validation messages.
    public var typeName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .number: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }
}

extension JSONValue: Codable {
    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null; return }
        if let b = try? c.decode(Bool.self) { self = .bool(b); return }
        if let n = try? c.decode(Double.self) { self = .number(n); return }
        if let s = try? c.decode(String.self) { self = .string(s); return }
        if let a = try? c.decode([JSONValue].self) { self = .array(a); return }
        if let o = try? c.decode([String: JSONValue].self) { self = .object(o); return }
        throw DecodingError.dataCorruptedError(in: c, debugDescription: "not a JSON value")
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .number(let n):
            if n.rounded() == n, abs(n) < 9.0e15 { try c.encode(Int64(n)) } else { try c.encode(n) }
        case .string(let s): try c.encode(s)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }
}

extension JSONValue {
    /// Parses JSON bytes (the hand-written parser of JSONValue+Fast: booleans stay apart from
    /// numbers, invalid UTF-8 is refused).
    public static func parse(_ data: Data) throws -> JSONValue {
        try parseFast(data)
    }

    /// Serialises to compact JSON with sorted keys (stable output for tests and storage).
    public func jsonData() -> Data { Data(compactJSONBytes()) }

    public func jsonString() -> String { String(decoding: jsonData(), as: UTF8.self) }
}

extension StringProtocol {
    /// Leading and trailing white space (and new lines) removed. A native replacement for
    /// Foundation's `trimmingCharacters(in: .whitespacesAndNewlines)`, which bridges through
    /// NSString and was a tenth of the bulk-load time.
    public func trimmedSpaces() -> String {
        let string = String(self)
        let scalars = string.unicodeScalars
        var start = scalars.startIndex, end = scalars.endIndex
        while start < end, Self.isSpace(scalars[start]) { start = scalars.index(after: start) }
        while end > start {
            let before = scalars.index(before: end)
            if Self.isSpace(scalars[before]) { end = before } else { break }
        }
        if start == scalars.startIndex && end == scalars.endIndex { return string }
        return String(Substring(scalars[start..<end]))
    }

    /// White space (Unicode's property), with ASCII answered without the property tables.
    @inline(__always)
    static func isSpace(_ u: Unicode.Scalar) -> Bool {
        if u.value < 0x80 { return u.value == 0x20 || (u.value >= 0x09 && u.value <= 0x0D) }
        return u.properties.isWhitespace
    }
}
