import Model

/// The index's term prefixes. Every term is a prefix (upper case) followed by a folded value
/// (lower case, digits), so prefixes never collide with values. Changing any of these changes
/// what an index means: bump `IndexLayout.version`, which asks for a reindex.
///
/// The layout is chosen for indexing cost as much as for search (benchmarks/README.md,
/// "Where indexing time goes"): Xapian 1.4 spends about 2 µs per posting of a shared term and
/// 4–6 µs per near-unique term, so a document carries each word once, its field class in
/// the wdf, and the identifiers a search needs, no more.
///
/// Field classes (the weighting is `Weighting.wdf`: a term weighs its wdf times the query's
/// scale factor, see `Weights`): a word's wdf is the best class it appears in:
/// - names (`FieldClass.name`): company name, contact first/last name, event and product name;
/// - secondary: a contact's company, an event's client and contact, a product's partner, city,
///   position, category, venue, type;
/// - other: addresses, comments, descriptions, e-mail words, social handles, custom fields.
enum Prefix {
    static let kind = "K"               // K<kindcode>: every record of the kind (wdf 0)
    static let inactive = "Y0"          // inactive records only (wdf 0); searches exclude them by default
    static let word = "W"               // W<word>: every searchable word, wdf = its best field class
    /// T<kindcode><a|i><tier><gram>: the 1–3 character prefixes of the words of a record's name
    /// (tier `f` for its first word, `n` for the others) and of the company it shows (`s`),
    /// each gram once per document in its best tier. A gram's exact total per kind is the sum
    /// of three term frequencies, and its hits come tier by tier without scoring.
    static let gram = "T"
    static let fullName = "F"           // the name's words sorted and joined by one space ("dupont jean")
    static let phone = "P"              // national digits (French numbers), else international digits
    static let phoneReversed = "PR"     // the same digits reversed: "ends with" is a prefix of it
    static let phonePrefix = "PP"       // the first 4 digits of the national form
    static let siret = "I"              // SIRET and SIREN digits (a French VAT number gives its SIREN)
    static let vat = "V"                // VAT numbers of other countries
    static let email = "M"              // whole address; its local part is a prefix of it
    static let emailDomain = "MD"       // the address's domain
    static let reference = "R"          // a reference's folded characters, and its last number
    static let ape = "A"
    static let postalCode = "Z"
    static let website = "U"

    static func gram(_ kind: RecordKind, active: Bool, tier: GramTier) -> String {
        gram + kind.code + (active ? "a" : "i") + tier.rawValue
    }
}

/// Weight classes of words, as wdf (ratios 10 : 3 : 1.5).
enum FieldClass: UInt32 {
    case name = 20
    case secondary = 6
    case other = 3
}

/// Tiers of a gram term (`Prefix.gram`).
enum GramTier: String, CaseIterable {
    case first = "f"      // the first word of the record's name starts so
    case name = "n"       // another word of its name
    case secondary = "s"  // a word of the company (or client, partner) it shows
}

/// Value slots.
enum Slot {
    /// Equal scores are ordered by this value, ascending: the title's length in characters
    /// (2 bytes, big-endian: "EDF" before "EDF Renewables Normandie"), then the record id
    /// (API.md: ties by id), so paging is stable.
    static let sortKey: UInt32 = 0
    // Slots 1 and 2 are free (layouts ≤ 7 kept a rank boost and the kind there).
    static let display: UInt32 = 3       // `DocumentData`: what a hit shows (a value, not the document
                                         // data: Xapian compresses document data, at ~5 µs a document)
}

enum IndexLayout {
    /// Bump when terms, values or document data change meaning.
    static let version = "10"  // 10: folding runs Latin-ASCII again after mark removal
    /// Longest gram indexed. Prefixes of 1–3 characters (tens of thousands of words share
    /// them) are single terms; from 4 characters a wildcard over the word terms is as fast
    /// and keeps the index (and indexing time) far smaller.
    static let maxGram = 3
    /// Words a name prefix wildcard expands to: all of them (0), so totals stay exact and
    /// rare words are never dropped.
    static let wildcardLimit: UInt32 = 0
}
