import Analysis
import Model
import XapianKit

/// The records a document's derived text comes from: a contact's company, an event's client
/// and contact, a product's partner. Renaming one of them re-indexes the documents that show it.
struct RelatedRecords {
    var company: Record?
    var contact: Record?
}

/// Turns a record into a Xapian document: terms per field class, identifier terms, filter
/// terms, values and the display data of a hit.
struct DocumentBuilder {
    let analyzer: Analyzer

    /// The built document and the words it adds to the typo vocabulary.
    struct Built {
        var document: Document
        var vocabulary: [String]
    }

    func idTerm(_ key: RecordKey) -> String { Prefix.id + key.kind.code + ":" + key.id }

    func build(_ record: Record, related: RelatedRecords) -> Built {
        var terms = TermSet(analyzer: analyzer)
        let kind = record.kind
        let title = Self.title(record)
        let subtitle = Self.subtitle(record, related: related)
        var highlightFields: [(String, String)] = []
        func text(_ field: String) -> String? { record.string(field) }

        // Names and secondary text.
        switch kind {
        case .client, .partner:
            if let name = text("name") { terms.addName(name); highlightFields.append(("name", name)) }
            for f in ["city", "type", "category"] { if let v = text(f) { terms.addSecondary(v) } }
            if let c = text("city") { highlightFields.append(("city", c)) }
            for f in ["address1", "address2", "accounting_account", "language"] { if let v = text(f) { terms.addOther(v) } }
            if let pc = text("postal_code") { terms.addIdentifiers(Prefix.postalCode, Identifiers.postalCodeTerms(pc)) }
            if let s = text("siret") {
                let t = Identifiers.siretTerms(s)
                terms.addIdentifiers(Prefix.siret, t)
            }
            if let v = text("vat_number") {
                let t = Identifiers.vatTerms(v)
                if let first = t.first { terms.add(Prefix.vat + first) }
                for siren in t.dropFirst() { terms.add(Prefix.siret + siren) }
            }
            if let a = text("ape_code") { terms.addIdentifiers(Prefix.ape, Identifiers.apeTerms(a)) }
            if let w = text("website") {
                terms.addOther(w)
                if let d = Self.domain(ofWebsite: w) { terms.add(Prefix.website + d) }
            }
            if let billing = record["billing_addresses"]?.arrayValue {
                for case .object(let o) in billing {
                    for f in ["address1", "address2", "city"] { if let v = o[f]?.stringValue { terms.addOther(v) } }
                }
            }
            if let company = related.company, let n = company.string("name") { terms.addSecondary(n) } // parent company
        case .clientContact, .partnerContact:
            let first = text("first_name"), last = text("last_name")
            if let first { terms.addName(first); highlightFields.append(("first_name", first)) }
            if let last { terms.addName(last); highlightFields.append(("last_name", last)) }
            terms.addFullName([first, last].compactMap { $0 }.joined(separator: " "))
            terms.addFullName([last, first].compactMap { $0 }.joined(separator: " "))
            if let company = related.company?.string("name") {
                terms.addSecondary(company); highlightFields.append(("company", company))
            }
            if let p = text("position") { terms.addSecondary(p); highlightFields.append(("position", p)) }
            for f in ["comment", "comment_category", "source", "situation", "stage", "potential", "sales_rep"] {
                if let v = text(f) { terms.addOther(v) }
            }
            // Social profiles: only the handle (last path part), not "https www linkedin com in".
            for f in ["facebook", "linkedin", "twitter", "instagram"] {
                guard let v = text(f) else { continue }
                let handle = v.split(whereSeparator: { $0 == "/" || $0 == "@" }).last.map(String.init) ?? v
                terms.addOther(handle)
            }
            if let e = text("email") {
                let t = Identifiers.emailTerms(e)
                if t.count > 0 { terms.add(Prefix.email + t[0]) }
                if t.count > 1 { terms.add(Prefix.emailLocal + t[1]) }
                if t.count > 2 { for d in t[2...] { terms.add(Prefix.emailDomain + d) } }
                terms.addOther(e)
                highlightFields.append(("email", e))
            }
            for f in ["phone_direct", "phone_mobile", "phone_switchboard"] {
                guard let p = text(f) else { continue }
                terms.addPhone(p)
                highlightFields.append((f, p))
            }
        case .event:
            if let name = text("name") { terms.addName(name); highlightFields.append(("name", name)) }
            if let client = related.company?.string("name") { terms.addSecondary(client); highlightFields.append(("client", client)) }
            if let contact = related.contact {
                let n = [contact.string("first_name"), contact.string("last_name")].compactMap { $0 }.joined(separator: " ")
                if !n.isEmpty { terms.addSecondary(n) }
            }
            for f in ["venue", "city"] { if let v = text(f) { terms.addSecondary(v) } }
            for f in ["status", "description"] { if let v = text(f) { terms.addOther(v) } }
            if let r = text("reference") { terms.addReference(r); highlightFields.append(("reference", r)) }
        case .product:
            if let name = text("name") { terms.addName(name); highlightFields.append(("name", name)) }
            if let c = text("category") { terms.addSecondary(c) }
            if let partner = related.company?.string("name") { terms.addSecondary(partner) }
            if let d = text("description") { terms.addOther(d) }
            if let r = text("reference") { terms.addReference(r); highlightFields.append(("reference", r)) }
        }
        if kind.isCompany || kind == .event || kind == .product, let name = text("name") { terms.addFullName(name) }
        if case .object(let custom)? = record["custom_fields"] {
            for (_, v) in custom { if case .string(let s) = v { terms.addOther(s) } }
        }

        let doc = Document()
        let active = record.isActive
        for t in terms.terms { doc.addTerm(t, wdfInc: 0) }
        for g in terms.shortGrams { doc.addBooleanTerm(Prefix.shortGram + kind.code + (active ? "a" : "i") + g) }
        doc.addBooleanTerm(idTerm(record.key))
        doc.addBooleanTerm(Prefix.kind + kind.code)
        doc.addBooleanTerm((active ? Prefix.kindActive : Prefix.kindInactive) + kind.code)
        doc.addBooleanTerm(active ? Prefix.active : Prefix.inactive)
        doc.setValue(Slot.id, record.id)
        doc.setValue(Slot.kind, kind.code)
        // A small boost for short titles: between two equally good matches, "EDF" before
        // "EDF Renewables Normandie". At most 0.01, far below any match weight.
        let boost = 0.01 / Double(1 + min(title.count, 200))
        doc.setValue(Slot.staticRank, Sortable.serialise(boost))
        doc.setData(DocumentData(kind: kind, id: record.id, active: active, title: title, subtitle: subtitle,
                                 fields: highlightFields).encoded())
        return Built(document: doc, vocabulary: Array(terms.vocabulary))
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

/// Collects a document's terms without duplicates.
struct TermSet {
    let analyzer: Analyzer
    private(set) var terms: [String] = []
    private var seen: Set<String> = []
    private(set) var shortGrams: Set<String> = []
    private(set) var vocabulary: Set<String> = []

    init(analyzer: Analyzer) { self.analyzer = analyzer }

    mutating func add(_ term: String) {
        // Xapian terms are limited to 245 bytes; longer ones cannot be searched usefully anyway.
        guard term.utf8.count <= 240, seen.insert(term).inserted else { return }
        terms.append(term)
    }

    /// Name particles after which people type the name joined ("Le Goff" → legoff,
    /// "Da Silva" → dasilva, "De La Fontaine" → delafontaine, "Van Damme" → vandamme).
    static let particles: Set<String> = ["le", "la", "les", "de", "du", "des", "da", "das", "do", "dos", "di",
                                         "del", "della", "van", "von", "der", "den", "mac", "mc", "ben", "el", "al", "o"]

    mutating func addName(_ text: String) {
        addWords(text, word: Prefix.nameWord, gram: Prefix.nameGram)
        let primary = analyzer.tokens(text).filter { !$0.isAlternative }.map(\.term)
        if primary.count >= 2, primary.count <= 4, Self.particles.contains(primary[0]) {
            let joined = primary.joined()
            add(Prefix.nameWord + joined)
            vocabulary.insert(joined)
        }
        // "Name starts with": what a one- to three-letter query shows first.
        if let first = analyzer.tokens(text).first(where: { !$0.isAlternative }) {
            var prefix = ""
            for ch in first.term.prefix(IndexLayout.maxGram) {
                prefix.append(ch)
                add(Prefix.nameStart + prefix)
            }
        }
    }
    mutating func addSecondary(_ text: String) { addWords(text, word: Prefix.secondaryWord, gram: Prefix.secondaryGram) }

    mutating func addOther(_ text: String) {
        for t in analyzer.tokens(text) { add(Prefix.otherWord + t.term) }
    }

    mutating func addFullName(_ text: String) {
        let words = analyzer.tokens(text).filter { !$0.isAlternative }.map(\.term)
        if !words.isEmpty { add(Prefix.fullName + words.joined(separator: " ")) }
    }

    mutating func addIdentifiers(_ prefix: String, _ values: [String]) {
        for v in values { add(prefix + v) }
    }

    mutating func addPhone(_ raw: String) {
        let forms = Identifiers.phoneTerms(raw)
        guard let national = forms.first else { return }
        for f in forms {
            // Whole numbers (national, international) have 9 digits or more; shorter forms are suffixes.
            add((f.utf8.count >= 9 ? Prefix.phone : Prefix.phoneSuffix) + f)
        }
        if national.count > 6 {
            for n in 6..<national.count { add(Prefix.phonePrefix + String(national.prefix(n))) }
        }
    }

    mutating func addReference(_ raw: String) {
        for v in Identifiers.referenceTerms(raw) { add(Prefix.reference + v) }
        for t in analyzer.tokens(raw) { add(Prefix.otherWord + t.term) }
    }

    private mutating func addWords(_ text: String, word: String, gram: String) {
        for t in analyzer.tokens(text) {
            let term = t.term
            add(word + term)
            if !t.isNumeric { vocabulary.insert(term) }
            var prefix = ""
            var n = 0
            for ch in term {
                prefix.append(ch)
                n += 1
                if n > IndexLayout.maxGram { break }
                add(gram + prefix)
                shortGrams.insert(prefix)
            }
        }
    }
}
