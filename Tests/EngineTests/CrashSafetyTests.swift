import DemoData
import Engine
import Foundation
import Model
import Store
import Testing

// Properties guaranteed by this file (issue 2, item 8; DESIGN.md "Data flow"):
//
//  1. A `labsearch load` killed with SIGKILL mid-way leaves a consistent tenant: reopened, the
//     engine replays the change log from the index's `last_seq`, so the index catches up to the
//     store (index_seq == store_seq) and holds exactly one document per stored record.
//  2. Every record in the store is searchable, exactly once; no record outside the store is.
//  3. Loading the same file again completes without errors and without duplicates.
//
// The child process is the real `labsearch` binary built beside this test bundle.

@Suite("Crash safety") struct CrashSafetyTests {
    /// `labsearch`, next to the test bundle (`.build/debug/labsearch`).
    static func labsearchBinary() -> String? {
        var candidates: [URL] = []
        let arg0 = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        candidates.append(arg0.deletingLastPathComponent())
        candidates.append(Bundle.main.bundleURL)
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent())
        for b in Bundle.allBundles where b.bundlePath.hasSuffix(".xctest") {
            candidates.append(b.bundleURL.deletingLastPathComponent())
        }
        for dir in candidates {
            let path = dir.appendingPathComponent("labsearch").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    static func run(_ binary: String, _ args: [String], stdout: URL) throws -> Process {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: binary)
        p.arguments = args
        FileManager.default.createFile(atPath: stdout.path, contents: nil)
        p.standardOutput = try FileHandle(forWritingTo: stdout)
        p.standardError = FileHandle.nullDevice
        try p.run()
        return p
    }

    /// The (kind, id) and a distinctive query of each line of a demo file.
    struct Line {
        var key: RecordKey
        var query: String?
    }

    static func parse(_ line: String) -> Line? {
        guard let o = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
              let type = o["type"] as? String, let kind = RecordKind(rawValue: type), let id = o["id"] as? String,
              let rec = o["record"] as? [String: Any] else { return nil }
        var q: String? = nil
        switch kind {
        case .client, .partner: q = rec["siret"] as? String
        case .clientContact, .partnerContact: q = rec["email"] as? String
        case .event, .product: q = rec["reference"] as? String
        }
        return Line(key: RecordKey(kind: kind, id: id), query: q)
    }

