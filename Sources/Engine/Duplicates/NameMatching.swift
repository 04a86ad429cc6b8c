import Foundation
import Analysis

/// String measures and name normalization of the duplicate check. Everything works on folded
/// text (lower-case ASCII from `Analyzer.fold`), compared as arrays of bytes.
enum NameMatching {

    // MARK: - Measures

    /// Optimal string alignment distance (a transposition counts as one edit), bounded:
    /// returns `limit + 1` as soon as the distance must exceed `limit`.
    static func editDistance(_ a: String, _ b: String, limit: Int = .max) -> Int {
        let x = Array(a.utf8), y = Array(b.utf8)
        if x == y { return 0 }
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        if limit != .max && abs(x.count - y.count) > limit { return limit + 1 }
        let m = y.count
        var prev2 = [Int](repeating: 0, count: m + 1)
        var prev = [Int](0...m)
        var cur = [Int](repeating: 0, count: m + 1)
        for i in 1...x.count {
            cur[0] = i
            var rowMin = cur[0]
            for j in 1...m {
                var v = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
                if i > 1 && j > 1 && x[i - 1] == y[j - 2] && x[i - 2] == y[j - 1] { v = min(v, prev2[j - 2] + 1) }
                cur[j] = v
                rowMin = min(rowMin, v)
            }
            if limit != .max && rowMin > limit { return limit + 1 }
            (prev2, prev, cur) = (prev, cur, prev2)
        }
        return prev[m]
    }

    /// Jaro-Winkler similarity (prefix scale 0.1, prefix up to 4), 0–1.
    static func jaroWinkler(_ a: String, _ b: String) -> Double {
        let x = Array(a.utf8), y = Array(b.utf8)
        if x == y { return 1 }
        if x.isEmpty || y.isEmpty { return 0 }
        let window = max(0, max(x.count, y.count) / 2 - 1)
        var xm = [Bool](repeating: false, count: x.count)
        var ym = [Bool](repeating: false, count: y.count)
        var matches = 0
        for i in 0..<x.count {
            let lo = max(0, i - window), hi = min(y.count - 1, i + window)
            if lo > hi { continue }
            for j in lo...hi where !ym[j] && x[i] == y[j] {
                xm[i] = true; ym[j] = true; matches += 1
                break
            }
        }
        if matches == 0 { return 0 }
        var t = 0, k = 0
        for i in 0..<x.count where xm[i] {
            while !ym[k] { k += 1 }
            if x[i] != y[k] { t += 1 }
            k += 1
        }
        let m = Double(matches)
        let jaro = (m / Double(x.count) + m / Double(y.count) + (m - Double(t / 2)) / m) / 3
        var prefix = 0
        while prefix < min(4, x.count, y.count) && x[prefix] == y[prefix] { prefix += 1 }
        return jaro + Double(prefix) * 0.1 * (1 - jaro)
    }

    /// Whether two folded words are the same word with a typo: one edit from 5 letters, two
    /// from 9 (digits must match exactly).
    static func typoClose(_ a: String, _ b: String) -> Bool {
        if a == b { return true }
        let n = min(a.utf8.count, b.utf8.count)
        if a.contains(where: \.isNumber) || b.contains(where: \.isNumber) { return false }
        let k = n >= 9 ? 2 : n >= 5 ? 1 : 0
        guard k > 0 else { return false }
        return editDistance(a, b, limit: k) <= k
    }

    // MARK: - Words

    /// Articles, prepositions and conjunctions ignored when comparing names (folded).
    static let minorWords: Set<String> = [
        "le", "la", "les", "l", "de", "du", "des", "d", "et", "a", "au", "aux", "en", "sur", "par", "pour",
        "the", "of", "and", "y", "und",
    ]

    /// Generic company words: "Sté"/"Société", "Ets"/"Établissements", "Cie"/"Compagnie" are
    /// left out of the comparison when the name has other words.
    static let genericWords: Set<String> = ["societe", "ste", "ets", "etablissements", "etablissement", "cie", "compagnie"]

