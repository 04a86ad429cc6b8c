import Analysis
import Foundation
import Model
import XapianKit
import Store

/// Runs the search bar's query on one reader: one Enquire per result group (kind), exact
/// totals, top hits, highlights, a corrected query and the creation suggestions.
struct Searcher {
    let builder: QueryBuilder
    let analyzer: Analyzer

    func search(_ req: SearchRequest, index: TenantIndex) throws -> SearchResponse {
        let started = DispatchTime.now().uptimeNanoseconds
        var parsed = builder.parse(req.query)
        var response = SearchResponse(query: req.query, tookMs: 0, correctedQuery: nil, tabs: [], suggestions: [])
        let blank = req.query.allSatisfy { $0.isWhitespace }
        let shortGram = builder.shortGramTerm(parsed)
        var totals: [RecordKind: Int] = [:]
        var hitsByKind: [RecordKind: [Hit]] = [:]
        if !blank {
            try index.withReader { db in
                if let g = shortGram {
                    for kind in RecordKind.allCases {
                        var total = 0
                        for active in QueryBuilder.activeFlags(req.inactive) {
                            for tier in GramTier.allCases {
                                total += Int(try db.termFrequency(Prefix.gram(kind, active: active, tier: tier) + g))
                            }
                        }
                        totals[kind] = total
                        let (limit, offset) = window(kind, req)
                        if limit > 0 && total > 0 {
                            let items: [MSetItem]
                            if total <= Self.rankedShortPrefixLimit {
                                // Few matches: rank them all (tiers as weights), ties by id.
                                items = try rankedShortPrefix(db, term: g, kind: kind, mode: req.inactive, first: offset, count: limit)
                            } else {
                                items = Array(try tieredItems(db, term: g, kind: kind, mode: req.inactive,
                                                              count: offset + limit).dropFirst(offset))
                            }
                            hitsByKind[kind] = hits(items, parsed)
                        }
                    }
                } else {
                    try matchWithTypos(&parsed, db: db, mode: req.inactive) { tq, parsed in
                        totals = [:]
                        hitsByKind = [:]
                        try rankedSearch(db, tq, req, parsed, totals: &totals, hits: &hitsByKind)
                        return totals.values.contains { $0 > 0 }
                    }
                }
                response.correctedQuery = try correctedQuery(parsed, db: db, vocabulary: index.vocabulary)
            }
        }
        for tab in SearchTab.allCases {
            var tabResult = TabResult(tab: tab.rawValue, label: tab.label, total: 0, groups: [])
            for kind in tab.kinds {
                let group = GroupResult(kind: kind.rawValue, label: kind.groupLabel, total: totals[kind] ?? 0,
                                        hits: hitsByKind[kind] ?? [])
                tabResult.total += group.total
                tabResult.groups.append(group)
            }
            response.tabs.append(tabResult)
        }
        if !blank {
            response.suggestions = Suggestions.make(for: req.query, parsed: parsed, analyzer: analyzer)
        }
        response.tookMs = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6
        return response
    }

    /// The documents of `kind` matching the text of a list query, best first (the search bar's
    /// analysis, prefixes and typo rules), active or not: the list's own filters decide.
    func listMatches(_ text: String, kind: RecordKind, index: TenantIndex) throws -> [ListMatch] {
        var parsed = builder.parse(text)
        guard !text.allSatisfy({ $0.isWhitespace }) else { return [] }
        let lo = UInt32(kind.docidBase + 1), hi = UInt32(kind.docidBase + RecordKind.docidRangeSize)
        return try index.withReader { db in
            let docCount = Int(try db.docCount())
            if let g = builder.shortGramTerm(parsed) {
                // A short prefix: its gram tiers in order (an earlier tier weighs more).
                var seen = Set<UInt32>()
                var out: [ListMatch] = []
                let tiers = Self.shortPrefixTiers(g, kind: kind, mode: .include)
                for (i, (q, _)) in tiers.enumerated() {
                    let enquire = Enquire(database: db)
                    enquire.weighting = .bool
                    try enquire.setQuery(q)
                    for m in try enquire.weightedDocids(in: lo...hi, checkAtLeast: docCount) where seen.insert(m.docid).inserted {
                        out.append(ListMatch(docid: Int64(m.docid), weight: Double(tiers.count - i)))
                    }
                }
                return out
            }
            var out: [ListMatch] = []
            try matchWithTypos(&parsed, db: db, mode: .include) { tq, _ in
                let enquire = Enquire(database: db)
                enquire.weighting = .wdf
                // Only this kind's documents are weighed.
                try enquire.setQuery(.filter(tq, .term(Prefix.kind + kind.code)))
                out = try enquire.weightedDocids(in: lo...hi, checkAtLeast: docCount).map { ListMatch(docid: Int64($0.docid), weight: $0.weight) }
                return !out.isEmpty
            }
            return out
        }
    }

