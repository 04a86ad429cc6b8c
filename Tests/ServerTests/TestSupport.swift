import Engine
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Model
@testable import Server
import Store
import Testing

/// A real server on loopback (`app.test(.live)`) over a real engine on a temporary data
/// directory, with two tenants: "acme" (an admin and a user key) and "other" (an admin key).
struct TestEnv: Sendable {
    let engine: Engine
    let directory: String
    let acmeAdmin: String
    let acmeUser: String
    let otherAdmin: String

    static func make() throws -> TestEnv {
        let directory = NSTemporaryDirectory() + "labsearch-server-tests-" + UUID().uuidString
        var logger = Logger(label: "test.engine")
        logger.logLevel = .warning
        var config = EngineConfig(dataDirectory: directory)
        config.pollInterval = 0.05
        let engine = try Engine(config: config, logger: logger)
        try engine.createTenant("acme")
        try engine.createTenant("other")
        return TestEnv(
            engine: engine, directory: directory,
            acmeAdmin: try engine.system.createKey(tenant: "acme", role: .admin).key,
            acmeUser: try engine.system.createKey(tenant: "acme", role: .user).key,
            otherAdmin: try engine.system.createKey(tenant: "other", role: .admin).key
        )
    }

    func tearDown() {
        engine.shutdown()
        try? FileManager.default.removeItem(atPath: directory)
    }
}

extension ServerConfig {
    static var test: ServerConfig {
        var c = ServerConfig(host: "127.0.0.1", port: 0)
        c.blockingThreads = 2
        c.writeWaitTimeout = 10
        return c
    }
}

/// Runs `body` against a live server; the engine is shut down and its directory removed after.
func withServer(_ config: ServerConfig = .test,
                _ body: @Sendable (any TestClientProtocol, TestEnv) async throws -> Void) async throws {
    let env = try TestEnv.make()
    defer { env.tearDown() }
    var logger = Logger(label: "test.server")
    logger.logLevel = .warning
    let app = try await buildApplication(config, engine: env.engine, logger: logger)
    try await app.test(.live) { client in
        try await body(client, env)
    }
}

// MARK: - Requests

extension TestClientProtocol {
    /// A request with an optional Bearer key and JSON body.
    @discardableResult
    func call(_ method: HTTPRequest.Method, _ uri: String, key: String? = nil, json: String? = nil,
              body: ByteBuffer? = nil, headers extra: HTTPFields = [:]) async throws -> TestResponse {
        var headers = extra
        if let key { headers[.authorization] = "Bearer " + key }
        var buffer = body
        if let json {
            if headers[.contentType] == nil { headers[.contentType] = "application/json" }
            buffer = ByteBuffer(string: json)
        }
        return try await execute(uri: uri, method: method, headers: headers, body: buffer)
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }

    /// The body as JSON.
    var json: JSONValue {
        (try? JSONValue.parse(Data(body.readableBytesView))) ?? .null
    }

    var contentType: String? { headers[.contentType] }
}

extension JSONValue {
    subscript(_ key: String) -> JSONValue? { objectValue?[key] }
    subscript(_ i: Int) -> JSONValue? {
        guard let a = arrayValue, a.indices.contains(i) else { return nil }
        return a[i]
    }
    var intValue: Int? { numberValue.map { Int($0) } }
}

/// Checks an `application/problem+json` answer: status, type slug and, when given, the field
/// named in `errors`.
func expectProblem(_ r: TestResponse, _ status: HTTPResponse.Status, type: String, field: String? = nil,
                   sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(r.status == status, "status \(r.status.code): \(r.text)", sourceLocation: sourceLocation)
    #expect(r.contentType?.hasPrefix("application/problem+json") == true, sourceLocation: sourceLocation)
    let p = r.json
    #expect(p["type"]?.stringValue == type, "type of \(r.text)", sourceLocation: sourceLocation)
    #expect(p["status"]?.intValue == Int(status.code), sourceLocation: sourceLocation)
    #expect(p["title"]?.stringValue?.isEmpty == false, sourceLocation: sourceLocation)
    #expect(p["detail"]?.stringValue?.isEmpty == false, sourceLocation: sourceLocation)
    #expect(p["errors"]?.arrayValue != nil, sourceLocation: sourceLocation)
    if let field {
        let fields = p["errors"]?.arrayValue?.compactMap { $0["field"]?.stringValue } ?? []
        #expect(fields.contains(field), "fields \(fields) of \(r.text)", sourceLocation: sourceLocation)
    }
}

/// A client body with its main contact.
func clientBody(id: String? = nil, name: String, email: String = "jean.dupont@example.fr", extra: String = "") -> String {
    let idPart = id.map { #""id":"\#($0)","# } ?? ""
    return #"{\#(idPart)"name":"\#(name)","city":"Lyon"\#(extra),"main_contact":{"first_name":"Jean","last_name":"Dupont","email":"\#(email)","phone_direct":"06 12 34 56 78"}}"#
}

/// The ids of the hits of one group of a search answer.
func hitIds(_ search: JSONValue, kind: String) -> [String] {
    for tab in search["tabs"]?.arrayValue ?? [] {
        for group in tab["groups"]?.arrayValue ?? [] where group["kind"]?.stringValue == kind {
            return group["hits"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
        }
    }
    return []
}
