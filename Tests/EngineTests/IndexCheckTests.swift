import Engine
import Foundation
import Model
import Testing
import XapianKit

/// `labsearch check`: the store and the index agree after loads, updates and deletions; a
/// document removed, altered or added behind the engine's back is reported by kind and id, and
/// `repair` makes them agree again (and the record findable).
@Suite("Index check") struct IndexCheckTests {
    @Test func agreesThenFindsAndRepairsWhatWasTamperedWith() throws {
        let dir = try TempDirectory("index-check")
        defer { dir.remove() }
        var engine = try Engine(config: EngineConfig(dataDirectory: dir.path))
        var t = try engine.createTenant("t")
        t.load([
            upsertLine(.client, "c1", ["name": "Zéphyr Événements", "city": "Lyon"]),
            upsertLine(.client, "c2", ["name": "Brocéliande Traiteur", "city": "Rennes"]),
            upsertLine(.client, "c3", ["name": "Ondine Voyages"]),
            upsertLine(.clientContact, "p1", ["client_id": "c1", "first_name": "Jeanne", "last_name": "Martel"]),
        ].joined(separator: "\n"))
        t.load(upsertLine(.client, "c2", ["name": "Brocéliande Réceptions", "city": "Rennes"]) + "\n" + deleteLine(.client, "c3"))
        let clean = try t.checkIndex()
        #expect(clean.agrees, "\(clean)")
        #expect(clean.storeRecords == 3 && clean.indexDocuments == 3)

        // Behind the engine's back: c1's document deleted, p1's replaced by another text, a
        // document with no record added.
        let docids = try t.search("Zéphyr", limit: 5).group(.client).hits.count
        #expect(docids == 1)
        engine.shutdown()
        let root = dir.path + "/tenants/t/index/"
        let generation = try String(contentsOfFile: root + "CURRENT", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        do {
            let w = try WritableDatabase(path: root + generation, mode: .createOrOpen)
            let r = try Database(path: root + generation)
            let ids = try r.docids()
            r.close()
            #expect(ids.count == 3)
            // Document ids are per-kind ranges: the client range comes first, contacts after.
            try w.deleteDocument(docid: ids[0])
            var other = PackedDocument()
            other.addTerm(Array("xyzzy".utf8), wdf: 1)
            try w.replaceDocument(docid: ids[2], other)
            try w.replaceDocument(docid: ids[2] + 7, other)
            try w.commit()
            try w.close()
        }
        engine = try Engine(config: EngineConfig(dataDirectory: dir.path))
        defer { engine.shutdown() }
        t = try engine.tenant("t")
        let found = try t.checkIndex()
        #expect(!found.agrees)
        #expect(found.missing.map(\.id) == ["c1"], "\(found)")
        #expect(found.stale.map(\.id) == ["p1"], "\(found)")
        #expect(found.extra.count == 1, "\(found)")
        #expect(try t.search("Zéphyr", limit: 5).group(.client).hits.isEmpty)

        let repaired = try t.checkIndex(repair: true)
        #expect(repaired.repaired == 3)
        let after = try t.checkIndex()
        #expect(after.agrees, "\(after)")
        #expect(try t.search("Zéphyr", limit: 5).first(.client) == "c1")
        #expect(try t.search("Martel", limit: 5).first(.clientContact) == "p1")
    }
}
