import Analysis
import Foundation
import GRDB
import Model

/// The list tables: one SQLite table per list (`list_<kind>`), one row per record (its rowid is
/// the record's), holding for every column of `ListSchema` a sort-and-filter key, and for
/// derived text columns (main contact, company name…) their display value. Written in the
/// same transaction as the records, so a list never disagrees with the store.
///
/// Keys: text is folded (case, accents, œ→oe) and keeps letters and digits only (spaces and
/// punctuation ignored at the first level of the French collation the lists promise), `''` when
/// empty, so a plain BINARY index sorts in French order; phones keep their national digits
/// (`0612345678`); multi-valued text (`language`) is `,fr,en,`; numbers are REAL, dates their
/// ISO text, booleans 0/1, NULL when absent.
public enum ListKeys {
    public static func text(_ s: String) -> String {
        let folded = Folding.fold(s)
        var out = String.UnicodeScalarView()
        for u in folded.unicodeScalars {
            if u.isASCII {
                let v = u.value
                if (v >= 0x61 && v <= 0x7A) || (v >= 0x30 && v <= 0x39) { out.append(u) }
                else if v >= 0x41 && v <= 0x5A { out.append(Unicode.Scalar(v | 0x20)!) }
            } else if u.properties.isAlphabetic || u.properties.numericType != nil {
                out.append(u)
            }
        }
        return String(out)
    }

    /// A phone's key: French numbers in their national form, others their E.164 digits. Not
    /// `Identifiers.phoneCanonicalForms`: a filter operand is often a partial number
    /// ("+33 6 12 34"), which that parser leaves as typed; here it still becomes "061234".
    public static func phone(_ s: String) -> String {
        var digits = String(s.unicodeScalars.filter { $0.value >= 0x30 && $0.value <= 0x39 }.map(Character.init))
        let international = s.trimmingCharacters(in: .whitespaces).hasPrefix("+") || digits.hasPrefix("0033")
        if digits.hasPrefix("0033") { digits.removeFirst(2) }
        if international, digits.hasPrefix("33") { return "0" + digits.dropFirst(2) }
        return digits
    }

    public static func multi(_ s: String) -> String {
        let parts = s.split(separator: ",").map { text(String($0)) }.filter { !$0.isEmpty }
        return parts.isEmpty ? "" : "," + parts.joined(separator: ",") + ","
    }

    /// The key of a text value in `column`.
    public static func key(_ s: String, _ column: ListColumn) -> String {
        if column.isRaw { return s }
        if column.isPhone { return phone(s) }
        if column.isMulti { return multi(s) }
        return text(s)
    }

    /// The key of a JSON value in `column` (as stored in the list table).
    static func key(_ v: JSONValue?, _ column: ListColumn) -> DatabaseValue {
        switch column.type {
        case .text, .select:
            guard let v else { return "".databaseValue }
            switch v {
            case .string(let s): return key(s, column).databaseValue
            case .number(let n): return key(SheetsFreeNumber.text(n), column).databaseValue
            case .bool(let b): return (b ? "oui" : "non").databaseValue
            default: return "".databaseValue
            }
        case .number:
            if case .number(let n)? = v { return n.databaseValue }
            if case .string(let s)? = v, let n = Double(s) { return n.databaseValue }
            return .null
        case .date:
            if case .string(let s)? = v, !s.isEmpty { return s.databaseValue }
            return .null
        case .bool:
            if case .bool(let b)? = v { return (b ? 1 : 0).databaseValue }
            return .null
        }
    }
}

/// Numbers as text without a trailing ".0".
enum SheetsFreeNumber {
    static func text(_ n: Double) -> String {
        if n == n.rounded(), abs(n) < 1e15 { return String(Int64(n)) }
        return String(n)
    }
}

enum ListTables {
    static func table(_ kind: RecordKind) -> String { "list_" + kind.rawValue }

    /// Stored (non-custom) columns of a list.
    static func stored(_ list: ListName) -> [ListColumn] { list.columns.filter { !$0.isCustom } }

