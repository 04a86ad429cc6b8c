import Foundation
import GRDB
import GRDBSQLite
import Model

/// The role of an API key (API.md: `user` or `admin`).
public enum APIRole: String, Sendable, Hashable, Codable, CaseIterable {
    case user, admin
}

public struct TenantInfo: Sendable, Hashable {
    public var name: String
    /// RFC 3339 UTC.
    public var createdAt: String
}

/// An API key as listed: never its plaintext nor its hash.
public struct APIKeyInfo: Sendable, Hashable {
    public var id: String
    public var tenant: String
    public var role: APIRole
    public var createdAt: String
    public var revokedAt: String?
    public var isRevoked: Bool { revokedAt != nil }
}

/// `system.sqlite` of the data directory: tenants, API keys (stored as SHA-256 hex of the key)
/// and, later, users. Separate from the tenants' record stores.
public final class SystemStore: @unchecked Sendable {
    public static let fileName = "system.sqlite"
    /// Prefix of every API key: "lsk_" + 64 hex characters (32 random bytes).
    public static let keyPrefix = "lsk_"

    /// The connection, behind a gate that makes `close()` safe against accesses in progress.
    let queue: GatedQueue
    public let path: String

    /// Keys recently authenticated (by the SHA-256 hex of the key), valid while the database is
    /// unchanged: see `authenticate(key:)`.
    private let authLock = NSLock()
    private var authCache: [String: Authenticated] = [:]
    private var authCacheVersion: AuthVersion? = nil
    /// Writes made through this store's own connection, bumped after each one (the probe's
    /// `data_version` sees them too; the fallback on the store's connection would not).
    private var localWrites: UInt64 = 0
    /// Reads `PRAGMA data_version` for `authenticate(key:)` on a connection of its own.
    private let versionProbe: DataVersionProbe?
    /// Most keys kept in `authCache` (past it, the cache starts over).
    static let authCacheLimit = 4096

    public typealias Authenticated = (tenant: String, role: APIRole, keyId: String)

    /// What the cached authentications were read under: SQLite's `PRAGMA data_version` (it
    /// changes whenever another connection, of this process or another one, commits to
    /// `system.sqlite`) and this store's own writes.
    struct AuthVersion: Equatable {
        var dataVersion: Int64
        var localWrites: UInt64
    }

    /// Opens (creating it if needed) `system.sqlite` in `dataDirectory`.
    public convenience init(dataDirectory: String) throws {
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        try self.init(path: (dataDirectory as NSString).appendingPathComponent(Self.fileName))
    }

