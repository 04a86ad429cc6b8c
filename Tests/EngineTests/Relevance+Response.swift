import DemoData
import Engine
import Foundation
import Model
import Testing

// Properties guaranteed by this file (issue 2, item 6, and API.md "Search"), on real searches:
//
//  1. Every response has the four tabs in order with their groups and labels; totals are exact
//     per group and a tab's total is the sum of its groups.
//  2. `limit` caps the hits of each group (0 = counts only); with `tab`, the other tabs keep
//     their totals and have no hits, and `offset` pages through that tab's groups with no
//     overlap and no gap. Hits with equal scores come in id order.
//  3. Highlights are the field's text HTML-escaped, with only `<mark>` tags around matched words.
//  4. `corrected_query` is set when a word matched only through a typo, else null.
//  5. Suggestions are pre-filled from a person's name, an e-mail, a phone, a SIRET; a blank query
//     has zero totals and no suggestions; any text (operators, symbols) is searched safely.
//  6. Derived text follows its source: renaming a company re-indexes its contacts and events;
//     deactivating it hides it while its contacts stay visible, saying so.
//  7. The identifier and distinctive-name rows still hold among a few hundred demo records.

@Suite("Relevance: the search response") struct RelevanceResponseTests {
    let tenant = RelevanceData.tenant

    // MARK: Shape and totals

    @Test func fourTabsInOrderWithLabels() throws {
        let r = try tenant.search("zephyr")
        #expect(r.tabs.map(\.tab) == ["clients", "partners", "events", "products"])
        #expect(r.tabs.map(\.label) == ["Clients", "Partenaires", "Événements", "Produits"])
        #expect(r.tabs.map { $0.groups.map(\.kind) } == [["client", "client_contact"], ["partner", "partner_contact"], ["event"], ["product"]])
        #expect(r.tabs.flatMap(\.groups).map(\.label)
                == ["Client-Sociétés", "Client-Contacts", "Partenaire-Sociétés", "Partenaire-Contacts", "Événements", "Produits"])
        for tab in r.tabs { #expect(tab.total == tab.groups.reduce(0) { $0 + $1.total }) }
        #expect(r.query == "zephyr")
    }

    /// (query, inactive mode, exact totals per group: client, client_contact, partner, partner_contact, event, product)
    static let totals: [(String, SearchRequest.InactiveMode, [Int], String)] = [
        ("zephyr", .exclude, [3, 2, 1, 0, 1, 0], "3 active Zéphyr clients, 2 contacts of Zéphyr Conseil, Zéphyr Location, Soirée Zéphyr"),
        ("zephyr", .include, [4, 2, 1, 0, 1, 0], "+ inactive Zéphyr Archives"),
        ("zephyr", .only, [1, 0, 0, 0, 0, 0], "only Zéphyr Archives"),
        ("z", .only, [1, 0, 0, 0, 0, 0], "a one-letter prefix, inactive only"),
        ("z", .exclude, [3, 2, 1, 0, 1, 0], "a one-letter prefix counts exactly the same records"),
        ("ze", .include, [4, 2, 1, 0, 1, 0], "a two-letter prefix, inactive included"),
        ("regisseur", .exclude, [0, 7, 0, 0, 0, 0], "seven Régisseur contacts"),
        ("lefevre", .exclude, [0, 2, 0, 0, 0, 0], "two Lefèvre contacts"),
        ("edf", .exclude, [2, 1, 0, 0, 1, 0], "EDF, EDF Renouvelables, Paul Martin (company), the EDF seminar (client)"),
        ("nothingmatchesthis", .exclude, [0, 0, 0, 0, 0, 0], "no match, no typo"),
    ]

