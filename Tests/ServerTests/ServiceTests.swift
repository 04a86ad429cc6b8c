import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
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

    @Test func openAPIDocumentIsServedAsTheResourceFile() async throws {
        // The bundle's copy is the source file, and the server sends it byte for byte.
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Sources/Server/OpenAPI/openapi.yaml").standardizedFileURL
        let file = try Array(Data(contentsOf: source))
        #expect(OpenAPIDocument.bytes == file)
        try await withServer { client, _ in
            let r = try await client.call(.get, "/openapi.yaml")
            #expect(r.status == .ok)
            #expect(r.contentType?.hasPrefix("application/yaml") == true)
            #expect(Array(r.body.readableBytesView) == file)
            #expect(r.text.hasPrefix("openapi: 3.1.0"))
        }
    }

    /// Every route the app's router registers is an operation of the document, and every
    /// operation of the document is a route (same path pattern, same method). The routes are
    /// the router's own (`Router.routes`, from the router `buildApplication` serves), not a
    /// list kept by hand; the files of the page (`Public/`) are left out, `/` excepted.
    @Test func openAPIDocumentNamesEveryRouteAndNothingElse() throws {
        let env = try TestEnv.make()
        defer { env.tearDown() }
        let (router, _) = buildRouter(.test, engine: env.engine, logger: Logger(label: "test.routes"))
        let pageFiles = Set(Routes.publicFiles().map { "/" + $0.name })
        #expect(pageFiles.contains("/index.html"))

        var routed: [String: Set<String>] = [:]
        for route in router.routes {
            let path = OpenAPIRoutes.pattern(route.path)
            if route.method == .get && pageFiles.contains(path) { continue }
            routed[path, default: []].insert(route.method.rawValue)
        }
        let documented = OpenAPIRoutes.operations(OpenAPIDocument.text)
        #expect(routed.count > 20 && documented.count > 20)

        let undocumented = routed.keys.filter { documented[$0] == nil }.sorted()
            .map { "\(routed[$0]!.sorted().joined(separator: ",")) \($0)" }
        #expect(undocumented.isEmpty, "routes missing from openapi.yaml: \(undocumented)")
        let unrouted = documented.keys.filter { routed[$0] == nil }.sorted()
            .map { "\(documented[$0]!.sorted().joined(separator: ",")) \($0)" }
        #expect(unrouted.isEmpty, "paths of openapi.yaml with no route: \(unrouted)")
        let mismatched = routed.keys.filter { documented[$0] != nil && documented[$0] != routed[$0] }.sorted()
            .map { "\($0): routed \(routed[$0]!.sorted()), documented \(documented[$0]!.sorted())" }
        #expect(mismatched.isEmpty, "methods that differ between the router and openapi.yaml: \(mismatched)")
    }

    @Test func routePatternsAndDocumentParsing() {
        #expect(OpenAPIRoutes.pattern(RouterPath("/v1/clients/:id")) == "/v1/clients/{id}")
        #expect(OpenAPIRoutes.pattern(RouterPath("v1/lists/{list}/columns")) == "/v1/lists/{list}/columns")
        #expect(OpenAPIRoutes.pattern(RouterPath("/")) == "/")
        let yaml = """
        openapi: 3.1.0
        paths:
          /v1/things/{id}:
            parameters:
            - $ref: '#/components/parameters/Id'
            get:
              summary: x
            delete:
              responses: {}
          /:
            get:
              description: y
        components:
          pathItems:
            get:
        """
        #expect(OpenAPIRoutes.operations(yaml) == ["/v1/things/{id}": ["GET", "DELETE"], "/": ["GET"]])
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

/// The document's operations and the router's path patterns in one notation: OpenAPI's
/// `/v1/clients/{id}` (Hummingbird's `:id` and `{id}` captures both become `{id}`).
enum OpenAPIRoutes {
    static func pattern(_ path: RouterPath) -> String {
        "/" + path.components.map { element -> String in
            let text = element.description
            return text.hasPrefix(":") ? "{\(text.dropFirst())}" : text
        }.joined(separator: "/")
    }

    /// Path → upper-case methods of the document's `paths:`, read by its fixed layout (a path
    /// at two spaces, its operations at four; `Tests/openapi` checks the layout holds against a
    /// YAML parser). A path with no operation (say a `$ref`) maps to no method, so it fails.
    static func operations(_ yaml: String) -> [String: Set<String>] {
        let methods: Set<String> = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]
        var result: [String: Set<String>] = [:]
        var inPaths = false
        var current: String?
        for line in yaml.split(separator: "\n", omittingEmptySubsequences: false) {
            if let first = line.first, first != " " {
                inPaths = line == "paths:"
                current = nil
                continue
            }
            guard inPaths, line.hasSuffix(":") else { continue }
            if line.hasPrefix("  /") {
                let path = String(line.dropFirst(2).dropLast())
                current = path
                if result[path] == nil { result[path] = [] }
            } else if line.hasPrefix("    "), !line.hasPrefix("     "), let path = current {
                let key = String(line.dropFirst(4).dropLast())
                if methods.contains(key) { result[path, default: []].insert(key.uppercased()) }
            }
        }
        return result
    }
}
