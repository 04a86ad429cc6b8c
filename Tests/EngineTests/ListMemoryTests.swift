import Engine
import Foundation
import Model
import Store
import Testing

/// The in-memory list engine (a column snapshot plus the rows written since) answers exactly as
/// the SQL one: the same rows in the same order, totals, groups, counts, keys and cursors, for
/// random queries of every filter kind, sort and grouping, on a snapshot fresh, stale (writes
/// since it was taken: updates, moves, deletions, creations) and rebuilt.
@Suite("List engines agree") struct ListMemoryTests {
    /// A small deterministic generator (tests must replay).
    struct Rand {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return state >> 33
        }
        mutating func int(_ n: Int) -> Int { Int(next() % UInt64(max(n, 1))) }
        mutating func pick<T>(_ a: [T]) -> T { a[int(a.count)] }
        mutating func chance(_ p: Double) -> Bool { Double(next() % 10_000) / 10_000 < p }
    }

    static let names = ["Émeraude", "emma", "Élodie", "Éloïse", "Œuvre", "Odile", "Olivier", "La Poste", "Laposte", "Zèbre",
                        "Atelier", "Dupont", "dupont", "Martin", "Saint-Éxupéry", "Traiteur", "Agro", "agroalimentaire", "Élan", "Ève"]
    static let cities = ["Lyon", "lyon", "Paris", "Saint-Étienne", "Saint Etienne", "Marseille", "Lille", "Nantes", "", "Évry"]
    static let types = ["Agence", "agence", "Traiteur", "Association", "Entreprise", "Start-up", ""]
    static let sources = ["Salon", "salon", "Site web", "Recommandation", ""]
    static let langs = ["fr", "en", "fr, en", "de,fr", "es", ""]
    static let firsts = ["Jeanne", "Paul", "Émile", "Marie", "Éloïse", "Élodie", "Emma", "Zoé"]
    static let lasts = ["Martel", "Brun", "Dupont", "dupont", "Éluard", "Œillet", "Martin", "Zola", "Élan"]

    static func clientLine(_ r: inout Rand, _ i: Int) -> String {
        var f: [String: Any] = ["name": "\(r.pick(names)) \(r.pick(names)) \(i % 7)"]
        let city = r.pick(cities)
        if !city.isEmpty { f["city"] = city }
        let type = r.pick(types)
        if !type.isEmpty { f["type"] = type }
        let lang = r.pick(langs)
        if !lang.isEmpty { f["language"] = lang }
        if r.chance(0.7) { f["created_at"] = String(format: "20%02d-%02d-%02dT%02d:00:00Z", 20 + r.int(5), 1 + r.int(12), 1 + r.int(28), r.int(24)) }
        if r.chance(0.15) { f["active"] = false }
        if r.chance(0.5) { f["postal_code"] = String(format: "%05d", 1000 + r.int(95_000)) }
        return upsertLine(.client, String(format: "c%04d", i), f)
    }

    static func contactLine(_ r: inout Rand, _ i: Int, clients: Int) -> String {
        var f: [String: Any] = ["first_name": r.pick(firsts), "last_name": r.pick(lasts), "client_id": String(format: "c%04d", r.int(clients))]
        let s = r.pick(sources)
        if !s.isEmpty { f["source"] = s }
        if r.chance(0.3) { f["is_primary"] = true }
        if r.chance(0.4) { f["opt_in"] = r.chance(0.5) }
        if r.chance(0.5) { f["phone_direct"] = "06 \(10 + r.int(89)) \(10 + r.int(89)) \(10 + r.int(89)) \(10 + r.int(89))" }
        if r.chance(0.1) { f["active"] = false }
        return upsertLine(.clientContact, String(format: "p%04d", i), f)
    }

    static func eventLine(_ r: inout Rand, _ i: Int, clients: Int, contacts: Int) -> String {
        upsertLine(.event, String(format: "e%04d", i), ["name": "Événement \(r.pick(names))", "client_id": String(format: "c%04d", r.int(clients)),
                                                       "contact_id": String(format: "p%04d", r.int(contacts))])
    }

    /// A random operand for `c`.
    static func operand(_ r: inout Rand, _ c: ListColumn) -> Any {
        switch c.type {
        case .number: return Double(r.int(4))
        case .bool: return r.chance(0.5)
        case .date: return String(format: "20%02d-%02d-%02d", 20 + r.int(5), 1 + r.int(12), 1 + r.int(28))
        case .text, .select:
            let pool = names + cities + types + sources + langs + firsts + lasts + ["06 1", "c00", "Saint", "é", "ar", "7501"]
            let s = r.pick(pool)
            if r.chance(0.3), s.count > 2 { return String(s.prefix(1 + r.int(s.count - 1))) }
            return s
        }
    }

    static func randomQuery(_ r: inout Rand, _ list: ListName) -> [String: Any] {
        let cols = list.columns.filter { !$0.isCustom }
        var q: [String: Any] = ["limit": 1 + r.int(6)]
        var filters: [[String: Any]] = []
        for _ in 0..<r.int(3) {
            let c = r.pick(cols)
            let op = r.pick(c.type.ops)
            var f: [String: Any] = ["column": c.name, "op": op.rawValue]
            switch op {
            case .empty, .notEmpty: break
            case .in: f["values"] = (0...r.int(2)).map { _ in operand(&r, c) }
            case .between:
                if r.chance(0.8) { f["from"] = operand(&r, c) }
                if f["from"] == nil || r.chance(0.6) { f["to"] = operand(&r, c) }
            default: f["values"] = [operand(&r, c)]
            }
            filters.append(f)
        }
        if !filters.isEmpty { q["filters"] = filters }
        if r.chance(0.7) {
            q["sort"] = (0...r.int(2)).map { _ in ["column": r.pick(cols).name, "dir": r.chance(0.5) ? "asc" : "desc"] }
        }
        if r.chance(0.25) { q["group_by"] = r.pick(cols.filter { $0.type != .date || r.chance(0.2) }).name }
        if r.chance(0.2) { q["include_inactive"] = true }
        if r.chance(0.15) { q["q"] = r.pick(list == .clients ? names : lasts) }
        return q
    }

    /// Runs `body` through both engines and follows the cursors (pages and one group's pages).
    static func compare(_ t: Tenant, _ list: ListName, _ body: [String: Any], note: String) throws -> Int {
        var pages = 0
        var memory = 0
        var request = try ListRequest.parse(JSONValue.parseFast(String(decoding: JSONSerialization.data(withJSONObject: body), as: UTF8.self)), list: list)
        for _ in 0..<12 {
            request.engine = .sql
            let a = try t.list(request)
            request.engine = .memory
            let b = try t.list(request)
            if b.fromMemory { memory += 1 }
            #expect(!a.fromMemory)
            var ja = a.json, jb = b.json
            if case .object(var o) = ja { o["took_ms"] = nil; ja = .object(o) }
            if case .object(var o) = jb { o["took_ms"] = nil; jb = .object(o) }
            #expect(ja == jb, "\(note) \(body) page \(pages): sql \(ja) vs memory \(jb)")
            if ja != jb { return pages }
            pages += 1
            if let g = a.groups?.first(where: { $0.nextCursor != nil }), request.cursor == nil {
                var inGroup = request
                inGroup.cursor = g.nextCursor
                inGroup.engine = .sql
                let ga = try t.list(inGroup)
                inGroup.engine = .memory
                let gb = try t.list(inGroup)
                #expect(ga.rows.map(\.id) == gb.rows.map(\.id) && ga.total == gb.total && ga.nextCursor == gb.nextCursor,
                        "\(note) \(body) group page")
            }
            guard let next = a.nextCursor else { break }
            request.cursor = next
        }
        // Every query here has only snapshot columns: the memory engine answered each page.
        #expect(memory == pages, "\(note) \(body): SQL answered for the memory engine")
        return pages
    }

    @Test func enginesAgreeFreshStaleAndRebuilt() throws {
        let e = try TestEngine("lists-memory")
        defer { e.close() }
        let t = try e.engine.createTenant("t")
        var r = Rand(state: 20261207)
        let nClients = 160, nContacts = 260
        var lines: [String] = []
        for i in 0..<nClients { lines.append(Self.clientLine(&r, i)) }
        for i in 0..<nContacts { lines.append(Self.contactLine(&r, i, clients: nClients)) }
        for i in 0..<120 { lines.append(Self.eventLine(&r, i, clients: nClients, contacts: nContacts)) }
        #expect(t.load(lines.joined(separator: "\n")).errors.isEmpty)
        try t.warmList(.clients)
        try t.warmList(.contacts)

        var pages = 0
        func round(_ label: String, _ n: Int) throws {
            for i in 0..<n {
                let list: ListName = i % 2 == 0 ? .clients : .contacts
                pages += try Self.compare(t, list, Self.randomQuery(&r, list), note: label)
            }
        }
        try round("fresh", 150)

        // Writes after the snapshot: renames (derived company names), moves, new main contacts,
        // deletions, creations, a company deactivated.
        var writes: [String] = []
        for i in 0..<40 { writes.append(Self.clientLine(&r, r.int(nClients + 20) + (i % 3 == 0 ? nClients : 0))) }
        for i in 0..<60 { writes.append(Self.contactLine(&r, r.int(nContacts) + (i % 4 == 0 ? nContacts : 0), clients: nClients)) }
        for _ in 0..<15 { writes.append(deleteLine(.clientContact, String(format: "p%04d", r.int(nContacts)))) }
        for _ in 0..<6 { writes.append(deleteLine(.client, String(format: "c%04d", r.int(nClients)))) }
        for i in 0..<20 { writes.append(Self.eventLine(&r, 200 + i, clients: nClients, contacts: nContacts)) }
        // (Some lines fail on purpose: a contact of a deleted client, a second deletion.)
        let res = t.bulk(ndjson: Data(writes.joined(separator: "\n").utf8))
        #expect(res.errors.count < writes.count / 4)
        #expect(t.waitForIndexBlocking(res.lastSeq, timeout: 30))
        try round("stale", 150)

        try t.warmList(.clients)
        try t.warmList(.contacts)
        try round("rebuilt", 100)
        #expect(pages > 400)
    }
}
