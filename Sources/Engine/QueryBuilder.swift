import Analysis
import Foundation
import Model
import XapianKit

/// Weights of the match kinds. The weighting is `Weighting.wdf`: a word term weighs its wdf
/// (its best field class, `FieldClass`: name 20, secondary 6, other 3) times the query's scale
/// factor; other terms have wdf 1 and weigh their factor. Each query word scores its best
/// match (`OP_MAX` over its alternatives) and a hit's score is the sum over the words, so an
/// order can be read off the table: an exact word in a name (10) beats a prefix of a name (6),
/// which beats an exact word elsewhere (3, 1.5), which beats a typo (≤ 1).
enum Weights {
    static let wordExact = 0.5           // × wdf: name 10, secondary 3, other 1.5
    static let wordPrefix = 0.3          // × wdf: name 6, secondary 1.8, other 0.9
    static let wordTypo = [0.0, 0.05, 0.03]  // by distance, × wdf: name 1.0 / 0.6
    static let gram: [GramTier: Double] = [.first: 7, .name: 6, .secondary: 2]
    static let identifier = 20.0         // a whole phone, SIRET/SIREN, VAT, e-mail, reference
    static let identifierPartial = 10.0  // leading digits of a phone or SIRET, last digits of a phone
    static let phoneStart = 10.5         // a number typed from its start: before those merely ending so
    static let fullName = 3.0            // the query is the record's whole name
    static let optionalWord = 0.5        // factor for stop words and legal forms ("EDF SA" finds EDF)
}

/// A query as the search bar typed it, analysed once and turned into Xapian queries.
struct ParsedQuery {
    struct Word {
        var term: String
        var alternatives: [String]   // joined forms, expanded abbreviations
        var isNumeric: Bool
        var isPrefix: Bool           // the last word as typed: also matched as a prefix
        var isOptional: Bool         // a stop word, legal form or initial among other words
        var isInitial = false        // one letter before other words: "J Dupont", "N Diaye"
        var typoEligible = false     // long enough and without digits for typo matching
        var typos: [Vocabulary.Match] = []
    }
    var raw: String
    var words: [Word]
    var email: String?
    /// The query looks like an e-mail's local part ("m.durand-leroy", "jean_moreau").
    var emailLocal: String?
    var identifierDigits: String?    // the whole query is a number (phone, SIRET…) in any layout
    var vat: String?
    var references: [String]
    var ape: [String]
    var fullName: String

    var isEmpty: Bool { words.isEmpty && email == nil && identifierDigits == nil }
}

struct QueryBuilder {
    let analyzer: Analyzer
    let vocabulary: Vocabulary
    let config: EngineConfig

