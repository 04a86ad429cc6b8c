import Foundation
import Hummingbird
import HummingbirdTesting
import Model
@testable import Server
import Testing

/// `POST /v1/duplicates` and the duplicate check of the creation routes (API.md "Duplicate
/// check before creation").
@Suite struct DuplicatesHTTPTests {
    @Test func changingAnIdentifierIntoAnothersIsAConflict() async throws {
        try await withServer { client, env in
            let k = env.acmeUser
            _ = try await client.call(.post, "/v1/clients", key: k,
                                      json: clientBody(id: "cl_a", name: "Alpha Conseil", email: "jean@alpha.fr", extra: #","siret":"73282932000074""#))
            let b = try await client.call(.post, "/v1/clients", key: k,
                                          json: clientBody(id: "cl_b", name: "Beta Traiteur", email: "paul@beta.fr", extra: #","city":"Nice""#))
            #expect(b.status == .created, "\(b.text)")
            // PATCH the SIRET into Alpha's: 409 naming Alpha; forced: 200.
            let p409 = try await client.call(.patch, "/v1/clients/cl_b", key: k, json: #"{"siret":"732 829 320 00074"}"#)
            expectProblem(p409, .conflict, type: "duplicate")
            #expect(p409.json["candidates"]?[0]?["id"]?.stringValue == "cl_a", "\(p409.text)")
            // A change that keeps the identifiers (a new name) is not checked.
            #expect(try await client.call(.patch, "/v1/clients/cl_b", key: k, json: #"{"name":"Beta Traiteur SAS"}"#).status == .ok)
            // PUT of a contact whose e-mail becomes Alpha's main contact's: 409.
            let beta = try await client.call(.get, "/v1/clients/cl_b", key: k)
            #expect(beta.status == .ok)
            let contacts = try await client.call(.get, "/v1/search?q=paul%40beta.fr", key: k)
            let paulId = try #require(hitIds(contacts.json, kind: "client_contact").first)
            // (The same person: a shared e-mail under two different names would only be reported.)
            let put = #"{"client_id":"cl_b","first_name":"Jean","last_name":"Dupont","email":"JEAN@alpha.fr","phone_direct":"0611111111","is_primary":true}"#
            let c409 = try await client.call(.put, "/v1/client-contacts/\(paulId)", key: k, json: put)
            expectProblem(c409, .conflict, type: "duplicate")
            #expect(try await client.call(.put, "/v1/client-contacts/\(paulId)?force=true", key: k, json: put).status == .ok)
            #expect(try await client.call(.patch, "/v1/clients/cl_b?force=true", key: k, json: #"{"siret":"73282932000074"}"#).status == .ok)
        }
    }

    @Test func checkCreateConflictAndForce() async throws {
        try await withServer { client, env in
            let k = env.acmeUser
            let created = try await client.call(.post, "/v1/clients", key: k,
                                                json: clientBody(id: "cl_edf", name: "Électricité de France", extra: #","siret":"552 081 317 66522""#))
            #expect(created.status == .created, "\(created.text)")

            // 200 with the candidates, best first.
            let r = try await client.call(.post, "/v1/duplicates", key: k,
                                          json: #"{"kind":"client","record":{"name":"EDF SA","siret":"55208131766522"}}"#)
            #expect(r.status == .ok, "\(r.text)")
            #expect(r.contentType?.hasPrefix("application/json") == true)
            let first = r.json["candidates"]?[0]
            #expect(first?["id"]?.stringValue == "cl_edf")
            #expect(first?["kind"]?.stringValue == "client")
            #expect((first?["score"]?.numberValue ?? 0) >= 0.85)
            #expect(first?["active"]?.boolValue == true)
            let reasons = first?["reasons"]?.arrayValue?.compactMap(\.stringValue) ?? []
            #expect(reasons.contains("siret") && reasons.contains("acronym"), "\(reasons)")

            // Nothing close: an empty list.
            let none = try await client.call(.post, "/v1/duplicates", key: k, json: #"{"kind":"partner","record":{"name":"Traiteur Zébulon"}}"#)
            #expect(none.status == .ok)
            #expect(none.json["candidates"]?.arrayValue?.isEmpty == true, "\(none.text)")

            // Other kinds → 400 naming kind; a record that is not an object → 400 naming record.
            expectProblem(try await client.call(.post, "/v1/duplicates", key: k, json: #"{"kind":"event","record":{"name":"X"}}"#),
                          .badRequest, type: "invalid-parameter", field: "kind")
            expectProblem(try await client.call(.post, "/v1/duplicates", key: k, json: #"{"record":{"name":"X"}}"#),
                          .badRequest, type: "invalid-parameter", field: "kind")
            expectProblem(try await client.call(.post, "/v1/duplicates", key: k, json: #"{"kind":"client","record":[1]}"#),
                          .badRequest, type: "invalid-parameter", field: "record")
            // No key → 401.
            #expect(try await client.call(.post, "/v1/duplicates", json: #"{"kind":"client","record":{}}"#).status == .unauthorized)

            // Creating the same company again: 409 duplicate with the candidates.
            let again = try await client.call(.post, "/v1/clients", key: k,
                                              json: clientBody(name: "EDF", email: "autre@edf.fr", extra: #","siret":"55208131766522""#))
            expectProblem(again, .conflict, type: "duplicate")
            #expect(again.json["candidates"]?[0]?["id"]?.stringValue == "cl_edf", "\(again.text)")
            // …and with ?force=true it is created.
            let forced = try await client.call(.post, "/v1/clients?force=true", key: k,
                                               json: clientBody(name: "EDF", email: "autre@edf.fr", extra: #","siret":"55208131766522""#))
            #expect(forced.status == .created, "\(forced.text)")

            // A contact: same e-mail as the main contact created above → 409; forced → 201.
            let contactId = created.json["main_contact"]?["id"]?.stringValue ?? "?"
            let dupContact = #"{"client_id":"cl_edf","first_name":"Jean","last_name":"DUPONT","email":" Jean.Dupont@Example.fr","phone_direct":"0611111111"}"#
            let c409 = try await client.call(.post, "/v1/client-contacts", key: k, json: dupContact)
            expectProblem(c409, .conflict, type: "duplicate")
            let ids = c409.json["candidates"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
            #expect(ids.contains(contactId), "\(c409.text)")
            #expect(try await client.call(.post, "/v1/client-contacts?force=true", key: k, json: dupContact).status == .created)

            // A different company is created without question; /v1/bulk is not checked.
            #expect(try await client.call(.post, "/v1/clients", key: k, json: clientBody(name: "Traiteur Zébulon", email: "z@zebulon.fr")).status == .created)
            let bulk = try await client.call(.post, "/v1/bulk", key: env.acmeAdmin,
                                             body: ByteBuffer(string: #"{"op":"upsert","type":"client","id":"cl_edf2","record":{"name":"EDF","siret":"55208131766522"}}"# + "\n"),
                                             headers: [.contentType: "application/x-ndjson"])
            #expect(bulk.status == .ok, "\(bulk.text)")
            #expect(bulk.json["upserted"]?.intValue == 1)
        }
    }
}
