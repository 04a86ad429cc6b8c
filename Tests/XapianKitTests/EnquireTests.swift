import Foundation
import Testing
@testable import XapianKit

@Suite struct EnquireTests {
    /// docid → weight for `query` under `weighting`.
    func weights(_ enquire: Enquire, _ query: Query, _ weighting: Weighting = .bm25()) throws -> [UInt32: Double] {
        try enquire.setQuery(query)
        enquire.weighting = weighting
        enquire.sortOrder = .relevance
        var result: [UInt32: Double] = [:]
        for item in try enquire.mset(first: 0, maxItems: 100).items { result[item.docid] = item.weight }
        return result
    }

    @Test func weightingSchemes() throws {
        let dir = try TempDir()
        let enquire = Enquire(database: try Database(path: makeCorpus(dir)))
        let fruits = Query.or([.term("apple"), .term("banana"), .term("cherry")])

        #expect(try weights(enquire, fruits, .bool) == [1: 0, 2: 0, 3: 0, 4: 0])
        #expect(try weights(enquire, fruits, .coord) == [1: 2, 2: 2, 3: 2, 4: 1])

        let bm25 = try weights(enquire, .term("apple"))
        #expect(bm25.keys.sorted() == [1, 2, 4])
        #expect(bm25.values.allSatisfy { $0 > 0 })
        let tuned = try weights(enquire, .term("apple"), .bm25(k1: 2, b: 0))
        #expect(tuned[4]! > tuned[1]!)  // wdf 2 beats wdf 1 without length normalisation
        let trad = try weights(enquire, .term("apple"), .trad(k: 1))
        #expect(trad.keys.sorted() == [1, 2, 4] && trad.values.allSatisfy { $0 > 0 })
    }

    @Test func outOfRangeWeightingParametersAreClamped() throws {
        let dir = try TempDir()
        let enquire = Enquire(database: try Database(path: makeCorpus(dir)))
        try enquire.setQuery(.term("apple"))
        enquire.weighting = .bm25(k1: -1, b: 7)  // Xapian clamps these (k1 ≥ 0, b ≤ 1)
        #expect(try enquire.mset(first: 0, maxItems: 10).items.count == 3)
        enquire.weighting = .trad(k: -3)
        #expect(try enquire.mset(first: 0, maxItems: 10).items.count == 3)
    }

