import Foundation
import GRDB
import Model

/// An error of the store. SQLite failures are wrapped (`sqlite`), so GRDB never leaks out.
public struct StoreError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Code: Hashable, Sendable {
        case tenantExists
        case tenantNotFound
        case invalidTenantName
        case keyNotFound
        case userExists
        case userNotFound
        case invalidEmail
        /// A password too short or too long (`PasswordHasher.minLength`, `maxBytes`).
        case invalidPassword
        /// A `StoreTransaction` used after its `write {}` returned.
        case transactionClosed
        /// A stored row that cannot be read back (corrupt JSON, unknown kind).
        case corruptRecord(String)
        case sqlite(String)
        /// Rows that cannot be installed beside the existing ones (a restored key already in use).
        case conflict(String)
    }
    public var code: Code
    public init(_ code: Code) { self.code = code }

    public var description: String {
        switch code {
        case .tenantExists: return "Ce tenant existe déjà."
        case .tenantNotFound: return "Tenant inconnu."
        case .invalidTenantName: return "Nom de tenant invalide : [a-z0-9_-], 1 à 63 caractères."
        case .keyNotFound: return "Clé d'API inconnue."
        case .userExists: return "Un utilisateur avec cet e-mail existe déjà pour ce tenant."
        case .userNotFound: return "Utilisateur inconnu."
        case .invalidEmail: return "Adresse e-mail invalide."
        case .invalidPassword: return "Mot de passe invalide : \(PasswordHasher.minLength) caractères au moins, \(PasswordHasher.maxBytes) octets au plus."
        case .transactionClosed: return "Transaction terminée."
        case .corruptRecord(let s): return "Fiche illisible dans la base : \(s)"
        case .sqlite(let s): return "Erreur SQLite : \(s)"
        case .conflict(let s): return s
        }
    }
}

/// Runs `body` again (for up to 15 s, a loaded machine stretches the race) while it fails with
/// one of `codes`: another process is opening or migrating the same new file.
func retryingAcrossProcesses<T>(_ codes: [ResultCode], _ body: () throws -> T) throws -> T {
    var attempt = 0
    let deadline = Date(timeIntervalSinceNow: 15)
    while true {
        do {
            return try body()
        } catch let e as DatabaseError where Date() < deadline && codes.contains(e.resultCode) {
            attempt += 1
            usleep(UInt32(min(20_000 * attempt, 200_000)))
        }
    }
}

/// Opens a database another process may be opening at the same moment: switching a new file
/// to WAL takes a lock SQLite does not wait for ("database is locked").
func openAcrossProcesses<T>(_ open: () throws -> T) throws -> T {
    try retryingAcrossProcesses([.SQLITE_BUSY, .SQLITE_LOCKED], open)
}

/// Runs `migrator` on `writer`, another process possibly migrating the same file at the same
/// time: GRDB reads the applied migrations outside the migration's transaction, so two
/// processes opening a new file together may both run the first migration, and the second
/// then fails ("table already exists") or finds the file busy; its transaction rolled back, it
/// tries again and then sees the migrations applied.
func migrateAcrossProcesses(_ migrator: DatabaseMigrator, _ writer: any DatabaseWriter) throws {
    try retryingAcrossProcesses([.SQLITE_ERROR, .SQLITE_BUSY, .SQLITE_LOCKED, .SQLITE_CONSTRAINT]) {
        try migrator.migrate(writer)
    }
}

/// Runs `body`, turning GRDB errors into `StoreError.sqlite`; other errors pass through.
@inline(__always)
func wrapSQLite<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let e as DatabaseError {
        throw StoreError(.sqlite("\(e.resultCode): \(e.message ?? "")"))
    }
}

/// One change of the change log: the indexer reads them in `seq` order.
public struct Change: Sendable, Hashable {
    public var seq: Int64
    public var key: RecordKey
    public var op: Op
    /// The record's document id (its row id) at the time of the change; nil for changes
    /// logged before the store recorded it.
    public var docid: Int64?
    public enum Op: String, Sendable { case upsert, delete }
    public init(seq: Int64, key: RecordKey, op: Op, docid: Int64? = nil) {
        self.seq = seq
        self.key = key
        self.op = op
        self.docid = docid
    }
}