    static func ddl(_ list: ListName) -> String {
        let t = table(list.kind)
        var cols = ["rowid INTEGER PRIMARY KEY", "k_version INTEGER NOT NULL DEFAULT 0"]
        for c in stored(list) {
            switch c.type {
            case .text, .select: cols.append("\(c.keyColumn) TEXT NOT NULL DEFAULT ''")
            case .number: cols.append("\(c.keyColumn) REAL")
            case .date: cols.append("\(c.keyColumn) TEXT")
            case .bool: cols.append("\(c.keyColumn) INTEGER")
            }
            if c.source.isDerived, c.type == .text { cols.append("\(c.displayColumn) TEXT") }
        }
        var sql = "CREATE TABLE \(t) (\(cols.joined(separator: ", ")));\n"
        for c in stored(list) where c.indexed {
            sql += "CREATE INDEX \(t)_\(c.name) ON \(t)(\(c.keyColumn), k_id);\n"
        }
        sql += "CREATE INDEX \(t)_version ON \(t)(k_version);\n"
        return sql
    }

    /// The deleted rows, by the list version that deleted them (row ids are never reused: they
    /// come from per-kind high-water marks), so a list snapshot taken at version V learns what
    /// went away after it.
    static let tombstonesDDL = """
        CREATE TABLE IF NOT EXISTS list_tombstones (rowid INTEGER PRIMARY KEY, version INTEGER NOT NULL);
        CREATE INDEX IF NOT EXISTS list_tombstones_version ON list_tombstones(version);
        """

    static let versionKey = "list_version"

    /// The version of the lists' last write (0 before any).
    static func version(_ db: Database) throws -> Int64 {
        Int64(try String.fetchOne(db.cachedStatement(sql: "SELECT value FROM meta WHERE key = ?"), arguments: [versionKey]) ?? "0") ?? 0
    }

    /// v4: each row carries the list version that last wrote it (stores whose tables came from v3).
    static func addVersions(_ db: Database) throws {
        for list in ListName.allCases {
            let t = table(list.kind)
            let cols = try db.columns(in: t).map(\.name)
            if !cols.contains("k_version") {
                try db.execute(sql: "ALTER TABLE \(t) ADD COLUMN k_version INTEGER NOT NULL DEFAULT 0")
                try db.execute(sql: "CREATE INDEX IF NOT EXISTS \(t)_version ON \(t)(k_version)")
            }
        }
        try db.execute(sql: tombstonesDDL)
    }

    /// Creates the tables and fills them from the records (a store created before lists).
    static func migrate(_ db: Database) throws {
        for list in ListName.allCases { try db.execute(sql: ddl(list)) }
        try db.execute(sql: tombstonesDDL)
        let m = ListMaintenance()
        let st = try db.makeStatement(sql: "SELECT rowid, kind, id, data FROM records WHERE rowid > ? ORDER BY rowid LIMIT 2000")
        var after: Int64 = 0
        while true {
            let rows = try Row.fetchAll(st, arguments: [after])
            guard let last = rows.last else { break }
            for row in rows {
                let rec = try TenantStore.decode(row, kindIndex: 1)
                m.noteUpsert(rec, docid: row[0], db: db, expand: false)
                if rec.kind.isContact, let c = rec.companyId, let ck = rec.kind.companyKind { m.dirty.insert(RecordKey(kind: ck, id: c)) }
            }
            try m.flush(db)
            after = last[0]
        }
    }
}

/// The list rows a transaction must rewrite, collected as records change and written by
/// `flush` (at the end of the transaction): the changed records' own rows, and the rows whose
/// derived columns they feed (a contact → its company's main contact and count; an event →
/// its client's and contact's counts; a company → its contacts' and events' company name).
/// The columns and values of a list row being written: a column's key, and for a derived text
/// column its display value too.
struct ListRowValues {
    var columns: [String] = ["k_version"]
    var values: [DatabaseValue]