    @Test func operatorWeights() throws {
        let dir = try TempDir()
        let enquire = Enquire(database: try Database(path: makeCorpus(dir)))
        let apple = try weights(enquire, .term("apple"))
        let scaled = try weights(enquire, .scaleWeight(.term("apple"), 2))
        for (docid, weight) in apple { #expect(abs(scaled[docid]! - 2 * weight) < 1e-9) }
        #expect(try weights(enquire, .scaleWeight(.term("apple"), 0)) == [1: 0, 2: 0, 4: 0])

        let filtered = try weights(enquire, .filter(.term("apple"), .term("banana")))
        #expect(filtered.keys.sorted() == [1] && abs(filtered[1]! - apple[1]!) < 1e-9)

        let maybe = try weights(enquire, .andMaybe(.term("apple"), .term("banana")))
        #expect(maybe.keys.sorted() == [1, 2, 4])
        #expect(maybe[1]! > apple[1]! && abs(maybe[2]! - apple[2]!) < 1e-9)

        // OP_MAX takes the best subquery weight; OP_OR adds them up.
        let banana = try weights(enquire, .term("banana"))
        let maxed = try weights(enquire, .max([.term("apple"), .term("banana")]))
        let ored = try weights(enquire, .or([.term("apple"), .term("banana")]))
        #expect(abs(maxed[1]! - Swift.max(apple[1]!, banana[1]!)) < 1e-9)
        #expect(abs(ored[1]! - (apple[1]! + banana[1]!)) < 1e-9)

        // ValueWeightPostingSource weighs by the sortable-serialised value.
        try enquire.setQuery(.valueWeight(slot: 0))
        let mset = try enquire.mset(first: 0, maxItems: 10)
        #expect(mset.dataStrings == ["d", "b", "c", "a", "e"])
        #expect(mset.items.map(\.weight) == [40, 30, 20, 10, 5])

        // Boosting: a value-weighted tie-breaker added to a boolean filter.
        try enquire.setQuery(.andMaybe(.filter(.matchAll, .term("apple")), .scaleWeight(.valueWeight(slot: 0), 0.5)))
        #expect(try enquire.mset(first: 0, maxItems: 10).items.map(\.weight) == [20, 15, 5])
    }

    @Test func sortOrders() throws {
        let dir = try TempDir()
        let enquire = Enquire(database: try Database(path: makeCorpus(dir)))
        func order(_ query: Query, _ sort: XapianSortOrder, weighting: Weighting = .bool, ascending: Bool = true) throws -> [String] {
            try enquire.setQuery(query)
            enquire.weighting = weighting
            enquire.sortOrder = sort
            enquire.docidAscending = ascending
            return try enquire.mset(first: 0, maxItems: 10).dataStrings
        }
        // Prices: a 10, b 30, c 20, d 40, e 5. Groups: a x, b x, c y, d y, e none.
        #expect(try order(.matchAll, .value(slot: 0, reverse: false)) == ["e", "a", "c", "b", "d"])
        #expect(try order(.matchAll, .value(slot: 0, reverse: true)) == ["d", "b", "c", "a", "e"])
        #expect(try order(.matchAll, .relevanceThenValue(slot: 0, reverse: false)) == ["e", "a", "c", "b", "d"])
        #expect(try order(.matchAll, .relevanceThenValue(slot: 0, reverse: true)) == ["d", "b", "c", "a", "e"])
        #expect(try order(.matchAll, .relevance) == ["a", "b", "c", "d", "e"])
        #expect(try order(.matchAll, .relevance, ascending: false) == ["e", "d", "c", "b", "a"])
        let apple = Query.term("apple")
        #expect(try order(apple, .valueThenRelevance(slot: 1, reverse: false), weighting: .bm25()) == ["a", "b", "d"])
        #expect(try order(apple, .valueThenRelevance(slot: 1, reverse: false), weighting: .bm25(), ascending: false) == ["b", "a", "d"])
        #expect(try order(apple, .valueThenRelevance(slot: 1, reverse: true), weighting: .bm25()) == ["d", "a", "b"])
        // Relevance first: coord weight 2 (b, c) before 1 (a, d), then price.
        let anyOf = Query.or([.term("cherry"), .term("banana"), .term("apricot"), .term("date")])
        #expect(try order(.or([.term("cherry"), .term("apple")]), .relevanceThenValue(slot: 0, reverse: false), weighting: .coord) == ["b", "a", "c", "d"])
        #expect(try order(anyOf, .relevanceThenValue(slot: 0, reverse: true), weighting: .coord) == ["c", "d", "b", "a"])
    }

    @Test func collapse() throws {
        let dir = try TempDir()
        let enquire = Enquire(database: try Database(path: makeCorpus(dir)))
        try enquire.setQuery(.matchAll)
        enquire.weighting = .bool
        enquire.sortOrder = .value(slot: 0, reverse: false)

        enquire.setCollapseKey(slot: 1)
        var mset = try enquire.mset(first: 0, maxItems: 10, checkAtLeast: 10)
        // e has no group and is never collapsed; a beats b in x, c beats d in y.
        #expect(mset.dataStrings == ["e", "a", "c"])
        #expect(mset.items.map(\.collapseCount) == [0, 1, 1])
        #expect(mset.matchesEstimated == 3 && mset.matchesLowerBound == 3 && mset.matchesUpperBound == 3)

        enquire.setCollapseKey(slot: 1, max: 2)
        mset = try enquire.mset(first: 0, maxItems: 10)
        #expect(mset.dataStrings == ["e", "a", "c", "b", "d"])
        #expect(mset.items.allSatisfy { $0.collapseCount == 0 })

        enquire.setCollapseKey(slot: 1)
        #expect(try enquire.mset(first: 0, maxItems: 10).items.count == 3)
        enquire.setCollapseKey(slot: nil)
        #expect(try enquire.mset(first: 0, maxItems: 10).items.count == 5)
    }

    @Test func paginationCountsAndData() throws {
        let dir = try TempDir()
        let writer = try WritableDatabase(path: dir.path())
        for i in 0..<300 {
            let doc = makeDocument(id: "\(i)", terms: i % 2 == 0 ? ["all", "even"] : ["all"], data: "doc\(i)")
            try writer.replaceDocument(uniqueTerm: "Q\(i)", doc)
        }
        try writer.commit()
        let enquire = Enquire(database: try Database(path: dir.path()))
        try enquire.setQuery(.term("even"))

        let page = try enquire.mset(first: 10, maxItems: 5)
        #expect(page.items.map(\.rank) == [10, 11, 12, 13, 14])
        #expect(page.items.allSatisfy { !$0.data.isEmpty })

        let exact = try enquire.mset(first: 0, maxItems: 3, checkAtLeast: 300)
        #expect(exact.items.count == 3)
        #expect(exact.matchesEstimated == 150 && exact.matchesLowerBound == 150 && exact.matchesUpperBound == 150)

        let noData = try enquire.mset(first: 0, maxItems: 20, fetchData: false)
        #expect(noData.items.count == 20 && noData.items.allSatisfy { $0.data.isEmpty })

        let countOnly = try enquire.mset(first: 0, maxItems: 0, checkAtLeast: 300)
        #expect(countOnly.items.isEmpty && countOnly.matchesEstimated == 150)

        let past = try enquire.mset(first: 1000, maxItems: 10)
        #expect(past.items.isEmpty)

        let all = try enquire.mset(first: 0, maxItems: Int.max)  // clamped to UInt32.max
        #expect(all.items.count == 150)
        #expect(Set(all.dataStrings).count == 150)

        #expect(xapianError { _ = try enquire.mset(first: -1, maxItems: 10) }?.code == .invalidArgument)
        #expect(xapianError { _ = try enquire.mset(first: 0, maxItems: -5) }?.code == .invalidArgument)
    }

    @Test func matchingTermsFollowTheQueryOrder() throws {
        let dir = try TempDir()
        let enquire = Enquire(database: try Database(path: makeCorpus(dir)))
        try enquire.setQuery(.or([.term("cherry"), .term("banana"), .term("apple"), .term("cherry")]))
        #expect(try enquire.matchingTerms(docid: 1) == ["banana", "apple"])
        #expect(try enquire.matchingTerms(docid: 2) == ["cherry", "apple"])
        #expect(try enquire.matchingTerms(docid: 5) == [])
        #expect(xapianError { _ = try enquire.matchingTerms(docid: 99) }?.code == .other)
    }

    @Test func enquireWithoutQueryMatchesNothing() throws {
        let dir = try TempDir()
        let enquire = Enquire(database: try Database(path: makeCorpus(dir)))
        let mset = try enquire.mset(first: 0, maxItems: 10)
        #expect(mset.items.isEmpty && mset.matchesEstimated == 0)
        #expect(try enquire.matchingTerms(docid: 1) == [])
    }

    @Test func enquireSeesTheReopenedDatabase() throws {
        let dir = try TempDir()
        let path = try makeCorpus(dir)
        let database = try Database(path: path)
        let enquire = Enquire(database: database)
        try enquire.setQuery(.term("apple"))
        #expect(try enquire.mset(first: 0, maxItems: 10).items.count == 3)

        let writer = try WritableDatabase(path: path)
        try writer.replaceDocument(uniqueTerm: "Qf", makeDocument(id: "f", terms: ["apple"]))
        try writer.commit()
        #expect(try enquire.mset(first: 0, maxItems: 10).items.count == 3)
        #expect(try database.reopen())
        #expect(try enquire.mset(first: 0, maxItems: 10).dataStrings.sorted() == ["a", "b", "d", "f"])
    }
}
