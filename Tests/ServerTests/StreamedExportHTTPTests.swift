import Engine
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Model
@testable import Server
import Sheets
import Testing

/// The export streamed over loopback (many chunks, no Content-Length), and the pipe between the
/// blocking producer and the response writer: order, bounded buffering, the producer's error
/// after its chunks, and a consumer that leaves.
@Suite struct StreamedExportHTTPTests {
    @Test func aLargeExportStreamsInChunksAndReadsBack() async throws {
        try await withServer { client, env in
            let lines = (0..<1_500).map { i in
                #"{"op":"upsert","type":"client","id":"c\#(i)","record":{"name":"Société \#(i) « Événements »","city":"Lyon","type":"Agence"}}"#
            }
            let r = try await client.call(.post, "/v1/bulk?wait=true", key: env.acmeAdmin, body: ByteBuffer(string: lines.joined(separator: "\n")),
                                          headers: [.contentType: "application/x-ndjson"])
            #expect(r.status == .ok, "\(r.text)")
            try env.engine.system.createUser(tenant: "acme", email: "admin@acme.fr", role: .admin, password: "correct horse battery")
            for format in ["csv", "xlsx"] {
                let x = try await client.call(.post, "/v1/export", key: env.acmeAdmin, json: #"""
                    {"kind":"clients","format":"\#(format)","email":"admin@acme.fr","password":"correct horse battery",
                     "query":{"filters":[{"column":"city","op":"eq","values":["Lyon"]}],"columns":["name","contacts_count"]}}
                    """#)
                #expect(x.status == .ok, "\(x.text)")
                #expect(x.headers[.contentLength] == nil) // streamed: chunked transfer
                #expect(x.headers[.contentDisposition]?.hasSuffix(".\(format)\"") == true)
                let bytes = Array(x.body.readableBytesView)
                if format == "csv" { #expect(bytes.count > 64 << 10) } // more than one chunk of the pipe
                let (_, sheet) = try SheetReader.read(bytes, limits: { var l = SheetLimits(); l.maxFileBytes = 64 << 20; return l }())
                #expect(sheet.rows.count == 1_501)
                #expect(sheet.rows[1][1] == .text("Société 0 « Événements »"))
            }
        }
    }

    @Test func thePipeKeepsOrderAndBoundsItsBuffer() async throws {
        let pipe = ChunkPipe(capacity: 2)
        let maxAhead = PipeCounter()
        let producer = Thread {
            do {
                for i in 0..<200 {
                    try pipe.send([UInt8(i & 0xFF)])
                    maxAhead.sent(i + 1)
                }
                pipe.finish(nil)
            } catch {
                pipe.finish(error)
            }
        }
        producer.start()
        var got: [UInt8] = []
        while let chunk = try await pipe.next() {
            got += chunk
            maxAhead.received(got.count)
            if got.count % 50 == 0 { try await Task.sleep(nanoseconds: 5_000_000) }
        }
        #expect(got == (0..<200).map { UInt8($0 & 0xFF) })
        // Never more than `capacity` chunks sent ahead of what was taken (+1: the one being taken).
        #expect(maxAhead.maxAhead <= 3)
    }

    struct Boom: Error {}

    @Test func theProducersErrorComesAfterItsChunksAndACancelStopsIt() async throws {
        let pipe = ChunkPipe(capacity: 4)
        try pipe.send([1])
        try pipe.send([2])
        pipe.finish(Boom())
        #expect(try await pipe.next() == [1])
        #expect(try await pipe.next() == [2])
        await #expect(throws: Boom.self) { _ = try await pipe.next() }

        // The consumer leaves: a producer blocked on a full pipe is released with an error.
        let full = ChunkPipe(capacity: 1)
        try full.send([0])
        let released = PipeCounter()
        let t = Thread {
            do { try full.send([1]) } catch { released.sent(1) }
        }
        t.start()
        try await Task.sleep(nanoseconds: 50_000_000)
        full.cancel("client gone")
        for _ in 0..<100 where released.value == 0 { try await Task.sleep(nanoseconds: 10_000_000) }
        #expect(released.value == 1)
        #expect(throws: ChunkPipe.Cancelled.self) { try full.send([2]) }

        // Nobody reads: the producer gives up after the idle timeout.
        let idle = ChunkPipe(capacity: 1, idleTimeout: 0.05)
        try idle.send([0])
        #expect(throws: ChunkPipe.Cancelled.self) { try idle.send([1]) }
    }
}

final class PipeCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var sentCount = 0, receivedCount = 0, ahead = 0
    func sent(_ n: Int) { lock.withLock { sentCount = n; ahead = max(ahead, sentCount - receivedCount) } }
    func received(_ n: Int) { lock.withLock { receivedCount = n } }
    var maxAhead: Int { lock.withLock { ahead } }
    var value: Int { lock.withLock { sentCount } }
}
