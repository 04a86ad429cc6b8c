import Foundation

/// The distinct words of the name and secondary fields, with how many documents hold each,
/// kept sorted in memory for typo matching. Xapian 1.4 has no fuzzy query, so typos are
/// found here and searched as ordinary terms.
///
/// The sorted array doubles as a trie: the words sharing a prefix are a contiguous range,
/// and a depth-first walk carrying rows of the optimal string alignment distance (a
/// transposition counts as one edit) visits only the prefixes still within reach.
final class Vocabulary: @unchecked Sendable {
    private var words: [[UInt8]] = []
    private var freqs: [UInt32] = []
    private var pending: [String: UInt32] = [:]
    private let lock = NSLock()

    init() {}

    /// Builds from (word, frequency) pairs in any order.
    init(_ pairs: [(String, UInt32)]) {
        var merged: [[UInt8]: UInt32] = [:]
        for (w, f) in pairs where !w.isEmpty { merged[Array(w.utf8), default: 0] += f }
        let sorted = merged.sorted { Self.less($0.key, $1.key) }
        words = sorted.map(\.key)
        freqs = sorted.map(\.value)
    }

    /// Takes over another vocabulary's words (after a rebuild).
    func replace(with other: Vocabulary) {
        other.lock.lock()
        other.mergePending()
        let (w, f) = (other.words, other.freqs)
        other.lock.unlock()
        lock.lock()
        words = w
        freqs = f
        pending.removeAll()
        lock.unlock()
    }

    /// Adds words seen by the indexer (merged into the sorted array on the next lookup).
    func add<S: Sequence>(_ newWords: S) where S.Element == String {
        lock.lock(); defer { lock.unlock() }
        for w in newWords where !w.isEmpty { pending[w, default: 0] += 1 }
    }

    private func mergePending() {
        guard !pending.isEmpty else { return }
        var all: [[UInt8]: UInt32] = [:]
        all.reserveCapacity(words.count + pending.count)
        if pending.count * 8 < words.count {
            // Few new words: insert each at its place.
            for (s, f) in pending {
                let w = Array(s.utf8)
                let i = lowerBound(w)
                if i < words.count && words[i] == w { freqs[i] &+= f } else { words.insert(w, at: i); freqs.insert(f, at: i) }
            }
        } else {
            for (i, w) in words.enumerated() { all[w] = freqs[i] }
            for (w, f) in pending { all[Array(w.utf8), default: 0] += f }
            let sorted = all.sorted { Self.less($0.key, $1.key) }
            words = sorted.map(\.key)
            freqs = sorted.map(\.value)
        }
        pending.removeAll(keepingCapacity: true)
    }

    private func lowerBound(_ w: [UInt8]) -> Int {
        var lo = 0, hi = words.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if Self.less(words[mid], w) { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    static func less(_ a: [UInt8], _ b: [UInt8]) -> Bool { a.lexicographicallyPrecedes(b) }

    struct Match: Hashable {
        var text: String
        var distance: Int
        var frequency: UInt32
        /// True when `text` is a prefix of words (a fuzzy prefix), false when it is a whole word.
        var isPrefix: Bool
    }

    /// Words within `maxDistance` edits of `query`; with `prefix`, also the prefixes of words
    /// within reach (to search as edge n-grams). Exact matches (distance 0) are left out.
    /// At most `limit` matches, closest and most frequent first.
    func fuzzy(_ query: String, maxDistance: Int, prefix: Bool, limit: Int = 24) -> [Match] {
        let q = Array(query.utf8)
        guard maxDistance > 0, !q.isEmpty else { return [] }
        lock.lock(); defer { lock.unlock() }
        mergePending()
        var out: [Match] = []
        let m = q.count
        var row0 = [Int](0...m)   // distance from the empty prefix
        let rowMinus = [Int](repeating: Int.max / 2, count: m + 1)
        var budget = 200_000      // bounds the walk on pathological input
        walk(depth: 0, lo: 0, hi: words.count, q: q, k: maxDistance, prefix: prefix,
             prev: &row0, prev2: rowMinus, prevChar: 0, out: &out, budget: &budget)
        out.sort { ($0.distance, $1.frequency, $0.text) < ($1.distance, $0.frequency, $1.text) }
        var seen = Set<String>()
        out = out.filter { seen.insert(($0.isPrefix ? "p:" : "w:") + $0.text).inserted }
        return Array(out.prefix(limit))
    }

    private func walk(depth d: Int, lo: Int, hi: Int, q: [UInt8], k: Int, prefix: Bool,
                      prev: inout [Int], prev2: [Int], prevChar: UInt8,
                      out: inout [Match], budget: inout Int) {
        var i = lo
        // Skip the word that ends exactly at this depth (it sorts first in its range).
        if i < hi && words[i].count == d { i += 1 }
        let m = q.count
        var row = [Int](repeating: 0, count: m + 1)
        while i < hi {
            budget -= 1
            if budget <= 0 { return }
            let c = words[i][d]
            // The range of words with byte c at depth d.
            var a = i + 1, b = hi
            while a < b {
                let mid = (a + b) / 2
                if words[mid][d] <= c { a = mid + 1 } else { b = mid }
            }
            let j = a
            row[0] = d + 1
            var rowMin = row[0]
            for x in 1...m {
                var v = min(prev[x] + 1, row[x - 1] + 1, prev[x - 1] + (q[x - 1] == c ? 0 : 1))
                if x > 1 && d > 0 && q[x - 1] == prevChar && q[x - 2] == c { v = min(v, prev2[x - 2] + 1) }
                row[x] = v
                if v < rowMin { rowMin = v }
            }
            if rowMin <= k {
                let dist = row[m]
                if dist <= k && dist > 0 {
                    if words[i].count == d + 1 {
                        out.append(Match(text: String(decoding: words[i], as: UTF8.self), distance: dist,
                                         frequency: freqs[i], isPrefix: false))
                    }
                    if prefix && d + 1 >= (m >= 7 ? m - 1 : m) {
                        var f: UInt32 = 0
                        for t in i..<j { f &+= freqs[t] }
                        out.append(Match(text: String(decoding: words[i][0...d], as: UTF8.self), distance: dist,
                                         frequency: f, isPrefix: true))
                    }
                }
                if d + 1 < m + k {
                    var next = row
                    walk(depth: d + 1, lo: i, hi: j, q: q, k: k, prefix: prefix, prev: &next, prev2: prev,
                         prevChar: c, out: &out, budget: &budget)
                }
            }
            i = j
        }
    }

    /// The most frequent whole word starting with `prefix` (to show a corrected query).
    func mostFrequentWord(withPrefix prefix: String) -> String? {
        let p = Array(prefix.utf8)
        lock.lock(); defer { lock.unlock() }
        mergePending()
        var i = lowerBound(p)
        var best: (Int, UInt32)? = nil
        var scanned = 0
        while i < words.count, words[i].starts(with: p), scanned < 5000 {
            if best == nil || freqs[i] > best!.1 { best = (i, freqs[i]) }
            i += 1; scanned += 1
        }
        return best.map { String(decoding: words[$0.0], as: UTF8.self) }
    }
}
