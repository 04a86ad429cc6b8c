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
/// Keys and tenants made by the command line while the server runs are seen at once: the
/// system store caches valid keys only until `system.sqlite` changes (`SystemStore.authenticate`).
struct AuthMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let engine: Engine

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let header = request.headers[.authorization] else {
            throw Problem.unauthorized("Clé d'API requise : envoyez l'en-tête « Authorization: Bearer <clé> ».", invalidToken: false)
        }
        guard let key = Self.bearerKey(header) else {
            throw Problem.unauthorized("En-tête « Authorization » invalide : « Bearer <clé> » attendu.", invalidToken: true)
        }
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

extension AuthMiddleware {
    /// The key of a `Bearer <key>` header (scheme in any case, blanks around the key
    /// trimmed); nil when the header is not of that form.
    ///
    /// An ASCII header (every real one) is read byte by byte; any other goes through the
    /// `String` operations this stands for (`split` on " " at most once, `lowercased`,
    /// `trimmingCharacters(in: .whitespaces)`), which cost about 10 µs per request.
    static func bearerKey(_ header: String) -> String? {
        var header = header
        let fast: String?? = header.withUTF8 { b -> String?? in
            guard !b.contains(where: { $0 >= 0x80 }) else { return .none }   // not ASCII: slow path
            var i = 0
            while i < b.count, b[i] == 0x20 { i += 1 }                          // leading separators
            let schemeStart = i
            while i < b.count, b[i] != 0x20 { i += 1 }
            let scheme = UnsafeBufferPointer(rebasing: b[schemeStart..<i])
            // One separator after the scheme, then the rest (empty: a single part).
            guard !scheme.isEmpty, i + 1 < b.count else { return .some(nil) }
            let bearer: [UInt8] = [0x62, 0x65, 0x61, 0x72, 0x65, 0x72]            // "bearer"
            guard scheme.count == 6, (0..<6).allSatisfy({ k in
                let c = scheme[k]
                return (c >= 0x41 && c <= 0x5A ? c | 0x20 : c) == bearer[k]
            }) else { return .some(nil) }
            var start = i + 1, end = b.count
            while start < end, b[start] == 0x20 || b[start] == 0x09 { start += 1 }    // .whitespaces in ASCII
            while end > start, b[end - 1] == 0x20 || b[end - 1] == 0x09 { end -= 1 }
            return .some(String(decoding: UnsafeBufferPointer(rebasing: b[start..<end]), as: UTF8.self))
        }
        if let fast { return fast }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return parts[1].trimmingCharacters(in: .whitespaces)
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
