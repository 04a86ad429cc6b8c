import Foundation
import Testing
import Model
@testable import DemoData

@Suite struct DemoDataTests {
    func lines(size: Int, seed: UInt64 = 0) -> [String] {
        var out: [String] = []
        DemoDataGenerator(size: size, seed: seed).generate { out.append($0) }
        return out
    }

    @Test func countsAddUpAndFollowProportions() {
        for size in [0, 1, 2, 3, 7, 10, 99, 100, 101, 1000, 12_345] {
            let c = DemoDataGenerator(size: size).counts
            #expect(c.total == size)
            if c.clientContacts > 0 { #expect(c.clients > 0) }
            if c.partnerContacts > 0 { #expect(c.partners > 0) }
        }
        let c = DemoDataGenerator(size: 1000).counts
        let perKind: [Int] = [c.clients, c.clientContacts, c.partners, c.partnerContacts, c.events, c.products]
        let expected: [Int] = [150, 450, 50, 100, 150, 100]
        #expect(perKind == expected)
        #expect(lines(size: 1000).count == 1000)
    }

    @Test func deterministicForSizeAndSeed() throws {
        #expect(lines(size: 1500, seed: 42) == lines(size: 1500, seed: 42))
        #expect(lines(size: 1500, seed: 42) != lines(size: 1500, seed: 43))
        let dir = FileManager.default.temporaryDirectory
        let a = dir.appendingPathComponent("demodata-a-\(getpid()).ndjson").path
        let b = dir.appendingPathComponent("demodata-b-\(getpid()).ndjson").path
        defer { try? FileManager.default.removeItem(atPath: a); try? FileManager.default.removeItem(atPath: b) }
        try DemoDataGenerator(size: 800, seed: 7).write(to: a)
        try DemoDataGenerator(size: 800, seed: 7).write(to: b)
        let da = try Data(contentsOf: URL(fileURLWithPath: a))
        #expect(da == (try Data(contentsOf: URL(fileURLWithPath: b))))
        #expect(String(decoding: da, as: UTF8.self) == lines(size: 800, seed: 7).map { $0 + "\n" }.joined())
    }

    @Test func everyRecordPassesValidationAndReferencesExist() throws {
        var seen: [RecordKind: Set<String>] = [:]
        var primaries: [String: Int] = [:]
        for line in lines(size: 3000, seed: 1) {
            guard case .object(let o) = try JSONValue.parseFast(line),
                  o["op"]?.stringValue == "upsert",
                  let kind = o["type"]?.stringValue.flatMap(RecordKind.init(rawValue:)),
                  let id = o["id"]?.stringValue,
                  case .object(let record)? = o["record"]
            else { Issue.record("bad envelope: \(line)"); continue }
            #expect(record["id"]?.stringValue == id)
            #expect(id.hasPrefix(kind.idPrefix + "_"))
            switch Validator.normalize(kind: kind, body: record) {
            case .failure(let e): Issue.record("\(kind) \(id): \(e.errors)")
            case .success(let n):
                for (field, target) in [("client_id", RecordKind.client), ("partner_id", .partner),
                                        ("contact_id", .clientContact), ("parent_id", kind)] {
                    if let ref = n[field]?.stringValue { #expect(seen[target, default: []].contains(ref), "\(id).\(field)") }
                }
                if let siret = n["siret"]?.stringValue {
                    #expect(DemoIdentifiers.isLuhnValid(siret) && DemoIdentifiers.isLuhnValid(String(siret.prefix(9))))
                    if let vat = n["vat_number"]?.stringValue, vat.hasPrefix("FR") {
                        #expect(vat == DemoIdentifiers.frenchVAT(siren: String(siret.prefix(9))))
                    }
                }
                if kind.isContact, n["is_primary"]?.boolValue == true, let company = n[kind.companyField!]?.stringValue {
                    primaries[company, default: 0] += 1
                }
            }
            seen[kind, default: []].insert(id)
        }
        #expect(primaries.values.allSatisfy { $0 == 1 })
    }

    @Test func identifiers() {
        #expect(DemoIdentifiers.isLuhnValid("73282932000074"))
        #expect(DemoIdentifiers.frenchVAT(siren: "732829320") == "FR44732829320")
        for i in 0..<1000 {
            let siren = DemoIdentifiers.siren(ordinal: i, salt: 99)
            #expect(siren.count == 9 && DemoIdentifiers.isLuhnValid(siren))
            #expect(DemoIdentifiers.isLuhnValid(DemoIdentifiers.siret(siren: siren, nicPrefix: "0001")))
        }
        #expect(DemoIdentifiers.slug("L'Oréal Événements & Co", separator: 0x2D) == "loreal-evenements-et-co")
        #expect(DemoIdentifiers.slug("N'Diaye", separator: nil) == "ndiaye")
        #expect(DemoIdentifiers.fold("Œuvre Müller Haÿ") == "oeuvre muller hay")
    }
}
