import Foundation
import Hummingbird
import HummingbirdTesting
import Model
@testable import Server
import Testing

/// `POST /v1/bulk` and `GET /v1/index/status`.
@Suite struct BulkTests {
    static let ndjson: HTTPFields = [.contentType: "application/x-ndjson"]

    @Test func linesAppliedAndErrorsByLine() async throws {
        try await withServer { client, env in
            let body = """
                {"op":"upsert","type":"client_contact","id":"cc1","record":{"client_id":"cl1","first_name":"Marie","last_name":"Curie"}}
                {"op":"upsert","type":"client","id":"cl1","record":{"name":"Radium SA"}}
                not json

                {"op":"upsert","type":"client","id":"cl2","record":{"id":"cl3","name":"Mismatch"}}
                {"op":"upsert","type":"widget","id":"w1","record":{}}
                {"op":"upsert","type":"client","id":"cl4","record":{"name":"Bad siret","siret":"123"}}
                {"op":"delete","type":"client","id":"cl1"}
                {"op":"upsert","type":"event","id":"ev1","record":{"name":"Gala Curie","client_id":"cl1"}}
                """
            let r = try await client.call(.post, "/v1/bulk?wait=true", key: env.acmeAdmin, body: ByteBuffer(string: body), headers: Self.ndjson)
            #expect(r.status == .ok, "\(r.text)")
            #expect(r.json["upserted"]?.intValue == 3)
            #expect(r.json["deleted"]?.intValue == 0)
            let lines = r.json["errors"]?.arrayValue?.compactMap { $0["line"]?.intValue } ?? []
            #expect(lines == [3, 5, 6, 7, 8], "\(r.text)")
            let fields = r.json["errors"]?.arrayValue?.compactMap { $0["field"]?.stringValue } ?? []
            #expect(fields.contains("record.id"))
            #expect(fields.contains("siret"))
            #expect(Int(r.headers[.labSearchSeq] ?? "") ?? 0 > 0)
            // wait=true: searchable now.
            let s = try await client.call(.get, "/v1/search?q=curie", key: env.acmeAdmin)
            #expect(hitIds(s.json, kind: "client_contact") == ["cc1"])
            #expect(hitIds(s.json, kind: "event") == ["ev1"])
            let status = try await client.call(.get, "/v1/index/status", key: env.acmeAdmin)
            #expect(status.status == .ok)
            #expect(status.json["store_seq"]?.intValue == status.json["index_seq"]?.intValue)
            #expect((status.json["store_seq"]?.intValue ?? 0) > 0)
        }
    }

    @Test func allLinesInvalidIsStill200() async throws {
        try await withServer { client, env in
            let r = try await client.call(.post, "/v1/bulk", key: env.acmeAdmin, body: ByteBuffer(string: "x\ny\n"), headers: Self.ndjson)
            #expect(r.status == .ok)
            #expect(r.json["errors"]?.arrayValue?.count == 2)
            var invalid = ByteBuffer(string: #"{"op":"upsert","type":"client","id":"u1","record":{"name":""#)
            invalid.writeBytes([0xFF, 0xFE])
            invalid.writeString("\"}}\n")
            let u = try await client.call(.post, "/v1/bulk", key: env.acmeAdmin, body: invalid, headers: Self.ndjson)
            #expect(u.status == .ok)
            #expect(u.json["errors"]?[0]?["line"]?.intValue == 1)
        }
    }

    @Test func wholeBodyFaults() async throws {
        var config = ServerConfig.test
        config.maxBulkBytes = 1000
        try await withServer(config) { client, env in
            expectProblem(try await client.call(.post, "/v1/bulk", key: env.acmeAdmin, json: "{}"), .unsupportedMediaType, type: "unsupported-media-type")
            expectProblem(try await client.call(.post, "/v1/bulk", key: env.acmeAdmin, body: ByteBuffer(string: "{}")), .unsupportedMediaType, type: "unsupported-media-type")
            let big = ByteBuffer(string: String(repeating: #"{"op":"delete","type":"client","id":"x"}"# + "\n", count: 100))
            expectProblem(try await client.call(.post, "/v1/bulk", key: env.acmeAdmin, body: big, headers: Self.ndjson), .contentTooLarge, type: "payload-too-large")
            expectProblem(try await client.call(.post, "/v1/bulk?wait=perhaps", key: env.acmeAdmin, body: ByteBuffer(string: "\n"), headers: Self.ndjson),
                          .badRequest, type: "invalid-parameter", field: "wait")
            // application/ndjson with a charset is accepted too.
            let ok = try await client.call(.post, "/v1/bulk", key: env.acmeAdmin, body: ByteBuffer(string: "\n"),
                                           headers: [.contentType: "application/ndjson; charset=utf-8"])
            #expect(ok.status == .ok)
        }
    }

    @Test func reindexByAdmin() async throws {
        try await withServer { client, env in
            #expect(try await client.call(.post, "/v1/clients", key: env.acmeAdmin, json: clientBody(id: "ri1", name: "Reindexia")).status == .created)
            let r = try await client.call(.post, "/v1/index/reindex", key: env.acmeAdmin)
            #expect(r.status == .ok, "\(r.text)")
            let s = try await client.call(.get, "/v1/search?q=reindexia", key: env.acmeAdmin)
            #expect(hitIds(s.json, kind: "client") == ["ri1"])
        }
    }
}
