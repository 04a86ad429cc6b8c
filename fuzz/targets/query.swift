// The search bar's query builder: QueryBuilder.parse on arbitrary text, typo lookup against
// a small vocabulary, then the Xapian query for each inactive mode, handed to Xapian through
// the C shim (Query.description decodes the byte program and builds the Xapian::Query).
// Compiled with the few Engine files it needs (QueryBuilder, Vocabulary, EngineConfig, Terms,
// SearchTypes) and XapianKit over CXapian.
@testable import Analysis
@testable import Engine
import XapianKit

let analyzer: Analyzer = {
    do { return Analyzer(rules: try AnalyzerRules.loadDefault()) } catch { fatal("cannot load the analyzer rules: \(error)") }
}()
let vocabulary = Vocabulary([
    "dupont", "durand", "martin", "moreau", "lefevre", "kalista", "bergamot", "montgolfier", "opale", "onyx",
    "zephyr", "oreal", "loreal", "theatre", "oeuvre", "saint", "etienne", "receptions", "traiteur", "musee",
    "louvre", "lumiere", "production", "galet", "atelier", "marin", "marinette", "morin", "regisseur", "brume",
    "evenements", "jean", "francois", "jeanfrancois", "laetitia", "strasser", "edf", "paris", "lyon",
].map { ($0, UInt32(3)) })
let builder = QueryBuilder(analyzer: analyzer, vocabulary: vocabulary, config: EngineConfig(dataDirectory: "/nonexistent"))

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let raw = String(decoding: input(data, size), as: UTF8.self)
    var q = builder.parse(raw)
    builder.addTypos(&q) { _ in true }
    for w in q.words {
        check(!w.term.isEmpty, "empty word in \(raw.debugDescription)")
        for t in w.typos { check(t.distance <= 2, "typo at distance \(t.distance)") }
    }
    _ = builder.shortGramTerm(q)
    for mode in SearchRequest.InactiveMode.allCases {
        guard let query = builder.query(q, mode: mode) else {
            check(q.words.isEmpty && q.references.isEmpty && q.ape.isEmpty, "no query for \(raw.debugDescription)")
            continue
        }
        let text = query.description
        check(!text.isEmpty, "Xapian described nothing for \(raw.debugDescription)")
    }
    return 0
}