    func parse(_ raw: String) -> ParsedQuery {
        let trailingSpace = raw.last.map { $0.isWhitespace } ?? false
        let tokens = analyzer.tokens(raw)
        let bytes = Array(raw.utf8)
        // Primary tokens define the words; alternatives attach to the word at their position.
        var words: [ParsedQuery.Word] = []
        var positionIndex: [Int: Int] = [:]
        var lastEnd: Int? = nil
        var lastWasNumeric = false
        for t in tokens where !t.isAlternative {
            // Digit groups separated only by spaces, dots, dashes or slashes are one number
            // ("06 12 34 56 78", "552 081 317 00010").
            if t.isNumeric, lastWasNumeric, let e = lastEnd, e <= t.start,
               bytes[e..<t.start].allSatisfy({ $0 == 0x20 || $0 == 0x2E || $0 == 0x2D || $0 == 0x2F || $0 == 0x09 }) {
                words[words.count - 1].term += t.term
                positionIndex[t.position] = words.count - 1
                lastEnd = t.end
                continue
            }
            positionIndex[t.position] = words.count
            words.append(.init(term: t.term, alternatives: [], isNumeric: t.isNumeric, isPrefix: false, isOptional: false))
            lastEnd = t.end
            lastWasNumeric = t.isNumeric
        }
        for t in tokens where t.isAlternative {
            if let i = positionIndex[t.position], !words[i].alternatives.contains(t.term), words[i].term != t.term {
                words[i].alternatives.append(t.term)
            }
        }
        if !words.isEmpty && !trailingSpace { words[words.count - 1].isPrefix = true }
        let required = words.filter { !(analyzer.isStopWord($0.term) || analyzer.isLegalForm($0.term)) }.count
        if required > 0 {
            for i in words.indices where analyzer.isStopWord(words[i].term) || analyzer.isLegalForm(words[i].term) {
                words[i].isOptional = true
            }
            // A single letter before other words is an initial ("J. Dupont") or an elided
            // article typed without its apostrophe ("N Diaye", "L Oreal"): a bonus, not a must.
            let others = words.filter { $0.term.count > 1 || $0.isNumeric }.count
            for i in words.indices where !words[i].isPrefix && !words[i].isNumeric && words[i].term.count == 1 && others > 0 {
                words[i].isOptional = true
                words[i].isInitial = true
            }
        }
        // Typos (looked up by `addTypos`): whole words from 5 letters (2 edits from 9), never
        // on a token with digits.
        for i in words.indices {
            let w = words[i]
            let n = w.term.count
            words[i].typoEligible = !w.isOptional && n >= config.oneTypoMinLength && !w.term.contains(where: { $0.isNumber })
        }

        let trimmed = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        var q = ParsedQuery(raw: raw, words: words, email: nil, identifierDigits: nil, vat: nil, references: [], ape: [],
                            fullName: TermSet.fullNameKey(words.map(\.term)))
        if trimmed.contains("@"), !trimmed.contains(" ") { q.email = trimmed.lowercased() }
        if q.email == nil, Self.looksLikeEmailLocalPart(trimmed) { q.emailLocal = trimmed.lowercased() }
        let digitChars = trimmed.filter { $0.isNumber }
        if digitChars.count >= 4,
           trimmed.allSatisfy({ $0.isNumber || " .-/+()\t".contains($0) }) {
            q.identifierDigits = Identifiers.digits(trimmed)
        }
        let alnum = String(analyzer.fold(trimmed).filter { $0.isLetter || $0.isNumber })
        if alnum.count >= 10, alnum.count <= 16, let a = alnum.first, let b = alnum.dropFirst().first, a.isLetter, b.isLetter,
           alnum.dropFirst(2).allSatisfy({ $0.isNumber || $0.isLetter }), alnum.dropFirst(2).contains(where: { $0.isNumber }) {
            q.vat = Identifiers.vatTerms(trimmed).first
        }
        if trimmed.contains(where: { $0.isLetter }) && trimmed.contains(where: { $0.isNumber }) && !trimmed.contains(" ") {
            // The whole reference and its last number ("EV-2025-00042" → ev202500042, 42), as
            // the index holds them: an earlier number such as the year would match every
            // reference sharing it.
            if let whole = Identifiers.referenceTerms(trimmed).first {
                q.references = [whole]
                if let last = Identifiers.lastNumber(trimmed), last != whole { q.references.append(last) }
            }
            q.ape = Identifiers.apeTerms(trimmed)
        }
        return q
    }

    /// Looks up the typo alternatives of the eligible words for which `wanted` is true: within
    /// 1 edit from 5 letters, 2 from 9 (counted on the indexed word, so the typed form may be
    /// shorter), as whole words or, for the word being typed, as prefixes.
    func addTypos(_ q: inout ParsedQuery, where wanted: (ParsedQuery.Word) throws -> Bool) rethrows {
        for i in q.words.indices where q.words[i].typoEligible && q.words[i].typos.isEmpty {
            guard try wanted(q.words[i]) else { continue }
            let w = q.words[i]
            let k = w.term.count >= config.twoTyposMinLength - 1 ? 2 : 1
            q.words[i].typos = vocabulary.fuzzy(w.term, maxDistance: k, prefix: w.isPrefix)
                .filter { $0.distance == 1 || $0.text.count >= config.twoTyposMinLength || w.term.count >= config.twoTyposMinLength }
        }
    }

