import Foundation

/// Validation and normalization of record bodies (API.md "Records"), driven by `Schema`.
///
/// Rules, in short:
/// - unknown fields, wrong JSON types and invalid values are all reported at once, each with a
///   dotted path (`billing_addresses[0].postal_code`) and a French message that does not echo
///   the value back;
/// - strings are trimmed; an empty string or `null` means "unset" (never stored);
/// - values are accepted in the forms people type and stored normalized (see the per-type
///   helpers in `Identifiers+Validation.swift`);
/// - booleans are JSON booleans; the words oui/non, true/false, vrai/faux (any case) are also
///   accepted, since spreadsheets and the import template's opt-in column carry them;
/// - numbers are JSON numbers; numeric text ("12,50", "1 200 €") is also accepted;
/// - defaults are stored explicitly: `active` true (companies and contacts), `is_primary` and
///   `opt_in` false (contacts), `country` "FR" (companies);
/// - billing addresses: at most one `is_default`; when none is, the first one becomes it, and
///   every address carries `is_default` explicitly.
public enum Validator {
    /// Longest accepted free-text value, in characters.
    public static let maxTextLength = 10_000
    public static let maxBillingAddresses = 100
    public static let maxCustomFields = 200
    public static let maxCustomFieldNameLength = 100

    static let required = "Ce champ est obligatoire."

    /// Validates and normalizes a record body for `kind` (the JSON object as received, may
    /// contain "id"). Returns the normalized fields (without "id", without nulls) or every
    /// field error at once. `pathPrefix` prefixes error paths (e.g. "main_contact.").
    public static func normalize(kind: RecordKind, body: [String: JSONValue], pathPrefix: String = "") -> Result<[String: JSONValue], ValidationError> {
        var errors: [FieldError] = []
        let specs = Schema.fields(kind)
        let names = Set(specs.map(\.name))

        // id and unknown fields.
        var ownId: String?
        for key in body.keys.sorted() where !names.contains(key) {
            if key == "id" {
                switch body[key]! {
                case .null: break
                case .string(let s):
                    let t = s.trimmedSpaces()
                    if t.isEmpty { break }
                    if Schema.isValidId(t) { ownId = t } else {
                        errors.append(FieldError(field: pathPrefix + "id", message: invalidId))
                    }
                case let v:
                    errors.append(FieldError(field: pathPrefix + "id", message: typeMessage(expected: "une chaîne de caractères", got: v)))
                }
            } else {
                errors.append(FieldError(field: pathPrefix + key, message: "Champ inconnu : « \(shortName(key)) » n'existe pas pour ce type de fiche."))
            }
        }

        // The country first: postal codes are checked against it.
        var out: [String: JSONValue] = [:]
        var country: String? = nil
        var countryKnown = true
        if names.contains("country") {
            if let v = normalizeField(FieldSpec("country", .country), body["country"], path: pathPrefix + "country", country: nil, errors: &errors) {
                out["country"] = v
                country = v.stringValue
            } else if let raw = body["country"], !raw.isNull, !(raw.stringValue?.trimmedSpaces().isEmpty ?? false) {
                countryKnown = false
            }
            if country == nil, kind.isCompany, countryKnown {
                country = "FR"
                out["country"] = .string("FR")
            }
        }

        for spec in specs where spec.name != "country" {
            let path = pathPrefix + spec.name
            let v = normalizeField(spec, body[spec.name], path: path, country: countryKnown ? (country ?? "FR") : "", errors: &errors)
            if let v { out[spec.name] = v }
            else if spec.required, !errors.contains(where: { $0.field == path }) {
                errors.append(FieldError(field: path, message: required))
            }
        }

        // Defaults, stored explicitly.
        if kind.hasActiveFlag, out["active"] == nil, !errors.contains(where: { $0.field == pathPrefix + "active" }) {
            out["active"] = .bool(true)
        }
        if kind.isContact {
            for f in ["is_primary", "opt_in"] where out[f] == nil && !errors.contains(where: { $0.field == pathPrefix + f }) {
                out[f] = .bool(false)
            }
        }

        // Cross-field rules.
        if let ownId, kind.isCompany, out["parent_id"]?.stringValue == ownId {
            errors.append(FieldError(field: pathPrefix + "parent_id", message: "Une société ne peut pas être sa propre société mère."))
        }
        if kind == .event, let s = out["start_date"]?.stringValue, let e = out["end_date"]?.stringValue, e < s {
            errors.append(FieldError(field: pathPrefix + "end_date", message: "La date de fin précède la date de début."))
        }

        return errors.isEmpty ? .success(out) : .failure(ValidationError(errors))
    }

    /// A field name as shown in a message (names are not personal data, but may be long garbage).
    static func shortName(_ key: String) -> String { key.count <= 64 ? key : String(key.prefix(64)) + "…" }