    @Test(arguments: totals.indices) func exactTotals(_ i: Int) throws {
        let (q, mode, expected, why) = Self.totals[i]
        for limit in [0, 1, 50] {
            let r = try tenant.search(q, limit: limit, inactive: mode)
            let got = RecordKind.allCases.map { r.group($0).total }
            #expect(got == expected, "\(q.debugDescription) inactive=\(mode) limit=\(limit): \(why) — got \(got)")
            for g in r.tabs.flatMap(\.groups) { #expect(g.hits.count == min(limit, g.total)) }
        }
    }

    // MARK: limit, tab, offset, ties

    @Test func limitCapsEveryGroup() throws {
        let r = try tenant.search("regisseur", limit: 3)
        #expect(r.group(.clientContact).total == 7)
        #expect(r.group(.clientContact).hits.count == 3)
        let counts = try tenant.search("regisseur", limit: 0)
        #expect(counts.group(.clientContact).total == 7)
        #expect(counts.tabs.allSatisfy { $0.groups.allSatisfy(\.hits.isEmpty) })
    }

    @Test func tabAndOffsetPageWithoutOverlapOrGap() throws {
        let all = try tenant.search("regisseur", limit: 50).ids(.clientContact)
        #expect(all.count == 7)
        var paged: [String] = []
        for offset in stride(from: 0, to: 9, by: 3) {
            let r = try tenant.search("regisseur", limit: 3, tab: .clients, offset: offset)
            #expect(r.group(.clientContact).total == 7, "totals do not depend on the page")
            #expect(r.group(.clientContact).hits.count == min(3, 7 - offset))
            paged += r.ids(.clientContact)
        }
        #expect(paged == all, "pages concatenated = the whole list, in order")
        #expect(Set(paged).count == paged.count, "no hit on two pages")
        let past = try tenant.search("regisseur", limit: 3, tab: .clients, offset: 7)
        #expect(past.group(.clientContact).hits.isEmpty && past.group(.clientContact).total == 7)

        // Other tabs keep their totals, without hits; offset applies to the asked tab only.
        let z = try tenant.search("zephyr", limit: 5, tab: .partners, offset: 0)
        #expect(z.group(.client).total == 3 && z.group(.client).hits.isEmpty)
        #expect(z.group(.event).total == 1 && z.group(.event).hits.isEmpty)
        #expect(z.ids(.partner) == ["p-zephyr"])
        let zClients = try tenant.search("zephyr", limit: 2, tab: .clients, offset: 0).ids(.client)
        let zClients2 = try tenant.search("zephyr", limit: 2, tab: .clients, offset: 2).ids(.client)
        let zAll = try tenant.search("zephyr", limit: 50).ids(.client)
        #expect(zClients + zClients2 == zAll)
    }

    @Test func equalScoresComeInIdOrder() throws {
        // Seven contacts whose only match is their position, with names of equal length, were
        // loaded in the order 5, 2, 7, 1, 4, 6, 3.
        let hits = try tenant.search("regisseur", limit: 50).group(.clientContact).hits
        #expect(hits.map(\.id) == (1...7).map { "cc-reg-\($0)" })
        #expect(Set(hits.map(\.score)).count == 1, "equal matches, equal scores: \(hits.map(\.score))")
        // The same holds page by page.
        let page2 = try tenant.search("regisseur", limit: 2, tab: .clients, offset: 2).ids(.clientContact)
        #expect(page2 == ["cc-reg-3", "cc-reg-4"])
    }

    @Test func hitsCarryTitleSubtitleAndScore() throws {
        let r = try tenant.search("edf")
        let edf = try #require(r.hit("c-edf", .client))
        #expect(edf.kind == "client" && edf.title == "EDF" && edf.active)
        #expect(edf.subtitle == "Paris · 552 081 317 66522", "subtitle: \(edf.subtitle)")
        let scores = r.group(.client).hits.map(\.score)
        #expect(scores == scores.sorted(by: >), "best first")
        let martin = try #require(r.hit("cc-paul-martin", .clientContact))
        #expect(martin.title == "Paul Martin")
        #expect(martin.subtitle.hasPrefix("EDF"), "a contact's subtitle names its company: \(martin.subtitle)")
    }

    // MARK: Highlights

    /// The text of a highlight without its marks, unescaped.
    static func plain(_ h: String) -> String {
        h.replacingOccurrences(of: "<mark>", with: "").replacingOccurrences(of: "</mark>", with: "")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }

    /// Only `<mark>` and `</mark>` tags, balanced, nothing else unescaped.
    static func onlyMarks(_ h: String) -> Bool {
        let stripped = h.replacingOccurrences(of: "<mark>", with: "").replacingOccurrences(of: "</mark>", with: "")
        return !stripped.contains("<") && !stripped.contains(">")
            && h.components(separatedBy: "<mark>").count == h.components(separatedBy: "</mark>").count
    }

    @Test func highlightsEscapeHTMLAndMarkOnlyMatches() throws {
        let r = try tenant.search("bistro")
        let hit = try #require(r.hit("c-bistro", .client))
        #expect(hit.title == "Bistro <img src=x onerror=alert(1)> Gourmand", "title is plain text")
        let name = try #require(hit.highlights["name"])
        #expect(name == "<mark>Bistro</mark> &lt;img src=x onerror=alert(1)&gt; Gourmand")

        let r2 = try tenant.search("gourmand onerror")
        let h2 = try #require(r2.hit("c-bistro", .client)?.highlights["name"])
        #expect(Self.onlyMarks(h2), "\(h2)")
        #expect(h2.contains("<mark>Gourmand</mark>") && h2.contains("<mark>onerror</mark>"), "\(h2)")
        #expect(Self.plain(h2) == hit.title)
    }

    @Test(arguments: ["lefevre", "jean-francois lef", "kalista", "06 12 34 56 78", "jf.lefevre@kalista.fr", "theatre oeuvre",
                      "l'oreal", "saint etienne", "zeph", "kalsita", "EV-2025-00042", "<img", "a&b \"c\" 'd'"])
    func highlightsAreSafeEverywhere(_ q: String) throws {
        let r = try tenant.search(q, limit: 50, inactive: .include)
        for hit in r.tabs.flatMap(\.groups).flatMap(\.hits) {
            for (field, h) in hit.highlights {
                #expect(Self.onlyMarks(h), "\(q.debugDescription) \(hit.id).\(field): \(h)")
                #expect(h.contains("<mark>"), "a highlight marks something: \(hit.id).\(field) = \(h)")
            }
        }
    }

    @Test func highlightsMarkTheMatchedWords() throws {
        let jf = try #require(try tenant.search("jean-francois lef").hit("cc-jf-lefevre", .clientContact))
        #expect(jf.highlights["last_name"] == "<mark>Lefèvre</mark>", "prefix 'lef' marks the word: \(jf.highlights)")
        #expect(jf.highlights["first_name"].map { Self.plain($0) } == "Jean-François")
        #expect(jf.highlights["first_name"]?.contains("<mark>") == true)
        let phone = try #require(try tenant.search("06 12 34 56 78").hit("cc-jf-lefevre", .clientContact))
        // Phones highlighted as people write them (API.md), not as stored (E.164).
        #expect(phone.highlights["phone_mobile"] == "<mark>06 12 34 56 78</mark>", "\(phone.highlights)")
        // Typed from its start, in any layout, or by its last digits: the hit says the phone matched.
        for typed in ["06 12 34", "0612345", "+33 6 12 34 5", "+33 (0)6 12 34", "0033 6 12 34 5", "345678"] {
            let partial = try #require(try tenant.search(typed).hit("cc-jf-lefevre", .clientContact), "\(typed)")
            #expect(partial.highlights["phone_mobile"] == "<mark>06 12 34 56 78</mark>", "\(typed): \(partial.highlights)")
        }
        // A hit found through a field its title does not show says which one.
        let byPartner = try #require(try tenant.search("dubreuil").hit("pr-xr2000", .product))
        #expect(byPartner.highlights["partner"] == "Sonorisation <mark>Dubreuil</mark>", "\(byPartner.highlights)")
        let byCity = try #require(try tenant.search("deauville").hit("ev-seminaire-edf", .event))
        #expect(byCity.highlights["city"] == "<mark>Deauville</mark>", "\(byCity.highlights)")
        let typo = try #require(try tenant.search("kalsita").hit("c-kalista", .client))
        #expect(typo.highlights["name"] == "<mark>Kalista</mark>", "a typo match is highlighted too: \(typo.highlights)")
        let oeuvre = try #require(try tenant.search("oeuvre").hit("c-oeuvre", .client))
        // The elided article may be marked with its word.
        #expect(["Théâtre de l’<mark>Œuvre</mark>", "Théâtre de <mark>l’Œuvre</mark>"].contains(oeuvre.highlights["name"] ?? ""), "\(oeuvre.highlights)")
    }

    // MARK: corrected_query

    static let corrections: [(String, String?, String)] = [
        ("kalsita", "kalista", "a transposition corrected"),
        ("montgolfiar aerostats", "montgolfier aerostats", "the typo word corrected, the other kept"),
        ("montgolfier aerostas", "montgolfier aerostats", "a typo in the prefix being typed, corrected to the word"),
        ("kalista", nil, "an exact word: no correction"),
        ("kalis", nil, "a prefix of a word: no correction"),
        ("opale", nil, "exact"),
        ("nothingmatchesthis", nil, "nothing matched: nothing to correct to"),
        ("0612345678", nil, "digits are never corrected"),
    ]

    @Test(arguments: corrections.indices) func correctedQuery(_ i: Int) throws {
        let (q, expected, why) = Self.corrections[i]
        let r = try tenant.search(q)
        #expect(r.correctedQuery == expected, "\(q.debugDescription): \(why) — got \(String(describing: r.correctedQuery))")
    }

    // MARK: Suggestions, blank queries, operator soup

    @Test func suggestionsFromWhatTheQueryLooksLike() throws {
        func prefills(_ q: String) throws -> ([String: String], [String: String]) {
            let s = try tenant.search(q).suggestions
            try #require(s.map(\.action) == ["create_client", "create_contact"])
            #expect(s.map(\.label) == ["Nouveau client", "Nouveau contact"])
            return (s[0].prefill, s[1].prefill)
        }
        let (_, person) = try prefills("Jean Dupuis")
        #expect(person["first_name"] == "Jean" && person["last_name"] == "Dupuis", "\(person)")
        let (_, reversed) = try prefills("Dupuis Jean")
        #expect(reversed["first_name"] == "Jean" && reversed["last_name"] == "Dupuis", "a known first name decides the order: \(reversed)")
        let (c1, p1) = try prefills("anne.durand@exemple.fr")
        #expect(c1["email"] == "anne.durand@exemple.fr" && p1["email"] == "anne.durand@exemple.fr")
        let (c2, p2) = try prefills("06 98 76 54 32")
        #expect(c2["phone_direct"] != nil && p2["phone_direct"] != nil, "\(c2) \(p2)")
        let (c3, _) = try prefills("552 081 317 66522")
        #expect(c3["siret"] == "55208131766522", "\(c3)")
        let (c4, _) = try prefills("552081317")
        #expect(c4["siret"] == "552081317", "a SIREN: \(c4)")
        let (c5, _) = try prefills("Traiteur Martin SARL")
        #expect(c5["name"] == "Traiteur Martin SARL", "a company: \(c5)")
    }

    @Test(arguments: ["", " ", "   ", "\t", " \n "]) func blankQuery(_ q: String) throws {
        let r = try tenant.search(q)
        #expect(r.tabs.count == 4)
        #expect(r.grandTotal == 0 && r.tabs.allSatisfy { $0.groups.allSatisfy { $0.total == 0 && $0.hits.isEmpty } })
        #expect(r.suggestions.isEmpty)
        #expect(r.correctedQuery == nil)
    }

    static let soup = [
        #""AND (" * ~ - : '"#, "AND", "(", ")", "\"", "*", "~", "-", ":", "'", "’", "\\", "%", "_", "?", "^", "@", "@@", "+", "++33",
        "NOT edf", "edf OR loreal", "title:edf", "edf~2", "e*f", "\"edf", "edf\"", "-edf", "+edf", "((((edf", "edf))))",
        "<script>alert(1)</script>", "'; DROP TABLE records; --", "\u{0}", "\u{200B}", "🙂", "🙂 edf", "ﬁ", "İstanbul",
        String(repeating: "a", count: 512), String(repeating: "edf ", count: 100), String(repeating: "9", count: 200),
        "0", "00", "+", "+33", "06", "06 ", ". . .", "- - -", "@edf.fr", "a@", "@",
    ]

    @Test(arguments: soup) func operatorSoupIsPlainText(_ q: String) throws {
        let r = try tenant.search(q, limit: 5, inactive: .include)
        #expect(r.tabs.count == 4)
        #expect(r.suggestions.count == (q.allSatisfy(\.isWhitespace) ? 0 : 2))
    }

    static let symbolRows: [Row] = [
        Row("edf*", "c-edf", .client, "a star is not an operator"),
        Row("-edf", "c-edf", .client, "a minus is not NOT"),
        Row("+edf", "c-edf", .client, "a plus is not an operator"),
        Row("\"edf\"", "c-edf", .client, "quotes are not a phrase operator"),
        Row("(edf)", "c-edf", .client, "parentheses are ignored"),
        Row("edf:", "c-edf", .client, "a colon is not a field operator"),
    ]

    @Test(arguments: symbolRows) func symbolsAreNotOperators(_ row: Row) throws { try row.check(on: tenant) }
}

// MARK: - Updates re-index derived text

@Suite("Relevance: derived text follows its source") struct RelevanceUpdateTests {
    static let data = [
        upsertLine(.client, "c-kal", ["name": "Kalista", "city": "Nantes"]),
        upsertLine(.clientContact, "cc-1", ["client_id": "c-kal", "first_name": "Paul", "last_name": "Martin", "is_primary": true]),
        upsertLine(.clientContact, "cc-2", ["client_id": "c-kal", "first_name": "Léa", "last_name": "Roux"]),
        upsertLine(.event, "ev-1", ["client_id": "c-kal", "name": "Séminaire", "contact_id": "cc-1"]),
        upsertLine(.client, "c-dup", ["name": "Dupont Traiteur SARL", "city": "Lyon"]),
        upsertLine(.clientContact, "cc-3", ["client_id": "c-dup", "first_name": "Claire", "last_name": "Fabre"]),
    ].joined(separator: "\n")

