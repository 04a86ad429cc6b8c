/// One token of analysed text.
public struct Token: Sendable, Hashable, CustomStringConvertible {
    /// Folded form (see `Folding`).
    public var term: String
    /// Word position. Primary tokens count 0, 1, 2…; an alternative shares the position of
    /// the (first) word it stands for.
    public var position: Int
    /// UTF-8 byte offsets into the original input, `start..<end` (for highlighting).
    public var start: Int
    public var end: Int
    /// An extra form besides the primary tokens: a joined hyphenated/apostrophe word, a joined
    /// elision (`loreal`), an expanded abbreviation (`societe` for `Sté`).
    public var isAlternative: Bool
    /// The term is all ASCII digits.
    public var isNumeric: Bool

    public init(term: String, position: Int, start: Int, end: Int, isAlternative: Bool, isNumeric: Bool) {
        self.term = term
        self.position = position
        self.start = start
        self.end = end
        self.isAlternative = isAlternative
        self.isNumeric = isNumeric
    }

    /// `term@position[start,end]`, with `+` after the term for an alternative.
    public var description: String {
        "\(term)\(isAlternative ? "+" : "")@\(position)[\(start),\(end)]"
    }
}

/// French text analysis shared by the index and query sides (see DESIGN.md, "Text analysis").
///
/// Tokenizing rules:
/// - words are runs of letters, digits and numbers, continued by combining marks and
///   invisible joiners (so NFD text and `ZWJ` stay inside a word); everything else separates;
/// - a word followed by `'`, `’`, `ʼ` or `‘` and a letter is an elided particle when its folded
///   form is in `rules.elisions`: it gives no primary token, but the joined form is an
///   alternative (`L’Oréal` → `oreal`, alt `loreal`);
/// - words linked by a hyphen (`-`, U+2010, U+2011) or a non-elision apostrophe form a compound:
///   each part is a primary token, the joined form an alternative (`Jean-François` → `jean`,
///   `francois`, alt `jeanfrancois`; `O'Neill` → `o`, `neill`, alt `oneill`); digit runs linked
///   by dots too (`62.02A` → `62`, `02a`, alt `6202a`; `06.12.34.56.78` → alt `0612345678`);
/// - single letters separated by dots form one acronym token (`S.A.S.` → `sas`, `E.D.F` → `edf`);
/// - abbreviations (`rules.expansions`) add their expansions as alternatives (`St` → alt
///   `saint`); a compound with abbreviations also gets its expanded joined form
///   (`St-Étienne` → alt `stetienne`, alt `saintetienne`);
/// - `&` becomes the token `et` (from `rules.abbreviations["&"]`);
/// - no stemming; stop words and legal forms are kept (the query side makes them optional);
/// - terms longer than `maxTermBytes` are cut at a character boundary; joined alternatives that
///   long are dropped.
public final class Analyzer: Sendable {
    public let rules: AnalyzerRules
    /// Longest term emitted, in UTF-8 bytes (Xapian's limit is 245 bytes with its prefix).
    public static let maxTermBytes = 120

    private let ampersand: String?

    public init(rules: AnalyzerRules) {
        self.rules = rules
        self.ampersand = rules.abbreviations["&"]
    }

    /// Folds a whole string (no tokenizing). Pure ASCII is lower-cased without calling ICU.
    public func fold(_ s: String) -> String { Folding.fold(s) }

    public func terms(_ s: String) -> [String] { tokens(s).map(\.term) }

    /// `term` may be raw or folded; dots and spaces are ignored (`S.A.S.` is `sas`).
    public func isLegalForm(_ term: String) -> Bool {
        rules.legalForms.contains(AnalyzerRules.legalFormKey(term))
    }

    public func isStopWord(_ term: String) -> Bool {
        rules.stopWords.contains(Folding.fold(term))
    }

    /// The canonical civility (`Monsieur`, `Madame`, `Docteur`, `Professeur`, `Maître`…) for a
    /// raw one such as `M.`, `Mme`, `mr`, `Dr`; nil if unknown.
    public func civility(_ raw: String) -> String? {
        let key = AnalyzerRules.normalizeKey(raw.trimmingSpaces())
        return rules.civilities[key]
    }

    public func tokens(_ s: String) -> [Token] {
        var s = s
        return s.withUTF8 { buf in
            var t = Tokenizer(buf: buf, elisions: rules.elisions, expansions: rules.expansions, ampersand: ampersand)
            t.run()
            return t.out
        }
    }
}

extension String {
    func trimmingSpaces() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        return String(scalars[first...last])
    }
}

// MARK: - Tokenizer

private enum CharClass: UInt8 {
    case other, wordStart, wordContinue, apostrophe, hyphen, dot, ampersand
}

private let asciiClasses: [CharClass] = (0..<128).map { (b: Int) -> CharClass in
    switch UInt8(b) {
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
         UInt8(ascii: "0")...UInt8(ascii: "9"): return .wordStart
    case UInt8(ascii: "'"): return .apostrophe
    case UInt8(ascii: "-"): return .hyphen
    case UInt8(ascii: "."): return .dot
    case UInt8(ascii: "&"): return .ampersand
    default: return .other
    }
}