/// A record as stored: its document id (the row id, in its kind's range, see
/// `RecordKind.docidBase`) and the sequence number of the last change that touched it.
public struct StoredRecord: Sendable, Hashable {
    public var docid: Int64
    public var seq: Int64
    public var record: Model.Record
    public init(docid: Int64, seq: Int64, record: Model.Record) {
        self.docid = docid
        self.seq = seq
        self.record = record
    }
}

/// The record store of one tenant: a SQLite file in WAL mode holding the records and the
/// change log, both written in one transaction.
///
/// Tables:
/// - `records(rowid, kind, id, company_id, parent_id, active, data, updated_at, seq)`, unique
///   (kind, id). The rowid is the record's document id in the index: each kind has its own
///   range (`RecordKind.docidBase`), allocated upwards from a high-water mark kept in `meta`
///   (`docid_hwm.<kind>`), so an id is never reused after a delete. An upsert keeps the row's
///   rowid (`ON CONFLICT DO UPDATE`), so `forEachRecord` walks a stable order. `data` is the
///   compact JSON of the fields (sorted keys); `seq` is the last change that touched the row.
/// - `changes(seq INTEGER PRIMARY KEY AUTOINCREMENT, kind, id, op, docid)`: AUTOINCREMENT keeps
///   `seq` monotonic after pruning (SQLite never reuses a value, see `sqlite_sequence`).
/// - `meta(key PRIMARY KEY, value)`.
///
/// Durability: `synchronous = FULL` by default: an acknowledged write survives a process crash
/// and a power loss. With `durability: .normal`, a power loss may lose the last transactions
/// (never corrupt the file), a process crash (SIGKILL) loses nothing.
///
/// Several processes may open the same file (the CLI writes while the server runs): writers
/// wait up to `busyTimeout` for each other.
public final class TenantStore: @unchecked Sendable {
    public enum Durability: Sendable { case full, normal }

    /// The connections, behind a gate that makes `close()` safe against accesses in progress.
    let pool: GatedPool
    /// The lists' column snapshots (ListMemory.swift).
    let listMemory = ListMemory()
    public let path: String

    public convenience init(path: String) throws {
        try self.init(path: path, durability: .full)
    }

