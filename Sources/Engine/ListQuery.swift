import Foundation
import Model
import Store

/// A list query as the caller sends it (API.md "Lists"), checked against the list's columns.
/// `parse` names the offending member of any bad input (`filters[1].column`).
public struct ListRequest: Sendable {
    public var list: ListName
    public var q: String?
    public var includeInactive = false
    public var filters: [ListFilter] = []
    public var sort: [ListSortKey] = []
    public var groupBy: ListColumn?
    public var columns: [ListColumn]
    public var limit = 50
    public var cursor: String?
    /// Which engine answers (not part of the API: tests compare them).
    public var engine: ListEngine = .auto

    public static let maxLimit = 500
    /// The default bound on `q` (the server passes its configured `maxQueryCharacters`).
    public static let maxQueryCharacters = 512

    public init(list: ListName) {
        self.list = list
        self.columns = list.columns   // no columns named: every column of the list
    }

    static func bad(_ field: String, _ message: String) -> EngineError {
        EngineError(.invalidParameter, "Paramètre « \(field) » invalide : \(message)",
                    fieldErrors: [.init(field: field, message: message)])
    }

    /// Reads a JSON list query (`prefix` names its members: "query." inside an export).
    public static func parse(_ body: JSONValue, list: ListName, prefix: String = "",
                             maxQueryCharacters: Int = ListRequest.maxQueryCharacters) throws -> ListRequest {
        guard case .object(let o) = body else { throw bad(prefix.isEmpty ? "body" : String(prefix.dropLast()), "un objet JSON est attendu.") }
        var r = ListRequest(list: list)
        let known: Set<String> = ["q", "include_inactive", "filters", "sort", "group_by", "columns", "limit", "cursor"]
        for k in o.keys.sorted() where !known.contains(k) {
            throw bad(prefix + k, "membre inconnu (attendus : q, include_inactive, filters, sort, group_by, columns, limit, cursor).")
        }
        switch o["q"] {
        case nil, .null?: break
        case .string(let s)?:
            guard s.count <= maxQueryCharacters else { throw bad(prefix + "q", "le texte recherché dépasse \(maxQueryCharacters) caractères.") }
            r.q = s.allSatisfy(\.isWhitespace) ? nil : s
        default: throw bad(prefix + "q", "une chaîne est attendue.")
        }
        switch o["include_inactive"] {
        case nil, .null?: break
        case .bool(let b)?: r.includeInactive = b
        default: throw bad(prefix + "include_inactive", "un booléen est attendu.")
        }
        switch o["filters"] {
        case nil, .null?: break
        case .array(let items)?:
            for (i, item) in items.enumerated() { r.filters.append(try parseFilter(item, list: list, path: "\(prefix)filters[\(i)]")) }
        default: throw bad(prefix + "filters", "une liste de filtres est attendue.")
        }
        switch o["sort"] {
        case nil, .null?: break
        case .array(let items)?:
            for (i, item) in items.enumerated() {
                let path = "\(prefix)sort[\(i)]"
                guard case .object(let s) = item else { throw bad(path, "un objet {column, dir} est attendu.") }
                guard case .string(let name)? = s["column"] else { throw bad(path + ".column", "le nom d'une colonne est attendu.") }
                guard list.column(name) != nil else { throw bad(path + ".column", "colonne inconnue « \(name) ».") }
                var desc = false
                switch s["dir"] {
                case nil, .null?: break
                case .string("asc")?: desc = false
                case .string("desc")?: desc = true
                default: throw bad(path + ".dir", "« dir » doit valoir asc ou desc.")
                }
                for k in s.keys where k != "column" && k != "dir" { throw bad(path + "." + k, "membre inconnu.") }
                r.sort.append(ListSortKey(column: name, descending: desc))
            }
        default: throw bad(prefix + "sort", "une liste de clés de tri est attendue.")
        }
        switch o["group_by"] {
        case nil, .null?: break
        case .string(let name)?:
            guard let c = list.column(name) else { throw bad(prefix + "group_by", "colonne inconnue « \(name) ».") }
            r.groupBy = c
        default: throw bad(prefix + "group_by", "le nom d'une colonne est attendu.")
        }
        switch o["columns"] {
        case nil, .null?: break
        case .array(let items)?:
            var cols: [ListColumn] = []
            var seen = Set<String>()
            for (i, item) in items.enumerated() {
                guard case .string(let name) = item else { throw bad("\(prefix)columns[\(i)]", "le nom d'une colonne est attendu.") }
                guard let c = list.column(name) else { throw bad("\(prefix)columns[\(i)]", "colonne inconnue « \(name) ».") }
                if seen.insert(name).inserted { cols.append(c) }
            }
            r.columns = cols
        default: throw bad(prefix + "columns", "une liste de noms de colonnes est attendue.")
        }
        switch o["limit"] {
        case nil, .null?: break
        case .number(let n)?:
            guard n == n.rounded(), n >= 0, n <= Double(maxLimit) else { throw bad(prefix + "limit", "un entier entre 0 et \(maxLimit) est attendu.") }
            r.limit = Int(n)
        default: throw bad(prefix + "limit", "un entier entre 0 et \(maxLimit) est attendu.")
        }
        switch o["cursor"] {
        case nil, .null?: break
        case .string(let s)?: r.cursor = s
        default: throw bad(prefix + "cursor", "le curseur reçu (« next_cursor ») est attendu.")
        }
        return r
    }

