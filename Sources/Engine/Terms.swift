/// The index's term prefixes. Every term is a prefix (upper case) followed by a folded value
/// (lower case, digits), so prefixes never collide with values. Changing any of these changes
/// what an index means: bump `IndexLayout.version`, which asks for a reindex.
///
/// Field classes (weights decide the ranking, see `Weights`):
/// - names (`W` words, `G` edge n-grams): company name, contact first/last name, event and product name;
/// - secondary (`S` words, `H` edge n-grams): a contact's company, an event's client and contact,
///   a product's partner, city, position, category, venue, type;
/// - other (`O` words, prefix through a bounded wildcard): addresses, comments, descriptions…
enum Prefix {
    static let id = "Q"                 // Q<kindcode>:<id>, unique per document
    static let kind = "K"               // K<kindcode>
    static let kindActive = "KA"        // KA<kindcode>: active records of a kind
    static let kindInactive = "KI"      // KI<kindcode>: inactive records of a kind
    static let active = "Y1"            // every active record
    static let inactive = "Y0"          // every inactive record
    static let nameWord = "W"
    static let nameGram = "G"
    static let secondaryWord = "S"
    static let secondaryGram = "H"
    static let otherWord = "O"
    static let fullName = "F"           // the whole folded name (words joined by one space)
    static let nameStart = "B"          // 1–3 character prefixes of a name's first word
    static let phone = "P"              // national and international digits
    static let phoneSuffix = "PS"       // the last 4…8 digits
    static let phonePrefix = "PP"       // leading digits of the national form, 6 to 9
    static let siret = "I"              // SIRET and SIREN digits (leading digits: a bounded wildcard)
    static let vat = "V"
    static let email = "M"              // whole address
    static let emailLocal = "ML"
    static let emailDomain = "MD"
    static let reference = "R"
    static let ape = "A"
    static let postalCode = "Z"
    static let website = "U"
    /// Short-prefix count terms: T<kindcode><a|i><gram> for name/secondary grams of 1–3 characters,
    /// so the exact total of a one- to three-letter query is a term frequency.
    static let shortGram = "T"
}

/// Value slots.
enum Slot {
    static let id: UInt32 = 0            // record id (ties broken by id, API.md)
    static let staticRank: UInt32 = 1    // sortable_serialise(small boost): shorter names first on equal scores
    static let kind: UInt32 = 2          // the kind code: collapse key and per-kind counts of a search
}

enum IndexLayout {
    /// Bump when terms, values or document data change meaning.
    static let version = "6"
    /// Longest edge n-gram indexed. Prefixes of 1–3 characters (tens of thousands of words
    /// share them) are single terms; from 4 characters a bounded wildcard over the word terms
    /// is as fast and keeps the index (and indexing time) far smaller.
    static let maxGram = 3
    /// Words a name prefix wildcard expands to: all of them (0), so totals stay exact and
    /// rare words are never dropped.
    static let wildcardLimit: UInt32 = 0
}
