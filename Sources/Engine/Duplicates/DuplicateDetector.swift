import Analysis
import Foundation
import Model
import Store
import XapianKit

/// What the duplicate check compares of a record: identifiers and names, normalized leniently
/// (a partial record being typed, or a stored record: both go through the same code).
struct DuplicateProfile {
    var kind: RecordKind
    var id: String?
    var active = true
    // Companies.
    var companyName: CompanyName?
    var siret: String?          // 14 digits
    var siren: String?          // 9 digits (from the SIRET, a SIREN typed in `siret`, or a French VAT)
    var vat: String?            // alphanumerics, lower case ("fr40303265045")
    var websiteDomain: String?
    var city: String?
    var postalCode: String?
    // Contacts.
    var person: PersonName
    /// The name's whole-name index term (`Prefix.fullName`), as `DocumentBuilder` makes it.
    var fullNameTerm: String?
    var companyId: String?
    var email: String?
    var emailDomain: String?
    var phones: Set<String> = []        // direct and mobile, canonical digits
    var switchboards: Set<String> = []  // shared by a company's contacts: weak evidence

    init(kind: RecordKind, fields: [String: JSONValue], id: String?, analyzer: Analyzer, longLegalForms: [String] = []) {
        self.kind = kind
        self.id = id
        func text(_ f: String) -> String? {
            guard case .string(let s)? = fields[f] else { return nil }
            let t = s.trimmingCharacters(in: .whitespacesAndNewlines)
            return t.isEmpty ? nil : t
        }
        if case .bool(let b)? = fields["active"] { active = b }
        person = PersonName(first: nil, last: nil, analyzer: analyzer)
        if kind.isCompany {
            if let n = text("name") {
                let words = analyzer.tokens(n).filter { !$0.isAlternative }.map(\.term)
                if !words.isEmpty { fullNameTerm = TermSet.fullNameKey(words) }
            }
            companyName = CompanyName(text("name"), analyzer: analyzer, longLegalForms: longLegalForms)
            if let s = text("siret") {
                let d = Identifiers.digits(s)
                if d.count == 14 { siret = d; siren = String(d.prefix(9)) } else if d.count == 9 { siren = d }
            }
            if let v = text("vat_number") {
                let t = Identifiers.vatTerms(v)
                if let first = t.first, first.utf8.count >= 4 { vat = first }
                if siren == nil, t.count >= 3, t[0].hasPrefix("fr"), t[2].utf8.count == 9 { siren = t[2] }
            }
            if let w = text("website") { websiteDomain = DocumentBuilder.domain(ofWebsite: w).flatMap(Self.usefulDomain) }
            city = text("city").map { NameMatching.words($0, analyzer: analyzer).joined(separator: " ") }
            postalCode = text("postal_code").map { $0.filter { !$0.isWhitespace }.uppercased() }
        } else {
            person = PersonName(first: text("first_name"), last: text("last_name"), analyzer: analyzer)
            if let f = kind.companyField { companyId = text(f) }
            if let e = text("email"), let whole = Identifiers.emailTerms(e).first, let at = whole.lastIndex(of: "@") {
                email = whole
                let d = String(whole[whole.index(after: at)...])
                emailDomain = Self.webmailDomains.contains(d) ? nil : d
            }
            for f in ["phone_direct", "phone_mobile"] {
                if let p = text(f), let parsed = Identifiers.parsePhone(p), parsed.canonical.utf8.count >= 8 { phones.insert(parsed.canonical) }
            }
            if let p = text("phone_switchboard"), let parsed = Identifiers.parsePhone(p), parsed.canonical.utf8.count >= 8 {
                switchboards.insert(parsed.canonical)
            }
        }
    }

    /// Personal mailboxes: a shared domain says nothing about a shared company.
    static let webmailDomains: Set<String> = [
        "gmail.com", "googlemail.com", "yahoo.fr", "yahoo.com", "hotmail.fr", "hotmail.com", "outlook.fr", "outlook.com",
        "live.fr", "live.com", "msn.com", "icloud.com", "me.com", "orange.fr", "wanadoo.fr", "free.fr", "sfr.fr",
        "neuf.fr", "laposte.net", "bbox.fr", "aol.com", "aol.fr", "gmx.fr", "gmx.com", "protonmail.com", "proton.me",
        "club-internet.fr", "numericable.fr", "yandex.com", "mail.com",
    ]

    /// Hosting and social domains many unrelated sites share.
    static let sharedHosts: Set<String> = [
        "facebook.com", "linkedin.com", "instagram.com", "twitter.com", "x.com", "wixsite.com", "wordpress.com",
        "blogspot.com", "google.com", "sites.google.com", "pagesjaunes.fr", "free.fr", "over-blog.com", "jimdo.com",
        "business.site", "youtube.com",
    ]

