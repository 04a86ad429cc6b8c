import Engine
import Foundation
import Model
import Sheets
import Testing
import Transfer

/// The same four template rows written by independent libraries (openpyxl, xlwt) and as csv in
/// two encodings and separators (`make_fixtures.py`) import to the same records.
@Suite struct FixtureImportTests {
    static func fixture(_ name: String) throws -> [UInt8] {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/" + name, withExtension: nil))
        return Array(try Data(contentsOf: url))
    }

    static let files = ["clients-openpyxl.xlsx", "clients-xlwt.xls", "clients-utf8-bom-comma.csv", "clients-cp1252-semicolon.csv"]

    func plan(_ name: String, mode: Importer.Mode = .preview) throws -> Importer.Outcome {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("labsearch-fixture-\(UUID().uuidString)").path
        let engine = try Engine(config: EngineConfig(dataDirectory: dir))
        defer { engine.shutdown(); try? FileManager.default.removeItem(atPath: dir) }
        return try Importer.run(tenant: try engine.createTenant("acme"), list: .clients, file: try Self.fixture(name), mode: mode)
    }

    @Test(arguments: files) func eachFormatGivesTheSameRecords(_ name: String) throws {
        let o = try plan(name)
        let expectedFormat: SheetFormat = name.hasSuffix(".xlsx") ? .xlsx : name.hasSuffix(".xls") ? .xls : .csv
        #expect(o.format == expectedFormat)
        #expect(o.header.row == 1 && o.header.mapped.count == 31)
        #expect(o.plan.rows.map(\.row) == [2, 3, 4, 5])
        #expect(o.plan.rows.allSatisfy { $0.status == .ok }, "\(o.plan.rows.map(\.errors))")
        #expect(o.plan.companiesToCreate == 3 && o.plan.contactsToCreate == 3)
        let r = o.plan.rows
        let elodie = try #require(r[0].contact?.fields), creperie = try #require(r[0].company?.fields)
        #expect(creperie["name"] == .string("Crêperie Élodie"))
        #expect(creperie["siret"] == .string("73282932000074"))
        #expect(creperie["created_at"] == .string("2023-05-17T00:00:00Z"))
        #expect(creperie["country"] == .string("FR"))
        #expect(elodie["civility"] == .string("Madame"))
        #expect(elodie["last_name"] == .string("Le Gall"))
        #expect(elodie["comment"] == .string("Vue au salon\nà rappeler en mars"))
        #expect(elodie["opt_in"] == .bool(true))
        #expect(elodie["phone_direct"] == .string("+33299000001"))
        #expect(elodie["is_primary"] == .bool(true))
        #expect(r[1].company?.action == .inFile)
        let noel = try #require(r[1].contact?.fields)
        #expect(noel["last_name"] == .string("Œillet"))
        #expect(noel["position"] == .string("Chef « crêpier »"))
        #expect(noel["opt_in"] == .bool(false))
        #expect(noel["created_at"] == .string("2024-01-02T00:00:00Z"))
        #expect(noel["is_primary"] == .bool(false))
        #expect(r[2].company?.fields["vat_number"] == .string("FR40303265045"))
        #expect(r[2].company?.fields["address1"] == .string("1, rue du Château"))
        #expect(r[3].contact == nil)
        #expect(r[3].company?.fields["language"] == .string("Français, Anglais"))
    }

    @Test func theFourFilesAgreeFieldByField() throws {
        var seen: [[[String: JSONValue]]] = []
        for name in Self.files {
            let o = try plan(name)
            // Ids are drawn anew each time: compare everything else.
            seen.append(o.plan.rows.flatMap { [$0.company?.fields ?? [:], ($0.contact?.fields ?? [:]).filter { $0.key != "client_id" }] })
        }
        for other in seen.dropFirst() { #expect(other == seen[0]) }
    }
}
