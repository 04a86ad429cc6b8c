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

/// A document built in Swift memory and handed to `WritableDatabase.replaceDocument(docid:_:)`
/// in one call (the layout of `cxp_writable_replace_packed`). Terms must be 1…245 bytes; a
/// term added twice is the caller's to avoid (Xapian would add the wdfs).
public struct PackedDocument: Sendable {
    private(set) var bytes: [UInt8] = [0, 0, 0, 0]
    private var termCount: UInt32 = 0
    private var values: [(UInt32, [UInt8])] = []
    private var data: [UInt8] = []
    private var sealed = false

    public init(capacity: Int = 512) { bytes.reserveCapacity(capacity) }

    public var termsAdded: Int { Int(termCount) }

    /// Adds a term (`wdf` 0: a boolean term that adds no weight).
    public mutating func addTerm<C: Collection>(_ term: C, wdf: UInt32) where C.Element == UInt8 {
        precondition(!sealed && !term.isEmpty && term.count <= 245, "PackedDocument: bad term")
        bytes.append(UInt8(term.count))
        bytes.append(contentsOf: term)
        withUnsafeBytes(of: wdf) { bytes.append(contentsOf: $0) }
        termCount += 1
    }

    /// Adds the term `head + tail`.
    public mutating func addTerm<C: Collection>(head: [UInt8], _ tail: C, wdf: UInt32) where C.Element == UInt8 {
        let n = head.count + tail.count
        precondition(!sealed && n > 0 && n <= 245, "PackedDocument: bad term")
        bytes.append(UInt8(n))
        bytes.append(contentsOf: head)
        bytes.append(contentsOf: tail)
        withUnsafeBytes(of: wdf) { bytes.append(contentsOf: $0) }
        termCount += 1
    }

    public mutating func setValue(_ slot: UInt32, _ value: [UInt8]) { values.append((slot, value)) }
    public mutating func setValue(_ slot: UInt32, _ value: String) { values.append((slot, Array(value.utf8))) }
    public mutating func setData(_ bytes: [UInt8]) { data = bytes }

    /// Writes the value and data sections; no term may be added after.
    public mutating func seal() {
        guard !sealed else { return }
        sealed = true
        withUnsafeBytes(of: termCount) { raw in for i in 0..<4 { bytes[i] = raw[i] } }
        func u32(_ v: UInt32) { withUnsafeBytes(of: v) { bytes.append(contentsOf: $0) } }
        u32(UInt32(values.count))
        for (slot, v) in values { u32(slot); u32(UInt32(v.count)); bytes.append(contentsOf: v) }
        u32(UInt32(data.count))
        bytes.append(contentsOf: data)
    }
}