    /// The search bar's typo rule, for every caller: typos only for the words the index does not
    /// hold as typed (a word people type right costs no fuzzy alternatives), and for every word
    /// when the query so finds nothing ("marin dupont" for Martin Dupont: "marin" exists).
    /// `match` runs a query (with the words it was built from) and says whether it found anything.
    private func matchWithTypos(_ parsed: inout ParsedQuery, db: Database, mode: SearchRequest.InactiveMode,
                                _ match: (Query, ParsedQuery) throws -> Bool) throws {
        try builder.addTypos(&parsed) { w in !(try Self.exists(w, db)) }
        var found = false
        if let tq = builder.query(parsed, mode: mode) { found = try match(tq, parsed) }
        if !found, parsed.words.contains(where: { $0.typoEligible && $0.typos.isEmpty }) {
            builder.addTypos(&parsed) { _ in true }
            if let tq = builder.query(parsed, mode: mode) { _ = try match(tq, parsed) }
        }
    }

    /// Whether the index holds the word as typed: the whole word, or for the word being typed
    /// a word starting with it.
    static func exists(_ w: ParsedQuery.Word, _ db: Database) throws -> Bool {
        for t in [w.term] + w.alternatives {
            if try db.termExists(Prefix.word + t) { return true }
            if w.isPrefix {
                var found = false
                try db.allTerms(prefix: Prefix.word + t) { _, _ in found = true; return false }
                if found { return true }
            }
        }
        return false
    }

    /// Hits wanted for a kind: `limit` from `offset` in the requested tab's groups (or every
    /// group without a tab), none for the other tabs.
    private func window(_ kind: RecordKind, _ req: SearchRequest) -> (limit: Int, offset: Int) {
        guard let tab = req.tab else { return (req.limit, 0) }
        return tab.kinds.contains(kind) ? (req.limit, req.offset) : (0, 0)
    }

    /// One ranked match over every kind: their documents are disjoint runs of docids, so one
    /// exhaustive match gives each kind's exact total and best hits (`Enquire.grouped`).
    private func rankedSearch(_ db: Database, _ tq: Query, _ req: SearchRequest, _ parsed: ParsedQuery,
                              totals: inout [RecordKind: Int], hits: inout [RecordKind: [Hit]]) throws {
        let docCount = Int(try db.docCount())
        let perGroup = RecordKind.allCases.map { let w = window($0, req); return w.limit + w.offset }.max() ?? 0
        let enquire = Enquire(database: db)
        enquire.weighting = .wdf
        let filtered: Query
        switch req.inactive {
        case .exclude: filtered = .andNot(tq, .term(Prefix.inactive))
        case .only: filtered = .filter(tq, .term(Prefix.inactive))
        case .include: filtered = tq
        }
        try enquire.setQuery(filtered)
        let groups = try enquire.grouped(checkAtLeast: docCount, groupShift: 28, groups: RecordKind.allCases.count,
                                         perGroup: perGroup, sortSlot: Slot.sortKey, fetchSlot: Slot.display)
        for kind in RecordKind.allCases {
            let g = groups[Int(kind.docidOrdinal)]
            totals[kind] = g.count
            let (limit, offset) = window(kind, req)
            guard limit > 0, !g.items.isEmpty else { continue }
            hits[kind] = self.hits(Array(g.items.dropFirst(offset).prefix(limit)), parsed)
        }
    }

    /// Up to this many matches of a short prefix in a group are ranked one by one; beyond,
    /// they are fetched tier by tier (a posting list that long fills the tiers at once).
    static let rankedShortPrefixLimit = 200

    /// The gram terms of `term` for a kind, per tier, in the activity `mode` asks for.
    private static func gramTerms(_ term: String, kind: RecordKind, mode: SearchRequest.InactiveMode, tier: GramTier) -> Query {
        let terms: [Query] = QueryBuilder.activeFlags(mode).map { .term(Prefix.gram(kind, active: $0, tier: tier) + term) }
        return terms.count == 1 ? terms[0] : .or(terms)
    }

