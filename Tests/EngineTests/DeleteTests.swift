import Engine
import Foundation
import Model
import Store
import Testing

// Properties guaranteed by this file (issue 2, items 6 and 8; API.md "Records one by one",
// "Bulk load"):
//
//  1. Deleting a record removes it from the store, from the change log once the index has
//     applied it, and from the index: no search finds it and the document count drops by one.
//  2. A company that still has contacts (or events) cannot be deleted; a company's main contact
//     cannot be deleted while the company exists. A refused delete changes nothing.
//  3. Bulk `delete` lines are applied like single deletes, counted in `deleted`; a refused line
//     is reported by its line number and the other lines still apply; children deleted before
//     their company in the same bulk let the company go too.
//  4. A deleted id can be created again and is then found exactly once.

@Suite("Deleting records") struct DeleteTests {
    static let data = [
        upsertLine(.client, "c-kal", ["name": "Kalista", "city": "Nantes", "siret": "79012345900014"]),
        upsertLine(.clientContact, "cc-1", ["client_id": "c-kal", "first_name": "Paul", "last_name": "Martin",
                                            "email": "paul.martin@kalista.fr", "is_primary": true]),
        upsertLine(.clientContact, "cc-2", ["client_id": "c-kal", "first_name": "Léa", "last_name": "Roussillon",
                                            "email": "lea.roussillon@kalista.fr", "phone_mobile": "06 11 22 33 44"]),
        upsertLine(.event, "ev-1", ["client_id": "c-kal", "name": "Séminaire Horizon", "reference": "EV-2025-00042"]),
        upsertLine(.partner, "p-sono", ["name": "Sonorisation Dubreuil"]),
        upsertLine(.product, "pr-1", ["partner_id": "p-sono", "name": "Pack lumière", "reference": "PRD-00123"]),
        upsertLine(.client, "c-solo", ["name": "Orbite Conseil"]),
    ].joined(separator: "\n")

    static func setUp(_ label: String) throws -> (TestEngine, Tenant) {
        let e = try TestEngine(label)
        let t = try e.engine.createTenant(label)
        t.load(data)
        return (e, t)
    }

    static func storePath(_ e: TestEngine, _ tenant: String) -> String { e.dir.path + "/tenants/\(tenant)/store.sqlite" }

    @Test func deleteRemovesFromStoreChangeLogAndIndex() throws {
        let (e, t) = try Self.setUp("delete")
        defer { e.close() }
        let before = try t.indexStatus()
        #expect(before.documents == 7)
        #expect(try t.search("roussillon").ids(.clientContact) == ["cc-2"])

        let key = RecordKey(kind: .clientContact, id: "cc-2")
        let w = try t.delete(key)
        #expect(w.seq > before.storeSeq)
        t.settle(w)

        #expect(try t.get(key) == nil, "gone from the store")
        #expect(try t.recordCount(.clientContact) == 1)
        let store = try TenantStore(path: Self.storePath(e, "delete"))
        #expect(try eventually(timeout: 5) { try store.changeCount() == 0 }, "the change log is pruned once the index applied the delete")
        #expect(try store.lastSeq() == w.seq)
        let after = try t.indexStatus()
        #expect(after.documents == before.documents - 1, "one document fewer")
        #expect(after.indexSeq == after.storeSeq)
        for q in ["roussillon", "lea roussillon", "lea.roussillon@kalista.fr", "06 11 22 33 44", "3344", "kalista roussillon", "roussilon"] {
            let r = try t.search(q, limit: 50, inactive: .include)
            #expect(!r.tabs.flatMap(\.groups).flatMap(\.hits).contains { $0.id == "cc-2" }, "\(q.debugDescription) still finds the deleted contact")
            #expect(r.group(.clientContact).total == 0, "\(q.debugDescription): \(r.totals)")
        }
        // The rest is untouched.
        #expect(try t.search("kalista").ids(.clientContact) == ["cc-1"])

        // Deleting again: not found.
        #expect { try t.delete(key) } throws: { ($0 as? EngineError)?.code == .notFound }
    }

    @Test func deletingEachKind() throws {
        let (e, t) = try Self.setUp("kinds")
        defer { e.close() }
        let cases: [(RecordKey, String, RecordKind)] = [
            (RecordKey(kind: .event, id: "ev-1"), "EV-2025-00042", .event),
            (RecordKey(kind: .product, id: "pr-1"), "PRD-00123", .product),
            (RecordKey(kind: .client, id: "c-solo"), "orbite", .client),
        ]
        var docs = try t.indexStatus().documents
        for (key, query, kind) in cases {
            #expect(try t.search(query).ids(kind) == [key.id])
            t.settle(try t.delete(key))
            #expect(try t.search(query, inactive: .include).group(kind).total == 0, "\(key) still found by \(query)")
            docs -= 1
            #expect(try t.indexStatus().documents == docs)
        }
    }

