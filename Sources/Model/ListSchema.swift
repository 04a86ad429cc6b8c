/// The list screens (API.md "Lists"): which lists exist, their columns (the record's fields
/// plus derived ones), each column's type and the filter operators it accepts. The store's list
/// tables, the list query, the HTTP `columns` description and the page all read this.
public enum ListName: String, CaseIterable, Sendable, Hashable {
    case clients, contacts, partners
    case partnerContacts = "partner-contacts"
    case events, products

    public var kind: RecordKind {
        switch self {
        case .clients: return .client
        case .contacts: return .clientContact
        case .partners: return .partner
        case .partnerContacts: return .partnerContact
        case .events: return .event
        case .products: return .product
        }
    }

    public init(kind: RecordKind) {
        self = ListName.allCases.first { $0.kind == kind }!
    }

    /// French title of the list screen.
    public var label: String {
        switch self {
        case .clients: return "Clients"
        case .contacts: return "Contacts"
        case .partners: return "Partenaires"
        case .partnerContacts: return "Contacts partenaires"
        case .events: return "Événements"
        case .products: return "Produits"
        }
    }

    /// The order of a list without a query and without a sort.
    public var defaultSort: [ListSortKey] {
        switch self {
        case .contacts, .partnerContacts:
            return [ListSortKey(column: "last_name", descending: false), ListSortKey(column: "first_name", descending: false)]
        default:
            return [ListSortKey(column: "name", descending: false)]
        }
    }

    public var columns: [ListColumn] { ListSchema.columns(self) }

    public func column(_ name: String) -> ListColumn? {
        if let c = ListSchema.columnIndex[self]?[name] { return c }
        if name.hasPrefix("custom."), name.count > 7 {
            return ListColumn(name: name, label: String(name.dropFirst(7)), type: .text, source: .custom(String(name.dropFirst(7))))
        }
        return nil
    }
}

public enum ListColumnType: String, Sendable, Hashable {
    case text, select, number, date, bool

    public var ops: [ListOp] {
        switch self {
        case .text, .select: return [.eq, .in, .contains, .startsWith, .empty, .notEmpty]
        case .number, .date: return [.eq, .in, .between, .empty, .notEmpty]
        case .bool: return [.eq, .in, .empty, .notEmpty]
        }
    }
}

public enum ListOp: String, Sendable, Hashable, CaseIterable {
    case eq, `in`, contains
    case startsWith = "starts_with"
    case between, empty
    case notEmpty = "not_empty"
}

public struct ListSortKey: Sendable, Hashable {
    public var column: String
    public var descending: Bool
    public init(column: String, descending: Bool) {
        self.column = column
        self.descending = descending
    }
}

/// Where a column's value comes from.
public enum ListColumnSource: Sendable, Hashable {
    /// A field of the record itself.
    case field(String)
    /// The record's id.
    case id
    /// A field of the company's main contact (`name`: "first last").
    case mainContact(String)
    /// Number of records of a kind attached to this one (contacts or events of a company,
    /// products of a partner, events of a contact).
    case count(RecordKind)
    /// A field of the record a reference field points to (`client_id` → the client's `name`).
    case referenced(via: String, kind: RecordKind, field: String)
    /// A custom field (`custom.<name>`), read from the record at query time.
    case custom(String)

    public var isDerived: Bool {
        switch self {
        case .field, .id, .custom: return false
        default: return true
        }
    }
}

public struct ListColumn: Sendable, Hashable {
    public var name: String
    public var label: String
    public var type: ListColumnType
    public var source: ListColumnSource
    /// A phone number: compared on its national digits (`06 12` finds `+33612…`).
    public var isPhone: Bool
    /// Several values separated by commas (`language`): `eq`/`in` match any one of them.
    public var isMulti: Bool
    /// Whether the list table keeps an SQL index on it (sort and filter without a scan).
    public var indexed: Bool
    /// Compared as typed (ids and references to other records), not folded.
    public var isRaw: Bool

    public init(name: String, label: String, type: ListColumnType, source: ListColumnSource,
                isPhone: Bool = false, isMulti: Bool = false, indexed: Bool = false, isRaw: Bool = false) {
        self.name = name
        self.label = label
        self.type = type
        self.source = source
        self.isPhone = isPhone
        self.isMulti = isMulti
        self.indexed = indexed
        self.isRaw = isRaw
    }

    /// The SQL column of the list table holding the column's sort and filter key.
    public var keyColumn: String { "k_" + name }
    /// The SQL column holding a derived text column's display value.
    public var displayColumn: String { "d_" + name }
    public var isCustom: Bool { if case .custom = source { return true } else { return false } }
}

public enum ListSchema {
    /// French labels of record fields in lists.
    static let labels: [String: String] = [
        "name": "Nom", "website": "Site web", "type": "Type société", "address1": "Adresse 1", "address2": "Adresse 2",
        "postal_code": "Code postal", "city": "Ville", "country": "Pays", "vat_number": "Numéro de TVA",
        "accounting_account": "Compte comptable", "siret": "SIRET", "ape_code": "Code APE", "language": "Langues",
        "active": "Actif", "created_at": "Date de création", "parent_id": "Société mère", "category": "Catégorie",
        "client_id": "Identifiant client", "partner_id": "Identifiant partenaire", "civility": "Civilité",
        "first_name": "Prénom", "last_name": "Nom", "email": "Email", "position": "Poste occupé",
        "phone_direct": "Téléphone direct", "phone_mobile": "Portable", "phone_switchboard": "Standard",
        "facebook": "Facebook", "linkedin": "LinkedIn", "twitter": "Twitter", "instagram": "Instagram",
        "source": "Source", "potential": "Potentiel", "situation": "Situation", "stage": "État d'avancement",
        "sales_rep": "Commercial", "opt_in": "Opt-in", "is_primary": "Contact principal", "comment": "Commentaire",
        "comment_category": "Catégorie du commentaire", "reference": "Référence", "contact_id": "Identifiant contact",
        "start_date": "Date de début", "end_date": "Date de fin", "venue": "Lieu", "status": "Statut",
        "description": "Description", "unit_price": "Prix unitaire",
    ]

