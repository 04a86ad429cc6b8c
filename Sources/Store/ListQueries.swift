import Foundation
import GRDB
import Model

/// A typed value in a list query: a filter operand, a sort key of a row (for cursors), a
/// group key.
public enum ListValue: Hashable, Sendable, Codable {
    case text(String), number(Double), bool(Bool), null

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let n = try? c.decode(Double.self) { self = .number(n) }
        else { self = .text(try c.decode(String.self)) }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .text(let s): try c.encode(s)
        case .number(let n): try c.encode(n)
        case .bool(let b): try c.encode(b)
        case .null: try c.encodeNil()
        }
    }

    var databaseValue: DatabaseValue {
        switch self {
        case .text(let s): return s.databaseValue
        case .number(let n): return n.databaseValue
        case .bool(let b): return (b ? 1 : 0).databaseValue
        case .null: return .null
        }
    }

    init(_ dbValue: DatabaseValue) {
        switch dbValue.storage {
        case .null: self = .null
        case .int64(let i): self = .number(Double(i))
        case .double(let d): self = .number(d)
        case .string(let s): self = .text(s)
        case .blob: self = .null
        }
    }
}

/// A record matching a list's text query, with its weight (relevance order: best weight
/// first, equal weights in the list's default order, then id).
public struct ListMatch: Sendable, Hashable {
    public var docid: Int64
    public var weight: Double
    public init(docid: Int64, weight: Double) {
        self.docid = docid
        self.weight = weight
    }
}

/// One filter of a list query, checked against the column's type (`ListQuery` in Engine).
public struct ListFilter: Sendable, Hashable {
    public var column: ListColumn
    public var op: ListOp
    public var values: [ListValue]
    public var from: ListValue?
    public var to: ListValue?
    public init(column: ListColumn, op: ListOp, values: [ListValue] = [], from: ListValue? = nil, to: ListValue? = nil) {
        self.column = column
        self.op = op
        self.values = values
        self.from = from
        self.to = to
    }
}

/// Where a page starts: after a row's sort keys (keyset), or at an offset in relevance order;
/// within a group when `group` is set.
public struct ListPosition: Sendable, Hashable, Codable {
    public var keys: [ListValue]?
    public var offset: Int?
    public var group: ListValue?
    public var inGroup: Bool
    public init(keys: [ListValue]? = nil, offset: Int? = nil, group: ListValue? = nil, inGroup: Bool = false) {
        self.keys = keys
        self.offset = offset
        self.group = group
        self.inGroup = inGroup
    }
}

/// A list query resolved against the schema: what the SQL is built from.
public struct ListSQLQuery: Sendable {
    public var list: ListName
    public var filters: [ListFilter]
    public var includeInactive: Bool
    /// The records matching the text query, best first (nil: no text query).
    public var matches: [ListMatch]?
    /// Sort keys; empty with `matches` means relevance order.
    public var sort: [ListSortKey]
    public var groupBy: ListColumn?
    public var columns: [ListColumn]
    public var limit: Int
    public var position: ListPosition?
    /// Groups beyond this many come with their count and no rows (a cursor fetches them).
    public var groupRowsLimit: Int
    public var engine: ListEngine = .auto

    public init(list: ListName, filters: [ListFilter] = [], includeInactive: Bool = false, matches: [ListMatch]? = nil,
                sort: [ListSortKey] = [], groupBy: ListColumn? = nil, columns: [ListColumn], limit: Int = 50,
                position: ListPosition? = nil, groupRowsLimit: Int = 100) {
        self.list = list
        self.filters = filters
        self.includeInactive = includeInactive
        self.matches = matches
        self.sort = sort
        self.groupBy = groupBy
        self.columns = columns
        self.limit = limit
        self.position = position
        self.groupRowsLimit = groupRowsLimit
    }
}

public struct ListRow: Sendable {
    public var docid: Int64
    public var id: String
    public var values: [String: JSONValue]
    /// Where the next page starts after this row.
    public var position: ListPosition
}

