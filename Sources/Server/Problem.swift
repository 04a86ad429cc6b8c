import Engine
import Foundation
import Hummingbird
import Model

/// An error answer in the `application/problem+json` shape of API.md (RFC 9457 style):
/// `{"type", "title", "status", "detail", "errors": [{"field", "message"}]}`. `type` is a
/// stable English slug; `title`, `detail` and the messages are French.
///
/// Errors are mapped to HTTP only here, at the edge: the engine throws `EngineError`, which
/// becomes a `Problem` through `Problem(_: EngineError)`.
public struct Problem: Error, Sendable, Equatable {
    public var status: HTTPResponse.Status
    public var type: String
    public var title: String
    public var detail: String
    public var errors: [FieldErrorInfo]
    /// Extra headers (`WWW-Authenticate` on 401).
    public var headers: HTTPFields = [:]

    public struct FieldErrorInfo: Sendable, Equatable, Codable {
        public var field: String
        public var message: String
        public init(field: String, message: String) { self.field = field; self.message = message }
    }

    public init(_ status: HTTPResponse.Status, type: String, title: String, detail: String,
                errors: [FieldErrorInfo] = [], headers: HTTPFields = [:]) {
        self.status = status
        self.type = type
        self.title = title
        self.detail = detail
        self.errors = errors
        self.headers = headers
    }

    public static func == (a: Problem, b: Problem) -> Bool {
        a.status == b.status && a.type == b.type && a.title == b.title && a.detail == b.detail && a.errors == b.errors
    }
}

// MARK: - The problems the server answers

extension Problem {
    /// `400`: a request parameter (`q`, `limit`, `tab`, …) is missing or invalid.
    static func invalidParameter(_ name: String, _ message: String) -> Problem {
        Problem(.badRequest, type: "invalid-parameter", title: "Paramètre invalide",
                detail: "Le paramètre « \(name) » est absent ou invalide.",
                errors: [.init(field: name, message: message)])
    }

    /// `400`: the body is not valid UTF-8, not valid JSON, or not the JSON object expected.
    static func invalidBody(_ message: String) -> Problem {
        Problem(.badRequest, type: "invalid-body", title: "Corps de requête invalide",
                detail: "Le corps de la requête n'est pas un document JSON valide.",
                errors: [.init(field: "body", message: message)])
    }

    /// `401` with `WWW-Authenticate: Bearer`: no key, an unknown key or a revoked key.
    static func unauthorized(_ detail: String, invalidToken: Bool) -> Problem {
        var headers = HTTPFields()
        headers[.wwwAuthenticate] = invalidToken ? "Bearer realm=\"labsearch\", error=\"invalid_token\"" : "Bearer realm=\"labsearch\""
        return Problem(.unauthorized, type: "unauthorized", title: "Authentification requise", detail: detail, headers: headers)
    }

    /// `403`: the key's role may not do this.
    static func forbidden(_ detail: String) -> Problem {
        Problem(.forbidden, type: "forbidden", title: "Action non autorisée", detail: detail)
    }

    /// `404`: no such record in the key's tenant, or no such route. Never says which.
    static let notFound = Problem(.notFound, type: "not-found", title: "Introuvable",
                                  detail: "La ressource demandée n'existe pas.")

    static let methodNotAllowed = Problem(.methodNotAllowed, type: "method-not-allowed", title: "Méthode non autorisée",
                                          detail: "Cette méthode HTTP n'est pas acceptée sur cette adresse.")

    /// `413`: the body exceeds the configured limit.
    static func tooLarge(limit: Int) -> Problem {
        Problem(.contentTooLarge, type: "payload-too-large", title: "Requête trop volumineuse",
                detail: "Le corps de la requête dépasse la taille maximale autorisée (\(Self.formatBytes(limit))).",
                errors: [.init(field: "body", message: "Taille maximale : \(Self.formatBytes(limit)).")])
    }

    /// `414`: the request target exceeds the configured limit.
    /// `431`: the request's header fields, together, exceed the configured limit.
    static func headersTooLarge(limit: Int) -> Problem {
        Problem(.requestHeaderFieldsTooLarge, type: "headers-too-large", title: "En-têtes trop volumineux",
                detail: "Les en-têtes de la requête dépassent la taille maximale autorisée (\(Self.formatBytes(limit))).")
    }

    static func uriTooLong(limit: Int) -> Problem {
        Problem(.uriTooLong, type: "uri-too-long", title: "Adresse trop longue",
                detail: "L'adresse de la requête dépasse la longueur maximale autorisée (\(Self.formatBytes(limit))).")
    }

