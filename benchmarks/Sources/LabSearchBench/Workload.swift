import Foundation
import Model

/// One query of a workload: the text typed, its category, and the record it should find
/// (`expectedKind`/`expectedId` nil for the queries that should find nothing).
struct BenchQuery: Codable {
    var category: String
    var text: String
    var expectedKind: String?
    var expectedId: String?

    enum CodingKeys: String, CodingKey {
        case category, text
        case expectedKind = "expected_kind"
        case expectedId = "expected_id"
    }
}

/// A deterministic pseudo-random generator (SplitMix64), so query sets are reproducible.
struct SplitMix {
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
}

/// What the query sets need of a record: a few strings, not the whole record (1M records
/// stay small in memory).
struct LiteRecord {
    var kind: RecordKind
    var id: String
    var name: String?          // companies, events, products
    var first: String?         // contacts
    var last: String?
    var city: String?
    var phone: String?         // contacts: phone_direct
    var email: String?
    var siret: String?
    var vat: String?
    var reference: String?

    init?(_ o: [String: JSONValue]) {
        guard case .string(let type)? = o["type"], let kind = RecordKind(rawValue: type),
              case .string(let id)? = o["id"], case .object(let b)? = o["record"] else { return nil }
        if kind.hasActiveFlag, case .bool(false)? = b["active"] { return nil }   // inactive: not found by default
        self.kind = kind
        self.id = id
        name = b["name"]?.stringValue
        first = b["first_name"]?.stringValue
        last = b["last_name"]?.stringValue
        city = b["city"]?.stringValue
        phone = b["phone_direct"]?.stringValue
        email = b["email"]?.stringValue
        siret = b["siret"]?.stringValue
        vat = b["vat_number"]?.stringValue
        reference = b["reference"]?.stringValue
    }

    /// The name as shown: "First Last" for contacts, the name otherwise.
    var displayName: String {
        kind.isContact ? "\(first ?? "") \(last ?? "")" : (name ?? "")
    }
}

/// Query sets drawn from the generated records, per category, each with its expected record.
enum Workload {
    /// Categories in report order.
    static let categories = [
        "prefix-1", "prefix-2", "prefix-3", "whole-name", "first-last", "last-first", "name-city",
        "typo-1", "typo-2", "no-accents", "phone", "phone-last-digits", "email", "siret", "siren", "vat",
        "reference", "no-match",
    ]

    static let descriptions: [String: String] = [
        "prefix-1": "first letter of a name (contact's last name, company's first word)",
        "prefix-2": "first two letters of that name",
        "prefix-3": "first three letters of that name",
        "whole-name": "a company's whole name as stored",
        "first-last": "a contact typed first name then last name",
        "last-first": "a contact typed last name then first name",
        "name-city": "a company's name followed by its city",
        "typo-1": "a name with one edit (OSA distance 1) in a word of 5+ letters, as typed",
        "typo-2": "a name with two edits (OSA distance 2) in a word of 9+ letters, as typed",
        "no-accents": "a name with accents removed, lower case",
        "phone": "a contact's direct phone in another layout (spaces, dots, +33, bare digits)",
        "phone-last-digits": "the last 6 digits of a contact's direct phone",
        "email": "a contact's e-mail address",
        "siret": "a company's SIRET with spaces (3 3 3 5)",
        "siren": "a company's SIREN with spaces (3 3 3)",
        "vat": "a company's VAT number with spaces",
        "reference": "an event's or product's reference",
        "no-match": "random letters after 'zq': nothing should be found",
    ]

    static func stripAccents(_ s: String) -> String {
        s.folding(options: [.diacriticInsensitive], locale: Locale(identifier: "fr_FR"))
    }

    static func fold(_ s: String) -> String { stripAccents(s).lowercased() }

    static func words(_ s: String) -> [String] {
        s.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
    }

