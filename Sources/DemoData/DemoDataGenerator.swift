import Foundation
import Model

/// A deterministic generator of realistic French CRM data, as bulk NDJSON lines (API.md "Bulk load"):
/// `{"op":"upsert","type":"client","id":"cl_1","record":{...}}`.
///
/// The same `size` and `seed` give byte-identical output on every machine: the generator uses its own
/// PRNG (xoshiro256** seeded by SplitMix64), a fixed epoch for dates and hand-written JSON with a
/// fixed key order. Output order: each client followed by its contacts (group holdings before their
/// subsidiaries), then each partner followed by its contacts, then products, then events — parents
/// always precede the records that reference them.
public struct DemoDataGenerator: Sendable {
    /// Number of records of each kind.
    public struct Counts: Sendable, Hashable {
        public var clients: Int
        public var clientContacts: Int
        public var partners: Int
        public var partnerContacts: Int
        public var events: Int
        public var products: Int
        public var total: Int { clients + clientContacts + partners + partnerContacts + events + products }

        public func count(_ kind: RecordKind) -> Int {
            switch kind {
            case .client: return clients
            case .clientContact: return clientContacts
            case .partner: return partners
            case .partnerContact: return partnerContacts
            case .event: return events
            case .product: return products
            }
        }
    }

    /// Total number of records, all kinds together.
    public let size: Int
    public let seed: UInt64
    public let counts: Counts

    /// Rough proportions: clients 15%, client contacts 45%, partners 5%, partner contacts 10%,
    /// events 15%, products 10% (largest remainders; at least one company when it has contacts).
    public init(size: Int, seed: UInt64 = 0) {
        self.size = max(0, size)
        self.seed = seed
        self.counts = DemoDataGenerator.counts(for: max(0, size))
    }

    static func counts(for size: Int) -> Counts {
        let weights = [15, 45, 5, 10, 15, 10]
        var c = weights.map { size / 100 * $0 + (size % 100) * $0 / 100 }
        let remainder = size - c.reduce(0, +)
        let order = (0..<6).sorted { a, b in
            let fa = (size % 100) * weights[a] % 100, fb = (size % 100) * weights[b] % 100
            return fa != fb ? fa > fb : a < b
        }
        for k in 0..<remainder { c[order[k % 6]] += 1 }
        if c[1] > 0 && c[0] == 0 { c[0] = 1; c[1] -= 1 }
        if c[3] > 0 && c[2] == 0 { c[2] = 1; c[3] -= 1 }
        return Counts(clients: c[0], clientContacts: c[1], partners: c[2], partnerContacts: c[3],
                      events: c[4], products: c[5])
    }

    /// Calls `body` with each NDJSON line (no trailing newline), parents before children.
    public func generate(_ body: (String) throws -> Void) rethrows {
        try generateBytes { try body(String(decoding: $0, as: UTF8.self)) }
    }

    /// Calls `body` with the UTF-8 bytes of each NDJSON line (no trailing newline).
    /// The array is only valid during the call.
    public func generateBytes(_ body: ([UInt8]) throws -> Void) rethrows {
        let g = DemoGeneration(counts: counts, seed: seed)
        for c in 0..<counts.clients {
            g.buildClient(c)
            try body(g.line.bytes)
            let first = Int(g.clientFirstContact[c]), n = Int(g.clientFirstContact[c + 1]) - first
            for k in 0..<n {
                g.buildContact(kind: .clientContact, ordinal: first + k, isFirst: k == 0)
                try body(g.line.bytes)
            }
        }
        for p in 0..<counts.partners {
            g.buildPartner(p)
            try body(g.line.bytes)
            let first = Int(g.partnerFirstContact[p]), n = Int(g.partnerFirstContact[p + 1]) - first
            for k in 0..<n {
                g.buildContact(kind: .partnerContact, ordinal: first + k, isFirst: k == 0)
                try body(g.line.bytes)
            }
        }
        for r in 0..<counts.products {
            g.buildProduct(r)
            try body(g.line.bytes)
        }
        for e in 0..<counts.events {
            g.buildEvent(e)
            try body(g.line.bytes)
        }
    }

    /// Writes the lines, each terminated by "\n", to `path` (created or truncated).
    public func write(to path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil),
              let handle = FileHandle(forWritingAtPath: path)
        else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: path])
        }
        defer { try? handle.close() }
        let chunk = 1 << 20
        var buffer = [UInt8]()
        buffer.reserveCapacity(chunk + 16_384)
        try generateBytes { line in
            buffer.append(contentsOf: line)
            buffer.append(0x0A)
            if buffer.count >= chunk {
                try handle.write(contentsOf: buffer)
                buffer.removeAll(keepingCapacity: true)
            }
        }
        if !buffer.isEmpty { try handle.write(contentsOf: buffer) }
    }
}