    static func usefulDomain(_ d: String) -> String? {
        if sharedHosts.contains(d) { return nil }
        for h in sharedHosts where d.hasSuffix("." + h) { return nil }
        return d
    }
}

/// Finds the records a new or edited record probably duplicates (API.md "Duplicate check
/// before creation"): a few index queries gather at most `maxCandidates` candidates (blocking),
/// the store gives their records, and each is scored against the probe with its reasons.
///
/// Blocking, per kind (inactive records included):
/// - companies: SIRET, SIREN, VAT, website domain; the whole name, each significant word and its
///   close spellings from the vocabulary (`Vocabulary.fuzzy`), the name's acronyms; for a name
///   that may be an acronym, the names whose words start with its letters;
/// - contacts: e-mail, phones; the contacts of the same company (store); the contacts with the
///   same professional e-mail domain whose first or last name (or a close spelling) matches.
///
/// Scoring: each piece of evidence has a weight, combined as a noisy-or
/// (1 − Π(1 − wᵢ)), then capped by contrary evidence (two different SIRENs are two legal
/// entities; two different people's names on one phone). See `scoreCompany`/`scoreContact`.
struct DuplicateDetector {
    let store: TenantStore
    let index: TenantIndex
    let analyzer: Analyzer
    let config: DuplicateConfig

    func candidates(kind: RecordKind, body: [String: JSONValue]) throws -> [DuplicateCandidate] {
        guard kind.supportsDuplicateCheck else { return [] }
        let id: String? = body["id"]?.stringValue
        let longForms = kind.isCompany ? analyzer.rules.legalForms.filter { $0.utf8.count >= 8 }.sorted() : []
        let probe = DuplicateProfile(kind: kind, fields: body, id: id, analyzer: analyzer, longLegalForms: longForms)
        var keys = try blockingKeys(probe)
        var records: [Record] = []
        if kind.isContact, let cid = probe.companyId, let ck = kind.companyKind {
            let siblings = try store.contacts(ofCompany: RecordKey(kind: ck, id: cid))
            records.append(contentsOf: siblings.prefix(config.maxCompanyContacts))
            let have = Set(siblings.map(\.id))
            keys.removeAll { have.contains($0.id) }
        }
        if !keys.isEmpty {
            let found = try store.records(keys)
            for k in keys { if let r = found[k] { records.append(r) } }
        }
        var out: [DuplicateCandidate] = []
        var seen = Set<String>()
        for r in records where r.id != id && seen.insert(r.id).inserted {
            let c = DuplicateProfile(kind: r.kind, fields: r.fields, id: r.id, analyzer: analyzer, longLegalForms: longForms)
            let (score, reasons) = kind.isCompany ? Self.scoreCompany(probe, c) : Self.scoreContact(probe, c)
            guard score >= config.reportThreshold, !reasons.isEmpty else { continue }
            out.append(DuplicateCandidate(id: r.id, kind: r.kind, score: (score * 100).rounded() / 100,
                                          active: r.isActive, reasons: reasons))
        }
        out.sort { ($0.score, $1.id) > ($1.score, $0.id) }
        return Array(out.prefix(config.maxResults))
    }

    // MARK: - Blocking

