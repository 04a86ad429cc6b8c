import DemoData
import Engine
import Foundation
import Model

// LabSearch benchmark: generate the demo records to an NDJSON file, load them into a fresh
// tenant (timed from the first line read until the index has caught up), measure sizes on disk
// (raw, compacted Xapian, SQLite with the change log pruned) and peak memory, then run query
// sets per category and report latency percentiles and recall (the expected record in the top
// 10 of its group), and duplicate-check latency. Release builds: `benchmarks/run.sh` runs this,
// the peers, the HTTP run and the plots. `--smoke` is the CI check of the harness itself.

struct Options {
    var size = 10_000
    var perCategory = 200
    var runs = 3
    var seed: UInt64 = 0
    var data: String? = nil
    var out = "benchmarks/results"
    var stamp: String? = nil
    var exportPeers: String? = nil
    var smoke = false
    var loadOnly = false
    var stages = false
    var reuse = false
    var only: String? = nil
    var listVariants = 30

    init(_ args: [String]) {
        var i = 1
        var sawQueries = false, sawRuns = false, sawOut = false
        func value() -> String { i += 1; return i < args.count ? args[i] : "" }
        while i < args.count {
            switch args[i] {
            case "--size": size = Int(value()) ?? size
            case "--queries": perCategory = Int(value()) ?? perCategory; sawQueries = true
            case "--runs": runs = Int(value()) ?? runs; sawRuns = true
            case "--seed": seed = UInt64(value()) ?? seed
            case "--data": data = value()
            case "--out": out = value(); sawOut = true
            case "--stamp": stamp = value()
            case "--export-peers": exportPeers = value()
            case "--smoke": smoke = true
            case "--load-only": loadOnly = true
            case "--stages": stages = true
            case "--reuse": reuse = true
            case "--only": only = value()
            case "--list-variants": listVariants = Int(value()) ?? listVariants
            case "-h", "--help":
                print("""
                    LabSearchBench [--size N] [--queries N per category] [--runs N] [--seed N] [--data DIR]
                                   [--out DIR] [--stamp YYYY-MM-DD] [--export-peers DIR] [--smoke]
                    --smoke: 10,000 records, 20 queries per category, 1 run, results in a temporary
                             directory; exits 1 unless every query set ran and every query was scored.
                    """)
                exit(0)
            default: FileHandle.standardError.write(Data("unknown option \(args[i])\n".utf8)); exit(2)
            }
            i += 1
        }
        if smoke {
            if !args.contains("--size") { size = 10_000 }
            if !sawQueries { perCategory = 20 }
            if !sawRuns { runs = 1 }
            if !sawOut { out = NSTemporaryDirectory() + "labsearch-bench-smoke-results" }
        }
    }
}

func log(_ s: String) { FileHandle.standardError.write(Data((s + "\n").utf8)) }

func percentile(_ sorted: [Double], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return .nan }
    let idx = min(sorted.count - 1, max(0, Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1))
    return sorted[idx]
}

