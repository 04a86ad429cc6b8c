import Foundation
import Hummingbird
import HummingbirdTesting
import Model
@testable import Server
import Testing

/// Keys: none, malformed, unknown, revoked → 401 with `WWW-Authenticate: Bearer`; a user key
/// may not bulk-load (403); another tenant's key never sees this tenant's data (404, empty
/// search); CORS is refused unless an origin is allowed.
@Suite struct AuthTests {
    @Test func missingMalformedUnknownAndRevokedKeys() async throws {
        try await withServer { client, env in
            for (header, name) in [(nil, "none"), ("Basic dXNlcjpwYXNz", "basic"), ("Bearer", "empty"),
                                   ("Bearer lsk_" + String(repeating: "0", count: 64), "unknown"), ("Bearer nonsense", "garbage")] as [(String?, String)] {
                var headers = HTTPFields()
                if let header { headers[.authorization] = header }
                let r = try await client.call(.get, "/v1/search?q=a", headers: headers)
                expectProblem(r, .unauthorized, type: "unauthorized")
                #expect(r.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true, "\(name)")
            }
            // A key works, then is revoked: refused at once (nothing cached).
            let made = try env.engine.system.createKey(tenant: "acme", role: .user)
            #expect(try await client.call(.get, "/v1/search?q=a", key: made.key).status == .ok)
            try env.engine.system.revokeKey(id: made.id)
            let r = try await client.call(.get, "/v1/search?q=a", key: made.key)
            expectProblem(r, .unauthorized, type: "unauthorized")
            #expect(r.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
        }
    }

    @Test func everyV1RouteNeedsAKey() async throws {
        try await withServer { client, _ in
            let routes: [(HTTPRequest.Method, String)] = [
                (.get, "/v1/search?q=x"), (.post, "/v1/bulk"), (.get, "/v1/index/status"), (.post, "/v1/index/reindex"),
                (.post, "/v1/clients"), (.get, "/v1/clients/cl_1"), (.put, "/v1/events/e1"), (.patch, "/v1/products/p1"),
                (.delete, "/v1/partner-contacts/x"),
            ]
            for (method, path) in routes {
                expectProblem(try await client.call(method, path, json: "{}"), .unauthorized, type: "unauthorized")
            }
        }
    }

    @Test func userKeyMayNotBulkLoadOrReindex() async throws {
        try await withServer { client, env in
            var headers = HTTPFields()
            headers[.contentType] = "application/x-ndjson"
            let r = try await client.call(.post, "/v1/bulk", key: env.acmeUser, body: ByteBuffer(string: "\n"), headers: headers)
            expectProblem(r, .forbidden, type: "forbidden")
            expectProblem(try await client.call(.post, "/v1/index/reindex", key: env.acmeUser), .forbidden, type: "forbidden")
            // …but searches and writes records one by one.
            #expect(try await client.call(.post, "/v1/clients", key: env.acmeUser, json: clientBody(name: "User Made")).status == .created)
        }
    }

    @Test func anotherTenantsKeyNeverSeesTheData() async throws {
        try await withServer { client, env in
            let made = try await client.call(.post, "/v1/clients", key: env.acmeAdmin, json: clientBody(id: "cl_secret", name: "Zyxolium Industries"))
            #expect(made.status == .created)
            let contactId = made.json["main_contact"]?["id"]?.stringValue ?? "?"
            // Every operation on acme's records through other's key: 404, nothing changes.
            expectProblem(try await client.call(.get, "/v1/clients/cl_secret", key: env.otherAdmin), .notFound, type: "not-found")
            expectProblem(try await client.call(.put, "/v1/clients/cl_secret", key: env.otherAdmin, json: #"{"name":"Pwned"}"#), .notFound, type: "not-found")
            expectProblem(try await client.call(.patch, "/v1/clients/cl_secret", key: env.otherAdmin, json: #"{"name":"Pwned"}"#), .notFound, type: "not-found")
            expectProblem(try await client.call(.delete, "/v1/client-contacts/\(contactId)", key: env.otherAdmin), .notFound, type: "not-found")
            let search = try await client.call(.get, "/v1/search?q=zyxolium", key: env.otherAdmin)
            #expect(search.status == .ok)
            #expect(search.json["tabs"]?[0]?["total"]?.intValue == 0)
            #expect(!search.text.contains("cl_secret"))
            // Creating the same id in the other tenant is fine (ids are per tenant).
            #expect(try await client.call(.post, "/v1/clients", key: env.otherAdmin, json: clientBody(id: "cl_secret", name: "Autre")).status == .created)
            let own = try await client.call(.get, "/v1/clients/cl_secret", key: env.acmeAdmin)
            #expect(own.json["name"]?.stringValue == "Zyxolium Industries")
            let status = try await client.call(.get, "/v1/index/status", key: env.otherAdmin)
            #expect(status.status == .ok)
        }
    }

    @Test func crossOriginRefusedByDefault() async throws {
        try await withServer { client, env in
            var headers = HTTPFields()
            headers[.origin] = "https://evil.example"
            let r = try await client.call(.get, "/v1/search?q=a", key: env.acmeUser, headers: headers)
            expectProblem(r, .forbidden, type: "cors-refused")
            #expect(r.headers[.accessControlAllowOrigin] == nil)
            headers[.accessControlRequestMethod] = "GET"
            let preflight = try await client.call(.options, "/v1/search?q=a", headers: headers)
            expectProblem(preflight, .forbidden, type: "cors-refused")
            #expect(preflight.headers[.accessControlAllowOrigin] == nil)
            // The page's own origin (same host) is not cross-origin. (The test client sends
            // `Host: localhost`, without the port a browser would add.)
            var same = HTTPFields()
            same[.origin] = "http://localhost"
            #expect(try await client.call(.get, "/v1/search?q=a", key: env.acmeUser, headers: same).status == .ok)
        }
        var config = ServerConfig.test
        config.allowedOrigins = ["https://crm.example.fr"]
        try await withServer(config) { client, env in
            var headers = HTTPFields()
            headers[.origin] = "https://crm.example.fr"
            let r = try await client.call(.get, "/v1/search?q=a", key: env.acmeUser, headers: headers)
            #expect(r.status == .ok)
            #expect(r.headers[.accessControlAllowOrigin] == "https://crm.example.fr")
            headers[.accessControlRequestMethod] = "POST"
            let preflight = try await client.call(.options, "/v1/clients", headers: headers)
            #expect(preflight.status == .noContent)
            #expect(preflight.headers[.accessControlAllowHeaders]?.contains("Authorization") == true)
            headers[.origin] = "https://evil.example"
            expectProblem(try await client.call(.get, "/v1/search?q=a", key: env.acmeUser, headers: headers), .forbidden, type: "cors-refused")
        }
    }
}