/// What a company's contacts inherit from it.
struct CompanyContext {
    var country = "FR"
    var foreignCity: ForeignCity?
    var domain = ""
    var phoneDigit = 1
    var switchboard: [UInt8] = []
    var createdSeconds = 0
    var active = true
}

/// The mutable state of one generation run.
final class DemoGeneration {
    let counts: DemoDataGenerator.Counts
    var rng: DemoRandom
    var line = JSONLine()
    let sirenSalt: UInt64

    /// Prefix sums: contacts of client `c` are ordinals `clientFirstContact[c] ..< clientFirstContact[c+1]`.
    var clientFirstContact: [Int32]
    var partnerFirstContact: [Int32]

    // Remembered for events and products.
    var clientShortNames: [String] = []
    var partnerNames: [String] = []
    var partnerCities: [String] = []
    var partnersByCategory: [[Int32]] = Array(repeating: [], count: DemoCompanies.partnerCategories.count)

    // Client sequencing (famous companies, groups and their subsidiaries).
    var famousNext = 0
    var pendingSubsidiaries: [String] = []
    var groupParentId = ""
    var groupStem = ""
    var groupDomain = ""
    var groupRemaining = 0
    var famousPartnerNext = 0

    var current = CompanyContext()

    static let epoch2016 = DemoIdentifiers.days(2016, 1, 1) * 86_400
    static let epoch2018 = DemoIdentifiers.days(2018, 1, 1) * 86_400
    static let referenceDay = DemoIdentifiers.days(2025, 6, 1)
    static let referenceSeconds = referenceDay * 86_400
    static let eventFirstDay = DemoIdentifiers.days(2022, 1, 1)
    static let eventLastDay = DemoIdentifiers.days(2026, 12, 31)

    init(counts: DemoDataGenerator.Counts, seed: UInt64) {
        self.counts = counts
        self.rng = DemoRandom(seed: seed)
        var planRng = DemoRandom(seed: seed ^ 0x5DEE_CE66_D1CE_5EED)
        self.sirenSalt = planRng.next()
        clientFirstContact = DemoGeneration.distribute(counts.clientContacts, over: counts.clients, &planRng)
        partnerFirstContact = DemoGeneration.distribute(counts.partnerContacts, over: counts.partners, &planRng)
        clientShortNames.reserveCapacity(counts.clients)
        partnerNames.reserveCapacity(counts.partners)
        partnerCities.reserveCapacity(counts.partners)
    }

    /// Spreads `total` contacts over `companies`: one each first, the rest 75% uniformly and 25%
    /// favouring the first (larger, well-known) companies. Returns prefix sums.
    static func distribute(_ total: Int, over companies: Int, _ rng: inout DemoRandom) -> [Int32] {
        var perCompany = [Int32](repeating: 0, count: companies)
        if companies > 0 {
            if total < companies {
                for k in 0..<total { perCompany[k * companies / total] += 1 }
            } else {
                for i in 0..<companies { perCompany[i] = 1 }
                for _ in 0..<(total - companies) {
                    let i = rng.chance(75) ? rng.int(companies) : rng.skewed(companies)
                    perCompany[i] += 1
                }
            }
        }
        var prefix = [Int32](repeating: 0, count: companies + 1)
        for i in 0..<companies { prefix[i + 1] = prefix[i] + perCompany[i] }
        return prefix
    }

    // MARK: helpers

    func expand(_ template: String, _ fill: (Character) -> String) -> String {
        var out = ""
        var it = template.makeIterator()
        while let ch = it.next() {
            if ch == "{", let token = it.next() {
                _ = it.next()
                out += fill(token)
            } else {
                out.append(ch)
            }
        }
        return out
    }

    func acronym() -> String {
        let letters = Array("ABCDEFGHIJLMNPRSTV")
        var s = ""
        for _ in 0..<rng.range(2, 4) { s.append(rng.pick(letters)) }
        return s
    }

    func frenchCity() -> FrenchCity {
        DemoPlaces.frenchCities[rng.weighted(DemoPlaces.frenchCityWeights)]
    }

    func lastName() -> String { rng.pick(DemoNames.lastNames) }

    func firstName() -> String {
        rng.chance(50) ? rng.pick(DemoNames.maleFirstNames) : rng.pick(DemoNames.femaleFirstNames)
    }

