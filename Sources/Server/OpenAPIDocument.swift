import Foundation

/// The OpenAPI 3.1 description of the HTTP API: `Resources/openapi.yaml`, a resource of this
/// target, served as is at `/openapi.yaml`. Hand-written, with every path item inline and the
/// shared response sets written out in full, so any OpenAPI tool reads it. `ServiceTests`
/// checks its paths and operations against the routes the router registers (both ways), and
/// `Tests/openapi` validates it with openapi-spec-validator. Keep it in step with the routes
/// and with ../shared/API.md.
enum OpenAPIDocument {
    /// The file's bytes, read once.
    static let bytes: [UInt8] = {
        guard let url = Bundle.module.resourceURL?.appendingPathComponent("Resources/openapi.yaml"),
              let data = FileManager.default.contents(atPath: url.path) else {
            preconditionFailure("openapi.yaml is missing from the Server bundle (Sources/Server/Resources)")
        }
        return Array(data)
    }()

    /// The document as text (UTF-8).
    static var text: String { String(decoding: bytes, as: UTF8.self) }
}
