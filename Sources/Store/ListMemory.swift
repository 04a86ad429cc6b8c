import Foundation
import GRDB
import GRDBSQLite
import Model

// The lists in memory: a column snapshot of a list table, taken at a list version, plus the
// rows written since (the overlay, read from SQLite in the query's own transaction). Filters,
// counts, groups and the order of a page are computed on dictionary-encoded columns whose codes
// sort as SQLite sorts the keys; the page's rows are then read from SQLite by row id. Queries
// the snapshot cannot answer (custom fields, a snapshot not built yet, an overlay too large)
// run in SQL (`ListQueries`); both give the same answer (ListMemoryTests compares them).

/// A key as SQLite orders it: NULL < numbers < text (bytes, BINARY collation).
enum MemValue: Hashable {
    case null, num(Double), text([UInt8])

    init(_ v: DatabaseValue) {
        switch v.storage {
        case .null, .blob: self = .null
        case .int64(let i): self = .num(Double(i))
        case .double(let d): self = .num(d)
        case .string(let s): self = .text(Array(s.utf8))
        }
    }

    init(_ v: ListValue) { self.init(v.databaseValue) }

    var rank: Int {
        switch self {
        case .null: return 0
        case .num: return 1
        case .text: return 2
        }
    }

    static func compare(_ a: MemValue, _ b: MemValue) -> Int {
        switch (a, b) {
        case (.null, .null): return 0
        case (.num(let x), .num(let y)): return x < y ? -1 : (x > y ? 1 : 0)
        case (.text(let x), .text(let y)): return compareBytes(x, y)
        default: return a.rank < b.rank ? -1 : 1
        }
    }

    static func compareBytes(_ x: [UInt8], _ y: [UInt8]) -> Int {
        x.withUnsafeBufferPointer { xp in y.withUnsafeBufferPointer { yp in compareBytes(xp, yp) } }
    }

    static func compareBytes(_ x: UnsafeBufferPointer<UInt8>, _ y: UnsafeBufferPointer<UInt8>) -> Int {
        let n = min(x.count, y.count)
        if n > 0 {
            let c = memcmp(x.baseAddress!, y.baseAddress!, n)
            if c != 0 { return c < 0 ? -1 : 1 }
        }
        return x.count < y.count ? -1 : (x.count > y.count ? 1 : 0)
    }

    var bytes: [UInt8]? {
        if case .text(let b) = self { return b }
        return nil
    }

    /// The key as a list value (group keys): '' is the empty group, booleans are booleans.
    func listValue(_ c: ListColumn) -> ListValue {
        switch self {
        case .null: return .null
        case .num(let n): return c.type == .bool ? .bool(n != 0) : .number(n)
        case .text(let b): return b.isEmpty ? .null : .text(String(decoding: b, as: UTF8.self))
        }
    }
}

enum Bytes {
    /// The offset of `needle` (non-empty) in `hay`, or nil: memchr for its first byte, memcmp for
    /// the rest (glibc's memmem is not visible to Swift).
    static func find(_ hay: UnsafeRawBufferPointer, from: Int, _ needle: UnsafeRawBufferPointer) -> Int? {
        let n = needle.count
        let first = Int32(needle[0])
        var i = from
        while hay.count - i >= n {
            guard let p = memchr(hay.baseAddress! + i, first, hay.count - i - n + 1) else { return nil }
            let off = hay.baseAddress!.distance(to: UnsafeRawPointer(p))
            if n == 1 || memcmp(p + 1, needle.baseAddress! + 1, n - 1) == 0 { return off }
            i = off + 1
        }
        return nil
    }

    static func contains(_ hay: [UInt8], _ needle: [UInt8]) -> Bool {
        if needle.isEmpty { return true }
        if needle.count > hay.count { return false }
        return hay.withUnsafeBytes { h in needle.withUnsafeBytes { n in find(h, from: 0, n) != nil } }
    }

    static func hasPrefix(_ s: [UInt8], _ p: [UInt8]) -> Bool {
        s.count >= p.count && s.starts(with: p)
    }
}

