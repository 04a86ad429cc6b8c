import Engine
import Hummingbird
import NIOCore
import Store

/// The request context of LabSearch's routes: Hummingbird's core storage, the caller's
/// address, and who the API key says the caller is (set by `AuthMiddleware`).
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The peer's address (nil when unknown).
    public let remoteAddress: SocketAddress?
    /// The authenticated caller, on `/v1` routes that need a key.
    public var auth: Caller?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
        auth = nil
    }

    /// The caller, or a 401 problem (a route reached without `AuthMiddleware` is a bug, but it
    /// must still not serve data).
    func caller() throws -> Caller {
        guard let auth else { throw Problem.unauthorized("Clé d'API requise.", invalidToken: false) }
        return auth
    }
}

/// The tenant and role an API key grants.
public struct Caller: Sendable {
    public var tenant: Tenant
    public var role: APIRole
    public var keyId: String
}
