import DemoData
import Engine
import Foundation
import Model
import Testing

// Duplicate detection (issue 4): a labelled set of pairs (probe record, existing record,
// duplicate or not), generated with a fixed seed by code separate from the detector, over a
// background of demo records. Each pair is judged by whether the detector reports the existing
// record for the probe (score ≥ the report threshold). Counting, per variation:
// - duplicate variations: TP = target reported, FN = not; FP = the best candidate is another
//   record (a wrong first answer);
// - hard non-duplicates: FP = target reported, TN = not.
// Precision = TP / (TP + FP), recall = TP / (TP + FN).

/// SplitMix64: the labelled set's own random source (fixed seed).
private struct Mix {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func int(_ n: Int) -> Int { Int(next() % UInt64(max(n, 1))) }
    mutating func pick<T>(_ a: [T]) -> T { a[int(a.count)] }
    mutating func chance(_ percent: Int) -> Bool { int(100) < percent }
}

/// One labelled pair.
private struct LabelledPair {
    var variation: String
    var duplicate: Bool
    var kind: RecordKind
    var probe: [String: JSONValue]
    var target: String
}

/// Builds the labelled set from stored records. Knows nothing of the detector.
private struct PairGenerator {
    var rng = Mix(state: 0xD0_0B1E)
    let companies: [Record]   // clients and partners with a SIRET
    let contacts: [Record]
    let companiesById: [String: Record]

    static let legalForms = ["SAS", "SARL", "SA", "SASU", "EURL", "SNC", "SCOP", "S.A.S.", "S.A.R.L."]
    static let cities = ["Brest", "Nancy", "Perpignan", "Limoges", "Amiens", "Tours", "Besançon", "Poitiers", "Pau", "Metz"]
    static let firstNames = ["Amandine", "Bastien", "Coralie", "Damien", "Estelle", "Florent", "Gaëlle", "Hugo", "Inès", "Jérôme",
                             "Karine", "Ludovic", "Maëlys", "Nicolas", "Océane", "Pascal", "Rémi", "Solène", "Thibault", "Victor"]

    // MARK: text helpers

    static func stripAccents(_ s: String) -> String {
        s.folding(options: [.diacriticInsensitive], locale: Locale(identifier: "fr_FR"))
    }

    static func words(_ s: String) -> [String] { s.split(separator: " ").map(String.init) }

    static func isLegal(_ w: String) -> Bool {
        let k = w.uppercased().replacingOccurrences(of: ".", with: "")
        return ["SAS", "SARL", "SA", "SASU", "EURL", "SNC", "SCOP", "SCI", "GMBH", "SRL", "BV", "AG", "KG", "SL", "SÀRL"].contains(k)
    }

    static func withoutLegalForm(_ name: String) -> String {
        words(name).filter { !isLegal($0) }.joined(separator: " ")
    }

    mutating func typo(_ word: String) -> String {
        var c = Array(word)
        guard c.count >= 6 else { return word }
        let i = 1 + rng.int(c.count - 2)
        switch rng.int(3) {
        case 0: c[i] = c[i] == "e" ? "a" : "e"                  // substitution
        case 1: c.remove(at: i)                                 // deletion
        default: c.swapAt(i, i + 1 < c.count ? i + 1 : i - 1)   // transposition
        }
        return String(c)
    }

    /// A name with one typo in its longest word (nil when no word is long enough).
    mutating func typoName(_ name: String) -> String? {
        var w = Self.words(name)
        guard let i = w.indices.filter({ w[$0].count >= 6 && w[$0].allSatisfy(\.isLetter) }).max(by: { w[$0].count < w[$1].count }) else { return nil }
        let t = typo(w[i])
        guard t != w[i] else { return nil }
        w[i] = t
        return w.joined(separator: " ")
    }

    mutating func siretTyped(_ s: String) -> String {
        let c = Array(s)
        switch rng.int(3) {
        case 0: return String(c[0..<3]) + " " + String(c[3..<6]) + " " + String(c[6..<9]) + " " + String(c[9...])
        case 1: return String(c[0..<9]) + " " + String(c[9...])
        default: return String(c[0..<3]) + "." + String(c[3..<6]) + "." + String(c[6..<9]) + "." + String(c[9...])
        }
    }

