import DemoData
import Engine
import Foundation
import Model
import Testing

// Properties guaranteed by this file (issue 2, item 5; DESIGN.md "Text analysis"):
//
//  1. `reindex` builds a fresh index from the store and swaps it in while searches go on:
//     every search during the rebuild answers (no error), and afterwards the same queries give
//     the same hits and totals, with the index caught up to the store.
//  2. Records written during a reindex are not lost.
//  3. The analyzer rules' fingerprint is stored in the index: opening an index built with
//     other rules rebuilds it, and the new rules then apply to stored records.

@Suite("Reindex") struct ReindexTests {
    static let queries = ["edf", "martin", "jean francois", "paris", "06 12", "kalsita", "z", "saint etienne", "PRD-00012", "lefevre j"]

    /// What a search returns, without timings.
    static func fingerprint(_ r: SearchResponse) -> [String] {
        r.tabs.flatMap(\.groups).map { g in "\(g.kind)=\(g.total):" + g.hits.map { "\($0.id)@\($0.score)" }.joined(separator: ",") }
            + ["corrected=\(r.correctedQuery ?? "-")"]
    }

    static func loadDemo(_ t: Tenant, size: Int) {
        var lines: [String] = []
        DemoDataGenerator(size: size, seed: 3).generate { lines.append($0) }
        let r = t.bulk(ndjson: Data((lines.joined(separator: "\n") + "\n" + RelevanceData.ndjson).utf8))
        #expect(r.errors.isEmpty)
        #expect(t.waitForIndexBlocking(r.lastSeq, timeout: 60))
    }

    static func storeRecords(_ t: Tenant) throws -> Int {
        try RecordKind.allCases.reduce(0) { $0 + (try t.recordCount($1)) }
    }

    @Test func searchesGoOnDuringReindexAndResultsStayTheSame() throws {
        let e = try TestEngine("reindex")
        defer { e.close() }
        let t = try e.engine.createTenant("reindex")
        Self.loadDemo(t, size: 3000)
        let before = try Self.queries.map { Self.fingerprint(try t.search($0, limit: 10)) }

        // A searcher on its own thread until the rebuild is done.
        final class Box: @unchecked Sendable {
            let lock = NSLock()
            var stop = false, answered = 0, failures: [String] = []
        }
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        // Three searchers: a reader checked out before a swap may come back after another
        // search has already moved the pool to the new generation.
        let searchers = 3
        for n in 0..<searchers { Thread.detachNewThread {
            var i = n
            while true {
                box.lock.lock(); let stop = box.stop; box.lock.unlock()
                if stop { break }
                let q = Self.queries[i % Self.queries.count]
                i += 1
                do {
                    let r = try t.search(q, limit: 10)
                    box.lock.lock()
                    box.answered += 1
                    if r.tabs.count != 4 { box.failures.append("\(q): \(r.tabs.count) tabs") }
                    box.lock.unlock()
                } catch {
                    box.lock.lock(); box.failures.append("\(q): \(error)"); box.lock.unlock()
                }
            }
            done.signal()
        } }
        usleep(50_000)
        box.lock.lock(); let answeredBefore = box.answered; box.lock.unlock()
        try t.reindex()
        // More generation swaps under the searcher: each compaction swaps in a new generation
        // and deletes the old one, which pooled readers must not reopen.
        for _ in 0..<8 {
            _ = try t.compactIndex()
            usleep(5_000)
        }
        box.lock.lock(); let answeredDuring = box.answered - answeredBefore; box.stop = true; box.lock.unlock()
        for _ in 0..<searchers { done.wait() }

        #expect(box.failures.isEmpty, "searches failed during reindex and compactions: \(box.failures.prefix(5))")
        #expect(answeredDuring > 0, "searches answered while the index was rebuilt")
        let after = try Self.queries.map { Self.fingerprint(try t.search($0, limit: 10)) }
        for (i, q) in Self.queries.enumerated() {
            #expect(before[i] == after[i], "\(q.debugDescription) changed after reindex")
        }
        let s = try t.indexStatus()
        #expect(s.indexSeq == s.storeSeq)
        #expect(s.documents == (try Self.storeRecords(t)))
    }

