import Engine
import Foundation
import Hummingbird
import Store

/// Bearer-key authentication for the `/v1` routes (API.md "Authentication").
///
/// `Authorization: Bearer <key>`: the key is looked up by its SHA-256 in the system store and
/// compared in constant time (`SystemStore.authenticate`). A missing, unknown or revoked key
/// answers `401` with `WWW-Authenticate: Bearer`. The caller's tenant and role go into the
/// context; every route then reads and writes that tenant only, so another tenant's record id
/// is simply not found (`404`): existence never leaks.
///
/// Keys and tenants made by the command line while the server runs are seen at once: nothing
/// is cached.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let engine: Engine

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization] else {
            throw Problem.unauthorized("Clé d'API requise : envoyez l'en-tête « Authorization: Bearer <clé> ».", invalidToken: false)
        }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else {
            throw Problem.unauthorized("En-tête « Authorization » invalide : « Bearer <clé> » attendu.", invalidToken: true)
        }
        let key = parts[1].trimmingCharacters(in: .whitespaces)
        guard let found = try engine.system.authenticate(key: key) else {
            throw Problem.unauthorized("Clé d'API inconnue ou révoquée.", invalidToken: true)
        }
        let tenant: Tenant
        do {
            tenant = try engine.tenant(found.tenant)
        } catch let e as EngineError where e.code == .tenantNotFound || e.code == .invalidTenantName {
            throw Problem.unauthorized("La clé d'API ne correspond à aucun tenant existant.", invalidToken: true)
        }
        var context = context
        context.auth = Caller(tenant: tenant, role: found.role, keyId: found.keyId)
        return try await next(request, context)
    }
}

extension Caller {
    /// Throws `403` unless the key is an admin key.
    func requireAdmin(_ action: String) throws {
        guard role == .admin else {
            throw Problem.forbidden("Seule une clé « admin » peut \(action).")
        }
    }
}
