import Foundation

/// A stored record: its kind, its id and its normalized fields (snake_case names of API.md,
/// `id` excluded). Fields absent from `fields` are unset; a stored record never holds `.null`.
public struct Record: Hashable, Sendable {
    public var kind: RecordKind
    public var id: String
    public var fields: [String: JSONValue]

    public init(kind: RecordKind, id: String, fields: [String: JSONValue]) {
        self.kind = kind
        self.id = id
        self.fields = fields
    }

    public subscript(_ field: String) -> JSONValue? {
        get { fields[field] }
        set { fields[field] = newValue }
    }

    /// A non-empty string field, else nil.
    public func string(_ field: String) -> String? {
        guard case .string(let s)? = fields[field], !s.isEmpty else { return nil }
        return s
    }

    public func bool(_ field: String) -> Bool? { fields[field]?.boolValue }

    /// Whether the record is active (events and products always are).
    public var isActive: Bool { kind.hasActiveFlag ? (bool("active") ?? true) : true }

    /// The id of the company this record belongs to (contact, event → client, product → partner).
    public var companyId: String? { kind.companyField.flatMap { string($0) } }

    /// The record as the API shows it: its fields plus `id`.
    public var json: JSONValue {
        var o = fields
        o["id"] = .string(id)
        return .object(o)
    }
}

/// A record's address in a tenant: kind and id.
public struct RecordKey: Hashable, Sendable, CustomStringConvertible {
    public var kind: RecordKind
    public var id: String
    public init(kind: RecordKind, id: String) { self.kind = kind; self.id = id }
    public var description: String { "\(kind.rawValue)/\(id)" }
}

extension Record {
    public var key: RecordKey { RecordKey(kind: kind, id: id) }
}
