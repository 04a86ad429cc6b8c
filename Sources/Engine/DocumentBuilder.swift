import Analysis
import Model
import XapianKit

/// The records a document's derived text comes from: a contact's company, an event's client
/// and contact, a product's partner. Renaming one of them re-indexes the documents that show it.
struct RelatedRecords {
    var company: Record?
    var contact: Record?
}

/// Turns a record into a Xapian document: words with their field class as wdf, grams for
/// short prefixes, identifier terms, filter terms, values and the display data of a hit.
struct DocumentBuilder {
    let analyzer: Analyzer

    /// The built document and the words it adds to the typo vocabulary.
    struct Built {
        var document: PackedDocument
        var vocabulary: [String]
    }

    func build(_ record: Record, related: RelatedRecords) -> Built {
        let kind = record.kind
        let active = record.isActive
        var terms = TermSet(analyzer: analyzer, kind: kind, active: active)
        let title = Self.title(record)
        let subtitle = Self.subtitle(record, related: related)
        var highlightFields: [(String, String)] = []
        func text(_ field: String) -> String? { record.string(field) }

        switch kind {
        case .client, .partner:
            if let name = text("name") { terms.addName(name); highlightFields.append(("name", name)) }
            for f in ["city", "type", "category"] { if let v = text(f) { terms.addWords(v, .secondary) } }
            if let c = text("city") { highlightFields.append(("city", c)) }
            for f in ["address1", "address2", "accounting_account", "language"] { if let v = text(f) { terms.addWords(v, .other) } }
            if let pc = text("postal_code") { terms.addIdentifiers(Prefix.postalCode, Identifiers.postalCodeTerms(pc)) }
            if let s = text("siret") { terms.addIdentifiers(Prefix.siret, Identifiers.siretTerms(s)) }
            if let v = text("vat_number") { terms.addVAT(v) }
            if let a = text("ape_code") { terms.addIdentifiers(Prefix.ape, Identifiers.apeTerms(a)) }
            if let w = text("website") {
                if let d = Self.domain(ofWebsite: w) {
                    terms.add(Prefix.website + d)
                    terms.addWords(d, .other)
                }
            }
            if let billing = record["billing_addresses"]?.arrayValue {
                for case .object(let o) in billing {
                    for f in ["address1", "address2", "city"] { if let v = o[f]?.stringValue { terms.addWords(v, .other) } }
                }
            }
            if let company = related.company, let n = company.string("name") {   // parent company
                terms.addCompany(n)
                highlightFields.append(("parent", n))
            }
        case .clientContact, .partnerContact:
            let first = text("first_name"), last = text("last_name")
            terms.addPersonName(first: first, last: last)
            if let first { highlightFields.append(("first_name", first)) }
            if let last { highlightFields.append(("last_name", last)) }
            if let company = related.company?.string("name") {
                terms.addCompany(company); highlightFields.append(("company", company))
            }
            if let p = text("position") { terms.addWords(p, .secondary); highlightFields.append(("position", p)) }
            // Select fields (source, situation, stage, potential, sales rep) are list filters,
            // not words of the search bar: "Lefèvre" must not find every contact Hélène Lefèvre follows.
            for f in ["comment", "comment_category"] { if let v = text(f) { terms.addWords(v, .other) } }
            // Social profiles: only the handle (last path part), not "https www linkedin com in".
            for f in ["facebook", "linkedin", "twitter", "instagram"] {
                guard let v = text(f) else { continue }
                let handle = v.split(whereSeparator: { $0 == "/" || $0 == "@" }).last.map(String.init) ?? v
                terms.addWordsWithoutJoins(handle, .other)
            }
            if let e = text("email") {
                terms.addEmail(e)
                highlightFields.append(("email", e))
            }
            for f in ["phone_direct", "phone_mobile", "phone_switchboard"] {
                guard let p = text(f) else { continue }
                terms.addPhone(p)
                highlightFields.append((f, p))
            }
        case .event:
            if let name = text("name") { terms.addName(name); highlightFields.append(("name", name)) }
            if let client = related.company?.string("name") { terms.addCompany(client); highlightFields.append(("client", client)) }
            if let contact = related.contact {
                let n = [contact.string("first_name"), contact.string("last_name")].compactMap { $0 }.joined(separator: " ")
                if !n.isEmpty { terms.addWords(n, .secondary); highlightFields.append(("contact", n)) }
            }
            for f in ["venue", "city"] { if let v = text(f) { terms.addWords(v, .secondary); highlightFields.append((f, v)) } }
            for f in ["status", "description"] { if let v = text(f) { terms.addWords(v, .other) } }
            if let r = text("reference") { terms.addReference(r); highlightFields.append(("reference", r)) }
        case .product:
            if let name = text("name") { terms.addName(name); highlightFields.append(("name", name)) }
            if let c = text("category") { terms.addWords(c, .secondary); highlightFields.append(("category", c)) }
            if let partner = related.company?.string("name") { terms.addCompany(partner); highlightFields.append(("partner", partner)) }
            if let d = text("description") { terms.addWords(d, .other) }
            if let r = text("reference") { terms.addReference(r); highlightFields.append(("reference", r)) }
        }
        if kind.isCompany || kind == .event || kind == .product, let name = text("name") { terms.addFullName(name) }
        if case .object(let custom)? = record["custom_fields"] {
            for (_, v) in custom { if case .string(let s) = v { terms.addWords(s, .other) } }
        }

        var doc = terms.document()
        doc.addTerm(Array((Prefix.kind + kind.code).utf8), wdf: 0)
        if !active { doc.addTerm(Array(Prefix.inactive.utf8), wdf: 0) }
        doc.setValue(Slot.sortKey, Self.sortKey(title: title, id: record.id))
        doc.setValue(Slot.display, DocumentData(kind: kind, id: record.id, active: active, title: title, subtitle: subtitle,
                                                fields: highlightFields).encoded())
        return Built(document: doc, vocabulary: terms.vocabulary)
    }