    static let invalidId = "Identifiant invalide : 1 à 128 caractères parmi lettres, chiffres, « _ », « . », « : » et « - »."

    /// French name of a JSON type, for messages.
    static func frenchTypeName(_ v: JSONValue) -> String {
        switch v {
        case .null: return "null"
        case .bool: return "un booléen"
        case .number: return "un nombre"
        case .string: return "une chaîne de caractères"
        case .array: return "un tableau"
        case .object: return "un objet"
        }
    }

    static func typeMessage(expected: String, got: JSONValue) -> String {
        "Type incorrect : \(expected) attendu, \(frenchTypeName(got)) reçu."
    }

    /// Normalizes one field value; nil when unset (absent, null, empty) or invalid (error added).
    static func normalizeField(_ spec: FieldSpec, _ value: JSONValue?, path: String, country: String?, errors: inout [FieldError]) -> JSONValue? {
        guard let value, !value.isNull else { return nil }
        func fail(_ message: String) -> JSONValue? {
            errors.append(FieldError(field: path, message: message))
            return nil
        }
        /// The trimmed string of a string value; nil for "" (unset) or a wrong type (error added).
        func text() -> String?? {
            guard case .string(let s) = value else {
                _ = fail(typeMessage(expected: "une chaîne de caractères", got: value))
                return .some(nil)
            }
            let t = s.trimmedSpaces()
            if t.isEmpty { return nil }
            return .some(t)
        }
        func string(_ normalizer: (String) -> Result<String, ValueError>) -> JSONValue? {
            switch text() {
            case .none: return nil
            case .some(.none): return nil
            case .some(.some(let t)):
                switch normalizer(t) {
                case .success(let s): return .string(s)
                case .failure(let m): return fail(m.message)
                }
            }
        }

        switch spec.type {
        case .text:
            return string { t in
                t.count > maxTextLength ? .failure("Texte trop long (\(maxTextLength) caractères au plus).") : .success(t)
            }
        case .bool:
            switch value {
            case .bool: return value
            case .string(let s):
                if s.trimmedSpaces().isEmpty { return nil }
                if let b = parseBoolText(s) { return .bool(b) }
                return fail("Valeur incorrecte : booléen attendu (true/false, ou « oui »/« non »).")
            default:
                return fail(typeMessage(expected: "un booléen (true/false)", got: value))
            }
        case .number:
            switch value {
            case .number(let n):
                return n.isFinite ? value : fail("Nombre invalide.")
            case .string(let s):
                if s.trimmedSpaces().isEmpty { return nil }
                if let n = parseNumberText(s) { return .number(n) }
                return fail("Valeur incorrecte : nombre attendu (ex. 12.50).")
            default:
                return fail(typeMessage(expected: "un nombre", got: value))
            }
        case .date: return string(normalizeDate)
        case .datetime: return string(normalizeDateTime)
        case .siret: return string(normalizeSiret)
        case .vat: return string(normalizeVat)
        case .email: return string(normalizeEmail)
        case .phone: return string { phoneResult($0) }
        case .ape: return string(normalizeApe)
        case .postalCode:
            // Spreadsheets turn postal codes into numbers (and drop the leading 0): accept integers.
            let raw: String
            switch value {
            case .number(let n) where n.rounded() == n && n >= 0 && n < 1e12: raw = String(Int64(n))
            case .string(let s): raw = s
            default: return fail(typeMessage(expected: "une chaîne de caractères", got: value))
            }
            let t = raw.trimmedSpaces()
            if t.isEmpty { return nil }
            let r: Result<String, ValueError>
            if country == "" {
                // Country invalid (already reported): only the length is checked.
                r = t.count <= 12 ? .success(t) : .failure("Code postal trop long (12 caractères au plus).")
            } else {
                r = normalizePostalCode(t, country: country)
            }
            switch r {
            case .success(let s): return .string(s)
            case .failure(let m): return fail(m.message)
            }
        case .country: return string(normalizeCountry)
        case .civility: return string(normalizeCivility)
        case .url: return string(normalizeURL)
        case .recordRef:
            return string { Schema.isValidId($0) ? .success($0) : .failure(ValueError(invalidId)) }
        case .billingAddresses:
            return normalizeBillingAddresses(value, path: path, country: country, errors: &errors)
        case .customFields:
            return normalizeCustomFields(value, path: path, errors: &errors)
        }
    }

