import Engine
import Foundation
import Model
import Sheets
import Testing
import Transfer

/// The importer on a real engine (SQLite store, Xapian index): header recognition, row
/// mapping, per-field errors, grouping of rows by company, the exact rules that skip what
/// already exists, duplicate candidates, and the commit.
@Suite struct ImportTests {
    /// The template's headers, in order.
    static let headers = TransferColumns.template.map(\.header)

    /// A sheet with the template's header and rows given as [header: value].
    static func sheet(_ rows: [[String: CellValue]], headers: [String] = headers, blankRowsBefore: Int = 0) -> Sheet {
        var out: [[CellValue]] = Array(repeating: [], count: blankRowsBefore)
        out.append(headers.map { .text($0) })
        for r in rows {
            out.append(TransferColumns.template.map { r[$0.header] ?? .empty })
        }
        return Sheet(rows: out)
    }

    static func t(_ s: String) -> CellValue { .text(s) }

    /// A valid row: company + contact.
    static func row(_ company: String, siret: String? = nil, first: String, last: String, email: String?,
                    city: String = "Lyon", extra: [String: CellValue] = [:]) -> [String: CellValue] {
        var r: [String: CellValue] = [
            "Société cliente": t(company), "Ville": t(city), "Code postal": t("69002"),
            "Prénom du contact": t(first), "Nom du contact": t(last), "Téléphone direct du contact": t("04 78 00 00 01"),
        ]
        if let siret { r["SIRET"] = t(siret) }
        if let email { r["Email du contact"] = t(email) }
        for (k, v) in extra { r[k] = v }
        return r
    }

