import Foundation

/// The OpenAPI 3.1 description of the HTTP API: `OpenAPI/openapi.yaml`, a resource of this
/// target, served as is at `/openapi.yaml`. (Not a folder named `Resources`: Foundation would
/// take the bundle for one whose resources live in it, and `Public/` would no longer be found.) Hand-written, with every path item inline and the
/// shared response sets written out in full, so any OpenAPI tool reads it. `ServiceTests`
/// checks its paths and operations against the routes the router registers (both ways), and
/// `Tests/openapi` validates it with openapi-spec-validator. Keep it in step with the routes
/// and with ../shared/API.md.
enum OpenAPIDocument {
    /// The file's bytes, read once.
    static let bytes: [UInt8] = {
        guard let url = Bundle.module.resourceURL?.appendingPathComponent("OpenAPI/openapi.yaml"),
              let data = FileManager.default.contents(atPath: url.path) else {
            preconditionFailure("openapi.yaml is missing from the Server bundle (Sources/Server/OpenAPI)")
        }
        return Array(data)
    }()

    /// The document as text (UTF-8).
    static var text: String { String(decoding: bytes, as: UTF8.self) }
}