    /// Text fields whose values are picked from a short set (filters offer "one of").
    static let selectFields: Set<String> = [
        "type", "city", "country", "language", "civility", "source", "potential", "situation", "stage", "sales_rep",
        "comment_category", "category", "status",
    ]

    /// Columns kept under an SQL index in each list (the usual sorts and filters).
    static let indexedFields: [ListName: Set<String>] = [
        .clients: ["name", "city", "type", "postal_code", "created_at"],
        .partners: ["name", "city", "category"],
        .contacts: ["last_name", "client_id", "email", "client_name"],
        .partnerContacts: ["last_name", "partner_id", "email"],
        .events: ["name", "client_id", "contact_id", "start_date"],
        .products: ["name", "partner_id"],
    ]

    public static func columns(_ list: ListName) -> [ListColumn] { table[list]! }

    static let table: [ListName: [ListColumn]] = {
        var out: [ListName: [ListColumn]] = [:]
        for list in ListName.allCases { out[list] = build(list) }
        return out
    }()

    static let columnIndex: [ListName: [String: ListColumn]] = {
        var out: [ListName: [String: ListColumn]] = [:]
        for (list, cols) in table { out[list] = Dictionary(uniqueKeysWithValues: cols.map { ($0.name, $0) }) }
        return out
    }()

    static func build(_ list: ListName) -> [ListColumn] {
        let kind = list.kind
        let indexed = indexedFields[list] ?? []
        var cols: [ListColumn] = []
        func add(_ c: ListColumn) {
            var c = c
            c.indexed = c.indexed || indexed.contains(c.name)
            cols.append(c)
        }
        // Derived columns first where the seed's list shows them early.
        var derived: [ListColumn] = []
        switch list {
        case .clients, .partners:
            let ck = kind.contactKind!
            derived = [
                ListColumn(name: "main_contact", label: "Contact principal", type: .text, source: .mainContact("name")),
                ListColumn(name: "phone", label: "Téléphone", type: .text, source: .mainContact("phone_direct"), isPhone: true),
                ListColumn(name: "email", label: "Email", type: .text, source: .mainContact("email")),
                ListColumn(name: "opt_in", label: "Opt-in", type: .bool, source: .mainContact("opt_in")),
                ListColumn(name: "contacts_count", label: "Nombre de contacts", type: .number, source: .count(ck)),
            ]
            if list == .clients {
                derived.append(ListColumn(name: "events_count", label: "Nombre d'événements", type: .number, source: .count(.event)))
            } else {
                derived.append(ListColumn(name: "products_count", label: "Nombre de produits", type: .number, source: .count(.product)))
            }
        case .contacts:
            derived = [
                ListColumn(name: "client_name", label: "Client", type: .text, source: .referenced(via: "client_id", kind: .client, field: "name")),
                ListColumn(name: "accounting_account", label: "Compte comptable", type: .text,
                           source: .referenced(via: "client_id", kind: .client, field: "accounting_account")),
                ListColumn(name: "events_count", label: "Nombre d'événements", type: .number, source: .count(.event)),
            ]
        case .partnerContacts:
            derived = [
                ListColumn(name: "partner_name", label: "Partenaire", type: .text, source: .referenced(via: "partner_id", kind: .partner, field: "name")),
                ListColumn(name: "accounting_account", label: "Compte comptable", type: .text,
                           source: .referenced(via: "partner_id", kind: .partner, field: "accounting_account")),
            ]
        case .events:
            derived = [
                ListColumn(name: "client_name", label: "Client", type: .text, source: .referenced(via: "client_id", kind: .client, field: "name")),
                ListColumn(name: "contact_name", label: "Contact", type: .text, source: .referenced(via: "contact_id", kind: .clientContact, field: "name")),
            ]
        case .products:
            derived = [
                ListColumn(name: "partner_name", label: "Partenaire", type: .text, source: .referenced(via: "partner_id", kind: .partner, field: "name")),
            ]
        }
        let derivedNames = Set(derived.map(\.name))
        for spec in Schema.fields(kind) {
            if derivedNames.contains(spec.name) { continue }
            let type: ListColumnType
            var phone = false
            var raw = false
            switch spec.type {
            case .bool: type = .bool
            case .number: type = .number
            case .date, .datetime: type = .date
            case .billingAddresses, .customFields: continue
            case .phone: type = .text; phone = true
            case .country, .civility: type = .select
            case .recordRef: type = .text; raw = true
            default: type = selectFields.contains(spec.name) ? .select : .text
            }
            var label = labels[spec.name] ?? spec.name
            if spec.name == "name" {
                switch list {
                case .clients: label = "Société"
                case .partners: label = "Partenaire"
                case .events: label = "Événement"
                case .products: label = "Produit"
                default: break
                }
            }
            add(ListColumn(name: spec.name, label: label, type: type, source: .field(spec.name), isPhone: phone,
                           isMulti: spec.name == "language", isRaw: raw))
        }
        for d in derived { add(d) }
        add(ListColumn(name: "id", label: "Identifiant", type: .text, source: .id, isRaw: true))
        return cols
    }
}