    @Test func renamingACompanyReindexesItsContactsAndEvents() throws {
        let e = try TestEngine("rename")
        defer { e.close() }
        let t = try e.engine.createTenant("rename")
        t.load(Self.data)
        #expect(try t.search("martin kalista").ids(.clientContact) == ["cc-1"])
        #expect(try t.search("seminaire kalista").ids(.event) == ["ev-1"])

        let w = try t.patch(RecordKey(kind: .client, id: "c-kal"), mergePatch: ["name": .string("Nébuleuse")])
        t.settle(w)
        let old = try t.search("kalista")
        #expect(old.grandTotal == 0, "the old name finds nothing any more: \(old.totals)")
        let new = try t.search("nebuleuse", limit: 10)
        #expect(new.ids(.client) == ["c-kal"])
        #expect(Set(new.ids(.clientContact)) == ["cc-1", "cc-2"], "both contacts re-indexed")
        #expect(new.ids(.event) == ["ev-1"], "the event re-indexed")
        #expect(try t.search("martin nebuleuse").ids(.clientContact) == ["cc-1"])
        #expect(try t.search("martin nebuleuse").hit("cc-1", .clientContact)?.subtitle.hasPrefix("Nébuleuse") == true,
                "the contact's subtitle shows the new name")
    }

    @Test func renamingThroughBulkReindexesToo() throws {
        let e = try TestEngine("rename-bulk")
        defer { e.close() }
        let t = try e.engine.createTenant("renamebulk")
        t.load(Self.data)
        t.load(upsertLine(.client, "c-kal", ["name": "Orbite", "city": "Nantes"]))
        #expect(try t.search("kalista").grandTotal == 0)
        #expect(try t.search("martin orbite").ids(.clientContact) == ["cc-1"])
        #expect(try t.search("orbite").ids(.event) == ["ev-1"])
    }

