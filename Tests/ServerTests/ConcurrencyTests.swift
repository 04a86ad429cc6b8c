import Foundation
import Hummingbird
import HummingbirdTesting
@testable import Server
import Testing

/// Search work runs on the blocking pool: `/healthz` keeps answering while searches queue up,
/// and the pool runs at most its thread count at once.
@Suite struct ConcurrencyTests {
    @Test func blockingPoolLimitsConcurrency() async throws {
        let pool = BlockingPool(threads: 2, name: "test-pool")
        let counter = Counter()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<16 {
                group.addTask {
                    try await pool.run {
                        counter.enter()
                        Thread.sleep(forTimeInterval: 0.01)
                        counter.leave()
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(counter.maximum == 2)
        pool.stop()
    }

    /// No timing asserted: `/healthz` must answer while searches are still queued on the one
    /// blocking thread (it would wait for all of them if it ran on the pool).
    @Test func healthzStaysResponsiveWhileThePoolIsBusy() async throws {
        var config = ServerConfig.test
        config.blockingThreads = 1
        try await withServer(config) { client, env in
            let body = (0..<2000).map { #"{"op":"upsert","type":"client","id":"b\#($0)","record":{"name":"Société \#($0) Alpha","city":"Lyon"}}"# }.joined(separator: "\n")
            #expect(try await client.call(.post, "/v1/bulk?wait=true", key: env.acmeAdmin, body: ByteBuffer(string: body),
                                          headers: [.contentType: "application/x-ndjson"]).status == .ok)
            let port = try #require(client.port)
            let done = Counter()
            let searches = 40
            // Separate connections: one HTTP/1.1 connection answers in order.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for i in 0..<searches {
                    group.addTask {
                        try await TestClient.withClient(host: "localhost", port: port) { c in
                            var headers = HTTPFields()
                            headers[.authorization] = "Bearer " + env.acmeUser
                            let r = try await c.execute(.init("/v1/search?q=s&limit=50&offset=\(i)", method: .get, headers: headers))
                            #expect(r.status == .ok)
                            done.enter()
                        }
                    }
                }
                try await Task.sleep(for: .milliseconds(20))
                try await TestClient.withClient(host: "localhost", port: port) { c in
                    let h = try await c.execute(.init("/healthz", method: .get))
                    #expect(h.status == .ok)
                    #expect(done.maximum < searches, "/healthz answered only after every queued search")
                }
                try await group.waitForAll()
                #expect(done.maximum == searches)
            }
        }
    }
}

final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var current = 0
    private(set) var maximum = 0
    func enter() { lock.lock(); current += 1; maximum = max(maximum, current); lock.unlock() }
    func leave() { lock.lock(); current -= 1; lock.unlock() }
}
