import Engine
import Foundation
import Hummingbird
import Model

/// `GET /v1/search` (API.md "Search") and `/v1/index/…`.
extension Routes {
    func addSearchRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("search") { request, context in
            let caller = try context.caller()
            let search = try Self.searchRequest(QueryParameters(request.uri.query), config: config)
            let tenant = caller.tenant
            // A short read: on this thread when a slot is free (`BlockingPool.runPreferringCaller`).
            let body = try await pool.runPreferringCaller { try SearchJSON.buffer(tenant.search(search)) }
            return Response(status: .ok, headers: Self.searchHeaders, body: .init(byteBuffer: body))
        }
        group.get("index/status") { _, context in
            let tenant = try context.caller().tenant
            let status = try await pool.runPreferringCaller { try tenant.indexStatus() }
            return try Self.json(encoding: status)
        }
        group.post("index/reindex") { _, context in
            let caller = try context.caller()
            try caller.requireAdmin("reconstruire l'index")
            let tenant = caller.tenant
            let status = try await pool.run { () throws -> IndexStatus in
                guard tenant.holdsIndex else {
                    throw EngineError(.indexBusy, "Un autre processus tient l'index de ce tenant : relancez la reconstruction depuis celui-ci.")
                }
                try tenant.reindex()
                return try tenant.indexStatus()
            }
            return try Self.json(encoding: status)
        }
    }

    /// The headers of a search answer (those `json(_:headers:)` gives it, built once).
    static let searchHeaders: HTTPFields = {
        var headers = HTTPFields()
        headers[.cacheControl] = "no-store"
        headers[.contentType] = "application/json; charset=utf-8"
        return headers
    }()

    /// Validates the search parameters; each bad one is a `400` naming it.
    static func searchRequest(_ params: QueryParameters, config: ServerConfig) throws -> SearchRequest {
        guard let q = try params.get("q") else {
            throw Problem.invalidParameter("q", "Le paramètre « q » (texte recherché) est obligatoire.")
        }
        if q.count > config.maxQueryCharacters {
            throw Problem.invalidParameter("q", "Le texte recherché dépasse \(config.maxQueryCharacters) caractères.")
        }
        var request = SearchRequest(query: q)
        if let raw = try params.get("limit") {
            guard let limit = Int(raw), (0...50).contains(limit) else {
                throw Problem.invalidParameter("limit", "« limit » doit être un entier entre 0 et 50.")
            }
            request.limit = limit
        }
        if let raw = try params.get("tab"), !raw.isEmpty {
            guard let tab = SearchTab(rawValue: raw) else {
                throw Problem.invalidParameter("tab", "« tab » doit valoir clients, partners, events ou products.")
            }
            request.tab = tab
        }
        if let raw = try params.get("offset") {
            guard let offset = Int(raw), offset >= 0, offset <= config.maxSearchOffset else {
                throw Problem.invalidParameter("offset", "« offset » doit être un entier entre 0 et \(config.maxSearchOffset).")
            }
            request.offset = offset
        }
        if let raw = try params.get("inactive") {
            guard let mode = SearchRequest.InactiveMode(rawValue: raw) else {
                throw Problem.invalidParameter("inactive", "« inactive » doit valoir exclude, include ou only.")
            }
            request.inactive = mode
        }
        return request
    }
}