    /// Fills a name template; returns the name and the name without its legal form.
    func fillName(_ template: String, city: String) -> (name: String, base: String, activityApe: String?) {
        var legal = ""
        var activityApe: String? = nil
        let name = expand(template) { token in
            switch token {
            case "L": return self.lastName()
            case "A":
                let a = self.rng.pick(DemoCompanies.activities)
                if activityApe == nil { activityApe = a.ape }
                return a.word
            case "B": return self.rng.pick(DemoCompanies.brands)
            case "P": return self.rng.pick(DemoPlaces.dePhrases)
            case "C": return city
            case "X": return self.acronym()
            case "G": legal = self.rng.pick(DemoCompanies.legalForms); return legal
            case "U": return self.rng.pick(DemoCompanies.pluralNouns)
            case "F": return self.firstName()
            case "N": return self.rng.pick(DemoPlaces.dePhrases)
            case "S": return self.rng.pick(DemoCompanies.sports)
            default: return ""
            }
        }
        if !legal.isEmpty, name.hasSuffix(" " + legal) {
            return (name, String(name.dropLast(legal.count + 1)), activityApe)
        }
        return (name, name, activityApe)
    }

    func domain(for base: String, country: String) -> String {
        var stem = DemoIdentifiers.slug(base, separator: 0x2D)
        if stem.isEmpty { stem = "societe" }
        if stem.utf8.count > 40 { stem = String(stem.prefix(40)); while stem.hasSuffix("-") { stem.removeLast() } }
        switch country {
        case "FR":
            let r = rng.int(100)
            return stem + (r < 75 ? ".fr" : r < 95 ? ".com" : ".eu")
        case "BE": return stem + ".be"
        case "CH": return stem + ".ch"
        case "DE": return stem + ".de"
        default: return stem + ".es"
        }
    }

    func frenchAddress(_ city: FrenchCity) -> (address1: String, address2: String?, postalCode: String) {
        let a1: String
        if rng.chance(12) {
            a1 = rng.pick(DemoPlaces.businessParks)
        } else {
            var num = String(rng.chance(70) ? rng.range(1, 60) : rng.range(61, 220))
            if rng.chance(6) { num += rng.chance(70) ? " bis" : " ter" }
            a1 = num + " " + rng.pick(DemoPlaces.streetTypes) + " " + rng.pick(DemoPlaces.streetNames)
        }
        let a2: String? = rng.chance(22) ? rng.pick(DemoPlaces.address2s) : nil
        return (a1, a2, rng.pick(city.postalCodes))
    }

    func nationalNumber(_ area: [UInt8], length: Int) -> [UInt8] {
        var d = area
        d.append(UInt8(rng.range(1, 9)))
        while d.count < length { d.append(UInt8(rng.int(10))) }
        return d
    }

    func typedPhone(_ digits: [UInt8]) -> String {
        if let f = current.foreignCity {
            return DemoIdentifiers.typedInternational(countryCode: f.phoneCountryCode, national: digits,
                                                      areaLength: f.areaCode.count, &rng)
        }
        return DemoIdentifiers.typedFrench(digits, &rng)
    }

    func createdAt(after start: Int, before end: Int) -> Int {
        start + rng.int(max(1, end - start))
    }

    // MARK: companies

    func header(_ kind: RecordKind, _ id: String) {
        line.reset()
        line.openObject()
        line.string("op", "upsert")
        line.string("type", kind.rawValue)
        line.string("id", id)
        line.openObject("record")
        line.string("id", id)
    }

    func footer() {
        line.closeObject()
        line.closeObject()
    }

    struct CompanyPlan {
        var name: String
        var base: String
        var domain: String?
        var ape: String?
        var type: String?
        var parentId: String?
        var category: String?
        var country = "FR"
        var famous = false
    }

