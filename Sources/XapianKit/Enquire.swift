import CXapian
#if canImport(Glibc)
import Glibc
#endif

/// The weighting scheme of a search (`Enquire::set_weighting_scheme`).
public enum Weighting: Sendable, Hashable {
    /// `Xapian::BM25Weight` (Xapian's default parameters).
    case bm25(k1: Double = 1.2, k2: Double = 0, k3: Double = 1, b: Double = 0.75, minNormLen: Double = 0.5)
    /// `Xapian::BoolWeight`: every match weighs 0 (cheapest; pair with a sort order).
    case bool
    /// `Xapian::CoordWeight`: the weight is the number of matching subqueries.
    case coord
    /// `Xapian::TradWeight`.
    case trad(k: Double = 1)
    /// `Xapian::TfIdfWeight("nnn")`: a matching term weighs its wdf times the query's scale
    /// factors (an index encodes each field class's weight in the wdf).
    case wdf
}

/// The order of results.
public enum SortOrder: Sendable, Hashable {
    /// By weight, ties by docid (`set_sort_by_relevance`).
    case relevance
    /// By weight, ties by the value in `slot` (`set_sort_by_relevance_then_value`).
    case relevanceThenValue(slot: UInt32, reverse: Bool)
    /// By the value in `slot`, ties by weight (`set_sort_by_value_then_relevance`).
    case valueThenRelevance(slot: UInt32, reverse: Bool)
    /// By the value in `slot` only (`set_sort_by_value`). With `reverse: false` values
    /// sort ascending, with `reverse: true` descending (Xapian's convention).
    case value(slot: UInt32, reverse: Bool)
}

/// One result of a search.
public struct MSetItem: Sendable, Hashable {
    public var docid: UInt32
    public var weight: Double
    /// 0-based rank in the whole result list (so `first` + index).
    public var rank: Int
    /// With a collapse key: how many other documents with the same key were dropped
    /// (a lower bound unless the match was exhaustive).
    public var collapseCount: Int
    /// The document data, or the value of `Enquire.fetchValueSlot` (empty when not fetched).
    public var data: [UInt8]

    public init(docid: UInt32, weight: Double, rank: Int, collapseCount: Int, data: [UInt8]) {
        self.docid = docid
        self.weight = weight
        self.rank = rank
        self.collapseCount = collapseCount
        self.data = data
    }
}

/// A page of results with Xapian's estimates of the total number of matches (exact when
/// `checkAtLeast` reaches the number of matches).
public struct MSet: Sendable, Hashable {
    public var items: [MSetItem]
    public var matchesEstimated: Int
    public var matchesLowerBound: Int
    public var matchesUpperBound: Int

    public init(items: [MSetItem], matchesEstimated: Int, matchesLowerBound: Int, matchesUpperBound: Int) {
        self.items = items
        self.matchesEstimated = matchesEstimated
        self.matchesLowerBound = matchesLowerBound
        self.matchesUpperBound = matchesUpperBound
    }
}

/// Runs searches on a `Database` (`Xapian::Enquire`).
///
/// The enquire shares the database's state: call `database.reopen()` to search the
/// latest revision. The options (`weighting`, `sortOrder`, `docidAscending`, the collapse
/// key) are sent with each `mset` call, and the shim only re-applies those that changed.
///
/// Not thread-safe: use from one thread/executor at a time (together with its database).
public final class Enquire: @unchecked Sendable {
    let handle: OpaquePointer
    /// The database searched (kept alive by the enquire).
    public let database: Database

    public var weighting: Weighting = .bm25()
    public var sortOrder: SortOrder = .relevance
    /// Order of documents that tie (equal weight or sort key): ascending docid (Xapian's
    /// default) or descending (newest first when docids grow with time).
    public var docidAscending: Bool = true
    public private(set) var collapseSlot: UInt32?
    public private(set) var collapseMax: UInt32 = 1
    /// What `fetchData` fetches for each item: the document data (nil) or the value in this slot.
    public var fetchValueSlot: UInt32?

    public init(database: Database) {
        var handle: OpaquePointer? = nil
        var message: UnsafeMutablePointer<CChar>? = nil
        let status = cxp_enquire_new(database.handle, &handle, &message)
        guard status == CXP_OK, let handle else {
            // Only an allocation failure can get here (Enquire's constructor copies a handle).
            let error = XapianError(status: status, message: message)
            fatalError("XapianKit: cannot create Xapian::Enquire: \(error)")
        }
        self.handle = handle
        self.database = database
    }

    deinit { cxp_enquire_free(handle) }

    /// Sets the query (builds the `Xapian::Query` now, in one call).
    public func setQuery(_ query: Query) throws {
        let program = query.program
        try xapianCall { err in
            program.withUnsafeBufferPointer { cxp_enquire_set_query(handle, $0.baseAddress, $0.count, err) }
        }
    }

