import Engine
import Foundation
import Model
import Testing

/// The engine end to end on a real store and a real Xapian index in a temp directory.
@Suite struct SmokeTests {
    @Test func createThenFind() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("ls-smoke-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let engine = try Engine(config: EngineConfig(dataDirectory: dir))
        defer { engine.shutdown() }
        let t = try engine.createTenant("t1")
        let r = try t.create(kind: .client, body: [
            "name": .string("Électricité de France"), "siret": .string("552 081 317 66522"), "city": .string("Paris"),
            "main_contact": .object(["first_name": .string("Jean-François"), "last_name": .string("Lefèvre"),
                                     "email": .string("jf.lefevre@edf.fr"), "phone_direct": .string("06 12 34 56 78")]),
        ])
        #expect(await t.waitForIndex(r.seq, timeout: 10))
        let hits = try t.search(SearchRequest(query: "electricite"))
        #expect(hits.tabs[0].groups[0].hits.first?.title == "Électricité de France")
        let byPhone = try t.search(SearchRequest(query: "0612345678"))
        #expect(byPhone.tabs[0].groups[1].hits.first?.title == "Jean-François Lefèvre")
    }
}