    func buildClient(_ c: Int) {
        let id = "cl_\(c + 1)"
        var city = frenchCity()
        if famousNext < DemoCompanies.famousClients.count || !pendingSubsidiaries.isEmpty, rng.chance(80) {
            // Head offices of well-known companies: Paris and its business suburbs.
            city = DemoPlaces.frenchCities[DemoPlaces.headOfficeCityIndexes[rng.int(DemoPlaces.headOfficeCityIndexes.count)]]
        }
        var plan: CompanyPlan
        var foreign: ForeignCity? = nil

        if !pendingSubsidiaries.isEmpty {
            let name = pendingSubsidiaries.removeFirst()
            plan = CompanyPlan(name: name, base: name, domain: rng.chance(50) ? groupDomain : nil,
                               ape: nil, type: "Grand compte", parentId: groupParentId)
        } else if groupRemaining > 0 {
            groupRemaining -= 1
            let activity = rng.pick(DemoCompanies.activities)
            let name: String
            switch rng.int(4) {
            case 0, 1: name = groupStem + " " + activity.word + " " + city.name
            case 2: name = groupStem + " " + activity.word
            default: name = groupStem + " " + rng.pick(DemoPlaces.regions)
            }
            plan = CompanyPlan(name: name, base: name, domain: rng.chance(40) ? groupDomain : nil,
                               ape: activity.ape, type: rng.pick(DemoCompanies.clientTypes), parentId: groupParentId)
        } else if famousNext < DemoCompanies.famousClients.count {
            let f = DemoCompanies.famousClients[famousNext]
            famousNext += 1
            plan = CompanyPlan(name: f.name, base: f.name, domain: f.domain, ape: f.ape, type: "Grand compte",
                               parentId: nil, famous: true)
            if !f.subsidiaries.isEmpty {
                pendingSubsidiaries = f.subsidiaries
                groupParentId = id
                groupDomain = f.domain
            }
        } else if rng.chance(4), counts.clients - c > 4 {
            let stem = rng.chance(70) ? lastName() : rng.pick(DemoCompanies.brands)
            let name = rng.chance(80) ? "Groupe " + stem : stem + " Holding"
            plan = CompanyPlan(name: name, base: name, domain: nil, ape: "7010Z", type: "Grand compte", parentId: nil)
            groupStem = stem
            groupParentId = id
            groupRemaining = rng.range(2, 5)
            plan.domain = domain(for: name, country: "FR")
            groupDomain = plan.domain!
        } else if rng.chance(5) {
            let f = DemoPlaces.foreignCities[rng.int(DemoPlaces.foreignCities.count)]
            foreign = f
            let template = rng.pick(DemoCompanies.foreignTemplates[f.country]!)
            let name = expand(template) { token in
                switch token {
                case "L": return self.rng.pick(DemoNames.foreignLast[f.country]!)
                case "B": return self.rng.pick(DemoCompanies.brands)
                default: return f.name
                }
            }
            var base = name
            for form in DemoCompanies.foreignLegalForms where name.hasSuffix(" " + form) {
                base = String(name.dropLast(form.count + 1))
                break
            }
            plan = CompanyPlan(name: name, base: base, domain: nil, ape: nil, type: rng.pick(DemoCompanies.clientTypes),
                               parentId: nil, country: f.country)
        } else if rng.chance(7) {
            let (name, base, _) = fillName(rng.pick(DemoCompanies.institutions), city: city.name)
            let type = name.hasPrefix("Association") || name.hasPrefix("Fédération") || name.hasPrefix("Syndicat")
                ? "Association" : name.hasPrefix("Comité") ? "Comité d'entreprise" : "Administration"
            plan = CompanyPlan(name: name, base: base, domain: nil, ape: type == "Association" ? "9499Z" : "8411Z",
                               type: type, parentId: nil)
        } else {
            let t = DemoCompanies.clientTemplates[rng.weighted(DemoCompanies.clientTemplateWeights)].template
            let (name, base, activityApe) = fillName(t, city: city.name)
            plan = CompanyPlan(name: name, base: base, domain: nil,
                               ape: activityApe ?? rng.pick(["7022Z", "8230Z", "7311Z", "4690Z", "6201Z"]),
                               type: rng.pick(DemoCompanies.clientTypes), parentId: nil)
        }
        clientShortNames.append(plan.base)
        emitCompany(kind: .client, ordinal: c, id: id, plan: plan, city: city, foreign: foreign)
    }

    func buildPartner(_ p: Int) {
        let id = "pa_\(p + 1)"
        let city = frenchCity()
        var foreign: ForeignCity? = nil
        var plan: CompanyPlan
        var categoryIndex: Int
        if famousPartnerNext < DemoCompanies.famousPartners.count {
            let f = DemoCompanies.famousPartners[famousPartnerNext]
            famousPartnerNext += 1
            categoryIndex = DemoCompanies.partnerCategories.firstIndex { $0.name == f.category } ?? 0
            plan = CompanyPlan(name: f.name, base: f.name, domain: f.domain,
                               ape: DemoCompanies.partnerCategories[categoryIndex].ape, type: "Prestataire",
                               parentId: nil, category: f.category, famous: true)
        } else {
            categoryIndex = rng.weighted(DemoCompanies.partnerCategoryWeights)
            let cat = DemoCompanies.partnerCategories[categoryIndex]
            if rng.chance(4) {
                foreign = DemoPlaces.foreignCities[rng.int(DemoPlaces.foreignCities.count)]
            }
            var (name, base, _) = fillName(rng.pick(cat.templates), city: foreign?.name ?? city.name)
            if foreign == nil, rng.chance(30), !name.hasPrefix("Château"), !name.hasPrefix("Domaine") {
                let legal = rng.pick(DemoCompanies.legalForms)
                base = name
                name += " " + legal
            }
            plan = CompanyPlan(name: name, base: base, domain: nil, ape: foreign == nil ? cat.ape : nil,
                               type: rng.pick(["Prestataire", "Prestataire", "Fournisseur", "Partenaire privilégié"]),
                               parentId: nil, category: cat.name, country: foreign?.country ?? "FR")
        }
        partnerNames.append(plan.name)
        partnerCities.append(foreign?.name ?? city.name)
        partnersByCategory[categoryIndex].append(Int32(p))
        emitCompany(kind: .partner, ordinal: p, id: id, plan: plan, city: city, foreign: foreign)
    }