    @Test func childrenLoadedBeforeTheirCompanyGetItsName() throws {
        let e = try TestEngine("late-parent")
        defer { e.close() }
        let t = try e.engine.createTenant("lateparent")
        t.load([upsertLine(.clientContact, "cc-9", ["client_id": "c-late", "first_name": "Paul", "last_name": "Martin"]),
                upsertLine(.event, "ev-9", ["client_id": "c-late", "name": "Convention"])].joined(separator: "\n"))
        #expect(try t.search("martin").ids(.clientContact) == ["cc-9"])
        t.load(upsertLine(.client, "c-late", ["name": "Horizon Voyages"]))
        #expect(try t.search("martin horizon").ids(.clientContact) == ["cc-9"], "the contact now shows its company")
        #expect(try t.search("convention horizon").ids(.event) == ["ev-9"])
        #expect(try t.search("martin").hit("cc-9", .clientContact)?.subtitle.hasPrefix("Horizon Voyages") == true)
    }

    @Test func renamingAParentReindexesItsSubsidiaries() throws {
        let e = try TestEngine("parent")
        defer { e.close() }
        let t = try e.engine.createTenant("parent")
        t.load([upsertLine(.client, "c-group", ["name": "Groupe Alpha"]),
                upsertLine(.client, "c-sub", ["name": "Sudalp Événements", "parent_id": "c-group"])].joined(separator: "\n"))
        #expect(try t.search("alpha").ids(.client) == ["c-group", "c-sub"], "a subsidiary is found by its group's name, below it")
        t.settle(try t.patch(RecordKey(kind: .client, id: "c-group"), mergePatch: ["name": .string("Groupe Oméga")]))
        #expect(try t.search("alpha").group(.client).total == 0)
        #expect(try t.search("omega").ids(.client) == ["c-group", "c-sub"])
    }

