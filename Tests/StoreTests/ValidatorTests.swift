import Foundation
import Testing
import Model

@Suite("Validator")
struct ValidatorTests {
    func errors(_ r: Result<[String: JSONValue], ValidationError>) -> [FieldError] {
        if case .failure(let e) = r { return e.errors }
        return []
    }

    func fields(_ r: Result<[String: JSONValue], ValidationError>) -> [String: JSONValue]? {
        if case .success(let f) = r { return f }
        Issue.record("unexpected failure: \(errors(r))")
        return nil
    }

    @Test func defaultsAreStored() throws {
        let c = try #require(fields(Validator.normalize(kind: .client, body: ["name": "EDF", "id": "cl_1"])))
        #expect(c == ["name": "EDF", "active": true, "country": "FR"])
        let cc = try #require(fields(Validator.normalize(kind: .clientContact, body: ["client_id": "cl_1", "last_name": "Dupont"])))
        #expect(cc == ["client_id": "cl_1", "last_name": "Dupont", "active": true, "is_primary": false, "opt_in": false])
        let e = try #require(fields(Validator.normalize(kind: .event, body: ["name": "Salon"])))
        #expect(e == ["name": "Salon"])
        let p = try #require(fields(Validator.normalize(kind: .product, body: ["name": "Cocktail", "unit_price": 12])))
        #expect(p == ["name": "Cocktail", "unit_price": 12])
    }

    @Test func allErrorsAtOnce() {
        let r = Validator.normalize(kind: .client, body: [
            "name": "", "siret": "123", "email": "x@y.fr", "country": "ZZ", "postal_code": "ABCDEFGHIJKLMNOP",
        ])
        let paths = Set(errors(r).map(\.field))
        #expect(paths == ["name", "siret", "email", "country", "postal_code"])
        #expect(errors(r).first { $0.field == "name" }?.message == "Ce champ est obligatoire.")
        #expect(errors(r).first { $0.field == "email" }?.message.contains("Champ inconnu") == true)
    }

    @Test func typeMessagesNameTheExpectedType() {
        let r = Validator.normalize(kind: .product, body: ["name": 12, "unit_price": [1]])
        let m = Dictionary(uniqueKeysWithValues: errors(r).map { ($0.field, $0.message) })
        #expect(m["name"]?.contains("chaîne de caractères") == true)
        #expect(m["name"]?.contains("nombre reçu") == true)
        #expect(m["unit_price"]?.contains("un nombre attendu") == true)
    }

    @Test func pathPrefix() {
        let r = Validator.normalize(kind: .clientContact, body: ["email": "nope", "client_id": "cl_1", "foo": 1], pathPrefix: "main_contact.")
        #expect(Set(errors(r).map(\.field)) == ["main_contact.email", "main_contact.foo"])
        let r2 = Validator.normalize(kind: .client, body: ["name": "X", "billing_addresses": [["postal_code": "1"]]], pathPrefix: "client.")
        #expect(errors(r2).map(\.field) == ["client.billing_addresses[0].postal_code"])
    }

    @Test func idRules() {
        #expect(errors(Validator.normalize(kind: .client, body: ["name": "X", "id": "cl 1"])).map(\.field) == ["id"])
        #expect(errors(Validator.normalize(kind: .client, body: ["name": "X", "id": 12])).map(\.field) == ["id"])
        #expect(fields(Validator.normalize(kind: .client, body: ["name": "X", "id": "CRM:12-a_b.c"]))?["id"] == nil)
        // A company cannot be its own parent.
        #expect(errors(Validator.normalize(kind: .client, body: ["name": "X", "id": "cl_1", "parent_id": "cl_1"])).map(\.field) == ["parent_id"])
    }

    @Test func eventDatesInOrder() {
        #expect(errors(Validator.normalize(kind: .event, body: ["name": "S", "start_date": "10/06/2024", "end_date": "2024-06-09"])).map(\.field) == ["end_date"])
        #expect(fields(Validator.normalize(kind: .event, body: ["name": "S", "start_date": "10/06/2024", "end_date": "2024-06-10"])) != nil)
    }

