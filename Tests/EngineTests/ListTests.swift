import Engine
import Foundation
import Model
import Store
import Testing

/// The list query (API.md "Lists") on a real engine: filters of every kind, French collation,
/// multi-sort, group-by with exact counts, cursors stable under writes, derived columns kept
/// current, the text query with the search bar's analysis, and bad input named.
@Suite("Lists") struct ListTests {
    static func client(_ id: String, _ name: String, city: String? = nil, extra: [String: Any] = [:]) -> String {
        var r: [String: Any] = ["name": name]
        if let city { r["city"] = city }
        for (k, v) in extra { r[k] = v }
        return upsertLine(.client, id, r)
    }

    static func contact(_ id: String, _ client: String, _ first: String, _ last: String, extra: [String: Any] = [:]) -> String {
        var r: [String: Any] = ["client_id": client, "first_name": first, "last_name": last]
        for (k, v) in extra { r[k] = v }
        return upsertLine(.clientContact, id, r)
    }

    /// Twelve clients with accents, cases, spaces, languages, dates and activity to sort and filter.
    static let fixture: [String] = [
        client("c01", "Émeraude Voyages", city: "Lyon", extra: ["type": "Agence", "language": "fr, en", "created_at": "2024-02-01T10:00:00Z", "siret": "55208131700018"]),
        client("c02", "emma traiteur", city: "lyon", extra: ["type": "Traiteur", "language": "fr", "created_at": "2024-06-15T10:00:00Z"]),
        client("c03", "Élodie Créations", city: "Paris", extra: ["type": "agence", "language": "en", "created_at": "2023-12-31T23:00:00Z"]),
        client("c04", "Éloïse Événements", city: "Saint-Étienne", extra: ["type": "Agence", "created_at": "2025-01-10T08:00:00Z"]),
        client("c05", "Œuvre Culturelle", city: "Paris", extra: ["type": "Association", "language": "de,fr"]),
        client("c06", "Odile Fleurs", city: "Marseille", extra: ["type": "Fleuriste"]),
        client("c07", "Olivier Traiteur", city: "Lyon", extra: ["type": "Traiteur", "active": false]),
        client("c08", "La Poste", city: "Saint Etienne", extra: ["type": "Entreprise", "created_at": "2024-12-31T22:00:00Z"]),
        client("c09", "Laposte Bis", city: "Paris"),
        client("c10", "Zèbre Studio", city: "Lille", extra: ["type": "Agence"]),
        client("c11", "Atelier Dupont", city: "Lyon", extra: ["type": "Agence", "custom_fields": ["secteur": "Luxe"]]),
        client("c12", "Dupont Traiteur", city: "Nantes", extra: ["type": "Traiteur", "custom_fields": ["secteur": "Alimentaire"]]),
        contact("p01", "c01", "Jeanne", "Martel", extra: ["is_primary": true, "email": "jeanne@emeraude.fr", "phone_direct": "06 12 34 56 78", "opt_in": true, "source": "Salon"]),
        contact("p02", "c01", "Paul", "Brun", extra: ["source": "salon"]),
        contact("p03", "c02", "Émile", "Dupont", extra: ["source": "Site web"]),
        contact("p04", "c11", "Marie", "Dupont"),
        upsertLine(.event, "e01", ["name": "Séminaire", "client_id": "c01", "contact_id": "p01"]),
        upsertLine(.event, "e02", ["name": "Gala", "client_id": "c01", "contact_id": "p02"]),
    ]

    static func setUp(_ label: String) throws -> (TestEngine, Tenant) {
        let e = try TestEngine(label)
        let t = try e.engine.createTenant("t")
        t.load(fixture.joined(separator: "\n"))
        return (e, t)
    }

    static func request(_ json: String) throws -> ListRequest { try request(.clients, json) }
    static func ids(_ t: Tenant, _ json: String) throws -> [String] { try ids(t, .clients, json) }

    static func request(_ list: ListName, _ json: String) throws -> ListRequest {
        let body = try JSONValue.parseFast(json)
        return try ListRequest.parse(body, list: list)
    }