    /// Keeps at most `max` results per value of `slot` (`set_collapse_key`); `nil`
    /// turns collapsing off. Documents without a value in `slot` are never collapsed.
    public func setCollapseKey(slot: UInt32?, max: UInt32 = 1) {
        collapseSlot = slot
        collapseMax = max
    }

    /// Runs the search: results `first ..< first + maxItems` in one call, with the
    /// document data when `fetchData`. Counts are exact when `checkAtLeast` is at least
    /// the number of matches (e.g. the document count), at the cost of a full match.
    public func mset(first: Int, maxItems: Int, checkAtLeast: Int = 0, fetchData: Bool = true) throws -> MSet {
        let first32 = try uint32Argument(first, "first")
        let max32 = try uint32Argument(maxItems, "maxItems", clamp: true)
        let check32 = try uint32Argument(checkAtLeast, "checkAtLeast", clamp: true)
        var options = makeOptions()
        var result: UnsafeMutablePointer<cxp_mset>? = nil
        try xapianCall {
            cxp_enquire_get_mset(handle, &options, first32, max32, check32, fetchData ? 1 : 0, &result, $0)
        }
        guard let result else {
            throw XapianError(code: .other, message: "cxp_enquire_get_mset returned no result")
        }
        defer { cxp_free_mset(result) }
        return Self.copy(result.pointee)
    }

    /// `mset` with a value-count match spy on `slot` (`Xapian::ValueCountMatchSpy`): also
    /// returns how many matching documents hold each value of the slot. Exact when
    /// `checkAtLeast` is at least the number of matches (e.g. the database's document count).
    /// With a collapse key on the same slot, one match gives the top hits of each value and
    /// exact counts per value.
    public func msetCounting(first: Int, maxItems: Int, checkAtLeast: Int, fetchData: Bool = true,
                             countValuesOf slot: UInt32) throws -> (MSet, [[UInt8]: Int]) {
        let first32 = try uint32Argument(first, "first")
        let max32 = try uint32Argument(maxItems, "maxItems", clamp: true)
        let check32 = try uint32Argument(checkAtLeast, "checkAtLeast", clamp: true)
        var options = makeOptions()
        var result: UnsafeMutablePointer<cxp_mset>? = nil
        var counts: UnsafeMutablePointer<UInt8>? = nil
        var countsLen = 0
        try xapianCall {
            cxp_enquire_get_mset_counting(handle, &options, first32, max32, check32, fetchData ? 1 : 0, slot,
                                          &result, &counts, &countsLen, $0)
        }
        guard let result else {
            throw XapianError(code: .other, message: "cxp_enquire_get_mset_counting returned no result")
        }
        defer { cxp_free_mset(result); cxp_free_counts(counts) }
        var map: [[UInt8]: Int] = [:]
        if let counts {
            let raw = UnsafeRawBufferPointer(start: counts, count: countsLen)
            var i = 0
            while i + 4 <= countsLen {
                let len = Int(raw.loadUnaligned(fromByteOffset: i, as: UInt32.self))
                i += 4
                guard i + len + 4 <= countsLen else { break }
                let value = Array(raw[i..<i + len])
                i += len
                map[value] = Int(raw.loadUnaligned(fromByteOffset: i, as: UInt32.self))
                i += 4
            }
        }
        return (Self.copy(result.pointee), map)
    }

    /// Every matching document with docid in `range` and its weight, best first, equal weights
    /// by docid: one exhaustive match, no value read. Local databases only.
    public func weightedDocids(in range: ClosedRange<UInt32>, checkAtLeast: Int) throws -> [(docid: UInt32, weight: Double)] {
        let check32 = try uint32Argument(checkAtLeast, "checkAtLeast", clamp: true)
        var options = makeOptions()
        var ids: UnsafeMutablePointer<UInt32>? = nil
        var weights: UnsafeMutablePointer<Double>? = nil
        var count = 0
        try xapianCall {
            cxp_enquire_weighted_docids(handle, &options, check32, range.lowerBound, range.upperBound, &ids, &weights, &count, $0)
        }
        defer { free(ids); free(weights) }
        guard let ids, let weights else { return [] }
        return (0..<count).map { (ids[$0], weights[$0]) }
    }

    /// One group of `grouped`: its exact number of matches and its best items.
    public struct Group: Sendable, Hashable {
        public var count: Int
        public var items: [MSetItem]
    }