    /// Optimal string alignment distance (a transposition of neighbours counts as one edit).
    static func osa(_ a: String, _ b: String) -> Int {
        let s = Array(a), t = Array(b)
        if s.isEmpty { return t.count }
        if t.isEmpty { return s.count }
        var d = Array(repeating: Array(repeating: 0, count: t.count + 1), count: s.count + 1)
        for i in 0...s.count { d[i][0] = i }
        for j in 0...t.count { d[0][j] = j }
        for i in 1...s.count {
            for j in 1...t.count {
                let cost = s[i - 1] == t[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, s[i - 1] == t[j - 2], s[i - 2] == t[j - 1] {
                    d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[s.count][t.count]
    }

    /// One edit at a random place of a word (substitution, deletion, insertion or
    /// transposition), never on the first letter.
    static func typo(_ word: String, _ rng: inout SplitMix) -> String {
        var c = Array(word.lowercased())
        guard c.count >= 3 else { return word }
        let i = 1 + rng.int(max(c.count - 2, 1))
        switch rng.int(4) {
        case 0: c[i] = c[i] == "e" ? "a" : "e"
        case 1: c.remove(at: i)
        case 2: c.insert(c[i] == "r" ? "t" : "r", at: i)
        default: if i + 1 < c.count, c[i] != c[i + 1] { c.swapAt(i, i + 1) } else { c[i] = c[i] == "e" ? "a" : "e" }
        }
        return String(c)
    }

    /// Draws `perCategory` queries per category (fewer when the data has too few candidates).
    static func build(records: [LiteRecord], perCategory: Int, seed: UInt64) -> [BenchQuery] {
        var rng = SplitMix(state: seed &+ 17)
        var companies: [LiteRecord] = [], contacts: [LiteRecord] = [], refs: [LiteRecord] = []
        for r in records {
            if r.kind.isCompany, r.name != nil { companies.append(r) }
            if r.kind.isContact, r.first != nil, r.last != nil { contacts.append(r) }
            if (r.kind == .event || r.kind == .product), r.reference != nil { refs.append(r) }
        }
        let named = companies + contacts
        var out: [BenchQuery] = []
        func add(_ cat: String, _ text: String, _ r: LiteRecord?) {
            out.append(BenchQuery(category: cat, text: text, expectedKind: r?.kind.rawValue, expectedId: r?.id))
        }
        /// Draws until `perCategory` queries were added or too many draws were refused.
        func draw(_ cat: String, from pool: [LiteRecord], _ make: (LiteRecord, Int, inout SplitMix) -> String?) {
            guard !pool.isEmpty else { return }
            var made = 0, tries = 0
            while made < perCategory, tries < perCategory * 200 {
                tries += 1
                let r = rng.pick(pool)
                if let text = make(r, made, &rng) { add(cat, text, r); made += 1 }
            }
        }
        for _ in 0..<perCategory where !named.isEmpty {
            let r = rng.pick(named)
            let ws = words(r.kind.isContact ? (r.last ?? "") : (r.name ?? ""))
            let w = ws.first { $0.count >= 3 } ?? ws.first ?? ""
            add("prefix-1", String(w.prefix(1)), r)
            add("prefix-2", String(w.prefix(2)), r)
            add("prefix-3", String(w.prefix(3)), r)
        }
        draw("whole-name", from: companies) { r, _, _ in r.name }
        draw("first-last", from: contacts) { r, _, _ in "\(r.first!) \(r.last!)" }
        draw("last-first", from: contacts) { r, _, _ in "\(r.last!) \(r.first!)" }
        draw("name-city", from: companies) { r, _, _ in
            guard let c = r.city, !fold(r.name!).contains(fold(c)) else { return nil }
            return "\(r.name!) \(c)"
        }
        // Typos are drawn on the folded word and checked by their distance, as typed: one edit
        // from 5 letters, two from 9 (the engine's rule).
        draw("typo-1", from: named) { r, _, rng in
            let ws = words(r.displayName)
            guard let w = ws.filter({ $0.count >= 5 && !$0.contains(where: \.isNumber) }).max(by: { $0.count < $1.count }) else { return nil }
            let t = typo(w, &rng)
            guard t.count >= 5, osa(fold(w), fold(t)) == 1 else { return nil }
            return ws.map { $0 == w ? t : $0 }.joined(separator: " ")
        }
        draw("typo-2", from: named) { r, _, rng in
            let ws = words(r.displayName)
            let long = ws.filter { $0.count >= 9 && !$0.contains(where: \.isNumber) }
            guard !long.isEmpty else { return nil }
            let w = rng.pick(long)
            let t = typo(typo(w, &rng), &rng)
            guard t.count >= 9, osa(fold(w), fold(t)) == 2 else { return nil }
            return ws.map { $0 == w ? t : $0 }.joined(separator: " ")
        }
        draw("no-accents", from: named) { r, _, _ in
            let n = r.displayName
            let s = stripAccents(n)
            return s == n ? nil : s.lowercased()
        }
        // French numbers (stored as typed, E.164 or national), typed the ways people read them.
        func national(_ r: LiteRecord) -> [Character]? {
            var d = (r.phone ?? "").filter(\.isNumber)
            if d.hasPrefix("33"), d.count == 11 { d = "0" + d.dropFirst(2) }
            return d.count == 10 && d.hasPrefix("0") ? Array(d) : nil
        }
        draw("phone", from: contacts) { r, i, _ in
            guard let a = national(r) else { return nil }
            let pairs = stride(from: 0, to: 10, by: 2).map { String(a[$0..<$0 + 2]) }
            switch i % 4 {
            case 0: return pairs.joined(separator: " ")
            case 1: return "+33 " + String(a[1]) + " " + pairs.dropFirst().joined(separator: " ")
            case 2: return pairs.joined(separator: ".")
            default: return String(a)
            }
        }
        draw("phone-last-digits", from: contacts) { r, _, _ in national(r).map { String($0.suffix(6)) } }
        draw("email", from: contacts) { r, _, _ in r.email }
        func siretDigits(_ r: LiteRecord) -> [Character]? {
            let d = Array((r.siret ?? "").filter(\.isNumber))
            return d.count == 14 ? d : nil
        }
        draw("siret", from: companies) { r, _, _ in
            guard let d = siretDigits(r) else { return nil }
            return "\(String(d[0..<3])) \(String(d[3..<6])) \(String(d[6..<9])) \(String(d[9...]))"
        }
        draw("siren", from: companies) { r, _, _ in
            guard let d = siretDigits(r) else { return nil }
            return "\(String(d[0..<3])) \(String(d[3..<6])) \(String(d[6..<9]))"
        }
        draw("vat", from: companies) { r, i, _ in
            guard let v = r.vat else { return nil }
            let c = Array(v.filter { !$0.isWhitespace && $0 != "." && $0 != "-" }.uppercased())
            guard c.count >= 10, c[0].isLetter, c[1].isLetter else { return nil }
            if c[0] == "F", c[1] == "R", c.count == 13 {
                // FR + key + SIREN: "FR 54 234 101 657" or "FR54 234101657"
                return i % 2 == 0 ? "FR \(String(c[2..<4])) \(String(c[4..<7])) \(String(c[7..<10])) \(String(c[10...]))"
                                  : "FR\(String(c[2..<4])) \(String(c[4...]))"
            }
            // Other countries: the country code apart, the rest in groups of 3.
            let rest = Array(c[2...])
            let groups = stride(from: 0, to: rest.count, by: 3).map { String(rest[$0..<min($0 + 3, rest.count)]) }
            return String(c[0..<2]) + " " + groups.joined(separator: " ")
        }
        draw("reference", from: refs) { r, _, _ in r.reference }
        for _ in 0..<perCategory {
            var s = ""
            for _ in 0..<7 { s.append(Character(UnicodeScalar(UInt8(0x61 + rng.int(26))))) }
            add("no-match", "zq" + s, nil)
        }
        return out
    }
}