@inline(__always)
private func classify(_ c: Unicode.Scalar) -> CharClass {
    switch c.value {
    case 0x2019, 0x02BC, 0x2018: return .apostrophe          // ’ ʼ ‘
    case 0x2010, 0x2011: return .hyphen                      // ‐ ‑
    case 0x00AD, 0x200C, 0x200D, 0x2060, 0xFE00...0xFE0F, 0xE0100...0xE01EF:
        return .wordContinue                                 // soft hyphen, joiners, variation selectors
    case 0xFF06: return .ampersand                           // ＆
    default: break
    }
    let p = c.properties
    switch p.generalCategory {
    case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
         .decimalNumber, .letterNumber, .otherNumber:
        return .wordStart
    case .nonspacingMark, .spacingMark, .enclosingMark:
        return .wordContinue
    default:
        return p.isAlphabetic ? .wordStart : .other
    }
}

private struct Run {
    var start: Int
    var end: Int          // end of the letters (excludes an acronym's trailing dot)
    var spanEnd: Int      // end used for offsets
    var term: String
    var isParticle = false
    var position = 0
}

private struct Tokenizer {
    let buf: UnsafeBufferPointer<UInt8>
    let elisions: Set<String>
    let expansions: [String: [String]]
    let ampersand: String?
    var out: [Token] = []
    var position = 0
    var runs: [Run] = []

    init(buf: UnsafeBufferPointer<UInt8>, elisions: Set<String>, expansions: [String: [String]], ampersand: String?) {
        self.buf = buf
        self.elisions = elisions
        self.expansions = expansions
        self.ampersand = ampersand
        out.reserveCapacity(buf.count / 4 + 2)
    }

    /// Decodes the scalar at byte `i` (the input is valid UTF-8). Returns it and its length.
    @inline(__always)
    func decode(_ i: Int) -> (Unicode.Scalar, Int) {
        let b0 = UInt32(buf[i])
        if b0 < 0x80 { return (Unicode.Scalar(UInt8(b0)), 1) }
        if b0 < 0xE0 {
            let v = (b0 & 0x1F) << 6 | UInt32(buf[i + 1] & 0x3F)
            return (Unicode.Scalar(v) ?? "\u{FFFD}", 2)
        }
        if b0 < 0xF0 {
            let v = (b0 & 0x0F) << 12 | UInt32(buf[i + 1] & 0x3F) << 6 | UInt32(buf[i + 2] & 0x3F)
            return (Unicode.Scalar(v) ?? "\u{FFFD}", 3)
        }
        let v = (b0 & 0x07) << 18 | UInt32(buf[i + 1] & 0x3F) << 12 | UInt32(buf[i + 2] & 0x3F) << 6 | UInt32(buf[i + 3] & 0x3F)
        return (Unicode.Scalar(v) ?? "\u{FFFD}", 4)
    }

    @inline(__always)
    func classAt(_ i: Int) -> (CharClass, Int) {
        let b = buf[i]
        if b < 0x80 { return (asciiClasses[Int(b)], 1) }
        let (c, len) = decode(i)
        return (classify(c), len)
    }

    @inline(__always)
    func isDigitAt(_ i: Int) -> Bool {
        let b = buf[i]
        if b < 0x80 { return b &- 0x30 < 10 }
        return decode(i).0.properties.generalCategory == .decimalNumber
    }

    /// End of the word run starting at `i` (a wordStart).
    @inline(__always)
    func runEnd(_ i: Int) -> Int {
        var j = i
        while j < buf.count {
            let (k, len) = classAt(j)
            if k != .wordStart && k != .wordContinue { break }
            j += len
        }
        return j
    }

    func foldRun(_ start: Int, _ end: Int) -> String {
        let slice = UnsafeBufferPointer(rebasing: buf[start..<end])
        var t = Folding.fold(bytes: slice)
        // Folding may produce ASCII punctuation (ŉ → 'n, ½ → 1/2): keep letters and digits.
        if t.utf8.contains(where: { $0 < 0x80 && !isASCIIAlnum($0) }) {
            t = String(String.UnicodeScalarView(t.unicodeScalars.filter { $0.value >= 0x80 || isASCIIAlnum(UInt8($0.value)) }))
        }
        return t
    }

    static func isSingleLetter(_ t: String) -> Bool {
        var it = t.unicodeScalars.makeIterator()
        guard let c = it.next(), it.next() == nil else { return false }
        if c.value < 0x80 { return (UInt8(c.value) | 0x20) &- 0x61 < 26 }
        return c.properties.isAlphabetic
    }

    mutating func run() {
        var i = 0
        let n = buf.count
        while i < n {
            let (k, len) = classAt(i)
            switch k {
            case .wordStart:
                i = group(i)
            case .ampersand:
                if let et = ampersand {
                    emit(et, position, i, i + len, alternative: false)
                    position += 1
                }
                i += len
            default:
                i += len
            }
        }
    }

