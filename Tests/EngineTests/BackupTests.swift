import Engine
import Foundation
import Model
import Store
import Testing

/// A name made of syllables, one per decimal digit of `i` ("bk" + "ceba…"): unique words, far
/// apart (changing one digit changes two letters), so a search by it finds exactly its record.
func syllableName(_ i: Int) -> String {
    let syllables = ["ba", "ce", "di", "fo", "gu", "ha", "je", "ki", "lo", "mu"]
    return "bk" + String(format: "%05d", i).map { syllables[Int(String($0))!] }.joined()
}

/// Records acknowledged by a writer thread, in order.
final class AckLog: @unchecked Sendable {
    private let lock = NSLock()
    private var ids: [String] = []
    private var stopped = false
    func add(_ id: String) { lock.lock(); ids.append(id); lock.unlock() }
    var snapshot: [String] { lock.lock(); defer { lock.unlock() }; return ids }
    func stop() { lock.lock(); stopped = true; lock.unlock() }
    var isStopped: Bool { lock.lock(); defer { lock.unlock() }; return stopped }
}

/// Backup and restore with real components: a tenant held (index writer lock, indexer thread)
/// by one engine, as by the server, written to by a thread while a second engine on the same
/// data directory, as the command line, backs it up; the restore into a fresh data directory
/// finds every record acknowledged before the backup began, and the keys and users work.
@Suite(.serialized) struct BackupTests {
    @Test func backupWhileWritingThenRestoreIntoAFreshDirectory() throws {
        let src = try TestEngine("backup-src")
        defer { src.close() }
        let t = try src.engine.createTenant("acme")
        #expect(t.holdsIndex)
        let admin = try src.engine.system.createKey(tenant: "acme", role: .admin)
        let user = try src.engine.system.createKey(tenant: "acme", role: .user)
        try src.engine.system.createUser(tenant: "acme", email: "admin@acme.fr", role: .admin, password: "mot de passe sûr",
                                         hasher: PasswordHasher(memoryKiB: 1024, iterations: 1))
        let initial = 3000
        var lines: [String] = []
        for i in 0..<initial {
            lines.append(upsertLine(.client, "cl_\(i)", ["name": "Société \(syllableName(i))", "city": "Lyon"]))
        }
        t.load(lines.joined(separator: "\n"))

        // The writer: one record per bulk call, acknowledged when the call returns (durable).
        let acked = AckLog()
        let writer = Thread {
            var i = initial
            while !acked.isStopped {
                let r = t.bulk(ndjson: Data(upsertLine(.client, "cl_\(i)", ["name": "Société \(syllableName(i))"]).utf8))
                if r.errors.isEmpty && r.upserted == 1 { acked.add("cl_\(i)") }
                i += 1
            }
        }
        writer.start()
        defer { acked.stop() }
        #expect(eventually(timeout: 30) { acked.snapshot.count >= 20 })

        // The backup, by another engine (the command line's): it never takes the index lock.
        let backupDir = src.dir.path + "/backups/acme-1"
        let before = acked.snapshot
        let cli = try Engine(config: EngineConfig(dataDirectory: src.dir.path))
        let manifest = try cli.backupTenant("acme", to: backupDir)
        cli.shutdown()
        #expect(eventually(timeout: 30) { acked.snapshot.count >= before.count + 20 })   // writes went on
        acked.stop()
        while !writer.isFinished { usleep(1000) }

        #expect(manifest.tenant == "acme" && manifest.keys == 2 && manifest.users == 1 && !manifest.indexIncluded)
        #expect(manifest.totalRecords >= initial + before.count)
        #expect(manifest.index != nil)
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: backupDir)) == ["manifest.json", "store.sqlite", "system.json"])
        #expect(try !FileManager.default.contentsOfDirectory(atPath: src.dir.path + "/backups").contains { $0.contains(".partial") })
        // A second backup into the same directory is refused.
        #expect(throws: EngineError.self) { try src.engine.backupTenant("acme", to: backupDir) }

        // The restore, into a fresh data directory.
        let dst = try TestEngine("backup-dst")
        defer { dst.close() }
        let report = try dst.engine.restoreTenant("acme", from: backupDir)
        #expect(report.records == manifest.totalRecords && report.documents == manifest.totalRecords)
        let rt = try dst.engine.tenant("acme")
        #expect(try rt.indexStatus().storeSeq == manifest.storeSeq)
        let mustHave = (0..<initial).map { "cl_\($0)" } + before
        let found = try rt.records(mustHave.map { RecordKey(kind: .client, id: $0) })
        #expect(found.count == mustHave.count, "missing: \(Set(mustHave).subtracting(found.keys.map(\.id)).sorted().prefix(10))")
        // By a search: every concurrent record acknowledged before the backup, one in 25 of the others.
        var notFound: [String] = []
        for id in before + stride(from: 0, to: initial, by: 25).map({ "cl_\($0)" }) {
            let i = Int(id.dropFirst(3))!
            if !(try rt.search(syllableName(i), limit: 10).ids(.client).contains(id)) { notFound.append(id) }
        }
        #expect(notFound.isEmpty, "not found by a search: \(notFound.prefix(10))")
        #expect(try rt.checkIndex().agrees)
        // The keys and the user came along.
        #expect(try dst.engine.system.authenticate(key: admin.key)?.tenant == "acme")
        #expect(try dst.engine.system.authenticate(key: user.key)?.role == .user)
        #expect(try dst.engine.system.verifyUser(tenant: "acme", email: "admin@acme.fr", password: "mot de passe sûr") == .admin)

        // Again into the same directory: refused, and with force refused while it is open here.
        #expect { try dst.engine.restoreTenant("acme", from: backupDir) } throws: { ($0 as? EngineError)?.code == .tenantExists }
        #expect { try dst.engine.restoreTenant("acme", from: backupDir, force: true) } throws: { ($0 as? EngineError)?.code == .indexBusy }
        // Under another name: refused (a backup restores its own tenant).
        #expect { try dst.engine.restoreTenant("autre", from: backupDir) } throws: { ($0 as? EngineError)?.code == .validation }
    }

    @Test func forceReplacesATenantNobodyHolds() throws {
        let src = try TestEngine("backup-force")
        defer { src.close() }
        let t = try src.engine.createTenant("acme")
        t.load(upsertLine(.client, "cl_1", ["name": "Avant Sauvegarde"]))
        let dir = src.dir.path + "/b1"
        try src.engine.backupTenant("acme", to: dir)
        t.load(upsertLine(.client, "cl_2", ["name": "Après Sauvegarde"]))
        src.engine.shutdown()   // nobody holds the tenant now

        let other = try Engine(config: EngineConfig(dataDirectory: src.dir.path))
        defer { other.shutdown() }
        #expect { try other.restoreTenant("acme", from: dir) } throws: { ($0 as? EngineError)?.code == .tenantExists }
        let report = try other.restoreTenant("acme", from: dir, force: true)
        #expect(report.replaced && report.records == 1)
        let rt = try other.tenant("acme")
        #expect(try rt.get(RecordKey(kind: .client, id: "cl_1")) != nil)
        #expect(try rt.get(RecordKey(kind: .client, id: "cl_2")) == nil)
        #expect(try rt.search("sauvegarde").ids(.client) == ["cl_1"])
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: src.dir.path + "/tenants").filter { $0.hasPrefix(".") }
        #expect(leftovers.isEmpty)
    }

    @Test func aDamagedBackupIsRefusedAndNothingIsCreated() throws {
        let src = try TestEngine("backup-damaged")
        defer { src.close() }
        let t = try src.engine.createTenant("acme")
        t.load(upsertLine(.client, "cl_1", ["name": "Intacte"]))
        let dir = src.dir.path + "/b"
        try src.engine.backupTenant("acme", to: dir)
        let dst = try TestEngine("backup-damaged-dst")
        defer { dst.close() }

        // One byte changed in the store.
        let storePath = dir + "/store.sqlite"
        var bytes = try Data(contentsOf: URL(fileURLWithPath: storePath))
        bytes[bytes.count / 2] ^= 0x01
        try bytes.write(to: URL(fileURLWithPath: storePath))
        #expect { try dst.engine.restoreTenant("acme", from: dir) } throws: {
            ($0 as? EngineError)?.message.contains("store.sqlite") == true
        }
        // A manifest naming another file (a path) is refused before anything is read.
        let manifestPath = dir + "/manifest.json"
        let text = try String(contentsOfFile: manifestPath, encoding: .utf8)
        try text.replacingOccurrences(of: "\"system.json\"", with: "\"../../system.sqlite\"")
            .write(toFile: manifestPath, atomically: true, encoding: .utf8)
        #expect { try dst.engine.restoreTenant("acme", from: dir) } throws: { ($0 as? EngineError)?.code == .validation }
        #expect(throws: EngineError.self) { try dst.engine.restoreTenant("acme", from: dst.dir.path + "/nothing-here") }
        #expect(try !dst.engine.system.tenantExists("acme"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: dst.dir.path + "/tenants").isEmpty)
    }

    /// Hostile tenant names never reach a path: every entry point refuses them, and nothing
    /// is created outside (or inside) the data directory.
    @Test(arguments: ["../x", "a/b", "..", ".", "a\u{0}b", String(repeating: "a", count: 64), "café", "ACME", "", "x y", "/etc",
                      ".restore-acme", "acme\n"])
    func hostileTenantNames(_ name: String) throws {
        let env = try TestEngine("hostile")
        defer { env.close() }
        let e = env.engine
        func refused(_ body: () throws -> Void) {
            #expect { try body() } throws: { ($0 as? EngineError)?.code == .invalidTenantName }
        }
        refused { _ = try e.tenant(name) }
        refused { _ = try e.createTenant(name) }
        refused { _ = try e.openOrCreateTenant(name) }
        refused { try e.backupTenant(name, to: env.dir.path + "/out") }
        refused { try e.restoreTenant(name, from: env.dir.path + "/out") }
        #expect(throws: StoreError(.invalidTenantName)) { try e.system.createTenant(name) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: env.dir.path + "/tenants").isEmpty)
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: env.dir.path)).isSubset(of: ["tenants", "system.sqlite", "system.sqlite-wal", "system.sqlite-shm"]))
    }
}
