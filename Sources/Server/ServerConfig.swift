import Foundation

/// Settings of the HTTP server, with their defaults. A `Sendable` value: the app is built from
/// it by `buildApplication(_:engine:)`, so the command line and the tests pass their own.
public struct ServerConfig: Sendable {
    /// Address to bind. Default `127.0.0.1` (loopback only).
    public var host: String = "127.0.0.1"
    /// Port to bind. Default `8080`; `0` picks a free port (tests).
    public var port: Int = 8080

    /// Largest JSON request body (records), in bytes. Default 1 MiB → `413` beyond.
    public var maxBodyBytes: Int = 1 << 20
    /// Largest `/v1/bulk` body, in bytes. Default 64 MiB → `413` beyond.
    public var maxBulkBytes: Int = 64 << 20
    /// Largest import file, in bytes. Default 2 MiB (2,097,152 bytes) → `413` beyond.
    public var maxImportBytes: Int = 2 << 20
    /// Longest request target (path and query), in bytes. Default 8 KiB → `414` beyond.
    public var maxURLBytes: Int = 8 << 10
    /// Largest header fields of a request, all together ("name: value\r\n" each), in bytes.
    /// Default 16 KiB → `431` beyond (NIO's HTTP parser refuses more than 80 KiB by itself:
    /// `400` and the connection closed).
    public var maxHeaderBytes: Int = 16 << 10
    /// Longest search text `q`, in characters. Default 512 → `400` naming `q` beyond.
    public var maxQueryCharacters: Int = 512
    /// Largest `offset` accepted by `/v1/search`. Default 10 000 (deeper pages cost more than
    /// they help a search bar) → `400` naming `offset` beyond.
    public var maxSearchOffset: Int = 10_000

    /// Origins allowed to call the API from a browser page served elsewhere
    /// (`https://crm.example.fr`). Default none: cross-origin requests get no CORS headers,
    /// are refused with `403`, and so are preflights.
    public var allowedOrigins: [String] = []

    /// How long a write waits for its change to be searchable before answering `202`, in
    /// seconds. Default 2.
    public var writeWaitTimeout: Double = 2.0
    /// How long `POST /v1/bulk?wait=true` waits for the index to catch up before answering
    /// `202`, in seconds. Default 120.
    public var bulkWaitTimeout: Double = 120

    /// Threads running blocking engine work (Xapian searches, SQLite reads and writes) off the
    /// cooperative pool, so `/healthz` stays responsive under load. Default: the number of
    /// cores, at least 2.
    public var blockingThreads: Int = max(2, ProcessInfo.processInfo.activeProcessorCount)

    /// Short blocking reads (a search, `/v1/index/status`, a record by id) allowed to run at
    /// once on the request's own thread, a thread of Swift's cooperative pool, instead of
    /// being handed to the blocking pool and back (two thread wake-ups, 50–100 µs per request).
    /// Default: the number of cores less one, so one thread of the cooperative pool (one per
    /// core) always stays free for `/healthz` and the connections' tasks; 0 on one core. Reads
    /// past this number, and every read while jobs wait in the blocking pool's queue (under
    /// load), go to the blocking pool, in order.
    public var inlineBlockingJobs: Int = max(0, ProcessInfo.processInfo.activeProcessorCount - 1)

    /// In demo mode: the demo tenant's key, handed to the page by `GET /v1/demo-key` only when
    /// the server is bound to a loopback address. Default nil (the endpoint answers 404).
    public var demoKey: String? = nil

    /// How long a wrong export password waits before its `403`, in seconds. Default 1.
    public var exportFailureDelay: Double = 1.0
    /// Failed export passwords per user (three times as many per API key) within
    /// `exportFailureWindow` seconds before `429`. Defaults 5 and 900 (15 minutes).
    public var exportMaxFailures: Int = 5
    public var exportFailureWindow: Double = 900

    /// On SIGTERM/SIGINT, how long in-flight requests have to finish before they are cut
    /// (task cancellation), in seconds. The indexers' last catch-up follows, bounded by
    /// `EngineConfig.stopCatchUpSeconds`. Default 15.
    public var shutdownGracePeriod: Double = 15

    /// Server name sent in the `Server` header; nil sends none.
    public var serverName: String? = nil

    public init(host: String = "127.0.0.1", port: Int = 8080) {
        self.host = host
        self.port = port
    }

    /// Whether `host` is a loopback address (where the demo key may be handed out).
    public var isLoopback: Bool {
        host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
    }
}
