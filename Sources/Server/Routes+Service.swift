import Engine
import Foundation
import HTTPTypes
import Hummingbird
import Model
import NIOCore

/// The public routes (`/healthz`, `/metrics`, `/openapi.yaml`, the page and its files, the
/// demo key) and the endpoints of the contract not built yet (`501`).
extension Routes {
    func addServiceRoutes(to router: Router<AppRequestContext>) {
        router.get("healthz") { _, _ in
            var headers = HTTPFields()
            headers[.cacheControl] = "no-store"
            return Self.json(Array(#"{"status":"ok"}"#.utf8), headers: headers)
        }
        router.get("metrics") { _, _ in
            let engine = self.engine
            let pool = self.pool
            var gauges = try await pool.run { () -> ServerMetrics.Gauges in
                var g = ServerMetrics.Gauges()
                for tenant in engine.openTenants {
                    guard let status = try? tenant.indexStatus() else { continue }
                    g.tenantsOpen += 1
                    let lag = max(0, status.storeSeq - status.indexSeq)
                    g.indexLagTotal += lag
                    g.indexLagMax = max(g.indexLagMax, lag)
                    g.documents += status.documents
                }
                return g
            }
            gauges.poolThreads = pool.threadCount
            gauges.poolBusy = pool.busyThreads
            gauges.poolQueueDepth = pool.queueDepth
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            headers[.cacheControl] = "no-store"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: metrics.render(gauges))))
        }
        // The file as is (read here, at start, so a bundle without it fails at once).
        let openAPI = OpenAPIDocument.bytes
        router.get("openapi.yaml") { _, _ in
            var headers = HTTPFields()
            headers[.contentType] = "application/yaml; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: openAPI)))
        }
        // Demo mode hands the page its key, only on a loopback-bound server and to a loopback
        // peer; everywhere else the route does not exist (404).
        router.get("v1/demo-key") { _, context in
            guard let key = config.demoKey, config.isLoopback, Self.isLoopback(context.remoteAddress) else {
                throw Problem.notFound
            }
            var headers = HTTPFields()
            headers[.cacheControl] = "no-store"
            return Self.json(JSONValue.object(["key": .string(key)]).compactJSONBytes(), headers: headers)
        }
        addStaticFiles(to: router)
    }

    func addDuplicateRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("duplicates") { request, context -> Response in
            try await self.handleDuplicates(request, context)
        }
    }

    static func isLoopback(_ address: SocketAddress?) -> Bool {
        guard let ip = address?.ipAddress else { return false }
        return ip.hasPrefix("127.") || ip == "::1" || ip.hasPrefix("::ffff:127.")
    }

    // MARK: - The search page

    /// Serves the files of `Public/` (the search page), read once at start: `/` is
    /// `index.html`. Every file gets a strict Content-Security-Policy (scripts and styles from
    /// this origin only, no inline script), so a record's text can never run as code.
    func addStaticFiles(to router: Router<AppRequestContext>) {
        for file in Self.publicFiles() {
            var headers = HTTPFields()
            headers[.contentType] = file.contentType
            headers[.cacheControl] = "no-cache"
            headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
            headers[.xFrameOptions] = "DENY"
            headers[.referrerPolicy] = "no-referrer"
            let bytes = file.bytes
            let fileHeaders = headers
            let handler: @Sendable (Request, AppRequestContext) async throws -> Response = { _, _ in
                Response(status: .ok, headers: fileHeaders, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
            }
            router.get(RouterPath(file.name), use: handler)
            if file.name == "index.html" { router.get("/", use: handler) }
        }
    }

    static let contentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

    struct PublicFile {
        var name: String
        var contentType: String
        var bytes: [UInt8]
    }

    /// The files of the bundle's `Public/` folder (top level; sub-folders are not served).
    static func publicFiles() -> [PublicFile] {
        guard let root = Bundle.module.resourceURL?.appendingPathComponent("Public"),
              let names = try? FileManager.default.contentsOfDirectory(atPath: root.path) else { return [] }
        return names.sorted().compactMap { name -> PublicFile? in
            guard !name.hasPrefix("."), let data = FileManager.default.contents(atPath: root.appendingPathComponent(name).path) else { return nil }
            return PublicFile(name: name, contentType: contentType(for: name), bytes: Array(data))
        }
    }

    static func contentType(for name: String) -> String {
        switch (name as NSString).pathExtension.lowercased() {
        case "html": return "text/html; charset=utf-8"
        case "js", "mjs": return "text/javascript; charset=utf-8"
        case "css": return "text/css; charset=utf-8"
        case "svg": return "image/svg+xml"
        case "png": return "image/png"
        case "ico": return "image/x-icon"
        case "json": return "application/json; charset=utf-8"
        case "txt": return "text/plain; charset=utf-8"
        case "woff2": return "font/woff2"
        default: return "application/octet-stream"
        }
    }
}

extension HTTPField.Name {
    static let xFrameOptions = HTTPField.Name("X-Frame-Options")!
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
}