    static func luhnDigit(_ body: [Int]) -> Int {
        // The digit d making body + [d] Luhn-valid.
        for d in 0...9 {
            var sum = 0
            for (i, v) in (body + [d]).reversed().enumerated() {
                var x = v
                if i % 2 == 1 { x *= 2; if x > 9 { x -= 9 } }
                sum += x
            }
            if sum % 10 == 0 { return d }
        }
        return 0
    }

    mutating func siret(siren: String? = nil) -> String {
        var s = siren.map { $0.compactMap { Int(String($0)) } } ?? []
        if s.isEmpty {
            s = [1 + rng.int(8)] + (0..<7).map { _ in rng.int(10) }
            s.append(Self.luhnDigit(s))
        }
        var all = s + [0, 0] + (0..<2).map { _ in rng.int(10) }
        all.append(Self.luhnDigit(all))
        return all.map(String.init).joined()
    }

    mutating func phoneTyped(_ e164: String) -> String {
        guard e164.hasPrefix("+33"), e164.count == 12 else { return e164 }
        let n = Array("0" + e164.dropFirst(3))
        let pairs = stride(from: 0, to: 10, by: 2).map { String(n[$0..<$0 + 2]) }
        switch rng.int(4) {
        case 0: return pairs.joined(separator: " ")
        case 1: return pairs.joined(separator: ".")
        case 2: return "+33 " + String(n[1]) + " " + pairs.dropFirst().joined(separator: " ")
        default: return "0033" + String(n.dropFirst())
        }
    }

    mutating func randomPhone() -> String { "07" + (0..<8).map { _ in String(rng.int(10)) }.joined() }

    static func domain(_ email: String?) -> String? {
        guard let e = email, let at = e.lastIndex(of: "@") else { return nil }
        return String(e[e.index(after: at)...])
    }

    static let webmail: Set<String> = ["gmail.com", "yahoo.fr", "hotmail.fr", "orange.fr", "free.fr", "wanadoo.fr", "laposte.net", "outlook.fr", "sfr.fr", "hotmail.com", "icloud.com"]

    func body(_ r: Record, _ fields: [String]) -> [String: JSONValue] {
        var o: [String: JSONValue] = [:]
        for f in fields { if let v = r.fields[f] { o[f] = v } }
        return o
    }

    // MARK: pairs