    func emitCompany(kind: RecordKind, ordinal: Int, id: String, plan: CompanyPlan, city: FrenchCity,
                     foreign: ForeignCity?) {
        let isForeign = foreign != nil
        let domain = plan.domain ?? self.domain(for: plan.base, country: plan.country)
        let active = plan.famous ? true : !rng.chance(10)
        let created = createdAt(after: DemoGeneration.epoch2016, before: DemoGeneration.referenceSeconds)

        // Context for the contacts that follow.
        current = CompanyContext()
        current.country = plan.country
        current.foreignCity = foreign
        current.domain = domain
        current.phoneDigit = city.phoneDigit
        current.createdSeconds = created
        current.active = active
        if let f = foreign {
            current.switchboard = nationalNumber(f.areaCode, length: f.nationalLength)
        } else {
            current.switchboard = DemoIdentifiers.frenchNumber(prefix: rng.chance(85) ? city.phoneDigit : 9, &rng)
        }

        header(kind, id)
        line.string("name", plan.name)
        if let category = plan.category { line.string("category", category) }
        if plan.famous || rng.chance(80) {
            line.string("website", "https://www." + domain)
        }
        if let type = plan.type, plan.famous || rng.chance(85) { line.string("type", type) }

        // Main address.
        var mainAddress: (a1: String, a2: String?, postal: String, city: String, country: String)? = nil
        if plan.famous || rng.chance(92) {
            if let f = foreign {
                let street = rng.pick(DemoPlaces.foreignStreets[f.country]!)
                let number = String(rng.range(1, 120))
                let a1 = f.country == "ES" ? street + ", " + number : street + " " + number
                mainAddress = (a1, nil, f.postalCode, f.name, f.country)
            } else {
                let a = frenchAddress(city)
                mainAddress = (a.address1, a.address2, a.postalCode, city.name, "FR")
            }
            let m = mainAddress!
            line.string("address1", m.a1)
            line.string("address2", m.a2)
            line.string("postal_code", m.postal)
            line.string("city", m.city)
            if isForeign || rng.chance(70) { line.string("country", m.country) }
        } else if isForeign {
            line.string("country", plan.country)
        }
        if let parent = plan.parentId { line.string("parent_id", parent) }

        // Identifiers.
        if let f = foreign {
            if f.country != "CH", rng.chance(70) {
                switch f.country {
                case "BE": line.string("vat_number", DemoIdentifiers.belgianVAT(&rng))
                case "DE": line.string("vat_number", DemoIdentifiers.germanVAT(&rng))
                default: line.string("vat_number", DemoIdentifiers.spanishVAT(&rng))
                }
            }
        } else {
            let siren = DemoIdentifiers.siren(ordinal: kind == .client ? ordinal : 45_000_000 + ordinal,
                                              salt: sirenSalt)
            if plan.famous || rng.chance(72) {
                let vat = DemoIdentifiers.frenchVAT(siren: siren)
                if rng.chance(5) {
                    let chars = Array(vat)
                    line.string("vat_number", String(chars[0..<4]) + " " + String(chars[4...]))
                } else {
                    line.string("vat_number", vat)
                }
            }
            if rng.chance(50) {
                let prefix = kind == .client ? "411" : "401"
                if rng.chance(50) {
                    let letters = DemoIdentifiers.slug(plan.base, separator: nil).uppercased()
                    line.string("accounting_account", prefix + String(letters.prefix(6)))
                } else {
                    line.string("accounting_account", prefix + DemoIdentifiers.padded(ordinal + 1, 5))
                }
            }
            if plan.famous || rng.chance(85) {
                let siret = DemoIdentifiers.siret(siren: siren, nicPrefix: rng.pick(DemoIdentifiers.nicPrefixes))
                line.string("siret", DemoIdentifiers.typedSiret(siret, &rng))
            }
            if let ape = plan.ape, plan.famous || rng.chance(70) { line.string("ape_code", ape) }
        }
        if rng.chance(60) {
            if let f = foreign {
                line.string("language", rng.pick(DemoCompanies.foreignLanguages[f.country]!))
            } else {
                line.string("language", rng.pick(DemoCompanies.languages))
            }
        }
        line.bool("active", active)
        line.timestamp("created_at", seconds: created)

        // Billing addresses: one default among one to three.
        if rng.chance(20) {
            let n = rng.range(1, 3)
            let defaultIndex = rng.int(n)
            line.openArray("billing_addresses")
            for k in 0..<n {
                line.openObject()
                if k == 0, let m = mainAddress, rng.chance(50) {
                    line.string("address1", m.a1)
                    line.string("address2", m.a2)
                    line.string("postal_code", m.postal)
                    line.string("city", m.city)
                    line.string("country", m.country)
                } else if let f = foreign {
                    line.string("address1", rng.pick(DemoPlaces.foreignStreets[f.country]!) + " " + String(rng.range(1, 80)))
                    line.string("postal_code", f.postalCode)
                    line.string("city", f.name)
                    line.string("country", f.country)
                } else {
                    let bc = frenchCity()
                    let a = frenchAddress(bc)
                    line.string("address1", a.address1)
                    line.string("address2", rng.chance(40) ? "Service comptabilité" : a.address2)
                    line.string("postal_code", a.postalCode)
                    line.string("city", bc.name)
                    line.string("country", "FR")
                }
                line.bool("is_default", k == defaultIndex)
                line.closeObject()
            }
            line.closeArray()
        }

        if rng.chance(5) {
            line.openObject("custom_fields")
            if kind == .partner {
                switch rng.int(3) {
                case 0:
                    line.bool("assurance_rc_pro", rng.chance(90))
                    line.int("delai_paiement_jours", rng.pick([30, 45, 60]))
                case 1:
                    line.int("capacite_max", rng.range(2, 60) * 10)
                    line.bool("parking", rng.chance(60))
                default:
                    line.string("note_qualite", rng.pick(["A", "B", "C"]))
                    line.null("referent_interne")
                }
            } else {
                switch rng.int(4) {
                case 0:
                    line.string("code_interne", "CLI-" + DemoIdentifiers.padded(ordinal + 1, 5))
                    line.string("segment", rng.pick(["Grand compte", "PME", "Secteur public", "Associatif"]))
                case 1:
                    line.int("effectif", rng.range(3, 5000))
                    line.string("secteur", rng.pick(["Pharmacie", "Banque", "Luxe", "Industrie", "Énergie", "Conseil"]))
                case 2:
                    line.string("date_signature_contrat", DemoIdentifiers.date(created / 86_400 + rng.range(10, 200)))
                    line.bool("vip", rng.chance(30))
                default:
                    line.int("budget_annuel", rng.range(5, 300) * 1000)
                    line.null("remarque")
                }
            }
            line.closeObject()
        }
        footer()
    }

