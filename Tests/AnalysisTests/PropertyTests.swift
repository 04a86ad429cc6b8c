import Foundation
import Testing
@testable import Analysis

/// Deterministic generator (SplitMix64), so a failure is reproducible from its seed.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

enum Gen {
    static let french = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZàâäéèêëîïôöùûüÿçœæÀÂÄÉÈÊËÎÏÔÖÙÛÜŸÇŒÆ")
    static let extra = Array("ßẞøØłŁıİðþđħŧŋñÑåÅãõčšžřťďňľĺŕąęėįųūēīōāșțăğşﬁﬂĳ")
    static let separators = Array(" -'’ʼ.,;&/()\t\n«»\u{00A0}")
    static let exotic: [Character] = ["Σ", "ς", "ά", "Ж", "й", "Ё", "東", "京", "ｶ", "Ａ", "１", "½", "①", "™", "🎉", "❤️", "👨‍👩‍👧", "\u{200D}", "\u{00AD}", "\u{0301}", "\u{0327}", "\u{FE0F}", "0", "7", "٣"]

    static func string<R: RandomNumberGenerator>(_ rng: inout R, maxLength: Int = 24, alphabet: [Character]) -> String {
        let n = Int.random(in: 0...maxLength, using: &rng)
        var s = ""
        for _ in 0..<n { s.append(alphabet.randomElement(using: &rng)!) }
        return s
    }

    static let everything = french + extra + separators + exotic
    static let accented = french + extra + Array(" -'’")
}

@Suite("Folding properties")
struct FoldingPropertyTests {
    @Test func icuIsAvailable() {
        #expect(Folding.isICUAvailable, "ICU: \(Folding.lastError)")
        #expect(Folding.icuVersion.hasPrefix("7"))
    }

    /// Fuzz reproducer (scripts/fuzz.sh, target analyzer): "∦" is "∥" + U+0338; the mark went
    /// only after Latin-ASCII had run, so the bare "∥" stayed, and folding again gave "||".
    @Test func foldIsIdempotentOnBasesBaredByMarkRemoval() {
        for s in ["\u{FFFD};;;;;;;;;@;;;+;;\u{2226}", "\u{2226}", "\u{2225}", "a\u{2260}b", "\u{2224}", "\u{2209}x"] {
            let once = Folding.fold(s)
            #expect(Folding.fold(once) == once, "fold not idempotent on \(s.debugDescription): \(once.debugDescription)")
            #expect(once == Folding.foldWithICU(s))
        }
        #expect(Folding.fold("\u{2226}") == Folding.fold("\u{2225}"))
    }

    @Test func foldIsIdempotent() {
        var rng = SplitMix64(seed: 1)
        for _ in 0..<3000 {
            let s = Gen.string(&rng, alphabet: Gen.everything)
            let once = Folding.fold(s)
            #expect(Folding.fold(once) == once, "fold not idempotent on \(s.debugDescription)")
        }
    }