    init(version: Int64) { values = [version.databaseValue] }

    mutating func append(_ column: String, _ value: DatabaseValue) {
        columns.append(column)
        values.append(value)
    }

    mutating func append(_ c: ListColumn, _ value: JSONValue?) {
        append(c.keyColumn, ListKeys.key(value, c))
        if c.source.isDerived, c.type == .text { append(c.displayColumn, value?.stringValue?.databaseValue ?? .null) }
    }
}

final class ListMaintenance {
    /// Records already in hand (written by this transaction), by key.
    var known: [RecordKey: (docid: Int64, record: Model.Record)] = [:]
    var dirty: Set<RecordKey> = []
    var deleted: [(kind: RecordKind, docid: Int64)] = []

    var isEmpty: Bool { dirty.isEmpty && deleted.isEmpty }
    /// Keys whose record was put in `known` since the transaction began, in order (for
    /// `rollBack(to:)`: a failed bulk line's records must be read back from the store).
    private var journal: [RecordKey] = []

    struct Mark { var journal: Int; var deleted: Int }

    func mark() -> Mark { Mark(journal: journal.count, deleted: deleted.count) }

    /// Forgets what the writes since `mark` put in hand (rolled back to a savepoint): their
    /// rows stay dirty and are rebuilt from what the store holds at the flush.
    func rollBack(to m: Mark) {
        for k in journal[m.journal...] { known[k] = nil }
        journal.removeSubrange(m.journal...)
        if deleted.count > m.deleted {
            // The deleted records are back: rewrite their rows rather than delete them.
            deleted.removeSubrange(m.deleted...)
        }
    }

    /// Notes an upsert; with `expand`, also the rows that depend on the record's old and new
    /// links (read before the flush rewrites its row).
    func noteUpsert(_ record: Model.Record, docid: Int64, db: Database, expand: Bool = true, isNew: Bool = false) {
        let key = record.key
        known[key] = (docid, record)
        journal.append(key)
        dirty.insert(key)
        guard expand else { return }
        noteLinks(record)
        // A new row has no old links (no list row yet).
        if !isNew, let old = try? oldLinks(record.kind, docid: docid, db: db) { for k in old { dirty.insert(k) } }
        if record.kind.isCompany {
            // Its contacts, events and products show its name.
            if let kids = try? TenantStore.children(db, key, limit: nil) {
                for k in kids where k.key.kind != record.kind { dirty.insert(k.key) }
            }
        } else if record.kind == .clientContact {
            // Its events show its name.
            if let kids = try? TenantStore.children(db, key, limit: nil) { for k in kids { dirty.insert(k.key) } }
        }
    }

    func noteDelete(_ key: RecordKey, docid: Int64, companyId: String?, parentId: String?, db: Database) {
        known[key] = nil
        dirty.remove(key)
        if let old = try? oldLinks(key.kind, docid: docid, db: db) { for k in old { dirty.insert(k) } }
        deleted.append((key.kind, docid))
        if let c = companyId, let ck = companyKindOf(key.kind) { dirty.insert(RecordKey(kind: ck, id: c)) }
        if key.kind == .event, let p = parentId { dirty.insert(RecordKey(kind: .clientContact, id: p)) }
    }

    /// The records whose derived columns this record feeds, through its current links.
    private func noteLinks(_ r: Model.Record) {
        if let c = r.companyId, let ck = companyKindOf(r.kind) { dirty.insert(RecordKey(kind: ck, id: c)) }
        if r.kind == .event, let c = r.string("contact_id") { dirty.insert(RecordKey(kind: .clientContact, id: c)) }
    }

    private func companyKindOf(_ kind: RecordKind) -> RecordKind? {
        switch kind {
        case .clientContact, .event: return .client
        case .partnerContact, .product: return .partner
        default: return nil
        }
    }