    private func blockingKeys(_ p: DuplicateProfile) throws -> [RecordKey] {
        var ids: [Query] = []
        var names: [Query] = []
        var acronymQuery: Query? = nil
        if p.kind.isCompany {
            if let s = p.siret { ids.append(.term(Prefix.siret + s)) }
            if let s = p.siren { ids.append(.term(Prefix.siret + s)) }
            if let v = p.vat, !v.hasPrefix("fr") { ids.append(.term(Prefix.vat + v)) }   // a French VAT is its SIREN
            if let d = p.websiteDomain { ids.append(.term(Prefix.website + d)) }
            if let n = p.companyName {
                if let f = p.fullNameTerm { names.append(.scaleWeight(.term(Prefix.fullName + f), 3)) }
                for w in n.significant.prefix(8) { names.append(wordQuery(w)) }
                for a in n.acronyms { names.append(.scaleWeight(.term(Prefix.word + a), 2)) }
                if let a = n.acronymLike {
                    // Names whose first word starts with the first letter, ranked by how many
                    // of the other letters start one of their words.
                    func grams(_ letter: Character, _ tiers: [GramTier]) -> Query {
                        .or([true, false].flatMap { active in tiers.map { Query.term(Prefix.gram(p.kind, active: active, tier: $0) + String(letter)) } })
                    }
                    let rest = Set(a.dropFirst()).map { grams($0, [.first, .name]) }
                    if let first = a.first { acronymQuery = .and([grams(first, [.first]), .or(rest)]) }
                }
            }
        } else {
            if let e = p.email { ids.append(.term(Prefix.email + e)) }
            for ph in p.phones { ids.append(.term(Prefix.phone + ph)) }
            if let d = p.emailDomain {
                var nameWords: [Query] = []
                for w in [p.person.last, p.person.first].compactMap({ $0 }) where w.utf8.count >= 2 { nameWords.append(wordQuery(w)) }
                if !nameWords.isEmpty { names.append(.filter(.or(nameWords), .term(Prefix.emailDomain + d))) }
            }
        }
        let filter: Query = .term(Prefix.kind + p.kind.code)
        var queries: [(Query, Int)] = []
        if !ids.isEmpty || !names.isEmpty {
            var parts: [Query] = []
            if !ids.isEmpty { parts.append(.scaleWeight(.or(ids), 100)) }
            if !names.isEmpty { parts.append(.or(names)) }
            queries.append((.filter(parts.count == 1 ? parts[0] : .or(parts), filter), config.maxCandidates))
        }
        if let aq = acronymQuery { queries.append((.filter(aq, filter), 30)) }
        guard !queries.isEmpty else { return [] }
        return try index.withReader { db in
            var keys: [RecordKey] = []
            var seen = Set<String>()
            for (q, limit) in queries {
                let enquire = Enquire(database: db)
                enquire.weighting = .coord
                enquire.sortOrder = .relevanceThenValue(slot: Slot.sortKey, reverse: false)
                enquire.fetchValueSlot = Slot.display
                try enquire.setQuery(q)
                let mset = try enquire.mset(first: 0, maxItems: min(limit, config.maxCandidates - keys.count), checkAtLeast: 0)
                for item in mset.items {
                    guard let d = DocumentData(decoding: item.data), seen.insert(d.id).inserted else { continue }
                    keys.append(RecordKey(kind: d.kind, id: d.id))
                }
                if keys.count >= config.maxCandidates { break }
            }
            return keys
        }
    }

    /// A name word or one of its close spellings in the tenant's vocabulary.
    private func wordQuery(_ w: String) -> Query {
        let n = w.utf8.count
        let k = w.contains(where: \.isNumber) ? 0 : n >= 9 ? 2 : n >= 5 ? 1 : 0
        var alts: [Query] = [.term(Prefix.word + w)]
        if k > 0 {
            for m in index.vocabulary.fuzzy(w, maxDistance: k, prefix: false, limit: 4) {
                alts.append(.scaleWeight(.term(Prefix.word + m.text), 0.8))
            }
        }
        return alts.count == 1 ? alts[0] : .max(alts)
    }

    // MARK: - Scoring

    static func noisyOr(_ weights: [Double]) -> Double { 1 - weights.reduce(1) { $0 * (1 - $1) } }

    /// Companies: identifiers first (SIRET certain; SIREN alone another establishment; VAT),
    /// then the website domain, then the name weighed by the location.
    static func scoreCompany(_ p: DuplicateProfile, _ c: DuplicateProfile) -> (Double, [DuplicateReason]) {
        var ev: [(DuplicateReason, Double)] = []
        var cap = 1.0
        if let a = p.siret, let b = c.siret {
            if a == b { ev.append((.siret, 0.99)) } else if a.prefix(9) == b.prefix(9) {
                ev.append((.siren, 0.75)); cap = min(cap, 0.8)      // another establishment
            } else { cap = min(cap, 0.3) }                          // two legal entities
        } else if let a = p.siren, let b = c.siren {
            if a == b { ev.append((.siren, 0.9)) } else { cap = min(cap, 0.3) }
        }
        if let a = p.vat, let b = c.vat {
            if a == b { ev.append((.vat, 0.95)) } else { cap = min(cap, 0.3) }
        }
        if let a = p.websiteDomain, a == c.websiteDomain { ev.append((.websiteDomain, 0.45)) }
        if let a = p.companyName, let b = c.companyName, let rel = a.relation(to: b) {
            let sameCity = (p.city != nil && p.city == c.city) || (p.postalCode != nil && p.postalCode == c.postalCode)
            let otherCity = !sameCity && p.city != nil && c.city != nil
            switch rel {
            case .equal: ev.append((.name, sameCity ? 0.88 : otherCity ? 0.4 : 0.7))
            case .similar(let sim):
                let base = sameCity ? 0.7 : otherCity ? 0.35 : 0.55
                ev.append((.nameSimilar, base * (0.9 + 0.1 * sim)))
            case .acronym: ev.append((.acronym, sameCity ? 0.65 : otherCity ? 0.35 : 0.55))
            }
        }
        return finish(ev, cap: cap)
    }