    /// `415`: the body's content type is not the one the endpoint reads.
    static func unsupportedMediaType(expected: String) -> Problem {
        Problem(.unsupportedMediaType, type: "unsupported-media-type", title: "Type de contenu non pris en charge",
                detail: "Le corps doit être envoyé avec « Content-Type: \(expected) ».",
                errors: [.init(field: "Content-Type", message: "Type attendu : \(expected).")])
    }

    /// `403`: a cross-origin request from an origin that is not allowed.
    static let corsRefused = Problem(.forbidden, type: "cors-refused", title: "Origine non autorisée",
                                     detail: "Les requêtes depuis une autre origine ne sont pas autorisées par ce serveur.")

    /// `500`: a bug or an environment fault; details go to the log, never to the client.
    static let internalError = Problem(.internalServerError, type: "internal", title: "Erreur interne",
                                       detail: "Le serveur a rencontré une erreur inattendue. Réessayez ; si l'erreur persiste, contactez l'administrateur.")

    static func formatBytes(_ n: Int) -> String {
        if n >= 1 << 20, n % (1 << 20) == 0 { return "\(n >> 20) Mio" }
        if n >= 1 << 10, n % (1 << 10) == 0 { return "\(n >> 10) Kio" }
        return "\(n) octets"
    }
}

// MARK: - Engine errors → HTTP

extension Problem {
    /// The HTTP answer to an engine error. Validation is `422` everywhere (well-formed JSON
    /// whose content is refused); malformed requests are `400`.
    public init(_ e: EngineError) {
        let errors = e.fieldErrors.map { FieldErrorInfo(field: $0.field, message: $0.message) }
        switch e.code {
        case .validation:
            self.init(.unprocessableContent, type: "validation", title: "Données invalides", detail: e.message, errors: errors)
        case .notFound:
            self = .notFound
        case .idExists:
            self.init(.conflict, type: "id-exists", title: "Identifiant déjà utilisé", detail: e.message, errors: errors)
        case .conflict:
            self.init(.conflict, type: "conflict", title: "Conflit", detail: e.message, errors: errors)
        case .duplicate:
            self.init(.conflict, type: "duplicate", title: "Doublon probable", detail: e.message, errors: errors)
        case .invalidTenantName, .tenantNotFound:
            // Only reachable through a key whose tenant is gone: the key no longer works.
            self = .unauthorized("La clé d'API ne correspond à aucun tenant existant.", invalidToken: true)
        case .tenantExists:
            self.init(.conflict, type: "tenant-exists", title: "Tenant existant", detail: e.message)
        case .indexBusy:
            self.init(.serviceUnavailable, type: "index-busy", title: "Index occupé", detail: e.message)
            headers[.retryAfter] = "5"
        case .internalError:
            self = .internalError
        case .invalidParameter:
            self.init(.badRequest, type: "invalid-parameter", title: "Paramètre invalide", detail: e.message, errors: errors)
        }
    }

    /// The problem for a Hummingbird `HTTPError` (raised by the framework: body too large,
    /// no route, …).
    init(_ e: HTTPError, config: ServerConfig) {
        switch e.status {
        case .notFound: self = .notFound
        case .methodNotAllowed: self = .methodNotAllowed
        case .contentTooLarge: self = .tooLarge(limit: config.maxBodyBytes)
        case .uriTooLong: self = .uriTooLong(limit: config.maxURLBytes)
        case .unsupportedMediaType: self = .unsupportedMediaType(expected: "application/json")
        case .badRequest:
            self = .invalidBody("Requête mal formée.")
        default:
            if e.status.code >= 500 { self = .internalError } else {
                self.init(e.status, type: "http-\(e.status.code)", title: "Requête refusée", detail: "La requête a été refusée (\(e.status.code)).")
            }
        }
    }
}

// MARK: - Rendering

extension Problem: HTTPResponseError {
    private struct Body: Encodable {
        var type: String
        var title: String
        var status: Int
        var detail: String
        var errors: [FieldErrorInfo]
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        response()
    }

    /// The `application/problem+json` response.
    public func response() -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let data = (try? encoder.encode(Body(type: type, title: title, status: status.code, detail: detail, errors: errors))) ?? Data()
        var fields = headers
        fields[.contentType] = "application/problem+json; charset=utf-8"
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

extension EngineError: HTTPResponseError {
    public var status: HTTPResponse.Status { Problem(self).status }
    public func response(from request: Request, context: some RequestContext) throws -> Response {
        Problem(self).response()
    }
}
