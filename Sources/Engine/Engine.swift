import Analysis
import Foundation
import Logging
import Model
import Store

/// The engine of one process: the tenants it has opened, the analyzer they share, and the
/// system store of tenants and API keys.
///
/// One writer per tenant index (Xapian allows a single WritableDatabase): the first process
/// to open a tenant's index for writing applies its change log; any other process (the CLI
/// while the server runs) writes to the store only.
public final class Engine: @unchecked Sendable {
    public let config: EngineConfig
    public let analyzer: Analyzer
    public let system: SystemStore
    let logger: Logger
    private let writable: Bool
    var tenants: [String: Tenant] = [:]
    let lock = NSLock()

    public init(config: EngineConfig, logger: Logger = Logger(label: "labsearch.engine"), writable: Bool = true) throws {
        self.config = config
        self.logger = logger
        self.writable = writable
        // Xapian also commits by itself every XAPIAN_FLUSH_THRESHOLD documents (10,000 by
        // default, kept: raising it to 100,000 was 10% slower and took 20% more memory). Such a
        // commit carries an older last_seq, so a crash replays a few changes: replays are
        // idempotent (replace by id term).
        try FileManager.default.createDirectory(atPath: config.dataDirectory + "/tenants", withIntermediateDirectories: true)
        let rules = try config.analyzersDirectory.map { try AnalyzerRules.load(directory: $0) } ?? AnalyzerRules.loadDefault()
        analyzer = Analyzer(rules: rules)
        system = try SystemStore(path: config.dataDirectory + "/system.sqlite")
    }

    func tenantDirectory(_ name: String) -> String { config.dataDirectory + "/tenants/" + name }

    /// An existing tenant, opened on first use.
    public func tenant(_ name: String) throws -> Tenant {
        guard Schema.isValidTenant(name) else {
            throw EngineError(.invalidTenantName, "Nom de tenant invalide : 1 à 63 caractères parmi a-z, 0-9, « _ » et « - ».")
        }
        lock.lock(); defer { lock.unlock() }
        if let t = tenants[name] { return t }
        guard try system.tenantExists(name) || FileManager.default.fileExists(atPath: tenantDirectory(name) + "/store.sqlite") else {
            throw EngineError(.tenantNotFound, "Tenant inconnu : \(name).")
        }
        return try openLocked(name)
    }

    /// Creates a tenant (its store and index). An existing name is an error.
    @discardableResult
    public func createTenant(_ name: String) throws -> Tenant {
        guard Schema.isValidTenant(name) else {
            throw EngineError(.invalidTenantName, "Nom de tenant invalide : 1 à 63 caractères parmi a-z, 0-9, « _ » et « - ».")
        }
        lock.lock(); defer { lock.unlock() }
        let taken = EngineError(.tenantExists, "Le tenant « \(name) » existe déjà.")
        if try system.tenantExists(name) { throw taken }
        // The row first, in one IMMEDIATE transaction of system.sqlite (see
        // `SystemStore.createTenant`): of several processes creating the name at once, exactly
        // one gets here; the others get `tenantExists`. Only the winner then makes the directory.
        do {
            try system.createTenant(name)
        } catch let e as StoreError where e.code == .tenantExists {
            throw taken
        }
        return try openLocked(name)
    }

    /// The tenant, created on first use (the command line's `load`).
    public func openOrCreateTenant(_ name: String) throws -> Tenant {
        do { return try tenant(name) } catch let e as EngineError where e.code == .tenantNotFound {
            do { return try createTenant(name) } catch let e as EngineError where e.code == .tenantExists { return try tenant(name) }
        }
    }

    private func openLocked(_ name: String) throws -> Tenant {
        let t = try Tenant(name: name, directory: tenantDirectory(name), analyzer: analyzer, config: config,
                           logger: logger, writable: writable)
        t.start()
        tenants[name] = t
        return t
    }

    /// Tenants opened by this process.
    public var openTenants: [Tenant] {
        lock.lock(); defer { lock.unlock() }
        return Array(tenants.values)
    }

    private var closed = false

    /// Stops every indexer after a final catch-up and commit (bounded by
    /// `EngineConfig.stopCatchUpSeconds`), closes the tenants' stores, then the system store.
    /// Later calls do nothing; the engine is not used afterwards.
    public func shutdown() {
        lock.lock()
        let all = tenants.values
        tenants.removeAll()
        let closeSystem = !closed
        closed = true
        lock.unlock()
        for t in all { t.stop() }
        if closeSystem { try? system.close() }
    }
}
