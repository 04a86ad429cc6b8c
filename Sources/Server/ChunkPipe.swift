import Foundation

/// Chunks from a blocking producer (a thread of the `BlockingPool`) to an async consumer (the
/// response body writer), with at most `capacity` chunks in between: the producer blocks in
/// `send` while the pipe is full, so a slow client slows the export down instead of piling
/// its file up in memory.
///
/// The consumer ends the pipe with `cancel()` when it stops reading (client gone, error):
/// the producer's next `send` throws and its work unwinds. A producer left without a
/// consumer for `idleTimeout` seconds (the body never written, a stalled client) gives up the
/// same way.
final class ChunkPipe: @unchecked Sendable {
    struct Cancelled: Error, CustomStringConvertible {
        var reason: String
        var description: String { "export stream stopped: \(reason)" }
    }

    let capacity: Int
    let idleTimeout: Double
    private let condition = NSCondition()
    private var queue: [[UInt8]] = []
    private var head = 0
    private var ended: Result<Void, Error>?
    private var cancelled: String?
    private var waiter: CheckedContinuation<Void, Never>?
    /// Chunks taken by the consumer (the producer's idle clock restarts on each).
    private var taken = 0

    init(capacity: Int = 4, idleTimeout: Double = 120) {
        self.capacity = max(1, capacity)
        self.idleTimeout = idleTimeout
    }

    private var queued: Int { queue.count - head }

    private func wakeConsumerLocked() {
        if let w = waiter {
            waiter = nil
            w.resume()
        }
    }

    // MARK: producer (blocking)

    /// Queues a chunk, blocking while `capacity` chunks wait; throws once the consumer is gone.
    func send(_ chunk: [UInt8]) throws {
        condition.lock()
        defer { condition.unlock() }
        var seen = taken
        var deadline = Date(timeIntervalSinceNow: idleTimeout)
        while queued >= capacity && cancelled == nil {
            if taken != seen {
                seen = taken
                deadline = Date(timeIntervalSinceNow: idleTimeout)
            }
            if !condition.wait(until: deadline), taken == seen, queued >= capacity {
                cancelled = "no reader for \(Int(idleTimeout)) s"
            }
        }
        if let reason = cancelled { throw Cancelled(reason: reason) }
        queue.append(chunk)
        wakeConsumerLocked()
    }

    /// The producer is done: `nil` after the last chunk, or the error that stopped it.
    func finish(_ error: Error?) {
        condition.lock()
        if ended == nil { ended = error.map { .failure($0) } ?? .success(()) }
        wakeConsumerLocked()
        condition.unlock()
    }

    // MARK: consumer (async)

    /// The next chunk; nil after the last; throws the producer's error after the chunks sent
    /// before it.
    func next() async throws -> [UInt8]? {
        while true {
            switch take() {
            case .chunk(let chunk): return chunk
            case .end(let result): try result.get(); return nil
            case .wait: await withCheckedContinuation { park($0) }
            }
        }
    }

    private enum Take { case chunk([UInt8]), end(Result<Void, Error>), wait }

    private func take() -> Take {
        condition.lock()
        defer { condition.unlock() }
        if queued > 0 {
            let chunk = queue[head]
            queue[head] = []
            head += 1
            taken += 1
            if head == queue.count { queue.removeAll(keepingCapacity: true); head = 0 }
            condition.broadcast()
            return .chunk(chunk)
        }
        if let ended { return .end(ended) }
        return .wait
    }

    /// Resumes `c` when a chunk or the end arrives (at once if one is there already).
    private func park(_ c: CheckedContinuation<Void, Never>) {
        condition.lock()
        if queued > 0 || ended != nil {
            condition.unlock()
            c.resume()
        } else {
            waiter = c
            condition.unlock()
        }
    }

    /// The consumer stops reading: the producer's `send` throws from now on.
    func cancel(_ reason: String) {
        condition.lock()
        if cancelled == nil { cancelled = reason }
        queue.removeAll()
        head = 0
        condition.broadcast()
        condition.unlock()
    }
}