    /// Contacts: e-mail (near certain), direct or mobile phone; names count within the same
    /// company or the same professional e-mail domain (or next to a shared identifier), and
    /// two clearly different names cap what a shared e-mail or phone says.
    static func scoreContact(_ p: DuplicateProfile, _ c: DuplicateProfile) -> (Double, [DuplicateReason]) {
        var ev: [(DuplicateReason, Double)] = []
        var cap = 1.0
        let rel = p.person.relation(to: c.person)
        let emailSame = p.email != nil && p.email == c.email
        let phoneSame = !p.phones.isDisjoint(with: c.phones.union(c.switchboards)) || !p.switchboards.isDisjoint(with: c.phones)
        if emailSame { ev.append((.email, 0.97)) }
        if phoneSame { ev.append((.phone, 0.8)) }
        if rel == .conflict {
            if emailSame { cap = min(cap, 0.6) } else if phoneSame { cap = min(cap, 0.4) }
        }
        let sameCompany = p.companyId != nil && p.companyId == c.companyId
        let sameDomain = p.emailDomain != nil && p.emailDomain == c.emailDomain
        if sameCompany || sameDomain {
            switch rel {
            case .exact: ev.append((.name, 0.9))
            case .folded: ev.append((.nameSimilar, 0.88))
            case .swapped: ev.append((.nameSwapped, 0.86))
            case .similar: ev.append((.nameSimilar, 0.75))
            case .initial: ev.append((.initial, 0.7))
            case .conflict, .unknown: break
            }
        }
        return finish(ev, cap: cap)
    }

    private static func finish(_ ev: [(DuplicateReason, Double)], cap: Double) -> (Double, [DuplicateReason]) {
        guard !ev.isEmpty else { return (0, []) }
        let score = min(cap, noisyOr(ev.map(\.1)))
        return (score, ev.sorted { $0.1 > $1.1 }.map(\.0))
    }
}

extension Tenant {
    /// The records that `body` (a partial record of `kind`: client, client_contact, partner or
    /// partner_contact) probably duplicates, best first, inactive ones included and flagged.
    /// Other kinds have no duplicate check (empty answer). A body with an `id` never lists
    /// that record itself.
    public func duplicates(kind: RecordKind, body: [String: JSONValue], config: DuplicateConfig = .default) throws -> [DuplicateCandidate] {
        try DuplicateDetector(store: store, index: index, analyzer: analyzer, config: config).candidates(kind: kind, body: body)
    }
}

extension Tenant {
    /// For a `PUT` (`body`) or a `PATCH` (`mergePatch`) of an existing company or contact: the
    /// records that its changed identifiers (SIRET, VAT, e-mail, direct or mobile phone) would
    /// duplicate, best first (API.md: changing an identifier into a duplicate one is `409`).
    /// Empty when no identifier changes, when the record does not exist, or when the new body
    /// is invalid (the write itself reports it). Only candidates sharing a changed identifier
    /// are returned.
    public func identifierDuplicates(_ key: RecordKey, body: [String: JSONValue]? = nil, mergePatch: [String: JSONValue]? = nil,
                                     config: DuplicateConfig = .default) throws -> [DuplicateCandidate] {
        guard key.kind.supportsDuplicateCheck, let current = try store.record(key) else { return [] }
        let raw: [String: JSONValue]
        if let body { raw = body } else if let mergePatch { raw = try Self.merge(current, mergePatch) } else { return [] }
        var stripped = raw
        stripped.removeValue(forKey: "id")
        guard case .success(let fields) = Validator.normalize(kind: key.kind, body: stripped) else { return [] }
        let identifiers: [(field: String, reasons: [DuplicateReason])] = key.kind.isCompany
            ? [("siret", [.siret, .siren]), ("vat_number", [.vat])]
            : [("email", [.email]), ("phone_direct", [.phone]), ("phone_mobile", [.phone])]
        var changed = Set<DuplicateReason>()
        for (f, reasons) in identifiers {
            if let v = fields[f], v != current.fields[f] { changed.formUnion(reasons) }
        }
        guard !changed.isEmpty else { return [] }
        var probe = fields
        probe["id"] = .string(key.id)
        return try duplicates(kind: key.kind, body: probe, config: config).filter { !changed.isDisjoint(with: $0.reasons) }
    }
}
