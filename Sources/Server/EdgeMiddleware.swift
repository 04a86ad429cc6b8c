import Engine
import XapianKit
import Foundation
import Hummingbird
import Logging

/// The outermost middleware: where every answer passes on its way out.
///
/// - refuses request targets longer than the limit (`414`) and header fields larger, together,
///   than theirs (`431`; past 80 KiB NIO's parser refuses the request itself: `400`, connection
///   closed);
/// - applies the CORS policy: no allowed origin by default, so a request carrying a foreign
///   `Origin` (and every preflight) is refused with `403`; an allowed origin gets the CORS
///   headers;
/// - maps every error to an `application/problem+json` answer (the only place errors become
///   HTTP), logging unexpected ones by type only (no personal data);
/// - records the request in `/metrics` under its route pattern.
struct EdgeMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let config: ServerConfig
    let metrics: ServerMetrics
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        metrics.started()
        var response: Response
        let origin = request.headers[.origin]
        let corsAllowed = origin.map { isAllowed(origin: $0) } ?? false
        if (request.head.path?.utf8.count ?? 0) > config.maxURLBytes {
            response = Problem.uriTooLong(limit: config.maxURLBytes).response()
        } else if Self.headerBytes(request.headers) > config.maxHeaderBytes {
            response = Problem.headersTooLarge(limit: config.maxHeaderBytes).response()
        } else if request.method == .options, origin != nil, request.headers[.accessControlRequestMethod] != nil {
            response = corsAllowed ? preflight() : Problem.corsRefused.response()
        } else if let origin, !corsAllowed, !isSameOrigin(origin, request: request) {
            response = Problem.corsRefused.response()
        } else {
            do {
                response = try await next(request, context)
            } catch {
                response = problem(for: error, request: request).response()
            }
        }
        if corsAllowed, let origin {
            response.headers[.accessControlAllowOrigin] = origin
            response.headers[.vary] = "Origin"
            response.headers[.accessControlExposeHeaders] = "Location, LabSearch-Seq, WWW-Authenticate"
        }
        response.headers[.xContentTypeOptions] = "nosniff"
        // Hummingbird names the not-found responder "NotFound"; both mean no route matched.
        let matched = context.coreContext.endpointPath.value
        let route = matched == nil || matched == "NotFound" ? "unmatched" : matched!
        let elapsed = start.duration(to: .now)
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        metrics.finished(method: request.method.rawValue, route: route, status: response.status.code, seconds: seconds)
        return response
    }

    /// The header fields' size as sent: each "name: value\r\n".
    static func headerBytes(_ fields: HTTPFields) -> Int {
        fields.reduce(0) { $0 + $1.name.rawName.utf8.count + $1.value.utf8.count + 4 }
    }

    private func problem(for error: Error, request: Request) -> Problem {
        switch error {
        case let p as Problem: return p
        case let e as EngineError:
            if e.code == .internalError { logger.error("engine internal error", metadata: ["http.route.method": "\(request.method)"]) }
            return Problem(e)
        case let e as HTTPError: return Problem(e, config: config)
        default:
            // The error's type only: descriptions may carry record content.
            var metadata: Logger.Metadata = ["error.type": "\(type(of: error))", "http.method": "\(request.method)"]
            if let x = error as? XapianError { metadata["error.code"] = "\(x.code)" }
            logger.error("unexpected error", metadata: metadata)
            return .internalError
        }
    }

    private func isAllowed(origin: String) -> Bool {
        config.allowedOrigins.contains(origin) || config.allowedOrigins.contains("*")
    }

    /// A page served by this server sends its own origin on POST/PUT/PATCH/DELETE: accept it.
    private func isSameOrigin(_ origin: String, request: Request) -> Bool {
        guard let authority = request.head.authority else { return false }
        return origin == "http://" + authority || origin == "https://" + authority
    }

    private func preflight() -> Response {
        var headers = HTTPFields()
        headers[.accessControlAllowMethods] = "GET, POST, PUT, PATCH, DELETE, OPTIONS"
        headers[.accessControlAllowHeaders] = "Authorization, Content-Type, Accept"
        headers[.accessControlMaxAge] = "600"
        return Response(status: .noContent, headers: headers)
    }
}
