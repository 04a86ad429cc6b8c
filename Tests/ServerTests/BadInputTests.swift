import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Model
@testable import Server
import Testing

/// Bad input never breaks or corrupts anything: each kind gets its problem answer, naming the
/// field or parameter, and the tenant is unchanged.
@Suite struct BadInputTests {
    @Test func invalidBodies() async throws {
        try await withServer { client, env in
            let k = env.acmeUser
            expectProblem(try await client.call(.post, "/v1/clients", key: k, json: #"{"name": "#), .badRequest, type: "invalid-body", field: "body")
            expectProblem(try await client.call(.post, "/v1/clients", key: k, json: ""), .badRequest, type: "invalid-body", field: "body")
            expectProblem(try await client.call(.post, "/v1/clients", key: k, json: "[1,2]"), .badRequest, type: "invalid-body", field: "body")
            expectProblem(try await client.call(.post, "/v1/clients", key: k, json: #""just a string""#), .badRequest, type: "invalid-body", field: "body")
            expectProblem(try await client.call(.post, "/v1/clients", key: k, json: #"{"a":1} trailing"#), .badRequest, type: "invalid-body", field: "body")
            var invalidUTF8 = ByteBuffer(string: #"{"name":""#)
            invalidUTF8.writeBytes([0xC3, 0x28, 0xFF])
            invalidUTF8.writeString(#""}"#)
            expectProblem(try await client.call(.post, "/v1/clients", key: k, body: invalidUTF8, headers: [.contentType: "application/json"]),
                          .badRequest, type: "invalid-body", field: "body")
            // Deep nesting is refused, not a crash.
            let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
            let r = try await client.call(.post, "/v1/clients", key: k, json: #"{"name":"#+deep+"}")
            #expect(r.status == .badRequest || r.status == .unprocessableContent)
            // Wrong content type.
            expectProblem(try await client.call(.post, "/v1/clients", key: k, json: clientBody(name: "X"), headers: [.contentType: "text/plain"]),
                          .unsupportedMediaType, type: "unsupported-media-type")
            // Nothing was created.
            let s = try await client.call(.get, "/v1/index/status", key: k)
            #expect(s.json["store_seq"]?.intValue == 0)
        }
    }

    @Test func unknownFieldsAndWrongTypesNameTheField() async throws {
        try await withServer { client, env in
            let k = env.acmeUser
            expectProblem(try await client.call(.post, "/v1/clients", key: k, json: clientBody(name: "X", extra: #","favourite_colour":"blue""#)),
                          .unprocessableContent, type: "validation", field: "favourite_colour")
            expectProblem(try await client.call(.post, "/v1/clients", key: k, json: clientBody(name: "X", extra: #","active":"maybe""#)),
                          .unprocessableContent, type: "validation", field: "active")
            expectProblem(try await client.call(.post, "/v1/clients", key: k, json: clientBody(name: "X", extra: #","billing_addresses":[{"postal_code":123456789}]"#)),
                          .unprocessableContent, type: "validation", field: "billing_addresses[0].postal_code")
            expectProblem(try await client.call(.post, "/v1/clients", key: k, json: clientBody(name: "X", email: "not-an-email")),
                          .unprocessableContent, type: "validation", field: "main_contact.email")
            expectProblem(try await client.call(.post, "/v1/clients", key: k, json: #"{"name":"Sans contact"}"#),
                          .unprocessableContent, type: "validation", field: "main_contact")
            expectProblem(try await client.call(.post, "/v1/clients", key: k, json: clientBody(name: "X", extra: #","siret":"12345678901234""#)),
                          .unprocessableContent, type: "validation", field: "siret")
            expectProblem(try await client.call(.post, "/v1/events", key: k, json: #"{"name":42}"#),
                          .unprocessableContent, type: "validation", field: "name")
            expectProblem(try await client.call(.post, "/v1/client-contacts", key: k, json: #"{"client_id":"missing","first_name":"A","last_name":"B","email":"a@b.fr","phone_direct":"0612345678"}"#),
                          .unprocessableContent, type: "validation", field: "client_id")
            expectProblem(try await client.call(.post, "/v1/products", key: k, json: #"{"id":"bad id!","name":"X"}"#),
                          .unprocessableContent, type: "validation", field: "id")
            let s = try await client.call(.get, "/v1/index/status", key: k)
            #expect(s.json["store_seq"]?.intValue == 0)
        }
    }

    @Test func oversizedBodyAndURL() async throws {
        var config = ServerConfig.test
        config.maxBodyBytes = 4096
        try await withServer(config) { client, env in
            let big = clientBody(name: String(repeating: "a", count: 5000))
            expectProblem(try await client.call(.post, "/v1/clients", key: env.acmeUser, json: big), .contentTooLarge, type: "payload-too-large")
            // The connection still serves the next request.
            #expect(try await client.call(.get, "/healthz").status == .ok)
            let longQ = String(repeating: "a", count: 9000)
            expectProblem(try await client.call(.get, "/v1/search?q=" + longQ, key: env.acmeUser), .uriTooLong, type: "uri-too-long")
            expectProblem(try await client.call(.get, "/v1/clients/" + longQ, key: env.acmeUser), .uriTooLong, type: "uri-too-long")
        }
    }

    @Test func oversizedHeaders() async throws {
        try await withServer { client, env in
            // Over the configured 16 KiB (and under NIO's own 80 KiB): 431 with a problem body,
            // before authentication, and the server still answers the next request.
            var big = HTTPFields()
            big[HTTPField.Name("X-Padding")!] = String(repeating: "a", count: 20_000)
            expectProblem(try await client.call(.get, "/v1/search?q=a", key: env.acmeUser, headers: big),
                          .requestHeaderFieldsTooLarge, type: "headers-too-large")
            var many = HTTPFields()
            for i in 0..<400 { many.append(HTTPField(name: HTTPField.Name("X-H\(i)")!, value: String(repeating: "b", count: 40))) }
            expectProblem(try await client.call(.get, "/healthz", headers: many), .requestHeaderFieldsTooLarge, type: "headers-too-large")
            // Just under the limit: served.
            var fits = HTTPFields()
            fits[HTTPField.Name("X-Padding")!] = String(repeating: "a", count: 12_000)
            #expect(try await client.call(.get, "/v1/search?q=a", key: env.acmeUser, headers: fits).status == .ok)
            // Past NIO's parser limit the request is refused (400) or the connection closed,
            // on a connection of its own: never served, and the server goes on.
            let port = try #require(client.port)
            let answer = rawHTTP(port: port, "GET /v1/search?q=a HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(env.acmeUser)\r\n"
                                 + "X-Padding: " + String(repeating: "a", count: 200_000) + "\r\n\r\n")
            #expect(answer.isEmpty || answer.hasPrefix("HTTP/1.1 400") || answer.hasPrefix("HTTP/1.1 431"), "\(answer.prefix(80))")
            #expect(try await client.call(.get, "/healthz").status == .ok)
        }
    }

    /// Paths that climb out of the page's files reach no file: the page's files are read once
    /// at start and served by name, nothing else on disk is reachable.
    @Test func traversalPathsReachNoFile() async throws {
        try await withServer { client, env in
            let port = try #require(client.port)
            for path in ["/../system.sqlite", "/../../../../etc/passwd", "/%2e%2e/system.sqlite", "/..%2fsystem.sqlite",
                         "/tenants/acme/store.sqlite", "/app.js/../../system.sqlite", "/%00"] {
                let answer = rawHTTP(port: port, "GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                #expect(answer.hasPrefix("HTTP/1.1 404") || answer.hasPrefix("HTTP/1.1 400"), "\(path): \(answer.prefix(60))")
                #expect(!answer.contains("SQLite format") && !answer.contains("root:"), "\(path)")
            }
            #expect(try await client.call(.get, "/healthz").status == .ok)
        }
    }

    @Test func searchParameters() async throws {
        try await withServer { client, env in
            let k = env.acmeUser
            func get(_ query: String) async throws -> TestResponse { try await client.call(.get, "/v1/search" + query, key: k) }
            expectProblem(try await get(""), .badRequest, type: "invalid-parameter", field: "q")
            expectProblem(try await get("?limit=5"), .badRequest, type: "invalid-parameter", field: "q")
            expectProblem(try await get("?q=" + String(repeating: "%C3%A9", count: 513)), .badRequest, type: "invalid-parameter", field: "q")
            #expect(try await get("?q=" + String(repeating: "e", count: 512)).status == .ok)
            for bad in ["51", "-1", "abc", "", "1.5"] {
                expectProblem(try await get("?q=a&limit=\(bad)"), .badRequest, type: "invalid-parameter", field: "limit")
            }
            for good in ["0", "50"] { #expect(try await get("?q=a&limit=\(good)").status == .ok) }
            expectProblem(try await get("?q=a&tab=contacts"), .badRequest, type: "invalid-parameter", field: "tab")
            expectProblem(try await get("?q=a&offset=-1"), .badRequest, type: "invalid-parameter", field: "offset")
            expectProblem(try await get("?q=a&offset=x"), .badRequest, type: "invalid-parameter", field: "offset")
            expectProblem(try await get("?q=a&inactive=maybe"), .badRequest, type: "invalid-parameter", field: "inactive")
            expectProblem(try await get("?q=%FF%FE"), .badRequest, type: "invalid-parameter", field: "q")
            for tab in ["clients", "partners", "events", "products"] {
                #expect(try await get("?q=a&tab=\(tab)&offset=5").status == .ok)
            }
            for mode in ["exclude", "include", "only"] { #expect(try await get("?q=a&inactive=\(mode)").status == .ok) }
        }
    }

    @Test func operatorsAndEmptyQueries() async throws {
        try await withServer { client, env in
            let k = env.acmeUser
            #expect(try await client.call(.post, "/v1/clients", key: k, json: clientBody(id: "op1", name: "AND Partners")).status == .created)
            for q in [#""AND (" * ~ - : '"#, "AND", "OR NOT", "(", "\"", "*", "~2", "a:b", "-", "'", "NEAR/3", "\\", "%", "&&||", "🙂", "\u{0}"] {
                var allowed = CharacterSet.alphanumerics
                allowed.insert(charactersIn: "-._~")
                let encoded = q.addingPercentEncoding(withAllowedCharacters: allowed)!
                let r = try await client.call(.get, "/v1/search?q=" + encoded, key: k)
                #expect(r.status == .ok, "\(q): \(r.text)")
                #expect(r.json["tabs"]?.arrayValue?.count == 4)
            }
            for q in ["", "%20%20", "+"] {
                let r = try await client.call(.get, "/v1/search?q=" + q, key: k)
                #expect(r.status == .ok)
                let tabs = r.json["tabs"]?.arrayValue ?? []
                #expect(tabs.map { $0["tab"]?.stringValue ?? "" } == ["clients", "partners", "events", "products"])
                #expect(tabs.allSatisfy { $0["total"]?.intValue == 0 })
                #expect(r.json["suggestions"]?.arrayValue?.isEmpty == true)
            }
        }
    }

    @Test func searchResponseShape() async throws {
        try await withServer { client, env in
            #expect(try await client.call(.post, "/v1/clients", key: env.acmeUser, json: clientBody(id: "shape1", name: "Fromagerie Dubois")).status == .created)
            let r = try await client.call(.get, "/v1/search?q=dubois&limit=3", key: env.acmeUser)
            #expect(r.status == .ok)
            #expect(r.contentType?.hasPrefix("application/json") == true)
            let j = r.json
            #expect(j["query"]?.stringValue == "dubois")
            #expect(j["took_ms"]?.numberValue != nil)
            #expect(j.objectValue?.keys.contains("corrected_query") == true)
            let labels = (j["tabs"]?.arrayValue ?? []).flatMap { $0["groups"]?.arrayValue ?? [] }.compactMap { $0["label"]?.stringValue }
            #expect(labels == ["Client-Sociétés", "Client-Contacts", "Partenaire-Sociétés", "Partenaire-Contacts", "Événements", "Produits"])
            #expect(hitIds(j, kind: "client") == ["shape1"])
            let hit = j["tabs"]?[0]?["groups"]?[0]?["hits"]?[0]
            #expect(hit?["active"]?.boolValue == true)
            #expect(hit?["title"]?.stringValue == "Fromagerie Dubois")
            #expect(j["suggestions"]?.arrayValue?.map { $0["action"]?.stringValue ?? "" } == ["create_client", "create_contact"])
        }
    }
}

/// Sends `request` on a new TCP connection to 127.0.0.1:`port` and returns what comes back
/// until the server closes (or 30 s pass); "" when nothing came (connection reset).
func rawHTTP(port: Int, _ request: String) -> String {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return "" }
    defer { close(fd) }
    var tv = timeval(tv_sec: 30, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_port = in_port_t(UInt16(port).bigEndian)
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    let connected = withUnsafePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard connected == 0 else { return "" }
    let bytes = Array(request.utf8)
    var sent = 0
    while sent < bytes.count {
        let n = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        if n <= 0 { break }   // the server may close before reading everything
        sent += n
    }
    var out: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
        let n = recv(fd, &buffer, buffer.count, 0)
        if n <= 0 { break }
        out += buffer[0..<n]
    }
    return String(decoding: out, as: UTF8.self)
}
