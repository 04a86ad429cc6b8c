import CXapian

/// A document being built for indexing (`Xapian::Document`).
///
/// The adders do not throw, so that building a document stays cheap and simple; an error
/// (for example an empty term) is kept and thrown by the `WritableDatabase` call that
/// receives the document.
///
/// Not thread-safe: use from one thread/executor at a time.
public final class Document: @unchecked Sendable {
    let handle: OpaquePointer
    /// The first error met while building, thrown when the document is stored.
    public private(set) var pendingError: XapianError?

    public init() {
        guard let handle = cxp_document_new() else {
            fatalError("XapianKit: out of memory allocating a Xapian::Document")
        }
        self.handle = handle
    }

    deinit { cxp_document_free(handle) }

    @inline(__always)
    private func record(_ body: (ErrorOut) -> Int32) {
        do {
            try xapianCall(body)
        } catch {
            if pendingError == nil { pendingError = error }
        }
    }

    /// Adds `term` with its wdf increased by `wdfInc` (no position).
    public func addTerm(_ term: String, wdfInc: UInt32 = 1) {
        record { err in withBytes(term) { cxp_document_add_term(handle, $0, $1, wdfInc, err) } }
    }

    /// Adds a boolean (filter) term, with wdf 0 so that it does not change document length.
    public func addBooleanTerm(_ term: String) {
        record { err in withBytes(term) { cxp_document_add_boolean_term(handle, $0, $1, err) } }
    }

    /// Sets value slot `slot` (an empty value removes it).
    public func setValue(_ slot: UInt32, _ value: [UInt8]) {
        record { err in withBytes(value) { cxp_document_set_value(handle, slot, $0, $1, err) } }
    }

    /// Sets value slot `slot` to the UTF-8 bytes of `value`.
    public func setValue(_ slot: UInt32, _ value: String) {
        record { err in withBytes(value) { cxp_document_set_value(handle, slot, $0, $1, err) } }
    }

    /// Sets the document data.
    public func setData(_ data: [UInt8]) {
        record { err in withBytes(data) { cxp_document_set_data(handle, $0, $1, err) } }
    }

    /// Sets the document data to the UTF-8 bytes of `data`.
    public func setData(_ data: String) {
        record { err in withBytes(data) { cxp_document_set_data(handle, $0, $1, err) } }
    }

    /// Throws the error recorded while building, if any.
    func checkBuilt() throws {
        if let pendingError { throw pendingError }
    }
}
