import Foundation
import ServiceLifecycle

/// A small pool of dedicated threads for blocking engine work (Xapian searches, SQLite reads
/// and writes). Swift's cooperative pool has one thread per core (two here): a search that
/// blocks one of them stalls every other task, `/healthz` included. Work submitted here runs on
/// its own threads, at most `threadCount` at a time, in submission order. Short reads may run
/// on their caller's thread instead while the pool is not backed up (`runPreferringCaller`).
///
/// It is a `Service`: the application's `ServiceGroup` stops its threads on shutdown, after the
/// HTTP server has finished its in-flight requests.
final class BlockingPool: Service, @unchecked Sendable {
    let threadCount: Int
    /// Jobs that `runPreferringCaller` may run at once on their caller's thread.
    let callerSlots: Int
    private var callerRunning = 0
    private let name: String
    private let condition = NSCondition()
    private var jobs: [() -> Void] = []
    private var head = 0
    private var started = false
    private var stopping = false
    private var running = 0

    /// - Parameters:
    ///   - threads: the pool's threads.
    ///   - callerSlots: how many jobs `runPreferringCaller` may run on their caller's thread
    ///     at once (0: never).
    init(threads: Int, callerSlots: Int = 0, name: String) {
        threadCount = max(1, threads)
        self.callerSlots = max(0, callerSlots)
        self.name = name
    }

    /// Jobs waiting for a thread (a gauge of `/metrics`).
    var queueDepth: Int {
        condition.lock(); defer { condition.unlock() }
        return jobs.count - head
    }

    /// Jobs running now.
    var busyThreads: Int {
        condition.lock(); defer { condition.unlock() }
        return running
    }

    /// Runs `body` on one of the pool's threads and returns its result.
    ///
    /// Cancelling the caller's task (a shutdown past its grace period) throws
    /// `CancellationError` at once; `body` still runs (or finishes) on its thread, its result
    /// dropped, so a write either happens or not, never halfway (it is one transaction).
    func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        let once = ResumeOnce<T>()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, Error>) in
                once.set(continuation)
                submit { once.resume(with: Result { try body() }) }
            }
        } onCancel: {
            once.resume(with: .failure(CancellationError()))
        }
    }

    /// Runs a short job (a search, a read of a few rows) on the calling thread when fewer than
    /// `callerSlots` such jobs run there already and no job waits in the pool's queue (none is
    /// overtaken), else on the pool as `run` does.
    ///
    /// A job on the pool costs two thread hand-offs (to a pool thread, and back to the
    /// cooperative pool to answer), each a wake-up of a sleeping thread: 30–60 µs apiece with
    /// caches cold after a search, as much as all the rest of the HTTP work. `callerSlots` is at
    /// most one less than the cooperative pool's width (`ServerConfig.inlineBlockingJobs`), so
    /// at least one of its threads is never blocked here: `/healthz` and the event loops' tasks
    /// keep a thread, and past the slots the jobs queue on the pool as before.
    func runPreferringCaller<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        if callerSlots > 0, takeCallerSlot() {
            defer { releaseCallerSlot() }
            return try body()
        }
        return try await run(body)
    }

    private func takeCallerSlot() -> Bool {
        condition.lock(); defer { condition.unlock() }
        // Never ahead of queued jobs: under load the pool serves in order, as before.
        guard callerRunning < callerSlots, head == jobs.count, !stopping else { return false }
        callerRunning += 1
        return true
    }

    private func releaseCallerSlot() {
        condition.lock()
        callerRunning -= 1
        condition.unlock()
    }

    private func submit(_ job: @escaping () -> Void) {
        condition.lock()
        if !started { startLocked() }
        if stopping {
            condition.unlock()
            job()   // after shutdown (never in normal operation): run inline rather than hang
            return
        }
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    private func startLocked() {
        started = true
        for i in 0..<threadCount {
            let thread = Thread { [self] in self.loop() }
            thread.name = "\(name)-\(i)"
            thread.stackSize = 8 << 20
            thread.start()
        }
    }

    private func loop() {
        while true {
            condition.lock()
            while head == jobs.count && !stopping { condition.wait() }
            if head == jobs.count && stopping { condition.unlock(); return }
            let job = jobs[head]
            head += 1
            if head > 1024 && head * 2 > jobs.count { jobs.removeFirst(head); head = 0 }
            running += 1
            condition.unlock()
            job()
            condition.lock()
            running -= 1
            condition.unlock()
        }
    }

    /// Lets queued jobs finish, then ends the threads.
    func stop() {
        condition.lock()
        stopping = true
        condition.broadcast()
        condition.unlock()
    }

    func run() async throws {
        try? await gracefulShutdown()
        stop()
    }
}

/// Resumes a continuation exactly once: with the job's result, or earlier with a cancellation
/// (which may come before the continuation exists).
final class ResumeOnce<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<T, Error>?
    private var early: Result<T, Error>?
    private var done = false

    func set(_ c: CheckedContinuation<T, Error>) {
        lock.lock()
        if let r = early {
            early = nil
            done = true
            lock.unlock()
            c.resume(with: r)
            return
        }
        continuation = c
        lock.unlock()
    }

    func resume(with result: Result<T, Error>) {
        lock.lock()
        guard !done else { lock.unlock(); return }
        guard let c = continuation else {
            if early == nil { early = result }
            lock.unlock()
            return
        }
        continuation = nil
        done = true
        lock.unlock()
        c.resume(with: result)
    }
}
