import Foundation

/// Engine settings, with their defaults. A `Sendable` value: the app is built from it.
public struct EngineConfig: Sendable {
    /// Where tenants' stores and indexes live (`LABSEARCH_DATA`, default `./data`).
    public var dataDirectory: String
    /// Where the analyzer's rule files are (`analyzers/`); nil = the default location.
    public var analyzersDirectory: String?
    /// Changes read from the store per indexing step.
    public var indexBatchSize: Int = 2000
    /// Documents written before a commit while catching up on a large backlog.
    public var commitEvery: Int = 20_000
    /// Longest time applied changes stay uncommitted while nobody waits for them.
    public var commitInterval: Double = 0.5
    /// How often the indexer looks for changes written by other processes.
    public var pollInterval: Double = 0.2
    /// On shutdown, how long the indexer's last catch-up may run before it commits what it has
    /// applied and stops (the rest of the change log is applied at the next start), in
    /// seconds. A reindex in progress is abandoned (the current generation stays in use).
    public var stopCatchUpSeconds: Double = 10
    /// How long a write waits for its change to be searchable before answering 202.
    public var writeWaitTimeout: Double = 2.0
    /// Typo tolerance: minimum word length for one edit, and for two.
    public var oneTypoMinLength: Int = 5
    public var twoTyposMinLength: Int = 9

    public init(dataDirectory: String, analyzersDirectory: String? = nil) {
        self.dataDirectory = dataDirectory
        self.analyzersDirectory = analyzersDirectory
    }

    /// `LABSEARCH_DATA` or `./data`.
    public static func defaultDataDirectory() -> String {
        ProcessInfo.processInfo.environment["LABSEARCH_DATA"] ?? "./data"
    }
}

/// Errors a caller of the engine can cause, each with a stable code (mapped to HTTP at the edge)
/// and a French message for end users.
public struct EngineError: Error, CustomStringConvertible, Sendable {
    public enum Code: String, Sendable {
        case invalidTenantName = "invalid-tenant"
        case tenantNotFound = "tenant-not-found"
        case tenantExists = "tenant-exists"
        case notFound = "not-found"
        case idExists = "id-exists"
        case validation = "validation"
        case conflict = "conflict"
        case duplicate = "duplicate"
        case indexBusy = "index-busy"
        case internalError = "internal"
        /// A request parameter or query member is invalid (HTTP 400 naming it).
        case invalidParameter = "invalid-parameter"
    }
    public var code: Code
    public var message: String
    public var fieldErrors: [FieldErrorInfo]

    public struct FieldErrorInfo: Sendable, Hashable, Codable {
        public var field: String
        public var message: String
        public init(field: String, message: String) { self.field = field; self.message = message }
    }

    public init(_ code: Code, _ message: String, fieldErrors: [FieldErrorInfo] = []) {
        self.code = code
        self.message = message
        self.fieldErrors = fieldErrors
    }

    public var description: String { "\(code.rawValue): \(message)" }
}