    public init(path: String, durability: Durability, busyTimeout: TimeInterval = 10) throws {
        self.path = path
        var config = Configuration()
        config.busyMode = .timeout(busyTimeout)
        config.label = "tenant-store"
        config.maximumReaderCount = 4
        let sync = durability == .full ? "FULL" : "NORMAL"
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = \(sync)")
            // A bulk transaction modifies megabytes of pages: a small cache spills them to the
            // WAL mid-transaction, page by page, again and again.
            try db.execute(sql: "PRAGMA cache_size = -65536")
            // A bulk load opens a savepoint per line: its statement journal (every page the line
            // modifies, written before it is modified) stays in memory instead of a temp file.
            try db.execute(sql: "PRAGMA temp_store = MEMORY")
            db.add(function: ListQueries.keyFunction)
        }
        do {
            let dir = (path as NSString).deletingLastPathComponent
            if !dir.isEmpty { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
            let database = try openAcrossProcesses { try DatabasePool(path: path, configuration: config) }
            try migrateAcrossProcesses(Self.migrator, database)
            pool = GatedPool(database)
        } catch let e as DatabaseError {
            throw StoreError(.sqlite("\(e.resultCode): \(e.message ?? "")"))
        }
    }

    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE records (
                    rowid INTEGER PRIMARY KEY,
                    kind TEXT NOT NULL,
                    id TEXT NOT NULL,
                    company_id TEXT,
                    parent_id TEXT,
                    active INTEGER NOT NULL DEFAULT 1,
                    data TEXT NOT NULL,
                    updated_at INTEGER NOT NULL,
                    UNIQUE (kind, id)
                );
                CREATE INDEX records_company ON records(kind, company_id, id);
                CREATE INDEX records_parent ON records(kind, parent_id, id);
                CREATE TABLE changes (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    kind TEXT NOT NULL,
                    id TEXT NOT NULL,
                    op TEXT NOT NULL
                );
                CREATE TABLE meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL) WITHOUT ROWID;
                """)
        }
        m.registerMigration("v2-docids") { db in
            // Row ids become document ids in per-kind ranges; the change log carries them (a
            // delete can no longer be looked up by its record) and each row its last change.
            let base = RecordKind.allCases.map { "WHEN '\($0.rawValue)' THEN \($0.docidBase)" }.joined(separator: " ")
            try db.execute(sql: """
                ALTER TABLE changes ADD COLUMN docid INTEGER;
                CREATE TABLE records_v2 (
                    rowid INTEGER PRIMARY KEY,
                    kind TEXT NOT NULL,
                    id TEXT NOT NULL,
                    company_id TEXT,
                    parent_id TEXT,
                    active INTEGER NOT NULL DEFAULT 1,
                    data TEXT NOT NULL,
                    updated_at INTEGER NOT NULL,
                    seq INTEGER NOT NULL DEFAULT 0,
                    UNIQUE (kind, id)
                );
                INSERT INTO records_v2(rowid, kind, id, company_id, parent_id, active, data, updated_at, seq)
                    SELECT (CASE kind \(base) END) + row_number() OVER (PARTITION BY kind ORDER BY rowid),
                           kind, id, company_id, parent_id, active, data, updated_at, 0
                    FROM records;
                DROP TABLE records;
                ALTER TABLE records_v2 RENAME TO records;
                CREATE INDEX records_company ON records(kind, company_id, id);
                CREATE INDEX records_parent ON records(kind, parent_id, id);
                """)
            for kind in RecordKind.allCases {
                let lo = kind.docidBase, hi = kind.docidBase + RecordKind.docidRangeSize
                let top = try Int64.fetchOne(db, sql: "SELECT max(rowid) FROM records WHERE rowid > ? AND rowid <= ?",
                                             arguments: [lo, hi]) ?? lo
                try db.execute(sql: "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                               arguments: [StoreTransaction.hwmKey(kind), String(top)])
            }
        }
        m.registerMigration("v3-lists") { db in try ListTables.migrate(db) }
        m.registerMigration("v4-list-versions") { db in try ListTables.addVersions(db) }
        return m
    }

    /// Closes the connections once the accesses in progress (a list snapshot built in the
    /// background, a write) have finished, waiting at most `timeout` seconds (past it they are
    /// left open, never closed under an access); later calls fail. Returns whether it closed.
    @discardableResult
    public func close(timeout: Double = 10) throws -> Bool {
        try wrapSQLite { try pool.close(timeout: timeout) }
    }

    // MARK: - Writes

    /// Runs `body` in ONE SQLite transaction (IMMEDIATE): everything inside is atomic, and
    /// durable once this returns. An error thrown by `body` rolls everything back and is rethrown.
    @discardableResult
    public func write<T>(_ body: (StoreTransaction) throws -> T) throws -> T {
        try wrapSQLite {
            try pool.write { db in
                let tx = StoreTransaction(db: db)
                defer { tx.closed = true }
                let result = try body(tx)
                try tx.finish()
                return result
            }
        }
    }

    // MARK: - Reads

    public func record(_ key: RecordKey) throws -> Model.Record? {
        try wrapSQLite { try pool.read { db in try Self.fetchRecord(db, key) } }
    }

    public func records(_ keys: [RecordKey]) throws -> [RecordKey: Model.Record] {
        try wrapSQLite {
            try pool.read { db in
                var out: [RecordKey: Model.Record] = [:]
                for k in keys where out[k] == nil {
                    if let r = try Self.fetchRecord(db, k) { out[k] = r }
                }
                return out
            }
        }
    }

    /// Kinds of the records that hang off a company of `kind` through `company_id`.
    static func dependentKinds(of kind: RecordKind) -> [RecordKind] {
        switch kind {
        case .client: return [.clientContact, .event]
        case .partner: return [.partnerContact, .product]
        default: return []
        }
    }

    /// Records with their document ids and last change, read in one read transaction.
    public func storedRecords(_ keys: [RecordKey]) throws -> [RecordKey: StoredRecord] {
        try wrapSQLite {
            try pool.read { db in
                var out: [RecordKey: StoredRecord] = [:]
                out.reserveCapacity(keys.count)
                let st = try db.cachedStatement(sql: "SELECT rowid, seq, kind, id, data FROM records WHERE kind = ? AND id = ?")
                for k in keys where out[k] == nil {
                    guard let row = try Row.fetchOne(st, arguments: [k.kind.rawValue, k.id]) else { continue }
                    out[k] = StoredRecord(docid: row[0], seq: row[1], record: try Self.decode(row, kindIndex: 2))
                }
                return out
            }
        }
    }

    /// The records attached to a company: its contacts, its events (client) or products
    /// (partner), and its subsidiaries (`parent_id`); to a client contact: its events.
    /// Empty for other kinds.
    public func children(of company: RecordKey) throws -> [RecordKey] {
        try wrapSQLite { try pool.read { db in try Self.children(db, company, limit: nil).map(\.key) } }
    }

    /// `children(of:)` with each child's last change seq.
    public func childrenWithSeq(of company: RecordKey) throws -> [(key: RecordKey, seq: Int64)] {
        try wrapSQLite { try pool.read { db in try Self.children(db, company, limit: nil) } }
    }

    public func contacts(ofCompany company: RecordKey) throws -> [Model.Record] {
        try wrapSQLite { try pool.read { db in try Self.contacts(db, company) } }
    }

    /// Changes with `seq > seq`, in order, at most `limit`.
    public func changes(after seq: Int64, limit: Int) throws -> [Change] {
        try wrapSQLite {
            try pool.read { db in
                let st = try db.cachedStatement(sql: "SELECT seq, kind, id, op, docid FROM changes WHERE seq > ? ORDER BY seq LIMIT ?")
                var out: [Change] = []
                let rows = try Row.fetchCursor(st, arguments: [seq, limit])
                while let row = try rows.next() {
                    let kindRaw: String = row[1]
                    guard let kind = RecordKind(rawValue: kindRaw) else { throw StoreError(.corruptRecord("change \(row[0] as Int64)")) }
                    out.append(Change(seq: row[0], key: RecordKey(kind: kind, id: row[2]), op: Change.Op(rawValue: row[3]) ?? .upsert,
                                      docid: row[4]))
                }
                return out
            }
        }
    }

    /// The highest seq ever assigned (0 when none); monotonic even after pruning.
    public func lastSeq() throws -> Int64 {
        try wrapSQLite { try pool.read { db in try Self.lastSeq(db) } }
    }

    static func lastSeq(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db.cachedStatement(sql: "SELECT seq FROM sqlite_sequence WHERE name = 'changes'")) ?? 0
    }

    /// Removes the changes with `seq <= seq` (once the index has applied them).
    public func pruneChanges(through seq: Int64) throws {
        try wrapSQLite {
            try pool.write { db in try db.execute(sql: "DELETE FROM changes WHERE seq <= ?", arguments: [seq]) }
        }
    }

    /// Number of pending changes (not yet pruned).
    public func changeCount() throws -> Int {
        try wrapSQLite { try pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM changes") ?? 0 } }
    }

    public func count(kind: RecordKind) throws -> Int {
        try wrapSQLite {
            try pool.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM records WHERE kind = ?", arguments: [kind.rawValue]) ?? 0 }
        }
    }

    /// Calls `body` with every record, `batchSize` at a time, in rowid order (stable: an update
    /// keeps its row). Each batch is read in its own short read transaction, so a long reindex
    /// does not pin the WAL; records written meanwhile show up in later batches or in the
    /// change log after the `lastSeq()` read before the walk.
    public func forEachRecord(batchSize: Int, _ body: ([Model.Record]) throws -> Void) throws {
        try forEachStoredRecord(batchSize: batchSize) { try body($0.map(\.record)) }
    }

    /// `forEachRecord` with each record's document id and last change (document ids grow).
    public func forEachStoredRecord(batchSize: Int, _ body: ([StoredRecord]) throws -> Void) throws {
        var after: Int64 = 0
        let size = max(1, batchSize)
        while true {
            let batch: [StoredRecord] = try wrapSQLite {
                try pool.read { db in
                    let st = try db.cachedStatement(sql: "SELECT rowid, seq, kind, id, data FROM records WHERE rowid > ? ORDER BY rowid LIMIT ?")
                    var out: [StoredRecord] = []
                    out.reserveCapacity(size)
                    let rows = try Row.fetchCursor(st, arguments: [after, size])
                    while let row = try rows.next() {
                        out.append(StoredRecord(docid: row[0], seq: row[1], record: try Self.decode(row, kindIndex: 2)))
                    }
                    return out
                }
            }
            guard let last = batch.last else { return }
            try body(batch)
            after = last.docid
            if batch.count < size { return }
        }
    }

    public func meta(_ key: String) throws -> String? {
        try wrapSQLite {
            try pool.read { db in try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = ?", arguments: [key]) }
        }
    }

    public func setMeta(_ key: String, _ value: String) throws {
        try wrapSQLite {
            try pool.write { db in
                try db.execute(sql: "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                               arguments: [key, value])
            }
        }
    }

    /// Copies the database into a consistent single file at `path` (SQLite backup API).
    public func backup(to path: String) throws {
        try wrapSQLite {
            let dest = try DatabaseQueue(path: path)
            try pool.access { try $0.backup(to: dest) }
            // The copy carries the source's header, WAL mode included: back to a rollback
            // journal, so the file is whole by itself (no -wal or -shm beside it, even when
            // opened read-only) and its bytes, hence its SHA-256, stay as written.
            try dest.writeWithoutTransaction { db in _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = DELETE") }
            try dest.close()
        }
    }

    /// What a store file written by `backup(to:)` holds: the highest change seq it has seen
    /// (every change up to it is in the copy), its records per kind, and SQLite's
    /// `quick_check` verdict ("ok" when sound). Opened read-only: the copy is not modified.
    public struct FileSummary: Sendable, Codable, Equatable {
        public var lastSeq: Int64
        public var records: [String: Int]
        public var quickCheck: String
    }

    public static func summarize(backupFile path: String) throws -> FileSummary {
        try wrapSQLite {
            var config = Configuration()
            config.readonly = true
            let q = try DatabaseQueue(path: path, configuration: config)
            defer { try? q.close() }
            return try q.read { db in
                let check = try String.fetchAll(db, sql: "PRAGMA quick_check").joined(separator: "; ")
                var counts: [String: Int] = [:]
                for row in try Row.fetchAll(db, sql: "SELECT kind, count(*) FROM records GROUP BY kind") {
                    counts[row[0]] = row[1]
                }
                return FileSummary(lastSeq: try lastSeq(db), records: counts, quickCheck: check)
            }
        }
    }

    // MARK: - Shared SQL helpers

    static func decode(_ row: Row, kindIndex k: Int) throws -> Model.Record {
        let kindRaw: String = row[k]
        let id: String = row[k + 1]
        guard let kind = RecordKind(rawValue: kindRaw) else { throw StoreError(.corruptRecord("\(kindRaw)/\(id)")) }
        let fields: [String: JSONValue]
        do {
            let dbValue: DatabaseValue = row[k + 2]
            switch dbValue.storage {
            case .string(let s):
                guard case .object(let o) = try JSONValue.parseFast(s) else { throw StoreError(.corruptRecord("\(kindRaw)/\(id)")) }
                fields = o
            case .blob(let d):
                guard case .object(let o) = try JSONValue.parseFast(d) else { throw StoreError(.corruptRecord("\(kindRaw)/\(id)")) }
                fields = o
            default:
                throw StoreError(.corruptRecord("\(kindRaw)/\(id)"))
            }
        } catch is JSONParseError {
            throw StoreError(.corruptRecord("\(kindRaw)/\(id)"))
        }
        return Model.Record(kind: kind, id: id, fields: fields)
    }

    static func fetchRecord(_ db: Database, _ key: RecordKey) throws -> Model.Record? {
        let st = try db.cachedStatement(sql: "SELECT kind, id, data FROM records WHERE kind = ? AND id = ?")
        guard let row = try Row.fetchOne(st, arguments: [key.kind.rawValue, key.id]) else { return nil }
        return try decode(row, kindIndex: 0)
    }

    static func children(_ db: Database, _ company: RecordKey, limit: Int?) throws -> [(key: RecordKey, seq: Int64)] {
        let lim = limit ?? -1
        func fetch(_ kind: RecordKind, _ sql: String, _ parent: String) throws -> [(key: RecordKey, seq: Int64)] {
            let st = try db.cachedStatement(sql: sql)
            return try Row.fetchAll(st, arguments: [kind.rawValue, parent, lim]).map { (RecordKey(kind: kind, id: $0[0]), $0[1]) }
        }
        let byCompany = "SELECT id, seq FROM records WHERE kind = ? AND company_id = ? ORDER BY id LIMIT ?"
        let byParent = "SELECT id, seq FROM records WHERE kind = ? AND parent_id = ? ORDER BY id LIMIT ?"
        if company.kind == .clientContact {
            // A contact's events (their parent_id holds the contact).
            return try fetch(.event, byParent, company.id)
        }
        guard company.kind.isCompany else { return [] }
        var out: [(key: RecordKey, seq: Int64)] = []
        for kind in dependentKinds(of: company.kind) {
            out += try fetch(kind, byCompany, company.id)
            if let limit, out.count >= limit { return out }
        }
        out += try fetch(company.kind, byParent, company.id)
        return out
    }

    static func contacts(_ db: Database, _ company: RecordKey) throws -> [Model.Record] {
        guard let ck = company.kind.contactKind else { return [] }
        let st = try db.cachedStatement(sql: "SELECT kind, id, data FROM records WHERE kind = ? AND company_id = ? ORDER BY id")
        return try Row.fetchAll(st, arguments: [ck.rawValue, company.id]).map { try decode($0, kindIndex: 0) }
    }
}

/// The write side of a `TenantStore.write {}` block. Only valid inside that block.
public final class StoreTransaction {
    let db: Database
    var closed = false
    /// Per kind, the highest document id allocated (loaded on first use, saved by `finish`).
    private var hwm: [RecordKind: Int64] = [:]
    private var dirtyHwm: Set<RecordKind> = []
    /// The next change seq (read once per transaction: this transaction is the only writer).
    private var nextSeq: Int64?
    /// The document id of the record the last `upsert` wrote.
    public private(set) var lastUpsertDocid: Int64 = 0
    /// The list rows to rewrite at the end of the transaction.
    let lists = ListMaintenance()

    init(db: Database) { self.db = db }

    static func hwmKey(_ kind: RecordKind) -> String { "docid_hwm.\(kind.rawValue)" }

    /// The highest document id ever allocated to `kind` (rows or the saved mark, whichever is higher).
    private func highWater(_ kind: RecordKind) throws -> Int64 {
        if let h = hwm[kind] { return h }
        let saved = try String.fetchOne(db.cachedStatement(sql: "SELECT value FROM meta WHERE key = ?"),
                                        arguments: [Self.hwmKey(kind)]).flatMap { Int64($0) } ?? kind.docidBase
        let top = try Int64.fetchOne(db.cachedStatement(sql: "SELECT max(rowid) FROM records WHERE rowid > ? AND rowid <= ?"),
                                     arguments: [kind.docidBase, kind.docidBase + RecordKind.docidRangeSize]) ?? kind.docidBase
        let h = max(saved, top)
        hwm[kind] = h
        return h
    }

    private func takeSeq() throws -> Int64 {
        let s = try nextSeq ?? (TenantStore.lastSeq(db) + 1)
        nextSeq = s + 1
        return s
    }

    /// Saves the document-id high-water marks moved by this transaction (called by `write`).
    func finish() throws {
        if !lists.isEmpty { try wrapSQLite { try lists.flush(db) } }
        guard !dirtyHwm.isEmpty else { return }
        let st = try db.cachedStatement(sql: "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value")
        for kind in dirtyHwm { try st.execute(arguments: [Self.hwmKey(kind), String(hwm[kind]!)]) }
        dirtyHwm.removeAll()
    }

    @inline(__always)
    func run<T>(_ body: () throws -> T) throws -> T {
        guard !closed else { throw StoreError(.transactionClosed) }
        return try wrapSQLite(body)
    }

    /// Inserts or replaces the record (keeping its row) and appends an `upsert` change.
    /// Returns the change's seq.
    @discardableResult
    public func upsert(_ record: Model.Record) throws -> Int64 {
        try run {
            let data = JSONValue.object(record.fields).compactJSON()
            let now = Int64(Date().timeIntervalSince1970 * 1000)
            let kind = record.kind
            let proposed = try highWater(kind) + 1
            guard proposed <= kind.docidBase + RecordKind.docidRangeSize else {
                throw StoreError(.sqlite("no document id left for \(kind.rawValue)"))
            }
            let seq = try takeSeq()
            let st = try db.cachedStatement(sql: """
                INSERT INTO records(rowid, kind, id, company_id, parent_id, active, data, updated_at, seq)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT(kind, id) DO UPDATE SET
                    company_id = excluded.company_id, parent_id = excluded.parent_id,
                    active = excluded.active, data = excluded.data, updated_at = excluded.updated_at,
                    seq = excluded.seq
                RETURNING rowid
                """)
            // parent_id: a company's parent company; for an event, its contact (a contact's
            // rename re-indexes its events through children(of:)).
            let parent = kind == .event ? record.string("contact_id") : record.string("parent_id")
            guard let docid = try Int64.fetchOne(st, arguments: [proposed, kind.rawValue, record.id, record.companyId, parent,
                                                                 record.isActive, data, now, seq]) else {
                throw StoreError(.sqlite("upsert returned no row"))
            }
            if docid == proposed { hwm[kind] = proposed; dirtyHwm.insert(kind) }
            lastUpsertDocid = docid
            lists.noteUpsert(record, docid: docid, db: db, isNew: docid == proposed)
            try appendChange(seq, kind, record.id, .upsert, docid: docid)
            return seq
        }
    }

    /// Deletes the record and appends a `delete` change; nil (and no change) when absent.
    @discardableResult
    public func delete(_ key: RecordKey) throws -> Int64? {
        try run {
            let st = try db.cachedStatement(sql: "DELETE FROM records WHERE kind = ? AND id = ? RETURNING rowid, company_id, parent_id")
            guard let row = try Row.fetchOne(st, arguments: [key.kind.rawValue, key.id]) else { return nil }
            let docid: Int64 = row[0]
            lists.noteDelete(key, docid: docid, companyId: row[1], parentId: row[2], db: db)
            let seq = try takeSeq()
            try appendChange(seq, key.kind, key.id, .delete, docid: docid)
            return seq
        }
    }

    /// Appends an `upsert` change without changing the record's fields, so the indexer re-reads
    /// it (derived text: a company renamed or deactivated re-indexes its contacts and events).
    /// Nothing happens (0) when the record does not exist.
    @discardableResult
    public func touch(_ key: RecordKey) throws -> Int64 {
        try run {
            let seq = try takeSeq()
            let st = try db.cachedStatement(sql: "UPDATE records SET seq = ? WHERE kind = ? AND id = ? RETURNING rowid")
            guard let docid = try Int64.fetchOne(st, arguments: [seq, key.kind.rawValue, key.id]) else {
                nextSeq = seq   // give the number back
                return 0
            }
            try appendChange(seq, key.kind, key.id, .upsert, docid: docid)
            return seq
        }
    }

    func appendChange(_ seq: Int64, _ kind: RecordKind, _ id: String, _ op: Change.Op, docid: Int64) throws {
        let st = try db.cachedStatement(sql: "INSERT INTO changes(seq, kind, id, op, docid) VALUES (?, ?, ?, ?, ?)")
        try st.execute(arguments: [seq, kind.rawValue, id, op.rawValue, docid])
    }

    public func record(_ key: RecordKey) throws -> Model.Record? {
        try run { try TenantStore.fetchRecord(db, key) }
    }

    public func exists(_ key: RecordKey) throws -> Bool {
        try run {
            let st = try db.cachedStatement(sql: "SELECT 1 FROM records WHERE kind = ? AND id = ?")
            return try Int.fetchOne(st, arguments: [key.kind.rawValue, key.id]) != nil
        }
    }

    public func contacts(ofCompany company: RecordKey) throws -> [Model.Record] {
        try run { try TenantStore.contacts(db, company) }
    }

    /// Whether the company has contacts (deleting it is then refused).
    public func hasContacts(_ company: RecordKey) throws -> Bool {
        try run {
            guard let ck = company.kind.contactKind else { return false }
            let st = try db.cachedStatement(sql: "SELECT 1 FROM records WHERE kind = ? AND company_id = ? LIMIT 1")
            return try Int.fetchOne(st, arguments: [ck.rawValue, company.id]) != nil
        }
    }

    /// Whether anything hangs off the record: contacts, events or products, subsidiaries
    /// (same set as `TenantStore.children(of:)`).
    public func hasChildren(_ key: RecordKey) throws -> Bool {
        try run { try !TenantStore.children(db, key, limit: 1).isEmpty }
    }

    /// The records attached to a company (see `TenantStore.children(of:)`).
    public func children(of company: RecordKey) throws -> [RecordKey] {
        try run { try TenantStore.children(db, company, limit: nil).map(\.key) }
    }

    public func lastSeq() throws -> Int64 {
        try run { try TenantStore.lastSeq(db) }
    }

    public func setMeta(_ key: String, _ value: String) throws {
        try run {
            try db.execute(sql: "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                           arguments: [key, value])
        }
    }

    /// Runs `body` in a nested savepoint: if it throws, only its writes are rolled back and the
    /// error is rethrown; the enclosing transaction goes on (a failing line of a bulk load).
    @discardableResult
    public func savepoint<T>(_ body: () throws -> T) throws -> T {
        guard !closed else { throw StoreError(.transactionClosed) }
        // Cached statements rather than `Database.inSavepoint`, which parses its SQL on each
        // call: one savepoint per bulk line is on the load's hot path. SQLite nests savepoints
        // of the same name (RELEASE and ROLLBACK TO address the innermost).
        try wrapSQLite { try db.cachedStatement(sql: "SAVEPOINT labsearch_line").execute() }
        let mark = lists.mark()
        let result: T
        do {
            result = try body()
        } catch {
            lists.rollBack(to: mark)
            do {
                try db.cachedStatement(sql: "ROLLBACK TO SAVEPOINT labsearch_line").execute()
                try db.cachedStatement(sql: "RELEASE SAVEPOINT labsearch_line").execute()
            } catch let e as DatabaseError {
                throw StoreError(.sqlite("\(e.resultCode): \(e.message ?? "")"))
            }
            throw error
        }
        try wrapSQLite { try db.cachedStatement(sql: "RELEASE SAVEPOINT labsearch_line").execute() }
        return result
    }

}