    func withTenant(_ body: (Tenant) throws -> Void) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("labsearch-import-\(UUID().uuidString)").path
        let engine = try Engine(config: EngineConfig(dataDirectory: dir))
        defer { engine.shutdown(); try? FileManager.default.removeItem(atPath: dir) }
        try body(try engine.createTenant("acme"))
    }

    func firstHit(_ tenant: Tenant, _ q: String, _ kind: RecordKind) throws -> String? {
        let r = try tenant.search(SearchRequest(query: q, limit: 5))
        return r.tabs.flatMap(\.groups).first { $0.kind == kind.rawValue }?.hits.first?.id
    }

    func rows(_ sheet: Sheet, _ list: ImportList = .clients) throws -> [ImportRowInput] {
        try SheetImport.rows(of: sheet, list: list).rows
    }

    @Test func headersAreRecognisedWithoutAccentsCaseOrSpacing() throws {
        let mangled = Self.headers.map { h -> String in
            let folded = h.folding(options: [.diacriticInsensitive], locale: nil).uppercased()
            return "  " + folded.replacingOccurrences(of: " ", with: "   ") + " "
        }
        let s = Self.sheet([Self.row("Acme", first: "Léa", last: "Martin", email: "lea@acme.fr")], headers: mangled, blankRowsBefore: 2)
        let (header, rows) = try SheetImport.rows(of: s, list: .clients)
        #expect(header.row == 3)
        #expect(header.mapped.count == 31)
        #expect(header.ignored.isEmpty)
        #expect(rows.count == 1)
        #expect(rows[0].row == 4)
        #expect(rows[0].company?["name"] == .string("Acme"))
        #expect(rows[0].contact?["email"] == .string("lea@acme.fr"))
        // Common other spellings.
        for (raw, path) in [("E-mail", "contact.email"), ("Raison sociale", "client.name"), ("Tél. portable", "contact.phone_mobile"),
                            ("Opt-in (OUI/NON)", "contact.opt_in"), ("Code NAF", "client.ape_code"), ("CP", "client.postal_code")] {
            #expect(TransferColumns.column(forHeader: raw)?.fieldPath == path, "\(raw)")
        }
        #expect(TransferColumns.column(forHeader: "Contact principal") == nil)
        #expect(TransferColumns.column(forHeader: "Nombre de contacts") == nil)
    }

    @Test func aFileWithoutHeaderOrCompanyColumnIsRefused() throws {
        let noHeader = Sheet(rows: [[.text("foo"), .text("bar")], [.text("1"), .text("2")]])
        #expect(throws: ImportFileError.self) { try SheetImport.rows(of: noHeader, list: .clients) }
        let noCompany = Sheet(rows: [[.text("Prénom du contact"), .text("Nom du contact")], [.text("Léa"), .text("Martin")]])
        do {
            _ = try SheetImport.rows(of: noCompany, list: .contacts)
            Issue.record("expected missingColumn")
        } catch let e as ImportFileError {
            #expect(e.code == .missingColumn)
            #expect(e.columns == ["Société cliente"])
        }
    }

    @Test func rowsOfOneCompanyGiveOneCompanyWithItsContacts() throws {
        try withTenant { tenant in
            let s = Self.sheet([
                Self.row("Traiteur Dupont", siret: "732 829 320 00074", first: "Léa", last: "Martin", email: "lea@dupont.fr",
                         extra: ["Commentaires sur le contact": Self.t("Rencontrée au salon"), "Catégorie du commentaire contact": Self.t("Prospection"),
                                 "Opt-In": Self.t("OUI"), "Date de création": .date(SheetDate(year: 2023, month: 5, day: 17))]),
                Self.row("TRAITEUR DUPONT", first: "Marc", last: "Petit", email: "marc@dupont.fr"),
                Self.row("Traiteur Dupont SAS", siret: "73282932000074", first: "Zoé", last: "Roux", email: "zoe@dupont.fr"),
            ])
            let (plan, result) = try tenant.commitImport(list: .clients, rows: try rows(s))
            #expect(plan.rows.map(\.status) == [.ok, .ok, .ok])
            #expect(result.companiesCreated == 1)
            #expect(result.contactsCreated == 3)
            #expect(result.indexed)
            let companyId = try #require(plan.rows[0].company?.id)
            #expect(plan.rows[1].company?.action == .inFile && plan.rows[1].company?.id == companyId && plan.rows[1].company?.firstRow == 2)
            #expect(plan.rows[2].company?.id == companyId)
            let company = try #require(try tenant.get(RecordKey(kind: .client, id: companyId)))
            #expect(company.string("siret") == "73282932000074")
            #expect(company.string("created_at") == "2023-05-17T00:00:00Z")
            let leaId = try #require(plan.rows[0].contact?.id)
            let lea = try #require(try tenant.get(RecordKey(kind: .clientContact, id: leaId)))
            #expect(lea.string("client_id") == companyId)
            #expect(lea.bool("is_primary") == true)
            #expect(lea.string("comment") == "Rencontrée au salon")
            #expect(lea.string("comment_category") == "Prospection")
            #expect(lea.bool("opt_in") == true)
            #expect(lea.string("phone_direct") == "+33478000001")
            let marcId = try #require(plan.rows[1].contact?.id)
            let marc = try #require(try tenant.get(RecordKey(kind: .clientContact, id: marcId)))
            #expect(marc.bool("is_primary") == false)
            // Indexed: the search finds them.
            #expect(try firstHit(tenant, "zoé roux", .clientContact) == plan.rows[2].contact?.id)
            #expect(try firstHit(tenant, "traiteur dupont", .client) == companyId)
        }
    }

    @Test func everyFieldErrorIsReportedWithItsRowAndColumn() throws {
        try withTenant { tenant in
            var s = Self.sheet([
                Self.row("Bad Siret", siret: "732 829 320 00075", first: "A", last: "B", email: "a@b.fr"),
                Self.row("Bad Mail", first: "C", last: "D", email: "c@@d"),
                Self.row("Bad Phone", first: "E", last: "F", email: "e@f.fr", extra: ["Téléphone direct du contact": Self.t("12")]),
                Self.row("Bad Date", first: "G", last: "H", email: "g@h.fr", extra: ["Date de création": Self.t("31/02/2024")]),
                Self.row("Bad Optin", first: "I", last: "J", email: "i@j.fr", extra: ["Opt-In": Self.t("peut-être")]),
                ["Prénom du contact": Self.t("Sans"), "Nom du contact": Self.t("Société")],
                Self.row("Bad Civility", first: "K", last: "L", email: "k@l.fr", extra: ["Civilité": Self.t("Sa Majesté")]),
                Self.row("Good", first: "M", last: "N", email: "m@n.fr"),
            ])
            s.rows.insert([], at: 3)   // an empty row in the middle: numbering follows the sheet
            let plan = try tenant.planImport(list: .clients, rows: try rows(s), checkDuplicates: true)
            let byRow = Dictionary(uniqueKeysWithValues: plan.rows.map { ($0.row, $0) })
            func fields(_ r: Int) -> [String] { byRow[r]?.errors.map(\.field) ?? [] }
            #expect(fields(2) == ["client.siret"])
            #expect(fields(3) == ["contact.email"])
            #expect(byRow[4] == nil)
            #expect(fields(5) == ["contact.phone_direct"])
            #expect(fields(6).contains("client.created_at"))
            #expect(fields(7) == ["contact.opt_in"])
            #expect(fields(8) == ["client.name"])
            #expect(fields(9) == ["contact.civility"])
            #expect(byRow[10]?.status == .ok)
            #expect(plan.count(.error) == 7)
            for r in plan.rows where r.status == .error { #expect(r.errors.allSatisfy { !$0.message.isEmpty }) }
            // The JSON report names the columns as in the file.
            let report = ImportReport.json(plan: plan, header: try SheetImport.rows(of: s, list: .clients).header, format: .xlsx, mode: "preview", commit: nil)
            let rows = report.objectValue?["rows"]?.arrayValue ?? []
            let first = rows.first?.objectValue?["errors"]?.arrayValue?.first?.objectValue
            #expect(first?["column"] == .string("SIRET"))
            #expect(first?["message"]?.stringValue?.contains("SIRET") == true)
            // Nothing was written by a preview.
            #expect(try tenant.recordCount(.client) == 0)
        }
    }

    @Test func importingTheSameFileTwiceCreatesNothingNew() throws {
        try withTenant { tenant in
            let s = Self.sheet([
                Self.row("Alpha Events", siret: "73282932000074", first: "Léa", last: "Martin", email: "lea@alpha.fr"),
                Self.row("Beta Conseil", first: "Paul", last: "Durand", email: nil),
                Self.row("Beta Conseil", first: "Anne", last: "Morel", email: "anne@beta.fr"),
            ])
            let (_, first) = try tenant.commitImport(list: .clients, rows: try rows(s))
            #expect(first.companiesCreated == 2 && first.contactsCreated == 3)
            let (plan2, second) = try tenant.commitImport(list: .clients, rows: try rows(s))
            #expect(second.companiesCreated == 0 && second.contactsCreated == 0)
            #expect(plan2.rows.allSatisfy { $0.status == .skipped })
            #expect(plan2.rows.allSatisfy { $0.message?.isEmpty == false })
            let (plan3, third) = try tenant.commitImport(list: .contacts, rows: try rows(s, .contacts))
            #expect(third.companiesCreated == 0 && third.contactsCreated == 0)
            #expect(plan3.rows.allSatisfy { $0.status == .skipped && $0.contact?.action == .existing })
            #expect(try tenant.recordCount(.client) == 2)
            #expect(try tenant.recordCount(.clientContact) == 3)
        }
    }

    @Test func existingRecordsAreMatchedBySiretNameOrEmailAndNeverOverwritten() throws {
        try withTenant { tenant in
            let seed = try tenant.create(kind: .client, body: [
                "name": "Gamma Réceptions", "city": "Paris", "siret": "73282932000074",
                "main_contact": ["first_name": "Jean", "last_name": "Valjean", "email": "jean@gamma.fr", "phone_direct": "0102030405"],
            ])
            let noSiret = try tenant.create(kind: .client, body: [
                "name": "Delta Traiteur", "city": "Nice",
                "main_contact": ["first_name": "Cosette", "last_name": "Fauchelevent", "email": "cosette@delta.fr", "phone_direct": "0493000000"],
            ])
            #expect(tenant.waitForIndexBlocking(noSiret.seq, timeout: 30))
            let gammaId = try #require(seed.record?.id)
            let deltaId = try #require(noSiret.record?.id)
            // Clients list: same SIRET under another name, same name without SIRET → skipped.
            let clients = Self.sheet([
                Self.row("Gamma", siret: "732 829 320 00074", first: "X", last: "Y", email: "x@y.fr"),
                Self.row("DELTA TRAITEUR", first: "Z", last: "W", email: "z@w.fr"),
                Self.row("Delta Traiteur", siret: "55203253400646", first: "Q", last: "R", email: "q@r.fr"),
            ])
            let (plan, res) = try tenant.commitImport(list: .clients, rows: try rows(clients))
            #expect(plan.rows[0].status == .skipped && plan.rows[0].company?.id == gammaId)
            #expect(plan.rows[1].status == .skipped && plan.rows[1].company?.id == deltaId)
            // A SIRET on one side only still matches by name (the stored one has none).
            #expect(plan.rows[2].status == .skipped && plan.rows[2].company?.id == deltaId)
            #expect(res.companiesCreated == 0 && res.contactsCreated == 0)
            let gamma = try #require(try tenant.get(RecordKey(kind: .client, id: gammaId)))
            #expect(gamma.string("name") == "Gamma Réceptions")   // not overwritten

            // Contacts list: new contacts join the existing company, not as its main contact;
            // a known e-mail or the same name in the same company is skipped.
            let contacts = Self.sheet([
                Self.row("Gamma Réceptions", first: "Fantine", last: "Thénardier", email: "fantine@gamma.fr"),
                Self.row("Autre Société", first: "Jean", last: "Dupuis", email: "JEAN@gamma.fr"),
                Self.row("Gamma Réceptions", first: "jean", last: "VALJEAN", email: nil),
            ])
            let (plan2, res2) = try tenant.commitImport(list: .contacts, rows: try rows(contacts, .contacts))
            #expect(plan2.rows.map(\.status) == [.ok, .skipped, .skipped])
            #expect(plan2.rows[0].company?.action == .existing && plan2.rows[0].company?.id == gammaId)
            #expect(res2.contactsCreated == 1 && res2.companiesCreated == 0)
            let fantineId = try #require(plan2.rows[0].contact?.id)
            let fantine = try #require(try tenant.get(RecordKey(kind: .clientContact, id: fantineId)))
            #expect(fantine.string("client_id") == gammaId)
            #expect(fantine.bool("is_primary") == false)
        }
    }

    @Test func previewListsLikelyDuplicatesInTheBaseAndInTheFile() throws {
        try withTenant { tenant in
            let w = try tenant.create(kind: .client, body: [
                "name": "Boulangerie Dupont", "city": "Lyon", "postal_code": "69002",
                "main_contact": ["first_name": "Jean", "last_name": "Valjean", "email": "jean@boulangerie-dupont.fr", "phone_direct": "0478000009"],
            ])
            #expect(tenant.waitForIndexBlocking(w.seq, timeout: 30))
            let s = Self.sheet([
                Self.row("Boulangerie Dupond", first: "Léa", last: "Martin", email: "lea@example.org"),
                Self.row("Les Jardins de Provence", first: "Paul", last: "Durand", email: "paul@jdp.fr"),
                Self.row("Jardins de Provance", first: "Anne", last: "Morel", email: "anne@jdp2.fr",
                         extra: ["Téléphone direct du contact": Self.t("04 78 00 00 01")]),
            ])
            let plan = try tenant.planImport(list: .clients, rows: try rows(s), checkDuplicates: true)
            #expect(plan.rows.allSatisfy { $0.status == .ok })
            #expect(plan.rows[0].duplicates.contains { $0.id == w.record?.id && $0.kind == .client })
            #expect(plan.rows[2].inFileDuplicates.contains { $0.row == 3 && $0.kind == .client })
            // The same direct phone as row 2's contact (every row here has 04 78 00 00 01).
            #expect(plan.rows[2].inFileDuplicates.contains { $0.row == 2 && $0.reasons == [.phone] })
        }
    }

    @Test func cellsOfEveryTypeAreReadForTheirColumn() throws {
        try withTenant { tenant in
            let s = Self.sheet([[
                "Date de création": .number(45_000),                 // serial without date format: 2023-03-15
                "Société cliente": Self.t("Omega"),
                "SIRET": .number(73_282_932_000_074),
                "Code postal": .number(6000),                         // Nice, the leading 0 lost
                "Prénom du contact": Self.t("Léa"), "Nom du contact": Self.t("Martin"),
                "Téléphone direct du contact": .number(478_000_001),  // 04 78 00 00 01 without its 0
                "Téléphone portable du contact": Self.t("+33 6 12 34 56 78"),
                "Opt-In": .bool(false),
                "Compte comptable client": .number(411_000),
            ]])
            let plan = try tenant.planImport(list: .clients, rows: try rows(s), checkDuplicates: false)
            let r = try #require(plan.rows.first)
            #expect(r.status == .ok, "\(r.errors)")
            #expect(r.company?.fields["created_at"] == .string("2023-03-15T00:00:00Z"))
            #expect(r.company?.fields["siret"] == .string("73282932000074"))
            #expect(r.company?.fields["postal_code"] == .string("06000"))
            #expect(r.company?.fields["accounting_account"] == .string("411000"))
            #expect(r.contact?.fields["phone_direct"] == .string("+33478000001"))
            #expect(r.contact?.fields["phone_mobile"] == .string("+33612345678"))
            #expect(r.contact?.fields["opt_in"] == .bool(false))
        }
    }

    @Test func aFailedCommitWritesNothing() throws {
        try withTenant { tenant in
            // Rows that are all invalid: nothing to write, nothing written.
            let s = Self.sheet([Self.row("X", siret: "123", first: "A", last: "B", email: "a@b.fr")])
            let (plan, res) = try tenant.commitImport(list: .clients, rows: try rows(s))
            #expect(plan.count(.error) == 1)
            #expect(res.companiesCreated == 0 && res.seq == 0)
            #expect(try tenant.recordCount(.client) == 0)
        }
    }
}

