import DemoData
import Foundation
import Model

/// One query of a workload: the text typed, its category, and the record it should find.
struct BenchQuery: Codable {
    var category: String
    var text: String
    var expectedKind: String?
    var expectedId: String?
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

/// Query sets drawn from the generated records, per category, each with its expected record.
enum Workload {
    static func stripAccents(_ s: String) -> String {
        s.folding(options: [.diacriticInsensitive], locale: Locale(identifier: "fr_FR"))
    }

    static func words(_ s: String) -> [String] {
        s.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).map(String.init)
    }

    /// One edit at a random place of a word of at least `minLength` letters (substitution,
    /// deletion, insertion or transposition), never on the first letter.
    static func typo(_ word: String, _ rng: inout SplitMix) -> String {
        var c = Array(word.lowercased())
        let i = 1 + rng.int(max(c.count - 2, 1))
        switch rng.int(4) {
        case 0: c[i] = c[i] == "e" ? "a" : "e"
        case 1: c.remove(at: i)
        case 2: c.insert(c[i] == "r" ? "t" : "r", at: i)
        default: if i + 1 < c.count { c.swapAt(i, i + 1) } else { c[i] = c[i] == "e" ? "a" : "e" }
        }
        return String(c)
    }

    static func build(lines: [[UInt8]], perCategory: Int, seed: UInt64) -> [BenchQuery] {
        var rng = SplitMix(state: seed &+ 17)
        var companies: [Record] = [], contacts: [Record] = [], events: [Record] = [], products: [Record] = []
        for line in lines {
            guard case .object(let o)? = try? JSONValue.parse(Data(line)),
                  case .string(let type)? = o["type"], let kind = RecordKind(rawValue: type),
                  case .string(let id)? = o["id"], case .object(let body)? = o["record"] else { continue }
            let r = Record(kind: kind, id: id, fields: body)
            guard r.isActive else { continue }
            switch kind {
            case .client, .partner: companies.append(r)
            case .clientContact, .partnerContact: contacts.append(r)
            case .event: events.append(r)
            case .product: products.append(r)
            }
        }
        var out: [BenchQuery] = []
        func add(_ cat: String, _ text: String, _ r: Record?) {
            out.append(BenchQuery(category: cat, text: text, expectedKind: r?.kind.rawValue, expectedId: r?.id))
        }
        let named = companies + contacts
        func name(_ r: Record) -> String {
            r.kind.isContact ? "\(r.string("first_name") ?? "") \(r.string("last_name") ?? "")" : (r.string("name") ?? "")
        }
        for _ in 0..<perCategory {
            let r = rng.pick(named)
            let n = name(r)
            let lastWord = r.kind.isContact ? (r.string("last_name") ?? n) : (words(n).first ?? n)
            add("prefix-1", String(lastWord.prefix(1)), r)
            add("prefix-2", String(lastWord.prefix(2)), r)
            add("prefix-3", String(lastWord.prefix(3)), r)
        }
        for _ in 0..<perCategory { let r = rng.pick(named); add("whole-name", name(r), r) }
        for _ in 0..<perCategory {
            let r = rng.pick(contacts)
            add("two-words", "\(r.string("last_name") ?? "") \(r.string("first_name") ?? "")", r)
        }
        for _ in 0..<perCategory {
            let r = rng.pick(named)
            let ws = words(name(r))
            guard let w = ws.filter({ $0.count >= 5 }).max(by: { $0.count < $1.count }) else { continue }
            let t = typo(w, &rng)
            // The rule is on the word as typed: one typo from 5 letters.
            guard t.count >= 5 else { continue }
            add("typo-1", ws.map { $0 == w ? t : $0 }.joined(separator: " "), r)
        }
        for _ in 0..<perCategory {
            let r = rng.pick(named)
            let ws = words(name(r))
            guard let w = ws.first(where: { $0.count >= 9 }) else { continue }
            var t = typo(w, &rng)
            t = typo(t, &rng)
            // Two typos from 9 letters, as typed.
            guard t.count >= 9 else { continue }
            add("typo-2", ws.map { $0 == w ? t : $0 }.joined(separator: " "), r)
        }
        let accented = named.filter { name($0) != stripAccents(name($0)) }
        for _ in 0..<min(perCategory, accented.count) {
            let r = rng.pick(accented)
            add("no-accents", stripAccents(name(r)).lowercased(), r)
        }
        // French numbers (stored E.164 +33…), typed the ways people read them.
        let phoned = contacts.filter { ($0.string("phone_direct") ?? "").filter { $0.isNumber }.hasPrefix("33") }
        for i in 0..<perCategory {
            let r = rng.pick(phoned)
            let digits = (r.string("phone_direct") ?? "").filter { $0.isNumber }
            var national = digits
            if digits.hasPrefix("33") && digits.count == 11 { national = "0" + digits.dropFirst(2) }
            guard national.count == 10 else { continue }
            let a = Array(national)
            let pairs = stride(from: 0, to: 10, by: 2).map { String(a[$0..<$0 + 2]) }
            switch i % 4 {
            case 0: add("phone", pairs.joined(separator: " "), r)
            case 1: add("phone", "+33 " + String(a[1]) + " " + pairs.dropFirst().joined(separator: " "), r)
            case 2: add("phone", pairs.joined(separator: "."), r)
            default: add("phone", national, r)
            }
            add("phone-last-digits", String(national.suffix(6)), r)
        }
        let mailed = contacts.filter { $0.string("email") != nil }
        for _ in 0..<perCategory { let r = rng.pick(mailed); add("email", r.string("email")!, r) }
        let sireted = companies.filter { ($0.string("siret")?.filter { $0.isNumber }.count ?? 0) == 14 }
        for i in 0..<perCategory where !sireted.isEmpty {
            let r = rng.pick(sireted)
            let d = Array((r.string("siret") ?? "").filter { $0.isNumber })
            switch i % 3 {
            case 0: add("siret", "\(String(d[0..<3])) \(String(d[3..<6])) \(String(d[6..<9])) \(String(d[9...]))", r)
            case 1: add("siret", String(d), r)
            default: add("siret", "\(String(d[0..<3])) \(String(d[3..<6])) \(String(d[6..<9]))", r)  // SIREN
            }
        }
        let refs = events + products
        for _ in 0..<perCategory where !refs.isEmpty {
            let r = rng.pick(refs)
            if let ref = r.string("reference") { add("reference", ref, r) }
        }
        for _ in 0..<perCategory {
            var s = ""
            for _ in 0..<7 { s.append(Character(UnicodeScalar(UInt8(0x61 + rng.int(26))))) }
            add("no-match", "zq" + s, nil)
        }
        return out
    }
}