    @Test func billingAddresses() throws {
        let f = try #require(fields(Validator.normalize(kind: .client, body: [
            "name": "X",
            "billing_addresses": [
                ["address1": " 1 rue A ", "postal_code": "75 001", "city": "Paris"],
                ["address1": "2 Main St", "postal_code": "SW1A 1AA", "country": "Royaume-Uni"],
            ],
        ])))
        #expect(f["billing_addresses"] == [
            ["address1": "1 rue A", "postal_code": "75001", "city": "Paris", "is_default": true],
            ["address1": "2 Main St", "postal_code": "SW1A 1AA", "country": "GB", "is_default": false],
        ])
        // An explicit default is kept.
        let g = try #require(fields(Validator.normalize(kind: .partner, body: [
            "name": "X", "billing_addresses": [["city": "Lyon"], ["city": "Nice", "is_default": true]],
        ])))
        #expect(g["billing_addresses"]?.arrayValue?.map { $0.objectValue?["is_default"] } == [false, true])
        // Two defaults.
        let r = Validator.normalize(kind: .client, body: [
            "name": "X", "billing_addresses": [["city": "Lyon", "is_default": true], ["city": "Nice", "is_default": true]],
        ])
        #expect(errors(r).map(\.field) == ["billing_addresses"])
        // Postal code checked against the company's country when the address has none.
        let be = Validator.normalize(kind: .client, body: ["name": "X", "country": "BE", "billing_addresses": [["postal_code": "1000"]]])
        #expect(fields(be)?["billing_addresses"] == [["postal_code": "1000", "is_default": true]])
        // Empty address, bad type of is_default.
        let e = Validator.normalize(kind: .client, body: ["name": "X", "billing_addresses": [["is_default": true], ["city": "A", "is_default": "peut-être"]]])
        #expect(Set(errors(e).map(\.field)) == ["billing_addresses[0]", "billing_addresses[1].is_default"])
    }

    @Test func postalCodeFollowsCountry() {
        #expect(fields(Validator.normalize(kind: .client, body: ["name": "X", "country": "GB", "postal_code": " sw1a 1aa "]))?["postal_code"] == "SW1A 1AA")
        #expect(fields(Validator.normalize(kind: .client, body: ["name": "X", "country": "RE", "postal_code": "97400"]))?["postal_code"] == "97400")
        #expect(errors(Validator.normalize(kind: .client, body: ["name": "X", "country": "DE", "postal_code": "1234567890123"])).map(\.field) == ["postal_code"])
        // Invalid country: only the country is reported.
        #expect(errors(Validator.normalize(kind: .client, body: ["name": "X", "country": "Narnia", "postal_code": "N-1"])).map(\.field) == ["country"])
    }

    @Test func helpers() {
        #expect(Validator.normalizePhone("06 12 34 56 78") == "+33612345678")
        #expect(Validator.normalizePhone("n/a") == nil)
        #expect(Validator.normalizePhone("02 23 45 67 89", defaultCountry: "BE") == nil)
        #expect(Validator.frenchNationalPhone("+33612345678") == "0612345678")
        #expect(Validator.frenchNationalPhone("+262692123456") == "0692123456")
        #expect(Validator.frenchNationalPhone("+3225551234") == nil)
        #expect(Validator.normalizeSiret("732 829 320 00074") == .success("73282932000074"))
        #expect(Validator.normalizeSiret("35600000000048") == .success("35600000000048"))
        if case .failure(let m) = Validator.normalizeSiret("732829320") { #expect(m.message.contains("SIREN")) } else { Issue.record("SIREN accepted") }
        #expect(Validator.normalizeSiren("732 829 320") == .success("732829320"))
        #expect(Validator.normalizeSiren("356000000") == .success("356000000"))
        #expect((try? Validator.normalizeSiren("732829321").get()) == nil)
        #expect(Validator.frenchVatKey(siren: "303265045") == "40")
        #expect(Validator.frenchVatKey(siren: "552081317") == "03")
        #expect(Validator.luhnValid("4539578763621486"))
        #expect(!Validator.luhnValid("4539578763621487"))
        #expect(Validator.siretChecksumValid("35600000049837"))
        #expect(!Validator.siretChecksumValid("35600000049838"))
    }

    @Test func generatedIds() {
        var seen = Set<String>()
        for _ in 0..<5000 {
            let id = Validator.generateId(kind: .client)
            #expect(id.hasPrefix("cl_") && id.count == 23 && Schema.isValidId(id))
            seen.insert(id)
        }
        #expect(seen.count == 5000)
        #expect(Validator.generateId(kind: .partnerContact).hasPrefix("pc_"))
        // Time-ordered.
        let a = Validator.generateId(kind: .event)
        Thread.sleep(forTimeInterval: 0.003)
        let b = Validator.generateId(kind: .event)
        #expect(a.prefix(13) < b.prefix(13))
    }

    @Test func messagesAreFrenchAndDoNotEchoValues() {
        let secret = "jean.dupont.secret@@edf.fr"
        let r = Validator.normalize(kind: .clientContact, body: ["client_id": "cl_1", "email": .string(secret), "phone_mobile": "06 99 88 77 6X"])
        for e in errors(r) {
            #expect(!e.message.contains("dupont"))
            #expect(!e.message.contains("99 88"))
        }
        #expect(errors(r).count == 2)
    }
}