    /// The records the list row of `docid` links to now (before it is rewritten).
    private func oldLinks(_ kind: RecordKind, docid: Int64, db: Database) throws -> [RecordKey] {
        let t = ListTables.table(kind)
        switch kind {
        case .clientContact, .partnerContact, .product:
            let f = kind == .clientContact ? "client_id" : "partner_id"
            let st = try db.cachedStatement(sql: "SELECT k_\(f) FROM \(t) WHERE rowid = ?")
            guard let id = try String.fetchOne(st, arguments: [docid]), !id.isEmpty else { return [] }
            return [RecordKey(kind: companyKindOf(kind)!, id: id)]
        case .event:
            let st = try db.cachedStatement(sql: "SELECT k_client_id, k_contact_id FROM \(t) WHERE rowid = ?")
            guard let row = try Row.fetchOne(st, arguments: [docid]) else { return [] }
            var out: [RecordKey] = []
            if let c: String = row[0], !c.isEmpty { out.append(RecordKey(kind: .client, id: c)) }
            if let c: String = row[1], !c.isEmpty { out.append(RecordKey(kind: .clientContact, id: c)) }
            return out
        default:
            return []
        }
    }

    /// Writes every noted row: deletions, then events and products, contacts, companies (a
    /// company's main contact and counts read its contacts' rows).
    func flush(_ db: Database) throws {
        guard !isEmpty else { return }
        // This write's list version: one more than the last (writes are serialized).
        let version = try ListTables.version(db) + 1
        try db.cachedStatement(sql: "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value")
            .execute(arguments: [ListTables.versionKey, String(version)])
        for d in deleted {
            try db.cachedStatement(sql: "DELETE FROM \(ListTables.table(d.kind)) WHERE rowid = ?").execute(arguments: [d.docid])
            try db.cachedStatement(sql: "INSERT OR REPLACE INTO list_tombstones(rowid, version) VALUES (?, ?)").execute(arguments: [d.docid, version])
        }
        deleted.removeAll()
        let phases: [[RecordKind]] = [[.event, .product], [.clientContact, .partnerContact], [.client, .partner]]
        var names: [RecordKey: Model.Record?] = [:]
        for phase in phases {
            let keys = dirty.filter { phase.contains($0.kind) }.sorted { $0.id < $1.id }
            for key in keys {
                let docid: Int64
                let record: Model.Record
                if let k = known[key] {
                    (docid, record) = k
                } else {
                    // A company dirtied by a child only: its own columns are as they were, only
                    // its derived ones (main contact, counts) change; no need to read it back.
                    if key.kind.isCompany, try writeDerived(key, version: version, db: db) { continue }
                    let st = try db.cachedStatement(sql: "SELECT rowid, kind, id, data FROM records WHERE kind = ? AND id = ?")
                    guard let row = try Row.fetchOne(st, arguments: [key.kind.rawValue, key.id]) else { continue }
                    docid = row[0]
                    record = try TenantStore.decode(row, kindIndex: 1)
                }
                try write(record, docid: docid, version: version, db: db, names: &names)
            }
        }
        dirty.removeAll()
        known.removeAll()
        journal.removeAll()
    }

    private func fetch(_ key: RecordKey, _ db: Database, _ cache: inout [RecordKey: Model.Record?]) throws -> Model.Record? {
        if let c = cache[key] { return c }
        let r = try known[key]?.record ?? TenantStore.fetchRecord(db, key)
        cache[key] = r
        return r
    }

    private func write(_ record: Model.Record, docid: Int64, version: Int64, db: Database, names: inout [RecordKey: Model.Record?]) throws {
        var row = ListRowValues(version: version)
        row.append("rowid", docid.databaseValue)
        var mainContact: Model.Record??
        for c in ListTables.stored(ListName(kind: record.kind)) {
            let value: JSONValue?
            switch c.source {
            case .field(let f): value = record[f]
            case .id: value = .string(record.id)
            case .custom: continue
            case .referenced(let via, let kind, let field):
                if let ref = record.string(via), let r = try fetch(RecordKey(kind: kind, id: ref), db, &names) {
                    value = field == "name" && kind.isContact ? Self.fullName(r) : r[field]
                } else {
                    value = nil
                }
            case .count, .mainContact:
                value = try companyDerived(c, of: record.key, db: db, mainContact: &mainContact)
            }
            row.append(c, value)
        }
        let t = ListTables.table(record.kind)
        let sql = "INSERT OR REPLACE INTO \(t)(\(row.columns.joined(separator: ", "))) VALUES (\(Array(repeating: "?", count: row.columns.count).joined(separator: ", ")))"
        try db.cachedStatement(sql: sql).execute(arguments: StatementArguments(row.values))
    }

