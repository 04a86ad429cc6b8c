import Foundation

// A small hand-written JSON writer and reader for stored records. `JSONEncoder`/`JSONDecoder`
// cost tens of microseconds per record on Linux, which would dominate bulk loads and reindexes.
// The writer emits the same text as `jsonData()` for values a record holds (sorted keys,
// integers without a fraction, `/` unescaped); the reader accepts any RFC 8259 JSON.

extension JSONValue {
    /// Compact JSON with sorted keys, written by hand (fast path of `jsonData()`).
    public func compactJSON() -> String {
        var out = [UInt8]()
        out.reserveCapacity(256)
        Self.write(self, into: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Compact JSON bytes with sorted keys.
    public func compactJSONBytes() -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(256)
        Self.write(self, into: &out)
        return out
    }

    /// Parses JSON text (fast path of `parse(_:)`); throws `JSONParseError` on malformed input.
    public static func parseFast(_ text: String) throws -> JSONValue {
        var text = text
        return try text.withUTF8 { try parseFast(bytes: $0) }
    }

    public static func parseFast(_ data: Data) throws -> JSONValue {
        try data.withUnsafeBytes { raw in
            try parseFast(bytes: UnsafeBufferPointer(start: raw.baseAddress?.assumingMemoryBound(to: UInt8.self), count: raw.count))
        }
    }

    public static func parseFast(bytes: UnsafeBufferPointer<UInt8>) throws -> JSONValue {
        // JSON text is UTF-8 (RFC 8259): refuse invalid bytes instead of repairing them.
        if bytes.contains(where: { $0 >= 0x80 }), String(validating: bytes, as: UTF8.self) == nil {
            throw JSONParseError(offset: 0, reason: "invalid UTF-8")
        }
        var p = FastJSONParser(bytes)
        p.skipSpace()
        let v = try p.value(depth: 0)
        p.skipSpace()
        guard p.i == p.b.count else { throw JSONParseError(offset: p.i, reason: "trailing characters") }
        return v
    }

    /// The members `keys` of a JSON object text, the others skipped without being built (a
    /// list row needs a few fields of a stored record). nil when the text is not an object.
    public static func parseFields(_ text: String, _ keys: Set<String>) throws -> [String: JSONValue]? {
        var text = text
        return try text.withUTF8 { bytes -> [String: JSONValue]? in
            var p = FastJSONParser(bytes)
            p.skipSpace()
            guard p.i < bytes.count, bytes[p.i] == 0x7B else { return nil }
            p.i += 1
            var o = [String: JSONValue]()
            p.skipSpace()
            if p.i < bytes.count, bytes[p.i] == 0x7D { return o }
            while true {
                p.skipSpace()
                guard p.i < bytes.count, bytes[p.i] == 0x22 else { throw p.fail("expected a key") }
                let k = try p.string()
                p.skipSpace()
                guard p.i < bytes.count, bytes[p.i] == 0x3A else { throw p.fail("expected ':'") }
                p.i += 1
                p.skipSpace()
                if keys.contains(k) { o[k] = try p.value(depth: 1) } else { try p.skipValue() }
                p.skipSpace()
                guard p.i < bytes.count else { throw p.fail("unexpected end") }
                if bytes[p.i] == 0x2C { p.i += 1; continue }
                if bytes[p.i] == 0x7D { return o }
                throw p.fail("expected ',' or '}'")
            }
        }
    }

    // MARK: writer

    static func write(_ v: JSONValue, into out: inout [UInt8]) {
        switch v {
        case .null: out.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C])
        case .bool(let b): out.append(contentsOf: b ? Array("true".utf8) : Array("false".utf8))
        case .number(let n): writeNumber(n, into: &out)
        case .string(let s): writeString(s, into: &out)
        case .array(let a):
            out.append(0x5B)
            for (i, e) in a.enumerated() {
                if i > 0 { out.append(0x2C) }
                write(e, into: &out)
            }
            out.append(0x5D)
        case .object(let o):
            out.append(0x7B)
            // Sort by UTF-8 bytes... JSONEncoder's .sortedKeys compares Strings; for the
            // ASCII keys of records both orders agree.
            let keys = o.keys.sorted()
            for (i, k) in keys.enumerated() {
                if i > 0 { out.append(0x2C) }
                writeString(k, into: &out)
                out.append(0x3A)
                write(o[k]!, into: &out)
            }
            out.append(0x7D)
        }
    }

    static func writeNumber(_ n: Double, into out: inout [UInt8]) {
        guard n.isFinite else { out.append(contentsOf: Array("null".utf8)); return }
        if n.rounded() == n, abs(n) < 9.0e15 {
            out.append(contentsOf: String(Int64(n)).utf8)
        } else {
            out.append(contentsOf: "\(n)".utf8)
        }
    }

    static func writeString(_ s: String, into out: inout [UInt8]) {
        out.append(0x22)
        if !s.utf8.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) {
            out.append(contentsOf: s.utf8)
            out.append(0x22)
            return
        }
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        for c in s.utf8 {
            switch c {
            case 0x22: out.append(0x5C); out.append(0x22)
            case 0x5C: out.append(0x5C); out.append(0x5C)
            case 0x0A: out.append(0x5C); out.append(0x6E)
            case 0x0D: out.append(0x5C); out.append(0x72)
            case 0x09: out.append(0x5C); out.append(0x74)
            case 0x08: out.append(0x5C); out.append(0x62)
            case 0x0C: out.append(0x5C); out.append(0x66)
            case 0..<0x20:
                out.append(contentsOf: [0x5C, 0x75, 0x30, 0x30, hex[Int(c >> 4)], hex[Int(c & 15)]])
            default: out.append(c)
            }
        }
        out.append(0x22)
    }
}