@Suite("Fast JSON")
struct FastJSONTests {
    @Test func roundTripMatchesFoundation() throws {
        let samples: [JSONValue] = [
            .object(["name": "L’Oréal \"SA\" \\ / \n\t\u{01}", "n": 12, "x": 12.5, "neg": -3, "big": 1e20, "small": 0.000012,
                     "b": true, "f": false, "z": .null, "a": [1, "deux", ["trois": 3]], "emoji": "👍🏽 é"]),
            .array([]), .object([:]), .string(""), .number(0),
        ]
        for v in samples {
            let fast = v.compactJSON()
            #expect(try JSONValue.parseFast(fast) == v)
            #expect(try JSONValue.parse(Data(fast.utf8)) == v)
            #expect(try JSONValue.parseFast(v.jsonString()) == v)
        }
        // Same text as JSONEncoder for record-like values.
        let rec: JSONValue = ["name": "EDF", "active": true, "unit_price": 12.5, "n": 3, "website": "https://edf.fr/a"]
        #expect(rec.compactJSON() == rec.jsonString())
    }

    @Test func parsesEscapesAndRejectsGarbage() throws {
        #expect(try JSONValue.parseFast(#" { "a" : "\u00e9\ud83d\udc4d\/" , "b":[ 1e2, -0.5 ] } "#) == ["a": "é👍/", "b": [100, -0.5]])
        for bad in ["", "{", "[1,]", "{\"a\":}", "tru", "01", "\"abc", "{\"a\":1} x", "1.", "\"\u{01}\""] {
            #expect(throws: JSONParseError.self) { try JSONValue.parseFast(bad) }
        }
    }

    /// A record's chosen fields, the others skipped unbuilt: the same values as a whole parse,
    /// whatever the skipped members hold (quotes, escapes, brackets inside strings, nesting).
    @Test func parseFieldsPicksTheSameValuesAsAWholeParse() throws {
        let texts = [
            #"{"a":"x","b":{"c":[1,2,{"d":"}]\"{"}],"e":null},"city":"Lyon","n":-1.5e3,"t":true,"z":"é\u00e9"}"#,
            #"{}"#,
            #" { "city" : "Saint-Étienne" , "skip" : [ "]" , "\\" , [ [ ] ] ] , "name" : "A \"B\" C" } "#,
            #"{"name":"x","custom_fields":{"secteur":"Luxe"},"billing_addresses":[{"city":"Paris","x":"{"}],"opt_in":false}"#,
        ]
        for text in texts {
            guard case .object(let whole) = try JSONValue.parseFast(text) else { Issue.record("not an object: \(text)"); continue }
            for keys in [Set<String>(), ["city"], ["name", "custom_fields", "opt_in", "missing"], Set(whole.keys)] {
                let picked = try #require(try JSONValue.parseFields(text, keys))
                #expect(picked == whole.filter { keys.contains($0.key) }, "\(text) \(keys)")
            }
        }
        #expect(try JSONValue.parseFields("[1]", ["a"]) == nil)
        #expect(throws: JSONParseError.self) { try JSONValue.parseFields(#"{"a":"x"#, ["b"]) }
    }

    /// Fuzz reproducer (scripts/fuzz.sh, target json): a number past Double's range parsed to
    /// infinity, which serialises as null, so a stored body did not read back as written.
    @Test func refusesNumbersOutOfRange() throws {
        let fuzzed = "[0,-1,9007199254740993,9769173.1348623157e308,5e-324,1E+2]"
        #expect(throws: JSONParseError.self) { try JSONValue.parseFast(fuzzed) }
        #expect(throws: JSONParseError.self) { try JSONValue.parse(Data(fuzzed.utf8)) }
        for bad in ["1e999", "-1e400", "[1E309]", "{\"unit_price\":2e308}"] {
            #expect(throws: JSONParseError.self) { try JSONValue.parseFast(bad) }
        }
        #expect(try JSONValue.parseFast("[1.7976931348623157e308,5e-324,1e-400]") == [1.7976931348623157e308, 5e-324, 0])
    }
}
