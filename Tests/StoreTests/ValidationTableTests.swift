import Testing
import Model

/// One row of the validation table: a field of a kind, a value as received, and either the
/// stored (normalized) value, "unset", or the path of the expected error.
struct VRow: CustomTestStringConvertible, Sendable {
    enum Expect: Sendable { case ok(JSONValue), unset, error(String) }
    var kind: RecordKind
    var field: String
    var input: JSONValue
    var expect: Expect
    var testDescription: String { "\(kind.rawValue).\(field) ← \(input.jsonString())" }
}

private func ok(_ k: RecordKind, _ f: String, _ i: JSONValue, _ o: JSONValue) -> VRow { VRow(kind: k, field: f, input: i, expect: .ok(o)) }
private func ok(_ k: RecordKind, _ f: String, _ i: String, _ o: String) -> VRow { VRow(kind: k, field: f, input: .string(i), expect: .ok(.string(o))) }
private func unset(_ k: RecordKind, _ f: String, _ i: JSONValue) -> VRow { VRow(kind: k, field: f, input: i, expect: .unset) }
private func bad(_ k: RecordKind, _ f: String, _ i: JSONValue, _ path: String? = nil) -> VRow {
    VRow(kind: k, field: f, input: i, expect: .error(path ?? f))
}
private func bad(_ k: RecordKind, _ f: String, _ i: String, _ path: String? = nil) -> VRow { bad(k, f, .string(i), path) }

/// A minimal valid body of each kind, to which the tested field is added.
func baseBody(_ kind: RecordKind) -> [String: JSONValue] {
    switch kind {
    case .client, .partner: return ["name": "ACME"]
    case .clientContact: return ["client_id": "cl_1"]
    case .partnerContact: return ["partner_id": "pa_1"]
    case .event: return ["name": "Salon"]
    case .product: return ["name": "Cocktail"]
    }
}

