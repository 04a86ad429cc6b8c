import Foundation
import GRDB

/// A store's SQLite connections (a `DatabasePool` for a tenant, a `DatabaseQueue` for the
/// system store) behind a gate. Every access counts itself in; `close()` refuses new accesses,
/// waits (bounded) for the running ones, then closes the connections.
///
/// GRDB's `close()` alone is not safe against an access that starts while it runs: a read that
/// has taken the pool's readers before the close runs after it on a closed connection and
/// crashes in SQLite (a queue's access after its close does too). The crash soak
/// (`benchmarks/soak.py`) met it at shutdown, when a list snapshot built in the background
/// (`ListMemory.requestBuild`) started while the server closed the store
/// (`StoreCloseTests` reproduces it).
final class Gated<Writer: DatabaseWriter>: @unchecked Sendable {
    let database: Writer
    private let condition = NSCondition()
    private var active = 0
    private var closing = false

    init(_ database: Writer) { self.database = database }

    /// Whether `close()` has been called (accesses now throw).
    var isClosed: Bool {
        condition.lock(); defer { condition.unlock() }
        return closing
    }

    /// Runs `body` unless the store is closing (then throws), counted as a running access.
    func access<T>(_ body: (Writer) throws -> T) throws -> T {
        condition.lock()
        guard !closing else {
            condition.unlock()
            throw StoreError(.sqlite("21: la base est fermée"))
        }
        active += 1
        condition.unlock()
        defer {
            condition.lock()
            active -= 1
            if active == 0 { condition.broadcast() }
            condition.unlock()
        }
        return try body(database)
    }

    func read<T>(_ body: (Database) throws -> T) throws -> T {
        try access { try $0.read(body) }
    }

    func write<T>(_ body: (Database) throws -> T) throws -> T {
        try access { try $0.write(body) }
    }

    /// Refuses new accesses, waits up to `timeout` seconds for the running ones, then closes the
    /// connections. Still busy after `timeout`: the connections are left open (the process is
    /// ending; SQLite recovers at the next open) rather than closed under a running access.
    /// Returns whether the connections were closed (false also when already closing).
    @discardableResult
    func close(timeout: Double = 10) throws -> Bool {
        condition.lock()
        guard !closing else { condition.unlock(); return false }
        closing = true
        let deadline = Date(timeIntervalSinceNow: timeout)
        while active > 0 && Date() < deadline { _ = condition.wait(until: deadline) }
        let idle = active == 0
        condition.unlock()
        guard idle else { return false }
        try database.close()
        return true
    }
}

typealias GatedPool = Gated<DatabasePool>
typealias GatedQueue = Gated<DatabaseQueue>
