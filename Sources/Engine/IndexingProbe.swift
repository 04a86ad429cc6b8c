import Analysis
import Foundation
import Model
import Store
import XapianKit

/// Times the stages of indexing apart, on records already in memory, for the benchmark's
/// "where the load time goes" table: document building alone, then the same documents
/// written to a fresh Xapian database with nothing else (the physical reference of the
/// index's term lists: what any indexer of these terms pays Xapian).
public enum IndexingProbe {
    public struct Result: Sendable {
        public var documents: Int
        public var postings: Int
        public var buildSeconds: Double
        public var xapianSeconds: Double
    }

    /// The bulk path's first two stages apart: JSON parsing of NDJSON lines, then each line
    /// checked and its record normalized (`Tenant.parseBulkLine` does both in turn).
    public static func parseAndValidate(lines: [Data]) -> (records: [Record], parseSeconds: Double, validateSeconds: Double) {
        let t0 = DispatchTime.now().uptimeNanoseconds
        var values: [JSONValue] = []
        values.reserveCapacity(lines.count)
        for l in lines { if let v = try? JSONValue.parse(l) { values.append(v) } }
        let t1 = DispatchTime.now().uptimeNanoseconds
        var records: [Record] = []
        records.reserveCapacity(values.count)
        for case .object(let o) in values {
            guard case .string(let type)? = o["type"], let kind = RecordKind(rawValue: type),
                  case .string(let id)? = o["id"], case .object(var body)? = o["record"] else { continue }
            body.removeValue(forKey: "id")
            if case .success(let fields) = Validator.normalize(kind: kind, body: body) {
                records.append(Record(kind: kind, id: id, fields: fields))
            }
        }
        let t2 = DispatchTime.now().uptimeNanoseconds
        return (records, Double(t1 - t0) / 1e9, Double(t2 - t1) / 1e9)
    }

    /// The store stage alone: the records written to a fresh store at `path` as the bulk path
    /// writes them (chunks of 2,000 in one transaction each, the change
    /// log), durably. Returns the seconds taken.
    public static func store(records: [Record], path: String) throws -> Double {
        try? FileManager.default.removeItem(atPath: path)
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        let store = try TenantStore(path: path)
        let t0 = DispatchTime.now().uptimeNanoseconds
        var i = 0
        while i < records.count {
            let chunk = records[i..<min(records.count, i + 2000)]
            try store.write { tx in
                for r in chunk { _ = try tx.upsert(r) }
            }
            i += chunk.count
        }
        let t1 = DispatchTime.now().uptimeNanoseconds
        try store.close()
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        return Double(t1 - t0) / 1e9
    }

    /// Builds every record's document (related records looked up in `records`), then adds the
    /// documents to a new database at `path` (docids in their kind's range) and commits.
    public static func run(records: [Record], analyzer: Analyzer, path: String) throws -> Result {
        var byKey: [RecordKey: Record] = [:]
        byKey.reserveCapacity(records.count)
        for r in records { byKey[r.key] = r }
        var next: [RecordKind: Int64] = [:]
        let builder = DocumentBuilder(analyzer: analyzer)
        var docs: [(UInt32, PackedDocument)] = []
        docs.reserveCapacity(records.count)
        var postings = 0
        let t0 = DispatchTime.now().uptimeNanoseconds
        for r in records {
            let docid = (next[r.kind] ?? r.kind.docidBase) + 1
            next[r.kind] = docid
            let built = builder.build(r, related: TenantIndex.related(of: r, in: byKey))
            postings += built.document.termsAdded
            docs.append((UInt32(docid), built.document))
        }
        let t1 = DispatchTime.now().uptimeNanoseconds
        try? FileManager.default.removeItem(atPath: path)
        let w = try WritableDatabase(path: path, mode: .createOrOverwrite)
        if ProcessInfo.processInfo.environment["PROBE_SORTED"] != nil { docs.sort { $0.0 < $1.0 } }
        for (docid, doc) in docs { try w.replaceDocument(docid: docid, doc) }
        try w.commit()
        try w.close()
        let t2 = DispatchTime.now().uptimeNanoseconds
        try? FileManager.default.removeItem(atPath: path)
        return Result(documents: docs.count, postings: postings,
                      buildSeconds: Double(t1 - t0) / 1e9, xapianSeconds: Double(t2 - t1) / 1e9)
    }
}
