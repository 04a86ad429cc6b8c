import Engine
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Model
@testable import Server
import Sheets
import Testing

/// The list routes over HTTP on a live server (API.md "Lists"): the columns description, a
/// query with a filter, sort and columns, cursors, groups, problems naming the parameter,
/// tenant isolation, and the export of exactly a list view.
@Suite struct ListHTTPTests {
    static let bulk: String = [
        #"{"op":"upsert","type":"client","id":"a1","record":{"name":"Atelier Nord","city":"Lille","type":"Agence"}}"#,
        #"{"op":"upsert","type":"client","id":"a2","record":{"name":"Banque Sud","city":"Marseille","type":"Banque"}}"#,
        #"{"op":"upsert","type":"client","id":"a3","record":{"name":"Cèdre Événements","city":"Lille","type":"agence"}}"#,
        #"{"op":"upsert","type":"client","id":"a4","record":{"name":"Dune Voyages","city":"Nice","type":"Agence","active":false}}"#,
        #"{"op":"upsert","type":"client_contact","id":"k1","record":{"client_id":"a1","first_name":"Léa","last_name":"Martin","email":"lea@nord.fr","phone_direct":"0320000001","is_primary":true}}"#,
        #"{"op":"upsert","type":"client_contact","id":"k2","record":{"client_id":"a3","first_name":"Hugo","last_name":"Petit","email":"hugo@cedre.fr"}}"#,
    ].joined(separator: "\n")

    static func load(_ client: any TestClientProtocol, _ key: String) async throws {
        let r = try await client.call(.post, "/v1/bulk?wait=true", key: key, body: ByteBuffer(string: bulk),
                                      headers: [.contentType: "application/x-ndjson"])
        #expect(r.status == .ok, "\(r.text)")
    }

