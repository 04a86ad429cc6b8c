import Engine
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle

/// Runs the server until SIGTERM or SIGINT, then shuts down gracefully: the HTTP server stops
/// accepting, finishes its in-flight requests (those still running after
/// `ServerConfig.shutdownGracePeriod` are cancelled: their connections are closed without an
/// answer), then the engine's indexers catch up (bounded by `EngineConfig.stopCatchUpSeconds`),
/// commit and close, and the SQLite stores close.
///
/// The HTTP application and the engine are `Service`s of one `ServiceGroup`; the group stops
/// them in reverse order of their list, so the engine (first) stops last.
public enum LabSearchServer {
    public static func run(
        _ config: ServerConfig,
        engine: Engine,
        logger: Logger = Logger(label: "labsearch.server"),
        onServerRunning: @escaping @Sendable (_ port: Int) async -> Void = { _ in }
    ) async throws {
        let app = try await buildApplication(config, engine: engine, logger: logger, onServerRunning: onServerRunning)
        var configuration = ServiceGroupConfiguration(
            services: [EngineService(engine: engine, logger: logger), app],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        )
        // Past the grace period the group escalates to cancellation: the HTTP server closes
        // its connections and the engine service still stops the indexers (it does on
        // cancellation too).
        configuration.maximumGracefulShutdownDuration = .milliseconds(Int64(max(0, config.shutdownGracePeriod) * 1000))
        let group = ServiceGroup(configuration: configuration)
        try await group.run()
    }
}

/// The engine as a service: waits for graceful shutdown, then stops every tenant's indexer
/// after a final catch-up and commit.
struct EngineService: Service {
    let engine: Engine
    let logger: Logger

    func run() async throws {
        try? await gracefulShutdown()
        logger.info("stopping indexers")
        let engine = self.engine
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            Thread.detachNewThread {
                engine.shutdown()
                continuation.resume()
            }
        }
        logger.info("indexers stopped")
    }
}
