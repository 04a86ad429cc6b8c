import Foundation

/// The distinct words of the name and secondary fields, with how many documents hold each,
/// kept sorted in memory for typo matching. Xapian 1.4 has no fuzzy query, so typos are
/// found here and searched as ordinary terms.
///
/// The sorted list doubles as a trie: the words sharing a prefix are a contiguous range,
/// and a depth-first walk carrying rows of the optimal string alignment distance (a
/// transposition counts as one edit) visits only the prefixes still within reach.
/// Words live in one byte arena (offsets, lengths) and the walk's rows in one preallocated
/// buffer: the walk runs for every query word of five letters or more, and per-node arrays
/// were most of a name query's time.
final class Vocabulary: @unchecked Sendable {
    /// The bulk of the words, and the words added since it was built (small, rebuilt on each
    /// merge; folded into `sorted` once it passes a thirty-second of it): a search after a
    /// write costs a merge of the few new words, not of the whole list.
    private var sorted = Words()
    private var delta = Words()
    private var deltaWords: [[UInt8]: UInt32] = [:]
    private var pending: [String: UInt32] = [:]
    private let lock = NSLock()

    /// Sorted words in one arena.
    struct Words {
        var arena: [UInt8] = []
        var starts: [Int32] = []
        var lengths: [UInt16] = []
        var freqs: [UInt32] = []
        var count: Int { starts.count }

        init() {}

        /// From (bytes, frequency) pairs sorted by bytes, without duplicates.
        init(sortedPairs: [([UInt8], UInt32)]) {
            arena.reserveCapacity(sortedPairs.reduce(0) { $0 + $1.0.count })
            starts.reserveCapacity(sortedPairs.count)
            for (w, f) in sortedPairs {
                starts.append(Int32(arena.count))
                lengths.append(UInt16(min(w.count, Int(UInt16.max))))
                arena.append(contentsOf: w.prefix(Int(UInt16.max)))
                freqs.append(f)
            }
        }

        func word(_ i: Int) -> [UInt8] {
            let s = Int(starts[i])
            return Array(arena[s..<s + Int(lengths[i])])
        }

        /// The index of the first word not below `w`.
        func lowerBound(_ w: [UInt8]) -> Int {
            var lo = 0, hi = count
            while lo < hi {
                let mid = (lo + hi) / 2
                if word(mid).lexicographicallyPrecedes(w) { lo = mid + 1 } else { hi = mid }
            }
            return lo
        }

        var pairs: [([UInt8], UInt32)] { (0..<count).map { (word($0), freqs[$0]) } }
    }

    init() {}

    /// Builds from (word, frequency) pairs in any order.
    init(_ pairs: [(String, UInt32)]) {
        var merged: [[UInt8]: UInt32] = [:]
        for (w, f) in pairs where !w.isEmpty { merged[Array(w.utf8), default: 0] += f }
        sorted = Words(sortedPairs: merged.sorted { $0.key.lexicographicallyPrecedes($1.key) }.map { ($0.key, $0.value) })
    }

    /// Takes over another vocabulary's words (after a rebuild).
    func replace(with other: Vocabulary) {
        other.lock.lock()
        other.mergePending()
        other.foldDelta()
        let w = other.sorted
        other.lock.unlock()
        lock.lock()
        sorted = w
        delta = Words()
        deltaWords.removeAll()
        pending.removeAll()
        lock.unlock()
    }

    /// Adds words seen by the indexer (merged into the sorted list on the next lookup).
    func add<S: Sequence>(_ newWords: S) where S.Element == String {
        lock.lock(); defer { lock.unlock() }
        for w in newWords where !w.isEmpty { pending[w, default: 0] += 1 }
    }

    private func mergePending() {
        guard !pending.isEmpty else { return }
        for (s, f) in pending {
            let w = Array(s.utf8)
            let i = sorted.lowerBound(w)
            if i < sorted.count && sorted.word(i) == w { sorted.freqs[i] &+= f } else { deltaWords[w, default: 0] &+= f }
        }
        pending.removeAll(keepingCapacity: true)
        if deltaWords.count > max(2048, sorted.count / 32) { foldDelta() } else {
            delta = Words(sortedPairs: deltaWords.sorted { $0.key.lexicographicallyPrecedes($1.key) }.map { ($0.key, $0.value) })
        }
    }

    /// Folds the added words into the main list.
    private func foldDelta() {
        guard !deltaWords.isEmpty else { return }
        var all = sorted.pairs
        all.append(contentsOf: deltaWords.map { ($0.key, $0.value) })
        all.sort { $0.0.lexicographicallyPrecedes($1.0) }
        sorted = Words(sortedPairs: all)
        delta = Words()
        deltaWords.removeAll()
    }

    var count: Int {
        lock.lock(); defer { lock.unlock() }
        mergePending()
        return sorted.count + delta.count
    }

    struct Match: Hashable {
        var text: String
        var distance: Int
        var frequency: UInt32
        /// True when `text` is a prefix of words (a fuzzy prefix), false when it is a whole word.
        var isPrefix: Bool
    }

