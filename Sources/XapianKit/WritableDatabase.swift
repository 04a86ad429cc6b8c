import CXapian

/// The single writer of a glass database (`Xapian::WritableDatabase`).
///
/// Xapian allows one writer per database: a second one (in this or another process)
/// fails with `.databaseLock`. Changes become visible to readers at `commit()`; the
/// deinit, like Xapian's destructor, commits pending changes and ignores errors, so call
/// `commit()` or `close()` to see them.
///
/// Not thread-safe: use from one thread/executor at a time.
public final class WritableDatabase: @unchecked Sendable {
    public enum Mode: Sendable {
        /// Open the database, creating it if missing (`DB_CREATE_OR_OPEN`).
        case createOrOpen
        /// Create an empty database, replacing any existing one (`DB_CREATE_OR_OVERWRITE`).
        case createOrOverwrite
        /// Open an existing database; `.databaseNotFound` if missing (`DB_OPEN`).
        case open
    }

    let handle: OpaquePointer
    public let path: String

    /// Opens or creates the glass database at `path`.
    public init(path: String, mode: Mode = .createOrOpen) throws {
        let cmode: Int32
        switch mode {
        case .createOrOpen: cmode = CXP_DB_CREATE_OR_OPEN
        case .createOrOverwrite: cmode = CXP_DB_CREATE_OR_OVERWRITE
        case .open: cmode = CXP_DB_OPEN
        }
        var handle: OpaquePointer? = nil
        try xapianCall { cxp_writable_open(path, cmode, &handle, $0) }
        guard let handle else {
            throw XapianError(code: .other, message: "cxp_writable_open returned no handle")
        }
        self.handle = handle
        self.path = path
    }

    deinit { cxp_writable_free(handle) }

    /// `replace_document(uniqueTerm, doc)`: replaces every document indexed by
    /// `uniqueTerm` with `doc` (or adds it). `doc` should itself contain `uniqueTerm`,
    /// otherwise a later replace or delete by that term will not find it.
    /// Returns the document id.
    @discardableResult
    public func replaceDocument(uniqueTerm: String, _ doc: Document) throws -> UInt32 {
        try doc.checkBuilt()
        var docid: UInt32 = 0
        try xapianCall { err in
            withBytes(uniqueTerm) { cxp_writable_replace_by_term(handle, $0, $1, doc.handle, &docid, err) }
        }
        return docid
    }

    /// `replace_document(docid, doc)` with the document built as a `PackedDocument` (one call
    /// per document). A docid above the last one used is a plain add.
    public func replaceDocument(docid: UInt32, _ doc: PackedDocument) throws {
        var doc = doc
        doc.seal()
        try xapianCall { err in
            doc.bytes.withUnsafeBufferPointer { cxp_writable_replace_packed(handle, docid, $0.baseAddress, $0.count, err) }
        }
    }

    /// `delete_document(docid)`; nothing happens when there is no such document.
    public func deleteDocument(docid: UInt32) throws {
        try xapianCall { cxp_writable_delete_docid(handle, docid, $0) }
    }

    /// `add_document(doc)`: adds a document and returns its id.
    @discardableResult
    public func addDocument(_ doc: Document) throws -> UInt32 {
        try doc.checkBuilt()
        var docid: UInt32 = 0
        try xapianCall { cxp_writable_add_document(handle, doc.handle, &docid, $0) }
        return docid
    }

    /// `delete_document(uniqueTerm)`: deletes every document indexed by `uniqueTerm`
    /// (nothing when there is none).
    public func deleteDocument(uniqueTerm: String) throws {
        try xapianCall { err in
            withBytes(uniqueTerm) { cxp_writable_delete_by_term(handle, $0, $1, err) }
        }
    }

    /// Stores a user metadata entry, committed with the next `commit()`; an empty value
    /// removes the key.
    public func setMetadata(_ key: String, _ value: String) throws {
        try xapianCall { err in
            withBytes(key) { k, kn in
                withBytes(value) { cxp_writable_set_metadata(handle, k, kn, $0, $1, err) }
            }
        }
    }

    /// A user metadata entry ("" when unset), including uncommitted changes.
    public func metadata(_ key: String) throws -> String {
        var value: UnsafeMutablePointer<CChar>? = nil
        var count = 0
        try xapianCall { err in
            withBytes(key) { cxp_writable_get_metadata(handle, $0, $1, &value, &count, err) }
        }
        return takeString(value, count)
    }

    /// Commits all pending changes atomically.
    public func commit() throws {
        try xapianCall { cxp_writable_commit(handle, $0) }
    }

    /// Commits pending changes and releases the write lock; later calls fail (`.other`).
    public func close() throws {
        try xapianCall { cxp_writable_close(handle, $0) }
    }

    /// The number of documents, including uncommitted changes.
    public func docCount() throws -> UInt32 {
        var count: UInt32 = 0
        try xapianCall { cxp_writable_doccount(handle, &count, $0) }
        return count
    }

    /// The number of documents indexed by `term`, including uncommitted changes.
    public func termFrequency(_ term: String) throws -> UInt32 {
        var count: UInt32 = 0
        try xapianCall { err in withBytes(term) { cxp_writable_termfreq(handle, $0, $1, &count, err) } }
        return count
    }
}