public struct JSONParseError: Error, CustomStringConvertible, Sendable {
    public var offset: Int
    public var reason: String
    public var description: String { "JSON invalide à l'octet \(offset) : \(reason)" }
}

struct FastJSONParser {
    let b: UnsafeBufferPointer<UInt8>
    var i = 0
    init(_ b: UnsafeBufferPointer<UInt8>) { self.b = b }

    func fail(_ reason: String) -> JSONParseError { JSONParseError(offset: i, reason: reason) }

    mutating func skipSpace() {
        while i < b.count, b[i] == 0x20 || b[i] == 0x0A || b[i] == 0x0D || b[i] == 0x09 { i += 1 }
    }

    mutating func literal(_ word: StaticString, _ v: JSONValue) throws -> JSONValue {
        let n = word.utf8CodeUnitCount
        guard i + n <= b.count else { throw fail("unexpected end") }
        let w = word.utf8Start
        for k in 0..<n where b[i + k] != w[k] { throw fail("invalid literal") }
        i += n
        return v
    }

    /// Moves past one value without building it: strings to their closing quote (escapes
    /// stepped over), containers to their matching bracket, numbers and literals to the next
    /// delimiter. Lenient inside skipped containers (the text is the store's own JSON).
    mutating func skipValue() throws {
        guard i < b.count else { throw fail("unexpected end") }
        switch b[i] {
        case 0x22:
            try skipString()
        case 0x7B, 0x5B:
            var depth = 0
            while i < b.count {
                switch b[i] {
                case 0x22: try skipString(); continue
                case 0x7B, 0x5B: depth += 1
                case 0x7D, 0x5D:
                    depth -= 1
                    if depth == 0 { i += 1; return }
                default: break
                }
                i += 1
            }
            throw fail("unexpected end")
        default:
            while i < b.count, b[i] != 0x2C, b[i] != 0x7D, b[i] != 0x5D, b[i] != 0x20, b[i] != 0x0A, b[i] != 0x0D, b[i] != 0x09 { i += 1 }
        }
    }

    mutating func skipString() throws {
        i += 1
        while i < b.count {
            if b[i] == 0x5C { i += 2; continue }
            if b[i] == 0x22 { i += 1; return }
            i += 1
        }
        throw fail("unterminated string")
    }

    mutating func value(depth: Int) throws -> JSONValue {
        guard depth < 512 else { throw fail("too deep") }
        guard i < b.count else { throw fail("unexpected end") }
        switch b[i] {
        case 0x7B: // {
            i += 1
            var o = [String: JSONValue]()
            skipSpace()
            if i < b.count, b[i] == 0x7D { i += 1; return .object(o) }
            while true {
                skipSpace()
                guard i < b.count, b[i] == 0x22 else { throw fail("expected a key") }
                let k = try string()
                skipSpace()
                guard i < b.count, b[i] == 0x3A else { throw fail("expected ':'") }
                i += 1
                skipSpace()
                o[k] = try value(depth: depth + 1)
                skipSpace()
                guard i < b.count else { throw fail("unexpected end") }
                if b[i] == 0x2C { i += 1; continue }
                if b[i] == 0x7D { i += 1; return .object(o) }
                throw fail("expected ',' or '}'")
            }
        case 0x5B: // [
            i += 1
            var a = [JSONValue]()
            skipSpace()
            if i < b.count, b[i] == 0x5D { i += 1; return .array(a) }
            while true {
                skipSpace()
                a.append(try value(depth: depth + 1))
                skipSpace()
                guard i < b.count else { throw fail("unexpected end") }
                if b[i] == 0x2C { i += 1; continue }
                if b[i] == 0x5D { i += 1; return .array(a) }
                throw fail("expected ',' or ']'")
            }
        case 0x22: return .string(try string())
        case 0x74: return try literal("true", .bool(true))
        case 0x66: return try literal("false", .bool(false))
        case 0x6E: return try literal("null", .null)
        default: return .number(try number())
        }
    }

