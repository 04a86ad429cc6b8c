import Foundation
import Hummingbird
import HummingbirdTesting
import Model
@testable import Server
import Testing

/// The public endpoints: `/healthz`, `/metrics`, `/openapi.yaml`, the page, the demo key, and
/// the endpoints of the contract answered `501` for now.
@Suite struct ServiceTests {
    @Test func healthz() async throws {
        try await withServer { client, _ in
            let r = try await client.call(.get, "/healthz")
            #expect(r.status == .ok)
            #expect(r.json["status"]?.stringValue == "ok")
            #expect(r.headers[.xContentTypeOptions] == "nosniff")
        }
    }

    @Test func searchPageAndFiles() async throws {
        try await withServer { client, _ in
            let page = try await client.call(.get, "/")
            #expect(page.status == .ok)
            #expect(page.contentType?.hasPrefix("text/html") == true)
            #expect(page.headers[.contentSecurityPolicy]?.contains("script-src 'self'") == true)
            #expect(page.text.contains("<html") || page.text.contains("<!doctype") || page.text.contains("<!DOCTYPE"))
            let js = try await client.call(.get, "/app.js")
            #expect(js.status == .ok)
            #expect(js.contentType?.hasPrefix("text/javascript") == true)
            let css = try await client.call(.get, "/style.css")
            #expect(css.status == .ok)
            #expect(css.contentType?.hasPrefix("text/css") == true)
            expectProblem(try await client.call(.get, "/nope.js"), .notFound, type: "not-found")
            expectProblem(try await client.call(.get, "/../Package.swift"), .notFound, type: "not-found")
        }
    }

    @Test func openAPIDocumentIsServedAndNamesEveryRoute() async throws {
        try await withServer { client, _ in
            let r = try await client.call(.get, "/openapi.yaml")
            #expect(r.status == .ok)
            #expect(r.contentType?.hasPrefix("application/yaml") == true)
            #expect(r.text.hasPrefix("openapi: 3.1.0"))
        }
        // Every route the server registers is described, and nothing else.
        let described = Set(OpenAPIDocument.yaml.split(separator: "\n")
            .filter { $0.hasPrefix("  /") && $0.hasSuffix(":") }
            .map { String($0.dropFirst(2).dropLast()) })
        var served: Set<String> = ["/", "/healthz", "/metrics", "/openapi.yaml", "/v1/demo-key", "/v1/search", "/v1/bulk",
                                   "/v1/index/status", "/v1/index/reindex", "/v1/duplicates", "/v1/import", "/v1/import/template", "/v1/export",
                                   "/v1/lists/{list}", "/v1/lists/{list}/columns"]
        for kind in RecordKind.allCases {
            served.insert("/v1/\(kind.pathSegment)")
            served.insert("/v1/\(kind.pathSegment)/{id}")
        }
        #expect(described == served)
    }

    @Test func metricsUseRoutePatternsNeverTenantsOrIds() async throws {
        try await withServer { client, env in
            let created = try await client.call(.post, "/v1/clients", key: env.acmeAdmin,
                                                json: clientBody(id: "cl_metrics_secret", name: "Metrics SARL"))
            #expect(created.status == .created)
            _ = try await client.call(.get, "/v1/clients/cl_metrics_secret", key: env.acmeAdmin)
            _ = try await client.call(.get, "/v1/search?q=metrics", key: env.acmeAdmin)
            _ = try await client.call(.get, "/does/not/exist")
            let r = try await client.call(.get, "/metrics")
            #expect(r.status == .ok)
            #expect(r.contentType?.hasPrefix("text/plain") == true)
            let text = r.text
            #expect(text.contains("labsearch_http_requests_total{method=\"GET\",route=\"/v1/clients/{id}\",status=\"200\"} 1"))
            #expect(text.contains("labsearch_http_request_duration_seconds_bucket{method=\"GET\",route=\"/v1/search\",le=\"+Inf\"} 1"))
            #expect(text.contains("route=\"unmatched\""))
            #expect(text.contains("labsearch_index_lag_changes "))
            #expect(!text.contains("cl_metrics_secret"))
            #expect(!text.contains("acme"))
            #expect(!text.contains("/does/not/exist"))
        }
    }

    @Test func demoKeyOnlyInDemoModeOnLoopback() async throws {
        try await withServer { client, _ in
            expectProblem(try await client.call(.get, "/v1/demo-key"), .notFound, type: "not-found")
        }
        var config = ServerConfig.test
        config.demoKey = "lsk_demo"
        try await withServer(config) { client, _ in
            let r = try await client.call(.get, "/v1/demo-key")
            #expect(r.status == .ok)
            #expect(r.json["key"]?.stringValue == "lsk_demo")
            #expect(r.headers[.cacheControl] == "no-store")
        }
        config.host = "0.0.0.0"   // not loopback-bound: never handed out
        try await withServer(config) { client, _ in
            expectProblem(try await client.call(.get, "/v1/demo-key"), .notFound, type: "not-found")
        }
    }

    @Test func importAndExportNeedAKey() async throws {
        try await withServer { client, env in
            for path in ["/v1/import?kind=clients", "/v1/export"] {
                expectProblem(try await client.call(.post, path), .unauthorized, type: "unauthorized")
            }
            expectProblem(try await client.call(.get, "/v1/import/template?kind=clients"), .unauthorized, type: "unauthorized")
        }
    }

    @Test func unknownRouteIsAProblem404() async throws {
        try await withServer { client, env in
            expectProblem(try await client.call(.get, "/v1/widgets", key: env.acmeAdmin), .notFound, type: "not-found")
            expectProblem(try await client.call(.post, "/v1/widgets", key: env.acmeAdmin, json: "{}"), .notFound, type: "not-found")
        }
    }
}