    static func parseFilter(_ item: JSONValue, list: ListName, path: String) throws -> ListFilter {
        guard case .object(let f) = item else { throw bad(path, "un objet {column, op, values} est attendu.") }
        for k in f.keys where !["column", "op", "values", "from", "to"].contains(k) { throw bad(path + "." + k, "membre inconnu.") }
        guard case .string(let name)? = f["column"] else { throw bad(path + ".column", "le nom d'une colonne est attendu.") }
        guard let column = list.column(name) else { throw bad(path + ".column", "colonne inconnue « \(name) ».") }
        guard case .string(let opName)? = f["op"] else { throw bad(path + ".op", "un opérateur est attendu.") }
        guard let op = ListOp(rawValue: opName) else {
            throw bad(path + ".op", "opérateur inconnu « \(opName) » (eq, in, contains, starts_with, between, empty, not_empty).")
        }
        guard column.type.ops.contains(op) else {
            throw bad(path + ".op", "l'opérateur « \(opName) » ne s'applique pas à la colonne « \(name) » (\(column.type.ops.map(\.rawValue).joined(separator: ", "))).")
        }
        var filter = ListFilter(column: column, op: op)
        switch op {
        case .empty, .notEmpty:
            break
        case .eq, .in, .contains, .startsWith:
            guard case .array(let vs)? = f["values"], !vs.isEmpty else { throw bad(path + ".values", "une liste de valeurs est attendue.") }
            if op != .in, vs.count != 1 { throw bad(path + ".values", "une seule valeur est attendue pour « \(opName) ».") }
            guard vs.count <= 1000 else { throw bad(path + ".values", "1 000 valeurs au plus.") }
            filter.values = try vs.enumerated().map { try value($1, column, path: "\(path).values[\($0)]") }
        case .between:
            if let v = f["from"], v != .null { filter.from = try value(v, column, path: path + ".from") }
            if let v = f["to"], v != .null { filter.to = try value(v, column, path: path + ".to") }
            guard filter.from != nil || filter.to != nil else { throw bad(path + ".from", "« from » ou « to » est attendu.") }
        }
        return filter
    }

    /// A filter operand of the column's type.
    static func value(_ v: JSONValue, _ c: ListColumn, path: String) throws -> ListValue {
        switch c.type {
        case .text, .select:
            switch v {
            case .string(let s): return .text(s)
            case .number(let n): return .number(n)
            default: throw bad(path, "un texte est attendu pour la colonne « \(c.name) ».")
            }
        case .number:
            if case .number(let n) = v { return .number(n) }
            throw bad(path, "un nombre est attendu pour la colonne « \(c.name) ».")
        case .bool:
            if case .bool(let b) = v { return .bool(b) }
            throw bad(path, "un booléen (true ou false) est attendu pour la colonne « \(c.name) ».")
        case .date:
            guard case .string(let s) = v, isDate(s) else {
                throw bad(path, "une date AAAA-MM-JJ est attendue pour la colonne « \(c.name) ».")
            }
            return .text(s)
        }
    }

    /// `YYYY-MM-DD`, optionally followed by an RFC 3339 time.
    static func isDate(_ s: String) -> Bool {
        let u = Array(s.utf8)
        guard u.count >= 10, u[4] == 0x2D, u[7] == 0x2D else { return false }
        for i in [0, 1, 2, 3, 5, 6, 8, 9] where !(u[i] >= 0x30 && u[i] <= 0x39) { return false }
        let m = Int(s.dropFirst(5).prefix(2))!, d = Int(s.dropFirst(8).prefix(2))!
        return (1...12).contains(m) && (1...31).contains(d) && (u.count == 10 || u[10] == 0x54)
    }

    /// What a cursor is bound to: the list, the text, the filters, the order and the grouping.
    var fingerprint: String {
        var s = "v1|\(list.rawValue)|\(q ?? "")|\(includeInactive)|"
        for f in filters {
            s += "\(f.column.name):\(f.op.rawValue):\(f.values.map { "\($0)" }.joined(separator: ","))"
            s += ":\(f.from.map { "\($0)" } ?? "-"):\(f.to.map { "\($0)" } ?? "-");"
        }
        s += "|" + sort.map { "\($0.column)\($0.descending ? "-" : "+")" }.joined(separator: ",")
        s += "|" + (groupBy?.name ?? "")
        var h: UInt64 = 0xcbf29ce484222325
        for b in s.utf8 { h = (h ^ UInt64(b)) &* 0x100000001b3 }
        return String(h, radix: 36)
    }

    struct CursorBody: Codable {
        var f: String
        var p: ListPosition
    }

