import Analysis
import Foundation
import Model
import XapianKit

/// Weights of the match kinds. Each query word scores its best match (OP_MAX over its
/// alternatives, Xapian's CoordWeight scaled by OP_SCALE_WEIGHT) and a hit's score is the sum
/// over the words, so an order can be read off the table: an exact word in a name beats a
/// prefix of a name, which beats an exact word elsewhere, which beats a typo.
enum Weights {
    static let nameExact = 10.0
    static let namePrefix = 6.0
    static let secondaryExact = 3.0
    static let secondaryPrefix = 2.0
    static let otherExact = 1.5
    static let otherPrefix = 0.8
    static let typoName = [0.0, 1.0, 0.6]        // by distance
    static let typoSecondary = [0.0, 0.4, 0.25]
    static let identifier = 20.0         // a whole phone, SIRET/SIREN, VAT, e-mail, reference
    static let identifierPartial = 10.0  // leading digits of a phone or SIRET, last digits of a phone
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
        var typos: [Vocabulary.Match] = []
    }
    var raw: String
    var words: [Word]
    var email: String?
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
        // Typos: whole words from 5 letters (2 edits from 9), never on a token with digits.
        for i in words.indices {
            let w = words[i]
            let n = w.term.count
            guard !w.isOptional, n >= config.oneTypoMinLength, !w.term.contains(where: { $0.isNumber }) else { continue }
            let k = n >= config.twoTyposMinLength ? 2 : 1
            words[i].typos = vocabulary.fuzzy(w.term, maxDistance: k, prefix: w.isPrefix)
        }

        let trimmed = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        var q = ParsedQuery(raw: raw, words: words, email: nil, identifierDigits: nil, vat: nil, references: [], ape: [],
                            fullName: words.map(\.term).joined(separator: " "))
        if trimmed.contains("@"), !trimmed.contains(" ") { q.email = trimmed.lowercased() }
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
            // The whole reference and its last number ("EV-2025-00042" → ev202500042, 00042,
            // 42): an earlier number such as the year would match every reference sharing it.
            // (Taken from the typed runs: the deduplicated reference terms lose which run is last,
            // and "2023" would come back when the last number has no leading zeros.)
            let refs = Identifiers.referenceTerms(trimmed)
            let runs = trimmed.split(whereSeparator: { !$0.isASCII || !$0.isNumber }).map(String.init)
            if let whole = refs.first, let last = runs.last {
                let stripped = String(last.drop(while: { $0 == "0" }))
                var terms = [whole]
                for t in [last, stripped.isEmpty ? "0" : stripped] where !terms.contains(t) { terms.append(t) }
                q.references = terms
            } else {
                q.references = refs
            }
            q.ape = Identifiers.apeTerms(trimmed)
        }
        return q
    }

    /// The text query, without the kind filter: every required word must match; identifiers
    /// recognised in the whole query add their own (heavier) alternatives.
    func query(_ q: ParsedQuery) -> Query? {
        var required: [Query] = []
        var optional: [Query] = []
        for w in q.words {
            if w.isInitial {
                optional.append(.scaleWeight(.term(Prefix.nameGram + w.term), Weights.namePrefix * Weights.optionalWord))
            } else if w.isOptional {
                // Stop words and legal forms count only as whole words ("EDF SA" must not
                // favour "Salomé").
                let exact: [Query] = ([w.term] + w.alternatives).flatMap { t -> [Query] in
                    [.scaleWeight(.term(Prefix.nameWord + t), Weights.nameExact),
                     .scaleWeight(.term(Prefix.secondaryWord + t), Weights.secondaryExact)]
                }
                optional.append(.scaleWeight(.max(exact), Weights.optionalWord))
            } else {
                required.append(wordQuery(w))
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
            if e.hasPrefix("@"), t.count > 2 { id(Prefix.emailDomain + t[2], Weights.identifierPartial) }
        }
        if let v = q.vat { id(Prefix.vat + v) }
        for r in q.references { id(Prefix.reference + r) }
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
        if identifiers.isEmpty { return main }
        let idq: Query = identifiers.count == 1 ? identifiers[0] : .or(identifiers)
        guard let m = main else { return idq }
        return .or([idq, m])
    }

    /// Alternatives for one word: exact in each field class, prefix when last, typos.
    func wordQuery(_ w: ParsedQuery.Word) -> Query {
        var alts: [Query] = []
        func add(_ t: String, _ weight: Double) { alts.append(.scaleWeight(.term(t), weight)) }
        let short = w.isPrefix && w.term.count <= 2 && !w.isNumeric
        for term in [w.term] + w.alternatives {
            add(Prefix.nameWord + term, Weights.nameExact)
            add(Prefix.secondaryWord + term, Weights.secondaryExact)
            if !short { add(Prefix.otherWord + term, Weights.otherExact) }
            if w.isPrefix {
                alts.append(prefixQuery(Prefix.nameWord, Prefix.nameGram, term, Weights.namePrefix))
                alts.append(prefixQuery(Prefix.secondaryWord, Prefix.secondaryGram, term, Weights.secondaryPrefix))
                if term.count >= 3 {
                    alts.append(.scaleWeight(.wildcard(prefix: Prefix.otherWord + term, limit: 20), Weights.otherPrefix))
                }
            }
        }
        if w.isNumeric { alts.append(contentsOf: numberAlternatives(w.term)) }
        for t in w.typos {
            let wn = Weights.typoName[min(t.distance, 2)], ws = Weights.typoSecondary[min(t.distance, 2)]
            if t.isPrefix {
                alts.append(prefixQuery(Prefix.nameWord, Prefix.nameGram, t.text, wn * 0.8))
                alts.append(prefixQuery(Prefix.secondaryWord, Prefix.secondaryGram, t.text, ws * 0.8))
            } else {
                add(Prefix.nameWord + t.text, wn)
                add(Prefix.secondaryWord + t.text, ws)
            }
        }
        // The best way the word matches counts, not how many fields repeat it (OP_MAX).
        return alts.count == 1 ? alts[0] : .max(alts)
    }

    /// Words starting with `prefix`: an edge n-gram term up to `IndexLayout.maxGram`
    /// characters, a bounded wildcard over the word terms beyond.
    func prefixQuery(_ wordPrefix: String, _ gramPrefix: String, _ prefix: String, _ weight: Double) -> Query {
        if prefix.count <= IndexLayout.maxGram { return .scaleWeight(.term(gramPrefix + prefix), weight) }
        return .scaleWeight(.wildcard(prefix: wordPrefix + prefix, limit: IndexLayout.wildcardLimit), weight)
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
                if form.count < 10 { add(Prefix.phonePrefix + form, Weights.identifierPartial) }
            } else if form.count >= 4 {
                add(Prefix.phoneSuffix + form, Weights.identifierPartial)
                if form.count >= 6 { add(Prefix.phonePrefix + form, Weights.identifierPartial * 0.9) }
            }
        }
        if n == 9 || n == 14 { add(Prefix.siret + digits, Weights.identifier) }
        if n >= 5 && n < 14 && n != 9 {
            // Leading digits of a SIRET ("552 081 317 0"): the few SIRETs starting so.
            alts.append(.scaleWeight(.wildcard(prefix: Prefix.siret + digits, limit: 50), Weights.identifierPartial))
        }
        if n == 5 { add(Prefix.postalCode + digits, Weights.secondaryExact) }
        add(Prefix.reference + digits, Weights.identifierPartial)
        if let trimmed = Optional(String(digits.drop(while: { $0 == "0" }))), !trimmed.isEmpty, trimmed != digits {
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