    /// The value equal scores sort by (`Slot.sortKey`).
    static func sortKey(title: String, id: String) -> [UInt8] {
        let n = UInt16(min(title.count, Int(UInt16.max)))
        return [UInt8(n >> 8), UInt8(n & 0xFF)] + Array(id.utf8)
    }

    // MARK: - Display

    static func title(_ r: Record) -> String {
        switch r.kind {
        case .clientContact, .partnerContact:
            let n = [r.string("first_name"), r.string("last_name")].compactMap { $0 }.joined(separator: " ")
            return n.isEmpty ? (r.string("email") ?? r.id) : n
        default:
            return r.string("name") ?? r.id
        }
    }

    static func subtitle(_ r: Record, related: RelatedRecords) -> String {
        var parts: [String] = []
        switch r.kind {
        case .client, .partner:
            if let c = r.string("city") { parts.append(c) }
            if let s = r.string("siret") { parts.append(formatSiret(s)) }
            if r.kind == .partner, let c = r.string("category") { parts.insert(c, at: 0) }
        case .clientContact, .partnerContact:
            if let company = related.company {
                var c = company.string("name") ?? company.id
                if !company.isActive { c += " (société inactive)" }
                parts.append(c)
            }
            if let p = r.string("position") { parts.append(p) }
            if let e = r.string("email") { parts.append(e) }
        case .event:
            if let c = related.company?.string("name") { parts.append(c) }
            if let d = r.string("start_date") { parts.append(formatDate(d)) }
            if let c = r.string("city") ?? r.string("venue") { parts.append(c) }
            if let ref = r.string("reference") { parts.append(ref) }
        case .product:
            if let ref = r.string("reference") { parts.append(ref) }
            if let c = r.string("category") { parts.append(c) }
            if let p = r["unit_price"]?.numberValue { parts.append(formatPrice(p)) }
        }
        return parts.joined(separator: " · ")
    }

    /// "55208131700010" → "552 081 317 00010".
    static func formatSiret(_ s: String) -> String {
        let d = Array(s)
        guard d.count == 14 else { return s }
        return String(d[0..<3]) + " " + String(d[3..<6]) + " " + String(d[6..<9]) + " " + String(d[9...])
    }