let validationRows: [VRow] = [
    // text
    ok(.client, "name", "  EDF  ", "EDF"),
    ok(.client, "city", "Saint-Étienne", "Saint-Étienne"),
    ok(.partner, "category", " Traiteur ", "Traiteur"),
    ok(.client, "language", "fr, en", "fr, en"),
    unset(.client, "city", "   "),
    unset(.client, "city", .null),
    bad(.client, "city", .number(12)),
    bad(.client, "type", .bool(true)),
    bad(.client, "address1", .array(["a"])),
    bad(.client, "name", "", "name"),
    bad(.client, "name", .null, "name"),
    bad(.event, "name", "  ", "name"),
    bad(.product, "name", .object([:]), "name"),
    bad(.client, "comment", "x", "comment"),          // contact field on a company: unknown
    bad(.event, "active", .bool(true)),                // events have no active flag
    bad(.product, "city", "Paris"),
    bad(.client, "description", String(repeating: "a", count: 10_001)),
    ok(.event, "description", String(repeating: "a", count: 10_000), String(repeating: "a", count: 10_000)),
    // siret
    ok(.client, "siret", "732 829 320 00074", "73282932000074"),
    ok(.client, "siret", "732.829.320.00074", "73282932000074"),
    ok(.client, "siret", "73282932000074", "73282932000074"),
    ok(.partner, "siret", "552-081-317-66522", "55208131766522"),
    ok(.client, "siret", "356 000 000 00048", "35600000000048"),   // La Poste (head office)
    ok(.client, "siret", "35600000049837", "35600000049837"),      // La Poste: Luhn fails, sum % 5 == 0
    ok(.client, "siret", "35600000000001", "35600000000001"),
    bad(.client, "siret", "35600000000002"),                       // La Poste, sum not a multiple of 5
    bad(.client, "siret", "73282932000075"),                       // Luhn
    bad(.client, "siret", "12345678901234"),                       // Luhn fails (not La Poste)
    bad(.client, "siret", "732829320"),                            // a SIREN
    bad(.client, "siret", "7328293200007"),                        // 13 digits
    bad(.client, "siret", "732829320000745"),                      // 15 digits
    bad(.client, "siret", "7328293200007A"),
    bad(.client, "siret", "00000000000000"),
    bad(.client, "siret", .number(73282932000074)),
    // vat
    ok(.client, "vat_number", "FR40303265045", "FR40303265045"),
    ok(.client, "vat_number", "fr 40 303 265 045", "FR40303265045"),
    ok(.client, "vat_number", "FR.40.303.265.045", "FR40303265045"),
    ok(.client, "vat_number", "40303265045", "FR40303265045"),
    ok(.client, "vat_number", "FR03552081317", "FR03552081317"),
    ok(.client, "vat_number", "FR 44 732 829 320", "FR44732829320"),
    ok(.partner, "vat_number", "DE 123456789", "DE123456789"),
    ok(.partner, "vat_number", "be0123456789", "BE0123456789"),
    ok(.partner, "vat_number", "BE123456789", "BE0123456789"),
    ok(.partner, "vat_number", "ESX1234567X", "ESX1234567X"),
    ok(.partner, "vat_number", "IT 12345678901", "IT12345678901"),
    ok(.partner, "vat_number", "NL123456789B01", "NL123456789B01"),
    ok(.partner, "vat_number", "GR123456789", "EL123456789"),
    ok(.partner, "vat_number", "ATU12345678", "ATU12345678"),
    ok(.partner, "vat_number", "CHE-123.456.789 TVA", "CHE123456789"),
    ok(.partner, "vat_number", "LU12345678", "LU12345678"),
    bad(.client, "vat_number", "FR41303265045"),   // wrong key
    bad(.client, "vat_number", "FR4030326504"),    // too short
    bad(.client, "vat_number", "41303265045"),     // no prefix, wrong key
    bad(.client, "vat_number", "DE12345678"),      // 8 digits for DE
    bad(.client, "vat_number", "ZZ123456789"),     // unknown prefix
    bad(.client, "vat_number", "FR40 303 265 04X"),
    bad(.client, "vat_number", .number(40303265045)),
    // ape
    ok(.client, "ape_code", "62.02A", "6202A"),
    ok(.client, "ape_code", "6202 a", "6202A"),
    ok(.client, "ape_code", "7021Z", "7021Z"),
    bad(.client, "ape_code", "620A"),
    bad(.client, "ape_code", "62021"),
    bad(.client, "ape_code", "A6202"),
    // email
    ok(.clientContact, "email", "  Jean.Dupont@EDF.fr ", "jean.dupont@edf.fr"),
    ok(.partnerContact, "email", "contact+crm@traiteur-lyon.co.uk", "contact+crm@traiteur-lyon.co.uk"),
    ok(.clientContact, "email", "mailto:Marie@Exemple.FR", "marie@exemple.fr"),
    bad(.clientContact, "email", "jean.dupont@edf"),
    bad(.clientContact, "email", "jean dupont@edf.fr"),
    bad(.clientContact, "email", "jean@@edf.fr"),
    bad(.clientContact, "email", "jean@dupont@edf.fr"),
    bad(.clientContact, "email", "@edf.fr"),
    bad(.clientContact, "email", "jean.dupont.edf.fr"),
    bad(.clientContact, "email", "jean@edf..fr"),
    bad(.clientContact, "email", .bool(false)),
    // phones
    ok(.clientContact, "phone_mobile", "06 12 34 56 78", "+33612345678"),
    ok(.clientContact, "phone_mobile", "06.12.34.56.78", "+33612345678"),
    ok(.clientContact, "phone_mobile", "06-12-34-56-78", "+33612345678"),
    ok(.clientContact, "phone_mobile", "+33 (0)6 12 34 56 78", "+33612345678"),
    ok(.clientContact, "phone_mobile", "0033 6 12 34 56 78", "+33612345678"),
    ok(.clientContact, "phone_mobile", "+33612345678", "+33612345678"),
    ok(.clientContact, "phone_mobile", "612345678", "+33612345678"),
    ok(.clientContact, "phone_direct", "01 42 68 53 00", "+33142685300"),
    ok(.clientContact, "phone_direct", "(01) 42 68 53 00", "+33142685300"),
    ok(.clientContact, "phone_switchboard", "0 800 123 456", "+33800123456"),
    ok(.clientContact, "phone_switchboard", "33 1 42 68 53 00", "+33142685300"),
    ok(.partnerContact, "phone_direct", "+32 2 555 12 34", "+3225551234"),
    ok(.partnerContact, "phone_direct", "0041 22 123 45 67", "+41221234567"),
    ok(.partnerContact, "phone_mobile", "+44 7911 123456", "+447911123456"),
    ok(.partnerContact, "phone_mobile", "+1 (212) 555-0100", "+12125550100"),
    ok(.clientContact, "phone_mobile", "0692 12 34 56", "+262692123456"),   // La Réunion
    ok(.clientContact, "phone_direct", "05 90 12 34 56", "+590590123456"), // Guadeloupe
    bad(.clientContact, "phone_mobile", "06 12 34 56"),
    bad(.clientContact, "phone_mobile", "06 12 34 56 78 9"),
    bad(.clientContact, "phone_mobile", "00 12 34 56 78"),
    bad(.clientContact, "phone_mobile", "+33 6 12 34 56"),
    bad(.clientContact, "phone_mobile", "+1234567"),
    bad(.clientContact, "phone_mobile", "+1234567890123456"),
    bad(.clientContact, "phone_mobile", "06 12 34 56 78 poste 12"),
    bad(.clientContact, "phone_mobile", .number(612345678)),
    // country and postal code
    ok(.client, "country", "fr", "FR"),
    ok(.client, "country", "France", "FR"),
    ok(.client, "country", "belgique", "BE"),
    ok(.client, "country", "Royaume-Uni", "GB"),
    ok(.client, "country", "UK", "GB"),
    ok(.client, "country", "États-Unis", "US"),
    ok(.partner, "country", " ch ", "CH"),
    bad(.client, "country", "ZZ"),
    bad(.client, "country", "Atlantide"),
    bad(.client, "country", .number(33)),
    ok(.client, "postal_code", "75001", "75001"),
    ok(.client, "postal_code", " 75 001 ", "75001"),
    ok(.client, "postal_code", "1000", "01000"),
    ok(.client, "postal_code", .number(75008), .string("75008")),
    ok(.client, "postal_code", "97400", "97400"),
    ok(.client, "postal_code", "98800", "98800"),
    ok(.client, "postal_code", "20000", "20000"),
    bad(.client, "postal_code", "750012"),
    bad(.client, "postal_code", "75O01"),
    bad(.client, "postal_code", "SW1A 1AA"),       // country defaults to FR
    bad(.client, "postal_code", "00100"),
    bad(.client, "postal_code", .bool(true)),
    // civility
    ok(.clientContact, "civility", "M.", "Monsieur"),
    ok(.clientContact, "civility", "m", "Monsieur"),
    ok(.clientContact, "civility", "Mr", "Monsieur"),
    ok(.clientContact, "civility", "monsieur", "Monsieur"),
    ok(.clientContact, "civility", "Mme", "Madame"),
    ok(.clientContact, "civility", "MLLE", "Madame"),
    ok(.clientContact, "civility", "Mademoiselle", "Madame"),
    ok(.clientContact, "civility", "Pr", "Professeur"),
    ok(.clientContact, "civility", "Me", "Maître"),
    ok(.clientContact, "civility", "maitre", "Maître"),
    ok(.clientContact, "civility", "MAÎTRE", "Maître"),
    ok(.partnerContact, "civility", "Dr.", "Docteur"),
    ok(.partnerContact, "civility", "docteur", "Docteur"),
    bad(.clientContact, "civility", "Sir"),
    bad(.clientContact, "civility", "Mx"),
    // dates
    ok(.event, "start_date", "2024-06-15", "2024-06-15"),
    ok(.event, "start_date", "15/06/2024", "2024-06-15"),
    ok(.event, "start_date", "5/6/2024", "2024-06-05"),
    ok(.event, "end_date", "29/02/2024", "2024-02-29"),
    ok(.event, "end_date", "15.06.2024", "2024-06-15"),
    bad(.event, "start_date", "2023-02-29"),
    bad(.event, "start_date", "31/04/2024"),
    bad(.event, "start_date", "2024-13-01"),
    bad(.event, "start_date", "2024/06/15 10:00"),
    bad(.event, "start_date", "06/15/2024"),
    bad(.event, "start_date", "demain"),
    bad(.event, "start_date", .number(20240615)),
    // datetime
    ok(.client, "created_at", "2024-03-01T10:00:00Z", "2024-03-01T10:00:00Z"),
    ok(.client, "created_at", "2024-03-01T10:00:00+01:00", "2024-03-01T09:00:00Z"),
    ok(.client, "created_at", "2024-03-01T00:30:00+02:00", "2024-02-29T22:30:00Z"),
    ok(.client, "created_at", "2024-03-01T10:00:00.123456Z", "2024-03-01T10:00:00Z"),
    ok(.client, "created_at", "2024-03-01 10:00:00-05:00", "2024-03-01T15:00:00Z"),
    ok(.client, "created_at", "2024-03-01", "2024-03-01T00:00:00Z"),
    ok(.clientContact, "created_at", "2024-07-01T12:00:00", "2024-07-01T10:00:00Z"), // Paris summer time
    ok(.clientContact, "created_at", "2024-01-15T12:00", "2024-01-15T11:00:00Z"),     // Paris winter time
    bad(.client, "created_at", "2024-03-01T25:00:00Z"),
    bad(.client, "created_at", "2024-02-30T10:00:00Z"),
    bad(.client, "created_at", "hier"),
    bad(.client, "created_at", "2024-03-01T10:00:00+0"),
    // urls
    ok(.client, "website", "www.edf.fr", "https://www.edf.fr"),
    ok(.client, "website", "HTTPS://WWW.EDF.FR/fr/Accueil", "https://www.edf.fr/fr/Accueil"),
    ok(.client, "website", "http://traiteur-lyon.com", "http://traiteur-lyon.com"),
    ok(.client, "website", "edf.fr:8080/x", "https://edf.fr:8080/x"),
    bad(.client, "website", "javascript:alert(1)"),
    bad(.client, "website", "edf"),
    bad(.client, "website", "https://www.edf .fr"),
    bad(.client, "website", "ftp://edf.fr"),
    // booleans
    ok(.client, "active", .bool(false), .bool(false)),
    ok(.clientContact, "opt_in", .string("OUI"), .bool(true)),
    ok(.clientContact, "opt_in", .string("non"), .bool(false)),
    ok(.clientContact, "opt_in", .string("true"), .bool(true)),
    ok(.clientContact, "is_primary", .bool(true), .bool(true)),
    ok(.clientContact, "active", .null, .bool(true)),
    ok(.client, "active", .string(""), .bool(true)),
    bad(.clientContact, "opt_in", .string("peut-être")),
    bad(.clientContact, "opt_in", .number(1)),
    bad(.client, "active", .array([])),
    // numbers
    ok(.product, "unit_price", .number(12.5), .number(12.5)),
    ok(.product, "unit_price", .number(0), .number(0)),
    ok(.product, "unit_price", .string("12,50"), .number(12.5)),
    ok(.product, "unit_price", .string("1 200 €"), .number(1200)),
    bad(.product, "unit_price", .string("douze")),
    bad(.product, "unit_price", .bool(true)),
    // record references
    ok(.clientContact, "client_id", "cl_42", "cl_42"),
    ok(.event, "client_id", " CRM:1234-a.b ", "CRM:1234-a.b"),
    ok(.event, "contact_id", "cc_9", "cc_9"),
    ok(.product, "partner_id", "pa_7", "pa_7"),
    ok(.client, "parent_id", "cl_mere", "cl_mere"),
    bad(.clientContact, "client_id", "cl 42"),
    bad(.clientContact, "client_id", .number(42)),
    bad(.clientContact, "client_id", "", "client_id"),
    bad(.partnerContact, "partner_id", .null, "partner_id"),
    bad(.event, "client_id", .string(String(repeating: "x", count: 129))),
    bad(.clientContact, "partner_id", "pa_1"),        // unknown on a client contact
    // billing addresses and custom fields (entry points; details in ValidatorTests)
    bad(.client, "billing_addresses", .object([:])),
    bad(.client, "billing_addresses", .array([.string("12 rue de la Paix")]), "billing_addresses[0]"),
    bad(.client, "billing_addresses", .array([.object(["postal_code": "750012"])]), "billing_addresses[0].postal_code"),
    bad(.client, "billing_addresses", .array([.object(["zip": "75001"])]), "billing_addresses[0].zip"),
    unset(.client, "billing_addresses", .array([])),
    ok(.client, "custom_fields", .object(["Secteur": " BTP ", "Effectif": 120, "VIP": true, "Vide": .null]),
       .object(["Secteur": "BTP", "Effectif": 120, "VIP": true])),
    unset(.client, "custom_fields", .object(["Vide": .null])),
    bad(.client, "custom_fields", .object(["Tags": .array(["a"])]), "custom_fields.Tags"),
    bad(.clientContact, "custom_fields", .object(["Adresse": .object(["rue": "x"])]), "custom_fields.Adresse"),
    bad(.clientContact, "custom_fields", .array([])),
]

@Suite("Validation table")
struct ValidationTableTests {
    @Test func tableIsLarge() {
        #expect(validationRows.count >= 120)
    }

    @Test(arguments: validationRows)
    func row(_ row: VRow) {
        var body = baseBody(row.kind)
        body[row.field] = row.input
        let result = Validator.normalize(kind: row.kind, body: body)
        switch (row.expect, result) {
        case (.ok(let expected), .success(let fields)):
            #expect(fields[row.field] == expected)
        case (.unset, .success(let fields)):
            if row.field == "active" { #expect(fields[row.field] == .bool(true)) } else { #expect(fields[row.field] == nil) }
        case (.error(let path), .failure(let err)):
            #expect(err.errors.contains { $0.field == path }, "errors: \(err.errors)")
            for e in err.errors {
                #expect(!e.message.isEmpty)
                // Messages never echo the value back.
                if case .string(let s) = row.input, s.count >= 6 {
                    #expect(!e.message.contains(s.trimmingCharacters(in: .whitespaces)))
                }
            }
        case (_, .failure(let err)):
            Issue.record("unexpected errors: \(err.errors)")
        case (_, .success(let fields)):
            Issue.record("expected an error, got \(JSONValue.object(fields).jsonString())")
        }
    }
}