    static func ids(_ t: Tenant, _ list: ListName, _ json: String) throws -> [String] {
        try t.list(request(list, json)).rows.map(\.id)
    }

    @Test func filtersOfEveryKind() throws {
        let (e, t) = try Self.setUp("lists-filters")
        defer { e.close() }
        // eq and in ignore case and accents; punctuation and spaces too.
        #expect(Set(try Self.ids(t, #"{"filters":[{"column":"city","op":"eq","values":["LYON"]}]}"#)) == ["c01", "c02", "c11"])
        #expect(Set(try Self.ids(t, #"{"filters":[{"column":"city","op":"eq","values":["saint etienne"]}]}"#)) == ["c04", "c08"])
        #expect(Set(try Self.ids(t, #"{"filters":[{"column":"city","op":"in","values":["Paris","Lille"]}]}"#)) == ["c03", "c05", "c09", "c10"])
        // contains and starts_with.
        #expect(Set(try Self.ids(t, #"{"filters":[{"column":"name","op":"contains","values":["traiteur"]}]}"#)) == ["c02", "c12"])
        #expect(Set(try Self.ids(t, #"{"filters":[{"column":"name","op":"starts_with","values":["elo"]}]}"#)) == ["c03", "c04"])
        // Languages: any one of them.
        #expect(Set(try Self.ids(t, #"{"filters":[{"column":"language","op":"eq","values":["FR"]}]}"#)) == ["c01", "c02", "c05"])
        #expect(Set(try Self.ids(t, #"{"filters":[{"column":"language","op":"in","values":["de","en"]}]}"#)) == ["c01", "c03", "c05"])
        // Date range, inclusive of the whole last day.
        #expect(Set(try Self.ids(t, #"{"filters":[{"column":"created_at","op":"between","from":"2024-01-01","to":"2024-12-31"}]}"#))
                == ["c01", "c02", "c08"])
        #expect(Set(try Self.ids(t, #"{"filters":[{"column":"created_at","op":"between","from":"2025-01-01"}]}"#)) == ["c04"])
        // Number range on a derived column, empty / not empty.
        #expect(Set(try Self.ids(t, #"{"filters":[{"column":"contacts_count","op":"between","from":1}]}"#)) == ["c01", "c02", "c11"])
        #expect(try Self.ids(t, #"{"filters":[{"column":"siret","op":"not_empty"}]}"#) == ["c01"])
        #expect(try Self.ids(t, #"{"filters":[{"column":"siret","op":"empty"}]}"#).count == 10)
        // Booleans (the main contact's opt-in), and a custom field.
        #expect(try Self.ids(t, #"{"filters":[{"column":"opt_in","op":"eq","values":[true]}]}"#) == ["c01"])
        #expect(try Self.ids(t, #"{"filters":[{"column":"custom.secteur","op":"eq","values":["luxe"]}]}"#) == ["c11"])
        // Several filters: AND.
        let both = try Self.ids(t, #"{"filters":[{"column":"city","op":"eq","values":["Lyon"]},{"column":"type","op":"eq","values":["agence"]}]}"#)
        #expect(Set(both) == ["c01", "c11"])
        // Inactive records: excluded, unless asked; a filter on active replaces the flag.
        #expect(!(try Self.ids(t, #"{"filters":[{"column":"city","op":"eq","values":["Lyon"]}]}"#)).contains("c07"))
        #expect(try Self.ids(t, #"{"include_inactive":true,"filters":[{"column":"city","op":"eq","values":["Lyon"]}]}"#).contains("c07"))
        #expect(try Self.ids(t, #"{"filters":[{"column":"active","op":"eq","values":[false]}]}"#) == ["c07"])
        // A contact's phone filtered as people type it.
        #expect(try Self.ids(t, .contacts, #"{"filters":[{"column":"phone_direct","op":"starts_with","values":["06 12 34"]}]}"#) == ["p01"])
        #expect(try Self.ids(t, .contacts, #"{"filters":[{"column":"phone_direct","op":"contains","values":["+33 6 12 34"]}]}"#) == ["p01"])
    }

