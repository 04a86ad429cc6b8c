import Model

/// Thresholds and limits of the duplicate check (API.md "Duplicate check before creation").
///
/// Scores are in 0–1. Documented defaults:
/// - `reportThreshold` 0.5: candidates below are not returned;
/// - `blockThreshold` 0.85: creating a record whose best candidate scores at least this answers
///   `409 duplicate` unless `?force=true`. Same SIRET, same VAT, same e-mail, a same-named
///   company in the same city, a same-named contact in the same company block; another
///   establishment (same SIREN, other SIRET), a similar name, an acronym or an initial are
///   only reported;
/// - `maxCandidates` 50: records fetched from the index and the store for scoring;
/// - `maxResults` 10: candidates returned, best first.
public struct DuplicateConfig: Sendable, Hashable {
    public var reportThreshold: Double = 0.5
    public var blockThreshold: Double = 0.85
    public var maxCandidates: Int = 50
    public var maxResults: Int = 10
    /// Contacts of one company read from the store to compare names with (same-company rule).
    public var maxCompanyContacts: Int = 200

    public init(reportThreshold: Double = 0.5, blockThreshold: Double = 0.85, maxCandidates: Int = 50, maxResults: Int = 10) {
        self.reportThreshold = reportThreshold
        self.blockThreshold = blockThreshold
        self.maxCandidates = maxCandidates
        self.maxResults = maxResults
    }

    public static let `default` = DuplicateConfig()
}

/// Why a candidate looks like the record checked: API.md's reason codes.
public enum DuplicateReason: String, Sendable, Hashable, CaseIterable, Codable {
    case siret, siren, vat, email, phone
    case websiteDomain = "website_domain"
    case name
    case nameSimilar = "name_similar"
    case acronym
    case nameSwapped = "name_swapped"
    case initial
}

/// A likely duplicate of the record checked.
public struct DuplicateCandidate: Sendable, Hashable {
    public var id: String
    public var kind: RecordKind
    /// 0–1, rounded to two decimals.
    public var score: Double
    public var active: Bool
    /// Strongest evidence first.
    public var reasons: [DuplicateReason]

    public init(id: String, kind: RecordKind, score: Double, active: Bool, reasons: [DuplicateReason]) {
        self.id = id
        self.kind = kind
        self.score = score
        self.active = active
        self.reasons = reasons
    }

    /// `{"id","kind","score","active","reasons"}` as API.md shows it.
    public var json: JSONValue {
        .object([
            "id": .string(id),
            "kind": .string(kind.rawValue),
            "score": .number(score),
            "active": .bool(active),
            "reasons": .array(reasons.map { .string($0.rawValue) }),
        ])
    }
}

extension RecordKind {
    /// The kinds the duplicate check accepts.
    public var supportsDuplicateCheck: Bool { isCompany || isContact }
}