/// The sorted distinct keys of one column: code 0 is NULL when the column holds one, then the
/// values in SQLite order. Text entries live in one buffer, each followed by a NUL.
struct MemDict {
    var nullShift = 0
    var isText = true
    var numbers: [Double] = []
    /// Filled while building, then frozen into `store` (stable memory the lookups point into).
    var bytes: [UInt8] = []
    var store = FrozenBytes([])
    var starts: [Int] = []

    mutating func freeze() {
        store = FrozenBytes(bytes)
        bytes = []
    }

    var valueCount: Int { isText ? starts.count : numbers.count }
    var codeCount: Int { nullShift + valueCount }

    func entry(_ i: Int) -> UnsafeBufferPointer<UInt8> {
        let end = i + 1 < starts.count ? starts[i + 1] - 1 : store.count - 1
        return UnsafeBufferPointer(start: store.base + starts[i], count: end - starts[i])
    }

    func value(_ code: Int) -> MemValue {
        if code < nullShift { return .null }
        let i = code - nullShift
        return isText ? .text(Array(entry(i))) : .num(numbers[i])
    }

    /// The code of the first value not below `v` (NULL sorts first).
    func lowerCode(_ v: MemValue) -> Int { bound(v, upper: false) }
    /// The code of the first value above `v`.
    func upperCode(_ v: MemValue) -> Int { bound(v, upper: true) }

    private func bound(_ v: MemValue, upper: Bool) -> Int {
        switch v {
        case .null: return upper ? nullShift : 0
        case .num(let x):
            if isText { return nullShift }
            var lo = 0, hi = numbers.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if upper ? numbers[mid] <= x : numbers[mid] < x { lo = mid + 1 } else { hi = mid }
            }
            return nullShift + lo
        case .text(let b):
            if !isText { return codeCount }
            return b.withUnsafeBufferPointer { bp in
                var lo = 0, hi = starts.count
                while lo < hi {
                    let mid = (lo + hi) / 2
                    let c = MemValue.compareBytes(entry(mid), bp)
                    if upper ? c <= 0 : c < 0 { lo = mid + 1 } else { hi = mid }
                }
                return nullShift + lo
            }
        }
    }

    func code(of v: MemValue) -> Int? {
        let c = lowerCode(v)
        guard c < codeCount, MemValue.compare(value(c), v) == 0 else { return nil }
        return c
    }

    /// Where `v` falls among the codes, doubled: 2c+1 when it is code c, 2c when it falls just
    /// before code c (a value the snapshot does not hold).
    func position(_ v: MemValue) -> UInt64 {
        let c = lowerCode(v)
        if c < codeCount, MemValue.compare(value(c), v) == 0 { return UInt64(2 * c + 1) }
        return UInt64(2 * c)
    }

    /// The text entries containing `needle` (memmem over the whole buffer).
    func entriesContaining(_ needle: [UInt8], into accept: inout [Bool]) {
        guard isText else { return }
        if needle.isEmpty {
            for i in 0..<starts.count { accept[nullShift + i] = true }
            return
        }
        let buf = UnsafeRawBufferPointer(start: store.base, count: store.count)
        needle.withUnsafeBytes { n in
            var from = 0
            while from < buf.count {
                guard let off = Bytes.find(buf, from: from, n) else { break }
                // The entry holding the hit: the last start at or before it.
                var lo = 0, hi = starts.count
                while lo < hi {
                    let mid = (lo + hi) / 2
                    if starts[mid] <= off { lo = mid + 1 } else { hi = mid }
                }
                let i = lo - 1
                accept[nullShift + i] = true
                from = i + 1 < starts.count ? starts[i + 1] : buf.count
            }
        }
    }
}

/// Bytes copied once into memory of their own, read through pointers until freed with the last
/// snapshot holding them.
final class FrozenBytes: @unchecked Sendable {
    let base: UnsafeMutablePointer<UInt8>
    let count: Int

    init(_ bytes: [UInt8]) {
        count = bytes.count
        base = .allocate(capacity: max(count, 1))
        bytes.withUnsafeBufferPointer { b in if let a = b.baseAddress { base.initialize(from: a, count: count) } }
    }

    deinit { base.deallocate() }
}

/// One column of a snapshot: its dictionary and each slot's code.
struct MemColumn {
    var dict: MemDict
    var codes: [UInt32]
}