    // MARK: contacts

    func buildContact(kind: RecordKind, ordinal: Int, isFirst: Bool) {
        let id = kind.idPrefix + "_\(ordinal + 1)"
        let companyId: String
        if kind == .clientContact {
            companyId = "cl_\(clientIndex(ofContact: ordinal, in: clientFirstContact) + 1)"
        } else {
            companyId = "pa_\(clientIndex(ofContact: ordinal, in: partnerFirstContact) + 1)"
        }
        let male = rng.chance(50)
        var first: String
        var last: String
        if let f = current.foreignCity, rng.chance(70) {
            first = male ? rng.pick(DemoNames.foreignMale[f.country]!) : rng.pick(DemoNames.foreignFemale[f.country]!)
            last = rng.pick(DemoNames.foreignLast[f.country]!)
        } else {
            first = male ? rng.pick(DemoNames.maleFirstNames) : rng.pick(DemoNames.femaleFirstNames)
            last = lastName()
        }

        let f = DemoIdentifiers.slug(first, separator: 0x2D)
        let l = DemoIdentifiers.slug(last, separator: nil)

        header(kind, id)
        line.string(kind == .clientContact ? "client_id" : "partner_id", companyId)
        if rng.chance(95) {
            let r = rng.int(100)
            let civility = r < 92 ? (male ? "Monsieur" : "Madame") : r < 95 ? "Docteur" : r < 98 ? "Maître" : "Professeur"
            line.string("civility", civility)
        }
        line.string("first_name", first)
        line.string("last_name", last)
        if isFirst || rng.chance(90) {
            let initial = String(f.prefix(1))
            let local: String
            switch rng.weighted([50, 15, 12, 6, 5, 5, 7]) {
            case 0: local = f + "." + l
            case 1: local = initial + "." + l
            case 2: local = initial + l
            case 3: local = l + "." + f
            case 4: local = f
            case 5: local = l
            default: local = f + "-" + l
            }
            if rng.chance(10) {
                line.string("email", f + "." + l + (rng.chance(40) ? String(rng.range(1, 99)) : "") + "@"
                            + rng.pick(DemoNames.freeMailDomains))
            } else {
                line.string("email", local + "@" + current.domain)
            }
        }
        if rng.chance(82) {
            let pair = kind == .clientContact ? rng.pick(DemoNames.clientPositions) : rng.pick(DemoNames.partnerPositions)
            line.string("position", male ? pair.0 : pair.1)
        }
        if isFirst || rng.chance(70) {
            let digits: [UInt8]
            if let f = current.foreignCity {
                digits = nationalNumber(f.areaCode, length: f.nationalLength)
            } else {
                digits = DemoIdentifiers.frenchNumber(prefix: rng.chance(80) ? current.phoneDigit : 9, &rng)
            }
            line.string("phone_direct", typedPhone(digits))
        }
        if rng.chance(60) {
            let digits: [UInt8]
            if let f = current.foreignCity {
                digits = DemoPlaces.foreignMobile(f.country, &rng)
            } else {
                digits = DemoIdentifiers.frenchNumber(prefix: rng.chance(75) ? 6 : 7, &rng)
            }
            line.string("phone_mobile", typedPhone(digits))
        }
        if rng.chance(40) { line.string("phone_switchboard", typedPhone(current.switchboard)) }

        if rng.chance(5) { line.string("facebook", "https://www.facebook.com/" + f + "." + l) }
        if rng.chance(25) {
            let hex = String(rng.next() & 0xFF_FFFF, radix: 16)
            line.string("linkedin", "https://www.linkedin.com/in/" + f + "-" + l + "-" + hex)
        }
        if rng.chance(6) { line.string("twitter", "@" + String(f.prefix(1)) + l) }
        if rng.chance(4) { line.string("instagram", "@" + f.replacingHyphens() + "_" + l) }
        if rng.chance(70) { line.string("source", rng.pick(DemoNames.sources)) }
        if rng.chance(50) { line.string("potential", rng.pick(DemoNames.potentials)) }
        if rng.chance(60) { line.string("situation", rng.pick(DemoNames.situations)) }
        if rng.chance(60) { line.string("stage", rng.pick(DemoNames.stages)) }
        if rng.chance(80) { line.string("sales_rep", rng.pick(DemoNames.salesReps)) }
        line.bool("opt_in", rng.chance(55))
        line.bool("active", current.active ? !rng.chance(8) : !rng.chance(50))
        line.bool("is_primary", isFirst)
        if rng.chance(15) {
            line.string("comment", rng.pick(DemoNames.comments))
            if rng.chance(70) { line.string("comment_category", rng.pick(DemoNames.commentCategories)) }
        }
        let created = createdAt(after: current.createdSeconds, before: DemoGeneration.referenceSeconds)
        line.timestamp("created_at", seconds: created)
        if rng.chance(3) {
            line.openObject("custom_fields")
            switch rng.int(3) {
            case 0:
                line.string("allergies", rng.pick(["Sans gluten", "Fruits à coque", "Lactose", "Aucune"]))
                line.string("taille_tshirt", rng.pick(["S", "M", "L", "XL"]))
            case 1:
                line.string("anniversaire", DemoIdentifiers.date(DemoIdentifiers.days(rng.range(1960, 2000), rng.range(1, 12), rng.range(1, 28))))
                line.bool("vip", rng.chance(20))
            default:
                line.string("langue_preferee", rng.pick(["Français", "Anglais", "Allemand"]))
                line.bool("newsletter", rng.chance(50))
            }
            line.closeObject()
        }
        footer()
    }

