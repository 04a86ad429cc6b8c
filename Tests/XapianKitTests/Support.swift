import Foundation
import Testing
@testable import XapianKit

/// A temporary directory removed when the value is released.
final class TempDir {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("xapiankit-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(at: url) }
    func path(_ name: String = "db") -> String { url.appendingPathComponent(name).path }
}

/// Runs `body` and returns the XapianError it throws (nil when it does not throw).
func xapianError(_ body: () throws -> Void) -> XapianError? {
    do {
        try body()
        return nil
    } catch let error as XapianError {
        return error
    } catch {
        Issue.record("unexpected error type: \(error)")
        return nil
    }
}

/// A document with an id term `Q<id>`, the given terms and optional values and data.
func makeDocument(id: String, terms: [String], values: [UInt32: [UInt8]] = [:], data: String? = nil) -> Document {
    let doc = Document()
    doc.addBooleanTerm("Q" + id)
    for term in terms { doc.addTerm(term) }
    for (slot, value) in values { doc.setValue(slot, value) }
    doc.setData(Array((data ?? id).utf8))
    return doc
}

/// A small committed corpus; returns the path. Documents (docids 1...5 in order):
///   a: apple banana       (price 10, group x)
///   b: apple cherry       (price 30, group x)
///   c: banana cherry date (price 20, group y)
///   d: apple apple apricot (price 40, group y)
///   e: elderberry         (price 5, no group)
func makeCorpus(_ dir: TempDir) throws -> String {
    let path = dir.path()
    let db = try WritableDatabase(path: path, mode: .createOrOverwrite)
    let rows: [(String, [String], Double, String?)] = [
        ("a", ["apple", "banana"], 10, "x"),
        ("b", ["apple", "cherry"], 30, "x"),
        ("c", ["banana", "cherry", "date"], 20, "y"),
        ("d", ["apple", "apple", "apricot"], 40, "y"),
        ("e", ["elderberry"], 5, nil),
    ]
    for (id, terms, price, group) in rows {
        var values: [UInt32: [UInt8]] = [0: Sortable.serialise(price)]
        if let group { values[1] = Array(group.utf8) }
        try db.replaceDocument(uniqueTerm: "Q" + id, makeDocument(id: id, terms: terms, values: values))
    }
    try db.commit()
    try db.close()
    return path
}

extension MSet {
    var dataStrings: [String] { items.map { String(decoding: $0.data, as: UTF8.self) } }
}

/// The ids (document data) matching `query`, in docid order.
func ids(_ enquire: Enquire, _ query: Query) throws -> [String] {
    try enquire.setQuery(query)
    enquire.weighting = .bool
    enquire.sortOrder = .relevance
    let mset = try enquire.mset(first: 0, maxItems: 100)
    return mset.dataStrings
}