    @Test func compactionKeepsResultsShrinksTheIndexAndTakesLaterWrites() throws {
        let e = try TestEngine("compact")
        defer { e.close() }
        let t = try e.engine.createTenant("compact")
        Self.loadDemo(t, size: 2000)
        // Rewrites leave free space in the B-trees for compaction to reclaim.
        let again = (0..<400).map { upsertLine(.client, "cl_x\($0)", ["name": "Réécriture \($0)", "city": "Lyon"]) }.joined(separator: "\n")
        t.load(again)
        t.load(again.replacingOccurrences(of: "Lyon", with: "Nantes"))
        let before = try Self.queries.map { Self.fingerprint(try t.search($0, limit: 10)) }
        let (bytesBefore, bytesAfter) = try t.compactIndex()
        #expect(bytesAfter < bytesBefore, "compacted \(bytesBefore) → \(bytesAfter) bytes")
        let after = try Self.queries.map { Self.fingerprint(try t.search($0, limit: 10)) }
        for (i, q) in Self.queries.enumerated() { #expect(before[i] == after[i], "\(q.debugDescription) changed after compaction") }
        // The compacted generation takes writes and their read-your-writes wait.
        t.load(upsertLine(.client, "cl_after", ["name": "Zygomatique Compact"]))
        #expect(try t.search("Zygomatique", limit: 5).first(.client) == "cl_after")
        let s = try t.indexStatus()
        #expect(s.indexSeq == s.storeSeq)
        #expect(s.documents == (try Self.storeRecords(t)))
    }

    @Test func writesDuringReindexAreNotLost() throws {
        let e = try TestEngine("reindex-writes")
        defer { e.close() }
        let t = try e.engine.createTenant("rw")
        Self.loadDemo(t, size: 2000)
        let writer = Thread {
            for i in 0..<200 {
                _ = t.bulk(ndjson: Data(upsertLine(.client, "c-new-\(i)", ["name": "Nouvelle Société \(i)", "city": "Quimper"]).utf8))
            }
        }
        writer.start()
        try t.reindex()
        while !writer.isFinished { usleep(5_000) }
        let seq = try t.indexStatus().storeSeq
        #expect(t.waitForIndexBlocking(seq, timeout: 30))
        let s = try t.indexStatus()
        #expect(s.documents == (try Self.storeRecords(t)))
        #expect(try t.search("quimper", limit: 0).group(.client).total == 200)
    }

    @Test func changedAnalyzerRulesRebuildTheIndexOnOpen() throws {
        // A copy of the analyzer rules, to change one of them.
        let rules = try TempDirectory("analyzers")
        defer { rules.remove() }
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("analyzers").path
        for f in try FileManager.default.contentsOfDirectory(atPath: source) {
            try FileManager.default.copyItem(atPath: source + "/" + f, toPath: rules.path + "/" + f)
        }
        let data = try TempDirectory("fingerprint")
        defer { data.remove() }
        let config = EngineConfig(dataDirectory: data.path, analyzersDirectory: rules.path)

        var engine = try Engine(config: config)
        var t = try engine.createTenant("fp")
        t.load([upsertLine(.client, "c-zz", ["name": "ZZ Conseil", "city": "Brest"]),
                upsertLine(.client, "c-other", ["name": "Orbite", "city": "Brest"])].joined(separator: "\n"))
        #expect(try t.search("zzz", limit: 0).grandTotal == 0)
        #expect(try t.search("zephyr").group(.client).total == 0, "no rule expands ZZ yet")
        engine.shutdown()
        let current = data.path + "/tenants/fp/index/CURRENT"
        let generationBefore = try String(contentsOfFile: current, encoding: .utf8)

        // Reopened with the same rules: no rebuild.
        engine = try Engine(config: config)
        t = try engine.tenant("fp")
        #expect(try t.search("conseil").ids(.client) == ["c-zz"])
        engine.shutdown()
        #expect(try String(contentsOfFile: current, encoding: .utf8) == generationBefore, "same rules, same index")

        // A new abbreviation: "zz" now also means "zéphyr". Only a rebuild applies it to stored records.
        let abbreviations = rules.path + "/abbreviations.tsv"
        try (String(contentsOfFile: abbreviations, encoding: .utf8) + "\nzz\tzéphyr\n").write(toFile: abbreviations, atomically: true, encoding: .utf8)
        engine = try Engine(config: config)
        defer { engine.shutdown() }
        t = try engine.tenant("fp")
        let rebuilt = eventually(timeout: 20) { (try? t.search("zephyr").ids(.client)) == ["c-zz"] }
        #expect(rebuilt, "the index was rebuilt with the new rules")
        #expect(try String(contentsOfFile: current, encoding: .utf8) != generationBefore, "a new generation is in use")
        let s = try t.indexStatus()
        #expect(s.documents == 2 && s.indexSeq == s.storeSeq)
        #expect(try t.search("orbite").ids(.client) == ["c-other"])
    }
}