/// A list table's columns at one list version. Slot = row id - base; `present` marks the slots
/// holding a row.
final class ListSnapshot: @unchecked Sendable {
    let list: ListName
    let version: Int64
    let base: Int64
    let slotCount: Int
    let present: [UInt64]
    let liveCount: Int
    let columns: [String: MemColumn]
    let buildSeconds: Double

    init(list: ListName, version: Int64, base: Int64, slotCount: Int, present: [UInt64], liveCount: Int,
         columns: [String: MemColumn], buildSeconds: Double) {
        self.list = list
        self.version = version
        self.base = base
        self.slotCount = slotCount
        self.present = present
        self.liveCount = liveCount
        self.columns = columns
        self.buildSeconds = buildSeconds
    }

    var words: Int { present.count }

    /// Reads the list table in `db`'s transaction (one consistent version).
    static func build(_ list: ListName, db: Database) throws -> ListSnapshot {
        let started = DispatchTime.now().uptimeNanoseconds
        let t = ListTables.table(list.kind)
        let version = try ListTables.version(db)
        let row = try Row.fetchOne(db, sql: "SELECT min(rowid), max(rowid), count(*) FROM \(t)")
        let lo: Int64 = row?[0] ?? list.kind.docidBase + 1
        let hi: Int64 = row?[1] ?? lo - 1
        let slotCount = Int(max(0, hi - lo + 1))
        let words = (slotCount + 63) / 64
        var present = [UInt64](repeating: 0, count: words)
        guard let conn = db.sqliteConnection else { throw StoreError(.sqlite("no connection")) }
        try eachRow(conn, "SELECT rowid FROM \(t)") { st in
            let s = Int(sqlite3_column_int64(st, 0) - lo)
            present[s >> 6] |= 1 << UInt64(s & 63)
        }
        var columns: [String: MemColumn] = [:]
        for c in ListTables.stored(list) {
            var dict = MemDict()
            var codes = [UInt32](repeating: 0, count: words * 64)
            var mixed = false
            var lastType: Int32 = -1
            var lastNum = 0.0
            var lastText: [UInt8] = []
            var code = -1
            try eachRow(conn, "SELECT rowid, \(c.keyColumn) FROM \(t) ORDER BY \(c.keyColumn)") { st in
                let s = Int(sqlite3_column_int64(st, 0) - lo)
                let type = sqlite3_column_type(st, 1)
                switch type {
                case SQLITE_NULL:
                    if code < 0 { dict.nullShift = 1; code = 0 }
                case SQLITE_INTEGER, SQLITE_FLOAT:
                    let x = sqlite3_column_double(st, 1)
                    if lastType == SQLITE_TEXT { mixed = true }
                    dict.isText = false
                    if lastType != SQLITE_INTEGER && lastType != SQLITE_FLOAT || x != lastNum {
                        dict.numbers.append(x)
                        code += 1
                        lastNum = x
                    }
                case SQLITE_TEXT:
                    let n = Int(sqlite3_column_bytes(st, 1))
                    let p = sqlite3_column_text(st, 1)
                    let b = n == 0 || p == nil ? [] : Array(UnsafeBufferPointer(start: p, count: n))
                    if lastType == SQLITE_INTEGER || lastType == SQLITE_FLOAT { mixed = true }
                    if lastType != SQLITE_TEXT || b != lastText {
                        dict.starts.append(dict.bytes.count)
                        dict.bytes.append(contentsOf: b)
                        dict.bytes.append(0)
                        code += 1
                        lastText = b
                    }
                default:
                    mixed = true
                }
                if type != SQLITE_NULL { lastType = type }
                codes[s] = UInt32(max(code, 0))
            }
            // A column mixing numbers and text (none today) stays in SQL.
            dict.freeze()
            if !mixed { columns[c.keyColumn] = MemColumn(dict: dict, codes: codes) }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        return ListSnapshot(list: list, version: version, base: lo, slotCount: slotCount, present: present,
                            liveCount: row?[2] ?? 0, columns: columns, buildSeconds: seconds)
    }

    static func eachRow(_ conn: OpaquePointer, _ sql: String, _ body: (OpaquePointer) throws -> Void) throws {
        var st: OpaquePointer?
        guard sqlite3_prepare_v2(conn, sql, -1, &st, nil) == SQLITE_OK, let st else {
            sqlite3_finalize(st)
            throw StoreError(.sqlite(String(cString: sqlite3_errmsg(conn))))
        }
        defer { sqlite3_finalize(st) }
        while true {
            let rc = sqlite3_step(st)
            if rc == SQLITE_DONE { return }
            guard rc == SQLITE_ROW else { throw StoreError(.sqlite(String(cString: sqlite3_errmsg(conn)))) }
            try body(st)
        }
    }
}

/// The rows written since a snapshot's version, read in the query's transaction: their current
/// keys, and every row id the snapshot must no longer answer for (rewritten or deleted).
struct ListOverlay {
    var rowids: [Int64] = []
    /// values[row][column index of `ListTables.stored`]
    var values: [[MemValue]] = []
    var masked: [Int64] = []