    mutating func companyPairs(per n: Int) -> [LabelledPair] {
        var out: [LabelledPair] = []
        var order = companies
        for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, rng.int(i + 1)) }
        var k = 0
        func next() -> Record { defer { k += 1 }; return order[k % order.count] }
        func add(_ v: String, _ dup: Bool, _ r: Record, _ probe: [String: JSONValue]) {
            out.append(LabelledPair(variation: v, duplicate: dup, kind: r.kind, probe: probe, target: r.id))
        }
        for _ in 0..<n {
            // Same SIRET typed with separators, under a trade name.
            var r = next()
            add("siret", true, r, ["name": .string("Enseigne " + rng.pick(["Horizon", "Lumière", "Azur", "Cap"])),
                                   "siret": .string(siretTyped(r.string("siret")!))])
            // Another establishment of the same company (same SIREN), elsewhere.
            r = next()
            add("siren", true, r, ["name": .string(r.string("name")!), "city": .string(rng.pick(Self.cities)),
                                   "siret": .string(siret(siren: String(r.string("siret")!.prefix(9))))])
            // Same VAT, spaces and case changed.
            if let vat = (companies.dropFirst(k % companies.count) + companies).first(where: { $0.string("vat_number")?.hasPrefix("FR") == true }) {
                let v = vat.string("vat_number")!
                let typed = String(v.prefix(2)).lowercased() + " " + String(v.dropFirst(2).prefix(2)) + " " + String(v.dropFirst(4))
                add("vat", true, vat, ["name": .string("Enseigne " + rng.pick(["Nova", "Atlas", "Zenith"])), "vat_number": .string(typed)])
                k += 1
            }
            // Same website domain written otherwise, name with a typo.
            if let w = (companies.dropFirst(k % companies.count) + companies).first(where: { $0.string("website") != nil && typoName($0.string("name")!) != nil }) {
                let host = w.string("website")!.replacingOccurrences(of: "https://", with: "").replacingOccurrences(of: "www.", with: "")
                add("website_domain", true, w, ["name": .string(typoName(w.string("name")!)!),
                                                "website": .string(rng.pick(["http://", "www.", "HTTPS://WWW."]) + host + rng.pick(["", "/contact", "/?lang=fr"]))])
                k += 1
            }
            // Legal form added, removed or changed; same city.
            r = next()
            add("name_legal_form", true, r, ["name": .string(Self.withoutLegalForm(r.string("name")!) + " " + rng.pick(Self.legalForms)),
                                             "city": r.fields["city"] ?? .null])
            // "Sté"/"Société" prefix, "&"/"et".
            r = next()
            var nm = Self.withoutLegalForm(r.string("name")!)
            nm = nm.contains("&") ? nm.replacingOccurrences(of: "&", with: "et") : nm.replacingOccurrences(of: " et ", with: " & ")
            add("name_societe_et", true, r, ["name": .string(rng.pick(["Sté ", "Société ", "STE "]) + nm), "city": r.fields["city"] ?? .null])
            // Accents, case, punctuation, apostrophes.
            r = next()
            let ac = Self.stripAccents(r.string("name")!).uppercased().replacingOccurrences(of: "'", with: " ")
                .replacingOccurrences(of: "’", with: "").replacingOccurrences(of: "-", with: " ")
            add("name_accents_case_punct", true, r, ["name": .string(rng.chance(50) ? ac : ac.lowercased()), "city": r.fields["city"] ?? .null])
            // Word order.
            if let wo = (companies.dropFirst(k % companies.count) + companies).first(where: { Self.words(Self.withoutLegalForm($0.string("name")!)).count >= 2 }) {
                var w = Self.words(Self.withoutLegalForm(wo.string("name")!))
                w.swapAt(0, w.count - 1)
                add("name_word_order", true, wo, ["name": .string(w.joined(separator: " ")), "postal_code": wo.fields["postal_code"] ?? .null])
                k += 1
            }
            // A typo.
            if let ty = (companies.dropFirst(k % companies.count) + companies).first(where: { typoName($0.string("name")!) != nil }) {
                add("name_typo", true, ty, ["name": .string(typoName(ty.string("name")!)!), "city": ty.fields["city"] ?? .null])
                k += 1
            }
            // Hard non-duplicates: same name, another SIRET (another company), another city.
            r = next()
            add("not: same name, other SIRET and city", false, r, ["name": .string(r.string("name")!), "city": .string(rng.pick(Self.cities)),
                                                                  "siret": .string(siret())])
            // A subsidiary of the group: the group's name and one more word, its own SIRET, maybe the group's site.
            r = next()
            var sub: [String: JSONValue] = ["name": .string(Self.withoutLegalForm(r.string("name")!) + " " + rng.pick(["Services", "Événements", "Immobilier", "Normandie", "International", "Renouvelables"])),
                                            "city": r.fields["city"] ?? .null]
            if rng.chance(50) { sub["siret"] = .string(siret()) }
            if let w = r.string("website") { sub["website"] = .string(w) }
            add("not: subsidiary of the group", false, r, sub)
            // Another company sharing a word of the name.
            r = next()
            let words = Set(Self.words(Self.withoutLegalForm(r.string("name")!)).filter { $0.count >= 4 })
            if let other = companies.first(where: { o in o.id != r.id && o.kind == r.kind && o.string("siret")!.prefix(9) != r.string("siret")!.prefix(9)
                && Self.withoutLegalForm(o.string("name")!) != Self.withoutLegalForm(r.string("name")!)
                && !Set(Self.words(Self.withoutLegalForm(o.string("name")!))).isDisjoint(with: words) }) {
                add("not: other company sharing a word", false, r, body(other, ["name", "city", "postal_code", "siret", "website"]))
            }
        }
        return out
    }

    mutating func contactPairs(per n: Int) -> [LabelledPair] {
        var out: [LabelledPair] = []
        var order = contacts
        for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, rng.int(i + 1)) }
        var k = 0
        func next(_ ok: (Record) -> Bool = { _ in true }) -> Record? {
            for _ in 0..<order.count {
                let r = order[k % order.count]; k += 1
                if ok(r) { return r }
            }
            return nil
        }
        func add(_ v: String, _ dup: Bool, _ r: Record, _ probe: [String: JSONValue]) {
            out.append(LabelledPair(variation: v, duplicate: dup, kind: r.kind, probe: probe, target: r.id))
        }
        func company(_ r: Record) -> (String, JSONValue) { (r.kind.companyField!, r.fields[r.kind.companyField!]!) }
        for _ in 0..<n {
            if let r = next({ $0.string("email") != nil }) {
                let e = r.string("email")!
                add("email", true, r, ["first_name": r.fields["first_name"]!, "last_name": r.fields["last_name"]!,
                                       "email": .string(rng.chance(50) ? " " + e.uppercased() + " " : e.capitalized)])
            }
            if let r = next({ $0.string("phone_direct")?.hasPrefix("+33") == true || $0.string("phone_mobile")?.hasPrefix("+33") == true }) {
                let p = r.string("phone_direct")?.hasPrefix("+33") == true ? r.string("phone_direct")! : r.string("phone_mobile")!
                let (f, l) = (r.string("first_name")!, r.string("last_name")!)
                add("phone", true, r, ["first_name": .string(f), "last_name": .string(l),
                                       "email": .string(Self.stripAccents(f + "." + l).lowercased().replacingOccurrences(of: " ", with: "") + "@gmail.com"),
                                       rng.pick(["phone_direct", "phone_mobile"]): .string(phoneTyped(p))])
            }
            if let r = next() {
                let (cf, cv) = company(r)
                add("name_swapped", true, r, ["first_name": r.fields["last_name"]!, "last_name": r.fields["first_name"]!, cf: cv])
            }
            if let r = next({ c in let n = c.string("first_name")! + c.string("last_name")!; return n != Self.stripAccents(n) || n.contains("-") || n.contains("'") }) {
                let (cf, cv) = company(r)
                func strip(_ s: String) -> String { Self.stripAccents(s).replacingOccurrences(of: "-", with: rng.chance(50) ? " " : "").replacingOccurrences(of: "'", with: "") }
                add("name_accents_hyphens", true, r, ["first_name": .string(strip(r.string("first_name")!)),
                                                      "last_name": .string(rng.chance(50) ? strip(r.string("last_name")!).uppercased() : strip(r.string("last_name")!)), cf: cv])
            }
            if let r = next() {
                let (cf, cv) = company(r)
                let f = r.string("first_name")!
                let initials = f.split(separator: "-").map { String($0.prefix(1)) + "." }.joined(separator: "-")
                add("initial", true, r, ["first_name": .string(rng.chance(70) ? initials : String(f.prefix(1))), "last_name": r.fields["last_name"]!, cf: cv])
            }
            if let r = next({ $0.string("last_name")!.count >= 6 || $0.string("first_name")!.count >= 6 }) {
                let (cf, cv) = company(r)
                var probe: [String: JSONValue] = ["first_name": r.fields["first_name"]!, "last_name": r.fields["last_name"]!, cf: cv]
                if r.string("last_name")!.count >= 6 { probe["last_name"] = .string(typo(r.string("last_name")!)) }
                else { probe["first_name"] = .string(typo(r.string("first_name")!)) }
                add("name_typo", true, r, probe)
            }
            if let r = next({ c in Self.domain(c.string("email")).map { !Self.webmail.contains($0) } ?? false }) {
                let d = Self.domain(r.string("email"))!
                let f = r.string("first_name")!, l = r.string("last_name")!
                add("same_domain_name", true, r, ["first_name": .string(f.uppercased()), "last_name": .string(l.lowercased()),
                                                  "email": .string(Self.stripAccents(String(f.prefix(1)) + l).lowercased().filter { $0.isLetter } + "@" + d)])
            }
            // Hard non-duplicates: a namesake in another company.
            if let r = next(), let other = companiesById.values.filter({ $0.kind == r.kind.companyKind && $0.id != r.companyId }).sorted(by: { $0.id < $1.id }).dropFirst(rng.int(50)).first {
                let dom = (other.string("website") ?? "https://www.autre-societe.fr").replacingOccurrences(of: "https://", with: "").replacingOccurrences(of: "www.", with: "")
                add("not: namesake in another company", false, r, ["first_name": r.fields["first_name"]!, "last_name": r.fields["last_name"]!,
                                                                    r.kind.companyField!: .string(other.id),
                                                                    "email": .string(Self.stripAccents(r.string("first_name")! + "." + r.string("last_name")!).lowercased().filter { $0.isLetter || $0 == "." } + "@" + dom),
                                                                    "phone_direct": .string(randomPhone())])
            }
            // A colleague with the same last name.
            if let r = next() {
                let (cf, cv) = company(r)
                let f = r.string("first_name")!
                let other = Self.firstNames.filter { $0.prefix(1) != f.prefix(1) }
                let nf = other[rng.int(other.count)]
                var p: [String: JSONValue] = ["first_name": .string(nf), "last_name": r.fields["last_name"]!, cf: cv, "phone_direct": .string(randomPhone())]
                if let d = Self.domain(r.string("email")), !Self.webmail.contains(d) {
                    p["email"] = .string(Self.stripAccents(nf + "." + r.string("last_name")!).lowercased().filter { $0.isLetter || $0 == "." } + "@" + d)
                }
                add("not: colleague with the same last name", false, r, p)
            }
            // Another person on the same switchboard.
            if let r = next({ $0.string("phone_switchboard") != nil }) {
                let (cf, cv) = company(r)
                let nf = Self.firstNames[rng.int(Self.firstNames.count)]
                add("not: colleague on the same switchboard", false, r, ["first_name": .string(nf), "last_name": .string("Vasseur-" + nf), cf: cv,
                                                                         "phone_switchboard": .string(phoneTyped(r.string("phone_switchboard")!)),
                                                                         "phone_direct": .string(randomPhone())])
            }
        }
        return out
    }
}

