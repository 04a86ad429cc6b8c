import Foundation
import Testing
import Model
import Store

/// The system store's security details: failed-password counters shared by every process and
/// kept across restarts, a tenant's rows for backups, the files' SHA-256.
@Suite("System store: lockouts, tenant rows, file digests")
struct SecurityStoreTests {
    let dir = tempDir()

    @Test func fileDigestMatchesTheStringDigest() throws {
        for size in [0, 1, 55, 56, 63, 64, 65, (1 << 20) - 1, 1 << 20, (1 << 20) + 17, 3_000_001] {
            let bytes = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
            let path = dir + "/f\(size)"
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            let (hex, n) = try SHA256.file(atPath: path)
            #expect(n == Int64(size))
            #expect(hex == SHA256.hexString(SHA256.hash(bytes)), "size \(size)")
        }
        #expect(throws: (any Error).self) { try SHA256.file(atPath: dir + "/missing") }
    }

    @Test func lockoutIsSharedAndSurvivesAReopen() throws {
        let path = dir + "/system.sqlite"
        let a = try SystemStore(path: path)
        let b = try SystemStore(path: path)   // a second process's store on the same file
        let user = "acme\u{1}admin@acme.fr"
        let now = Date().timeIntervalSince1970
        for i in 0..<4 {
            try a.recordAuthFailure(user: user, key: "key_1", window: 900, now: now + Double(i))
            #expect(try a.authRetryAfter(user: user, key: "key_1", maxFailures: 5, window: 900, now: now + Double(i)) == nil)
        }
        try b.recordAuthFailure(user: user, key: "key_1", window: 900, now: now + 4)
        // The fifth failure, recorded by the other instance, locks the user out in both.
        for s in [a, b] {
            let wait = try s.authRetryAfter(user: user, key: "key_1", maxFailures: 5, window: 900, now: now + 5)
            #expect(wait == 895)
        }
        // Another user of the same key is not locked (5 < 3 × 5 per key).
        #expect(try a.authRetryAfter(user: "acme\u{1}other@acme.fr", key: "key_1", maxFailures: 5, window: 900, now: now + 5) == nil)
        // Closed and reopened (a restart): still locked, with the same deadline.
        try a.close()
        try b.close()
        let c = try SystemStore(path: path)
        #expect(try c.authRetryAfter(user: user, key: "key_1", maxFailures: 5, window: 900, now: now + 10) == 890)
        // Once the oldest failure leaves the window, one attempt is allowed again.
        #expect(try c.authRetryAfter(user: user, key: "key_1", maxFailures: 5, window: 900, now: now + 900.5) == nil)
        // A right password clears the user's failures, not the key's.
        try c.clearAuthFailures(user: user)
        #expect(try c.authRetryAfter(user: user, key: "key_1", maxFailures: 5, window: 900, now: now + 10) == nil)
        #expect(try c.authRetryAfter(user: "acme\u{1}x@acme.fr", key: "key_1", maxFailures: 1, window: 900, now: now + 10) == 890)
        try c.close()
    }

    @Test func perKeyLimitIsThreeTimesThePerUserOne() throws {
        let s = try SystemStore(path: dir + "/system.sqlite")
        let now = Date().timeIntervalSince1970
        for i in 0..<6 { try s.recordAuthFailure(user: "t\u{1}u\(i)@x.fr", key: "key_k", window: 60, now: now) }
        #expect(try s.authRetryAfter(user: "t\u{1}new@x.fr", key: "key_k", maxFailures: 2, window: 60, now: now) == 60)
        #expect(try s.authRetryAfter(user: "t\u{1}new@x.fr", key: "key_other", maxFailures: 2, window: 60, now: now) == nil)
        // Old rows are forgotten at the next failure.
        try s.recordAuthFailure(user: "t\u{1}late@x.fr", key: "key_l", window: 60, now: now + 120)
        #expect(try s.authRetryAfter(user: "t\u{1}new@x.fr", key: "key_k", maxFailures: 2, window: 1e9, now: now + 120) == nil)
        try s.close()
    }

