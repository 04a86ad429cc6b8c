import Foundation
import GRDB
import Model
import Store
import Testing

/// A store whose list tables came from v3 (no row versions) gains them on open, and its lists
/// answer from the in-memory snapshot as from SQL, before and after a write.
@Suite("List versions migration")
struct ListVersionMigrationTests {
    @Test func aV3StoreGainsRowVersionsAndItsListsAgree() throws {
        let path = tempDir() + "/t.sqlite"
        do {
            let store = try TenantStore(path: path)
            try store.write { tx in
                _ = try tx.upsert(client("c1", "Zèbre"))
                _ = try tx.upsert(client("c2", "Émeraude"))
                _ = try tx.upsert(contact("p1", of: "c1", "Martel"))
            }
            try store.close()
        }
        // Back to v3: no version column, no tombstones, v4 not applied.
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in
            for list in ListName.allCases {
                let t = "list_" + list.kind.rawValue
                try db.execute(sql: "DROP INDEX \(t)_version; ALTER TABLE \(t) DROP COLUMN k_version")
            }
            try db.execute(sql: "DROP TABLE list_tombstones; DELETE FROM grdb_migrations WHERE identifier = 'v4-list-versions'")
        }
        try queue.close()

        let store = try TenantStore(path: path)
        defer { try? store.close() }
        func names(_ engine: ListEngine) throws -> [String] {
            var q = ListSQLQuery(list: .clients, sort: [ListSortKey(column: "name", descending: false)],
                                 columns: [ListName.clients.column("name")!])
            q.engine = engine
            let r = try store.list(q)
            if engine == .memory { #expect(r.fromMemory) }
            return r.rows.map(\.id)
        }
        #expect(try names(.sql) == ["c2", "c1"])
        #expect(try names(.memory) == ["c2", "c1"])
        // A write after the snapshot (the overlay) and a deletion (a tombstone).
        try store.write { tx in
            _ = try tx.upsert(client("c3", "Abeille"))
            _ = try tx.delete(RecordKey(kind: .client, id: "c1"))
        }
        #expect(try names(.sql) == ["c3", "c2"])
        #expect(try names(.memory) == ["c3", "c2"])
    }
}