public struct ListGroupResult: Sendable {
    /// The group's key as shown (null for the empty group).
    public var key: JSONValue
    public var keyValue: ListValue
    public var count: Int
    public var rows: [ListRow]
    public var hasMore: Bool
}

public struct ListResult: Sendable {
    public var total: Int
    public var rows: [ListRow]
    public var hasMore: Bool
    public var groups: [ListGroupResult]?
    /// Whether the snapshot answered (else SQL).
    public var fromMemory = false
}

enum ListQueries {
    /// `ls_key(text)`: a custom field's value as a list key (folded letters and digits), NULL
    /// when empty.
    static let keyFunction = DatabaseFunction("ls_key", argumentCount: 1, pure: true) { values in
        guard let s = String.fromDatabaseValue(values[0]) else {
            if let n = Double.fromDatabaseValue(values[0]) { return ListKeys.text(SheetsFreeNumber.text(n)) }
            return nil
        }
        let k = ListKeys.text(s)
        return k.isEmpty ? nil : k
    }

    /// The SQL expression of a column's key (`l` is the list table, `r` the records table).
    static func expr(_ c: ListColumn) -> String {
        if case .custom(let name) = c.source {
            let path = "$.custom_fields.\"" + name.replacingOccurrences(of: "\"", with: "") + "\""
            return "ls_key(json_extract(r.data, '\(path.replacingOccurrences(of: "'", with: "''"))'))"
        }
        return "l." + c.keyColumn
    }

    /// Whether the column's key can be NULL (text keys are '' when empty, custom ones NULL).
    static func nullable(_ c: ListColumn) -> Bool {
        c.isCustom || !(c.type == .text || c.type == .select)
    }

    static func emptyCondition(_ c: ListColumn) -> String {
        nullable(c) ? "\(expr(c)) IS NULL" : "\(expr(c)) = ''"
    }

    /// The key a text operand is compared with.
    static func textKey(_ v: ListValue, _ c: ListColumn) -> String {
        switch v {
        case .text(let s): return ListKeys.key(s, c)
        case .number(let n): return ListKeys.key(SheetsFreeNumber.text(n), c)
        case .bool(let b): return b ? "oui" : "non"
        case .null: return ""
        }
    }

    static func operand(_ v: ListValue, _ c: ListColumn) -> DatabaseValue {
        switch c.type {
        case .text, .select:
            if c.isMulti { return ListKeys.text(textKey(v, c)).databaseValue }
            return textKey(v, c).databaseValue
        default: return v.databaseValue
        }
    }

    static func condition(_ f: ListFilter, _ args: inout [DatabaseValue]) -> String {
        let c = f.column
        let e = expr(c)
        switch f.op {
        case .empty: return emptyCondition(c)
        case .notEmpty: return "NOT (\(emptyCondition(c)))"
        case .eq, .in:
            if c.isMulti {
                let parts = f.values.map { v -> String in args.append(operand(v, c)); return "instr(\(e), ',' || ? || ',') > 0" }
                return "(" + parts.joined(separator: " OR ") + ")"
            }
            if c.type == .date {
                let parts = f.values.map { v -> String in
                    args.append(v.databaseValue); args.append(v.databaseValue)
                    return "(\(e) >= ? AND \(e) <= ? || '~')"
                }
                return "(" + parts.joined(separator: " OR ") + ")"
            }
            let params = f.values.map { v -> String in args.append(operand(v, c)); return "?" }
            return params.count == 1 ? "\(e) = ?" : "\(e) IN (\(params.joined(separator: ", ")))"
        case .contains:
            args.append(operand(f.values.first ?? .null, c))
            return "instr(\(e), ?) > 0"
        case .startsWith:
            let o = operand(f.values.first ?? .null, c)
            args.append(o)
            if c.isMulti { return "instr(\(e), ',' || ?) > 0" }
            // Folded keys hold letters and digits only; a raw key (an id) may hold a GLOB
            // metacharacter, then compared literally.
            if let s = String.fromDatabaseValue(o), s.contains(where: { "*?[".contains($0) }) {
                args.append(o)
                return "substr(\(e), 1, length(?)) = ?"
            }
            return "\(e) GLOB ? || '*'"
        case .between:
            var parts: [String] = []
            if let from = f.from, from != .null { args.append(from.databaseValue); parts.append("\(e) >= ?") }
            if let to = f.to, to != .null {
                args.append(to.databaseValue)
                parts.append(c.type == .date ? "\(e) <= ? || '~'" : "\(e) <= ?")
            }
            return parts.isEmpty ? "1" : parts.joined(separator: " AND ")
        }
    }

    /// The WHERE clause (filters, activity) and whether the records table must be joined.
    static func whereClause(_ q: ListSQLQuery, _ args: inout [DatabaseValue]) -> [String] {
        var conds: [String] = []
        let hasActiveFilter = q.filters.contains { $0.column.name == "active" }
        if q.list.kind.hasActiveFlag, !q.includeInactive, !hasActiveFilter { conds.append("l.k_active IS NOT 0") }
        for f in q.filters { conds.append(condition(f, &args)) }
        return conds
    }

    struct SortTerm {
        var expr: String
        var descending: Bool
        var nullable: Bool
    }

    static func sortTerms(_ q: ListSQLQuery) -> [SortTerm] {
        var terms = q.sort.compactMap { s -> SortTerm? in
            guard let c = q.list.column(s.column) else { return nil }
            return SortTerm(expr: expr(c), descending: s.descending, nullable: nullable(c))
        }
        terms.append(SortTerm(expr: "l.k_id", descending: false, nullable: false))
        return terms
    }

    /// `term > value` in the term's direction, NULLs first ascending and last descending (as
    /// SQLite orders them).
    static func after(_ t: SortTerm, _ v: ListValue, _ args: inout [DatabaseValue]) -> String {
        if v == .null {
            return t.descending ? "0" : "\(t.expr) IS NOT NULL"
        }
        args.append(v.databaseValue)
        if t.descending { return t.nullable ? "(\(t.expr) < ? OR \(t.expr) IS NULL)" : "\(t.expr) < ?" }
        return "\(t.expr) > ?"
    }

    static func same(_ t: SortTerm, _ v: ListValue, _ args: inout [DatabaseValue]) -> String {
        if v == .null { return "\(t.expr) IS NULL" }
        args.append(v.databaseValue)
        return "\(t.expr) = ?"
    }

    static func keysetCondition(_ terms: [SortTerm], _ keys: [ListValue], _ args: inout [DatabaseValue]) -> String {
        var ors: [String] = []
        for i in 0..<min(terms.count, keys.count) {
            var ands: [String] = []
            for j in 0..<i { ands.append(same(terms[j], keys[j], &args)) }
            ands.append(after(terms[i], keys[i], &args))
            ors.append("(" + ands.joined(separator: " AND ") + ")")
        }
        return ors.isEmpty ? "1" : "(" + ors.joined(separator: " OR ") + ")"
    }

    static func matchesJSON(_ m: [Int64]) -> String {
        "[" + m.map(String.init).joined(separator: ",") + "]"
    }

    /// `[[docid, weight], …]` for `json_each`.
    static func matchesJSON(_ m: [ListMatch]) -> String {
        "[" + m.map { "[\($0.docid),\($0.weight.isFinite ? "\($0.weight)" : "0")]" }.joined(separator: ",") + "]"
    }

    /// Relevance order in SQL: best weight first, then the list's default order, then id.
    static func relevanceOrder(_ q: ListSQLQuery) -> String {
        var parts = ["json_extract(m.value, '$[1]') DESC"]
        for k in q.list.defaultSort {
            if let c = q.list.column(k.column) { parts.append("\(expr(c)) \(k.descending ? "DESC" : "ASC")") }
        }
        parts.append("l.k_id")
        return parts.joined(separator: ", ")
    }

    static func groupCondition(_ c: ListColumn, _ v: ListValue, _ args: inout [DatabaseValue]) -> String {
        if v == .null { return nullable(c) ? "\(expr(c)) IS NULL" : "\(expr(c)) = ''" }
        args.append(v.databaseValue)
        return "\(expr(c)) = ?"
    }

    static func run(_ q: ListSQLQuery, db: Database) throws -> ListResult {
        let t = ListTables.table(q.list.kind)
        let relevance = q.matches != nil && q.sort.isEmpty
        let needsRecords = q.filters.contains { $0.column.isCustom } || q.sort.contains { q.list.column($0.column)?.isCustom == true }
            || q.groupBy?.isCustom == true
        var baseArgs: [DatabaseValue] = []
        var from = "\(t) l"
        if let m = q.matches {
            from = "json_each(?) m JOIN \(t) l ON l.rowid = json_extract(m.value, '$[0]')"
            baseArgs.append(matchesJSON(m).databaseValue)
        }
        let joinRecords = " JOIN records r ON r.rowid = l.rowid"
        let conds = whereClause(q, &baseArgs)
        let whereSQL = conds.isEmpty ? "" : " WHERE " + conds.joined(separator: " AND ")

        // The exact total.
        let countSQL = "SELECT count(*) FROM \(from)\(needsRecords ? joinRecords : "")\(whereSQL)"
        // (Listing groups: the sum of their exact counts, without a scan of its own.)
        let listsGroups = q.groupBy != nil && q.position?.inGroup != true
        let total = listsGroups ? 0 : try Int.fetchOne(db.makeStatement(sql: countSQL), arguments: StatementArguments(baseArgs)) ?? 0

        let terms = sortTerms(q)
        let orderSQL: String = relevance
            ? relevanceOrder(q)
            : terms.map { "\($0.expr) \($0.descending ? "DESC" : "ASC")" }.joined(separator: ", ")
        let selectSQL = "SELECT \(selectList(q, terms, matchKey: relevance)) FROM \(from)\(joinRecords)"

        func page(extra: [String], extraArgs: [DatabaseValue], position: ListPosition?, limit: Int, group: ListValue?) throws -> ([ListRow], Bool) {
            var args = baseArgs + extraArgs
            var all = conds + extra
            var offset = 0
            if let p = position {
                if relevance { offset = p.offset ?? 0 }
                else if let keys = p.keys { all.append(keysetCondition(terms, keys, &args)) }
            }
            var sql = selectSQL + (all.isEmpty ? "" : " WHERE " + all.joined(separator: " AND "))
            sql += " ORDER BY \(orderSQL) LIMIT ? OFFSET ?"
            args.append((limit + 1).databaseValue)
            args.append(offset.databaseValue)
            let rows = try Row.fetchAll(db.makeStatement(sql: sql), arguments: StatementArguments(args))
            let out = makeRows(rows.prefix(limit), q, terms: terms, relevance: relevance, hasMatchKey: relevance,
                               offset: offset, group: group, inGroup: group != nil || position?.inGroup == true)
            return (out, rows.count > limit)
        }

        // A page within one group (a group's cursor).
        if let p = q.position, p.inGroup, let g = q.groupBy {
            var a: [DatabaseValue] = []
            let cond = groupCondition(g, p.group ?? .null, &a)
            let (rows, more) = try page(extra: [cond], extraArgs: a, position: p.keys == nil && p.offset == nil ? nil : p,
                                        limit: q.limit, group: p.group ?? .null)
            return ListResult(total: total, rows: rows, hasMore: more, groups: nil)
        }

        guard let g = q.groupBy else {
            let (rows, more) = try page(extra: [], extraArgs: [], position: q.position, limit: q.limit, group: nil)
            return ListResult(total: total, rows: rows, hasMore: more, groups: nil)
        }

        // Groups: every key with its exact count, in key order; the first rows of each.
        let gexpr = expr(g)
        let groupSQL = "SELECT \(gexpr) AS g, count(*), min(l.rowid) FROM \(from)\(needsRecords ? joinRecords : "")\(whereSQL) GROUP BY g ORDER BY g"
        let groupRows = try Row.fetchAll(db.makeStatement(sql: groupSQL), arguments: StatementArguments(baseArgs))
        var keys: [(ListValue, Int64)] = []
        for row in groupRows {
            let keyDB: DatabaseValue = row[0]
            var keyValue = ListValue(keyDB)
            if case .text(let s) = keyValue, s.isEmpty { keyValue = .null }
            if g.type == .bool, case .number(let n) = keyValue { keyValue = .bool(n != 0) }
            keys.append((keyValue, row[2]))
        }
        let shown = try groupKeyDisplays(g, keys, table: t, db: db)
        var groups: [ListGroupResult] = []
        for (i, row) in groupRows.enumerated() {
            let keyValue = keys[i].0
            var rows: [ListRow] = []
            var more = true
            if i < q.groupRowsLimit, q.limit > 0 {
                var a: [DatabaseValue] = []
                let cond = groupCondition(g, keyValue, &a)
                (rows, more) = try page(extra: [cond], extraArgs: a, position: nil, limit: q.limit, group: keyValue)
            }
            groups.append(ListGroupResult(key: shown[i], keyValue: keyValue, count: row[1], rows: rows, hasMore: more))
        }
        return ListResult(total: groups.reduce(0) { $0 + $1.count }, rows: [], hasMore: false, groups: groups)
    }

    /// What a page selects: row id, record id and data, the sort keys, the match rank (relevance
    /// order), the derived columns asked for.
    static func selectList(_ q: ListSQLQuery, _ terms: [SortTerm], matchKey: Bool) -> String {
        var select = ["l.rowid", "r.id", "r.data"]
        select += terms.map(\.expr)
        if matchKey { select.append("m.key") }
        for c in q.columns where c.source.isDerived { select.append(c.type == .text ? "l." + c.displayColumn : "l." + c.keyColumn) }
        return select.joined(separator: ", ")
    }

    /// The rows of a page as the API shows them (`selectList`'s columns), each with the position
    /// after it.
    static func makeRows(_ rows: ArraySlice<Row>, _ q: ListSQLQuery, terms: [SortTerm], relevance: Bool, hasMatchKey: Bool,
                         offset: Int, group: ListValue?, inGroup: Bool) -> [ListRow] {
        var out: [ListRow] = []
        // Only the fields the columns show are decoded from each record's JSON.
        var wanted = Set<String>()
        for c in q.columns {
            switch c.source {
            case .field(let f): wanted.insert(f)
            case .custom: wanted.insert("custom_fields")
            default: break
            }
        }
        for (i, row) in rows.enumerated() {
            let data: String = row[2]
            guard let fields = (try? JSONValue.parseFields(data, wanted)) ?? nil else { continue }
            var values: [String: JSONValue] = [:]
            var di = 3 + terms.count + (hasMatchKey ? 1 : 0)
            for c in q.columns {
                switch c.source {
                case .field(let f): values[c.name] = fields[f] ?? .null
                case .id: values[c.name] = .string(row[1])
                case .custom(let name):
                    if case .object(let cf)? = fields["custom_fields"] { values[c.name] = cf[name] ?? .null } else { values[c.name] = .null }
                default:
                    let v: DatabaseValue = row[di]
                    di += 1
                    switch (c.type, v.storage) {
                    case (_, .null): values[c.name] = .null
                    case (.bool, .int64(let b)): values[c.name] = .bool(b != 0)
                    case (_, .double(let d)): values[c.name] = .number(d)
                    case (_, .int64(let i)): values[c.name] = .number(Double(i))
                    case (_, .string(let s)): values[c.name] = .string(s)
                    default: values[c.name] = .null
                    }
                }
            }
            let keys = (0..<terms.count).map { ListValue(row[3 + $0] as DatabaseValue) }
            let pos = relevance
                ? ListPosition(offset: offset + i + 1, group: group, inGroup: inGroup)
                : ListPosition(keys: keys, group: group, inGroup: inGroup)
            out.append(ListRow(docid: row[0], id: row[1], values: values, position: pos))
        }
        return out
    }

    /// Group keys as people read them: the value of one of the group's records (`sample`;
    /// folded keys are not for display), numbers and booleans themselves. One query for all.
    static func groupKeyDisplays(_ c: ListColumn, _ keys: [(key: ListValue, sample: Int64)], table: String, db: Database) throws -> [JSONValue] {
        var out: [JSONValue] = keys.map { k in
            switch k.key {
            case .null: return .null
            case .number(let n): return .number(n)
            case .bool(let b): return .bool(b)
            case .text(let s): return .string(s)
            }
        }
        let texts = keys.indices.filter { if case .text = keys[$0].key { return true } else { return false } }
        guard !texts.isEmpty else { return out }
        let sql: String
        switch c.source {
        case .id: return out
        case .field(let f):
            let path = "'$.\"" + f + "\"'"
            sql = "SELECT rowid, json_extract(data, \(path)), json_type(data, \(path)) FROM records WHERE rowid IN (SELECT value FROM json_each(?))"
        case .custom(let name):
            let path = "'$.custom_fields.\"" + name.replacingOccurrences(of: "\"", with: "").replacingOccurrences(of: "'", with: "''") + "\"'"
            sql = "SELECT rowid, json_extract(data, \(path)), json_type(data, \(path)) FROM records WHERE rowid IN (SELECT value FROM json_each(?))"
        default:
            guard c.type == .text else { return out }
            sql = "SELECT rowid, \(c.displayColumn), NULL FROM \(table) WHERE rowid IN (SELECT value FROM json_each(?))"
        }
        var shown: [Int64: JSONValue] = [:]
        let rows = try Row.fetchCursor(db.makeStatement(sql: sql), arguments: [matchesJSON(texts.map { keys[$0].sample })])
        while let row = try rows.next() {
            let v: DatabaseValue = row[1]
            let type: String? = row[2]
            switch (type, v.storage) {
            case ("true"?, _): shown[row[0]] = .bool(true)
            case ("false"?, _): shown[row[0]] = .bool(false)
            case ("null"?, _): shown[row[0]] = .null
            case ("array"?, .string(let s)), ("object"?, .string(let s)): shown[row[0]] = (try? JSONValue.parseFast(s)) ?? .string(s)
            case (_, .string(let s)): shown[row[0]] = .string(s)
            case (_, .int64(let i)): shown[row[0]] = .number(Double(i))
            case (_, .double(let d)): shown[row[0]] = .number(d)
            default: break
            }
        }
        for i in texts { if let v = shown[keys[i].sample] { out[i] = v } }
        return out
    }
}

extension TenantStore {
    /// Runs a list query in one read transaction (a consistent view of the list).
    public func list(_ q: ListSQLQuery) throws -> ListResult {
        var snapshot: ListSnapshot?
        switch q.engine {
        case .sql: break
        case .memory:
            if listMemory.snapshot(q.list) == nil { try warmList(q.list) }
            snapshot = listMemory.snapshot(q.list)
        case .auto:
            snapshot = listMemory.snapshot(q.list)
            if snapshot == nil { listMemory.requestBuild(q.list, pool: pool) }
        }
        return try wrapSQLite {
            try pool.read { db in
                if let snapshot {
                    if let r = try ListMemoryQuery.run(q, snapshot: snapshot, db: db) {
                        if r.overlaySize > ListMemory.rebuildThreshold(snapshot) { listMemory.requestBuild(q.list, pool: pool) }
                        var result = r.result
                        result.fromMemory = true
                        return result
                    }
                }
                return try ListQueries.run(q, db: db)
            }
        }
    }
}