    /// "2025-03-14" → "14/03/2025".
    static func formatDate(_ s: String) -> String {
        let p = s.split(separator: "-")
        guard p.count == 3 else { return s }
        return "\(p[2])/\(p[1])/\(p[0])"
    }

    static func formatPrice(_ p: Double) -> String {
        let cents = Int((p * 100).rounded())
        let euros = cents / 100, rest = abs(cents % 100)
        return "\(euros),\(rest < 10 ? "0" : "")\(rest) €"
    }

    static func domain(ofWebsite w: String) -> String? {
        var s = w.lowercased()
        for p in ["https://", "http://"] where s.hasPrefix(p) { s.removeFirst(p.count) }
        if s.hasPrefix("www.") { s.removeFirst(4) }
        if let slash = s.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) { s = String(s[..<slash]) }
        return s.isEmpty ? nil : s
    }
}

/// Distinct byte strings with a value each, in insertion order: terms with their wdf, grams
/// with their tier. Open addressing over one byte arena (FNV-1a): building a document adds
/// dozens of short terms, and a `[String: UInt32]` spent more time hashing and allocating
/// than the terms are worth (benchmarks/README.md, "Where indexing time goes").
struct ByteSet {
    private(set) var arena: [UInt8] = []
    private(set) var starts: [Int32] = []
    private(set) var lengths: [UInt8] = []
    private(set) var values: [UInt32] = []
    private var table: [Int32]
    private var mask: Int

    init(capacity: Int = 64) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        table = [Int32](repeating: -1, count: size)
        mask = size - 1
        arena.reserveCapacity(capacity * 12)
        starts.reserveCapacity(capacity)
        lengths.reserveCapacity(capacity)
        values.reserveCapacity(capacity)
    }

    var count: Int { starts.count }

    @inline(__always)
    private static func hash(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Int {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for x in a { h = (h ^ UInt64(x)) &* 0x100_0000_01b3 }
        for x in b { h = (h ^ UInt64(x)) &* 0x100_0000_01b3 }
        return Int(truncatingIfNeeded: h ^ (h >> 29))
    }

    /// Adds `head + tail` with `value`, or merges `value` into the existing entry with `merge`
    /// (returns the kept value). Entries longer than 255 bytes are ignored.
    @inline(__always)
    mutating func insert(_ head: UnsafeBufferPointer<UInt8>, _ tail: UnsafeBufferPointer<UInt8>, value: UInt32,
                         merge: (UInt32, UInt32) -> UInt32) {
        let n = head.count + tail.count
        guard n > 0, n <= 245 else { return }
        var i = Self.hash(head, tail) & mask
        while true {
            let slot = Int(table[i])
            if slot < 0 { break }
            if Int(lengths[slot]) == n {
                let s = Int(starts[slot])
                var equal = true
                arena.withUnsafeBufferPointer { a in
                    for k in 0..<head.count where a[s + k] != head[k] { equal = false; break }
                    if equal { for k in 0..<tail.count where a[s + head.count + k] != tail[k] { equal = false; break } }
                }
                if equal { values[slot] = merge(values[slot], value); return }
            }
            i = (i + 1) & mask
        }
        table[i] = Int32(starts.count)
        starts.append(Int32(arena.count))
        lengths.append(UInt8(n))
        values.append(value)
        arena.append(contentsOf: head)
        arena.append(contentsOf: tail)
        if starts.count * 2 > table.count { grow() }
    }

    private mutating func grow() {
        let size = table.count * 2
        table = [Int32](repeating: -1, count: size)
        mask = size - 1
        arena.withUnsafeBufferPointer { a in
            for slot in 0..<starts.count {
                let s = Int(starts[slot]), n = Int(lengths[slot])
                let bytes = UnsafeBufferPointer(rebasing: a[s..<s + n])
                var i = Self.hash(bytes, UnsafeBufferPointer(start: nil, count: 0)) & mask
                while table[i] >= 0 { i = (i + 1) & mask }
                table[i] = Int32(slot)
            }
        }
    }

    /// Calls `body` with each entry's bytes and value, in insertion order.
    func forEach(_ body: (UnsafeBufferPointer<UInt8>, UInt32) -> Void) {
        arena.withUnsafeBufferPointer { a in
            for slot in 0..<starts.count {
                let s = Int(starts[slot])
                body(UnsafeBufferPointer(rebasing: a[s..<s + Int(lengths[slot])]), values[slot])
            }
        }
    }
}