/// Rows whose fate depends on earlier rows: a company first named on a skipped row, a known
/// contact on a new company's row, the main contact of a base company without contacts.
@Suite struct ImportRowInteractionTests {
    func withTenant(_ body: (Tenant) throws -> Void) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("labsearch-import2-\(UUID().uuidString)").path
        let engine = try Engine(config: EngineConfig(dataDirectory: dir))
        defer { engine.shutdown(); try? FileManager.default.removeItem(atPath: dir) }
        try body(try engine.createTenant("acme"))
    }

    func rows(_ s: Sheet, _ list: ImportList) throws -> [ImportRowInput] { try SheetImport.rows(of: s, list: list).rows }

    @Test func aCompanyFirstNamedOnASkippedRowIsCreatedByTheNextOne() throws {
        try withTenant { tenant in
            let w = try tenant.create(kind: .client, body: [
                "name": "Alpha", "main_contact": ["first_name": "Jean", "last_name": "Valjean", "email": "jean@alpha.fr", "phone_direct": "0102030405"],
            ])
            #expect(tenant.waitForIndexBlocking(w.seq, timeout: 30))
            let s = ImportTests.sheet([
                ImportTests.row("Nouvelle Société", first: "Jean", last: "Valjean", email: "jean@alpha.fr"),   // known contact
                ImportTests.row("Nouvelle Société", first: "Léa", last: "Martin", email: "lea@nouvelle.fr"),
            ])
            let (plan, res) = try tenant.commitImport(list: .contacts, rows: try rows(s, .contacts))
            #expect(plan.rows.map(\.status) == [.skipped, .ok])
            #expect(plan.rows[1].company?.action == .create)
            #expect(res.companiesCreated == 1 && res.contactsCreated == 1)
            let companyId = try #require(plan.rows[1].company?.id)
            #expect(try tenant.get(RecordKey(kind: .client, id: companyId)) != nil)
            let leaId = try #require(plan.rows[1].contact?.id)
            let lea = try #require(try tenant.get(RecordKey(kind: .clientContact, id: leaId)))
            #expect(lea.string("client_id") == companyId && lea.bool("is_primary") == true)
        }
    }

    @Test func onTheClientListANewCompanyIsCreatedEvenWhenItsContactIsKnown() throws {
        try withTenant { tenant in
            let s = ImportTests.sheet([
                ImportTests.row("Alpha", first: "Léa", last: "Martin", email: "lea@groupe.fr"),
                ImportTests.row("Beta", first: "Léa", last: "Martin", email: "lea@groupe.fr"),
            ])
            let (plan, res) = try tenant.commitImport(list: .clients, rows: try rows(s, .clients))
            #expect(plan.rows.map(\.status) == [.ok, .ok])
            #expect(plan.rows[1].contact?.action == .inFile && plan.rows[1].message?.contains("ligne 2") == true)
            #expect(res.companiesCreated == 2 && res.contactsCreated == 1)
        }
    }

    @Test func aBaseCompanyWithoutContactsGetsItsFirstImportedContactAsMain() throws {
        try withTenant { tenant in
            let bulk = tenant.bulk(ndjson: Data(#"{"op":"upsert","type":"client","id":"cl-lonely","record":{"name":"Solitaire SA"}}"#.utf8))
            #expect(tenant.waitForIndexBlocking(bulk.lastSeq, timeout: 30))
            let s = ImportTests.sheet([
                ImportTests.row("Solitaire", first: "Léa", last: "Martin", email: "lea@solitaire.fr"),
                ImportTests.row("SOLITAIRE SA", first: "Paul", last: "Durand", email: "paul@solitaire.fr"),
            ])
            let (plan, res) = try tenant.commitImport(list: .contacts, rows: try rows(s, .contacts))
            #expect(plan.rows.allSatisfy { $0.status == .ok && $0.company?.id == "cl-lonely" })
            #expect(res.contactsCreated == 2)
            #expect(plan.rows.map { $0.contact?.fields["is_primary"] } == [.bool(true), .bool(false)])
        }
    }
}
