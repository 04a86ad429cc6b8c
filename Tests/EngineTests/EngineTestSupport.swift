import Engine
import Foundation
import Model
import Testing

/// Helpers shared by the engine tests: real engines in temporary directories, bulk loading
/// that waits for the index, and short accessors on the search response.

/// A fresh temporary directory, removed by `remove()` (tests call it in a `defer`).
struct TempDirectory {
    let path: String

    init(_ label: String) throws {
        path = FileManager.default.temporaryDirectory
            .appendingPathComponent("labsearch-\(label)-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// An engine on its own temporary data directory.
final class TestEngine: @unchecked Sendable {
    let dir: TempDirectory
    let engine: Engine

    init(_ label: String, analyzersDirectory: String? = nil) throws {
        dir = try TempDirectory(label)
        engine = try Engine(config: EngineConfig(dataDirectory: dir.path, analyzersDirectory: analyzersDirectory))
    }

    /// Shuts the engine down and removes its directory.
    func close() {
        engine.shutdown()
        dir.remove()
    }
}

extension Tenant {
    /// Bulk-loads NDJSON lines and waits until the index has applied them.
    @discardableResult
    func load(_ ndjson: String, sourceLocation: SourceLocation = #_sourceLocation) -> BulkResult {
        let r = bulk(ndjson: Data(ndjson.utf8))
        #expect(r.errors.isEmpty, "bulk errors: \(r.errors)", sourceLocation: sourceLocation)
        #expect(waitForIndexBlocking(r.lastSeq, timeout: 30), "index did not catch up", sourceLocation: sourceLocation)
        return r
    }

    /// Waits for a write to be searchable.
    func settle(_ w: Tenant.WriteResult, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(waitForIndexBlocking(w.seq, timeout: 30), "index did not catch up", sourceLocation: sourceLocation)
    }

    func search(_ q: String, limit: Int = 5, tab: SearchTab? = nil, offset: Int = 0,
                inactive: SearchRequest.InactiveMode = .exclude) throws -> SearchResponse {
        try search(SearchRequest(query: q, limit: limit, tab: tab, offset: offset, inactive: inactive))
    }
}

extension SearchResponse {
    func group(_ kind: RecordKind) -> GroupResult {
        tabs.flatMap(\.groups).first { $0.kind == kind.rawValue }!
    }

    func ids(_ kind: RecordKind) -> [String] { group(kind).hits.map(\.id) }

    func first(_ kind: RecordKind) -> String? { group(kind).hits.first?.id }

    func hit(_ id: String, _ kind: RecordKind) -> Hit? { group(kind).hits.first { $0.id == id } }

    /// Totals of every group, keyed by kind (e.g. `["client": 3, "client_contact": 2, …]`).
    var totals: [String: Int] {
        Dictionary(uniqueKeysWithValues: tabs.flatMap(\.groups).map { ($0.kind, $0.total) })
    }

    var grandTotal: Int { tabs.reduce(0) { $0 + $1.total } }
}

/// One bulk line.
func upsertLine(_ kind: RecordKind, _ id: String, _ record: [String: Any]) -> String {
    let obj: [String: Any] = ["op": "upsert", "type": kind.rawValue, "id": id, "record": record]
    let data = try! JSONSerialization.data(withJSONObject: obj, options: [.sortedKeys])
    return String(decoding: data, as: UTF8.self)
}

func deleteLine(_ kind: RecordKind, _ id: String) -> String {
    #"{"op":"delete","type":"\#(kind.rawValue)","id":"\#(id)"}"#
}

/// Polls `condition` until it holds or `timeout` passes.
func eventually(timeout: Double, _ condition: () throws -> Bool) rethrows -> Bool {
    let deadline = Date(timeIntervalSinceNow: timeout)
    while Date() < deadline {
        if try condition() { return true }
        usleep(20_000)
    }
    return try condition()
}