    /// The tiers of a short prefix: the whole name, then the name's first word starting so,
    /// another word of the name, the company it shows. Gram tiers are disjoint by construction.
    private static func shortPrefixTiers(_ term: String, kind: RecordKind, mode: SearchRequest.InactiveMode) -> [(Query, Double)] {
        let first = gramTerms(term, kind: kind, mode: mode, tier: .first)
        return [
            (.filter(.term(Prefix.fullName + term), first), Weights.wordExact * Double(FieldClass.name.rawValue) + Weights.fullName),
            (.andNot(first, .term(Prefix.fullName + term)), Weights.gram[.first]!),
            (gramTerms(term, kind: kind, mode: mode, tier: .name), Weights.gram[.name]!),
            (gramTerms(term, kind: kind, mode: mode, tier: .secondary), Weights.gram[.secondary]!),
        ]
    }

    /// A short prefix with few matches in a group: its gram terms select them, each scores its
    /// best tier (and an exact word), ties by id.
    private func rankedShortPrefix(_ db: Database, term: String, kind: RecordKind, mode: SearchRequest.InactiveMode,
                                   first: Int, count: Int) throws -> [MSetItem] {
        let selector: Query = .or(GramTier.allCases.map { Self.gramTerms(term, kind: kind, mode: mode, tier: $0) })
        let tiers: Query = .max([
            .scaleWeight(.term(Prefix.fullName + term), Weights.wordExact * Double(FieldClass.name.rawValue) + Weights.fullName),
            .scaleWeight(.term(Prefix.word + term), Weights.wordExact),
        ] + GramTier.allCases.map { .scaleWeight(Self.gramTerms(term, kind: kind, mode: mode, tier: $0), Weights.gram[$0]!) })
        let enquire = Enquire(database: db)
        enquire.weighting = .wdf
        enquire.sortOrder = .relevanceThenValue(slot: Slot.sortKey, reverse: false)
        enquire.fetchValueSlot = Slot.display
        try enquire.setQuery(.filter(tiers, selector))
        return try enquire.mset(first: first, maxItems: count, checkAtLeast: 0).items
    }

    /// The first `count` hits of a short prefix, tier by tier, each tier in index order.
    private func tieredItems(_ db: Database, term: String, kind: RecordKind, mode: SearchRequest.InactiveMode,
                             count: Int) throws -> [MSetItem] {
        var items: [MSetItem] = []
        for (q, score) in Self.shortPrefixTiers(term, kind: kind, mode: mode) {
            guard items.count < count else { break }
            let enquire = Enquire(database: db)
            enquire.weighting = .bool
            enquire.docidAscending = true
            enquire.fetchValueSlot = Slot.display
            try enquire.setQuery(q)
            let mset = try enquire.mset(first: 0, maxItems: count - items.count, checkAtLeast: 0)
            for var item in mset.items {
                item.weight = score
                items.append(item)
            }
        }
        return items
    }

    private func hits(_ items: [MSetItem], _ parsed: ParsedQuery) -> [Hit] {
        let hl = Highlighter(analyzer: analyzer, query: parsed)
        return items.compactMap { item in
            guard let d = DocumentData(decoding: item.data) else { return nil }
            var highlights: [String: String] = [:]
            for (field, text) in d.fields {
                if let h = hl.highlight(field: field, text) { highlights[field] = h }
            }
            return Hit(id: d.id, kind: d.kind.rawValue, title: d.title, subtitle: d.subtitle,
                       score: (item.weight * 10000).rounded() / 10000, active: d.active, highlights: highlights)
        }
    }

    /// When a word matched nothing but through a typo, the query with that word corrected.
    /// Runs on the search's own reader.
    private func correctedQuery(_ q: ParsedQuery, db: Database, vocabulary: Vocabulary) throws -> String? {
        var corrected: [String] = []
        var changed = false
        for w in q.words {
            guard let best = w.typos.first else { corrected.append(w.term); continue }
            var exists = w.isPrefix && vocabulary.mostFrequentWord(withPrefix: w.term) != nil
            if !exists { exists = try db.termExists(Prefix.word + w.term) }
            if exists { corrected.append(w.term); continue }
            changed = true
            if best.isPrefix {
                corrected.append(vocabulary.mostFrequentWord(withPrefix: best.text) ?? best.text)
            } else {
                corrected.append(best.text)
            }
        }
        return changed ? corrected.joined(separator: " ") : nil
    }
}