    @Test func renamingAContactReindexesItsEvents() throws {
        let e = try TestEngine("contact-rename")
        defer { e.close() }
        let t = try e.engine.createTenant("contactrename")
        t.load(Self.data)
        #expect(try t.search("seminaire martin").ids(.event) == ["ev-1"], "an event is found by its contact's name")
        t.settle(try t.patch(RecordKey(kind: .clientContact, id: "cc-1"), mergePatch: ["last_name": .string("Durandal")]))
        let renamed = try t.search("seminaire durandal").ids(.event)
        let stale = try t.search("seminaire martin").group(.event).total
        #expect(renamed == ["ev-1"], "the event shows the contact's new name")
        #expect(stale == 0, "the old name no longer finds the event")
    }

    /// A prefix shared by more words than a wildcard expands to still finds (and counts) every
    /// record: 150 companies whose names are 150 distinct words starting with "zorb", and one
    /// rare word among frequent ones.
    @Test func aPrefixSharedByManyWordsCountsEveryMatch() throws {
        let e = try TestEngine("many-words")
        defer { e.close() }
        let t = try e.engine.createTenant("manywords")
        let letters = Array("abcdefghijklmnopqrstuvwxyz")
        var lines: [String] = []
        for i in 0..<150 {
            let word = "Zorb" + String(letters[i / 26]) + String(letters[i % 26])
            lines.append(upsertLine(.client, "c-\(i)", ["name": "\(word) Conseil"]))
            lines.append(upsertLine(.client, "c-\(i)-bis", ["name": "\(word) Studio"]))   // every word twice…
        }
        lines.append(upsertLine(.client, "c-rare", ["name": "Zorbzz Unique"]))           // …but this one
        t.load(lines.joined(separator: "\n"))
        var totals: [String: Int] = [:]
        for q in ["z", "zo", "zor", "zorb", "zorba", "zorbf"] { totals[q] = try t.search(q, limit: 0).group(.client).total }
        let rare = try t.search("unique zorb").ids(.client)
        for q in ["z", "zo", "zor"] { #expect(totals[q] == 301, "\(q.debugDescription): n-gram prefix, total \(totals[q]!)") }
        #expect(totals["zorb"] == 301, "\"zorb\": total \(totals["zorb"]!)")
        #expect(rare == ["c-rare"], "the rare word is found through its prefix: \(rare)")
        // From 5 letters a prefix also matches with one typo: zorba… and its neighbours zorbb…, zorbc….
        #expect(totals["zorba"]! >= 52 && totals["zorbf"]! >= 40)
        #expect(try t.search("zorbzz").ids(.client).first == "c-rare", "the exact word first")
    }

    @Test func deactivatingACompanyHidesItButNotItsContacts() throws {
        let e = try TestEngine("deactivate")
        defer { e.close() }
        let t = try e.engine.createTenant("deactivate")
        t.load(Self.data)
        let key = RecordKey(kind: .client, id: "c-dup")
        t.settle(try t.patch(key, mergePatch: ["active": .bool(false)]))

        let hidden = try t.search("dupont traiteur")
        #expect(hidden.group(.client).total == 0, "inactive=exclude hides the company")
        let contact = try #require(hidden.hit("cc-3", .clientContact), "its contact stays visible")
        #expect(contact.active)
        #expect(contact.subtitle.contains("(société inactive)"), "subtitle: \(contact.subtitle)")
        let include = try t.search("dupont traiteur", inactive: .include)
        #expect(include.ids(.client) == ["c-dup"] && include.hit("c-dup", .client)?.active == false)
        #expect(try t.search("dupont traiteur", inactive: .only).ids(.client) == ["c-dup"])
        #expect(try t.search("dupont traiteur", inactive: .only).group(.clientContact).total == 0, "the contact is active")

        // Reactivated: visible again, the subtitle no longer says inactive.
        t.settle(try t.patch(key, mergePatch: ["active": .bool(true)]))
        let back = try t.search("dupont traiteur")
        #expect(back.ids(.client) == ["c-dup"])
        #expect(back.hit("cc-3", .clientContact)?.subtitle.contains("inactive") == false)
        #expect(try t.search("dupont traiteur", inactive: .only).group(.client).total == 0)
    }
}

// MARK: - Among demo records

/// The hand-made records again, mixed with 600 generated records (which reuse common names such
/// as Martin, Lefèvre or EDF, so only rows whose answer is unique by construction are checked).
@Suite("Relevance: among demo records") struct RelevanceNoiseTests {
    static let rows: [Row] = [
        Row("06 12 34 56 78", "cc-jf-lefevre", .clientContact, "phone"),
        Row("+33 6 12 34 56 78", "cc-jf-lefevre", .clientContact, "phone, international"),
        Row("12345678", "cc-jf-lefevre", .clientContact, "last 8 digits"),
        Row("marie.curie@radium-conseil.fr", "cc-curie", .clientContact, "e-mail"),
        Row("79012345900014", "c-kalista", .client, "SIRET"),
        Row("790 123 459", "c-kalista", .client, "SIREN spaced"),
        Row("FR70445566771", "p-sono", .partner, "VAT"),
        Row("PRD-00456", "pr-xr2000", .product, "reference"),
        Row("kalsita", "c-kalista", .client, "typo"),
        Row("montgolfiar", "c-montgolfier", .client, "typo"),
        Row("mongolfiar", "c-montgolfier", .client, "two typos"),
        Row("bergamat", "c-bergamot", .client, "typo"),
        Row("lefevre kalista", "cc-jf-lefevre", .clientContact, "name + company"),
        Row("regisseur anne abel", "cc-reg-1", .clientContact, "position + name"),
        Row("zephyr conseil", "c-zephyr-conseil", .client, "whole name"),
        Row("opale", "c-opale", .client, "exact"),
        Row("vasquez", "cc-vasquez", .clientContact, "contact of an inactive company"),
    ]

