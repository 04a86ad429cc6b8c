import Engine
import Foundation
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// Builds the HTTP application of LabSearch on an engine: the routes of API.md, the
/// middlewares (edge: limits, CORS, problems, metrics; auth on `/v1`), and the blocking pool
/// the engine's work runs on. The command line (`serve`) and the tests both call it.
///
/// - Parameters:
///   - config: host, port, limits, CORS origins, timeouts.
///   - engine: the engine whose tenants are served. The caller shuts it down after the app
///     stops (`LabSearchServer.run` does).
///   - onServerRunning: called once the server listens, with the port it is bound to.
public func buildApplication(
    _ config: ServerConfig,
    engine: Engine,
    logger: Logger = Logger(label: "labsearch.server"),
    onServerRunning: @escaping @Sendable (_ port: Int) async -> Void = { _ in }
) async throws -> some ApplicationProtocol {
    let (router, services) = buildRouter(config, engine: engine, logger: logger)
    let configuration = ApplicationConfiguration(address: .hostname(config.host, port: config.port), serverName: config.serverName)
    return Application(
        router: router,
        configuration: configuration,
        services: services,
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? config.port) },
        logger: logger
    )
}

/// The application's router: every route and middleware, and the services its routes need
/// running (the blocking pools; their threads start on their first job). `buildApplication`
/// serves this router; `ServiceTests` walks its routes against the OpenAPI document.
func buildRouter(
    _ config: ServerConfig,
    engine: Engine,
    logger: Logger
) -> (router: Router<AppRequestContext>, services: [any Service]) {
    let pool = BlockingPool(threads: config.blockingThreads, callerSlots: config.inlineBlockingJobs, name: "labsearch-blocking")
    let exportPool = BlockingPool(threads: 2, name: "labsearch-export")
    let metrics = ServerMetrics()
    let routes = Routes(engine: engine, config: config, pool: pool, exportPool: exportPool, metrics: metrics,
                        exportGuard: ExportGuard(system: engine.system, maxFailures: config.exportMaxFailures, window: config.exportFailureWindow))

    let router = Router(context: AppRequestContext.self)
    // Middlewares apply to the routes added after them: add them first.
    router.add(middleware: EdgeMiddleware(config: config, metrics: metrics, logger: logger))
    routes.addServiceRoutes(to: router)

    let api = router.group("v1").add(middleware: AuthMiddleware(engine: engine))
    routes.addRecordRoutes(to: api)
    routes.addSearchRoutes(to: api)
    routes.addBulkRoutes(to: api)
    routes.addDuplicateRoutes(to: api)
    routes.addTransferRoutes(to: api)
    routes.addListRoutes(to: api)

    return (router, [pool, exportPool])
}