    @Test(.timeLimit(.minutes(3))) func killedLoadRecoversWithoutLossOrDuplicates() async throws {
        guard let binary = Self.labsearchBinary() else {
            Issue.record("labsearch binary not found next to the test bundle (\(CommandLine.arguments[0])): run `swift build` first")
            return
        }
        let dir = try TempDirectory("crash")
        defer { dir.remove() }
        let file = dir.path + "/demo.ndjson"
        // Large enough that the store phase lasts seconds even on a fast machine: the poll
        // below must see it between 10% and 90% while other tests load the CPU.
        let size = 40_000
        try DemoDataGenerator(size: size, seed: 11).write(to: file)
        let lines = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").compactMap { Self.parse(String($0)) }
        #expect(lines.count == size)
        let data = dir.path + "/data"
        let storePath = data + "/tenants/crash/store.sqlite"

        // 1. Load in a child process and kill it while the store holds 20–80% of the lines.
        let child = try Self.run(binary, ["load", "--data", data, "--tenant", "crash", file],
                                 stdout: URL(fileURLWithPath: dir.path + "/load1.out"))
        var store: TenantStore? = nil
        var killedAt: Int64 = 0
        let deadline = Date(timeIntervalSinceNow: 120)
        while child.isRunning && Date() < deadline {
            usleep(5_000)
            if store == nil {
                // Wait until the child has created and migrated the store (it opens the index,
                // which writes index/CURRENT, only after): opening it earlier races the child's
                // migration and can make the child fail.
                guard FileManager.default.fileExists(atPath: data + "/tenants/crash/index/CURRENT") else { continue }
                store = try? TenantStore(path: storePath)
                continue
            }
            let seq = (try? store!.lastSeq()) ?? 0
            if seq >= Int64(size) / 10 {
                if seq <= Int64(size) * 9 / 10 { kill(child.processIdentifier, SIGKILL); killedAt = seq }
                break
            }
        }
        child.waitUntilExit()
        try #require(killedAt > 0, "the child was not killed mid-way (exit \(child.terminationStatus), reason \(child.terminationReason.rawValue)); adjust the size")
        #expect(child.terminationReason == .uncaughtSignal && child.terminationStatus == SIGKILL)
        try store?.close()

        // 2. Reopen in-process: the index replays the log and catches up to the store.
        do {
            let engine = try Engine(config: EngineConfig(dataDirectory: data))
            defer { engine.shutdown() }
            let t = try engine.tenant("crash")
            let storeSeq = try t.indexStatus().storeSeq
            #expect(storeSeq >= killedAt)
            #expect(t.waitForIndexBlocking(storeSeq, timeout: 90), "the index caught up to the store")
            let s = try t.indexStatus()
            #expect(s.indexSeq == s.storeSeq, "index_seq \(s.indexSeq) vs store_seq \(s.storeSeq)")
            let stored = try RecordKind.allCases.reduce(0) { $0 + (try t.recordCount($1)) }
            #expect(stored > 0 && stored < size, "a partial load (\(stored) of \(size) records)")
            #expect(s.documents == stored, "one document per stored record: \(s.documents) documents, \(stored) records")

            // A sample of lines, each searched by its identifier: found exactly once if stored, else not at all.
            var checked = 0, present = 0
            for (i, line) in lines.enumerated() where i % 97 == 0 {
                guard let q = line.query else { continue }
                let inStore = try t.get(line.key) != nil
                let r = try t.search(SearchRequest(query: q, limit: 50, inactive: .include))
                let n = r.group(line.key.kind).hits.filter { $0.id == line.key.id }.count
                #expect(n == (inStore ? 1 : 0), "\(line.key) (in store: \(inStore)) found \(n) times by \(q)")
                checked += 1
                if inStore { present += 1 }
            }
            #expect(checked > 100 && present > 0 && present < checked, "sample: \(present) of \(checked) stored")
        }

        // 3. Load the whole file again: completes, no duplicates.
        let again = try Self.run(binary, ["load", "--data", data, "--tenant", "crash", file],
                                 stdout: URL(fileURLWithPath: dir.path + "/load2.out"))
        while again.isRunning { try await Task.sleep(nanoseconds: 20_000_000) }
        #expect(again.terminationStatus == 0)
        let out = try String(contentsOfFile: dir.path + "/load2.out", encoding: .utf8)
        #expect(out.contains("\"upserted\":\(size)") && out.contains("\"errors\":[]"), "load answer: \(out.prefix(300))")

        let engine = try Engine(config: EngineConfig(dataDirectory: data))
        defer { engine.shutdown() }
        let t = try engine.tenant("crash")
        let s = try t.indexStatus()
        #expect(t.waitForIndexBlocking(s.storeSeq, timeout: 60))
        let final = try t.indexStatus()
        let unique = Set(lines.map(\.key)).count
        #expect(try RecordKind.allCases.reduce(0) { $0 + (try t.recordCount($1)) } == unique)
        #expect(final.documents == unique, "\(final.documents) documents for \(unique) records")
        #expect(final.indexSeq == final.storeSeq)
        for line in lines.prefix(3) + lines.suffix(3) {
            guard let q = line.query else { continue }
            let r = try t.search(SearchRequest(query: q, limit: 50, inactive: .include))
            #expect(r.group(line.key.kind).hits.filter { $0.id == line.key.id }.count == 1, "\(line.key) by \(q)")
        }
    }
}
