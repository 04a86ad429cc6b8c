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
    public var matches: [Int64]?
    /// Sort keys; empty with `matches` means relevance order.
    public var sort: [ListSortKey]
    public var groupBy: ListColumn?
    public var columns: [ListColumn]
    public var limit: Int
    public var position: ListPosition?
    /// Groups beyond this many come with their count and no rows (a cursor fetches them).
    public var groupRowsLimit: Int

    public init(list: ListName, filters: [ListFilter] = [], includeInactive: Bool = false, matches: [Int64]? = nil,
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
            args.append(operand(f.values.first ?? .null, c))
            if c.isMulti { return "instr(\(e), ',' || ?) > 0" }
            // Keys hold letters and digits only: no GLOB metacharacter can occur in the operand.
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
            from = "json_each(?) m JOIN \(t) l ON l.rowid = m.value"
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
            ? "m.key, l.k_id"
            : terms.map { "\($0.expr) \($0.descending ? "DESC" : "ASC")" }.joined(separator: ", ")
        let derived = q.columns.filter { $0.source.isDerived }
        var select = ["l.rowid", "r.id", "r.data"]
        select += terms.map(\.expr)
        if relevance { select.append("m.key") }
        for c in derived { select.append(c.type == .text ? "l." + c.displayColumn : "l." + c.keyColumn) }
        let selectSQL = "SELECT \(select.joined(separator: ", ")) FROM \(from)\(joinRecords)"

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
            var out: [ListRow] = []
            for (i, row) in rows.prefix(limit).enumerated() {
                let data: String = row[2]
                guard case .object(let fields)? = try? JSONValue.parseFast(data) else { continue }
                var values: [String: JSONValue] = [:]
                var di = 3 + terms.count + (relevance ? 1 : 0)
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
                    ? ListPosition(offset: offset + i + 1, group: group, inGroup: group != nil || position?.inGroup == true)
                    : ListPosition(keys: keys, group: group, inGroup: group != nil || position?.inGroup == true)
                out.append(ListRow(docid: row[0], id: row[1], values: values, position: pos))
            }
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
        var groups: [ListGroupResult] = []
        for (i, row) in groupRows.enumerated() {
            let keyDB: DatabaseValue = row[0]
            var keyValue = ListValue(keyDB)
            if case .text(let s) = keyValue, s.isEmpty { keyValue = .null }
            if g.type == .bool, case .number(let n) = keyValue { keyValue = .bool(n != 0) }
            let shown = try groupKeyDisplay(g, keyValue, sampleRowid: row[2], table: t, db: db)
            var rows: [ListRow] = []
            var more = true
            if i < q.groupRowsLimit, q.limit > 0 {
                var a: [DatabaseValue] = []
                let cond = groupCondition(g, keyValue, &a)
                (rows, more) = try page(extra: [cond], extraArgs: a, position: nil, limit: q.limit, group: keyValue)
            }
            groups.append(ListGroupResult(key: shown, keyValue: keyValue, count: row[1], rows: rows, hasMore: more))
        }
        return ListResult(total: groups.reduce(0) { $0 + $1.count }, rows: [], hasMore: false, groups: groups)
    }

    /// A group key as people read it: the value of one of its records (folded keys are not
    /// for display), the number or boolean itself.
    static func groupKeyDisplay(_ c: ListColumn, _ key: ListValue, sampleRowid: Int64, table: String, db: Database) throws -> JSONValue {
        switch key {
        case .null: return .null
        case .number(let n): return .number(n)
        case .bool(let b): return .bool(b)
        case .text(let s):
            if c.source.isDerived {
                guard c.type == .text else { return .string(s) }
                let st = try db.cachedStatement(sql: "SELECT \(c.displayColumn) FROM \(table) WHERE rowid = ?")
                return (try String.fetchOne(st, arguments: [sampleRowid])).map { .string($0) } ?? .string(s)
            }
            let st = try db.cachedStatement(sql: "SELECT data FROM records WHERE rowid = ?")
            guard let data = try String.fetchOne(st, arguments: [sampleRowid]),
                  case .object(let fields)? = try? JSONValue.parseFast(data) else { return .string(s) }
            switch c.source {
            case .field(let f): return fields[f] ?? .string(s)
            case .id: return .string(s)
            case .custom(let name):
                if case .object(let cf)? = fields["custom_fields"], let v = cf[name] { return v }
                return .string(s)
            default: return .string(s)
            }
        }
    }
}

extension TenantStore {
    /// Runs a list query in one read transaction (a consistent view of the list).
    public func list(_ q: ListSQLQuery) throws -> ListResult {
        try wrapSQLite { try pool.read { db in try ListQueries.run(q, db: db) } }
    }
}
