import DemoData
import Engine
import Foundation
import Model

// LabSearch benchmark: load the demo generator's records into a fresh tenant, then run query
// sets per category and report latency percentiles and recall (the expected record in the
// top 10 of its group). Release builds only: `swift run -c release LabSearchBench --size N`.

struct Options {
    var size = 10_000
    var perCategory = 200
    var runs = 3
    var seed: UInt64 = 0
    var data: String? = nil
    var out = "results"

    init(_ args: [String]) {
        var i = 1
        func value() -> String { i += 1; return i < args.count ? args[i] : "" }
        while i < args.count {
            switch args[i] {
            case "--size": size = Int(value()) ?? size
            case "--queries": perCategory = Int(value()) ?? perCategory
            case "--runs": runs = Int(value()) ?? runs
            case "--seed": seed = UInt64(value()) ?? seed
            case "--data": data = value()
            case "--out": out = value()
            default: FileHandle.standardError.write(Data("unknown option \(args[i])\n".utf8)); exit(2)
            }
            i += 1
        }
    }
}

func percentile(_ sorted: [Double], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return .nan }
    let idx = min(sorted.count - 1, max(0, Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1))
    return sorted[idx]
}

func directorySize(_ path: String) -> Int {
    var total = 0
    if let e = FileManager.default.enumerator(atPath: path) {
        for case let f as String in e {
            total += (try? FileManager.default.attributesOfItem(atPath: path + "/" + f)[.size] as? Int) ?? 0
        }
    }
    return total
}

func peakRSSBytes() -> Int {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return usage.ru_maxrss * 1024
}

let opt = Options(CommandLine.arguments)
let dataDir = opt.data ?? "/tmp/labsearch-bench-\(opt.size)-\(opt.seed)"
try? FileManager.default.removeItem(atPath: dataDir)
let engine = try Engine(config: EngineConfig(dataDirectory: dataDir))
let tenant = try engine.createTenant("bench")

// Generate the records in memory first: loading is measured from the first line applied.
var lines: [[UInt8]] = []
DemoDataGenerator(size: opt.size, seed: opt.seed).generateBytes { lines.append($0) }
let loadStart = Date()
var lastSeq: Int64 = 0
var loadErrors = 0
var chunk = Data()
for (i, line) in lines.enumerated() {
    chunk.append(contentsOf: line)
    chunk.append(0x0A)
    if chunk.count > 4 << 20 || i == lines.count - 1 {
        let r = tenant.bulk(ndjson: chunk)
        lastSeq = max(lastSeq, r.lastSeq)
        loadErrors += r.errors.count
        chunk.removeAll(keepingCapacity: true)
    }
}
let storeDone = Date()
_ = tenant.waitForIndexBlocking(lastSeq, timeout: 7200)
let loadEnd = Date()
let loadSeconds = loadEnd.timeIntervalSince(loadStart)
let status = try tenant.indexStatus()
let storeBytes = directorySize(dataDir + "/tenants/bench") - directorySize(dataDir + "/tenants/bench/index")
let indexBytes = directorySize(dataDir + "/tenants/bench/index")

let queries = Workload.build(lines: lines, perCategory: opt.perCategory, seed: opt.seed)

// Duplicate checks: records of the data set re-typed the way a user would create them again
// (accents dropped, legal form removed, first/last names swapped), each expected among the
// candidates.
var dupChecks: [(RecordKind, [String: JSONValue], String)] = []
var dupRng = SplitMix(state: opt.seed &+ 99)
for line in lines where dupChecks.count < opt.perCategory * 2 {
    guard dupRng.int(max(lines.count / (opt.perCategory * 3), 1)) == 0,
          case .object(let o)? = try? JSONValue.parse(Data(line)), case .string(let type)? = o["type"],
          let kind = RecordKind(rawValue: type), case .string(let id)? = o["id"], case .object(let body)? = o["record"] else { continue }
    var probe: [String: JSONValue] = [:]
    switch kind {
    case .client, .partner:
        guard let name = body["name"]?.stringValue else { continue }
        probe["name"] = .string(Workload.stripAccents(name).uppercased())
        if let c = body["city"] { probe["city"] = c }
    case .clientContact, .partnerContact:
        guard let f = body["first_name"]?.stringValue, let l = body["last_name"]?.stringValue else { continue }
        probe["first_name"] = .string(l); probe["last_name"] = .string(f)   // swapped
        if let e = body["email"] { probe["email"] = e }
        if let c = body[kind.companyField!] { probe[kind.companyField!] = c }
    default: continue
    }
    dupChecks.append((kind, probe, id))
}
lines.removeAll()