    static func read(_ s: ListSnapshot, db: Database) throws -> ListOverlay {
        let t = ListTables.table(s.list.kind)
        let cols = ListTables.stored(s.list)
        var o = ListOverlay()
        let sql = "SELECT rowid, \(cols.map(\.keyColumn).joined(separator: ", ")) FROM \(t) WHERE k_version > ?"
        let rows = try Row.fetchCursor(db.cachedStatement(sql: sql), arguments: [s.version])
        while let row = try rows.next() {
            let id: Int64 = row[0]
            o.rowids.append(id)
            o.masked.append(id)
            o.values.append((0..<cols.count).map { MemValue(row[$0 + 1] as DatabaseValue) })
        }
        let lo = s.list.kind.docidBase, hi = lo + RecordKind.docidRangeSize
        let gone = try Int64.fetchAll(db.cachedStatement(sql: "SELECT rowid FROM list_tombstones WHERE version > ? AND rowid > ? AND rowid <= ?"),
                                      arguments: [s.version, lo, hi])
        o.masked += gone
        return o
    }
}

/// Which engine runs a list query (tests pin one; the service uses `auto`).
public enum ListEngine: Sendable {
    /// The snapshot when it is built and the overlay small, else SQL (and a build is started).
    case auto
    case sql
    /// The snapshot, built now if missing (SQL still answers what a snapshot cannot).
    case memory
}

/// The snapshots of one store, built in the background on first use and rebuilt once the rows
/// written since grow past a share of the list.
final class ListMemory: @unchecked Sendable {
    private let lock = NSLock()
    private var snapshots: [ListName: ListSnapshot] = [:]
    private var building: Set<ListName> = []

    func snapshot(_ list: ListName) -> ListSnapshot? {
        lock.lock(); defer { lock.unlock() }
        return snapshots[list]
    }

    func publish(_ s: ListSnapshot) {
        lock.lock(); defer { lock.unlock() }
        if let old = snapshots[s.list], old.version > s.version { return }
        snapshots[s.list] = s
    }

    /// Starts a background build unless one runs.
    func requestBuild(_ list: ListName, pool: GatedPool) {
        lock.lock()
        let start = building.insert(list).inserted
        lock.unlock()
        guard start else { return }
        DispatchQueue.global(qos: .utility).async { [weak self, weak pool] in
            defer {
                self?.lock.lock()
                self?.building.remove(list)
                self?.lock.unlock()
            }
            guard let pool, !pool.isClosed, let s = try? pool.read({ db in try ListSnapshot.build(list, db: db) }) else { return }
            self?.publish(s)
        }
    }

    /// Overlays past this size start a rebuild; past the hard limit the query runs in SQL.
    static func rebuildThreshold(_ s: ListSnapshot) -> Int { max(2_000, s.liveCount / 32) }
    static func hardLimit(_ s: ListSnapshot) -> Int { max(20_000, s.liveCount / 4) }
}

extension TenantStore {
    /// Builds the list's snapshot now (a benchmark or a test before it measures or compares).
    public func warmList(_ list: ListName) throws {
        let s = try wrapSQLite { try pool.read { db in try ListSnapshot.build(list, db: db) } }
        listMemory.publish(s)
    }

    /// Starts building the snapshots of `lists` in the background.
    public func prepareLists(_ lists: [ListName]) {
        for l in lists where listMemory.snapshot(l) == nil { listMemory.requestBuild(l, pool: pool) }
    }
}
