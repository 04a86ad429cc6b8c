import Foundation
import Testing
@testable import XapianKit

@Suite struct DatabaseTests {
    @Test func versionIs14() {
        #expect(XapianVersion.string.hasPrefix("1.4."))
    }

    @Test func writeCommitReopen() throws {
        let dir = try TempDir()
        let writer = try WritableDatabase(path: dir.path())
        try writer.replaceDocument(uniqueTerm: "Q1", makeDocument(id: "1", terms: ["hello"]))
        #expect(try writer.docCount() == 1)  // uncommitted changes are visible to the writer
        try writer.commit()

        let reader = try Database(path: dir.path())
        #expect(try reader.docCount() == 1)
        #expect(try reader.termFrequency("hello") == 1)
        #expect(try reader.termExists("hello"))
        #expect(try !reader.termExists("nothing"))

        try writer.replaceDocument(uniqueTerm: "Q2", makeDocument(id: "2", terms: ["hello", "world"]))
        #expect(try reader.docCount() == 1)  // not yet committed
        #expect(try reader.reopen() == false)
        try writer.commit()
        #expect(try reader.docCount() == 1)  // still on the old revision
        #expect(try reader.reopen() == true)
        #expect(try reader.docCount() == 2)
        #expect(try reader.termFrequency("hello") == 2)
        #expect(try reader.reopen() == false)

        try writer.close()
        let again = try WritableDatabase(path: dir.path(), mode: .open)
        #expect(try again.docCount() == 2)
    }

    @Test func deinitCommitsPendingChanges() throws {
        let dir = try TempDir()
        do {
            let writer = try WritableDatabase(path: dir.path())
            try writer.replaceDocument(uniqueTerm: "Q1", makeDocument(id: "1", terms: ["x"]))
        }
        #expect(try Database(path: dir.path()).docCount() == 1)
    }

    @Test func createOrOverwriteEmptiesTheDatabase() throws {
        let dir = try TempDir()
        let path = try makeCorpus(dir)
        #expect(try Database(path: path).docCount() == 5)
        let writer = try WritableDatabase(path: path, mode: .createOrOverwrite)
        try writer.commit()
        #expect(try Database(path: path).docCount() == 0)
    }

    @Test func replaceByUniqueTerm() throws {
        let dir = try TempDir()
        let writer = try WritableDatabase(path: dir.path())
        let first = try writer.replaceDocument(uniqueTerm: "Q7", makeDocument(id: "7", terms: ["old"], data: "v1"))
        let second = try writer.replaceDocument(uniqueTerm: "Q7", makeDocument(id: "7", terms: ["new"], data: "v2"))
        #expect(first == second)
        try writer.commit()
        #expect(try writer.docCount() == 1)
        #expect(try writer.termFrequency("old") == 0)
        #expect(try writer.termFrequency("new") == 1)

        let reader = try Database(path: dir.path())
        #expect(try reader.documentData(first) == Array("v2".utf8))
        #expect(try reader.termFrequency("Q7") == 1)
    }

    @Test func deleteByUniqueTerm() throws {
        let dir = try TempDir()
        let path = try makeCorpus(dir)
        let writer = try WritableDatabase(path: path)
        try writer.deleteDocument(uniqueTerm: "Qb")
        try writer.deleteDocument(uniqueTerm: "Qmissing")  // no error
        try writer.commit()
        let reader = try Database(path: path)
        #expect(try reader.docCount() == 4)
        #expect(try reader.termFrequency("apple") == 2)
        #expect(try !reader.termExists("Qb"))
        #expect(xapianError { _ = try reader.documentData(2) }?.code == .other)  // DocNotFoundError
    }

    @Test func metadata() throws {
        let dir = try TempDir()
        let writer = try WritableDatabase(path: dir.path())
        #expect(try writer.metadata("last_seq") == "")
        try writer.setMetadata("last_seq", "42")
        #expect(try writer.metadata("last_seq") == "42")
        let reader = try Database(path: dir.path())
        #expect(try reader.metadata("last_seq") == "")
        try writer.commit()
        try reader.reopen()
        #expect(try reader.metadata("last_seq") == "42")
        try writer.setMetadata("last_seq", "")  // removes it
        try writer.setMetadata("fingerprint", "é\u{0}x")
        try writer.commit()
        try reader.reopen()
        #expect(try reader.metadata("last_seq") == "")
        #expect(try reader.metadata("fingerprint") == "é\u{0}x")
    }

    @Test func binarySafeTermsValuesAndData() throws {
        let dir = try TempDir()
        let writer = try WritableDatabase(path: dir.path())
        let doc = Document()
        doc.addBooleanTerm("Qbin")
        doc.addTerm("a\u{0}b", wdfInc: 3)
        doc.setValue(2, [0, 1, 0, 255])
        doc.setValue(3, "text\u{0}value")
        doc.setData([0, 0, 7, 0, 200])
        let docid = try writer.replaceDocument(uniqueTerm: "Qbin", doc)
        try writer.commit()

        let reader = try Database(path: dir.path())
        #expect(try reader.termExists("a\u{0}b"))
        #expect(try !reader.termExists("a"))
        #expect(try reader.documentData(docid) == [0, 0, 7, 0, 200])
        #expect(try reader.documentValue(docid, slot: 2) == [0, 1, 0, 255])
        #expect(try reader.documentValue(docid, slot: 3) == Array("text\u{0}value".utf8))
        #expect(try reader.documentValue(docid, slot: 9) == [])
        var terms: [String] = []
        try reader.allTerms(prefix: "a") { term, _ in terms.append(term); return true }
        #expect(terms == ["a\u{0}b"])
    }