    @Test func asciiFastPathAgreesWithICU() {
        var rng = SplitMix64(seed: 2)
        let ascii = (0..<128).map { Character(Unicode.Scalar(UInt8($0))) }
        // every ASCII character alone, then random strings
        for c in ascii { #expect(Folding.fold(String(c)) == Folding.foldWithICU(String(c)), "ASCII \(c.unicodeScalars.first!.value)") }
        for _ in 0..<3000 {
            let s = Gen.string(&rng, maxLength: 40, alphabet: ascii)
            #expect(Folding.fold(s) == Folding.foldWithICU(s), "ASCII fast path differs on \(s.debugDescription)")
        }
    }

    /// The shim's per-code-point table must agree with the ICU pipeline on whole strings,
    /// i.e. the fold of the table's code points must not depend on their neighbours.
    @Test func tableFastPathAgreesWithICU() {
        var rng = SplitMix64(seed: 3)
        var pool: [Character] = []
        for range in [0x80...0x30FF, 0xFB00...0xFB4F, 0xFF00...0xFFEF] {
            for v in range {
                if let u = Unicode.Scalar(v), Folding.hasFastFold(u) { pool.append(Character(u)) }
            }
        }
        #expect(pool.count > 5000)
        #expect(Folding.hasFastFold("é") && Folding.hasFastFold("œ") && Folding.hasFastFold("’"))
        #expect(!Folding.hasFastFold("\u{0301}"))
        for _ in 0..<20000 {
            let s = Gen.string(&rng, maxLength: 6, alphabet: pool)
            #expect(Folding.fold(s) == Folding.foldWithICU(s), "table path differs on \(s.unicodeScalars.map { String($0.value, radix: 16) })")
        }
        // Hangul jamo, halfwidth forms and Greek next to each other (context-sensitive in NFKC / case mapping)
        let tricky = Array("각ㄱㅏﾡﾢￂΣσςΆ가각ﾞﾟｶ") + pool.prefix(50)
        for _ in 0..<5000 {
            let s = Gen.string(&rng, maxLength: 5, alphabet: tricky)
            #expect(Folding.fold(s) == Folding.foldWithICU(s), "differs on \(s.debugDescription)")
        }
    }

    @Test func nfcAndNfdGiveTheSameTerms() {
        var rng = SplitMix64(seed: 4)
        let a = sharedAnalyzer
        for _ in 0..<3000 {
            let s = Gen.string(&rng, maxLength: 30, alphabet: Gen.accented)
            let nfc = s.precomposedStringWithCanonicalMapping
            let nfd = s.decomposedStringWithCanonicalMapping
            #expect(a.terms(nfc) == a.terms(nfd), "NFC/NFD differ on \(s.debugDescription)")
            #expect(a.fold(nfc) == a.fold(nfd))
        }
    }

    @Test func foldIsThreadSafe() {
        var rng = SplitMix64(seed: 5)
        let inputs = (0..<400).map { _ in Gen.string(&rng, alphabet: Gen.everything) }
        let expected = inputs.map { Folding.foldWithICU($0) }
        let mismatches = Mutex(0)
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            for (i, s) in inputs.enumerated() {
                if Folding.foldWithICU(s) != expected[i] || Folding.fold(s) != expected[i] { mismatches.withLock { $0 += 1 } }
            }
        }
        #expect(mismatches.withLock { $0 } == 0)
    }
}

/// Minimal lock-protected box for the thread-safety test.
final class Mutex<Value>: @unchecked Sendable {
    private var value: Value
    private let lock = NSLock()
    init(_ value: Value) { self.value = value }
    func withLock<R>(_ body: (inout Value) -> R) -> R { lock.lock(); defer { lock.unlock() }; return body(&value) }
}

@Suite("Tokenizer properties")
struct TokenizerPropertyTests {
    @Test func offsetsAreValidUTF8BoundariesOfTheInput() {
        var rng = SplitMix64(seed: 6)
        let a = sharedAnalyzer
        for iteration in 0..<4000 {
            var s = Gen.string(&rng, maxLength: 40, alphabet: Gen.everything)
            if iteration % 2 == 0 { s = s.decomposedStringWithCanonicalMapping }
            let bytes = Array(s.utf8)
            var lastPrimary = -1
            for t in a.tokens(s) {
                #expect(0 <= t.start && t.start < t.end && t.end <= bytes.count, "bad range \(t) in \(s.debugDescription)")
                guard 0 <= t.start && t.start < t.end && t.end <= bytes.count else { continue }
                #expect(bytes[t.start] & 0xC0 != 0x80, "start inside a character: \(t) in \(s.debugDescription)")
                #expect(t.end == bytes.count || bytes[t.end] & 0xC0 != 0x80, "end inside a character: \(t) in \(s.debugDescription)")
                #expect(String(validating: bytes[t.start..<t.end], as: UTF8.self) != nil)
                #expect(!t.term.isEmpty)
                #expect(t.term.utf8.count <= Analyzer.maxTermBytes)
                #expect(t.isNumeric == t.term.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 })
                if !t.isAlternative {
                    #expect(t.position == lastPrimary + 1, "positions of primary tokens must be consecutive: \(t)")
                    lastPrimary = t.position
                } else {
                    #expect(t.position <= lastPrimary, "an alternative shares an earlier position: \(t)")
                }
            }
        }
    }