    @Test func frenchCollationMultiSortAndTies() throws {
        let (e, t) = try Self.setUp("lists-sort")
        defer { e.close() }
        let names = try t.list(Self.request(#"{"columns":["name"],"limit":100}"#)).rows.map { $0.values["name"]?.stringValue ?? "" }
        // Accents and case ignored: Élodie < Éloïse < Emma < Émeraude…; Œ as OE between Odile and Olivier (inactive: hidden).
        #expect(names == ["Atelier Dupont", "Dupont Traiteur", "Élodie Créations", "Éloïse Événements", "Émeraude Voyages",
                          "emma traiteur", "La Poste", "Laposte Bis", "Odile Fleurs", "Œuvre Culturelle", "Zèbre Studio"])
        // Descending.
        let desc = try Self.ids(t, #"{"sort":[{"column":"name","dir":"desc"}],"limit":3}"#)
        #expect(desc == ["c10", "c05", "c06"])
        // Multi-sort: city ascending, then name descending; equal cities (Lyon/lyon) grouped.
        let multi = try Self.ids(t, #"{"sort":[{"column":"city","dir":"asc"},{"column":"name","dir":"desc"}],"filters":[{"column":"city","op":"in","values":["Lyon","Paris"]}]}"#)
        #expect(multi == ["c02", "c01", "c11", "c05", "c09", "c03"])
        // Ties (same type) by id.
        let ties = try Self.ids(t, #"{"sort":[{"column":"type"}],"filters":[{"column":"type","op":"eq","values":["agence"]}]}"#)
        #expect(ties == ["c01", "c03", "c04", "c10", "c11"])
        // Numbers sort as numbers, empty first ascending.
        let counts = try Self.ids(t, #"{"sort":[{"column":"contacts_count","dir":"desc"}],"limit":3}"#)
        #expect(counts == ["c01", "c02", "c11"])
    }

    @Test func groupsWithExactCountsAndGroupPages() throws {
        let (e, t) = try Self.setUp("lists-groups")
        defer { e.close() }
        let r = try t.list(Self.request(#"{"group_by":"type","limit":2,"columns":["name","type"]}"#))
        #expect(r.rows.isEmpty)
        let groups = try #require(r.groups)
        // Null (no type) first, then the folded keys in order; "Agence" and "agence" are one group.
        #expect(groups.map(\.key) == [.null, .string("Agence"), .string("Association"), .string("Entreprise"), .string("Fleuriste"), .string("Traiteur")])
        #expect(groups.map(\.count) == [1, 5, 1, 1, 1, 2])
        // The counts add up to what the ungrouped list counts on its own.
        #expect(groups.reduce(0) { $0 + $1.count } == (try t.list(Self.request(#"{"limit":0}"#)).total))
        #expect(r.total == 11)
        let agence = groups[1]
        #expect(agence.rows.map(\.id) == ["c11", "c03"])   // by name: Atelier, Élodie
        let cursor = try #require(agence.nextCursor)
        var next = try Self.request(#"{"group_by":"type","limit":2,"columns":["name","type"]}"#)
        next.cursor = cursor
        let page2 = try t.list(next)
        #expect(page2.rows.map(\.id) == ["c04", "c01"])
        next.cursor = try #require(page2.nextCursor)
        let page3 = try t.list(next)
        #expect(page3.rows.map(\.id) == ["c10"])
        #expect(page3.nextCursor == nil)
        #expect(groups[2].nextCursor == nil)
    }

    @Test func cursorsPageStablyAcrossWrites() throws {
        let (e, t) = try Self.setUp("lists-paging")
        defer { e.close() }
        let all = try Self.ids(t, #"{"limit":100}"#)
        var req = try Self.request(#"{"limit":4}"#)
        var seen: [String] = []
        var first = true
        while true {
            let page = try t.list(req)
            #expect(page.total == all.count + (first ? 0 : 1))
            seen += page.rows.map(\.id)
            if first {
                // A record that sorts before the cursor appears between two pages: no row of the
                // next pages is repeated or skipped.
                _ = try t.create(kind: .client, body: ["id": .string("c00"), "name": .string("Aaa Première"),
                                                       "main_contact": .object(["first_name": .string("A"), "last_name": .string("B"),
                                                                                "email": .string("a@b.fr"), "phone_direct": .string("0102030405")])])
                first = false
            }
            guard let c = page.nextCursor else { break }
            req.cursor = c
        }
        #expect(seen == all)
        // A cursor from another query is refused, naming it.
        var other = try Self.request(#"{"limit":4,"sort":[{"column":"city"}]}"#)
        other.cursor = try t.list(Self.request(#"{"limit":4}"#)).nextCursor
        #expect(Self.field(of: { try t.list(other) }) == "cursor")
        var garbage = try Self.request(#"{"limit":4}"#)
        garbage.cursor = "not-a-cursor"
        #expect(Self.field(of: { try t.list(garbage) }) == "cursor")
    }

    @Test func derivedColumnsFollowRelatedRecords() throws {
        let (e, t) = try Self.setUp("lists-derived")
        defer { e.close() }
        func row(_ list: ListName, _ id: String) throws -> [String: JSONValue] {
            let r = try t.list(Self.request(list, #"{"include_inactive":true,"filters":[{"column":"id","op":"eq","values":["\#(id)"]}]}"#))
            return r.rows.first?.values ?? [:]
        }
        var c01 = try row(.clients, "c01")
        #expect(c01["main_contact"] == .string("Jeanne Martel"))
        #expect(c01["phone"] == .string("+33612345678"))
        #expect(c01["email"] == .string("jeanne@emeraude.fr"))
        #expect(c01["contacts_count"] == .number(2))
        #expect(c01["events_count"] == .number(2))
        #expect(try row(.contacts, "p01")["client_name"] == .string("Émeraude Voyages"))
        #expect(try row(.contacts, "p01")["events_count"] == .number(1))

        // Another contact starred, one more contact, an event deleted, the company renamed.
        t.load([
            Self.contact("p02", "c01", "Paul", "Brun", extra: ["is_primary": true, "email": "paul@emeraude.fr"]),
            Self.contact("p01", "c01", "Jeanne", "Martel", extra: ["is_primary": false]),
            Self.contact("p05", "c01", "Lina", "Roux"),
            deleteLine(.event, "e01"),
            Self.client("c01", "Émeraude Voyages & Co", city: "Lyon"),
        ].joined(separator: "\n"))
        c01 = try row(.clients, "c01")
        #expect(c01["main_contact"] == .string("Paul Brun"))
        #expect(c01["email"] == .string("paul@emeraude.fr"))
        #expect(c01["contacts_count"] == .number(3))
        #expect(c01["events_count"] == .number(1))
        #expect(try row(.contacts, "p01")["client_name"] == .string("Émeraude Voyages & Co"))
        #expect(try row(.contacts, "p01")["events_count"] == .number(0))
        #expect(try row(.events, "e02")["client_name"] == .string("Émeraude Voyages & Co"))

        // The star moving back, the company itself untouched: its derived columns alone change.
        t.load([
            Self.contact("p01", "c01", "Jeanne", "Martel", extra: ["is_primary": true, "email": "jeanne@emeraude.fr"]),
            Self.contact("p02", "c01", "Paul", "Brun", extra: ["is_primary": false, "email": "paul@emeraude.fr"]),
        ].joined(separator: "\n"))
        c01 = try row(.clients, "c01")
        #expect(c01["main_contact"] == .string("Jeanne Martel"))
        #expect(c01["email"] == .string("jeanne@emeraude.fr"))
        #expect(c01["name"] == .string("Émeraude Voyages & Co"))
        #expect(c01["city"] == .string("Lyon"))
        // A contact moving to another company leaves the old one's count.
        t.load(Self.contact("p05", "c02", "Lina", "Roux"))
        #expect(try row(.clients, "c01")["contacts_count"] == .number(2))
        #expect(try row(.clients, "c02")["contacts_count"] == .number(2))
        // A failing bulk line leaves no list row behind.
        let r = t.bulk(ndjson: Data((Self.contact("p06", "c02", "X", "Y") + "\n" + #"{"op":"upsert","type":"client_contact","id":"p07","record":{"client_id":"c02","email":"bad"}}"#).utf8))
        #expect(r.errors.count == 1)
        #expect(try row(.clients, "c02")["contacts_count"] == .number(3))
        #expect(try row(.contacts, "p07").isEmpty)
    }

    @Test func textQueryWithinTheList() throws {
        let (e, t) = try Self.setUp("lists-q")
        defer { e.close() }
        // The search bar's analysis: accents, prefixes, typos; relevance order without a sort.
        #expect(Set(try Self.ids(t, #"{"q":"dupont"}"#)) == ["c11", "c12"])
        #expect(try Self.ids(t, #"{"q":"dupont traiteur"}"#).first == "c12")
        #expect(try Self.ids(t, #"{"q":"emeraude"}"#) == ["c01"])
        #expect(try Self.ids(t, #"{"q":"emer"}"#) == ["c01"])
        #expect(try Self.ids(t, #"{"q":"emeraudd"}"#) == ["c01"])
        // With filters and a sort.
        #expect(try Self.ids(t, #"{"q":"dupont","filters":[{"column":"city","op":"eq","values":["nantes"]}]}"#) == ["c12"])
        #expect(try Self.ids(t, #"{"q":"traiteur","sort":[{"column":"name","dir":"desc"}]}"#) == ["c02", "c12"])
        // Within contacts: only contacts.
        #expect(Set(try Self.ids(t, .contacts, #"{"q":"dupont"}"#)) == ["p03", "p04"])
        // Relevance pages.
        let r = try t.list(Self.request(#"{"q":"traiteur","limit":1}"#))
        #expect(r.total == 2)
        var next = try Self.request(#"{"q":"traiteur","limit":1}"#)
        next.cursor = r.nextCursor
        let second = try t.list(next)
        #expect(second.rows.count == 1 && second.rows[0].id != r.rows[0].id)
    }

    static func field(of body: () throws -> Any) -> String? {
        do { _ = try body(); return nil } catch let e as EngineError { return e.fieldErrors.first?.field } catch { return "other: \(error)" }
    }

    @Test func badInputIsNamed() throws {
        func field(_ list: ListName, _ json: String) -> String? {
            Self.field { try Self.request(list, json) }
        }
        func field(_ json: String) -> String? { field(.clients, json) }
        #expect(field(#"{"filters":[{"column":"name","op":"eq","values":["a"]},{"column":"nope","op":"eq","values":["a"]}]}"#) == "filters[1].column")
        #expect(field(#"{"filters":[{"column":"name","op":"between","from":"a"}]}"#) == "filters[0].op")
        #expect(field(#"{"filters":[{"column":"name","op":"frobnicate","values":["a"]}]}"#) == "filters[0].op")
        #expect(field(#"{"filters":[{"column":"contacts_count","op":"eq","values":["trois"]}]}"#) == "filters[0].values[0]")
        #expect(field(#"{"filters":[{"column":"created_at","op":"between","from":"31/12/2024"}]}"#) == "filters[0].from")
        #expect(field(#"{"filters":[{"column":"active","op":"eq","values":["oui"]}]}"#) == "filters[0].values[0]")
        #expect(field(#"{"filters":[{"column":"name","op":"eq","values":["a","b"]}]}"#) == "filters[0].values")
        #expect(field(#"{"filters":[{"column":"name","op":"eq"}]}"#) == "filters[0].values")
        #expect(field(#"{"sort":[{"column":"nope"}]}"#) == "sort[0].column")
        #expect(field(#"{"sort":[{"column":"name","dir":"up"}]}"#) == "sort[0].dir")
        #expect(field(#"{"group_by":"nope"}"#) == "group_by")
        #expect(field(#"{"columns":["name","nope"]}"#) == "columns[1]")
        #expect(field(#"{"limit":-1}"#) == "limit")
        #expect(field(#"{"limit":100000}"#) == "limit")
        #expect(field(#"{"q":5}"#) == "q")
        #expect(field(#"{"colums":["name"]}"#) == "colums")
        #expect(field(.contacts, #"{"filters":[{"column":"contacts_count","op":"empty"}]}"#) == "filters[0].column")
        #expect(field(#"{"filters":[{"column":"name","op":"empty"}]}"#) == nil)
    }
}
