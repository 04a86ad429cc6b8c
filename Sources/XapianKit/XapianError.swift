import CXapian

/// An error reported by Xapian (or by the shim for an invalid argument).
///
/// `code` is the Xapian exception class, most specific first; `message` is Xapian's
/// `get_description()` (e.g. "DatabaseLockError: Unable to get write lock on …").
public struct XapianError: Error, CustomStringConvertible, Sendable, Hashable {
    public enum Code: Sendable, Hashable {
        /// `Xapian::DatabaseLockError`: another writer holds the database.
        case databaseLock
        /// `Xapian::DatabaseNotFoundError`: no database at that path.
        case databaseNotFound
        /// Any other `Xapian::DatabaseOpeningError` (e.g. version mismatch).
        case databaseOpening
        /// `Xapian::DatabaseModifiedError`: a reader fell two revisions behind; `reopen()` and retry.
        case databaseModified
        /// `Xapian::DatabaseCorruptError`.
        case databaseCorrupt
        /// `Xapian::InvalidArgumentError`, or an argument the wrapper refuses.
        case invalidArgument
        /// Any other error (closed database, missing document, out of memory, …).
        case other
    }

    public var code: Code
    public var message: String

    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    public var description: String { "XapianError.\(code): \(message)" }

    /// Builds the error from a shim status and takes ownership of (frees) its message.
    init(status: Int32, message: UnsafeMutablePointer<CChar>?) {
        switch status {
        case CXP_ERR_DATABASE_LOCK: code = .databaseLock
        case CXP_ERR_DATABASE_NOT_FOUND: code = .databaseNotFound
        case CXP_ERR_DATABASE_OPENING: code = .databaseOpening
        case CXP_ERR_DATABASE_MODIFIED: code = .databaseModified
        case CXP_ERR_DATABASE_CORRUPT: code = .databaseCorrupt
        case CXP_ERR_INVALID_ARGUMENT: code = .invalidArgument
        default: code = .other
        }
        if let message {
            self.message = String(cString: message)
            cxp_free_string(message)
        } else {
            self.message = "Xapian error \(status) (no message)"
        }
    }
}

// MARK: - Call helpers (internal)

typealias ErrorOut = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>

/// Runs one shim call and turns a non-zero status into a thrown `XapianError` at once.
@inline(__always)
func xapianCall(_ body: (ErrorOut) -> Int32) throws(XapianError) {
    var message: UnsafeMutablePointer<CChar>? = nil
    let status = body(&message)
    if status != CXP_OK {
        throw XapianError(status: status, message: message)
    }
}

/// Passes the UTF-8 bytes of `string` as (pointer, length); the string may contain NUL.
@inline(__always)
func withBytes<R>(_ string: String, _ body: (UnsafePointer<CChar>?, Int) throws -> R) rethrows -> R {
    var string = string
    return try string.withUTF8 { utf8 in
        try utf8.withMemoryRebound(to: CChar.self) { try body($0.baseAddress, $0.count) }
    }
}

/// Passes `bytes` as (pointer, length).
@inline(__always)
func withBytes<R>(_ bytes: [UInt8], _ body: (UnsafePointer<CChar>?, Int) throws -> R) rethrows -> R {
    try bytes.withUnsafeBufferPointer { buffer in
        try buffer.withMemoryRebound(to: CChar.self) { try body($0.baseAddress, $0.count) }
    }
}

/// Copies a buffer returned by the shim and frees it.
@inline(__always)
func takeBytes(_ pointer: UnsafeMutablePointer<CChar>?, _ count: Int) -> [UInt8] {
    defer { cxp_free_string(pointer) }
    guard let pointer, count > 0 else { return [] }
    return Array(UnsafeRawBufferPointer(start: pointer, count: count))
}

/// Decodes a buffer returned by the shim as UTF-8 (invalid bytes are repaired) and frees it.
@inline(__always)
func takeString(_ pointer: UnsafeMutablePointer<CChar>?, _ count: Int) -> String {
    defer { cxp_free_string(pointer) }
    guard let pointer, count > 0 else { return "" }
    return String(decoding: UnsafeRawBufferPointer(start: pointer, count: count), as: UTF8.self)
}

/// Checks that an `Int` argument fits a Xapian `doccount`/`docid` (UInt32).
@inline(__always)
func uint32Argument(_ value: Int, _ name: String, clamp: Bool = false) throws -> UInt32 {
    if value < 0 {
        throw XapianError(code: .invalidArgument, message: "\(name) must not be negative (got \(value))")
    }
    if value > Int(UInt32.max) {
        if clamp { return UInt32.max }
        throw XapianError(code: .invalidArgument, message: "\(name) is too large (got \(value))")
    }
    return UInt32(value)
}
