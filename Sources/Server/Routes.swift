import Engine
import Foundation
import HTTPTypes
import Hummingbird
import Model

/// What the route handlers share: the engine, the settings, the blocking pool and the metrics.
struct Routes: Sendable {
    let engine: Engine
    let config: ServerConfig
    let pool: BlockingPool
    /// Streamed exports' producers (two at a time, others wait their turn): an export holds its
    /// thread for as long as the client takes to download the file, so it never takes one of
    /// `pool`'s, which searches need.
    let exportPool: BlockingPool
    let metrics: ServerMetrics
    /// Failed export passwords (429 past the limit).
    let exportGuard: ExportGuard

    /// A JSON answer (`application/json; charset=utf-8`).
    static func json(_ bytes: [UInt8], status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var h = headers
        h[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: h, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
    }

    static func json<T: Encodable>(encoding value: T, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return json(Array(try encoder.encode(value)), status: status, headers: headers)
    }
}

extension HTTPField.Name {
    /// The change's sequence number on every write answer (API.md "Records one by one").
    static let labSearchSeq = HTTPField.Name("LabSearch-Seq")!
}