    /// The company of contact `ordinal` (binary search of the prefix sums).
    func clientIndex(ofContact ordinal: Int, in prefix: [Int32]) -> Int {
        var lo = 0, hi = prefix.count - 2
        let o = Int32(ordinal)
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if prefix[mid] <= o { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    // MARK: products and events

    func buildProduct(_ r: Int) {
        let id = "pr_\(r + 1)"
        let catIndex = rng.weighted(DemoCompanies.productCategoryWeights)
        let cat = DemoCompanies.productCategories[catIndex]
        let item = rng.pick(cat.items)
        var cents = rng.range(item.minEuros * 100, item.maxEuros * 100)
        if item.maxEuros >= 200 { cents = cents / 1000 * 1000 } else if item.maxEuros >= 20 { cents = cents / 100 * 100 } else { cents = cents / 10 * 10 }
        cents = max(cents, item.minEuros * 100)
        if item.maxEuros < 200, rng.chance(15) { cents = max(100, cents - 10) }  // prices like 49.90

        header(.product, id)
        line.string("name", item.name + rng.pick(DemoCompanies.productVariants))
        line.string("reference", "PRD-" + DemoIdentifiers.padded(r + 1, 5))
        line.string("category", cat.name)
        if rng.chance(50) { line.string("description", rng.pick(DemoCompanies.productDescriptions)) }
        line.euros("unit_price", cents: cents)
        let partnerCatIndex = DemoCompanies.partnerCategories.firstIndex { $0.name == cat.partnerCategory } ?? 0
        let candidates = partnersByCategory[partnerCatIndex]
        if !candidates.isEmpty, rng.chance(90) {
            line.string("partner_id", "pa_\(Int(candidates[rng.int(candidates.count)]) + 1)")
        } else if counts.partners > 0, rng.chance(30) {
            line.string("partner_id", "pa_\(rng.int(counts.partners) + 1)")
        }
        line.timestamp("created_at", seconds: createdAt(after: DemoGeneration.epoch2018,
                                                        before: DemoGeneration.referenceSeconds))
        footer()
    }

    func buildEvent(_ e: Int) {
        let id = "ev_\(e + 1)"
        let start = rng.range(DemoGeneration.eventFirstDay, DemoGeneration.eventLastDay)
        let end = start + rng.weighted([50, 30, 15, 5])
        let year = DemoIdentifiers.civil(start).year
        let client: Int? = counts.clients > 0 && rng.chance(95)
            ? (rng.chance(70) ? rng.int(counts.clients) : rng.skewed(counts.clients)) : nil

        // Venue and city.
        var venue: String? = nil
        var city: String
        let lieux = partnersByCategory[1]
        let v = rng.int(100)
        if v < 45, !lieux.isEmpty {
            let p = Int(lieux[rng.int(lieux.count)])
            venue = partnerNames[p]
            city = partnerCities[p]
        } else if v < 85 {
            let vv = rng.pick(DemoPlaces.venues)
            venue = vv.name
            city = vv.city
        } else {
            city = frenchCity().name
        }

        let destination = rng.pick(DemoPlaces.incentiveDestinations)
        let name: String
        if let c = client {
            let short = clientShortNames[c]
            let template = rng.chance(65) ? rng.pick(DemoCompanies.eventTemplatesWithClient) : rng.pick(DemoCompanies.eventTemplatesGeneric)
            name = eventName(template, short: short, year: year, city: city, destination: destination)
        } else {
            name = eventName(rng.pick(DemoCompanies.eventTemplatesGeneric), short: "", year: year, city: city,
                             destination: destination)
        }
        if name.hasPrefix("Incentive") {
            venue = nil
            city = destination
        }

        header(.event, id)
        line.string("name", name)
        line.string("reference", "EV-\(year)-" + DemoIdentifiers.padded(e + 1, 5))
        if let c = client {
            line.string("client_id", "cl_\(c + 1)")
            let first = Int(clientFirstContact[c]), n = Int(clientFirstContact[c + 1]) - first
            if n > 0, rng.chance(90) {
                line.string("contact_id", "cc_\(first + rng.int(n) + 1)")
            }
        }
        line.date("start_date", day: start)
        line.date("end_date", day: end)
        line.string("venue", venue)
        line.string("city", city)
        let status = start < DemoGeneration.referenceDay ? rng.pick(DemoCompanies.pastStatuses) : rng.pick(DemoCompanies.futureStatuses)
        line.string("status", status)
        if rng.chance(40) {
            let d = rng.pick(DemoCompanies.eventDescriptions)
            let n = rng.range(2, 60) * 10
            line.string("description", expand(d) { _ in String(n) })
        }
        var createdDay = max(DemoIdentifiers.days(2016, 1, 1), start - rng.range(14, 300))
        if createdDay >= DemoGeneration.referenceDay { createdDay = DemoGeneration.referenceDay - rng.range(1, 120) }
        let createdSeconds = createdDay * 86_400 + rng.int(86_400)
        line.timestamp("created_at", seconds: createdSeconds)
        footer()
    }

    func eventName(_ template: String, short: String, year: Int, city: String, destination: String) -> String {
        expand(template) { token in
            switch token {
            case "S": return short
            case "Y": return String(year)
            case "C": return city
            case "B": return self.rng.pick(DemoCompanies.brands)
            case "D": return destination
            default: return ""
            }
        }
    }
}

extension String {
    func replacingHyphens() -> String {
        var s = self
        s.removeAll { $0 == "-" }
        return s
    }
}