    static let tenant: Tenant = {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("labsearch-noise-\(UUID().uuidString)").path
        let engine = try! Engine(config: EngineConfig(dataDirectory: dir))
        let t = try! engine.createTenant("noise")
        var lines: [String] = []
        DemoDataGenerator(size: 600, seed: 7).generate { lines.append($0) }
        let r1 = t.bulk(ndjson: Data((lines.joined(separator: "\n") + "\n" + RelevanceData.ndjson).utf8))
        precondition(r1.errors.isEmpty, "noise data rejected: \(r1.errors.prefix(3))")
        precondition(t.waitForIndexBlocking(r1.lastSeq, timeout: 60))
        holder = (engine, dir)
        atexit { if let (e, d) = RelevanceNoiseTests.holder { e.shutdown(); try? FileManager.default.removeItem(atPath: d) } }
        return t
    }()

    nonisolated(unsafe) static var holder: (Engine, String)?

    @Test(arguments: rows) func stillFirst(_ row: Row) throws { try row.check(on: Self.tenant) }

    /// Totals are exact: paging through a group with `tab` + `offset` yields exactly `total`
    /// distinct hits, whatever the length of the prefix (n-gram terms, wildcards, full words).
    @Test(arguments: ["m", "ma", "mar", "mart", "marti", "martin", "paris", "jean", "s", "sa", "sain", "06", "lefe", "ev-2025"])
    func pagingYieldsExactlyTheTotal(_ q: String) throws {
        let first = try Self.tenant.search(q, limit: 0, inactive: .include)
        for tab in SearchTab.allCases {
            for kind in tab.kinds {
                let total = first.group(kind).total
                var ids: [String] = []
                var offset = 0
                while offset <= total {
                    let page = try Self.tenant.search(q, limit: 50, tab: tab, offset: offset, inactive: .include)
                    #expect(page.group(kind).total == total)
                    ids += page.ids(kind)
                    if page.group(kind).hits.count < 50 { break }
                    offset += 50
                }
                #expect(ids.count == total, "\(q.debugDescription) \(kind): \(ids.count) hits by paging, total \(total)")
                #expect(Set(ids).count == ids.count, "\(q.debugDescription) \(kind): a hit on two pages")
            }
        }
    }
}