    @Test func tenantRowsRoundTrip() throws {
        let src = try SystemStore(path: dir + "/a.sqlite")
        try src.createTenant("acme")
        let key = try src.createKey(tenant: "acme", role: .admin)
        let revoked = try src.createKey(tenant: "acme", role: .user)
        try src.revokeKey(id: revoked.id)
        try src.createUser(tenant: "acme", email: "admin@acme.fr", role: .admin, password: "un mot de passe", hasher: PasswordHasher(memoryKiB: 1024, iterations: 1))
        let rows = try #require(try src.tenantRows("acme"))
        #expect(rows.keys.count == 2 && rows.users.count == 1)
        #expect(try src.tenantRows("nobody") == nil)

        let dst = try SystemStore(path: dir + "/b.sqlite")
        try dst.installTenantRows(rows, replace: false) {}
        #expect(try dst.authenticate(key: key.key)?.tenant == "acme")
        #expect(try dst.authenticate(key: revoked.key) == nil)
        #expect(try dst.verifyUser(tenant: "acme", email: "admin@acme.fr", password: "un mot de passe") == .admin)
        #expect(try dst.tenantRows("acme") == rows)
        // Twice: refused unless replacing.
        #expect(throws: StoreError(.tenantExists)) { try dst.installTenantRows(rows, replace: false) {} }
        try dst.installTenantRows(rows, replace: true) {}
        #expect(try dst.tenantRows("acme") == rows)
        // A failing `place` installs nothing.
        var other = rows
        other.tenant = "other"
        struct Boom: Error {}
        #expect(throws: Boom.self) { try dst.installTenantRows(TenantSystemRows(tenant: "other", createdAt: rows.createdAt, keys: [], users: []), replace: false) { throw Boom() } }
        #expect(try !dst.tenantExists("other"))
        // The same key under another tenant is a conflict, not a second owner.
        #expect { try dst.installTenantRows(other, replace: false) {} } throws: { e in
            if case .conflict? = (e as? StoreError)?.code { return true }
            return false
        }
        #expect(try !dst.tenantExists("other"))
    }

    /// Several connections opening (and so migrating) one new file at once all succeed: the
    /// one that loses the migration race retries and finds the migrations applied.
    @Test func concurrentOpeningsOfANewFileAllSucceed() throws {
        for round in 0..<20 {
            let systemPath = dir + "/s\(round).sqlite", storePath = dir + "/t\(round).sqlite"
            let n = 8
            let results = UnsafeMutableTransferBox([Bool](repeating: false, count: n))
            let gate = DispatchSemaphore(value: 0)
            let done = DispatchGroup()
            for i in 0..<n {
                done.enter()
                Thread.detachNewThread {
                    gate.wait()   // all released at once
                    let ok: Bool
                    if i % 2 == 0 {
                        ok = (try? SystemStore(path: systemPath)).map { s in (try? s.listTenants()) != nil } ?? false
                    } else {
                        ok = (try? TenantStore(path: storePath)).map { s in (try? s.lastSeq()) != nil } ?? false
                    }
                    results.set(i, ok)
                    done.leave()
                }
            }
            usleep(20_000)
            for _ in 0..<n { gate.signal() }
            done.wait()
            #expect(results.values.allSatisfy { $0 }, "round \(round): \(results.values)")
        }
    }

    @Test func concurrentCreationsOfOneNameGiveOneTenant() throws {
        let path = dir + "/system.sqlite"
        let stores = try (0..<4).map { _ in try SystemStore(path: path) }
        let results = UnsafeMutableTransferBox([Bool](repeating: false, count: 4))
        DispatchQueue.concurrentPerform(iterations: 4) { i in
            let ok = (try? stores[i].createTenant("acme")) != nil
            results.set(i, ok)
        }
        #expect(results.values.filter { $0 }.count == 1)
        #expect(try stores[0].listTenants().map(\.name) == ["acme"])
    }
}

/// Results written from several threads, read after they joined.
final class UnsafeMutableTransferBox: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var values: [Bool]
    init(_ v: [Bool]) { values = v }
    func set(_ i: Int, _ v: Bool) { lock.lock(); values[i] = v; lock.unlock() }
}