    func encodeCursor(_ p: ListPosition) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = (try? encoder.encode(CursorBody(f: fingerprint, p: p))) ?? Data()
        return data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    func decodeCursor(_ s: String) throws -> ListPosition {
        var b64 = s.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while b64.count % 4 != 0 { b64 += "=" }
        guard s.count <= 8192, let data = Data(base64Encoded: b64), let body = try? JSONDecoder().decode(CursorBody.self, from: data) else {
            throw Self.bad("cursor", "curseur illisible : renvoyez le « next_cursor » reçu.")
        }
        guard body.f == fingerprint else {
            throw Self.bad("cursor", "ce curseur vient d'une autre requête (texte, filtres, tri ou regroupement différents).")
        }
        if body.p.inGroup, groupBy == nil { throw Self.bad("cursor", "ce curseur appartient à un regroupement.") }
        return body.p
    }
}

/// The answer to a list query (API.md "Lists").
public struct ListResponse: Sendable {
    public struct Row: Sendable {
        public var id: String
        public var values: [String: JSONValue]
    }
    public struct Group: Sendable {
        public var key: JSONValue
        public var count: Int
        public var rows: [Row]
        public var nextCursor: String?
    }
    public var total: Int
    public var rows: [Row]
    public var nextCursor: String?
    public var groups: [Group]?
    public var tookMs: Double
    /// The column names of `rows`' values, in the order asked.
    public var columns: [String]
    /// Whether the in-memory snapshot answered (else SQL); not in the JSON.
    public var fromMemory = false

    public var json: JSONValue {
        var o: [String: JSONValue] = [
            "total": .number(Double(total)),
            "rows": .array(rows.map(Self.rowJSON)),
            "next_cursor": nextCursor.map { .string($0) } ?? .null,
            "took_ms": .number((tookMs * 1000).rounded() / 1000),
        ]
        if let groups {
            o["groups"] = .array(groups.map { g in
                .object(["key": g.key, "count": .number(Double(g.count)), "rows": .array(g.rows.map(Self.rowJSON)),
                         "next_cursor": g.nextCursor.map { .string($0) } ?? .null])
            })
        }
        return .object(o)
    }

    static func rowJSON(_ r: Row) -> JSONValue { .object(["id": .string(r.id), "values": .object(r.values)]) }
}

extension Tenant {
    /// Runs a list query: the text part through the index (the search bar's analysis), the
    /// filters, order, groups and paging in the store's list tables, read in one transaction.
    public func list(_ request: ListRequest) throws -> ListResponse {
        try list(request, matches: listMatches(request))
    }

    /// The records matching the request's text, best first (nil without text).
    private func listMatches(_ request: ListRequest) throws -> [ListMatch]? {
        try request.q.map { try searcher.listMatches($0, kind: request.list.kind, index: index) }
    }

    /// `list(_:)` with the text's matches already known (the pages of one export match once).
    private func list(_ request: ListRequest, matches: [ListMatch]?) throws -> ListResponse {
        let started = DispatchTime.now().uptimeNanoseconds
        let position = try request.cursor.map { try request.decodeCursor($0) }
        var q = ListSQLQuery(list: request.list, filters: request.filters, includeInactive: request.includeInactive,
                             matches: matches, sort: request.sort, groupBy: request.groupBy, columns: request.columns,
                             limit: request.limit, position: position)
        q.engine = request.engine
        if matches == nil, q.sort.isEmpty { q.sort = request.list.defaultSort }
        let result = try store.list(q)
        func rows(_ rs: [ListRow]) -> [ListResponse.Row] { rs.map { ListResponse.Row(id: $0.id, values: $0.values) } }
        var response = ListResponse(total: result.total, rows: rows(result.rows), nextCursor: nil, groups: nil, tookMs: 0,
                                    columns: request.columns.map(\.name))
        response.fromMemory = result.fromMemory
        if result.hasMore, let last = result.rows.last { response.nextCursor = request.encodeCursor(last.position) }
        if let groups = result.groups {
            response.groups = groups.map { g in
                var next: String?
                if g.hasMore {
                    next = request.encodeCursor(g.rows.last?.position ?? ListPosition(group: g.keyValue, inGroup: true))
                }
                return ListResponse.Group(key: g.key, count: g.count, rows: rows(g.rows), nextCursor: next)
            }
        }
        response.tookMs = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6
        return response
    }

    /// Every row of a list query, page by page (an export of the view), in the query's order.
    public func forEachListRow(_ request: ListRequest, pageSize: Int = 1000, _ body: ([ListResponse.Row]) throws -> Void) throws {
        var r = request
        r.groupBy = nil
        r.limit = pageSize
        r.cursor = nil
        let matches = try listMatches(r)
        while true {
            let page = try list(r, matches: matches)
            try body(page.rows)
            guard let next = page.nextCursor else { return }
            r.cursor = next
        }
    }
}

extension Tenant {
    /// Builds the list's in-memory snapshot now (before a benchmark measures, or a test compares).
    public func warmList(_ list: ListName) throws { try store.warmList(list) }
}