    /// Rewrites only the derived columns (main contact, counts) of a company's existing list
    /// row; false when the row is missing (then the caller writes it whole).
    private func writeDerived(_ key: RecordKey, version: Int64, db: Database) throws -> Bool {
        let rowid = try Int64.fetchOne(db.cachedStatement(sql: "SELECT rowid FROM records WHERE kind = ? AND id = ?"),
                                       arguments: [key.kind.rawValue, key.id])
        guard let rowid else { return false }
        var row = ListRowValues(version: version)
        var mainContact: Model.Record??
        for c in ListTables.stored(ListName(kind: key.kind)) {
            switch c.source {
            case .count, .mainContact: row.append(c, try companyDerived(c, of: key, db: db, mainContact: &mainContact))
            default: continue
            }
        }
        let sql = "UPDATE \(ListTables.table(key.kind)) SET \(row.columns.map { "\($0) = ?" }.joined(separator: ", ")) WHERE rowid = ?"
        try db.cachedStatement(sql: sql).execute(arguments: StatementArguments(row.values + [rowid.databaseValue]))
        return db.changesCount == 1
    }

    /// A count or main-contact column of `owner`'s row (the main contact read once per row).
    private func companyDerived(_ c: ListColumn, of owner: RecordKey, db: Database, mainContact: inout Model.Record??) throws -> JSONValue? {
        switch c.source {
        case .count(let kind):
            return .number(Double(try Self.count(kind, of: owner, db: db)))
        case .mainContact(let field):
            if mainContact == nil { mainContact = .some(try mainContactRecord(owner, db: db)) }
            guard let m = mainContact ?? nil else { return nil }
            return field == "name" ? Self.fullName(m) : m[field]
        default:
            return nil
        }
    }

    /// The number of `kind` records attached to `owner` (a contact's events by `parent_id`,
    /// a company's children by `company_id`).
    static func count(_ kind: RecordKind, of owner: RecordKey, db: Database) throws -> Int {
        let st: Statement
        if owner.kind == .clientContact {
            st = try db.cachedStatement(sql: "SELECT count(*) FROM records WHERE kind = ? AND parent_id = ?")
        } else {
            st = try db.cachedStatement(sql: "SELECT count(*) FROM records WHERE kind = ? AND company_id = ?")
        }
        return try Int.fetchOne(st, arguments: [kind.rawValue, owner.id]) ?? 0
    }

    /// The company's main contact: the one marked primary, else the first by id; taken from
    /// the records in hand when this transaction wrote it.
    private func mainContactRecord(_ company: RecordKey, db: Database) throws -> Model.Record? {
        guard let ck = company.kind.contactKind else { return nil }
        let f = company.kind == .client ? "client_id" : "partner_id"
        let st = try db.cachedStatement(sql: """
            SELECT l.k_id FROM \(ListTables.table(ck)) l
            WHERE l.k_\(f) = ? ORDER BY l.k_is_primary DESC, l.k_id LIMIT 1
            """)
        guard let id = try String.fetchOne(st, arguments: [company.id]) else { return nil }
        let key = RecordKey(kind: ck, id: id)
        return try known[key]?.record ?? TenantStore.fetchRecord(db, key)
    }

    static func fullName(_ r: Model.Record) -> JSONValue? {
        let s = [r.string("first_name"), r.string("last_name")].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
        return s.isEmpty ? nil : .string(s)
    }

}