/// Collects a document's terms: each term once, with the best wdf it was given (a word's
/// best field class), grams once in their best tier.
struct TermSet {
    let analyzer: Analyzer
    let kind: RecordKind
    let active: Bool
    private var terms = ByteSet(capacity: 48)
    private var grams = ByteSet(capacity: 32)
    private(set) var vocabulary: [String] = []

    init(analyzer: Analyzer, kind: RecordKind, active: Bool) {
        self.analyzer = analyzer
        self.kind = kind
        self.active = active
    }

    /// Adds a term with `weight` as wdf (0: a boolean term); a term seen before keeps its best wdf.
    mutating func add(_ term: String, weight: UInt32 = 1) {
        var t = term
        t.withUTF8 { add($0, UnsafeBufferPointer(start: nil, count: 0), weight: weight) }
    }

    @inline(__always)
    private mutating func add(_ head: UnsafeBufferPointer<UInt8>, _ tail: UnsafeBufferPointer<UInt8>, weight: UInt32) {
        terms.insert(head, tail, value: weight) { max($0, $1) }
    }

    @inline(__always)
    private mutating func add(prefix: StaticString, _ value: String, weight: UInt32) {
        var v = value
        v.withUTF8 { tail in
            prefix.withUTF8Buffer { add($0, tail, weight: weight) }
        }
    }

    /// Name particles after which people type the name joined ("Le Goff" → legoff,
    /// "Da Silva" → dasilva, "De La Fontaine" → delafontaine, "Van Damme" → vandamme).
    static let particles: Set<String> = ["le", "la", "les", "de", "du", "des", "da", "das", "do", "dos", "di",
                                         "del", "della", "van", "von", "der", "den", "mac", "mc", "ben", "el", "al", "o"]

    /// A record's own name: name-class words, grams (the first word's in the `first` tier).
    mutating func addName(_ text: String) { addNamePart(analyzer.tokens(text)) }

    /// Name-class words of one name, their grams, the particle-joined form; returns the words.
    @discardableResult
    private mutating func addNamePart(_ tokens: [Token]) -> [String] {
        addWords(tokens, .name)
        var primary: [String] = []
        for t in tokens where !t.isAlternative {
            primary.append(t.term)
            if !t.isNumeric { addGrams(t.term, primary.count == 1 ? .first : .name) }
        }
        if primary.count >= 2, primary.count <= 4, Self.particles.contains(primary[0]) {
            let joined = primary.joined()
            add(prefix: "W", joined, weight: FieldClass.name.rawValue)
            vocabulary.append(joined)
        }
        return primary
    }

    /// A person: both names as names (grams of each in the `first` tier: people type either
    /// first), the whole name as one sorted term.
    mutating func addPersonName(first: String?, last: String?) {
        var all: [String] = []
        if let first { all += addNamePart(analyzer.tokens(first)) }
        if let last { all += addNamePart(analyzer.tokens(last)) }
        if !all.isEmpty { add(prefix: "F", Self.fullNameKey(all), weight: 1) }
    }

    /// The company a record shows (a contact's, an event's client, a product's partner, a
    /// company's parent): secondary words, grams in the `secondary` tier.
    mutating func addCompany(_ text: String) {
        let tokens = analyzer.tokens(text)
        addWords(tokens, .secondary)
        for t in tokens where !t.isAlternative && !t.isNumeric { addGrams(t.term, .secondary) }
    }

    mutating func addWords(_ text: String, _ cls: FieldClass) { addWords(analyzer.tokens(text), cls) }

    /// The words of an e-mail address or a social handle, without the joined forms of their
    /// parts ("jean-adam-4bd9be" gives jean, adam, 4bd9be, not "jeanadam4bd9be"): one such
    /// term per contact made most of the index's words at 1M records, and a name prefix
    /// ("jean") expanded to thousands of them on every keystroke.
    mutating func addWordsWithoutJoins(_ text: String, _ cls: FieldClass) {
        addWords(analyzer.tokens(text).filter { !$0.isAlternative }, cls)
    }