    mutating func number() throws -> Double {
        let start = i
        if i < b.count, b[i] == 0x2D { i += 1 }
        var digits = 0
        while i < b.count, b[i] >= 0x30, b[i] <= 0x39 { i += 1; digits += 1 }
        guard digits > 0 else { throw fail("invalid value") }
        if digits > 1, b[i - digits] == 0x30 { throw fail("leading zero") }
        var isInteger = true
        if i < b.count, b[i] == 0x2E {
            isInteger = false
            i += 1
            var f = 0
            while i < b.count, b[i] >= 0x30, b[i] <= 0x39 { i += 1; f += 1 }
            guard f > 0 else { throw fail("invalid number") }
        }
        if i < b.count, b[i] == 0x65 || b[i] == 0x45 {
            isInteger = false
            i += 1
            if i < b.count, b[i] == 0x2B || b[i] == 0x2D { i += 1 }
            var e = 0
            while i < b.count, b[i] >= 0x30, b[i] <= 0x39 { i += 1; e += 1 }
            guard e > 0 else { throw fail("invalid number") }
        }
        if isInteger, digits <= 15 {
            var v: Int64 = 0
            var k = start
            let neg = b[k] == 0x2D
            if neg { k += 1 }
            while k < i { v = v * 10 + Int64(b[k] - 0x30); k += 1 }
            return Double(neg ? -v : v)
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: b[start..<i]), as: UTF8.self)
        guard let d = Double(text) else { throw fail("invalid number") }
        // 1e999 would be infinity, which JSON cannot write back (the writer gives null).
        guard d.isFinite else { throw JSONParseError(offset: start, reason: "number out of range") }
        return d
    }

    mutating func hex4() throws -> UInt32 {
        guard i + 4 <= b.count else { throw fail("bad \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = b[i]
            let d: UInt32
            switch c {
            case 0x30...0x39: d = UInt32(c - 0x30)
            case 0x41...0x46: d = UInt32(c - 0x41 + 10)
            case 0x61...0x66: d = UInt32(c - 0x61 + 10)
            default: throw fail("bad \\u escape")
            }
            v = v << 4 | d
            i += 1
        }
        return v
    }

    mutating func string() throws -> String {
        i += 1 // opening quote
        let start = i
        // Fast path: no escapes.
        while i < b.count {
            let c = b[i]
            if c == 0x22 {
                let s = String(decoding: UnsafeBufferPointer(rebasing: b[start..<i]), as: UTF8.self)
                i += 1
                return s
            }
            if c == 0x5C { break }
            if c < 0x20 { throw fail("control character in string") }
            i += 1
        }
        var out = Array(b[start..<i])
        while i < b.count {
            let c = b[i]
            if c == 0x22 { i += 1; return String(decoding: out, as: UTF8.self) }
            if c < 0x20 { throw fail("control character in string") }
            if c != 0x5C { out.append(c); i += 1; continue }
            i += 1
            guard i < b.count else { break }
            let e = b[i]
            i += 1
            switch e {
            case 0x22: out.append(0x22)
            case 0x5C: out.append(0x5C)
            case 0x2F: out.append(0x2F)
            case 0x62: out.append(0x08)
            case 0x66: out.append(0x0C)
            case 0x6E: out.append(0x0A)
            case 0x72: out.append(0x0D)
            case 0x74: out.append(0x09)
            case 0x75:
                var u = try hex4()
                if u >= 0xD800, u < 0xDC00 {
                    // High surrogate: expect a low one.
                    if i + 6 <= b.count, b[i] == 0x5C, b[i + 1] == 0x75 {
                        i += 2
                        let lo = try hex4()
                        if lo >= 0xDC00, lo < 0xE000 {
                            u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00)
                        } else {
                            u = 0xFFFD
                            appendScalar(0xFFFD, &out)
                            u = lo >= 0xD800 && lo < 0xE000 ? 0xFFFD : lo
                        }
                    } else {
                        u = 0xFFFD
                    }
                } else if u >= 0xDC00, u < 0xE000 {
                    u = 0xFFFD
                }
                appendScalar(u, &out)
            default: throw fail("bad escape")
            }
        }
        throw fail("unterminated string")
    }

    func appendScalar(_ u: UInt32, _ out: inout [UInt8]) {
        let scalar = Unicode.Scalar(u) ?? "\u{FFFD}"
        out.append(contentsOf: String(Character(scalar)).utf8)
    }
}
