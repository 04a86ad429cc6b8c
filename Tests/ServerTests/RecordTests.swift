import Foundation
import Hummingbird
import HummingbirdTesting
import Model
@testable import Server
import Testing

/// Records one by one (all six collections): status codes, `Location`, `LabSearch-Seq`, the
/// creation rules, merge patches, conflicts, and read-your-writes.
@Suite struct RecordTests {
    @Test func clientLifecycle() async throws {
        try await withServer { client, env in
            let k = env.acmeUser
            let created = try await client.call(.post, "/v1/clients", key: k,
                                                json: clientBody(id: "cl_1", name: "Dupont Événements", extra: #","siret":"552 081 317 00018""#))
            #expect(created.status == .created, "\(created.text)")
            #expect(created.headers[.location] == "/v1/clients/cl_1")
            #expect(Int(created.headers[.labSearchSeq] ?? "") ?? 0 > 0)
            #expect(created.json["name"]?.stringValue == "Dupont Événements")
            #expect(created.json["siret"]?.stringValue == "55208131700018")   // stored normalized
            #expect(created.json["country"]?.stringValue == "FR")
            let contact = created.json["main_contact"]
            #expect(contact?["client_id"]?.stringValue == "cl_1")
            #expect(contact?["is_primary"]?.boolValue == true)
            #expect(contact?["phone_direct"]?.stringValue == "+33612345678")

            let got = try await client.call(.get, "/v1/clients/cl_1", key: k)
            #expect(got.status == .ok)
            #expect(got.json["id"]?.stringValue == "cl_1")

            // Same id again: 409 id-exists.
            expectProblem(try await client.call(.post, "/v1/clients", key: k, json: clientBody(id: "cl_1", name: "Autre")), .conflict, type: "id-exists")

            // PUT replaces the whole record.
            let put = try await client.call(.put, "/v1/clients/cl_1", key: k, json: #"{"name":"Dupont & Fils","city":"Paris"}"#)
            #expect(put.status == .ok, "\(put.text)")
            #expect(put.json["city"]?.stringValue == "Paris")
            #expect(put.json["siret"] == nil)
            #expect(put.headers[.labSearchSeq] != nil)

            // PATCH merges; null clears.
            let patch = try await client.call(.patch, "/v1/clients/cl_1", key: k, json: #"{"website":"https://dupont.fr","city":null}"#,
                                              headers: [.contentType: "application/merge-patch+json"])
            #expect(patch.status == .ok, "\(patch.text)")
            #expect(patch.json["website"]?.stringValue != nil)
            #expect(patch.json["city"] == nil)
            #expect(patch.json["name"]?.stringValue == "Dupont & Fils")

            // A company with contacts cannot be deleted; its main contact neither.
            expectProblem(try await client.call(.delete, "/v1/clients/cl_1", key: k), .conflict, type: "conflict")
            let contactId = contact?["id"]?.stringValue ?? "?"
            expectProblem(try await client.call(.delete, "/v1/client-contacts/\(contactId)", key: k), .conflict, type: "conflict")

            // Unknown ids.
            expectProblem(try await client.call(.get, "/v1/clients/cl_nope", key: k), .notFound, type: "not-found")
            expectProblem(try await client.call(.put, "/v1/clients/cl_nope", key: k, json: #"{"name":"X"}"#), .notFound, type: "not-found")
            expectProblem(try await client.call(.patch, "/v1/clients/cl_nope", key: k, json: #"{"name":"X"}"#), .notFound, type: "not-found")
            expectProblem(try await client.call(.delete, "/v1/clients/cl_nope", key: k), .notFound, type: "not-found")
            // An id outside the pattern cannot exist.
            expectProblem(try await client.call(.get, "/v1/clients/%3Cscript%3E", key: k), .notFound, type: "not-found")
        }
    }

    @Test func allSixCollections() async throws {
        try await withServer { client, env in
            let k = env.acmeUser
            #expect(try await client.call(.post, "/v1/clients", key: k, json: clientBody(id: "c1", name: "Client Un")).status == .created)
            let partner = try await client.call(.post, "/v1/partners", key: k, json: #"""
                {"id":"p1","name":"Traiteur Martin","category":"Traiteur","main_contact":{"first_name":"Paul","last_name":"Martin","email":"paul@traiteur.fr","phone_direct":"0145454545"}}
                """#)
            #expect(partner.status == .created, "\(partner.text)")
            #expect(partner.headers[.location] == "/v1/partners/p1")
            let pc = try await client.call(.post, "/v1/partner-contacts", key: k, json: #"""
                {"id":"pc2","partner_id":"p1","first_name":"Anne","last_name":"Roy","email":"anne@traiteur.fr","phone_direct":"0145454546"}
                """#)
            #expect(pc.status == .created, "\(pc.text)")
            #expect(pc.headers[.location] == "/v1/partner-contacts/pc2")
            // A contact created with its client.
            let cc = try await client.call(.post, "/v1/client-contacts", key: k, json: #"""
                {"id":"cc9","first_name":"Léa","last_name":"Petit","email":"lea@petit.fr","phone_direct":"0611111111","client":{"id":"c9","name":"Petit SAS"}}
                """#)
            #expect(cc.status == .created, "\(cc.text)")
            #expect(cc.json["client_id"]?.stringValue == "c9")
            #expect(cc.json["client"]?["name"]?.stringValue == "Petit SAS")
            #expect(try await client.call(.get, "/v1/clients/c9", key: k).status == .ok)
            let event = try await client.call(.post, "/v1/events", key: k, json: #"{"id":"e1","name":"Séminaire annuel","client_id":"c1","start_date":"2025-03-14"}"#)
            #expect(event.status == .created, "\(event.text)")
            #expect(event.headers[.location] == "/v1/events/e1")
            let product = try await client.call(.post, "/v1/products", key: k, json: #"{"id":"r1","name":"Cocktail dînatoire","unit_price":"12,50","partner_id":"p1"}"#)
            #expect(product.status == .created, "\(product.text)")
            #expect(product.json["unit_price"]?.numberValue == 12.5)
            // Generated id when absent.
            let generated = try await client.call(.post, "/v1/products", key: k, json: #"{"name":"Vestiaire"}"#)
            #expect(generated.status == .created)
            let gid = generated.json["id"]?.stringValue ?? ""
            #expect(!gid.isEmpty)
            #expect(generated.headers[.location] == "/v1/products/\(gid)")

            // DELETE → 204, gone from the store and the search.
            let del = try await client.call(.delete, "/v1/products/r1", key: k)
            #expect(del.status == .noContent)
            #expect(del.headers[.labSearchSeq] != nil)
            #expect(del.body.readableBytes == 0)
            expectProblem(try await client.call(.get, "/v1/products/r1", key: k), .notFound, type: "not-found")
            let search = try await client.call(.get, "/v1/search?q=cocktail", key: k)
            #expect(hitIds(search.json, kind: "product").isEmpty)
            for path in ["/v1/events/e1", "/v1/partner-contacts/pc2", "/v1/client-contacts/cc9", "/v1/partners/p1"] {
                #expect(try await client.call(.get, path, key: k).status == .ok, "\(path)")
            }
        }
    }

    @Test func readYourWrites() async throws {
        try await withServer { client, env in
            for i in 0..<5 {
                let name = "Quarzolith\(i) Conseil"
                let r = try await client.call(.post, "/v1/clients", key: env.acmeUser, json: clientBody(id: "ryw\(i)", name: name))
                #expect(r.status == .created)
                let s = try await client.call(.get, "/v1/search?q=quarzolith\(i)", key: env.acmeUser)
                #expect(hitIds(s.json, kind: "client") == ["ryw\(i)"], "\(s.text)")
            }
            // An update is searchable at once too.
            #expect(try await client.call(.patch, "/v1/clients/ryw0", key: env.acmeUser, json: #"{"name":"Vendrelune"}"#).status == .ok)
            let s = try await client.call(.get, "/v1/search?q=vendrelune", key: env.acmeUser)
            #expect(hitIds(s.json, kind: "client") == ["ryw0"])
        }
    }

    @Test func writesPastTheWaitAnswer202() async throws {
        var config = ServerConfig.test
        config.writeWaitTimeout = 0
        try await withServer(config) { client, env in
            let r = try await client.call(.post, "/v1/events", key: env.acmeUser, json: #"{"name":"Gala"}"#)
            // Either already searchable (201) or not yet (202); never anything else.
            #expect(r.status == .accepted || r.status == .created)
            #expect(r.headers[.location] != nil)
            #expect(r.headers[.labSearchSeq] != nil)
        }
    }

    @Test func htmlInNamesComesBackEscapedInHighlights() async throws {
        try await withServer { client, env in
            let name = #"<img src=x onerror=alert(1)> Xerbatol"#
            let body = #"{"id":"xss","name":"\#(name.replacingOccurrences(of: "\"", with: "\\\""))","main_contact":{"first_name":"<b>Eve</b>","last_name":"Xerbatol","email":"eve@x.fr","phone_direct":"0612345679"}}"#
            let r = try await client.call(.post, "/v1/clients", key: env.acmeUser, json: body)
            #expect(r.status == .created, "\(r.text)")
            let s = try await client.call(.get, "/v1/search?q=xerbatol", key: env.acmeUser)
            #expect(s.status == .ok)
            var sawHighlight = false
            for tab in s.json["tabs"]?.arrayValue ?? [] {
                for group in tab["groups"]?.arrayValue ?? [] {
                    for hit in group["hits"]?.arrayValue ?? [] {
                        for (_, value) in hit["highlights"]?.objectValue ?? [:] {
                            let html = value.stringValue ?? ""
                            sawHighlight = true
                            // Only <mark> tags: remove them and no '<' may remain.
                            let stripped = html.replacingOccurrences(of: "<mark>", with: "").replacingOccurrences(of: "</mark>", with: "")
                            #expect(!stripped.contains("<"), "\(html)")
                            #expect(!stripped.contains(">"), "\(html)")
                        }
                    }
                }
            }
            #expect(sawHighlight)
            #expect(s.text.contains("&lt;img"))
            // The stored record keeps the text as typed (plain text, escaped by whoever renders it).
            #expect(try await client.call(.get, "/v1/clients/xss", key: env.acmeUser).json["name"]?.stringValue == name)
        }
    }
}
