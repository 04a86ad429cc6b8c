import Engine
import Foundation
import Hummingbird
import Model

/// `POST /v1/bulk` (API.md "Bulk load"): NDJSON operations, applied line by line.
///
/// Admin keys only (it is the CRM's synchronisation path). `415` unless the content type is
/// `application/x-ndjson` (or `application/ndjson`), `413` beyond `maxBulkBytes`. The answer
/// is `200` with per-line errors once the accepted operations are durable; with `?wait=true`
/// it also waits for the index to catch up, and answers `202` (same body) past
/// `bulkWaitTimeout`. `LabSearch-Seq` carries the last sequence number written.
extension Routes {
    func addBulkRoutes(to group: RouterGroup<AppRequestContext>) {
        group.post("bulk") { request, context in
            let caller = try context.caller()
            try caller.requireAdmin("charger des données en masse")
            let params = QueryParameters(request.uri.query)
            let wait = try params.flag("wait")
            guard let type = request.mediaType, type == "application/x-ndjson" || type == "application/ndjson" else {
                throw Problem.unsupportedMediaType(expected: "application/x-ndjson")
            }
            let buffer = try await request.collectBody(limit: config.maxBulkBytes)
            let data = Data(buffer.readableBytesView)
            let tenant = caller.tenant
            let result = try await pool.run { tenant.bulk(ndjson: data) }
            var searchable = true
            if wait, result.lastSeq > 0 {
                searchable = await tenant.waitForIndex(result.lastSeq, timeout: config.bulkWaitTimeout)
            }
            var headers = HTTPFields()
            headers[.labSearchSeq] = String(result.lastSeq)
            return try Self.json(encoding: result, status: searchable ? .ok : .accepted, headers: headers)
        }
    }
}