    public init(path: String) throws {
        self.path = path
        var config = Configuration()
        config.busyMode = .timeout(10)
        config.journalMode = .wal
        config.label = "system-store"
        config.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
        let queue = try wrapSQLite { try openAcrossProcesses { try DatabaseQueue(path: path, configuration: config) } }
        try wrapSQLite { try migrateAcrossProcesses(Self.migrator, queue) }
        self.queue = GatedQueue(queue)
        // After the migration: the file exists, in WAL mode, with its tables.
        versionProbe = DataVersionProbe(path: path)
    }

    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE tenants (name TEXT PRIMARY KEY NOT NULL, created_at TEXT NOT NULL) WITHOUT ROWID;
                CREATE TABLE api_keys (
                    id TEXT PRIMARY KEY NOT NULL,
                    tenant TEXT NOT NULL REFERENCES tenants(name),
                    role TEXT NOT NULL CHECK (role IN ('user', 'admin')),
                    hash TEXT NOT NULL UNIQUE,
                    created_at TEXT NOT NULL,
                    revoked_at TEXT
                );
                CREATE INDEX api_keys_tenant ON api_keys(tenant);
                CREATE TABLE users (
                    tenant TEXT NOT NULL REFERENCES tenants(name),
                    email TEXT NOT NULL,
                    role TEXT NOT NULL CHECK (role IN ('user', 'admin')),
                    password_hash TEXT NOT NULL,
                    salt TEXT NOT NULL,
                    created_at TEXT NOT NULL,
                    PRIMARY KEY (tenant, email)
                ) WITHOUT ROWID;
                """)
        }
        m.registerMigration("v2-auth-failures") { db in
            // Failed password attempts (the export's re-entered admin password), shared by every
            // process on the data directory and kept across restarts. `scope` is 'user' (subject:
            // tenant, U+0001, lower-cased e-mail) or 'key' (subject: the API key's id).
            try db.execute(sql: """
                CREATE TABLE auth_failures (
                    scope TEXT NOT NULL CHECK (scope IN ('user', 'key')),
                    subject TEXT NOT NULL,
                    at REAL NOT NULL
                );
                CREATE INDEX auth_failures_subject ON auth_failures(scope, subject, at);
                CREATE INDEX auth_failures_at ON auth_failures(at);
                """)
        }
        return m
    }

    public func close() throws {
        versionProbe?.close()
        try wrapSQLite { _ = try queue.close(timeout: 3) }
    }

    /// Every write of this store: a transaction on `queue`, then the cached authentications are
    /// dropped (counted even when the transaction fails: it may have committed before failing).
    private func write<T>(_ updates: (Database) throws -> T) throws -> T {
        defer {
            authLock.lock()
            localWrites &+= 1
            authCache.removeAll()
            authLock.unlock()
        }
        return try queue.write(updates)
    }

    static func now() -> String { Validator.formatUTC(Date()) }

    static func randomHex(bytes n: Int) -> String {
        var rng = SystemRandomNumberGenerator()
        return SHA256.hexString((0..<n).map { _ in UInt8.random(in: .min ... .max, using: &rng) })
    }

    // MARK: - Tenants

    /// Creates a tenant. Throws `invalidTenantName` or `tenantExists`.
    ///
    /// Race-free across processes: the check and the insert run in one IMMEDIATE transaction
    /// (GRDB's default for writes), which takes SQLite's write lock before reading, so of two
    /// processes creating the same name at once exactly one inserts it and the other, once the
    /// first has committed, finds the row and gets `tenantExists`. `afterInsert` runs inside
    /// that transaction (the engine creates the tenant's directory there): when it throws, the
    /// row is rolled back.
    public func createTenant(_ name: String, afterInsert: () throws -> Void = {}) throws {
        guard Schema.isValidTenant(name) else { throw StoreError(.invalidTenantName) }
        do {
            try wrapSQLite {
                try write { db in
                    if try Int.fetchOne(db, sql: "SELECT 1 FROM tenants WHERE name = ?", arguments: [name]) != nil {
                        throw StoreError(.tenantExists)
                    }
                    try db.execute(sql: "INSERT INTO tenants(name, created_at) VALUES (?, ?)", arguments: [name, Self.now()])
                    try afterInsert()
                }
            }
        } catch let e as StoreError where e.code != .tenantExists {
            // A constraint failure is the name taken after all (never expected: belt and braces).
            if try tenantExists(name) { throw StoreError(.tenantExists) }
            throw e
        }
    }

    public func tenantExists(_ name: String) throws -> Bool {
        try wrapSQLite {
            try queue.read { db in try Int.fetchOne(db, sql: "SELECT 1 FROM tenants WHERE name = ?", arguments: [name]) != nil }
        }
    }

    public func listTenants() throws -> [TenantInfo] {
        try wrapSQLite {
            try queue.read { db in
                try Row.fetchAll(db, sql: "SELECT name, created_at FROM tenants ORDER BY name").map {
                    TenantInfo(name: $0[0], createdAt: $0[1])
                }
            }
        }
    }

    // MARK: - API keys

    /// Creates a key for an existing tenant. Returns its id and the plaintext key, shown once:
    /// only its SHA-256 is stored.
    public func createKey(tenant: String, role: APIRole) throws -> (id: String, key: String) {
        let key = Self.keyPrefix + Self.randomHex(bytes: 32)
        let id = "key_" + Self.randomHex(bytes: 8)
        let hash = SHA256.hex(key)
        try wrapSQLite {
            try write { db in
                guard try Int.fetchOne(db, sql: "SELECT 1 FROM tenants WHERE name = ?", arguments: [tenant]) != nil else {
                    throw StoreError(.tenantNotFound)
                }
                try db.execute(sql: "INSERT INTO api_keys(id, tenant, role, hash, created_at) VALUES (?, ?, ?, ?, ?)",
                               arguments: [id, tenant, role.rawValue, hash, Self.now()])
            }
        }
        return (id, key)
    }

    /// The keys of a tenant (revoked ones included), oldest first.
    public func listKeys(tenant: String) throws -> [APIKeyInfo] {
        try wrapSQLite {
            try queue.read { db in
                try Row.fetchAll(db, sql: "SELECT id, tenant, role, created_at, revoked_at FROM api_keys WHERE tenant = ? ORDER BY created_at, id",
                                 arguments: [tenant]).map {
                    APIKeyInfo(id: $0[0], tenant: $0[1], role: APIRole(rawValue: $0[2]) ?? .user, createdAt: $0[3], revokedAt: $0[4])
                }
            }
        }
    }

    /// Revokes a key (idempotent). Throws `keyNotFound` for an unknown id.
    public func revokeKey(id: String) throws {
        try wrapSQLite {
            try write { db in
                try db.execute(sql: "UPDATE api_keys SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?", arguments: [Self.now(), id])
                if db.changesCount == 0 { throw StoreError(.keyNotFound) }
            }
        }
    }

    /// The tenant, role and key id of a valid, unrevoked key; nil otherwise.
    ///
    /// Runs on every API request, so valid keys are cached, but never beyond a change of the
    /// database: each call first reads `PRAGMA data_version` (a few microseconds; it changes as
    /// soon as another connection, e.g. the command line's `key revoke` or `key create`, has
    /// committed) and the count of this store's own writes; when either moved, the cache is
    /// dropped before the lookup. A key created or revoked anywhere is thus seen by the next
    /// request, as without the cache. Unknown, malformed and revoked keys are not cached (they
    /// read the database every time), so the cache holds only keys that were valid.
    public func authenticate(key: String) throws -> Authenticated? {
        guard key.hasPrefix(Self.keyPrefix), key.utf8.count == Self.keyPrefix.utf8.count + 64 else { return nil }
        let hash = SHA256.hex(key)
        // The version is read before the lookup: an entry cached under it was read from a
        // database at least that recent, so any later commit changes the version and drops it.
        let version = try currentAuthVersion()
        authLock.lock()
        if authCacheVersion != version {
            authCache.removeAll()
            authCacheVersion = version
        }
        let cached = authCache[hash]
        authLock.unlock()
        if let cached { return cached }

        let found = try lookUpKey(hash: hash)
        if let found {
            authLock.lock()
            if authCacheVersion == version {
                if authCache.count >= Self.authCacheLimit { authCache.removeAll() }
                authCache[hash] = found
            }
            authLock.unlock()
        }
        return found
    }

    /// SQLite's `data_version` (read on the probe's own connection, which never writes, so
    /// that every commit of any other connection moves it, this store's included; on the
    /// store's connection when the probe could not open) and the count of this store's own
    /// writes.
    private func currentAuthVersion() throws -> AuthVersion {
        let dataVersion: Int64
        if let v = versionProbe?.read() {
            dataVersion = v
        } else {
            dataVersion = try wrapSQLite {
                try queue.access { try $0.inDatabase { db in
                    try Int64.fetchOne(db.cachedStatement(sql: "PRAGMA data_version")) ?? 0
                } }
            }
        }
        authLock.lock(); defer { authLock.unlock() }
        return AuthVersion(dataVersion: dataVersion, localWrites: localWrites)
    }

    /// The key row of `hash` (the SHA-256 hex of a key), when the key is valid and unrevoked.
    private func lookUpKey(hash: String) throws -> Authenticated? {
        try wrapSQLite {
            try queue.read { db -> Authenticated? in
                guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT id, tenant, role, hash, revoked_at FROM api_keys WHERE hash = ?"),
                                                 arguments: [hash]) else { return nil }
                let stored: String = row[3]
                guard SHA256.constantTimeEqual(Array(stored.utf8), Array(hash.utf8)) else { return nil }
                let revoked: String? = row[4]
                guard revoked == nil, let role = APIRole(rawValue: row[2]) else { return nil }
                return (row[1], role, row[0])
            }
        }
    }
}

/// A connection of its own to `system.sqlite` that only ever reads `PRAGMA data_version`,
/// through SQLite's C API: the key check asks it on every API request, and GRDB's queue (a
/// dispatch queue, statement cache and cursors) cost several times what SQLite does for it.
/// It never writes, so its `data_version` changes with every commit of every other
/// connection (SQLite: "changes committed to the database by any other connection").
final class DataVersionProbe: @unchecked Sendable {
    private let lock = NSLock()
    private var db: OpaquePointer?
    private var statement: OpaquePointer?

    /// nil when the database cannot be opened or the statement not prepared.
    init?(path: String) {
        var handle: OpaquePointer?
        guard sqlite3_open_v2(path, &handle, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nil) == SQLITE_OK, let handle else {
            sqlite3_close(handle)
            return nil
        }
        sqlite3_busy_timeout(handle, 10_000)
        var prepared: OpaquePointer?
        guard sqlite3_prepare_v2(handle, "PRAGMA data_version", -1, &prepared, nil) == SQLITE_OK, let prepared else {
            sqlite3_finalize(prepared)
            sqlite3_close(handle)
            return nil
        }
        db = handle
        statement = prepared
    }

    /// The current `data_version`; nil on any error (the caller then reads it elsewhere).
    func read() -> Int64? {
        lock.lock(); defer { lock.unlock() }
        guard let statement else { return nil }
        // Reset at once: no read transaction stays open (it would hold back checkpoints).
        defer { sqlite3_reset(statement) }
        guard sqlite3_step(statement) == SQLITE_ROW else { return nil }
        return sqlite3_column_int64(statement, 0)
    }

    func close() {
        lock.lock(); defer { lock.unlock() }
        sqlite3_finalize(statement)
        sqlite3_close(db)
        statement = nil
        db = nil
    }

    deinit { close() }
}

/// A user of a tenant's CRM: the export asks an admin to re-enter the password.
public struct UserInfo: Sendable, Hashable {
    public var tenant: String
    public var email: String
    public var role: APIRole
    public var createdAt: String
}

extension SystemStore {
    // MARK: - Users

    /// Creates a user of an existing tenant, the password hashed with Argon2id (the salt is
    /// inside the PHC string; the `salt` column keeps a copy for inspection).
    public func createUser(tenant: String, email: String, role: APIRole, password: String,
                           hasher: PasswordHasher = .default) throws {
        let mail: String
        switch Validator.normalizeEmail(email) {
        case .success(let m): mail = m
        case .failure: throw StoreError(.invalidEmail)
        }
        guard password.count >= PasswordHasher.minLength, password.utf8.count <= PasswordHasher.maxBytes else {
            throw StoreError(.invalidPassword)
        }
        let encoded = try hasher.hash(password)
        let salt = encoded.split(separator: "$").dropLast().last.map(String.init) ?? ""
        try wrapSQLite {
            try write { db in
                guard try Int.fetchOne(db, sql: "SELECT 1 FROM tenants WHERE name = ?", arguments: [tenant]) != nil else {
                    throw StoreError(.tenantNotFound)
                }
                if try Int.fetchOne(db, sql: "SELECT 1 FROM users WHERE tenant = ? AND email = ?", arguments: [tenant, mail]) != nil {
                    throw StoreError(.userExists)
                }
                try db.execute(sql: "INSERT INTO users(tenant, email, role, password_hash, salt, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                               arguments: [tenant, mail, role.rawValue, encoded, salt, Self.now()])
            }
        }
    }

    public func listUsers(tenant: String) throws -> [UserInfo] {
        try wrapSQLite {
            try queue.read { db in
                try Row.fetchAll(db, sql: "SELECT tenant, email, role, created_at FROM users WHERE tenant = ? ORDER BY email", arguments: [tenant]).map {
                    UserInfo(tenant: $0[0], email: $0[1], role: APIRole(rawValue: $0[2]) ?? .user, createdAt: $0[3])
                }
            }
        }
    }

    public func deleteUser(tenant: String, email: String) throws {
        let mail = (try? Validator.normalizeEmail(email).get()) ?? email
        try wrapSQLite {
            try write { db in
                try db.execute(sql: "DELETE FROM users WHERE tenant = ? AND email = ?", arguments: [tenant, mail])
                if db.changesCount == 0 { throw StoreError(.userNotFound) }
            }
        }
    }

    /// Replaces a user's password.
    public func setPassword(tenant: String, email: String, password: String, hasher: PasswordHasher = .default) throws {
        guard password.count >= PasswordHasher.minLength, password.utf8.count <= PasswordHasher.maxBytes else {
            throw StoreError(.invalidPassword)
        }
        let mail = (try? Validator.normalizeEmail(email).get()) ?? email
        let encoded = try hasher.hash(password)
        let salt = encoded.split(separator: "$").dropLast().last.map(String.init) ?? ""
        try wrapSQLite {
            try write { db in
                try db.execute(sql: "UPDATE users SET password_hash = ?, salt = ? WHERE tenant = ? AND email = ?",
                               arguments: [encoded, salt, tenant, mail])
                if db.changesCount == 0 { throw StoreError(.userNotFound) }
            }
        }
    }

    /// The role of the tenant's user `email` when `password` is theirs; nil otherwise (unknown
    /// user or wrong password alike). An unknown user costs one hash too, so that timing does
    /// not tell which e-mails exist.
    public func verifyUser(tenant: String, email: String, password: String) throws -> APIRole? {
        let mail = (try? Validator.normalizeEmail(email).get()) ?? email.lowercased()
        let row: (String, String)? = try wrapSQLite {
            try queue.read { db in
                try Row.fetchOne(db, sql: "SELECT role, password_hash FROM users WHERE tenant = ? AND email = ?", arguments: [tenant, mail])
                    .map { ($0[0], $0[1]) }
            }
        }
        guard password.utf8.count <= PasswordHasher.maxBytes else { return nil }
        guard let (role, encoded) = row else {
            _ = PasswordHasher.verify(password, encoded: Self.dummyHash)
            return nil
        }
        return PasswordHasher.verify(password, encoded: encoded) ? APIRole(rawValue: role) : nil
    }

    /// A valid hash of a random password, verified against when the user is unknown.
    static let dummyHash: String = (try? PasswordHasher.default.hash(randomHex(bytes: 16))) ?? "$argon2id$"
}

// MARK: - Failed password attempts

extension SystemStore {
    /// Seconds to wait before the next attempt, or nil when one is allowed: past `maxFailures`
    /// failures of the user (`maxFailures * 3` of the API key) within the last `window`
    /// seconds, until the oldest of them leaves the window. Read from `auth_failures`, so a
    /// lockout holds for every process on the data directory and across restarts.
    public func authRetryAfter(user: String, key: String, maxFailures: Int, window: Double,
                               now: Double = Date().timeIntervalSince1970) throws -> Int? {
        let since = now - window
        let (u, k): ((Int, Double?), (Int, Double?)) = try wrapSQLite {
            try queue.read { db in
                let sql = "SELECT count(*), min(at) FROM auth_failures WHERE scope = ? AND subject = ? AND at > ?"
                let ur = try Row.fetchOne(db.cachedStatement(sql: sql), arguments: ["user", user, since])
                let kr = try Row.fetchOne(db.cachedStatement(sql: sql), arguments: ["key", key, since])
                return ((ur?[0] ?? 0, ur?[1]), (kr?[0] ?? 0, kr?[1]))
            }
        }
        var wait: Double? = nil
        if u.0 >= maxFailures, let first = u.1 { wait = first + window - now }
        if k.0 >= maxFailures * 3, let first = k.1 { wait = max(wait ?? 0, first + window - now) }
        return wait.map { max(1, Int($0.rounded(.up))) }
    }

    /// Records a failed attempt of `user` through API key `key`; forgets attempts older than
    /// `window` (of every subject), so the table stays small.
    public func recordAuthFailure(user: String, key: String, window: Double, now: Double = Date().timeIntervalSince1970) throws {
        try wrapSQLite {
            try write { db in
                try db.execute(sql: "DELETE FROM auth_failures WHERE at <= ?", arguments: [now - window])
                try db.execute(sql: "INSERT INTO auth_failures(scope, subject, at) VALUES ('user', ?, ?), ('key', ?, ?)",
                               arguments: [user, now, key, now])
            }
        }
    }

    /// Forgets the user's failed attempts (after a right password); writes only when there are.
    public func clearAuthFailures(user: String) throws {
        let any = try wrapSQLite {
            try queue.read { db in
                try Int.fetchOne(db, sql: "SELECT 1 FROM auth_failures WHERE scope = 'user' AND subject = ? LIMIT 1", arguments: [user]) != nil
            }
        }
        guard any else { return }
        try wrapSQLite {
            try write { db in try db.execute(sql: "DELETE FROM auth_failures WHERE scope = 'user' AND subject = ?", arguments: [user]) }
        }
    }
}

// MARK: - A tenant's rows, for backups

/// A tenant's rows of `system.sqlite` as a backup keeps them: the tenant, its API keys (their
/// SHA-256, never the keys) and its users (their Argon2id hashes), so that a restored tenant
/// keeps its keys and passwords. Failed-attempt counters are not kept.
public struct TenantSystemRows: Codable, Sendable, Equatable {
    public struct Key: Codable, Sendable, Equatable {
        public var id: String
        public var role: String
        public var hash: String
        public var createdAt: String
        public var revokedAt: String?
    }
    public struct User: Codable, Sendable, Equatable {
        public var email: String
        public var role: String
        public var passwordHash: String
        public var salt: String
        public var createdAt: String
    }
    public var tenant: String
    public var createdAt: String
    public var keys: [Key]
    public var users: [User]

    public init(tenant: String, createdAt: String, keys: [Key], users: [User]) {
        self.tenant = tenant
        self.createdAt = createdAt
        self.keys = keys
        self.users = users
    }
}

extension SystemStore {
    /// The tenant's rows, read in one transaction; nil when the tenant has no row.
    public func tenantRows(_ name: String) throws -> TenantSystemRows? {
        try wrapSQLite {
            try queue.read { db in
                guard let created = try String.fetchOne(db, sql: "SELECT created_at FROM tenants WHERE name = ?", arguments: [name]) else {
                    return nil
                }
                let keys = try Row.fetchAll(db, sql: "SELECT id, role, hash, created_at, revoked_at FROM api_keys WHERE tenant = ? ORDER BY created_at, id",
                                            arguments: [name]).map {
                    TenantSystemRows.Key(id: $0[0], role: $0[1], hash: $0[2], createdAt: $0[3], revokedAt: $0[4])
                }
                let users = try Row.fetchAll(db, sql: "SELECT email, role, password_hash, salt, created_at FROM users WHERE tenant = ? ORDER BY email",
                                             arguments: [name]).map {
                    TenantSystemRows.User(email: $0[0], role: $0[1], passwordHash: $0[2], salt: $0[3], createdAt: $0[4])
                }
                return TenantSystemRows(tenant: name, createdAt: created, keys: keys, users: users)
            }
        }
    }

    /// Installs a tenant's rows in one IMMEDIATE transaction: refused with `tenantExists` when
    /// the tenant has a row, unless `replace` (its keys, users and counters are then deleted
    /// first); refused with `conflict` when a key id or hash belongs to another tenant here.
    /// `place` runs inside the transaction, after the inserts (the restore moves the tenant's
    /// directory into place there): when it throws, nothing is installed.
    public func installTenantRows(_ rows: TenantSystemRows, replace: Bool, place: () throws -> Void) throws {
        guard Schema.isValidTenant(rows.tenant) else { throw StoreError(.invalidTenantName) }
        try wrapSQLite {
            try write { db in
                let name = rows.tenant
                if try Int.fetchOne(db, sql: "SELECT 1 FROM tenants WHERE name = ?", arguments: [name]) != nil {
                    guard replace else { throw StoreError(.tenantExists) }
                    try db.execute(sql: "DELETE FROM api_keys WHERE tenant = ?", arguments: [name])
                    try db.execute(sql: "DELETE FROM users WHERE tenant = ?", arguments: [name])
                    try db.execute(sql: "DELETE FROM tenants WHERE name = ?", arguments: [name])
                }
                try db.execute(sql: "DELETE FROM auth_failures WHERE scope = 'user' AND substr(subject, 1, ?) = ?",
                               arguments: [name.utf8.count + 1, name + "\u{1}"])
                for k in rows.keys {
                    if let other = try String.fetchOne(db, sql: "SELECT tenant FROM api_keys WHERE id = ? OR hash = ?", arguments: [k.id, k.hash]) {
                        throw StoreError(.conflict("La clé d'API \(k.id) de la sauvegarde existe déjà dans ce dossier de données (tenant « \(other) »)."))
                    }
                }
                try db.execute(sql: "INSERT INTO tenants(name, created_at) VALUES (?, ?)", arguments: [name, rows.createdAt])
                for k in rows.keys {
                    guard APIRole(rawValue: k.role) != nil else { throw StoreError(.conflict("Rôle inconnu dans la sauvegarde : \(k.role).")) }
                    try db.execute(sql: "INSERT INTO api_keys(id, tenant, role, hash, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?)",
                                   arguments: [k.id, name, k.role, k.hash, k.createdAt, k.revokedAt])
                }
                for u in rows.users {
                    guard APIRole(rawValue: u.role) != nil else { throw StoreError(.conflict("Rôle inconnu dans la sauvegarde : \(u.role).")) }
                    try db.execute(sql: "INSERT INTO users(tenant, email, role, password_hash, salt, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                                   arguments: [name, u.email, u.role, u.passwordHash, u.salt, u.createdAt])
                }
                try place()
            }
        }
    }
}