/// Hand-made acronym pairs: synthetic organisations stored under their full name or their
/// acronym; the probe is the other form, in the same city.
private func acronymCompanies(_ rng: inout Mix) -> (lines: [String], pairs: [LabelledPair]) {
    let heads = ["Agence", "Bureau", "Centre", "Groupement", "Institut", "Office", "Union", "Fédération", "Cabinet", "Atelier"]
    let adjectives = ["Régional", "National", "Européen", "Parisien", "Lyonnais", "Normand", "Breton", "Alsacien", "Provençal", "Atlantique"]
    let domains = ["Transport", "Tourisme", "Communication", "Événementiel", "Logistique", "Formation", "Ingénierie", "Commerce", "Hôtellerie", "Spectacle"]
    let cities = ["Lille", "Rennes", "Dijon", "Grenoble", "Reims", "Caen", "Nîmes", "Orléans"]
    var lines: [String] = []
    var pairs: [LabelledPair] = []
    var used = Set<String>()
    var i = 0
    while pairs.count < 40 {
        let h = rng.pick(heads), a = rng.pick(adjectives), d = rng.pick(domains)
        let acr = String([h, a, d].map { $0.prefix(1) }.joined()).uppercased()
        guard used.insert(acr).inserted else { continue }
        i += 1
        let full = "\(h) \(a) \(rng.pick(["de", "du", "des"])) \(d)"
        let city = rng.pick(cities)
        let storedFull = i % 2 == 0
        let id = "acr_\(i)"
        lines.append(upsertLine(.client, id, ["name": storedFull ? full : acr, "city": city]))
        pairs.append(LabelledPair(variation: "acronym", duplicate: true, kind: .client,
                                  probe: ["name": .string(storedFull ? acr : full), "city": .string(city)], target: id))
    }
    return (lines, pairs)
}

