import ArgumentParser
import DemoData
import Engine
import Foundation
import Logging
import Model

/// `labsearch demo-data`: deterministic French CRM records as bulk NDJSON.
struct DemoDataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "demo-data", abstract: "Write generated demo records (bulk NDJSON).")
    @Option(help: "Number of records.") var size: Int = 10_000
    @Option(help: "Seed: the same size and seed give byte-identical output.") var seed: UInt64 = 0
    @Option(help: "Output file.") var out: String

    func validate() throws {
        guard size > 0 && size <= 20_000_000 else { throw ValidationError("--size must be between 1 and 20000000.") }
    }

    func run() throws {
        try DemoDataGenerator(size: size, seed: seed).write(to: out)
    }
}

/// Opens the engine for a command-line run: this process indexes unless a server holds the index.
func openEngine(_ data: DataOptions) throws -> Engine {
    var logger = Logger(label: "labsearch")
    logger.logLevel = .warning
    return try Engine(config: EngineConfig(dataDirectory: data.directory), logger: logger)
}

/// `labsearch load`: applies a bulk NDJSON file to a tenant (created on first use).
struct LoadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "load",
        abstract: "Load bulk NDJSON lines into a tenant.",
        discussion: "Exit status: 0 every line applied, 1 some lines rejected, 2 nothing could be done."
    )
    @OptionGroup var data: DataOptions
    @Option(help: "Tenant name ([a-z0-9_-]{1,63}).") var tenant: String
    @Argument(help: "The NDJSON file.") var file: String

    func run() throws {
        let started = Date()
        let engine: Engine
        let t: Tenant
        do {
            engine = try openEngine(data)
            t = try engine.openOrCreateTenant(tenant)
        } catch {
            FileHandle.standardError.write(Data("labsearch: \(error)\n".utf8))
            throw ExitCode(2)
        }
        guard let handle = FileHandle(forReadingAtPath: file) else {
            FileHandle.standardError.write(Data("labsearch: cannot read \(file)\n".utf8))
            throw ExitCode(2)
        }
        let total = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
        let bar = ProgressBar(total: total, label: "load")
        var result = BulkResult()
        var lineBase = 0
        var bytesBase = 0
        var carry = Data()
        // Stream the file in chunks cut at line ends, so any size fits in memory.
        while true {
            let chunk = handle.readData(ofLength: 8 << 20)
            var buffer = carry
            buffer.append(chunk)
            carry = Data()
            if !chunk.isEmpty, let lastNewline = buffer.lastIndex(of: 0x0A) {
                carry = buffer[(lastNewline + 1)...]
                buffer = buffer[..<(lastNewline + 1)]
            } else if !chunk.isEmpty {
                carry = buffer
                continue
            }
            if buffer.isEmpty { break }
            var part = t.bulk(ndjson: Data(buffer), firstLine: lineBase + 1) { _, bytes in bar.update(bytesBase + bytes) }
            lineBase += buffer.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) } + (buffer.last == 0x0A ? 0 : 1)
            bytesBase += buffer.count
            result.upserted += part.upserted
            result.deleted += part.deleted
            result.errors += part.errors
            result.lastSeq = max(result.lastSeq, part.lastSeq)
            part.errors.removeAll()
            if chunk.isEmpty { break }
        }
        bar.finish()
        if t.holdsIndex {
            _ = t.waitForIndexBlocking(result.lastSeq, timeout: 3600)
        } else {
            FileHandle.standardError.write(Data("labsearch: the server holds this tenant's index; it indexes these changes.\n".utf8))
        }
        engine.shutdown()
        let elapsed = Date().timeIntervalSince(started)
        let enc = JSONEncoder()
        enc.outputFormatting = [.sortedKeys]
        print(String(decoding: try enc.encode(result), as: UTF8.self))
        if isatty(2) != 0 {
            let n = result.upserted + result.deleted
            FileHandle.standardError.write(Data(String(format: "%d records in %.1f s (%.0f records/s), %d errors\n",
                                                       n, elapsed, Double(n) / max(elapsed, 0.001), result.errors.count).utf8))
        }
        if result.upserted + result.deleted == 0 && !result.errors.isEmpty { throw ExitCode(2) }
        if !result.errors.isEmpty { throw ExitCode(1) }
    }
}

/// A progress bar on stderr, shown only when stderr is a terminal.
final class ProgressBar {
    let total: Int
    let label: String
    let enabled = isatty(2) != 0
    private var lastDraw = Date.distantPast

