import Engine
import Foundation

/// As-you-type (issue 11): names typed letter by letter, without accents and in lower case, as
/// a user types them in the search bar; every keystroke is a search (limit 10, the bar's). Per
/// keystroke: latency by prefix length; per name: the keystroke at which the expected record
/// first shows in the top 10 of its group, and whether it shows once the name is whole.
struct TypingReport: Codable {
    struct Bucket: Codable {
        var letters: String
        var keystrokes: Int
        var p50_ms: Double
        var p99_ms: Double
    }
    var names: Int
    var keystrokes: Int
    var p50_ms: Double
    var p95_ms: Double
    var p99_ms: Double
    var mean_ms: Double
    var buckets: [Bucket]
    /// Names whose record showed in the top 10 by the last keystroke.
    var found_at_end: Int
    /// Median and 90th percentile of the letters typed before the record first showed (found names only).
    var letters_to_find_p50: Double
    var letters_to_find_p90: Double
    /// Median share of the name typed when the record first showed.
    var share_typed_p50: Double
    var example: String
}

enum TypingBench {
    /// The typed texts: contacts' "first last" and companies' whole names, from the query sets.
    static func names(_ queries: [BenchQuery], count: Int) -> [BenchQuery] {
        let pool = queries.filter { $0.category == "first-last" || $0.category == "whole-name" }
        var out: [BenchQuery] = []
        var i = 0, j = 0
        let a = pool.filter { $0.category == "first-last" }, b = pool.filter { $0.category == "whole-name" }
        while out.count < count && (i < a.count || j < b.count) {
            if i < a.count { out.append(a[i]); i += 1 }
            if out.count < count, j < b.count { out.append(b[j]); j += 1 }
        }
        return out.map { q in
            var t = q
            t.text = Workload.stripAccents(q.text).lowercased()
            return t
        }
    }

    static func run(tenant: Tenant, queries: [BenchQuery], count: Int) -> TypingReport {
        let typed = names(queries, count: count)
        var all: [Double] = []
        var byLen: [Int: [Double]] = [:]
        var lettersToFind: [Double] = []
        var shares: [Double] = []
        var foundAtEnd = 0
        for q in typed {
            let chars = Array(q.text)
            var firstFound: Int?
            var foundLast = false
            for k in 1...max(chars.count, 1) where k <= chars.count {
                let prefix = String(chars[0..<k])
                if prefix.last == " " { continue }   // a space alone asks nothing new
                let t0 = DispatchTime.now().uptimeNanoseconds
                guard let r = try? tenant.search(SearchRequest(query: prefix, limit: 10)) else { continue }
                let ms = Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6
                all.append(ms)
                let letters = prefix.filter { $0 != " " }.count
                byLen[letters, default: []].append(ms)
                let group = r.tabs.flatMap(\.groups).first { $0.kind == q.expectedKind }
                let found = group?.hits.contains { $0.id == q.expectedId } ?? false
                if found, firstFound == nil { firstFound = letters }
                if k == chars.count { foundLast = found }
            }
            if foundLast { foundAtEnd += 1 }
            if let f = firstFound {
                lettersToFind.append(Double(f))
                shares.append(Double(f) / Double(max(q.text.filter { $0 != " " }.count, 1)))
            }
        }
        all.sort(); lettersToFind.sort(); shares.sort()
        func bucket(_ label: String, _ range: ClosedRange<Int>) -> TypingReport.Bucket {
            let l = byLen.filter { range.contains($0.key) }.flatMap(\.value).sorted()
            return .init(letters: label, keystrokes: l.count, p50_ms: percentile(l, 50), p99_ms: percentile(l, 99))
        }
        return TypingReport(
            names: typed.count, keystrokes: all.count, p50_ms: percentile(all, 50), p95_ms: percentile(all, 95),
            p99_ms: percentile(all, 99), mean_ms: all.isEmpty ? .nan : all.reduce(0, +) / Double(all.count),
            buckets: [bucket("1", 1...1), bucket("2", 2...2), bucket("3", 3...3), bucket("4-6", 4...6), bucket("7+", 7...1000)],
            found_at_end: foundAtEnd, letters_to_find_p50: percentile(lettersToFind, 50),
            letters_to_find_p90: percentile(lettersToFind, 90), share_typed_p50: percentile(shares, 50),
            example: typed.first?.text ?? "")
    }

    static func markdown(_ t: TypingReport) -> String {
        var md = "\n## As-you-type (names typed letter by letter, no accents, lower case; a search per keystroke)\n\n"
        md += String(format: "%d names, %d keystrokes: p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, mean %.2f ms per keystroke. ",
                     t.names, t.keystrokes, t.p50_ms, t.p95_ms, t.p99_ms, t.mean_ms)
        md += String(format: "The expected record in the top 10 of its group once the name is whole: %d/%d; first shown after %.0f letters at the median (90th percentile %.0f), %.0f%% of the name.\n\n",
                     t.found_at_end, t.names, t.letters_to_find_p50, t.letters_to_find_p90, t.share_typed_p50 * 100)
        md += "| letters typed | keystrokes | p50 ms | p99 ms |\n|---|---|---|---|\n"
        for b in t.buckets { md += String(format: "| %@ | %d | %.2f | %.2f |\n", b.letters, b.keystrokes, b.p50_ms, b.p99_ms) }
        return md
    }
}