    @Test func columnsQueryCursorsAndGroups() async throws {
        try await withServer { client, env in
            try await Self.load(client, env.acmeAdmin)
            let cols = try await client.call(.get, "/v1/lists/clients/columns", key: env.acmeUser)
            #expect(cols.status == .ok)
            let names = cols.json["columns"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
            #expect(names.contains("main_contact") && names.contains("contacts_count") && names.contains("siret"))
            let city = cols.json["columns"]?.arrayValue?.first { $0["name"]?.stringValue == "city" }
            #expect(city?["label"]?.stringValue == "Ville")
            #expect(city?["ops"]?.arrayValue?.contains(.string("in")) == true)

            let r = try await client.call(.post, "/v1/lists/clients", key: env.acmeUser, json: #"""
                {"filters":[{"column":"city","op":"eq","values":["lille"]}],"sort":[{"column":"name","dir":"desc"}],
                 "columns":["name","main_contact","contacts_count"],"limit":1}
                """#)
            #expect(r.status == .ok, "\(r.text)")
            #expect(r.json["total"]?.intValue == 2)
            #expect(r.json["rows"]?[0]?["id"]?.stringValue == "a3")
            #expect(r.json["rows"]?[0]?["values"]?["contacts_count"]?.intValue == 1)
            #expect(r.json["rows"]?[0]?["values"]?["city"] == nil)   // only the columns asked
            let cursor = try #require(r.json["next_cursor"]?.stringValue)
            let next = try await client.call(.post, "/v1/lists/clients", key: env.acmeUser, json: #"""
                {"filters":[{"column":"city","op":"eq","values":["lille"]}],"sort":[{"column":"name","dir":"desc"}],
                 "columns":["name","main_contact"],"limit":1,"cursor":"\#(cursor)"}
                """#)
            #expect(next.json["rows"]?[0]?["id"]?.stringValue == "a1")
            #expect(next.json["rows"]?[0]?["values"]?["main_contact"]?.stringValue == "Léa Martin")
            #expect(next.json["next_cursor"] == .null)
            // The same cursor with another filter: 400 naming it.
            let misuse = try await client.call(.post, "/v1/lists/clients", key: env.acmeUser, json: #"{"cursor":"\#(cursor)"}"#)
            expectProblem(misuse, .badRequest, type: "invalid-parameter", field: "cursor")

            let g = try await client.call(.post, "/v1/lists/clients", key: env.acmeUser, json: #"{"group_by":"type","include_inactive":true,"limit":5}"#)
            #expect(g.status == .ok)
            let groups = g.json["groups"]?.arrayValue ?? []
            #expect(groups.compactMap { $0["count"]?.intValue } == [3, 1])
            #expect(groups.first?["rows"]?.arrayValue?.count == 3)
            #expect(g.json["rows"]?.arrayValue?.isEmpty == true)

            // Text search within the contacts list.
            let q = try await client.call(.post, "/v1/lists/contacts", key: env.acmeUser, json: #"{"q":"hugo","columns":["last_name","client_name"]}"#)
            #expect(q.json["rows"]?[0]?["values"]?["client_name"]?.stringValue == "Cèdre Événements")
            // Another tenant sees nothing.
            let other = try await client.call(.post, "/v1/lists/clients", key: env.otherAdmin, json: "{}")
            #expect(other.json["total"]?.intValue == 0)
        }
    }

    @Test func badRequestsNameTheParameter() async throws {
        try await withServer { client, env in
            func post(_ path: String, _ json: String) async throws -> TestResponse {
                try await client.call(.post, path, key: env.acmeUser, json: json)
            }
            expectProblem(try await post("/v1/lists/everything", "{}"), .badRequest, type: "invalid-parameter", field: "list")
            expectProblem(try await post("/v1/lists/clients", #"{"filters":[{"column":"city","op":"eq","values":["a"]},{"column":"zz","op":"eq","values":["a"]}]}"#),
                          .badRequest, type: "invalid-parameter", field: "filters[1].column")
            expectProblem(try await post("/v1/lists/clients", #"{"filters":[{"column":"contacts_count","op":"between","from":"x"}]}"#),
                          .badRequest, type: "invalid-parameter", field: "filters[0].from")
            expectProblem(try await post("/v1/lists/clients", #"{"sort":[{"column":"nope"}]}"#), .badRequest, type: "invalid-parameter", field: "sort[0].column")
            expectProblem(try await post("/v1/lists/clients", #"{"cursor":"@@@"}"#), .badRequest, type: "invalid-parameter", field: "cursor")
            expectProblem(try await post("/v1/lists/clients", "[1]"), .badRequest, type: "invalid-body")
            let noKey = try await client.call(.post, "/v1/lists/clients", json: "{}")
            #expect(noKey.status == .unauthorized)
        }
    }

    @Test func exportIsExactlyTheView() async throws {
        try await withServer { client, env in
            try await Self.load(client, env.acmeAdmin)
            try env.engine.system.createUser(tenant: "acme", email: "admin@acme.fr", role: .admin, password: "correct horse battery")
            let r = try await client.call(.post, "/v1/export", key: env.acmeAdmin, json: #"""
                {"kind":"clients","format":"csv","email":"admin@acme.fr","password":"correct horse battery",
                 "query":{"filters":[{"column":"type","op":"eq","values":["agence"]}],"sort":[{"column":"name","dir":"desc"}],
                          "columns":["name","city","main_contact","contacts_count"]}}
                """#)
            #expect(r.status == .ok, "\(r.text)")
            let lines = r.text.split(separator: "\r\n").map(String.init).filter { !$0.isEmpty }
            let header = lines[0].split(separator: ";", omittingEmptySubsequences: false).map(String.init)
            // The template's 31 columns first, then the view's others (city and name are in the template).
            #expect(header.count == 33)
            #expect(Array(header.suffix(2)) == ["Contact principal", "Nombre de contacts"])
            // Active agencies only, in the view's order (Cèdre before Atelier).
            #expect(lines.count == 3)
            #expect(lines[1].contains("Cèdre Événements") && lines[2].contains("Atelier Nord"))
            #expect(lines[2].hasSuffix("Léa Martin;1"))
            let bad = try await client.call(.post, "/v1/export", key: env.acmeAdmin, json: #"""
                {"kind":"clients","format":"csv","email":"admin@acme.fr","password":"correct horse battery","query":{"sort":[{"column":"zz"}]}}
                """#)
            expectProblem(bad, .badRequest, type: "invalid-parameter", field: "query.sort[0].column")
        }
    }
}