    @Test func allTermsWithPrefixAndEarlyStop() throws {
        let dir = try TempDir()
        let reader = try Database(path: makeCorpus(dir))
        var seen: [String: UInt32] = [:]
        try reader.allTerms(prefix: "ap") { term, frequency in seen[term] = frequency; return true }
        #expect(seen == ["apple": 3, "apricot": 1])

        var all: [String] = []
        try reader.allTerms(prefix: "") { term, _ in all.append(term); return true }
        #expect(all == all.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }))
        #expect(all.contains("elderberry") && all.contains("Qa"))

        var firstTwo: [String] = []
        try reader.allTerms(prefix: "") { term, _ in firstTwo.append(term); return firstTwo.count < 2 }
        #expect(firstTwo == Array(all.prefix(2)))

        var none = 0
        try reader.allTerms(prefix: "zzz") { _, _ in none += 1; return true }
        #expect(none == 0)
    }

    @Test func sortableRoundTripAndOrder() {
        let numbers: [Double] = [-1e9, -2.5, -1, 0, 0.5, 1, 3, 1e12]
        for number in numbers {
            #expect(Sortable.unserialise(Sortable.serialise(number)) == number)
            #expect(Sortable.serialise(number).count <= 9)
        }
        let encoded = numbers.map(Sortable.serialise)
        for (a, b) in zip(encoded, encoded.dropFirst()) {
            #expect(a.lexicographicallyPrecedes(b))
        }
    }
}

@Suite struct PackedDocumentTests {
    func packed(_ terms: [(String, UInt32)], values: [(UInt32, String)] = [], data: String = "") -> PackedDocument {
        var d = PackedDocument()
        for (t, w) in terms { d.addTerm(Array(t.utf8), wdf: w) }
        for (slot, v) in values { d.setValue(slot, v) }
        d.setData(Array(data.utf8))
        return d
    }

    @Test func replaceByDocidWritesTermsWdfsValuesAndData() throws {
        let dir = try TempDir()
        let writer = try WritableDatabase(path: dir.path())
        try writer.replaceDocument(docid: 5, packed([("Wparis", 20), ("Kc", 0)], values: [(3, "shown")], data: "d5"))
        try writer.replaceDocument(docid: 1 << 28 + 1, packed([("Wparis", 6)], values: [(3, "other")]))
        try writer.commit()
        let reader = try Database(path: dir.path())
        #expect(try reader.docCount() == 2)
        #expect(try reader.termFrequency("Wparis") == 2)
        #expect(try reader.documentValue(5, slot: 3) == Array("shown".utf8))
        #expect(try reader.documentData(5) == Array("d5".utf8))
        // The wdf is the weight under Weighting.wdf (times the query's factor).
        let enquire = Enquire(database: reader)
        enquire.weighting = .wdf
        enquire.fetchValueSlot = 3
        try enquire.setQuery(.scaleWeight(.term("Wparis"), 0.5))
        let items = try enquire.mset(first: 0, maxItems: 10).items
        #expect(items.map(\.docid) == [5, 1 << 28 + 1])
        #expect(items.map(\.weight) == [10, 3])
        #expect(items.map { String(decoding: $0.data, as: UTF8.self) } == ["shown", "other"])
        // A boolean term (wdf 0) adds no weight.
        try enquire.setQuery(.term("Kc"))
        #expect(try enquire.mset(first: 0, maxItems: 10).items.map(\.weight) == [0])
    }

    @Test func replacingKeepsOnlyTheNewTermsAndDeleteByDocidIsIdempotent() throws {
        let dir = try TempDir()
        let writer = try WritableDatabase(path: dir.path())
        try writer.replaceDocument(docid: 3, packed([("Wold", 1)]))
        try writer.replaceDocument(docid: 3, packed([("Wnew", 1)]))
        try writer.commit()
        var reader = try Database(path: dir.path())
        #expect(try reader.termFrequency("Wold") == 0 && reader.termFrequency("Wnew") == 1)
        try writer.deleteDocument(docid: 3)
        try writer.deleteDocument(docid: 3)     // gone already: no error
        try writer.deleteDocument(docid: 99)    // never there: no error
        try writer.commit()
        reader = try Database(path: dir.path())
        #expect(try reader.docCount() == 0)
    }

    @Test func wildcardTakesTheBestExpansion() throws {
        let dir = try TempDir()
        let writer = try WritableDatabase(path: dir.path())
        try writer.replaceDocument(docid: 1, packed([("Wmartin", 20), ("Wmartinez", 3)]))
        try writer.commit()
        let enquire = Enquire(database: try Database(path: dir.path()))
        enquire.weighting = .wdf
        try enquire.setQuery(.wildcard(prefix: "Wmart", limit: 0))
        #expect(try enquire.mset(first: 0, maxItems: 10).items.map(\.weight) == [20])   // OP_MAX, not 23
    }
}