    private mutating func addWords(_ tokens: [Token], _ cls: FieldClass) {
        let stopWords = analyzer.rules.stopWords
        for t in tokens {
            // Stop words of free text add postings and no meaning (a query makes them optional).
            if cls == .other && stopWords.contains(t.term) { continue }
            add(prefix: "W", t.term, weight: cls.rawValue)
            if !t.isNumeric { vocabulary.append(t.term) }
        }
    }

    private mutating func addGrams(_ word: String, _ tier: GramTier) {
        var w = word
        w.withUTF8 { b in
            // The first 1, 2, 3 characters (a character: a UTF-8 lead byte and its continuations).
            var chars = 0
            var i = 0
            while i < b.count && chars < IndexLayout.maxGram {
                i += 1
                while i < b.count && b[i] & 0xC0 == 0x80 { i += 1 }
                chars += 1
                grams.insert(UnsafeBufferPointer(rebasing: b[0..<i]), UnsafeBufferPointer(start: nil, count: 0),
                             value: UInt32(tier.rank)) { min($0, $1) }
            }
        }
    }

    /// The sorted words of a name joined by one space: "Jean Dupont" and "Dupont Jean" alike.
    static func fullNameKey(_ words: [String]) -> String { words.sorted().joined(separator: " ") }

    mutating func addFullName(_ text: String) {
        let words = analyzer.tokens(text).filter { !$0.isAlternative }.map(\.term)
        if !words.isEmpty { add(prefix: "F", Self.fullNameKey(words), weight: 1) }
    }

    mutating func addIdentifiers(_ prefix: String, _ values: [String]) {
        for v in values { add(prefix + v) }
    }

    /// A French VAT number is its SIREN (a search for the VAT number looks the SIREN up);
    /// other countries' numbers are their own terms.
    mutating func addVAT(_ raw: String) {
        let t = Identifiers.vatTerms(raw)
        guard let whole = t.first else { return }
        if whole.hasPrefix("fr"), t.count >= 3 { add(prefix: "I", t[2], weight: 1) } else { add(prefix: "V", whole, weight: 1) }
    }

    mutating func addEmail(_ raw: String) {
        let t = Identifiers.emailTerms(raw)
        guard let whole = t.first else { return }
        add(prefix: "M", whole, weight: 1)
        if let at = whole.lastIndex(of: "@") { add(prefix: "MD", String(whole[whole.index(after: at)...]), weight: 1) }
        addWordsWithoutJoins(raw, .other)
    }

    /// A phone: its digits (national for French numbers, else international), the same
    /// reversed (for "ends with"), and its first 4 digits (a number typed from its start).
    mutating func addPhone(_ raw: String) {
        for full in Identifiers.phoneCanonicalForms(raw) {
            add(prefix: "P", full, weight: 1)
            add(prefix: "PR", String(full.reversed()), weight: 1)
            if full.utf8.count > 4 { add(prefix: "PP", String(full.prefix(4)), weight: 1) }
        }
    }

    /// A reference ("EV-2025-00042"): its folded characters and its last number without its
    /// leading zeros ("42"); an earlier number such as the year is no identifier.
    mutating func addReference(_ raw: String) {
        guard let whole = Identifiers.referenceTerms(raw).first else { return }
        add(prefix: "R", whole, weight: 1)
        if let last = Identifiers.lastNumber(raw) { add(prefix: "R", last, weight: 1) }
    }

    /// The packed document with every term collected (filter terms and values are the caller's).
    func document() -> PackedDocument {
        var doc = PackedDocument(capacity: terms.arena.count + grams.arena.count + 16 * grams.count + 8 * terms.count + 400)
        terms.forEach { bytes, wdf in doc.addTerm(bytes, wdf: wdf) }
        let heads = GramTier.allCases.map { Array(Prefix.gram(kind, active: active, tier: $0).utf8) }
        grams.forEach { bytes, rank in doc.addTerm(head: heads[Int(rank)], bytes, wdf: 1) }
        return doc
    }
}

extension GramTier {
    var rank: Int {
        switch self {
        case .first: return 0
        case .name: return 1
        case .secondary: return 2
        }
    }
}