func fileSize(_ path: String) -> Int {
    (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
}

func directorySize(_ path: String) -> Int {
    var total = 0
    if let e = FileManager.default.enumerator(atPath: path) {
        for case let f as String in e { total += fileSize(path + "/" + f) }
    }
    return total
}

func peakRSSBytes() -> Int {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return usage.ru_maxrss * 1024
}

/// Runs a tool found in PATH; its status and standard output + error.
@discardableResult
func runTool(_ args: [String]) -> (status: Int32, output: String) {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    p.arguments = args
    let pipe = Pipe()
    p.standardOutput = pipe
    p.standardError = pipe
    do { try p.run() } catch { return (127, "\(error)") }
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    p.waitUntilExit()
    return (p.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// Reads an NDJSON file in chunks of about `chunkBytes`, each ending at a line end.
func forEachChunk(_ path: String, chunkBytes: Int = 4 << 20, _ body: (Data) throws -> Void) throws {
    guard let fh = FileHandle(forReadingAtPath: path) else { throw CocoaError(.fileNoSuchFile) }
    defer { try? fh.close() }
    var carry = Data()
    while true {
        let block = try fh.read(upToCount: chunkBytes) ?? Data()
        if block.isEmpty { break }
        carry.append(block)
        if let last = carry.lastIndex(of: 0x0A) {
            let chunk = carry[carry.startIndex...last]
            try body(Data(chunk))
            carry = Data(carry[(last + 1)...])
        }
    }
    if !carry.isEmpty { try body(carry) }
}

/// Calls `body` with each line of an NDJSON file (without its newline).
func forEachLine(_ path: String, _ body: (Data) throws -> Void) throws {
    try forEachChunk(path) { chunk in
        var start = chunk.startIndex
        while start < chunk.endIndex {
            let end = chunk[start...].firstIndex(of: 0x0A) ?? chunk.endIndex
            if end > start { try body(Data(chunk[start..<end])) }
            start = end + 1
        }
    }
}

let opt = Options(CommandLine.arguments)
let stamp = opt.stamp ?? String(ISO8601DateFormatter().string(from: Date()).prefix(10))
let dataDir = opt.data ?? (opt.smoke ? NSTemporaryDirectory() + "labsearch-bench-smoke-data" : "/tmp/labsearch-bench-\(opt.size)-\(opt.seed)")
// --reuse: keep the data directory of an earlier run of the same size (records and tenant), to
// measure queries again without loading; --only CATEGORY runs that query set alone (profiling).
let reusing = opt.reuse && FileManager.default.fileExists(atPath: dataDir + "/tenants/bench/store.sqlite")
if !reusing { try? FileManager.default.removeItem(atPath: dataDir) }
try FileManager.default.createDirectory(atPath: dataDir, withIntermediateDirectories: true)
let peersDir = opt.exportPeers
if let peersDir { try FileManager.default.createDirectory(atPath: peersDir, withIntermediateDirectories: true) }

// 1. The records, generated to a file first (not timed): the peers load the same file.
let recordsPath = (peersDir ?? dataDir) + "/records.ndjson"
log("generating \(opt.size) records (seed \(opt.seed)) → \(recordsPath)")
if !reusing { try DemoDataGenerator(size: opt.size, seed: opt.seed).write(to: recordsPath) }
let recordsFileBytes = fileSize(recordsPath)

// 1b. Where the load's time goes: the stages of the bulk path timed apart on the same records
// (in memory, one thread each): parse, validate, build documents, and raw Xapian writes of
// those documents (the physical reference of the term lists, whatever writes them).
struct StageTimes: Codable {
    var records: Int, postings_per_document: Double
    var parse_us: Double, validate_us: Double, store_us: Double, build_us: Double, xapian_us: Double
    var raw_xapian_records_per_second: Double
}
var stageTimes: StageTimes? = nil
if opt.stages {
    var lines: [Data] = []
    try forEachLine(recordsPath) { lines.append($0) }
    let engineForStages = try Engine(config: EngineConfig(dataDirectory: dataDir + "-stages"))
    let (records, parseS, validateS) = IndexingProbe.parseAndValidate(lines: lines)
    let storeS = try IndexingProbe.store(records: records, path: dataDir + "-stages/store.sqlite")
    let probe = try IndexingProbe.run(records: records, analyzer: engineForStages.analyzer, path: dataDir + "-stages/raw-xapian")
    engineForStages.shutdown()
    try? FileManager.default.removeItem(atPath: dataDir + "-stages")
    let n = Double(max(records.count, 1))
    stageTimes = StageTimes(records: records.count, postings_per_document: Double(probe.postings) / n,
                            parse_us: parseS / n * 1e6, validate_us: validateS / n * 1e6, store_us: storeS / n * 1e6,
                            build_us: probe.buildSeconds / n * 1e6, xapian_us: probe.xapianSeconds / n * 1e6,
                            raw_xapian_records_per_second: n / probe.xapianSeconds)
    log(String(format: "stages per record: parse %.1f µs, validate %.1f µs, store %.1f µs, build %.1f µs, Xapian %.1f µs (%.1f postings/document; raw Xapian %.0f records/s)",
               stageTimes!.parse_us, stageTimes!.validate_us, stageTimes!.store_us, stageTimes!.build_us, stageTimes!.xapian_us,
               stageTimes!.postings_per_document, stageTimes!.raw_xapian_records_per_second))
}

// 2. Load: from the first line read until the index has caught up with the store.
let engine = try Engine(config: EngineConfig(dataDirectory: dataDir))
let tenant = reusing ? try engine.tenant("bench") : try engine.createTenant("bench")
let rssBeforeLoad = peakRSSBytes()
log("loading")
let loadStart = Date()
var lastSeq: Int64 = 0
var loadErrors = 0
var linesLoaded = 0
var firstLine = 1
if !reusing { try forEachChunk(recordsPath) { chunk in
    let n = chunk.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
    let r = tenant.bulk(ndjson: chunk, firstLine: firstLine)
    firstLine += n
    linesLoaded += n
    lastSeq = max(lastSeq, r.lastSeq)
    loadErrors += r.errors.count
} } else {
    try forEachLine(recordsPath) { _ in linesLoaded += 1 }
}
let storeDone = Date()
let caughtUp = tenant.waitForIndexBlocking(lastSeq, timeout: 7200)
let loadEnd = Date()
let loadSeconds = loadEnd.timeIntervalSince(loadStart)
let peakRSSAfterLoad = peakRSSBytes()
let status = try tenant.indexStatus()
log(String(format: "loaded %d lines in %.1f s (%.0f records/s; store phase %.1f s), %d errors, index caught up: %@",
           linesLoaded, loadSeconds, Double(linesLoaded) / loadSeconds, storeDone.timeIntervalSince(loadStart),
           loadErrors, caughtUp ? "yes" : "NO"))
if opt.loadOnly { engine.shutdown(); exit(caughtUp && loadErrors == 0 ? 0 : 1) }

// 3. Query sets (and duplicate probes) drawn from the same file.
var lite: [LiteRecord] = []
var dupChecks: [(RecordKind, [String: JSONValue], String)] = []
let dupWanted = opt.perCategory * 2
var dupRng = SplitMix(state: opt.seed &+ 99)
try forEachLine(recordsPath) { line in
    guard case .object(let o)? = try? JSONValue.parse(line), let r = LiteRecord(o) else { return }
    lite.append(r)
    // Duplicate checks: records re-typed the way a user would create them again (accents
    // dropped and upper case, or first/last names swapped), each expected among the candidates.
    guard dupChecks.count < dupWanted, dupRng.int(max(linesLoaded / (opt.perCategory * 3), 1)) == 0,
          case .object(let body)? = o["record"] else { return }
    var probe: [String: JSONValue] = [:]
    switch r.kind {
    case .client, .partner:
        guard let name = r.name else { return }
        probe["name"] = .string(Workload.stripAccents(name).uppercased())
        if let c = body["city"] { probe["city"] = c }
    case .clientContact, .partnerContact:
        guard let f = r.first, let l = r.last else { return }
        probe["first_name"] = .string(l); probe["last_name"] = .string(f)   // swapped
        if let e = body["email"] { probe["email"] = e }
        if let c = body[r.kind.companyField!] { probe[r.kind.companyField!] = c }
    default: return
    }
    dupChecks.append((r.kind, probe, r.id))
}
let allQueries = Workload.build(records: lite, perCategory: opt.perCategory, seed: opt.seed)
let queries = opt.only.map { c in allQueries.filter { $0.category == c } } ?? allQueries
lite.removeAll()
if let peersDir {
    let enc = JSONEncoder()
    enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    try enc.encode(queries).write(to: URL(fileURLWithPath: peersDir + "/queries.json"))
    log("exported \(queries.count) queries and the records to \(peersDir)")
}

// Every expected record must exist in the store and be active (else the query set is wrong).
var badExpectations: [String] = []
for q in queries {
    guard let k = q.expectedKind, let id = q.expectedId else { continue }
    guard let kind = RecordKind(rawValue: k), let r = try? tenant.get(RecordKey(kind: kind, id: id)), r.isActive else {
        badExpectations.append("\(q.category): `\(q.text)` expects \(k)/\(q.expectedId ?? "?"), not an active record of the store")
        continue
    }
}

// 4. Warm up, then measure. The whole query list is run `runs` times over (each query meets
// the caches the other queries left, as behind a search bar or over HTTP, not its own repeat);
// all runs go into the percentiles; each query is scored on its first answer.
log("running \(queries.count) queries × \(opt.runs)")
for q in queries.prefix(200) { _ = try? tenant.search(SearchRequest(query: q.text, limit: 10)) }
struct QueryOutcome { var best: Double; var found: Bool; var rank: Int?; var note: String }
var latencies: [String: [Double]] = [:]
var allLatencies: [Double] = []
var outcomes: [String: [(BenchQuery, QueryOutcome)]] = [:]
var searchErrors: [String] = []
var best = [Double](repeating: .infinity, count: queries.count)
var failed = [Bool](repeating: false, count: queries.count)
var scored: [QueryOutcome?] = Array(repeating: nil, count: queries.count)
for run in 0..<max(opt.runs, 1) {
    for (i, q) in queries.enumerated() where !failed[i] {
        let t0 = DispatchTime.now().uptimeNanoseconds
        let r: SearchResponse
        do {
            r = try tenant.search(SearchRequest(query: q.text, limit: 10))
        } catch {
            searchErrors.append("\(q.category): `\(q.text)`: \(error)")
            failed[i] = true   // unscored: counted by the smoke check
            continue
        }
        let ms = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6
        latencies[q.category, default: []].append(ms)
        allLatencies.append(ms)
        best[i] = min(best[i], ms)
        guard run == 0 else { continue }
        var outcome = QueryOutcome(best: 0, found: false, rank: nil, note: "")
        if let kind = q.expectedKind, let id = q.expectedId {
            let group = r.tabs.flatMap(\.groups).first { $0.kind == kind }
            if let i = group?.hits.firstIndex(where: { $0.id == id }) {
                outcome.found = true
                outcome.rank = i + 1
            } else {
                outcome.note = "expected \(id), got \(group?.hits.first.map { "\($0.id) (\($0.title))" } ?? "nothing") of \(group?.total ?? 0)"
            }
        } else {
            let total = r.tabs.reduce(0) { $0 + $1.total }
            outcome.found = total == 0   // no-match: nothing found is the right answer
            if total > 0 { outcome.note = "expected nothing, got \(total)" }
        }
        scored[i] = outcome
    }
}
for (i, q) in queries.enumerated() where !failed[i] {
    guard var o = scored[i] else { continue }
    o.best = best[i]
    outcomes[q.category, default: []].append((q, o))
}
allLatencies.sort()

// What a search answer costs beyond the search itself on the HTTP path: its JSON encoding (the
// server's hand-written writer) and its size, over the same query mix.
var jsonLatencies: [Double] = []
var responseBytes: [Double] = []
for q in queries {
    guard let r = try? tenant.search(SearchRequest(query: q.text, limit: 10)) else { continue }
    let t0 = DispatchTime.now().uptimeNanoseconds
    let bytes = r.jsonBytes()
    jsonLatencies.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
    responseBytes.append(Double(bytes.count))
}
jsonLatencies.sort()
responseBytes.sort()

var dupLatencies: [Double] = []
var dupFound = 0
for (kind, probe, id) in dupChecks {
    let t0 = DispatchTime.now().uptimeNanoseconds
    guard let c = try? tenant.duplicates(kind: kind, body: probe) else { continue }
    dupLatencies.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
    if c.contains(where: { $0.id == id }) { dupFound += 1 }
}
dupLatencies.sort()

// As-you-type (issue 11): names typed letter by letter, a search per keystroke.
var typingReport: TypingReport? = nil
if opt.only == nil || opt.only == "typing" {
    let count = max(10, min(100, opt.perCategory / 2))
    log("typing \(count) names letter by letter")
    typingReport = TypingBench.run(tenant: tenant, queries: allQueries, count: count)
}

// The lists (issue 13): filter + sort + first page and group-bys, against a plain SQLite baseline.
var listReport: ListBenchReport? = nil
if opt.listVariants > 0, opt.only == nil || opt.only == "lists" {
    log("running the list queries (\(opt.listVariants) variants per shape × \(opt.runs))")
    let listScratch = dataDir + "-lists"
    try? FileManager.default.createDirectory(atPath: listScratch, withIntermediateDirectories: true)
    listReport = try ListBench.run(tenant: tenant, recordsPath: recordsPath, scratch: listScratch,
                                   variants: opt.smoke ? min(opt.listVariants, 10) : opt.listVariants, runs: opt.runs, seed: opt.seed)
    try? FileManager.default.removeItem(atPath: listScratch)
}
let peakRSSEnd = peakRSSBytes()
engine.shutdown()

// 5. Sizes on disk: raw, then the parts as they would be shipped: the current index generation
// compacted by xapian-compact, the store with its change log pruned and vacuumed (both on copies).
let tenantDir = dataDir + "/tenants/bench"
let indexBytes = directorySize(tenantDir + "/index")
let storeBytes = directorySize(tenantDir) - indexBytes
let generation = (try? String(contentsOfFile: tenantDir + "/index/CURRENT", encoding: .utf8))?
    .trimmingCharacters(in: .whitespacesAndNewlines) ?? "gen-000001"
let scratch = dataDir + "-sizes"
try? FileManager.default.removeItem(atPath: scratch)
try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
var compactIndexBytes: Int? = nil
let compact = runTool(["xapian-compact", tenantDir + "/index/" + generation, scratch + "/index-compact"])
if compact.status == 0 { compactIndexBytes = directorySize(scratch + "/index-compact") } else {
    log("xapian-compact failed (\(compact.status)): \(compact.output.prefix(300))")
}
var prunedStoreBytes: Int? = nil
var pendingChanges: Int? = nil
for suffix in ["", "-wal"] where FileManager.default.fileExists(atPath: tenantDir + "/store.sqlite" + suffix) {
    try? FileManager.default.copyItem(atPath: tenantDir + "/store.sqlite" + suffix, toPath: scratch + "/store.sqlite" + suffix)
}
let pruneSQL = "SELECT count(*) FROM changes; DELETE FROM changes; VACUUM;"
var prune = runTool(["sqlite3", scratch + "/store.sqlite", pruneSQL])
if prune.status != 0 {
    prune = runTool(["python3", "-c", """
        import sqlite3, sys
        c = sqlite3.connect(sys.argv[1]); print(c.execute('SELECT count(*) FROM changes').fetchone()[0])
        c.execute('DELETE FROM changes'); c.commit(); c.execute('VACUUM'); c.close()
        """, scratch + "/store.sqlite"])
}
if prune.status == 0 {
    prunedStoreBytes = fileSize(scratch + "/store.sqlite") + fileSize(scratch + "/store.sqlite-wal")
    pendingChanges = Int(prune.output.split(separator: "\n").first.map(String.init) ?? "")
} else {
    log("pruning the store copy failed (\(prune.status)): \(prune.output.prefix(300))")
}
try? FileManager.default.removeItem(atPath: scratch)

// 6. The report.
struct Miss: Codable { var query: String; var note: String }
struct Slow: Codable { var query: String; var ms: Double }
struct CategoryResult: Codable {
    var category: String, description: String, queries: Int, scored: Int, found: Int
    var p50_ms: Double, p95_ms: Double, p99_ms: Double, mean_ms: Double, recall_at_10: Double
    var example: String, slowest: [Slow], misses: [Miss]
}
var results: [CategoryResult] = []
for c in Workload.categories {
    let qs = queries.filter { $0.category == c }
    let l = (latencies[c] ?? []).sorted()
    let o = outcomes[c] ?? []
    let found = o.filter { $0.1.found }.count
    results.append(CategoryResult(
        category: c, description: Workload.descriptions[c] ?? "", queries: qs.count, scored: o.count, found: found,
        p50_ms: percentile(l, 50), p95_ms: percentile(l, 95), p99_ms: percentile(l, 99),
        mean_ms: l.isEmpty ? .nan : l.reduce(0, +) / Double(l.count),
        recall_at_10: o.isEmpty ? .nan : Double(found) / Double(o.count),
        example: qs.first?.text ?? "",
        slowest: o.sorted { $0.1.best > $1.1.best }.prefix(3).map { Slow(query: $0.0.text, ms: $0.1.best) },
        misses: o.filter { !$0.1.found }.prefix(5).map { Miss(query: $0.0.text, note: $0.1.note) }))
}
struct Report: Codable {
    var engine = "labsearch"
    var stamp: String, size: Int, seed: UInt64, runs: Int, queries_per_category: Int, smoke: Bool
    var records: Int, documents: Int, records_file_bytes: Int
    var load_seconds: Double, store_phase_seconds: Double, load_records_per_second: Double, load_errors: Int, index_caught_up: Bool
    var index_bytes: Int, store_bytes: Int
    var index_compacted_bytes: Int?, store_pruned_bytes: Int?, store_pending_changes: Int?
    var bytes_per_record: Double, bytes_per_record_compacted: Double?
    var index_compacted_bytes_per_record: Double?, store_pruned_bytes_per_record: Double?
    var peak_rss_bytes: Int, peak_rss_after_load_bytes: Int, rss_before_load_bytes: Int
    var all_queries: Int, all_p50_ms: Double, all_p99_ms: Double
    var json_encode_p50_ms: Double, json_encode_p99_ms: Double, response_bytes_p50: Double, response_bytes_p99: Double
    var categories: [CategoryResult]
    var duplicate_checks: Int, duplicate_p50_ms: Double, duplicate_p95_ms: Double, duplicate_p99_ms: Double, duplicate_found: Int
    var search_errors: [String], bad_expectations: [String]
    var stages: StageTimes?
    var lists: ListBenchReport?
    var typing: TypingReport?
}
let n = Double(max(linesLoaded, 1))
let report = Report(
    stamp: stamp, size: opt.size, seed: opt.seed, runs: opt.runs, queries_per_category: opt.perCategory, smoke: opt.smoke,
    records: linesLoaded, documents: status.documents, records_file_bytes: recordsFileBytes,
    load_seconds: loadSeconds, store_phase_seconds: storeDone.timeIntervalSince(loadStart),
    load_records_per_second: Double(linesLoaded) / loadSeconds, load_errors: loadErrors, index_caught_up: caughtUp,
    index_bytes: indexBytes, store_bytes: storeBytes,
    index_compacted_bytes: compactIndexBytes, store_pruned_bytes: prunedStoreBytes, store_pending_changes: pendingChanges,
    bytes_per_record: Double(indexBytes + storeBytes) / n,
    bytes_per_record_compacted: compactIndexBytes.flatMap { i in prunedStoreBytes.map { Double(i + $0) / n } },
    index_compacted_bytes_per_record: compactIndexBytes.map { Double($0) / n },
    store_pruned_bytes_per_record: prunedStoreBytes.map { Double($0) / n },
    peak_rss_bytes: peakRSSEnd, peak_rss_after_load_bytes: peakRSSAfterLoad, rss_before_load_bytes: rssBeforeLoad,
    all_queries: queries.count, all_p50_ms: percentile(allLatencies, 50), all_p99_ms: percentile(allLatencies, 99),
    json_encode_p50_ms: percentile(jsonLatencies, 50), json_encode_p99_ms: percentile(jsonLatencies, 99),
    response_bytes_p50: percentile(responseBytes, 50), response_bytes_p99: percentile(responseBytes, 99),
    categories: results,
    duplicate_checks: dupChecks.count, duplicate_p50_ms: percentile(dupLatencies, 50),
    duplicate_p95_ms: percentile(dupLatencies, 95), duplicate_p99_ms: percentile(dupLatencies, 99), duplicate_found: dupFound,
    search_errors: Array(searchErrors.prefix(20)), bad_expectations: Array(badExpectations.prefix(20)),
    stages: stageTimes, lists: listReport, typing: typingReport)

func mb(_ b: Int?) -> String { b.map { String(format: "%.1f MB", Double($0) / 1e6) } ?? "n/a" }
var md = "# LabSearch benchmark, \(opt.size) records (\(stamp))\n\n"
md += "| category | queries | p50 ms | p95 ms | p99 ms | recall@10 | example |\n|---|---|---|---|---|---|---|\n"
for r in results {
    md += String(format: "| %@ | %d | %.2f | %.2f | %.2f | %.3f | `%@` |\n", r.category, r.queries, r.p50_ms, r.p95_ms, r.p99_ms,
                 r.recall_at_10, r.example.replacingOccurrences(of: "|", with: "\\|"))
}
md += String(format: "\nLoad: %d records in %.1f s (%.0f records/s; store phase %.1f s), %d errors.\n",
             linesLoaded, loadSeconds, report.load_records_per_second, report.store_phase_seconds, loadErrors)
md += "Sizes: index \(mb(indexBytes)) raw, \(mb(compactIndexBytes)) compacted; store \(mb(storeBytes)) raw, \(mb(prunedStoreBytes)) pruned + vacuumed"
md += String(format: " (%.0f bytes/record raw", report.bytes_per_record)
    + (report.bytes_per_record_compacted.map { String(format: ", %.0f compacted + pruned", $0) } ?? "") + ").\n"
md += String(format: "Peak RSS: %.0f MiB after the load, %.0f MiB at the end (queries, query sets in memory).\n",
             Double(peakRSSAfterLoad) / 1048576, Double(peakRSSEnd) / 1048576)
md += String(format: "Duplicate checks: %d (accents dropped + upper case, or first/last swapped): p50 %.2f ms, p99 %.2f ms, expected record among the candidates %d/%d\n",
             dupChecks.count, report.duplicate_p50_ms, report.duplicate_p99_ms, dupFound, dupChecks.count)
if let tr = typingReport { md += TypingBench.markdown(tr) }
if let lr = listReport {
    md += "\n## Lists (filter + sort + first page with its exact total; group-by with exact counts)\n\n"
    md += String(format: "All filter + sort shapes: p99 %.2f ms (SQLite baseline %.2f ms); all group-bys: p99 %.2f ms (baseline %.2f ms).\n\n",
                 lr.filter_sort_p99_ms, lr.baseline_filter_sort_p99_ms, lr.group_p99_ms, lr.baseline_group_p99_ms)
    if let s = lr.snapshot_build_seconds {
        md += String(format: "In-memory list snapshots (clients + contacts) built in %.2f s before the queries.\n\n", s)
    }
    md += "| shape | queries | p50 ms | p99 ms | baseline p50 | baseline p99 | p99 ratio | example |\n|---|---|---|---|---|---|---|---|\n"
    for r in lr.shapes {
        md += String(format: "| %@ (%@) | %d | %.2f | %.2f | %.2f | %.2f | %.2f | `%@` |\n", r.shape, r.description, r.queries,
                     r.p50_ms, r.p99_ms, r.baseline_p50_ms, r.baseline_p99_ms, r.ratio_p99, r.example.replacingOccurrences(of: "|", with: "\\|"))
    }
}
print(md)
try FileManager.default.createDirectory(atPath: opt.out, withIntermediateDirectories: true)
let enc = JSONEncoder()
enc.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
enc.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
try enc.encode(report).write(to: URL(fileURLWithPath: "\(opt.out)/\(stamp)-\(opt.size).json"))
try md.write(toFile: "\(opt.out)/\(stamp)-\(opt.size).md", atomically: true, encoding: .utf8)
log("wrote \(opt.out)/\(stamp)-\(opt.size).json and .md")

// 7. The smoke check: every query set ran and every query was scored (never times).
if opt.smoke {
    var failures: [String] = []
    for r in results {
        if r.queries == 0 { failures.append("query set \(r.category) is empty") }
        if r.scored != r.queries { failures.append("query set \(r.category): \(r.scored) of \(r.queries) queries scored") }
    }
    if !caughtUp { failures.append("the index did not catch up with the store") }
    if loadErrors > 0 { failures.append("\(loadErrors) lines of the generated data were rejected") }
    failures += searchErrors.prefix(10).map { "search failed: \($0)" }
    failures += badExpectations.prefix(10)
    if dupLatencies.count != dupChecks.count || dupChecks.isEmpty { failures.append("duplicate checks: \(dupLatencies.count) of \(dupChecks.count) ran") }
    if let lr = listReport {
        for s in lr.shapes where s.queries == 0 { failures.append("list shape \(s.shape) has no queries") }
    } else if opt.listVariants > 0 {
        failures.append("the list benchmark did not run")
    }
    if failures.isEmpty {
        log("smoke: OK, \(results.count) query sets, \(queries.count) queries scored, \(dupChecks.count) duplicate checks")
    } else {
        log("smoke: FAILED\n- " + failures.joined(separator: "\n- "))
        exit(1)
    }
}
