import ArgumentParser
import DemoData
import Engine
import Foundation
import Logging
import Model
import Server
import Store

/// `labsearch serve`: the HTTP server (API.md) on a data directory, with `--demo` to create
/// and load a demo tenant. Stops gracefully on SIGTERM/SIGINT: in-flight requests finish (cut
/// after `--shutdown-grace` seconds), then the indexers commit and close, the stores close, and
/// the process exits 0 (within 30 s).
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the HTTP server (search API and search page).",
        discussion: """
            With --demo: creates the tenant "demo" if missing, loads about 50,000 generated \
            records on its first start, waits until they are indexed, then prints the URL and \
            a fresh demo admin key alone on the last line of standard output.
            """
    )

    @OptionGroup var data: DataOptions
    @Option(help: "Address to bind.") var host: String = "127.0.0.1"
    @Option(help: "Port to bind (0: any free port).") var port: Int = 8080
    @Flag(help: "Create and load the demo tenant, print a demo admin key.") var demo = false
    @Option(help: "Records generated for the demo tenant on its first start.") var demoSize: Int = 50_000
    @Option(name: .customLong("allow-origin"), help: ArgumentHelp("An origin allowed to call the API cross-origin (repeatable).", valueName: "origin"))
    var allowedOrigins: [String] = []
    @Option(help: "Seconds a write waits for its change to be searchable before answering 202.") var writeWait: Double = 2
    @Option(help: "On SIGTERM/SIGINT, seconds in-flight requests have to finish before they are cut.") var shutdownGrace: Double = 15
    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.") var logLevel: String = "info"

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port doit être compris entre 0 et 65535.") }
        guard demoSize >= 0, demoSize <= 5_000_000 else { throw ValidationError("--demo-size doit être compris entre 0 et 5000000.") }
        guard writeWait >= 0, writeWait <= 600 else { throw ValidationError("--write-wait doit être compris entre 0 et 600 secondes.") }
        guard shutdownGrace >= 0, shutdownGrace <= 25 else { throw ValidationError("--shutdown-grace doit être compris entre 0 et 25 secondes.") }
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level : trace, debug, info, notice, warning, error ou critical.")
        }
    }

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "labsearch")
        let engine: Engine
        do {
            engine = try Engine(config: EngineConfig(dataDirectory: data.directory), logger: Logger(label: "labsearch.engine"))
        } catch {
            Self.fail("impossible d'ouvrir le dossier de données « \(data.directory) » : \(error)")
        }

        var config = ServerConfig(host: host, port: port)
        config.allowedOrigins = allowedOrigins
        config.writeWaitTimeout = writeWait
        config.shutdownGracePeriod = shutdownGrace
        var demoKey: String? = nil
        if demo {
            do {
                demoKey = try Self.prepareDemo(engine: engine, size: demoSize)
            } catch {
                engine.shutdown()
                Self.fail("préparation du tenant de démonstration impossible : \(error)")
            }
            config.demoKey = demoKey
        }

        let mintedKey = demoKey
        let displayHost = host.contains(":") ? "[\(host)]" : (host == "0.0.0.0" ? "127.0.0.1" : host)
        do {
            try await LabSearchServer.run(config, engine: engine, logger: logger) { boundPort in
                var out = "LabSearch écoute sur http://\(displayHost):\(boundPort)/\n"
                if let demoKey = mintedKey {
                    out += "Tenant « demo » prêt. Clé d'API admin de démonstration (ligne suivante) :\n"
                    out += demoKey + "\n"
                }
                FileHandle.standardOutput.write(Data(out.utf8))
            }
            logger.info("stopped")
        } catch {
            logger.error("server stopped on an error", metadata: ["error.type": "\(type(of: error))"])
            Self.fail("le serveur s'est arrêté sur une erreur : \(error)")
        }
    }

    /// Creates the demo tenant if needed, loads generated records when it is empty, waits
    /// until the index has caught up, and mints a fresh admin key (keys are stored hashed, so
    /// each start makes a new one).
    static func prepareDemo(engine: Engine, size: Int) throws -> String {
        let tenant = try engine.openOrCreateTenant("demo")
        let existing = try RecordKind.allCases.reduce(0) { $0 + (try tenant.recordCount($1)) }
        var lastSeq = try tenant.indexStatus().storeSeq
        if existing == 0, size > 0 {
            let started = Date()
            let generator = DemoDataGenerator(size: size, seed: 0)
            var chunk = Data()
            var linesInChunk = 0
            var linesDone = 0
            var errors = 0
            func flush() {
                guard linesInChunk > 0 else { return }
                let result = tenant.bulk(ndjson: chunk, firstLine: linesDone - linesInChunk + 1)
                lastSeq = max(lastSeq, result.lastSeq)
                errors += result.errors.count
                chunk.removeAll(keepingCapacity: true)
                linesInChunk = 0
                progress("demo : \(linesDone)/\(size) fiches chargées")
            }
            generator.generateBytes { line in
                chunk.append(contentsOf: line)
                chunk.append(0x0A)
                linesInChunk += 1
                linesDone += 1
                if linesInChunk == 5000 { flush() }
            }
            flush()
            progress("demo : \(linesDone) fiches chargées en \(String(format: "%.1f", Date().timeIntervalSince(started))) s"
                     + (errors > 0 ? ", \(errors) lignes refusées" : "") + "\n")
        }
        if tenant.holdsIndex {
            let started = Date()
            while !tenant.waitForIndexBlocking(lastSeq, timeout: 1) {
                let status = try tenant.indexStatus()
                progress("demo : indexation \(status.indexSeq)/\(status.storeSeq)")
                if Date().timeIntervalSince(started) > 1800 { break }
            }
            progress("demo : index à jour (\(try tenant.indexStatus().documents) documents)\n")
        }
        return try engine.system.createKey(tenant: "demo", role: .admin).key
    }

    /// A progress line on stderr (rewritten in place on a terminal).
    static func progress(_ text: String) {
        let terminal = isatty(2) != 0
        if text.hasSuffix("\n") {
            FileHandle.standardError.write(Data(((terminal ? "\r\u{1B}[K" : "") + text).utf8))
        } else if terminal {
            FileHandle.standardError.write(Data(("\r\u{1B}[K" + text).utf8))
        } else {
            FileHandle.standardError.write(Data((text + "\n").utf8))
        }
    }

    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("labsearch : \(message)\n".utf8))
        Foundation.exit(1)
    }
}