    /// Folded words of a name: "&" read as "et", apostrophes, hyphens and punctuation split
    /// words, runs of single letters joined ("S.A.S." → "sas", "E D F" → "edf").
    static func words(_ raw: String, analyzer: Analyzer) -> [String] {
        var s = raw
        if s.utf8.contains(0x26) { s = s.replacingOccurrences(of: "&", with: " et ") }
        if s.utf8.contains(0x2B) { s = s.replacingOccurrences(of: "+", with: " et ") }
        s = analyzer.fold(s)
        var out: [String] = []
        var cur = ""
        for u in s.unicodeScalars {
            if (u.value >= 0x61 && u.value <= 0x7A) || (u.value >= 0x30 && u.value <= 0x39) {
                cur.unicodeScalars.append(u)
            } else if u.properties.isAlphabetic || u.properties.numericType != nil {
                cur.unicodeScalars.append(u)   // a letter the folding kept (non-Latin scripts)
            } else if !cur.isEmpty {
                out.append(cur); cur = ""
            }
        }
        if !cur.isEmpty { out.append(cur) }
        // Join runs of two or more single letters (dotted or spaced acronyms).
        var joined: [String] = []
        var run = ""
        var runCount = 0
        func flush() {
            if runCount >= 2 { joined.append(run) } else if runCount == 1 { joined.append(run) }
            run = ""; runCount = 0
        }
        for w in out {
            if w.utf8.count == 1 && w.first!.isLetter { run += w; runCount += 1 } else { flush(); joined.append(w) }
        }
        flush()
        return joined
    }
}

/// A company name prepared for comparison.
struct CompanyName: Hashable {
    /// Words without legal forms (all other words kept, in order): for acronyms.
    var words: [String]
    /// Words without legal forms, minor and generic words: what names are compared on.
    var significant: [String]
    /// Significant words sorted, joined by a space (word order ignored).
    var sortedKey: String
    /// Significant words joined without spaces, in order ("Dupont-Traiteur" = "DupontTraiteur").
    var compactKey: String

    /// `longLegalForms`: the legal forms of 8 letters or more ("association", "mutuelle"),
    /// also recognised with one typo.
    init?(_ raw: String?, analyzer: Analyzer, longLegalForms: [String] = []) {
        guard let raw, !raw.isEmpty else { return nil }
        let all = NameMatching.words(raw, analyzer: analyzer)
        var w = all.filter { word in
            if analyzer.isLegalForm(word) { return false }
            if word.utf8.count >= 7 && longLegalForms.contains(where: { NameMatching.editDistance(word, $0, limit: 1) <= 1 }) { return false }
            return true
        }
        if w.isEmpty { w = all }
        guard !w.isEmpty else { return nil }
        var sig = w.filter { !NameMatching.minorWords.contains($0) && !NameMatching.genericWords.contains($0) }
        if sig.isEmpty { sig = w.filter { !NameMatching.minorWords.contains($0) } }
        if sig.isEmpty { sig = w }
        words = w
        significant = sig
        sortedKey = sig.sorted().joined(separator: " ")
        compactKey = sig.joined()
    }

    /// A single word of 2 to 6 letters: it may be an acronym.
    var acronymLike: String? {
        guard significant.count == 1, let w = significant.first, (2...6).contains(w.utf8.count),
              w.allSatisfy({ $0.isLetter }) else { return nil }
        return w
    }

    /// The acronyms a multi-word name is commonly written as: initials of every word, and of
    /// the words without articles and prepositions.
    var acronyms: [String] {
        guard words.count >= 2 else { return [] }
        var out: [String] = []
        let all = String(words.compactMap(\.first))
        let sig = String(words.filter { !NameMatching.minorWords.contains($0) }.compactMap(\.first))
        for a in [sig, all] where a.count >= 2 && !out.contains(a) { out.append(a) }
        return out
    }

    /// Whether `acronym` can be read as the initials of this name, in order: every significant
    /// word gives its initial (one may be skipped from three letters on), articles and
    /// prepositions may give theirs.
    func isAbbreviated(by acronym: String) -> Bool {
        let a = Array(acronym.utf8)
        guard a.count >= 2, words.count >= 2 else { return false }
        let ws = words.map { (Array($0.utf8).first ?? 0, NameMatching.minorWords.contains($0)) }
        // dp over (word index, letter index, skips used)
        func go(_ i: Int, _ j: Int, _ skips: Int) -> Bool {
            if i == ws.count { return j == a.count }
            let (initial, minor) = ws[i]
            if j < a.count && a[j] == initial && go(i + 1, j + 1, skips) { return true }
            if minor { return go(i + 1, j, skips) }
            if skips == 0 && a.count >= 3 { return go(i + 1, j, 1) }
            return false
        }
        return go(0, 0, 0)
    }

    enum Relation { case equal, similar(Double), acronym }

