import Foundation
import Testing
import Model
import Store

/// Closing a store while its list snapshots are being built in the background (the server's
/// shutdown after list queries): the builds stop or finish, nothing touches a closed
/// connection, and the store is closed when `close()` returns.
@Suite("Store close")
struct StoreCloseTests {
    @Test func closeWhileSnapshotsBuild() throws {
        let dir = tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/t.sqlite"
        do {
            let store = try TenantStore(path: path)
            try store.write { tx in
                for i in 0..<20_000 {
                    try tx.upsert(client("cl_\(i)", "Société \(i % 997) numéro \(i)"))
                    try tx.upsert(contact("ct_\(i)", of: "cl_\(i)", "Nom\(i % 313)"))
                }
            }
            #expect(try store.close())
        }
        for round in 0..<12 {
            let store = try TenantStore(path: path)
            // One build running; another asked for while the close waits for the first
            // (what crashed in SQLite before the store's accesses were gated).
            store.prepareLists([.clients])
            usleep(useconds_t(5_000 + 3_000 * round))
            DispatchQueue.global().asyncAfter(deadline: .now() + .milliseconds(round % 4)) {
                store.prepareLists([.contacts])
                _ = try? store.count(kind: .clientContact)
            }
            #expect(try store.close())
            #expect(throws: (any Error).self) { _ = try store.count(kind: .client) }
            usleep(50_000)
        }
        // Still readable afterwards (nothing was damaged).
        let store = try TenantStore(path: path)
        #expect(try store.count(kind: .client) == 20_000)
        try store.close()
    }
}
