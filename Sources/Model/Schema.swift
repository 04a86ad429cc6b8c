/// The fields of each record kind (API.md "Records"), with the type that decides how a value
/// is validated and normalized. The single source of truth for field names: the validator,
/// the indexer, the import/export columns and the OpenAPI description all read it.
public enum FieldType: Sendable, Hashable {
    case text            // free text, trimmed
    case bool
    case number          // e.g. unit_price, in euros
    case date            // YYYY-MM-DD (accepts dd/mm/yyyy)
    case datetime        // RFC 3339 UTC
    case siret           // 14 digits, Luhn (La Poste exception); a 9-digit SIREN is refused here
    case vat             // intra-EU VAT, upper case without spaces; FR key checked
    case email           // trimmed, lower-cased
    case phone           // E.164
    case ape             // 4 digits + letter, "6202A"
    case postalCode      // 5 digits in France, free elsewhere (checked against `country`)
    case country         // ISO 3166 alpha-2, upper case, default FR
    case civility        // Monsieur, Madame, Professeur, Maître, Docteur
    case url             // website
    case recordRef(RecordKind) // id of another record
    case billingAddresses
    case customFields
}

public struct FieldSpec: Sendable, Hashable {
    public var name: String
    public var type: FieldType
    public var required: Bool
    public init(_ name: String, _ type: FieldType, required: Bool = false) {
        self.name = name
        self.type = type
        self.required = required
    }
}

public enum Schema {
    static let company: [FieldSpec] = [
        FieldSpec("name", .text, required: true),
        FieldSpec("website", .url),
        FieldSpec("type", .text),
        FieldSpec("address1", .text),
        FieldSpec("address2", .text),
        FieldSpec("postal_code", .postalCode),
        FieldSpec("city", .text),
        FieldSpec("country", .country),
        FieldSpec("vat_number", .vat),
        FieldSpec("accounting_account", .text),
        FieldSpec("siret", .siret),
        FieldSpec("ape_code", .ape),
        FieldSpec("language", .text),
        FieldSpec("active", .bool),
        FieldSpec("created_at", .datetime),
        FieldSpec("billing_addresses", .billingAddresses),
        FieldSpec("custom_fields", .customFields),
    ]

    static let contact: [FieldSpec] = [
        FieldSpec("civility", .civility),
        FieldSpec("first_name", .text),
        FieldSpec("last_name", .text),
        FieldSpec("email", .email),
        FieldSpec("position", .text),
        FieldSpec("phone_direct", .phone),
        FieldSpec("phone_mobile", .phone),
        FieldSpec("phone_switchboard", .phone),
        FieldSpec("facebook", .text),
        FieldSpec("linkedin", .text),
        FieldSpec("twitter", .text),
        FieldSpec("instagram", .text),
        FieldSpec("source", .text),
        FieldSpec("potential", .text),
        FieldSpec("situation", .text),
        FieldSpec("stage", .text),
        FieldSpec("sales_rep", .text),
        FieldSpec("opt_in", .bool),
        FieldSpec("active", .bool),
        FieldSpec("is_primary", .bool),
        FieldSpec("comment", .text),
        FieldSpec("comment_category", .text),
        FieldSpec("created_at", .datetime),
        FieldSpec("custom_fields", .customFields),
    ]

    public static func fields(_ kind: RecordKind) -> [FieldSpec] {
        switch kind {
        case .client:
            return company + [FieldSpec("parent_id", .recordRef(.client))]
        case .partner:
            return company + [FieldSpec("parent_id", .recordRef(.partner)), FieldSpec("category", .text)]
        case .clientContact:
            return [FieldSpec("client_id", .recordRef(.client), required: true)] + contact
        case .partnerContact:
            return [FieldSpec("partner_id", .recordRef(.partner), required: true)] + contact
        case .event:
            return [
                FieldSpec("name", .text, required: true),
                FieldSpec("reference", .text),
                FieldSpec("client_id", .recordRef(.client)),
                FieldSpec("contact_id", .recordRef(.clientContact)),
                FieldSpec("start_date", .date),
                FieldSpec("end_date", .date),
                FieldSpec("venue", .text),
                FieldSpec("city", .text),
                FieldSpec("status", .text),
                FieldSpec("description", .text),
                FieldSpec("created_at", .datetime),
            ]
        case .product:
            return [
                FieldSpec("name", .text, required: true),
                FieldSpec("reference", .text),
                FieldSpec("category", .text),
                FieldSpec("description", .text),
                FieldSpec("unit_price", .number),
                FieldSpec("partner_id", .recordRef(.partner)),
                FieldSpec("created_at", .datetime),
            ]
        }
    }

    public static func spec(_ kind: RecordKind, _ field: String) -> FieldSpec? {
        fields(kind).first { $0.name == field }
    }

    /// Fields of a billing address object.
    public static let billingAddressFields: [FieldSpec] = [
        FieldSpec("address1", .text),
        FieldSpec("address2", .text),
        FieldSpec("postal_code", .postalCode),
        FieldSpec("city", .text),
        FieldSpec("country", .country),
        FieldSpec("is_default", .bool),
    ]

    /// The id pattern of API.md: `[A-Za-z0-9_.:-]{1,128}`.
    public static func isValidId(_ id: String) -> Bool {
        guard !id.isEmpty, id.utf8.count <= 128 else { return false }
        return id.utf8.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
                || b == 0x5F || b == 0x2E || b == 0x3A || b == 0x2D
        }
    }

    /// Tenant names: `[a-z0-9_-]{1,63}`.
    public static func isValidTenant(_ name: String) -> Bool {
        guard !name.isEmpty, name.utf8.count <= 63 else { return false }
        return name.utf8.allSatisfy { b in (b >= 0x30 && b <= 0x39) || (b >= 0x61 && b <= 0x7A) || b == 0x5F || b == 0x2D }
    }
}