    /// Whether `s` is shaped like the local part of an e-mail address: one token of letters,
    /// digits and `.`, `_`, `-`, `+` with at least one of those separators between letters.
    static func looksLikeEmailLocalPart(_ s: String) -> Bool {
        guard s.utf8.count >= 3, s.utf8.count <= 64 else { return false }
        var separators = 0, letters = 0
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"), UInt8(ascii: "+"): separators += 1
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"): letters += 1
            case UInt8(ascii: "0")...UInt8(ascii: "9"): break
            default: return false
            }
        }
        guard let f = s.utf8.first, let l = s.utf8.last else { return false }
        let isSep: (UInt8) -> Bool = { $0 == 0x2E || $0 == 0x5F || $0 == 0x2D || $0 == 0x2B }
        return separators > 0 && letters >= 2 && !isSep(f) && !isSep(l)
    }

    /// The text query, without the kind filter: every required word must match; identifiers
    /// recognised in the whole query add their own (heavier) alternatives. `mode` selects the
    /// gram terms of active or inactive records.
    func query(_ q: ParsedQuery, mode: SearchRequest.InactiveMode = .exclude) -> Query? {
        var required: [Query] = []
        var optional: [Query] = []
        for w in q.words {
            if w.isInitial {
                optional.append(.scaleWeight(gramQuery(w.term, mode: mode, tiers: [.first, .name]), Weights.optionalWord))
            } else if w.isOptional {
                // Stop words and legal forms count only as whole words ("EDF SA" must not
                // favour "Salomé").
                let exact: [Query] = ([w.term] + w.alternatives).map { .scaleWeight(.term(Prefix.word + $0), Weights.wordExact) }
                optional.append(.scaleWeight(exact.count == 1 ? exact[0] : .max(exact), Weights.optionalWord))
            } else {
                required.append(wordQuery(w, mode: mode))
            }
        }
        var main: Query? = nil
        if !required.isEmpty {
            main = required.count == 1 ? required[0] : .and(required)
            for o in optional { main = .andMaybe(main!, o) }
            if !q.fullName.isEmpty, required.count + optional.count > 0 {
                main = .andMaybe(main!, .scaleWeight(.term(Prefix.fullName + q.fullName), Weights.fullName))
            }
        } else if !optional.isEmpty {
            main = optional.count == 1 ? optional[0] : .and(optional)
        }
        var identifiers: [Query] = []
        func id(_ t: String, _ w: Double = Weights.identifier) { identifiers.append(.scaleWeight(.term(t), w)) }
        if let e = q.email {
            let t = Identifiers.emailTerms(e)
            if let whole = t.first {
                id(Prefix.email + whole)
                // As typed so far: addresses starting with it (few: e-mails are nearly unique).
                identifiers.append(.scaleWeight(.wildcard(prefix: Prefix.email + whole, limit: 16), Weights.identifierPartial))
            }
            if e.hasPrefix("@"), let at = e.lastIndex(of: "@") {
                let domain = String(e[e.index(after: at)...])
                if !domain.isEmpty { id(Prefix.emailDomain + domain, Weights.identifierPartial) }
            }
        }
        if let local = q.emailLocal {
            // The contact whose address has exactly this local part, above namesakes.
            identifiers.append(.scaleWeight(.wildcard(prefix: Prefix.email + local + "@", limit: 16), Weights.identifier))
        }
        if let v = q.vat {
            if v.hasPrefix("fr"), let siren = Identifiers.vatTerms(v).dropFirst(2).first { id(Prefix.siret + siren) } else { id(Prefix.vat + v) }
        }
        if let whole = q.references.first { id(Prefix.reference + whole) }
        for r in q.references.dropFirst() { id(Prefix.reference + r, Weights.identifierPartial) }
        for a in q.ape { id(Prefix.ape + a, Weights.identifierPartial) }
        if let d = q.identifierDigits, q.words.count > 1 {
            // A number typed in groups: its identifier alternatives, beside the merged word.
            identifiers.append(contentsOf: numberAlternatives(d))
            // "+33 (0)6 12 34 56 78": the "+" and the trunk "(0)" are in the text, not in the digits.
            let digitForms = Identifiers.phoneQueryForms(d)
            for form in Identifiers.phoneQueryForms(q.raw) where form.count >= 9 && !digitForms.contains(form) {
                id(Prefix.phone + form)
            }
        }
        if q.identifierDigits != nil, let start = Identifiers.frenchNationalStart(q.raw) {
            // "+33 6 12 34 5": a French number typed from its start in its international form.
            identifiers.append(contentsOf: phoneStartAlternatives(start))
        }
        if identifiers.isEmpty { return main }
        let idq: Query = identifiers.count == 1 ? identifiers[0] : .or(identifiers)
        guard let m = main else { return idq }
        return .or([idq, m])
    }

    /// Alternatives for one word: exact, prefix when last, typos.
    func wordQuery(_ w: ParsedQuery.Word, mode: SearchRequest.InactiveMode = .exclude) -> Query {
        var alts: [Query] = []
        for term in [w.term] + w.alternatives {
            alts.append(.scaleWeight(.term(Prefix.word + term), Weights.wordExact))
            if w.isPrefix && !w.isNumeric { alts.append(prefixQuery(term, mode: mode)) }
        }
        if w.isNumeric { alts.append(contentsOf: numberAlternatives(w.term)) }
        for t in w.typos {
            let scale = Weights.wordTypo[min(t.distance, 2)]
            if t.isPrefix {
                alts.append(.scaleWeight(prefixQuery(t.text, mode: mode), scale * 0.8 / Weights.wordPrefix))
            } else {
                alts.append(.scaleWeight(.term(Prefix.word + t.text), scale))
            }
        }
        // The best way the word matches counts, not how many fields repeat it (OP_MAX).
        return alts.count == 1 ? alts[0] : .max(alts)
    }

    /// Words starting with `prefix`: the gram terms up to `IndexLayout.maxGram` characters
    /// (names and companies), a wildcard over the word terms beyond (every field class).
    func prefixQuery(_ prefix: String, mode: SearchRequest.InactiveMode) -> Query {
        if prefix.count <= IndexLayout.maxGram { return gramQuery(prefix, mode: mode, tiers: GramTier.allCases) }
        return .scaleWeight(.wildcard(prefix: Prefix.word + prefix, limit: IndexLayout.wildcardLimit), Weights.wordPrefix)
    }

    /// The gram terms of `gram` over every kind (their documents are disjoint runs of ids, so
    /// the union costs about one posting list), each tier at its weight.
    func gramQuery(_ gram: String, mode: SearchRequest.InactiveMode, tiers: [GramTier]) -> Query {
        var alts: [Query] = []
        for kind in RecordKind.allCases {
            for active in Self.activeFlags(mode) {
                for tier in tiers {
                    alts.append(.scaleWeight(.term(Prefix.gram(kind, active: active, tier: tier) + gram), Weights.gram[tier]!))
                }
            }
        }
        return .max(alts)
    }

    static func activeFlags(_ mode: SearchRequest.InactiveMode) -> [Bool] {
        switch mode {
        case .exclude: return [true]
        case .only: return [false]
        case .include: return [true, false]
        }
    }

    /// The numbers whose national form starts with `national` (4 to 9 digits, from "0").
    func phoneStartAlternatives(_ national: String) -> [Query] {
        guard national.count >= 4, national.count < 10 else { return [] }
        if national.count == 4 { return [.scaleWeight(.term(Prefix.phonePrefix + national), Weights.phoneStart)] }
        return [.scaleWeight(.wildcard(prefix: Prefix.phone + national, limit: 0), Weights.phoneStart)]
    }

    /// A run of digits: a phone (whole, leading or last digits), a SIRET/SIREN (whole or
    /// leading digits), a postal code, a reference number.
    func numberAlternatives(_ digits: String) -> [Query] {
        var alts: [Query] = []
        func add(_ t: String, _ weight: Double) { alts.append(.scaleWeight(.term(t), weight)) }
        let n = digits.count
        for form in Identifiers.phoneQueryForms(digits) {
            if form.count >= 9 {
                add(Prefix.phone + form, Weights.identifier)
                if form.count < 10 {   // a number typed without its last digit
                    alts.append(.scaleWeight(.wildcard(prefix: Prefix.phone + form, limit: 0), Weights.identifierPartial))
                }
            } else if form.count >= 4 {
                // Last digits: the reversed number starts with them reversed (a few hundred
                // numbers end with the same 4 digits in a million records).
                alts.append(.scaleWeight(.wildcard(prefix: Prefix.phoneReversed + String(form.reversed()), limit: 0),
                                         Weights.identifierPartial))
                // A number typed from its start ("06 12", "06 12 3"): listed before those ending so.
                if form.hasPrefix("0") { alts.append(contentsOf: phoneStartAlternatives(form)) }
            }
        }
        if n == 9 || n == 14 { add(Prefix.siret + digits, Weights.identifier) }
        if n == 11, let key = Identifiers.frenchVATKey(siren: String(digits.suffix(9))), digits.hasPrefix(key) {
            // A French VAT number typed without its "FR": its SIREN.
            add(Prefix.siret + String(digits.suffix(9)), Weights.identifier)
        }
        if n >= 5 && n < 14 && n != 9 {
            // Leading digits of a SIRET ("552 081 317 0"): the few SIRETs starting so.
            alts.append(.scaleWeight(.wildcard(prefix: Prefix.siret + digits, limit: 50), Weights.identifierPartial))
        }
        if n == 5 { add(Prefix.postalCode + digits, Weights.identifierPartial * 0.3) }
        if let trimmed = Optional(String(digits.drop(while: { $0 == "0" }))), !trimmed.isEmpty {
            add(Prefix.reference + trimmed, Weights.identifierPartial)
        }
        return alts
    }

    /// For a one-word query of one to three characters (tens of thousands of matches), its
    /// exact total per kind is the frequency of a short-gram term, and its hits come in tiers
    /// (whole name, exact word, name start, word start, secondary fields) fetched in index
    /// order: no match is scored or counted one by one.
    func shortGramTerm(_ q: ParsedQuery) -> String? {
        guard q.words.count == 1, q.email == nil, q.identifierDigits == nil, q.vat == nil, q.references.isEmpty,
              let w = q.words.first, !w.isNumeric, w.term.count <= IndexLayout.maxGram else { return nil }
        // A lone stop word or legal form typed whole ("de ", "le ", "sa ") matches nearly
        // everything as a word: show it like the prefix it will become. Alternatives of a
        // short word ("d'A" → a, da) add nothing worth ranking tens of thousands of matches.
        guard w.isPrefix || analyzer.isStopWord(w.term) || analyzer.isLegalForm(w.term) else { return nil }
        return w.term
    }
}
