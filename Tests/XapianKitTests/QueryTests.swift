import Foundation
import Testing
@testable import XapianKit

@Suite struct QueryTests {
    @Test func operatorsMatchTheExpectedDocuments() throws {
        let dir = try TempDir()
        let enquire = Enquire(database: try Database(path: makeCorpus(dir)))
        let apple = Query.term("apple"), banana = Query.term("banana"), cherry = Query.term("cherry")
        let cases: [(Query, [String])] = [
            (apple, ["a", "b", "d"]),
            (.term("nothing"), []),
            (.and([apple, cherry]), ["b"]),
            (.and([]), []),
            (.or([banana, .term("date")]), ["a", "c"]),
            (.or([]), []),
            (.synonym([cherry, .term("date")]), ["b", "c"]),
            (.max([banana, .term("elderberry")]), ["a", "c", "e"]),
            (.andMaybe(apple, banana), ["a", "b", "d"]),
            (.andNot(apple, cherry), ["a", "d"]),
            (.filter(apple, banana), ["a"]),
            (.scaleWeight(apple, 2), ["a", "b", "d"]),
            (.wildcard(prefix: "ap", limit: 10), ["a", "b", "d"]),
            (.wildcard(prefix: "da", limit: 1), ["c"]),
            (.wildcard(prefix: "zz", limit: 5), []),
            (.valueWeight(slot: 0), ["a", "b", "c", "d", "e"]),
            (.valueWeight(slot: 7), []),
            (.valueRange(slot: 0, from: Sortable.serialise(10), to: Sortable.serialise(30)), ["a", "b", "c"]),
            (.filter(.matchAll, .term("Qc")), ["c"]),
            (.matchAll, ["a", "b", "c", "d", "e"]),
            (.term(""), ["a", "b", "c", "d", "e"]),  // Xapian: the empty term is MatchAll
            (.matchNothing, []),
            (.or([.and([apple, .or([banana, cherry])]), .andNot(.term("elderberry"), .matchNothing)]), ["a", "b", "e"]),
        ]
        for (query, expected) in cases {
            #expect(try ids(enquire, query) == expected, "\(query)")
        }
    }

    @Test func wildcardKeepsTheMostFrequentTerms() throws {
        let dir = try TempDir()
        let writer = try WritableDatabase(path: dir.path())
        // pa: 1 document, pb: 3 documents, pc: 2 documents.
        let rows: [(String, [String])] = [("1", ["pa"]), ("2", ["pb"]), ("3", ["pb", "pc"]), ("4", ["pb", "pc"])]
        for (id, terms) in rows { try writer.replaceDocument(uniqueTerm: "Q" + id, makeDocument(id: id, terms: terms)) }
        try writer.commit()
        let enquire = Enquire(database: try Database(path: dir.path()))
        #expect(try ids(enquire, .wildcard(prefix: "p", limit: 1)) == ["2", "3", "4"])
        #expect(try ids(enquire, .wildcard(prefix: "p", limit: 2)) == ["2", "3", "4"])
        #expect(try ids(enquire, .wildcard(prefix: "p", limit: 3)) == ["1", "2", "3", "4"])
        #expect(try ids(enquire, .wildcard(prefix: "pc", limit: 1)) == ["3", "4"])
        // 0: every term with the prefix (the shim maps it to "no limit").
        #expect(try ids(enquire, .wildcard(prefix: "p", limit: 0)) == ["1", "2", "3", "4"])
    }

    @Test func invalidArgumentsAreErrors() throws {
        let dir = try TempDir()
        let enquire = Enquire(database: try Database(path: makeCorpus(dir)))
        #expect(xapianError { try enquire.setQuery(.scaleWeight(.term("apple"), -1)) }?.code == .invalidArgument)
        // The enquire is still usable.
        #expect(try ids(enquire, .term("apple")) == ["a", "b", "d"])
    }

    @Test(arguments: [
        (Query.term("apple"), "Query(apple)"),
        (Query.term("apple", wqf: 2), "Query(apple#2)"),
        (Query.and([.term("a"), .term("b")]), "Query((a AND b))"),
        (Query.or([.term("a"), .term("b"), .term("c")]), "Query((a OR b OR c))"),
        (Query.synonym([.term("a"), .term("b")]), "Query((a SYNONYM b))"),
        (Query.max([.term("a"), .term("b")]), "Query((a MAX b))"),
        (Query.andMaybe(.term("a"), .term("b")), "Query((a AND_MAYBE b))"),
        (Query.andNot(.term("a"), .term("b")), "Query((a AND_NOT b))"),
        (Query.filter(.term("a"), .term("b")), "Query((a FILTER b))"),
        (Query.scaleWeight(.term("a"), 2.5), "Query(2.5 * a)"),
        (Query.wildcard(prefix: "ap", limit: 50), "Query(WILDCARD MAX ap)"),
        (Query.valueWeight(slot: 3), "Query(PostingSource(Xapian::ValueWeightPostingSource(slot=3)))"),
        (Query.matchAll, "Query(<alldocuments>)"),
        (Query.matchNothing, "Query()"),
        (Query.and([]), "Query()"),
        (Query.filter(.or([.term("a"), .term("b")]), .term("Kx")), "Query(((a OR b) FILTER Kx))"),
    ])
    func descriptions(query: Query, expected: String) {
        #expect(query.description == expected)
    }

    @Test func invalidQueryDescription() {
        #expect(Query.scaleWeight(.term("a"), -1).description.hasPrefix("<invalid query:"))
    }

    @Test func queriesAreHashableValues() {
        let a = Query.and([.term("x"), .wildcard(prefix: "y", limit: 10)])
        let b = Query.and([.term("x"), .wildcard(prefix: "y", limit: 10)])
        #expect(a == b)
        #expect(Set([a, b, .term("x")]).count == 2)
        #expect(Query.term("x") == Query.term("x", wqf: 1))
        #expect(Query.term("x") != Query.term("x", wqf: 2))
    }

    @Test func deepQueryIsHandled() throws {
        let dir = try TempDir()
        let enquire = Enquire(database: try Database(path: makeCorpus(dir)))
        var query = Query.term("apple")
        for _ in 0..<200 { query = .and([query, .term("apple")]) }
        #expect(try ids(enquire, query) == ["a", "b", "d"])
        var tooDeep = Query.term("apple")
        for _ in 0..<1500 { tooDeep = .scaleWeight(tooDeep, 1) }
        #expect(xapianError { try enquire.setQuery(tooDeep) }?.code == .invalidArgument)
        let wide = Query.or((0..<2000).map { .term("t\($0)") } + [.term("apple")])
        #expect(try ids(enquire, wide) == ["a", "b", "d"])
    }
}
