import Engine
import Foundation
import Model
import Testing

/// The seed's creation rules on the engine's write path:
/// - a company created through the API needs its main contact (first/last name, e-mail, direct phone);
/// - a company created without billing addresses bills at its main address (one default);
/// - the default billing address cannot be removed; another one can be made the default first;
/// - at most one main contact per company: starring one clears the others;
/// - a parent company cannot form a cycle.
@Suite("Creation rules") struct CreationRulesTests {
    static let mainContact: JSONValue = .object([
        "first_name": .string("Jeanne"), "last_name": .string("Martel"),
        "email": .string("jeanne.martel@exemple.fr"), "phone_direct": .string("01 23 45 67 89"),
    ])

    @Test func companyNeedsItsMainContact() throws {
        let e = try TestEngine("rules-main")
        defer { e.close() }
        let t = try e.engine.createTenant("t")
        #expect(throws: EngineError.self) { try t.create(kind: .client, body: ["name": .string("Sans Contact")]) }
        do {
            _ = try t.create(kind: .client, body: ["name": .string("Demi Contact"),
                                                   "main_contact": .object(["first_name": .string("Paul")])])
            Issue.record("a main contact without its required fields was accepted")
        } catch let error as EngineError {
            let fields = Set(error.fieldErrors.map(\.field))
            #expect(fields.isSuperset(of: ["main_contact.last_name", "main_contact.email", "main_contact.phone_direct"]), "\(fields)")
        }
    }

    @Test func billingDefaultsToTheMainAddressAndItsDefaultStays() throws {
        let e = try TestEngine("rules-billing")
        defer { e.close() }
        let t = try e.engine.createTenant("t")
        let w = try t.create(kind: .client, body: [
            "id": .string("c1"), "name": .string("Facture SA"), "address1": .string("1 rue de la Paix"),
            "postal_code": .string("75002"), "city": .string("Paris"), "main_contact": Self.mainContact,
        ])
        let billing = w.record?["billing_addresses"]?.arrayValue ?? []
        #expect(billing.count == 1)
        #expect(billing.first?.objectValue?["city"] == .string("Paris"))
        #expect(billing.first?.objectValue?["is_default"] == .bool(true))

        // Replacing the list by one without the default address is refused…
        let other: JSONValue = .object(["address1": .string("2 quai Nord"), "postal_code": .string("69002"),
                                        "city": .string("Lyon"), "is_default": .bool(true)])
        #expect(throws: EngineError.self) {
            try t.patch(RecordKey(kind: .client, id: "c1"), mergePatch: ["billing_addresses": .array([other])])
        }
        // …and a replacement that does not mention the list keeps it.
        let kept = try t.replace(RecordKey(kind: .client, id: "c1"), body: ["name": .string("Facture SA")])
        #expect(kept.record?["billing_addresses"]?.arrayValue?.count == 1)
        // Making another address the default first, then removing the old one, works.
        var old = billing[0].objectValue!
        old["is_default"] = .bool(false)
        _ = try t.patch(RecordKey(kind: .client, id: "c1"), mergePatch: ["billing_addresses": .array([.object(old), other])])
        let after = try t.patch(RecordKey(kind: .client, id: "c1"), mergePatch: ["billing_addresses": .array([other])])
        #expect(after.record?["billing_addresses"]?.arrayValue?.count == 1)
    }

    @Test func oneMainContactPerCompany() throws {
        let e = try TestEngine("rules-star")
        defer { e.close() }
        let t = try e.engine.createTenant("t")
        let c = try t.create(kind: .client, body: ["id": .string("c1"), "name": .string("Étoile SARL"), "main_contact": Self.mainContact])
        let first = c.related.first { $0.kind == .clientContact }!
        #expect(first.bool("is_primary") == true)
        _ = try t.create(kind: .clientContact, body: [
            "id": .string("k2"), "client_id": .string("c1"), "first_name": .string("Luc"), "last_name": .string("Brun"),
            "email": .string("luc.brun@exemple.fr"), "phone_direct": .string("0611223344"), "is_primary": .bool(true),
        ])
        let contacts = [first.id, "k2"].compactMap { try? t.get(RecordKey(kind: .clientContact, id: $0)) }
        #expect(contacts.filter { $0.bool("is_primary") == true }.map(\.id) == ["k2"])
    }

    @Test func parentCompaniesHaveNoCycles() throws {
        let e = try TestEngine("rules-parent")
        defer { e.close() }
        let t = try e.engine.createTenant("t")
        _ = try t.create(kind: .client, body: ["id": .string("g"), "name": .string("Groupe"), "main_contact": Self.mainContact])
        _ = try t.create(kind: .client, body: ["id": .string("f"), "name": .string("Filiale"), "parent_id": .string("g"),
                                               "main_contact": .object(["first_name": .string("A"), "last_name": .string("B"),
                                                                        "email": .string("a.b@filiale.fr"), "phone_direct": .string("0102030405")])])
        #expect(throws: EngineError.self) { try t.patch(RecordKey(kind: .client, id: "g"), mergePatch: ["parent_id": .string("f")]) }
    }
}