    static func normalizeBillingAddresses(_ value: JSONValue, path: String, country: String?, errors: inout [FieldError]) -> JSONValue? {
        guard case .array(let items) = value else {
            errors.append(FieldError(field: path, message: typeMessage(expected: "un tableau d'adresses", got: value)))
            return nil
        }
        if items.isEmpty { return nil }
        guard items.count <= maxBillingAddresses else {
            errors.append(FieldError(field: path, message: "Trop d'adresses de facturation (\(maxBillingAddresses) au plus)."))
            return nil
        }
        let names = Set(Schema.billingAddressFields.map(\.name))
        var result: [[String: JSONValue]] = []
        var failed = false
        for (i, item) in items.enumerated() {
            let p = "\(path)[\(i)]"
            guard case .object(let o) = item else {
                errors.append(FieldError(field: p, message: typeMessage(expected: "un objet adresse", got: item)))
                failed = true
                continue
            }
            var address: [String: JSONValue] = [:]
            let before = errors.count
            for key in o.keys.sorted() where !names.contains(key) {
                errors.append(FieldError(field: "\(p).\(key)", message: "Champ inconnu : « \(shortName(key)) » n'existe pas pour une adresse de facturation."))
            }
            var addressCountry = country
            if let c = normalizeField(FieldSpec("country", .country), o["country"], path: "\(p).country", country: nil, errors: &errors) {
                address["country"] = c
                addressCountry = c.stringValue
            } else if errors.count > before, errors.last?.field == "\(p).country" {
                addressCountry = ""
            }
            for spec in Schema.billingAddressFields where spec.name != "country" {
                if let v = normalizeField(spec, o[spec.name], path: "\(p).\(spec.name)", country: addressCountry, errors: &errors) {
                    address[spec.name] = v
                }
            }
            if errors.count > before { failed = true; continue }
            if address.keys.allSatisfy({ $0 == "is_default" }) {
                errors.append(FieldError(field: p, message: "Adresse de facturation vide."))
                failed = true
                continue
            }
            result.append(address)
        }
        if failed { return nil }
        let defaults = result.indices.filter { result[$0]["is_default"]?.boolValue == true }
        if defaults.count > 1 {
            errors.append(FieldError(field: path, message: "Une seule adresse de facturation peut être l'adresse par défaut."))
            return nil
        }
        let chosen = defaults.first ?? 0
        for i in result.indices { result[i]["is_default"] = .bool(i == chosen) }
        return .array(result.map { .object($0) })
    }

    static func normalizeCustomFields(_ value: JSONValue, path: String, errors: inout [FieldError]) -> JSONValue? {
        guard case .object(let o) = value else {
            errors.append(FieldError(field: path, message: typeMessage(expected: "un objet {nom: valeur}", got: value)))
            return nil
        }
        guard o.count <= maxCustomFields else {
            errors.append(FieldError(field: path, message: "Trop de champs personnalisés (\(maxCustomFields) au plus)."))
            return nil
        }
        var out: [String: JSONValue] = [:]
        var failed = false
        for key in o.keys.sorted() {
            let p = "\(path).\(key)"
            let name = key.trimmedSpaces()
            guard !name.isEmpty, name.count <= maxCustomFieldNameLength else {
                errors.append(FieldError(field: p, message: "Nom de champ personnalisé vide ou trop long (\(maxCustomFieldNameLength) caractères au plus)."))
                failed = true
                continue
            }
            switch o[key]! {
            case .null: continue
            case .bool(let b): out[name] = .bool(b)
            case .number(let n):
                guard n.isFinite else { failed = true; errors.append(FieldError(field: p, message: "Nombre invalide.")); continue }
                out[name] = .number(n)
            case .string(let s):
                let t = s.trimmedSpaces()
                if t.isEmpty { continue }
                guard t.count <= maxTextLength else {
                    failed = true
                    errors.append(FieldError(field: p, message: "Texte trop long (\(maxTextLength) caractères au plus)."))
                    continue
                }
                out[name] = .string(t)
            case .array, .object:
                failed = true
                errors.append(FieldError(field: p, message: "Valeur non acceptée : texte, nombre, booléen ou null attendu (pas de liste ni d'objet)."))
            }
        }
        if failed || out.isEmpty { return nil }
        return .object(out)
    }

    // MARK: - Ids

    static let crockford: [Character] = Array("0123456789abcdefghjkmnpqrstvwxyz")

    /// A new id for `kind`: prefix, `_`, 10 base-32 characters of the time in milliseconds
    /// (ids sort by creation time), 10 random base-32 characters (50 bits). "cl_01j5x…".
    public static func generateId(kind: RecordKind) -> String {
        var rng = SystemRandomNumberGenerator()
        let ms = UInt64(max(0, Date().timeIntervalSince1970 * 1000))
        var s = kind.idPrefix + "_"
        for shift in stride(from: 45, through: 0, by: -5) {
            s.append(crockford[Int((ms >> UInt64(shift)) & 31)])
        }
        let r = rng.next() as UInt64
        for shift in stride(from: 45, through: 0, by: -5) {
            s.append(crockford[Int((r >> UInt64(shift)) & 31)])
        }
        return s
    }
}