@Suite(.serialized) struct DuplicatesTests {

    @Test func labelledSetPrecisionRecall() throws {
        let te = try TestEngine("duplicates")
        defer { te.close() }
        let tenant = try te.engine.createTenant("acme")
        var lines: [String] = []
        DemoDataGenerator(size: 3000, seed: 11).generate { lines.append($0) }
        var rng = Mix(state: 42)
        let acr = acronymCompanies(&rng)
        tenant.load((lines + acr.lines).joined(separator: "\n"))

        // The stored (normalized) records the pairs start from.
        var companies: [Record] = [], contacts: [Record] = [], byId: [String: Record] = [:]
        for line in lines {
            guard let obj = try? JSONValue.parse(Data(line.utf8)).objectValue, let type = obj["type"]?.stringValue,
                  let kind = RecordKind(rawValue: type), kind.isCompany || kind.isContact, let id = obj["id"]?.stringValue,
                  let r = try tenant.get(RecordKey(kind: kind, id: id)) else { continue }
            if kind.isCompany {
                byId[id] = r
                if r.string("siret") != nil { companies.append(r) }
            } else if r.string("first_name") != nil, r.string("last_name") != nil, r.companyId != nil {
                contacts.append(r)
            }
        }
        var gen = PairGenerator(companies: companies, contacts: contacts, companiesById: byId)
        let pairs = gen.companyPairs(per: 25) + gen.contactPairs(per: 28) + acr.pairs
        #expect(pairs.count >= 500)

        struct Tally { var tp = 0, fn = 0, fp = 0, tn = 0, n = 0, duplicate = true }
        var tallies: [String: Tally] = [:]
        var order: [String] = []
        var times: [Double] = []
        var misses: [String] = []
        for p in pairs {
            let t0 = DispatchTime.now().uptimeNanoseconds
            let found = try tenant.duplicates(kind: p.kind, body: p.probe)
            times.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
            let reported = found.contains { $0.id == p.target }
            if tallies[p.variation] == nil { order.append(p.variation); tallies[p.variation] = Tally(duplicate: p.duplicate) }
            tallies[p.variation]!.n += 1
            if p.duplicate {
                if reported { tallies[p.variation]!.tp += 1 } else { tallies[p.variation]!.fn += 1 }
                if let best = found.first, best.id != p.target { tallies[p.variation]!.fp += 1 }
                if !reported, misses.count < 40 { misses.append("missed \(p.variation): \(p.probe) → \(p.target) got \(found.map { "\($0.id) \($0.score)" })") }
            } else {
                if reported { tallies[p.variation]!.fp += 1 } else { tallies[p.variation]!.tn += 1 }
                if reported, misses.count < 40 { misses.append("false positive \(p.variation): \(p.probe) → \(p.target) \(found.first { $0.id == p.target }!)") }
            }
        }
        func ratio(_ a: Int, _ b: Int) -> Double { b == 0 ? 1 : Double(a) / Double(b) }
        func f1(_ p: Double, _ r: Double) -> Double { p + r == 0 ? 0 : 2 * p * r / (p + r) }
        func fmt(_ x: Double) -> String { String(format: "%.3f", x) }
        var table = "variation                                  pairs   TP   FN   FP   TN  precision  recall     F1\n"
        var all = Tally()
        for v in order {
            let t = tallies[v]!
            all.tp += t.tp; all.fn += t.fn; all.fp += t.fp; all.tn += t.tn; all.n += t.n
            let p = ratio(t.tp, t.tp + t.fp), r = ratio(t.tp, t.tp + t.fn)
            let name = v.padding(toLength: 42, withPad: " ", startingAt: 0)
            let cols = [t.n, t.tp, t.fn, t.fp, t.tn].map { String($0).leftPad(5) }.joined()
            table += t.duplicate ? "\(name)\(cols)  \(fmt(p).leftPad(9))  \(fmt(r).leftPad(6))  \(fmt(f1(p, r)).leftPad(5))\n"
                                 : "\(name)\(cols)  \("—".leftPad(9))  \("—".leftPad(6))  \("—".leftPad(5))\n"
        }
        let precision = ratio(all.tp, all.tp + all.fp), recall = ratio(all.tp, all.tp + all.fn)
        table += "ALL".padding(toLength: 42, withPad: " ", startingAt: 0)
            + [all.n, all.tp, all.fn, all.fp, all.tn].map { String($0).leftPad(5) }.joined()
            + "  \(fmt(precision).leftPad(9))  \(fmt(recall).leftPad(6))  \(fmt(f1(precision, recall)).leftPad(5))\n"
        times.sort()
        let p50 = times[times.count / 2], p99 = times[min(times.count - 1, times.count * 99 / 100)]
        print("Duplicate detection, labelled set of \(pairs.count) pairs over \(lines.count) demo records:\n" + table
              + "latency per check: p50 \(fmt(p50)) ms, p99 \(fmt(p99)) ms, max \(fmt(times.last!)) ms\n"
              + misses.joined(separator: "\n"))

        // Floors a little under the measured figures (see the printed table).
        #expect(precision >= 0.97, "precision \(precision)")
        #expect(recall >= 0.97, "recall \(recall)")
        for v in order {
            let t = tallies[v]!
            // (An empty variation proves nothing: each must have pairs of its own.)
            #expect(t.n >= 5, "variation \(v) has \(t.n) pairs")
            if t.duplicate {
                #expect(t.tp + t.fn > 0 && ratio(t.tp, t.tp + t.fn) >= 0.9, "recall of \(v)")
            } else {
                #expect(t.fp <= max(1, t.n / 20), "false positives of \(v)")
            }
        }
    }