    /// Words within `maxDistance` edits of `query`; with `prefix`, also the prefixes of words
    /// within reach (to search as prefixes). Exact matches (distance 0) are left out.
    /// At most `limit` matches, closest and most frequent first.
    func fuzzy(_ query: String, maxDistance: Int, prefix: Bool, limit: Int = 24) -> [Match] {
        let q = Array(query.utf8)
        guard maxDistance > 0, !q.isEmpty, q.count < 200 else { return [] }
        lock.lock()
        mergePending()
        let lists = [sorted, delta]
        lock.unlock()
        var out: [Match] = []
        for words in lists where words.count > 0 {
        words.arena.withUnsafeBufferPointer { arena in
            words.starts.withUnsafeBufferPointer { starts in
                words.lengths.withUnsafeBufferPointer { lengths in
                    q.withUnsafeBufferPointer { qp in
                        var walker = Walker(arena: arena, starts: starts, lengths: lengths, freqs: words.freqs, q: qp,
                                            k: maxDistance, prefix: prefix)
                        walker.run()
                        out += walker.out
                    }
                }
            }
        }
        }
        out.sort { ($0.distance, $1.frequency, $0.text) < ($1.distance, $0.frequency, $1.text) }
        var seen = Set<String>()
        out = out.filter { seen.insert(($0.isPrefix ? "p:" : "w:") + $0.text).inserted }
        return Array(out.prefix(limit))
    }

    /// The depth-first walk of `fuzzy`. Rows of the distance table are kept per depth in one
    /// buffer (row d + 1 holds the distances after d + 1 characters of the words).
    private struct Walker {
        let arena: UnsafeBufferPointer<UInt8>
        let starts: UnsafeBufferPointer<Int32>
        let lengths: UnsafeBufferPointer<UInt16>
        let freqs: [UInt32]
        let q: UnsafeBufferPointer<UInt8>
        let k: Int
        let prefix: Bool
        let m: Int
        let maxDepth: Int
        var rows: [Int]
        var out: [Match] = []
        var budget = 200_000      // bounds the walk on pathological input

        init(arena: UnsafeBufferPointer<UInt8>, starts: UnsafeBufferPointer<Int32>, lengths: UnsafeBufferPointer<UInt16>,
             freqs: [UInt32], q: UnsafeBufferPointer<UInt8>, k: Int, prefix: Bool) {
            self.arena = arena
            self.starts = starts
            self.lengths = lengths
            self.freqs = freqs
            self.q = q
            self.k = k
            self.prefix = prefix
            m = q.count
            maxDepth = m + k
            // Row 0: the distances from the empty prefix; a row before it (for transpositions)
            // is never read at depth 0.
            rows = [Int](repeating: 0, count: (maxDepth + 2) * (m + 1))
            for x in 0...m { rows[x] = x }
        }

        @inline(__always)
        func byte(_ word: Int, _ d: Int) -> UInt8 { arena[Int(starts[word]) + d] }

        mutating func run() { walk(depth: 0, lo: 0, hi: starts.count, prevChar: 0) }

        private mutating func walk(depth d: Int, lo: Int, hi: Int, prevChar: UInt8) {
            var i = lo
            // Skip the word that ends exactly at this depth (it sorts first in its range).
            if i < hi && Int(lengths[i]) == d { i += 1 }
            let w = m + 1
            let prevBase = d * w, rowBase = (d + 1) * w, prev2Base = (d - 1) * w
            while i < hi {
                budget -= 1
                if budget <= 0 { return }
                let c = byte(i, d)
                // The range of words with byte c at depth d (all of them are longer than d).
                var a = i + 1, b = hi
                while a < b {
                    let mid = (a + b) >> 1
                    if byte(mid, d) <= c { a = mid + 1 } else { b = mid }
                }
                let j = a
                var rowMin = d + 1
                rows.withUnsafeMutableBufferPointer { r in
                    r[rowBase] = d + 1
                    rowMin = d + 1
                    for x in 1...m {
                        var v = Swift.min(r[prevBase + x] + 1, r[rowBase + x - 1] + 1, r[prevBase + x - 1] + (q[x - 1] == c ? 0 : 1))
                        if x > 1 && d > 0 && q[x - 1] == prevChar && q[x - 2] == c { v = Swift.min(v, r[prev2Base + x - 2] + 1) }
                        r[rowBase + x] = v
                        if v < rowMin { rowMin = v }
                    }
                }
                if rowMin <= k {
                    let dist = rows[rowBase + m]
                    if dist <= k && dist > 0 {
                        let s = Int(starts[i])
                        if Int(lengths[i]) == d + 1 {
                            out.append(Match(text: String(decoding: arena[s..<s + d + 1], as: UTF8.self), distance: dist,
                                             frequency: freqs[i], isPrefix: false))
                        }
                        if prefix && d + 1 >= (m >= 7 ? m - 1 : m) {
                            var f: UInt32 = 0
                            for t in i..<j { f &+= freqs[t] }
                            out.append(Match(text: String(decoding: arena[s..<s + d + 1], as: UTF8.self), distance: dist,
                                             frequency: f, isPrefix: true))
                        }
                    }
                    if d + 1 < maxDepth { walk(depth: d + 1, lo: i, hi: j, prevChar: c) }
                }
                i = j
            }
        }
    }

    /// The most frequent whole word starting with `prefix` (to show a corrected query).
    func mostFrequentWord(withPrefix prefix: String) -> String? {
        let p = Array(prefix.utf8)
        lock.lock(); defer { lock.unlock() }
        mergePending()
        var best: ([UInt8], UInt32)? = nil
        for words in [sorted, delta] {
            var i = words.lowerBound(p), scanned = 0
            while i < words.count, scanned < 5000 {
                let w = words.word(i)
                guard w.starts(with: p) else { break }
                if best == nil || words.freqs[i] > best!.1 { best = (w, words.freqs[i]) }
                i += 1; scanned += 1
            }
        }
        return best.map { String(decoding: $0.0, as: UTF8.self) }
    }
}
