/// The six kinds of searchable records (API.md "Records").
public enum RecordKind: String, CaseIterable, Codable, Sendable, Hashable {
    case client
    case clientContact = "client_contact"
    case partner
    case partnerContact = "partner_contact"
    case event
    case product

    /// The collection path segment of the HTTP API (`/v1/client-contacts`).
    public var pathSegment: String {
        switch self {
        case .client: return "clients"
        case .clientContact: return "client-contacts"
        case .partner: return "partners"
        case .partnerContact: return "partner-contacts"
        case .event: return "events"
        case .product: return "products"
        }
    }

    public init?(pathSegment: String) {
        guard let k = RecordKind.allCases.first(where: { $0.pathSegment == pathSegment }) else { return nil }
        self = k
    }

    public var isCompany: Bool { self == .client || self == .partner }
    public var isContact: Bool { self == .clientContact || self == .partnerContact }
    /// Records of these kinds carry an `active` flag; events and products are always active.
    public var hasActiveFlag: Bool { isCompany || isContact }

    /// For a contact: the kind of its company and the field that links to it.
    public var companyKind: RecordKind? {
        switch self {
        case .clientContact: return .client
        case .partnerContact: return .partner
        default: return nil
        }
    }
    /// For a company: the kind of its contacts.
    public var contactKind: RecordKind? {
        switch self {
        case .client: return .clientContact
        case .partner: return .partnerContact
        default: return nil
        }
    }
    /// The field of this record that points at its owning company, if any.
    public var companyField: String? {
        switch self {
        case .clientContact, .event: return "client_id"
        case .partnerContact, .product: return "partner_id"
        default: return nil
        }
    }

    /// French label of the result group (API.md search response).
    public var groupLabel: String {
        switch self {
        case .client: return "Client-Sociétés"
        case .clientContact: return "Client-Contacts"
        case .partner: return "Partenaire-Sociétés"
        case .partnerContact: return "Partenaire-Contacts"
        case .event: return "Événements"
        case .product: return "Produits"
        }
    }

    /// Short stable code used in index terms and ids (never change: stored in indexes).
    public var code: String {
        switch self {
        case .client: return "c"
        case .clientContact: return "cc"
        case .partner: return "p"
        case .partnerContact: return "pc"
        case .event: return "e"
        case .product: return "r"
        }
    }

    /// Prefix of generated ids (`cl_…`).
    public var idPrefix: String {
        switch self {
        case .client: return "cl"
        case .clientContact: return "cc"
        case .partner: return "pa"
        case .partnerContact: return "pc"
        case .event: return "ev"
        case .product: return "pr"
        }
    }
}

/// The four tabs of the search bar, in display order.
public enum SearchTab: String, CaseIterable, Codable, Sendable {
    case clients, partners, events, products

    public var label: String {
        switch self {
        case .clients: return "Clients"
        case .partners: return "Partenaires"
        case .events: return "Événements"
        case .products: return "Produits"
        }
    }

    public var kinds: [RecordKind] {
        switch self {
        case .clients: return [.client, .clientContact]
        case .partners: return [.partner, .partnerContact]
        case .events: return [.event]
        case .products: return [.product]
        }
    }
}

extension RecordKind {
    /// Width of a kind's document-id range: the records of kind k have ids in
    /// `docidBase ..< docidBase + docidRangeSize`, so a document id tells its kind and the
    /// documents of a kind are one contiguous run of an index's posting lists.
    public static let docidRangeSize: Int64 = 1 << 28

    /// Ordinal of the kind in document-id ranges (never change: stored in stores and indexes).
    public var docidOrdinal: Int64 {
        switch self {
        case .client: return 0
        case .clientContact: return 1
        case .partner: return 2
        case .partnerContact: return 3
        case .event: return 4
        case .product: return 5
        }
    }

    /// The first document id of the kind's range minus one (ids start at `docidBase + 1`).
    public var docidBase: Int64 { docidOrdinal * Self.docidRangeSize }

    /// The kind whose range holds `docid`, if any.
    public static func of(docid: Int64) -> RecordKind? {
        let ordinal = (docid - 1) / docidRangeSize
        return allCases.first { $0.docidOrdinal == ordinal }
    }
}