    /// A primary token's term is what its own slice of the input analyses to.
    @Test func primaryTermsMatchTheirSlices() {
        var rng = SplitMix64(seed: 7)
        let a = sharedAnalyzer
        for _ in 0..<2000 {
            let s = Gen.string(&rng, maxLength: 30, alphabet: Gen.french + Array(" -'’,"))
            let bytes = Array(s.utf8)
            for t in a.tokens(s) where !t.isAlternative {
                let slice = String(decoding: bytes[t.start..<t.end], as: UTF8.self)
                #expect(a.fold(slice) == t.term, "\(t) vs slice \(slice.debugDescription) of \(s.debugDescription)")
            }
        }
    }

    @Test func termsAreFoldedAndFoldIsStableOnTerms() {
        var rng = SplitMix64(seed: 8)
        let a = sharedAnalyzer
        for _ in 0..<2000 {
            let s = Gen.string(&rng, maxLength: 30, alphabet: Gen.everything)
            for term in a.terms(s) {
                #expect(a.fold(term) == term, "term \(term.debugDescription) is not folded (from \(s.debugDescription))")
                // the query side re-analyses a term to itself
                #expect(a.terms(term).first == term || term.contains(where: { !$0.isLetter && !$0.isNumber }),
                        "term \(term.debugDescription) re-analyses to \(a.terms(term))")
            }
        }
    }
}

@Suite("Rules")
struct RulesTests {
    @Test func defaultRulesLoad() throws {
        let rules = try AnalyzerRules.loadDefault()
        #expect(rules.elisions.isSuperset(of: ["l", "d", "j", "qu", "n", "s", "c", "m", "t", "jusqu", "lorsqu", "puisqu"]))
        #expect(rules.legalForms.isSuperset(of: ["sa", "sas", "sarl", "eurl", "sasu", "sci", "snc", "sca", "gie", "association"]))
        #expect(rules.stopWords.isSuperset(of: ["de", "du", "des", "la", "le", "les", "et"]))
        #expect(rules.abbreviations["st"] == "saint")
        #expect(rules.abbreviations["ste"] == "societe")
        #expect(rules.expansions["ste"] == ["societe", "sainte"])
        #expect(rules.abbreviations["cie"] == "compagnie")
        #expect(rules.abbreviations["&"] == "et")
        #expect(rules.civilities["mme"] == "Madame")
        #expect(rules.fingerprint.count == 16 && rules.fingerprint.allSatisfy(\.isHexDigit))
        #expect(try AnalyzerRules.loadDefault().fingerprint == rules.fingerprint)
    }

    @Test func fingerprintFollowsContents() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("labsearch-rules-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let source = AnalyzerRules.defaultDirectory()
        for name in AnalyzerRules.fileNames {
            try FileManager.default.copyItem(atPath: source + "/" + name, toPath: dir.appendingPathComponent(name).path)
        }
        let original = try AnalyzerRules.load(directory: source)
        let copy = try AnalyzerRules.load(directory: dir.path)
        #expect(copy == original)
        let stop = dir.appendingPathComponent("stop_words.txt")
        try (String(contentsOf: stop, encoding: .utf8) + "chez\nvers\n").write(to: stop, atomically: true, encoding: .utf8)
        let changed = try AnalyzerRules.load(directory: dir.path)
        #expect(changed.fingerprint != original.fingerprint)
        #expect(changed.stopWords.contains("vers"))

        try FileManager.default.removeItem(at: dir.appendingPathComponent("civilities.tsv"))
        #expect(throws: AnalyzerRulesError.self) { try AnalyzerRules.load(directory: dir.path) }
    }

    @Test func badTSVLineIsReportedWithItsLineNumber() {
        var contents: [String: String] = [:]
        for name in AnalyzerRules.fileNames { contents[name] = "" }
        contents["abbreviations.tsv"] = "# comment\nst\tsaint\nbroken line\n"
        #expect(throws: AnalyzerRulesError.invalidLine(file: "abbreviations.tsv", line: 3, text: "broken line")) {
            try AnalyzerRules.parse(contents)
        }
    }

    @Test func emptyRulesStillTokenize() {
        let a = Analyzer(rules: AnalyzerRules())
        #expect(a.terms("L'Oréal & Cie") == ["l", "oreal", "loreal", "cie"])
    }
}
