import Analysis
import Model

/// Marks the words of a field that the query matched: the text HTML-escaped, with only
/// `<mark>` tags added (API.md). Words are compared as the index compares them (folded).
struct Highlighter {
    let analyzer: Analyzer
    private var exact: Set<String> = []
    private var prefixes: [String] = []
    private var numbers: [String] = []
    private var email: String?

    init(analyzer: Analyzer, query: ParsedQuery) {
        self.analyzer = analyzer
        for w in query.words {
            for t in [w.term] + w.alternatives {
                exact.insert(t)
                if w.isPrefix { prefixes.append(t) }
            }
            if w.isNumeric { numbers.append(w.term) }
            for t in w.typos { if t.isPrefix { prefixes.append(t.text) } else { exact.insert(t.text) } }
        }
        if let d = query.identifierDigits { numbers.append(d); numbers.append(query.raw) }  // raw: "+33 (0)6…"
        email = query.email
    }

    func highlight(field: String, _ text: String) -> String? {
        if field.hasPrefix("phone_") {
            guard !numbers.isEmpty else { return nil }   // no digits typed: no phone to mark
            // The number whole or by its last digits (the index's suffix terms), or its first
            // digits as typed so far ("06 12 3"): a prefix of any of its full forms.
            let parts = Identifiers.phoneForms(text)
            let forms = Set(parts.full + parts.suffixes)
            let hit = numbers.contains { n in
                Identifiers.phoneQueryForms(n).contains { f in
                    forms.contains(f) || (f.count >= 4 && parts.full.contains { $0.hasPrefix(f) })
                }
            }
            return hit ? "<mark>" + Self.escape(Identifiers.displayPhone(text)) + "</mark>" : nil
        }
        if field == "email", let e = email, text.lowercased().hasPrefix(e) {
            return "<mark>" + Self.escape(text) + "</mark>"
        }
        var ranges: [(Int, Int)] = []
        // Joined forms (jeanfrancois, loreal) only when the query named them whole; otherwise
        // the parts they join are marked one by one.
        for t in analyzer.tokens(text) where t.isAlternative ? exact.contains(t.term) : matches(t.term) {
            ranges.append((t.start, t.end))
        }
        guard !ranges.isEmpty else { return nil }
        ranges.sort { $0.0 < $1.0 }
        var merged: [(Int, Int)] = []
        for r in ranges {
            if let last = merged.last, r.0 <= last.1 { merged[merged.count - 1].1 = max(last.1, r.1) } else { merged.append(r) }
        }
        let bytes = Array(text.utf8)
        var out = ""
        var pos = 0
        for (s, e) in merged where s >= pos && e <= bytes.count && s < e {
            out += Self.escape(String(decoding: bytes[pos..<s], as: UTF8.self))
            out += "<mark>" + Self.escape(String(decoding: bytes[s..<e], as: UTF8.self)) + "</mark>"
            pos = e
        }
        out += Self.escape(String(decoding: bytes[pos...], as: UTF8.self))
        return out
    }

    private func matches(_ term: String) -> Bool {
        if exact.contains(term) { return true }
        return prefixes.contains { term.hasPrefix($0) }
    }

    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for ch in s.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }
}
