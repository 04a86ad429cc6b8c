import Engine
import Foundation
import HTTPTypes
import Hummingbird
import Model
import NIOCore

/// `POST /v1/duplicates` (API.md "Duplicate check before creation") and the duplicate check
/// of the creation routes.
///
/// `{"kind": "client" | "client_contact" | "partner" | "partner_contact", "record": {…}}` →
/// `200 {"candidates": [{"id","kind","score","active","reasons"}]}`, best first (empty when
/// nothing is close). Another kind → `400` naming `kind`; a `record` that is not an object →
/// `400` naming `record`.
extension Routes {
    func handleDuplicates(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let caller = try context.caller()
        let body = try await request.jsonObject(limit: config.maxBodyBytes)
        guard case .string(let rawKind)? = body["kind"], let kind = RecordKind(rawValue: rawKind), kind.supportsDuplicateCheck else {
            throw Problem.invalidParameter("kind", "Type attendu : client, client_contact, partner ou partner_contact.")
        }
        let record: [String: JSONValue]
        switch body["record"] {
        case .object(let o)?: record = o
        case nil, .null?: record = [:]
        default: throw Problem.invalidParameter("record", "La fiche doit être un objet JSON.")
        }
        let tenant = caller.tenant
        let candidates = try await pool.run { try tenant.duplicates(kind: kind, body: record) }
        return Self.json(JSONValue.object(["candidates": .array(candidates.map(\.json))]).compactJSONBytes())
    }

    /// Before a creation without `?force=true`: `409 duplicate` with the candidates when the
    /// best one reaches the block threshold (`DuplicateConfig.blockThreshold`). A body whose
    /// `id` already exists is left to the creation (`409 id-exists`).
    /// Returns the `409` answer, or nil to go on with the creation.
    func refuseLikelyDuplicate(kind: RecordKind, body: [String: JSONValue], request: Request, tenant: Tenant) async throws -> Response? {
        guard kind.supportsDuplicateCheck else { return nil }
        if let force = try QueryParameters(request.uri.query).get("force"), ["true", "1", "yes"].contains(force.lowercased()) { return nil }
        let config = DuplicateConfig.default
        let candidates = try await pool.run { () -> [DuplicateCandidate] in
            if case .string(let id)? = body["id"], Schema.isValidId(id), try tenant.get(RecordKey(kind: kind, id: id)) != nil { return [] }
            return try tenant.duplicates(kind: kind, body: body, config: config)
        }
        guard let best = candidates.first, best.score >= config.blockThreshold else { return nil }
        return DuplicateProblem(candidates: candidates.filter { $0.score >= config.reportThreshold }).response()
    }
}

extension Routes {
    /// Before a `PUT`/`PATCH` without `?force=true`: `409 duplicate` when a changed identifier
    /// (SIRET, VAT, e-mail, phone) is another record's and that candidate reaches the block
    /// threshold. Returns the `409` answer, or nil to go on with the write.
    func refuseIdentifierDuplicate(_ key: RecordKey, body: [String: JSONValue]?, mergePatch: [String: JSONValue]?,
                                   request: Request, tenant: Tenant) async throws -> Response? {
        guard key.kind.supportsDuplicateCheck else { return nil }
        if let force = try QueryParameters(request.uri.query).get("force"), ["true", "1", "yes"].contains(force.lowercased()) { return nil }
        let config = DuplicateConfig.default
        let candidates = try await pool.run { try tenant.identifierDuplicates(key, body: body, mergePatch: mergePatch, config: config) }
        guard let best = candidates.first, best.score >= config.blockThreshold else { return nil }
        return DuplicateProblem(candidates: candidates.filter { $0.score >= config.reportThreshold }).response()
    }
}

/// `409` problem `duplicate` with a `candidates` member (API.md): the search page lists them
/// and offers "Créer quand même" (`?force=true`).
struct DuplicateProblem {
    var candidates: [DuplicateCandidate]

    func response() -> Response {
        let n = candidates.count
        let body: JSONValue = .object([
            "type": .string("duplicate"),
            "title": .string("Doublon probable"),
            "status": .number(409),
            "detail": .string(n == 1 ? "Une fiche existante ressemble fortement à celle-ci : vérifiez-la, ou créez quand même (?force=true)."
                                     : "\(n) fiches existantes ressemblent fortement à celle-ci : vérifiez-les, ou créez quand même (?force=true)."),
            "errors": .array([]),
            "candidates": .array(candidates.map(\.json)),
        ])
        var headers = HTTPFields()
        headers[.contentType] = "application/problem+json; charset=utf-8"
        return Response(status: .conflict, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: body.compactJSONBytes())))
    }
}
