import Engine
import Foundation
import Hummingbird
import Model

/// `/v1/clients`, `/v1/client-contacts`, `/v1/partners`, `/v1/partner-contacts`,
/// `/v1/events`, `/v1/products` (API.md "Records one by one").
///
/// `POST` on the collection → `201` + `Location`; `GET /{id}` → `200`; `PUT /{id}` → `200`;
/// `PATCH /{id}` (JSON Merge Patch) → `200`; `DELETE /{id}` → `204`. A creation that is a likely
/// duplicate, or a `PUT`/`PATCH` that changes an identifier into another record's, is `409
/// duplicate` unless `?force=true`. A write answers once its
/// change is searchable; past `writeWaitTimeout` it answers `202` with the same body. Every
/// write answer carries `LabSearch-Seq`.
extension Routes {
    func addRecordRoutes(to group: RouterGroup<AppRequestContext>) {
        for kind in RecordKind.allCases {
            let collection = "/v1/" + kind.pathSegment
            group.post(RouterPath(kind.pathSegment)) { request, context in
                let caller = try context.caller()
                let body = try await request.jsonObject(limit: config.maxBodyBytes)
                let tenant = caller.tenant
                if let refused = try await refuseLikelyDuplicate(kind: kind, body: body, request: request, tenant: tenant) { return refused }
                let result = try await pool.run { try tenant.create(kind: kind, body: body) }
                guard let record = result.record else { throw Problem.internalError }
                var headers = HTTPFields()
                headers[.location] = collection + "/" + record.id
                return await writeAnswer(result, tenant: tenant, created: true, headers: headers,
                                         body: Self.createdBody(record, related: result.related))
            }
            group.get(RouterPath(kind.pathSegment + "/{id}")) { _, context in
                let caller = try context.caller()
                let key = try Self.key(kind, context)
                let tenant = caller.tenant
                guard let record = try await pool.runPreferringCaller({ try tenant.get(key) }) else { throw Problem.notFound }
                return Self.json(record.json.compactJSONBytes())
            }
            group.put(RouterPath(kind.pathSegment + "/{id}")) { request, context in
                let caller = try context.caller()
                let key = try Self.key(kind, context)
                let body = try await request.jsonObject(limit: config.maxBodyBytes)
                let tenant = caller.tenant
                if let refused = try await refuseIdentifierDuplicate(key, body: body, mergePatch: nil, request: request, tenant: tenant) { return refused }
                let result = try await pool.run { try tenant.replace(key, body: body) }
                return await writeAnswer(result, tenant: tenant, created: false, headers: [:],
                                         body: result.record.map { $0.json.compactJSONBytes() })
            }
            group.patch(RouterPath(kind.pathSegment + "/{id}")) { request, context in
                let caller = try context.caller()
                let key = try Self.key(kind, context)
                let patch = try await request.jsonObject(limit: config.maxBodyBytes)
                let tenant = caller.tenant
                if let refused = try await refuseIdentifierDuplicate(key, body: nil, mergePatch: patch, request: request, tenant: tenant) { return refused }
                let result = try await pool.run { try tenant.patch(key, mergePatch: patch) }
                return await writeAnswer(result, tenant: tenant, created: false, headers: [:],
                                         body: result.record.map { $0.json.compactJSONBytes() })
            }
            group.delete(RouterPath(kind.pathSegment + "/{id}")) { _, context in
                let caller = try context.caller()
                let key = try Self.key(kind, context)
                let tenant = caller.tenant
                let result = try await pool.run { try tenant.delete(key) }
                return await writeAnswer(result, tenant: tenant, created: false, headers: [:], body: nil)
            }
        }
    }

    /// The record key of `/{id}`; an id outside the API's pattern cannot exist (`404`).
    static func key(_ kind: RecordKind, _ context: AppRequestContext) throws -> RecordKey {
        guard let raw = context.parameters.get("id"), let id = raw.removingPercentEncoding, Schema.isValidId(id) else {
            throw Problem.notFound
        }
        return RecordKey(kind: kind, id: id)
    }

    /// A created record as answered: the record, with the company's `main_contact` or the
    /// contact's `client`/`partner` created with it.
    static func createdBody(_ record: Record, related: [Record]) -> [UInt8] {
        guard case .object(var o) = record.json else { return record.json.compactJSONBytes() }
        for r in related {
            if record.kind.isCompany, r.kind == record.kind.contactKind { o["main_contact"] = r.json }
            if record.kind.isContact, r.kind == record.kind.companyKind { o[r.kind.rawValue] = r.json }
        }
        return JSONValue.object(o).compactJSONBytes()
    }

    /// Waits (bounded) for the change to be searchable: `201`/`200`/`204` once it is, `202`
    /// past `writeWaitTimeout`. Always with `LabSearch-Seq`.
    func writeAnswer(_ result: Tenant.WriteResult, tenant: Tenant, created: Bool, headers: HTTPFields, body: [UInt8]?) async -> Response {
        let searchable = await tenant.waitForIndex(result.seq, timeout: config.writeWaitTimeout)
        var h = headers
        h[.labSearchSeq] = String(result.seq)
        let status: HTTPResponse.Status = !searchable ? .accepted : created ? .created : body == nil ? .noContent : .ok
        guard let body else { return Response(status: status, headers: h) }
        return Self.json(body, status: status, headers: h)
    }
}
