import Foundation
import Hummingbird
import Model

/// Reading request bodies with the limits and the precise errors of API.md.
extension Request {
    /// The whole body, or `413` when it exceeds `limit` bytes (checked on `Content-Length`
    /// first, then while reading).
    func collectBody(limit: Int) async throws -> ByteBuffer {
        if let length = headers[.contentLength].flatMap({ Int($0) }), length > limit {
            throw Problem.tooLarge(limit: limit)
        }
        do {
            return try await body.collect(upTo: limit)
        } catch let e as HTTPError where e.status == .contentTooLarge {
            throw Problem.tooLarge(limit: limit)
        }
    }

    /// The media type of the body (`application/json`), lower-cased, without parameters.
    var mediaType: String? {
        guard let value = headers[.contentType] else { return nil }
        return value.split(separator: ";", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
    }

    /// The JSON object of the body (records, merge patches).
    ///
    /// - `415` when a `Content-Type` other than JSON is given (none is accepted as JSON);
    /// - `413` beyond `limit`;
    /// - `400` naming `body` for an empty body, invalid UTF-8, invalid JSON, or JSON that is
    ///   not an object. Wrong types and unknown fields are the validator's (`422`, dotted paths).
    func jsonObject(limit: Int) async throws -> [String: JSONValue] {
        if let type = mediaType, !(type == "application/json" || type == "application/merge-patch+json" || type.hasSuffix("+json")) {
            throw Problem.unsupportedMediaType(expected: "application/json")
        }
        let buffer = try await collectBody(limit: limit)
        return try Self.parseObject(buffer)
    }

    static func parseObject(_ buffer: ByteBuffer) throws -> [String: JSONValue] {
        let view = buffer.readableBytesView
        if view.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) {
            throw Problem.invalidBody("Le corps est vide : un objet JSON est attendu.")
        }
        guard String(validating: view, as: UTF8.self) != nil else {
            throw Problem.invalidBody("Le corps n'est pas encodé en UTF-8 valide.")
        }
        let value: JSONValue
        do {
            value = try view.withContiguousStorageIfAvailable { try JSONValue.parseFast(bytes: $0) }
                ?? JSONValue.parseFast(Data(view))
        } catch let e as JSONParseError {
            throw Problem.invalidBody("JSON invalide (octet \(e.offset)).")
        } catch {
            throw Problem.invalidBody("JSON invalide.")
        }
        guard case .object(let object) = value else {
            throw Problem.invalidBody("Un objet JSON est attendu (et non \(Self.frenchTypeName(value))).")
        }
        return object
    }

    static func frenchTypeName(_ v: JSONValue) -> String {
        switch v {
        case .null: return "null"
        case .bool: return "un booléen"
        case .number: return "un nombre"
        case .string: return "une chaîne"
        case .array: return "un tableau"
        case .object: return "un objet"
        }
    }
}

/// The query string of a request, decoded strictly: `+` is a space, `%XX` must be valid and
/// decode to UTF-8, otherwise the parameter is refused (`400` naming it).
struct QueryParameters {
    private var values: [String: String] = [:]
    private var invalid: Set<String> = []

    init(_ query: String?) {
        guard let query, !query.isEmpty else { return }
        for pair in query.split(separator: "&", omittingEmptySubsequences: true) {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let rawKey = kv.first, let key = Self.decode(rawKey) else { continue }
            let rawValue = kv.count > 1 ? kv[1] : ""
            if values[key] != nil || invalid.contains(key) { continue }   // the first one wins
            if let value = Self.decode(rawValue) { values[key] = value } else { invalid.insert(key) }
        }
    }

    static func decode(_ s: Substring) -> String? {
        var s = s
        if let decoded = s.withUTF8({ decodeASCII($0) }) { return decoded }
        return decodeWithFoundation(s)
    }

    /// `+` → space, then `removingPercentEncoding` (nil when a `%` is not followed by two hex
    /// digits or the bytes are not UTF-8, with Foundation's own ways on some invalid bytes and
    /// a leading byte order mark): Foundation's, about 10 µs per request on Linux.
    static func decodeWithFoundation(_ s: Substring) -> String? {
        let spaced = s.replacingOccurrences(of: "+", with: " ")
        if !spaced.contains("%") { return spaced }
        return spaced.removingPercentEncoding
    }

    /// The same decoding, byte by byte, for the common case only: an all-ASCII text whose
    /// `%` escapes are well formed and decode to valid UTF-8 not starting with a byte order
    /// mark. nil for anything else, which `decodeWithFoundation` decides (`HotPathTests`
    /// checks both agree).
    static func decodeASCII(_ b: UnsafeBufferPointer<UInt8>) -> String? {
        guard !b.contains(where: { $0 >= 0x80 }) else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(b.count)
        var i = 0
        while i < b.count {
            let c = b[i]
            if c == 0x2B {
                out.append(0x20)
            } else if c == 0x25 {
                guard i + 2 < b.count, let hi = hexValue(b[i + 1]), let lo = hexValue(b[i + 2]) else { return nil }
                out.append(hi << 4 | lo)
                i += 2
            } else {
                out.append(c)
            }
            i += 1
        }
        if out.starts(with: [0xEF, 0xBB, 0xBF]) { return nil }
        return String(validating: out, as: UTF8.self)
    }

    @inline(__always) static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: return c - 0x30
        case 0x41...0x46: return c - 0x41 + 10
        case 0x61...0x66: return c - 0x61 + 10
        default: return nil
        }
    }

    /// The decoded value; `400` naming the parameter when its encoding is invalid.
    func get(_ name: String) throws -> String? {
        if invalid.contains(name) {
            throw Problem.invalidParameter(name, "Encodage invalide (UTF-8 attendu).")
        }
        return values[name]
    }

    /// A boolean flag (`true`/`false`/`1`/`0`), default false.
    func flag(_ name: String) throws -> Bool {
        guard let v = try get(name) else { return false }
        switch v.lowercased() {
        case "true", "1", "yes", "": return true
        case "false", "0", "no": return false
        default: throw Problem.invalidParameter(name, "Valeur attendue : true ou false.")
        }
    }
}