    /// How two company names relate, or nil when they are simply different names.
    func relation(to other: CompanyName) -> Relation? {
        if sortedKey == other.sortedKey || compactKey == other.compactKey { return .equal }
        if let a = acronymLike, other.isAbbreviated(by: a) { return .acronym }
        if let a = other.acronymLike, isAbbreviated(by: a) { return .acronym }
        // Same words up to typos (word order ignored): every word pairs with a close word.
        let x = significant, y = other.significant
        if x.count == y.count {
            var used = [Bool](repeating: false, count: y.count)
            var ok = true
            for w in x {
                if let k = y.indices.first(where: { !used[$0] && y[$0] == w }) { used[k] = true; continue }
                if let k = y.indices.first(where: { !used[$0] && NameMatching.typoClose(w, y[$0]) }) { used[k] = true; continue }
                ok = false; break
            }
            if ok { return .similar(NameMatching.jaroWinkler(sortedKey, other.sortedKey)) }
        }
        // Spacing differences with a typo ("Dupont Traiteurs" / "DupontTraiteur").
        let n = min(compactKey.utf8.count, other.compactKey.utf8.count)
        if n >= 8 {
            let k = n >= 12 ? 2 : 1
            if NameMatching.editDistance(compactKey, other.compactKey, limit: k) <= k,
               NameMatching.jaroWinkler(compactKey, other.compactKey) >= 0.9 {
                return .similar(NameMatching.jaroWinkler(compactKey, other.compactKey))
            }
        }
        return nil
    }
}

/// A contact's name prepared for comparison.
struct PersonName: Hashable {
    /// Trimmed, lower-cased (accents kept): for the exact comparison.
    var firstLower: String?
    var lastLower: String?
    /// Folded, without spaces, hyphens or apostrophes.
    var first: String?
    var last: String?
    /// Initials of the first name's parts ("Jean-François" → "jf", "J.-F." → "jf").
    var firstInitials: String?
    /// The first name as written is only initials ("J.", "JF", "J-F").
    var firstIsInitials: Bool

    init(first rawFirst: String?, last rawLast: String?, analyzer: Analyzer) {
        func clean(_ s: String?) -> String? {
            guard let s else { return nil }
            let t = s.trimmingCharacters(in: .whitespaces)
            return t.isEmpty ? nil : t
        }
        let f = clean(rawFirst), l = clean(rawLast)
        firstLower = f?.lowercased()
        lastLower = l?.lowercased()
        let fw = f.map { NameMatching.words($0, analyzer: analyzer) } ?? []
        let lw = l.map { NameMatching.words($0, analyzer: analyzer) } ?? []
        first = fw.isEmpty ? nil : fw.joined()
        last = lw.isEmpty ? nil : lw.joined()
        // Initials: split again without joining single letters.
        let parts = f.map { analyzer.fold($0).split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init) } ?? []
        firstInitials = parts.isEmpty ? nil : String(parts.compactMap(\.first))
        let written = f.map { $0.filter { $0.isLetter } } ?? ""
        firstIsInitials = !parts.isEmpty && (parts.allSatisfy { $0.count == 1 } || (written.count <= 2 && f!.contains(".")))
    }

    var isEmpty: Bool { first == nil && last == nil }

    enum Relation { case exact, folded, swapped, initial, similar, conflict, unknown }

    func relation(to o: PersonName) -> Relation {
        guard let l1 = last, let l2 = o.last else {
            // Only one side has a last name: compare what there is.
            if let f1 = first, let f2 = o.first, last == nil, o.last == nil { return f1 == f2 ? .folded : .conflict }
            return .unknown
        }
        if let f1 = first, let f2 = o.first {
            if firstLower == o.firstLower && lastLower == o.lastLower { return .exact }
            if f1 == f2 && l1 == l2 { return .folded }
            if f1 == l2 && l1 == f2 { return .swapped }
            let lastClose = l1 == l2 || NameMatching.typoClose(l1, l2)
            if lastClose && (firstIsInitials || o.firstIsInitials) && f1 != f2 {
                let a = firstIsInitials ? (firstInitials ?? "") : (o.firstInitials ?? "")
                let full = firstIsInitials ? o : self
                if let fi = full.firstInitials, let ff = full.first, a == fi || a == String(ff.prefix(1)) { return .initial }
                return .conflict
            }
            if lastClose && (f1 == f2 || NameMatching.typoClose(f1, f2)) { return .similar }
            // Swapped with a typo.
            if NameMatching.typoClose(f1, l2) && NameMatching.typoClose(l1, f2) { return .swapped }
            return .conflict
        }
        // A first name on one side only.
        return l1 == l2 || NameMatching.typoClose(l1, l2) ? .similar : .conflict
    }
}