    init(total: Int, label: String) {
        self.total = total
        self.label = label
    }

    /// Progress as a fraction of the work (0–1), for work not counted in `total` units.
    func update(fraction: Double) {
        update(Int(fraction * Double(total)))
    }

    func update(_ done: Int) {
        guard enabled, total > 0, Date().timeIntervalSince(lastDraw) > 0.1 else { return }
        lastDraw = Date()
        let fraction = min(1, Double(done) / Double(total))
        let width = 40
        let filled = Int(fraction * Double(width))
        let line = "\r\(label) [" + String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled)
            + "] " + String(format: "%3.0f%%", fraction * 100)
        FileHandle.standardError.write(Data(line.utf8))
    }

    func finish() {
        guard enabled else { return }
        lastDraw = .distantPast
        update(total)
        FileHandle.standardError.write(Data("\n".utf8))
    }
}

/// `labsearch search`: one query, or an interactive search when no query is given.
struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "search", abstract: "Search a tenant (interactive without a query).")
    @OptionGroup var data: DataOptions
    @Option var tenant: String
    @Flag(help: "Print exactly the HTTP search response.") var json = false
    @Option(help: "Hits per group (0–50).") var limit: Int = 5
    @Option(help: "clients, partners, events or products.") var tab: String?
    @Option(help: "exclude, include or only.") var inactive: String = "exclude"
    @Argument(help: "The query; none for an interactive search.") var query: String?

    func validate() throws {
        guard (0...50).contains(limit) else { throw ValidationError("--limit must be between 0 and 50.") }
        if let tab, SearchTab(rawValue: tab) == nil { throw ValidationError("--tab must be clients, partners, events or products.") }
        guard SearchRequest.InactiveMode(rawValue: inactive) != nil else { throw ValidationError("--inactive must be exclude, include or only.") }
    }

    func run() throws {
        let engine = try openEngine(data)
        defer { engine.shutdown() }
        let t = try engine.tenant(tenant)
        func runOne(_ q: String) throws {
            let req = SearchRequest(query: q, limit: limit, tab: tab.flatMap(SearchTab.init(rawValue:)),
                                    inactive: SearchRequest.InactiveMode(rawValue: inactive) ?? .exclude)
            let r = try t.search(req)
            if json {
                let enc = JSONEncoder()
                enc.outputFormatting = [.withoutEscapingSlashes]
                print(String(decoding: try enc.encode(r), as: UTF8.self))
            } else {
                print(Self.render(r))
            }
        }
        if let query {
            try runOne(query)
            return
        }
        FileHandle.standardError.write(Data("Recherche dans « \(tenant) » — tapez une requête, ligne vide pour quitter.\n".utf8))
        while true {
            FileHandle.standardError.write(Data("> ".utf8))
            guard let line = readLine(), !line.isEmpty else { break }
            try runOne(line)
        }
    }

    static func render(_ r: SearchResponse) -> String {
        var out = String(format: "« %@ » — %.2f ms", r.query, r.tookMs)
        if let c = r.correctedQuery { out += " (corrigé : \(c))" }
        out += "\n"
        for tab in r.tabs {
            out += "\(tab.label) (\(tab.total))\n"
            for g in tab.groups where g.total > 0 {
                out += "  \(g.label) (\(g.total))\n"
                for h in g.hits {
                    out += "    \(h.title)\(h.active ? "" : " [inactif]")  — \(h.subtitle)  [\(h.id), \(String(format: "%.2f", h.score))]\n"
                }
            }
        }
        if r.tabs.allSatisfy({ $0.total == 0 }) {
            for s in r.suggestions {
                out += "→ \(s.label) " + s.prefill.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ") + "\n"
            }
        }
        return out
    }
}

/// `labsearch reindex`: rebuilds the tenant's index from its store and swaps it in.
struct ReindexCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "reindex", abstract: "Rebuild a tenant's index from its store.")
    @OptionGroup var data: DataOptions
    @Option var tenant: String

    func run() throws {
        let engine = try openEngine(data)
        defer { engine.shutdown() }
        let t = try engine.tenant(tenant)
        guard t.holdsIndex else {
            FileHandle.standardError.write(Data("labsearch: the server holds this tenant's index; ask it to reindex (POST /v1/index/reindex).\n".utf8))
            throw ExitCode(1)
        }
        let started = Date()
        try t.reindex()
        let s = try t.indexStatus()
        print(String(format: "reindexed %d documents in %.1f s (index seq %lld)", s.documents, Date().timeIntervalSince(started), s.indexSeq))
    }
}

