import CXapian

/// A reader of a Xapian database (`Xapian::Database`).
///
/// A reader sees the revision it opened until `reopen()`. It survives one commit by the
/// writer but not two: calls may then fail with `.databaseModified`; `reopen()` and retry.
///
/// Not thread-safe: use from one thread/executor at a time (open one reader per thread).
public final class Database: @unchecked Sendable {
    let handle: OpaquePointer
    public let path: String

    /// Opens the database at `path`; `.databaseNotFound` when there is none.
    public init(path: String) throws {
        var handle: OpaquePointer? = nil
        try xapianCall { cxp_database_open(path, &handle, $0) }
        guard let handle else {
            throw XapianError(code: .other, message: "cxp_database_open returned no handle")
        }
        self.handle = handle
        self.path = path
    }

    deinit { cxp_database_free(handle) }

    /// Moves to the latest committed revision; returns true if it changed.
    @discardableResult
    public func reopen() throws -> Bool {
        var changed: Int32 = 0
        try xapianCall { cxp_database_reopen(handle, &changed, $0) }
        return changed != 0
    }

    /// Releases the database files; later calls (and `Enquire`s on it) fail with `.other`.
    public func close() {
        var message: UnsafeMutablePointer<CChar>? = nil
        if cxp_database_close(handle, &message) != CXP_OK {
            cxp_free_string(message)  // nothing useful to do: the handle is unusable anyway
        }
    }

    /// Writes a compacted copy of this revision to `dest` (a directory that must not exist),
    /// keeping every document id.
    public func compact(to dest: String) throws {
        try xapianCall { cxp_database_compact(handle, dest, $0) }
    }

    /// How document `docid` compares with `doc` (terms with their wdf, values, data).
    public enum Comparison: Sendable { case same, missing, different }

    public func compare(docid: UInt32, with doc: PackedDocument) throws -> Comparison {
        var doc = doc
        doc.seal()
        var result: Int32 = 0
        try xapianCall { err in
            doc.bytes.withUnsafeBufferPointer { cxp_database_compare_packed(handle, docid, $0.baseAddress, $0.count, &result, err) }
        }
        switch result {
        case 0: return .same
        case 1: return .missing
        default: return .different
        }
    }

    /// Every document id, ascending.
    public func docids() throws -> [UInt32] {
        var out: UnsafeMutablePointer<UInt32>? = nil
        var count = 0
        try xapianCall { cxp_database_docids(handle, &out, &count, $0) }
        defer { cxp_free_string(UnsafeMutableRawPointer(out)?.assumingMemoryBound(to: CChar.self)) }
        guard let out else { return [] }
        return Array(UnsafeBufferPointer(start: out, count: count))
    }

    public func docCount() throws -> UInt32 {
        var count: UInt32 = 0
        try xapianCall { cxp_database_doccount(handle, &count, $0) }
        return count
    }

    /// The number of documents indexed by `term` (0 when absent).
    public func termFrequency(_ term: String) throws -> UInt32 {
        var count: UInt32 = 0
        try xapianCall { err in withBytes(term) { cxp_database_termfreq(handle, $0, $1, &count, err) } }
        return count
    }

    public func termExists(_ term: String) throws -> Bool {
        var exists: Int32 = 0
        try xapianCall { err in withBytes(term) { cxp_database_term_exists(handle, $0, $1, &exists, err) } }
        return exists != 0
    }

    /// A user metadata entry ("" when unset).
    public func metadata(_ key: String) throws -> String {
        var value: UnsafeMutablePointer<CChar>? = nil
        var count = 0
        try xapianCall { err in
            withBytes(key) { cxp_database_get_metadata(handle, $0, $1, &value, &count, err) }
        }
        return takeString(value, count)
    }

    /// Calls `body` with each term starting with `prefix` (in byte order) and its term
    /// frequency, until `body` returns false.
    public func allTerms(prefix: String, _ body: (String, UInt32) -> Bool) throws {
        var iterator: OpaquePointer? = nil
        try xapianCall { err in withBytes(prefix) { cxp_database_allterms(handle, $0, $1, &iterator, err) } }
        guard let iterator else { return }
        defer { cxp_termiter_free(iterator) }
        try forEachTerm(iterator) { term, frequency in body(term, frequency) }
    }

    /// The data of document `docid`; `.other` (DocNotFoundError) when there is none.
    public func documentData(_ docid: UInt32) throws -> [UInt8] {
        var data: UnsafeMutablePointer<CChar>? = nil
        var count = 0
        try xapianCall { cxp_database_document_data(handle, docid, &data, &count, $0) }
        return takeBytes(data, count)
    }

    /// Value slot `slot` of document `docid` (empty when unset).
    public func documentValue(_ docid: UInt32, slot: UInt32) throws -> [UInt8] {
        var value: UnsafeMutablePointer<CChar>? = nil
        var count = 0
        try xapianCall { cxp_database_document_value(handle, docid, slot, &value, &count, $0) }
        return takeBytes(value, count)
    }
}

/// Drains a shim term iterator (the caller frees it).
func forEachTerm(_ iterator: OpaquePointer, _ body: (String, UInt32) -> Bool) throws {
    while true {
        var term: UnsafePointer<CChar>? = nil
        var length = 0
        var frequency: UInt32 = 0
        var hasTerm: Int32 = 0
        try xapianCall { cxp_termiter_next(iterator, &term, &length, &frequency, &hasTerm, $0) }
        guard hasTerm != 0 else { return }
        let string = term.map {
            String(decoding: UnsafeRawBufferPointer(start: $0, count: length), as: UTF8.self)
        } ?? ""
        if !body(string, frequency) { return }
    }
}
