import Foundation
import GRDB
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

    let queue: DatabaseQueue
    public let path: String

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
        queue = try wrapSQLite { try DatabaseQueue(path: path, configuration: config) }
        try wrapSQLite { try Self.migrator.migrate(queue) }
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
        return m
    }

    public func close() throws { try wrapSQLite { try queue.close() } }

    static func now() -> String { Validator.formatUTC(Date()) }

    static func randomHex(bytes n: Int) -> String {
        var rng = SystemRandomNumberGenerator()
        return SHA256.hexString((0..<n).map { _ in UInt8.random(in: .min ... .max, using: &rng) })
    }

    // MARK: - Tenants

    /// Creates a tenant. Throws `invalidTenantName` or `tenantExists`.
    public func createTenant(_ name: String) throws {
        guard Schema.isValidTenant(name) else { throw StoreError(.invalidTenantName) }
        try wrapSQLite {
            try queue.write { db in
                if try Int.fetchOne(db, sql: "SELECT 1 FROM tenants WHERE name = ?", arguments: [name]) != nil {
                    throw StoreError(.tenantExists)
                }
                try db.execute(sql: "INSERT INTO tenants(name, created_at) VALUES (?, ?)", arguments: [name, Self.now()])
            }
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
            try queue.write { db in
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
            try queue.write { db in
                try db.execute(sql: "UPDATE api_keys SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?", arguments: [Self.now(), id])
                if db.changesCount == 0 { throw StoreError(.keyNotFound) }
            }
        }
    }

    /// The tenant, role and key id of a valid, unrevoked key; nil otherwise.
    public func authenticate(key: String) throws -> (tenant: String, role: APIRole, keyId: String)? {
        guard key.hasPrefix(Self.keyPrefix), key.utf8.count == Self.keyPrefix.utf8.count + 64 else { return nil }
        let hash = SHA256.hex(key)
        return try wrapSQLite {
            try queue.read { db -> (tenant: String, role: APIRole, keyId: String)? in
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
            try queue.write { db in
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
            try queue.write { db in
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
            try queue.write { db in
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
