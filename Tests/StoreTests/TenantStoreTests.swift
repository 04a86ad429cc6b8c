import Foundation
import Testing
import Model
import Store

func tempDir() -> String {
    let dir = NSTemporaryDirectory() + "labsearch-store-tests-" + UUID().uuidString
    try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    return dir
}

struct TestFailure: Error {}

func client(_ id: String, _ name: String, active: Bool = true, parent: String? = nil) -> Model.Record {
    var f: [String: JSONValue] = ["name": .string(name), "active": .bool(active), "country": "FR"]
    if let parent { f["parent_id"] = .string(parent) }
    return Model.Record(kind: .client, id: id, fields: f)
}

func contact(_ id: String, of company: String, _ last: String) -> Model.Record {
    Model.Record(kind: .clientContact, id: id, fields: ["client_id": .string(company), "last_name": .string(last), "active": true])
}

@Suite("Tenant store")
struct TenantStoreTests {
    let dir = tempDir()
    var path: String { dir + "/t.sqlite" }

    @Test func roundTrip() throws {
        let store = try TenantStore(path: path)
        let rec = Model.Record(kind: .client, id: "cl_1", fields: [
            "name": "L’Oréal \"Paris\"", "active": true, "siret": "73282932000074", "country": "FR",
            "billing_addresses": [["city": "Paris", "is_default": true]], "custom_fields": ["VIP": true, "Effectif": 1200, "Note": 4.5],
        ])
        let seq = try store.write { try $0.upsert(rec) }
        #expect(seq == 1)
        #expect(try store.record(rec.key) == rec)
        #expect(try store.record(RecordKey(kind: .partner, id: "cl_1")) == nil)
        #expect(try store.count(kind: .client) == 1)
        // Replace keeps one row and logs a second change.
        var rec2 = rec
        rec2.fields["name"] = "L'Oréal"
        rec2.fields["siret"] = nil
        #expect(try store.write { try $0.upsert(rec2) } == 2)
        #expect(try store.record(rec.key) == rec2)
        #expect(try store.count(kind: .client) == 1)
        // Reopen.
        try store.close()
        let again = try TenantStore(path: path)
        #expect(try again.record(rec.key) == rec2)
        #expect(try again.lastSeq() == 2)
        #expect(try again.changes(after: 0, limit: 10).map(\.op) == [.upsert, .upsert])
    }