    @Test func deletingACompanyWithContactsIsRefused() throws {
        let (e, t) = try Self.setUp("refused")
        defer { e.close() }
        let seq = try t.indexStatus().storeSeq
        let company = RecordKey(kind: .client, id: "c-kal")
        #expect { try t.delete(company) } throws: { ($0 as? EngineError)?.code == .conflict }
        #expect(try t.get(company) != nil)
        #expect(try t.indexStatus().storeSeq == seq, "a refused delete writes nothing")
        #expect(try t.search("kalista").ids(.client) == ["c-kal"])
        // A partner with a product is refused too.
        #expect { try t.delete(RecordKey(kind: .partner, id: "p-sono")) } throws: { ($0 as? EngineError)?.code == .conflict }
    }

    @Test func deletingAMainContactIsRefused() throws {
        let (e, t) = try Self.setUp("main")
        defer { e.close() }
        let main = RecordKey(kind: .clientContact, id: "cc-1")
        #expect { try t.delete(main) } throws: { ($0 as? EngineError)?.code == .conflict }
        #expect(try t.get(main) != nil)
        #expect(try t.search("paul martin").ids(.clientContact) == ["cc-1"])
        // Once another contact is the main one, the former one can go.
        t.settle(try t.patch(RecordKey(kind: .clientContact, id: "cc-2"), mergePatch: ["is_primary": .bool(true)]))
        #expect(try t.get(main)?.bool("is_primary") == false, "setting a main contact clears the other")
        t.settle(try t.delete(main))
        #expect(try t.search("paul martin").group(.clientContact).total == 0)
    }

    @Test func bulkDeleteLines() throws {
        let (e, t) = try Self.setUp("bulkdel")
        defer { e.close() }
        let docs = try t.indexStatus().documents
        let body = [
            deleteLine(.clientContact, "cc-2"),     // 1: applied
            deleteLine(.client, "c-kal"),           // 2: refused, it still has cc-1 and ev-1
            "",                                     // 3: blank lines count as lines
            deleteLine(.product, "pr-1"),           // 4: applied
            deleteLine(.event, "ev-unknown"),       // 5: nothing to delete
        ].joined(separator: "\n")
        let r = t.bulk(ndjson: Data(body.utf8))
        #expect(r.deleted == 2)
        #expect(r.upserted == 0)
        #expect(r.errors.map(\.line) == [2], "\(r.errors)")
        #expect(t.waitForIndexBlocking(r.lastSeq, timeout: 30))
        #expect(try t.indexStatus().documents == docs - 2)
        #expect(try t.search("roussillon").grandTotal == 0)
        #expect(try t.search("PRD-00123").grandTotal == 0)
        #expect(try t.search("kalista").ids(.client) == ["c-kal"])

        // Children first, then the company, in one bulk: all go (the sync path may delete a main contact).
        let all = [deleteLine(.event, "ev-1"), deleteLine(.clientContact, "cc-1"), deleteLine(.client, "c-kal")].joined(separator: "\n")
        let r2 = t.bulk(ndjson: Data(all.utf8))
        #expect(r2.deleted == 3 && r2.errors.isEmpty, "\(r2.errors)")
        #expect(t.waitForIndexBlocking(r2.lastSeq, timeout: 30))
        #expect(try t.search("kalista", inactive: .include).grandTotal == 0)
        #expect(try t.indexStatus().documents == docs - 5)
        #expect(try t.recordCount(.client) == 1 && t.recordCount(.clientContact) == 0)
    }

    @Test func aDeletedIdCanComeBack() throws {
        let (e, t) = try Self.setUp("again")
        defer { e.close() }
        t.settle(try t.delete(RecordKey(kind: .clientContact, id: "cc-2")))
        t.load(upsertLine(.clientContact, "cc-2", ["client_id": "c-kal", "first_name": "Léa", "last_name": "Roussillon"]))
        let r = try t.search("roussillon", limit: 50)
        #expect(r.ids(.clientContact) == ["cc-2"], "found exactly once")
        #expect(r.group(.clientContact).total == 1)
        #expect(try t.indexStatus().documents == 7)
    }
}