/// `labsearch compact`: compacts the tenant's index (a compacted copy swapped in).
struct CompactCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "compact", abstract: "Compact a tenant's index in place.")
    @OptionGroup var data: DataOptions
    @Option var tenant: String

    func run() throws {
        let engine = try openEngine(data)
        defer { engine.shutdown() }
        let t = try engine.tenant(tenant)
        guard t.holdsIndex else {
            FileHandle.standardError.write(Data("labsearch: the server holds this tenant's index; stop it to compact (reindex through the server compacts too).\n".utf8))
            throw ExitCode(1)
        }
        let started = Date()
        let (before, after) = try t.compactIndex()
        print(String(format: "compacted the index from %.1f MB to %.1f MB in %.1f s", Double(before) / 1e6, Double(after) / 1e6,
                     Date().timeIntervalSince(started)))
    }
}

/// `labsearch check`: the store and the index agree (exit 0), or a report (exit 1);
/// `--repair` rewrites what differs (then exit 0 once a second check agrees).
struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "check", abstract: "Compare a tenant's store and index; --repair fixes the index.")
    @OptionGroup var data: DataOptions
    @Option var tenant: String
    @Flag(help: "Rewrite the missing and stale documents, delete the extra ones.") var repair = false

    func run() throws {
        let engine = try openEngine(data)
        defer { engine.shutdown() }
        let t = try engine.tenant(tenant)
        guard t.holdsIndex else {
            FileHandle.standardError.write(Data("labsearch: the server holds this tenant's index; stop it to check.\n".utf8))
            throw ExitCode(2)
        }
        var r = try t.checkIndex(repair: repair)
        func show(_ r: IndexCheckReport) {
            print("store: \(r.storeRecords) records; index: \(r.indexDocuments) documents")
            print("missing from the index: \(r.missing.count)\(Self.sample(r.missing.map { "\($0.kind.rawValue)/\($0.id)" }))")
            print("stale in the index: \(r.stale.count)\(Self.sample(r.stale.map { "\($0.kind.rawValue)/\($0.id)" }))")
            print("in the index without a record: \(r.extra.count)\(Self.sample(r.extra.map { "docid \($0)" }))")
        }
        show(r)
        if repair, r.repaired > 0 {
            print("repaired \(r.repaired) documents; checking again")
            r = try t.checkIndex(repair: false)
            show(r)
        }
        print(r.agrees ? "store and index agree" : "store and index DISAGREE")
        if !r.agrees { throw ExitCode(1) }
    }

    static func sample(_ items: [String]) -> String {
        items.isEmpty ? "" : " (" + items.prefix(10).joined(separator: ", ") + (items.count > 10 ? ", …" : "") + ")"
    }
}

/// `labsearch stats`: record counts, sequence numbers and sizes on disk.
struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stats", abstract: "Show a tenant's counts and sizes.")
    @OptionGroup var data: DataOptions
    @Option var tenant: String

    func run() throws {
        let engine = try openEngine(data)
        defer { engine.shutdown() }
        let t = try engine.tenant(tenant)
        if t.holdsIndex { try t.catchUp() }
        let s = try t.indexStatus()
        var lines: [String] = []
        for k in RecordKind.allCases { lines.append("\(k.rawValue): \(try t.recordCount(k))") }
        lines.append("store_seq: \(s.storeSeq)")
        lines.append("index_seq: \(s.indexSeq)")
        lines.append("documents: \(s.documents)")
        lines.append("store_bytes: \(Self.size(of: t.directory + "/store.sqlite"))")
        lines.append("index_bytes: \(Self.size(of: t.directory + "/index"))")
        print(lines.joined(separator: "\n"))
    }

    static func size(of path: String) -> Int {
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir) else { return 0 }
        if !isDir.boolValue { return (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0 }
        var total = 0
        if let e = FileManager.default.enumerator(atPath: path) {
            for case let f as String in e {
                total += (try? FileManager.default.attributesOfItem(atPath: path + "/" + f)[.size] as? Int) ?? 0
            }
        }
        // SQLite's WAL and shared-memory files beside the store.
        return total
    }
}