// Warm up, then measure.
for q in queries.prefix(200) { _ = try tenant.search(SearchRequest(query: q.text, limit: 10)) }
var latencies: [String: [Double]] = [:]
var found: [String: (hit: Int, total: Int)] = [:]
var order: [String] = []
var misses: [String: [String]] = [:]
var slowest: [String: [(Double, String)]] = [:]
for q in queries {
    if latencies[q.category] == nil { order.append(q.category) }
    var best = Double.infinity
    var response: SearchResponse? = nil
    for _ in 0..<max(opt.runs, 1) {
        let t0 = DispatchTime.now().uptimeNanoseconds
        response = try tenant.search(SearchRequest(query: q.text, limit: 10))
        let ms = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6
        latencies[q.category, default: []].append(ms)
        best = min(best, ms)
    }
    slowest[q.category, default: []].append((best, q.text))
    var f = found[q.category] ?? (0, 0)
    f.total += 1
    if let r = response {
        if let kind = q.expectedKind, let id = q.expectedId {
            let group = r.tabs.flatMap(\.groups).first { $0.kind == kind }
            if group?.hits.contains(where: { $0.id == id }) == true {
                f.hit += 1
            } else if misses[q.category, default: []].count < 3 {
                misses[q.category, default: []].append("`\(q.text)` → expected \(id), got \(group?.hits.first.map { "\($0.id) (\($0.title))" } ?? "nothing") of \(group?.total ?? 0)")
            }
        } else if r.tabs.allSatisfy({ $0.total == 0 }) {
            f.hit += 1   // no-match: nothing found is the right answer
        }
    }
    found[q.category] = f
}
var dupLatencies: [Double] = []
var dupFound = 0
for (kind, probe, id) in dupChecks {
    let t0 = DispatchTime.now().uptimeNanoseconds
    let c = try tenant.duplicates(kind: kind, body: probe)
    dupLatencies.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
    if c.contains(where: { $0.id == id }) { dupFound += 1 }
}
dupLatencies.sort()
engine.shutdown()

struct CategoryResult: Codable {
    var category: String, queries: Int, p50_ms: Double, p95_ms: Double, p99_ms: Double, recall_at_10: Double
    var example: String
}
var results: [CategoryResult] = []
for c in order {
    let l = (latencies[c] ?? []).sorted()
    let f = found[c] ?? (0, 0)
    results.append(CategoryResult(category: c, queries: f.total, p50_ms: percentile(l, 50), p95_ms: percentile(l, 95),
                                  p99_ms: percentile(l, 99), recall_at_10: f.total > 0 ? Double(f.hit) / Double(f.total) : .nan,
                                  example: queries.first { $0.category == c }?.text ?? ""))
}
struct Report: Codable {
    var size: Int, seed: UInt64, documents: Int, load_seconds: Double, store_phase_seconds: Double
    var load_records_per_second: Double, load_errors: Int
    var store_bytes: Int, index_bytes: Int, bytes_per_record: Double, peak_rss_bytes: Int
    var categories: [CategoryResult]
    var duplicate_checks: Int, duplicate_p50_ms: Double, duplicate_p99_ms: Double, duplicate_found: Int
}
let report = Report(size: opt.size, seed: opt.seed, documents: status.documents, load_seconds: loadSeconds,
                    store_phase_seconds: storeDone.timeIntervalSince(loadStart),
                    load_records_per_second: Double(opt.size) / loadSeconds, load_errors: loadErrors,
                    store_bytes: storeBytes, index_bytes: indexBytes,
                    bytes_per_record: Double(storeBytes + indexBytes) / Double(max(opt.size, 1)),
                    peak_rss_bytes: peakRSSBytes(), categories: results,
                    duplicate_checks: dupChecks.count, duplicate_p50_ms: percentile(dupLatencies, 50),
                    duplicate_p99_ms: percentile(dupLatencies, 99), duplicate_found: dupFound)

var md = "| category | queries | p50 ms | p95 ms | p99 ms | recall@10 | example |\n|---|---|---|---|---|---|---|\n"
for r in results {
    md += String(format: "| %@ | %d | %.2f | %.2f | %.2f | %.3f | `%@` |\n", r.category, r.queries, r.p50_ms, r.p95_ms, r.p99_ms,
                 r.recall_at_10, r.example.replacingOccurrences(of: "|", with: "\\|"))
}
md += String(format: "\nLoad: %d records in %.1f s (%.0f records/s, store phase %.1f s), %d errors; index %d bytes, store %d bytes (%.0f bytes/record); peak RSS %.0f MiB\n",
             opt.size, loadSeconds, report.load_records_per_second, report.store_phase_seconds, loadErrors,
             indexBytes, storeBytes, report.bytes_per_record, Double(report.peak_rss_bytes) / 1048576)
md += String(format: "Duplicate checks: %d (accents dropped + upper case, or first/last swapped): p50 %.2f ms, p99 %.2f ms, expected record among the candidates %d/%d\n",
             dupChecks.count, report.duplicate_p50_ms, report.duplicate_p99_ms, dupFound, dupChecks.count)
md += "\nSlowest queries (best of the runs) per category:\n"
for c in order {
    let top = (slowest[c] ?? []).sorted { $0.0 > $1.0 }.prefix(3)
    md += "- \(c): " + top.map { String(format: "`%@` %.2f ms", $0.1, $0.0) }.joined(separator: ", ") + "\n"
}
if !misses.isEmpty {
    md += "\nMisses (first three per category):\n"
    for c in order { for m in misses[c] ?? [] { md += "- \(c): \(m)\n" } }
}
print(md)
try FileManager.default.createDirectory(atPath: opt.out, withIntermediateDirectories: true)
let stamp = ISO8601DateFormatter().string(from: Date()).prefix(10)
let enc = JSONEncoder()
enc.outputFormatting = [.prettyPrinted, .sortedKeys]
try enc.encode(report).write(to: URL(fileURLWithPath: "\(opt.out)/\(stamp)-\(opt.size).json"))
try md.write(toFile: "\(opt.out)/\(stamp)-\(opt.size).md", atomically: true, encoding: .utf8)