    /// One exhaustive match (`checkAtLeast` at least the number of matches) giving, for each of
    /// `groups` runs of docids (group g holds docids `(g << groupShift) + 1 …`), its exact match
    /// count and its `perGroup` best documents: best weight first, equal weights by the value in
    /// `sortSlot` (ascending), each with the value in `fetchSlot` as its `data`. The weighting
    /// is this enquire's; its sort order and collapse key are not used. Local databases only.
    public func grouped(checkAtLeast: Int, groupShift: UInt32, groups: Int, perGroup: Int,
                        sortSlot: UInt32, fetchSlot: UInt32) throws -> [Group] {
        let check32 = try uint32Argument(checkAtLeast, "checkAtLeast", clamp: true)
        let per32 = try uint32Argument(perGroup, "perGroup", clamp: true)
        var options = makeOptions()
        var out: UnsafeMutablePointer<UInt8>? = nil
        var outLen = 0
        try xapianCall {
            cxp_enquire_grouped(handle, &options, check32, groupShift, UInt32(groups), per32, sortSlot, fetchSlot,
                                &out, &outLen, $0)
        }
        defer { cxp_free_counts(out) }
        guard let out else { return [] }
        let raw = UnsafeRawBufferPointer(start: out, count: outLen)
        var i = 0
        func u32() -> Int { defer { i += 4 }; return Int(raw.loadUnaligned(fromByteOffset: i, as: UInt32.self)) }
        var result: [Group] = []
        for _ in 0..<groups {
            guard i + 8 <= outLen else { break }
            let count = u32(), n = u32()
            var items: [MSetItem] = []
            items.reserveCapacity(n)
            for rank in 0..<n {
                let docid = UInt32(u32())
                let weight = raw.loadUnaligned(fromByteOffset: i, as: Double.self)
                i += 8
                let len = u32()
                items.append(MSetItem(docid: docid, weight: weight, rank: rank, collapseCount: 0, data: Array(raw[i..<i + len])))
                i += len
            }
            result.append(Group(count: count, items: items))
        }
        return result
    }

    private static func copy(_ mset: cxp_mset) -> MSet {
        let count = Int(mset.count)
        var items: [MSetItem] = []
        items.reserveCapacity(count)
        for index in 0..<count {
            let item = mset.items[index]
            var data: [UInt8] = []
            if item.data_len > 0, let base = mset.data {
                data = Array(UnsafeRawBufferPointer(start: base + item.data_offset, count: item.data_len))
            }
            items.append(MSetItem(
                docid: item.docid,
                weight: item.weight,
                rank: Int(item.rank),
                collapseCount: Int(item.collapse_count),
                data: data))
        }
        return MSet(
            items: items,
            matchesEstimated: Int(mset.matches_estimated),
            matchesLowerBound: Int(mset.matches_lower_bound),
            matchesUpperBound: Int(mset.matches_upper_bound))
    }

    /// The terms of the current query that document `docid` contains
    /// (`get_matching_terms_begin`), in query order, without duplicates.
    /// Terms reached through `.wildcard` are not reported (Xapian 1.4).
    public func matchingTerms(docid: UInt32) throws -> [String] {
        var iterator: OpaquePointer? = nil
        try xapianCall { cxp_enquire_matching_terms(handle, docid, &iterator, $0) }
        guard let iterator else { return [] }
        defer { cxp_termiter_free(iterator) }
        var terms: [String] = []
        try forEachTerm(iterator) { term, _ in
            terms.append(term)
            return true
        }
        return terms
    }

    private func makeOptions() -> cxp_enquire_options {
        var options = cxp_enquire_options()
        switch weighting {
        case let .bm25(k1, k2, k3, b, minNormLen):
            options.weighting = CXP_WEIGHT_BM25
            options.params = (k1, k2, k3, b, minNormLen)
        case .bool:
            options.weighting = CXP_WEIGHT_BOOL
        case .coord:
            options.weighting = CXP_WEIGHT_COORD
        case let .trad(k):
            options.weighting = CXP_WEIGHT_TRAD
            options.params.0 = k
        case .wdf:
            options.weighting = CXP_WEIGHT_WDF
        }
        if let slot = fetchValueSlot {
            options.fetch_value = 1
            options.fetch_value_slot = slot
        }
        switch sortOrder {
        case .relevance:
            options.sort = CXP_SORT_RELEVANCE
        case let .relevanceThenValue(slot, reverse):
            options.sort = CXP_SORT_RELEVANCE_THEN_VALUE
            options.sort_slot = slot
            options.sort_reverse = reverse ? 1 : 0
        case let .valueThenRelevance(slot, reverse):
            options.sort = CXP_SORT_VALUE_THEN_RELEVANCE
            options.sort_slot = slot
            options.sort_reverse = reverse ? 1 : 0
        case let .value(slot, reverse):
            options.sort = CXP_SORT_VALUE
            options.sort_slot = slot
            options.sort_reverse = reverse ? 1 : 0
        }
        options.docid_ascending = docidAscending ? 1 : 0
        if let collapseSlot {
            options.collapse = 1
            options.collapse_slot = collapseSlot
            options.collapse_max = collapseMax
        }
        return options
    }
}

/// `SortOrder` clashes with Foundation's `SortOrder` in files that import both modules;
/// this alias names it unambiguously.
public typealias XapianSortOrder = SortOrder