    @Test func examples() throws {
        let te = try TestEngine("duplicates-examples")
        defer { te.close() }
        let tenant = try te.engine.createTenant("acme")
        tenant.load([
            upsertLine(.client, "edf", ["name": "Électricité de France", "city": "Paris", "siret": "55208131766522"]),
            upsertLine(.client, "dup", ["name": "Dupont & Fils SARL", "city": "Lyon", "website": "https://www.dupont-fils.fr"]),
            upsertLine(.client, "old", ["name": "Ancienne Maison Roux", "city": "Tours", "active": false]),
            upsertLine(.clientContact, "jd", ["client_id": "dup", "first_name": "Jean-François", "last_name": "Dupont",
                                              "email": "jf.dupont@dupont-fils.fr", "phone_direct": "06 12 34 56 78"]),
        ].joined(separator: "\n"))

        func reasons(_ kind: RecordKind, _ body: [String: JSONValue], _ id: String) throws -> [String]? {
            try tenant.duplicates(kind: kind, body: body).first { $0.id == id }.map { $0.reasons.map(\.rawValue) }
        }
        #expect(try reasons(.client, ["name": "EDF"], "edf") == ["acronym"])
        #expect(try reasons(.client, ["siret": "552 081 317 66522"], "edf")?.first == "siret")
        #expect(try reasons(.client, ["siret": "552 081 317 00010"], "edf") == ["siren"])
        #expect(try reasons(.client, ["name": "Sté DUPONT ET FILS", "city": "Lyon"], "dup") == ["name"])
        #expect(try reasons(.client, ["name": "Fils Dupont", "website": "dupont-fils.fr/contact"], "dup") == ["name", "website_domain"])
        let inactive = try tenant.duplicates(kind: .client, body: ["name": "Ancienne Maison Roux"])
        #expect(inactive.first?.id == "old" && inactive.first?.active == false)
        // The best candidate of an identical SIRET blocks creation; a SIREN alone does not.
        let cfg = DuplicateConfig.default
        #expect(try tenant.duplicates(kind: .client, body: ["siret": "55208131766522"]).first!.score >= cfg.blockThreshold)
        #expect(try tenant.duplicates(kind: .client, body: ["siret": "55208131700010"]).first!.score < cfg.blockThreshold)

        #expect(try reasons(.clientContact, ["client_id": "dup", "first_name": "J.-F.", "last_name": "Dupont"], "jd") == ["initial"])
        #expect(try reasons(.clientContact, ["client_id": "dup", "first_name": "Dupont", "last_name": "Jean-François"], "jd") == ["name_swapped"])
        #expect(try reasons(.clientContact, ["client_id": "dup", "first_name": "Jean Francois", "last_name": "DUPONT"], "jd") == ["name_similar"])
        #expect(try reasons(.clientContact, ["first_name": "Jean-François", "last_name": "Dupont", "email": "jfd@dupont-fils.fr"], "jd") == ["name"])
        #expect(try reasons(.clientContact, ["email": " JF.Dupont@Dupont-Fils.fr"], "jd") == ["email"])
        #expect(try reasons(.clientContact, ["phone_mobile": "+33 6 12 34 56 78"], "jd") == ["phone"])
        // A namesake elsewhere (no shared company or domain) is not a duplicate.
        #expect(try reasons(.clientContact, ["first_name": "Jean-François", "last_name": "Dupont", "email": "jf@gmail.com"], "jd") == nil)
        // Events and products have no duplicate check.
        #expect(try tenant.duplicates(kind: .event, body: ["name": "Dupont & Fils"]).isEmpty)
    }
}

private extension String {
    func leftPad(_ n: Int) -> String { count >= n ? self : String(repeating: " ", count: n - count) + self }
}