    /// Reads a group of runs linked by connectors from `start`; emits its tokens; returns
    /// the byte index after it.
    mutating func group(_ start: Int) -> Int {
        runs.removeAll(keepingCapacity: true)
        let n = buf.count
        var j = start
        while true {
            var end = runEnd(j)
            var term = foldRun(j, end)
            var spanEnd = end
            // Dotted acronym: single letters separated by single dots (S.A.S., E.D.F).
            if Tokenizer.isSingleLetter(term), end + 1 < n, buf[end] == UInt8(ascii: ".") {
                var letters = term
                var e = end
                while e + 1 < n, buf[e] == UInt8(ascii: "."), classAt(e + 1).0 == .wordStart {
                    let e2 = runEnd(e + 1)
                    let t2 = foldRun(e + 1, e2)
                    guard Tokenizer.isSingleLetter(t2) else { break }
                    letters += t2
                    e = e2
                }
                if e != end {
                    term = letters
                    end = e
                    spanEnd = (e < n && buf[e] == UInt8(ascii: ".")) ? e + 1 : e
                }
            }
            runs.append(Run(start: j, end: end, spanEnd: spanEnd, term: term))
            // Connector?
            guard end < n else { break }
            let (k, len) = classAt(end)
            let next = end + len
            guard next < n, k == .apostrophe || k == .hyphen || k == .dot, classAt(next).0 == .wordStart else { break }
            if k == .dot {
                // Only between digits (62.02A, 06.12.34.56.78); acronyms were handled above.
                guard spanEnd == end, end > j, isDigitAt(previousScalarStart(end)), isDigitAt(next) else { break }
            }
            if k == .apostrophe, elisions.contains(term) {
                runs[runs.count - 1].isParticle = true
            }
            j = next
        }
        emitGroup()
        return runs[runs.count - 1].spanEnd
    }

    func previousScalarStart(_ i: Int) -> Int {
        var p = i - 1
        while p > 0 && buf[p] & 0xC0 == 0x80 { p -= 1 }
        return p
    }

    mutating func emitGroup() {
        var firstPosition = -1
        var primaryCount = 0
        var hasExpansion = false
        for r in runs.indices {
            let run = runs[r]
            if run.isParticle || run.term.isEmpty { continue }
            emit(run.term, position, run.start, run.spanEnd, alternative: false)
            if let exps = expansions[run.term] {
                hasExpansion = true
                for e in exps { emit(e, position, run.start, run.spanEnd, alternative: true) }
            }
            if r > 0, runs[r - 1].isParticle, !runs[r - 1].term.isEmpty {
                emit(runs[r - 1].term + run.term, position, runs[r - 1].start, run.spanEnd, alternative: true)
            }
            runs[r].position = position
            if firstPosition < 0 { firstPosition = position }
            position += 1
            primaryCount += 1
        }
        // Joined forms, without leading particles (l'Île-de-France → iledefrance; the
        // particle's own joined form lile is out already); inner particles stay
        // (Saint-Jean-d'Angély → saintjeandangely).
        guard firstPosition >= 0, let from = runs.firstIndex(where: { !$0.isParticle }), runs.count - from >= 2 else { return }
        let startOffset = runs[from].start, endOffset = runs[runs.count - 1].spanEnd
        var joined = ""
        for r in from..<runs.count { joined += runs[r].term }
        if joined.utf8.count <= Analyzer.maxTermBytes {
            emit(joined, firstPosition, startOffset, endOffset, alternative: true)
        }
        if hasExpansion && primaryCount >= 2 {
            var expanded = ""
            for r in from..<runs.count {
                let run = runs[r]
                if !run.isParticle, let e = expansions[run.term]?.first { expanded += e } else { expanded += run.term }
            }
            if expanded != joined && expanded.utf8.count <= Analyzer.maxTermBytes {
                emit(expanded, firstPosition, startOffset, endOffset, alternative: true)
            }
        }
    }

    @inline(__always)
    mutating func emit(_ term: String, _ position: Int, _ start: Int, _ end: Int, alternative: Bool) {
        var term = term
        if term.utf8.count > Analyzer.maxTermBytes {
            if alternative { return }
            term = truncate(term)
        }
        var numeric = !term.isEmpty
        for b in term.utf8 where b &- 0x30 >= 10 { numeric = false; break }
        out.append(Token(term: term, position: position, start: start, end: end, isAlternative: alternative, isNumeric: numeric))
    }

    func truncate(_ t: String) -> String {
        var n = 0
        var result = ""
        for c in t.unicodeScalars {
            let l = UTF8.width(c)
            if n + l > Analyzer.maxTermBytes { break }
            result.unicodeScalars.append(c)
            n += l
        }
        return result
    }
}

@inline(__always)
private func isASCIIAlnum(_ b: UInt8) -> Bool {
    (b &- 0x30) < 10 || ((b | 0x20) &- 0x61) < 26
}
