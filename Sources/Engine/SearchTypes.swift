import Model

/// What the search bar asks (API.md "Search").
public struct SearchRequest: Sendable, Hashable {
    public enum InactiveMode: String, Sendable, CaseIterable { case exclude, include, only }
    public var query: String
    public var limit: Int = 5            // hits per group, 0…50 (0 = counts only)
    public var tab: SearchTab? = nil     // with a tab: other tabs keep totals, no hits
    public var offset: Int = 0           // hits skipped in each group of `tab`
    public var inactive: InactiveMode = .exclude

    public init(query: String, limit: Int = 5, tab: SearchTab? = nil, offset: Int = 0, inactive: InactiveMode = .exclude) {
        self.query = query
        self.limit = limit
        self.tab = tab
        self.offset = offset
        self.inactive = inactive
    }
}

/// The search response, field for field as API.md gives it (JSON keys in snake_case).
public struct SearchResponse: Codable, Sendable, Hashable {
    public var query: String
    public var tookMs: Double
    public var correctedQuery: String?
    public var tabs: [TabResult]
    public var suggestions: [Suggestion]

    enum CodingKeys: String, CodingKey {
        case query, tabs, suggestions
        case tookMs = "took_ms"
        case correctedQuery = "corrected_query"
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(query, forKey: .query)
        try c.encode(tookMs, forKey: .tookMs)
        try c.encode(correctedQuery, forKey: .correctedQuery)   // explicit null, as API.md shows
        try c.encode(tabs, forKey: .tabs)
        try c.encode(suggestions, forKey: .suggestions)
    }
}

public struct TabResult: Codable, Sendable, Hashable {
    public var tab: String
    public var label: String
    public var total: Int
    public var groups: [GroupResult]
}

public struct GroupResult: Codable, Sendable, Hashable {
    public var kind: String
    public var label: String
    public var total: Int
    public var hits: [Hit]
}

public struct Hit: Codable, Sendable, Hashable {
    public var id: String
    public var kind: String
    public var title: String
    public var subtitle: String
    public var score: Double
    public var active: Bool
    public var highlights: [String: String]
}

public struct Suggestion: Codable, Sendable, Hashable {
    public var action: String      // create_client | create_contact
    public var label: String       // Nouveau client | Nouveau contact
    public var prefill: [String: String]
}

/// The answer to a bulk load (API.md "Bulk load").
public struct BulkResult: Codable, Sendable, Hashable {
    public struct LineError: Codable, Sendable, Hashable {
        public var line: Int
        public var field: String?
        public var error: String
    }
    public var upserted: Int = 0
    public var deleted: Int = 0
    public var errors: [LineError] = []
    /// Highest change sequence written by this load (not part of the JSON answer).
    public var lastSeq: Int64 = 0

    enum CodingKeys: String, CodingKey { case upserted, deleted, errors }
    public init() {}
}

/// `GET /v1/index/status`.
public struct IndexStatus: Codable, Sendable, Hashable {
    public var storeSeq: Int64
    public var indexSeq: Int64
    public var documents: Int
    enum CodingKeys: String, CodingKey {
        case storeSeq = "store_seq"
        case indexSeq = "index_seq"
        case documents
    }
}

extension SearchResponse {
    /// The response as JSON bytes, through the hand-written writer of `JSONValue` (a tenth
    /// of what JSONEncoder costs on this path, which runs on every keystroke). Same fields
    /// and values as the Codable encoding; keys sorted.
    public func jsonBytes() -> [UInt8] {
        func hit(_ h: Hit) -> JSONValue {
            .object([
                "id": .string(h.id), "kind": .string(h.kind), "title": .string(h.title), "subtitle": .string(h.subtitle),
                "score": .number(h.score), "active": .bool(h.active),
                "highlights": .object(h.highlights.mapValues { .string($0) }),
            ])
        }
        let tabs: [JSONValue] = tabs.map { t in
            .object([
                "tab": .string(t.tab), "label": .string(t.label), "total": .number(Double(t.total)),
                "groups": .array(t.groups.map { g in
                    .object([
                        "kind": .string(g.kind), "label": .string(g.label), "total": .number(Double(g.total)),
                        "hits": .array(g.hits.map(hit)),
                    ])
                }),
            ])
        }
        let value: JSONValue = .object([
            "query": .string(query),
            "took_ms": .number((tookMs * 1000).rounded() / 1000),
            "corrected_query": correctedQuery.map { .string($0) } ?? .null,
            "tabs": .array(tabs),
            "suggestions": .array(suggestions.map { s in
                .object(["action": .string(s.action), "label": .string(s.label),
                         "prefill": .object(s.prefill.mapValues { .string($0) })])
            }),
        ])
        return value.compactJSONBytes()
    }
}