    @Test func deleteAndChanges() throws {
        let store = try TenantStore(path: path)
        try store.write { tx in
            try tx.upsert(client("cl_1", "A"))
            try tx.upsert(client("cl_2", "B"))
        }
        #expect(try store.write { try $0.delete(RecordKey(kind: .client, id: "cl_1")) } == 3)
        #expect(try store.write { try $0.delete(RecordKey(kind: .client, id: "cl_1")) } == nil)
        let ch = try store.changes(after: 0, limit: 100)
        // Every change carries its record's document id, the delete too (its row is gone).
        #expect(ch == [
            Change(seq: 1, key: RecordKey(kind: .client, id: "cl_1"), op: .upsert, docid: 1),
            Change(seq: 2, key: RecordKey(kind: .client, id: "cl_2"), op: .upsert, docid: 2),
            Change(seq: 3, key: RecordKey(kind: .client, id: "cl_1"), op: .delete, docid: 1),
        ])
        #expect(try store.changes(after: 1, limit: 1).map(\.seq) == [2])
        #expect(try store.record(RecordKey(kind: .client, id: "cl_1")) == nil)
    }

    @Test func documentIdsLiveInTheirKindsRangeAndAreNeverReused() throws {
        let store = try TenantStore(path: path)
        try store.write { tx in
            try tx.upsert(client("cl_1", "A"))
            try tx.upsert(contact("cc_1", of: "cl_1", "Martin"))
            try tx.upsert(client("cl_2", "B"))
        }
        var stored = try store.storedRecords([RecordKey(kind: .client, id: "cl_1"), RecordKey(kind: .client, id: "cl_2"),
                                              RecordKey(kind: .clientContact, id: "cc_1")])
        #expect(stored[RecordKey(kind: .client, id: "cl_1")]?.docid == 1)
        #expect(stored[RecordKey(kind: .client, id: "cl_2")]?.docid == 2)
        #expect(stored[RecordKey(kind: .clientContact, id: "cc_1")]?.docid == RecordKind.clientContact.docidBase + 1)
        #expect(RecordKind.of(docid: RecordKind.clientContact.docidBase + 1) == .clientContact)
        #expect(RecordKind.of(docid: 2) == .client)
        // An update keeps the id; the last change's seq is kept with the row.
        try store.write { try $0.upsert(client("cl_1", "A2")) }
        stored = try store.storedRecords([RecordKey(kind: .client, id: "cl_1")])
        #expect(stored[RecordKey(kind: .client, id: "cl_1")]?.docid == 1)
        #expect(stored[RecordKey(kind: .client, id: "cl_1")]?.seq == 4)
        // The highest id deleted is not given again, even after a reopen.
        try store.write { tx in
            try tx.delete(RecordKey(kind: .clientContact, id: "cc_1"))
            try tx.delete(RecordKey(kind: .client, id: "cl_2"))
        }
        try store.close()
        let again = try TenantStore(path: path)
        try again.write { try $0.upsert(client("cl_3", "C")) }
        #expect(try again.storedRecords([RecordKey(kind: .client, id: "cl_3")])[RecordKey(kind: .client, id: "cl_3")]?.docid == 3)
        #expect(try again.childrenWithSeq(of: RecordKey(kind: .client, id: "cl_1")).isEmpty)
    }

    @Test func seqMonotonicAfterPrune() throws {
        let store = try TenantStore(path: path)
        #expect(try store.lastSeq() == 0)
        for i in 1...5 { try store.write { try $0.upsert(client("cl_\(i)", "C\(i)")) } }
        try store.pruneChanges(through: 5)
        #expect(try store.changes(after: 0, limit: 10).isEmpty)
        #expect(try store.lastSeq() == 5)
        try store.close()
        // Still monotonic after a reopen with an empty log.
        let again = try TenantStore(path: path)
        #expect(try again.lastSeq() == 5)
        let s = try again.write { try $0.touch(RecordKey(kind: .client, id: "cl_1")) }
        #expect(s == 6)
        try again.pruneChanges(through: 3)   // nothing left below 6: no-op
        #expect(try again.changes(after: 0, limit: 10).map(\.seq) == [6])
    }

    @Test func transactionIsAtomic() throws {
        let store = try TenantStore(path: path)
        #expect(throws: TestFailure.self) {
            try store.write { tx in
                try tx.upsert(client("cl_1", "A"))
                throw TestFailure()
            }
        }
        #expect(try store.record(RecordKey(kind: .client, id: "cl_1")) == nil)
        #expect(try store.lastSeq() == 0)
    }

    @Test func savepointRollsBackOneLine() throws {
        let store = try TenantStore(path: path)
        var failures = 0
        let seqs: [Int64] = try store.write { tx in
            var seqs: [Int64] = []
            for i in 1...5 {
                do {
                    let s = try tx.savepoint { () throws -> Int64 in
                        let s = try tx.upsert(client("cl_\(i)", "C\(i)"))
                        try tx.upsert(contact("cc_\(i)", of: "cl_\(i)", "D\(i)"))
                        if i == 3 { throw TestFailure() }   // the whole line rolls back
                        return s
                    }
                    seqs.append(s)
                } catch is TestFailure {
                    failures += 1
                }
            }
            return seqs
        }
        #expect(failures == 1)
        #expect(try store.count(kind: .client) == 4)
        #expect(try store.count(kind: .clientContact) == 4)
        #expect(try store.record(RecordKey(kind: .client, id: "cl_3")) == nil)
        #expect(try store.record(RecordKey(kind: .clientContact, id: "cc_3")) == nil)
        let logged = try store.changes(after: 0, limit: 100)
        #expect(logged.count == 8)
        #expect(!logged.contains { $0.key.id.hasSuffix("_3") })
        #expect(seqs.count == 4)
        // Seqs are strictly increasing (a rolled-back seq may be reused, never reordered).
        #expect(logged.map(\.seq) == logged.map(\.seq).sorted())
    }

    @Test func nestedSavepoints() throws {
        let store = try TenantStore(path: path)
        try store.write { tx in
            try tx.savepoint {
                try tx.upsert(client("cl_1", "A"))
                _ = try? tx.savepoint { () throws -> Void in
                    try tx.upsert(client("cl_2", "B"))
                    throw TestFailure()
                }
            }
        }
        #expect(try store.count(kind: .client) == 1)
    }

    @Test func childrenQueries() throws {
        let store = try TenantStore(path: path)
        try store.write { tx in
            try tx.upsert(client("cl_1", "Mère"))
            try tx.upsert(client("cl_2", "Fille", parent: "cl_1"))
            try tx.upsert(contact("cc_b", of: "cl_1", "Martin"))
            try tx.upsert(contact("cc_a", of: "cl_1", "Durand"))
            try tx.upsert(contact("cc_c", of: "cl_2", "Petit"))
            try tx.upsert(Model.Record(kind: .event, id: "ev_1", fields: ["name": "Salon", "client_id": "cl_1"]))
            try tx.upsert(Model.Record(kind: .partner, id: "pa_1", fields: ["name": "Traiteur", "active": true]))
            try tx.upsert(Model.Record(kind: .product, id: "pr_1", fields: ["name": "Cocktail", "partner_id": "pa_1"]))
            try tx.upsert(Model.Record(kind: .partnerContact, id: "pc_1", fields: ["partner_id": "pa_1", "active": true]))
            // A child that arrives before its parent (sync order).
            try tx.upsert(contact("cc_z", of: "cl_9", "Orphelin"))
        }
        #expect(try store.children(of: RecordKey(kind: .client, id: "cl_1")) == [
            RecordKey(kind: .clientContact, id: "cc_a"), RecordKey(kind: .clientContact, id: "cc_b"),
            RecordKey(kind: .event, id: "ev_1"), RecordKey(kind: .client, id: "cl_2"),
        ])
        #expect(try store.children(of: RecordKey(kind: .partner, id: "pa_1")) == [
            RecordKey(kind: .partnerContact, id: "pc_1"), RecordKey(kind: .product, id: "pr_1"),
        ])
        #expect(try store.children(of: RecordKey(kind: .client, id: "cl_9")) == [RecordKey(kind: .clientContact, id: "cc_z")])
        #expect(try store.children(of: RecordKey(kind: .event, id: "ev_1")).isEmpty)
        #expect(try store.contacts(ofCompany: RecordKey(kind: .client, id: "cl_1")).map(\.id) == ["cc_a", "cc_b"])
        // Same id, other kind: a partner "cl_1" has no children.
        #expect(try store.children(of: RecordKey(kind: .partner, id: "cl_1")).isEmpty)
        try store.write { tx in
            #expect(try tx.hasChildren(RecordKey(kind: .client, id: "cl_2")))
            #expect(try tx.hasContacts(RecordKey(kind: .client, id: "cl_2")))
            #expect(try !tx.hasChildren(RecordKey(kind: .partner, id: "pa_2")))
            #expect(try tx.exists(RecordKey(kind: .product, id: "pr_1")))
            #expect(try !tx.exists(RecordKey(kind: .product, id: "pr_2")))
            #expect(try tx.contacts(ofCompany: RecordKey(kind: .partner, id: "pa_1")).map(\.id) == ["pc_1"])
            // Moving a contact to another company updates the index columns.
            try tx.upsert(contact("cc_c", of: "cl_1", "Petit"))
            #expect(try !tx.hasContacts(RecordKey(kind: .client, id: "cl_2")))
        }
        let many = try store.records([RecordKey(kind: .client, id: "cl_1"), RecordKey(kind: .event, id: "ev_1"), RecordKey(kind: .event, id: "nope")])
        #expect(Set(many.keys) == [RecordKey(kind: .client, id: "cl_1"), RecordKey(kind: .event, id: "ev_1")])
    }

    @Test func forEachRecordInStableOrder() throws {
        let store = try TenantStore(path: path)
        try store.write { tx in for i in 0..<25 { try tx.upsert(client("cl_\(i)", "C\(i)")) } }
        // An update keeps the row's place.
        try store.write { try $0.upsert(client("cl_0", "Renamed")) }
        var seen: [String] = []
        var batches = 0
        try store.forEachRecord(batchSize: 10) { batch in
            batches += 1
            seen += batch.map(\.id)
        }
        #expect(batches == 3)
        #expect(seen == (0..<25).map { "cl_\($0)" })
    }

    @Test func metaAndClosedTransaction() throws {
        let store = try TenantStore(path: path)
        #expect(try store.meta("index_fingerprint") == nil)
        try store.setMeta("index_fingerprint", "abc")
        try store.setMeta("index_fingerprint", "def")
        #expect(try store.meta("index_fingerprint") == "def")
        var escaped: StoreTransaction?
        try store.write { escaped = $0 }
        #expect(throws: StoreError(.transactionClosed)) { try escaped!.upsert(client("cl_1", "A")) }
    }

    @Test func backupIsAConsistentCopy() throws {
        let store = try TenantStore(path: path)
        try store.write { try $0.upsert(client("cl_1", "A")) }
        try store.backup(to: dir + "/copy.sqlite")
        let copy = try TenantStore(path: dir + "/copy.sqlite")
        #expect(try copy.record(RecordKey(kind: .client, id: "cl_1"))?.string("name") == "A")
        #expect(try copy.lastSeq() == 1)
    }

    @Test func activeFlagColumn() throws {
        let store = try TenantStore(path: path)
        try store.write { tx in
            try tx.upsert(client("cl_1", "A", active: false))
        }
        #expect(try store.record(RecordKey(kind: .client, id: "cl_1"))?.isActive == false)
    }

    @Test func concurrentWritersFromTwoConnections() async throws {
        // Two stores on the same file (the CLI and the server): writes serialize, seqs stay unique.
        let a = try TenantStore(path: path)
        let b = try TenantStore(path: path)
        async let x: [Int64] = Task.detached { try (0..<50).map { i in try a.write { try $0.upsert(client("a_\(i)", "A")) } } }.value
        async let y: [Int64] = Task.detached { try (0..<50).map { i in try b.write { try $0.upsert(client("b_\(i)", "B")) } } }.value
        let all = try await x + y
        #expect(Set(all).count == 100)
        #expect(try a.lastSeq() == 100)
        #expect(try b.count(kind: .client) == 100)
    }

    /// Batches of 1,000 upserts, with and without a savepoint per line, keep and read back
    /// every record (throughput is the benchmarks' business: benchmarks/README.md).
    @Test func bulkUpsertsInBatchesKeepEveryRecord() throws {
        let n = 5000
        let records = (0..<n).map { i in
            Model.Record(kind: .clientContact, id: "cc_\(i)", fields: [
                "client_id": .string("cl_\(i % 100)"), "first_name": "Jean", "last_name": .string("Dupont\(i)"),
                "email": .string("jean.dupont\(i)@exemple.fr"), "phone_mobile": "+33612345678", "active": true,
                "is_primary": false, "opt_in": true, "position": "Directeur commercial", "source": "Salon",
            ])
        }
        for (label, savepoints) in [("raw", false), ("savepoint per line", true)] {
            let store = try TenantStore(path: dir + "/bench-\(savepoints).sqlite")
            for chunk in stride(from: 0, to: n, by: 1000) {
                try store.write { tx in
                    for r in records[chunk..<min(n, chunk + 1000)] {
                        if savepoints { try tx.savepoint { try tx.upsert(r) } } else { try tx.upsert(r) }
                    }
                }
            }
            #expect(try store.count(kind: .clientContact) == n, "\(label)")
            var read = Set<String>()
            try store.forEachRecord(batchSize: 1000) { for r in $0 { read.insert(r.id) } }
            #expect(read == Set(records.map(\.id)), "\(label)")
        }
    }
}
