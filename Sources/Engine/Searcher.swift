import Analysis
import Foundation
import Model
import XapianKit

/// Runs the search bar's query on one reader: one Enquire per result group (kind), exact
/// totals, top hits, highlights, a corrected query and the creation suggestions.
struct Searcher {
    let builder: QueryBuilder
    let analyzer: Analyzer

    func search(_ req: SearchRequest, index: TenantIndex) throws -> SearchResponse {
        let started = DispatchTime.now().uptimeNanoseconds
        let parsed = builder.parse(req.query)
        var response = SearchResponse(query: req.query, tookMs: 0, correctedQuery: nil, tabs: [], suggestions: [])
        let blank = req.query.allSatisfy { $0.isWhitespace }
        let textQuery = blank ? nil : builder.query(parsed)
        let shortGram = builder.shortGramTerm(parsed)
        var totals: [RecordKind: Int] = [:]
        var hitsByKind: [RecordKind: [Hit]] = [:]
        if let tq = textQuery {
            try index.withReader { db in
                if let g = shortGram {
                    for kind in RecordKind.allCases {
                        var total = 0
                        for flag in activeFlags(req.inactive) {
                            total += Int(try db.termFrequency(Prefix.shortGram + kind.code + flag + g))
                        }
                        totals[kind] = total
                        let (limit, offset) = window(kind, req)
                        if limit > 0 && total > 0 {
                            let items: [MSetItem]
                            if total <= Self.rankedShortPrefixLimit {
                                // Few matches: rank them all (tiers as weights), ties by id.
                                items = try rankedShortPrefix(db, term: g, kind: kind, mode: req.inactive, first: offset, count: limit)
                            } else {
                                items = Array(try tieredItems(db, term: g, filter: kindFilter(kind, req.inactive),
                                                              count: offset + limit).dropFirst(offset))
                            }
                            hitsByKind[kind] = hits(items, parsed)
                        }
                    }
                } else {
                    try rankedSearch(db, tq, req, parsed, totals: &totals, hits: &hitsByKind)
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

    /// Hits wanted for a kind: `limit` from `offset` in the requested tab's groups (or every
    /// group without a tab), none for the other tabs.
    private func window(_ kind: RecordKind, _ req: SearchRequest) -> (limit: Int, offset: Int) {
        guard let tab = req.tab else { return (req.limit, 0) }
        return tab.kinds.contains(kind) ? (req.limit, req.offset) : (0, 0)
    }

    /// One ranked match over every kind: a collapse key on the kind keeps the best hits of
    /// each group, and a value-count spy on the same slot gives each group's exact total.
    private func rankedSearch(_ db: Database, _ tq: Query, _ req: SearchRequest, _ parsed: ParsedQuery,
                              totals: inout [RecordKind: Int], hits: inout [RecordKind: [Hit]]) throws {
        let docCount = Int(try db.docCount())
        let perGroup = RecordKind.allCases.map { let w = window($0, req); return w.limit + w.offset }.max() ?? 0
        let enquire = Enquire(database: db)
        enquire.weighting = .coord
        enquire.sortOrder = .relevanceThenValue(slot: Slot.id, reverse: false)
        let filtered: Query
        switch req.inactive {
        case .exclude: filtered = .filter(tq, .term(Prefix.active))
        case .only: filtered = .filter(tq, .term(Prefix.inactive))
        case .include: filtered = tq
        }
        try enquire.setQuery(.andMaybe(filtered, .valueWeight(slot: Slot.staticRank)))
        enquire.setCollapseKey(slot: Slot.kind, max: UInt32(max(perGroup, 1)))
        let (mset, counts) = try enquire.msetCounting(
            first: 0, maxItems: max(perGroup, 1) * RecordKind.allCases.count, checkAtLeast: docCount,
            fetchData: perGroup > 0, countValuesOf: Slot.kind)
        for kind in RecordKind.allCases { totals[kind] = counts[Array(kind.code.utf8)] ?? 0 }
        guard perGroup > 0 else { return }
        var items: [RecordKind: [MSetItem]] = [:]
        for item in mset.items {
            guard let d = DocumentData(decoding: item.data) else { continue }
            items[d.kind, default: []].append(item)
        }
        for (kind, list) in items {
            let (limit, offset) = window(kind, req)
            guard limit > 0 else { continue }
            hits[kind] = self.hits(Array(list.dropFirst(offset).prefix(limit)), parsed)
        }
    }

    /// Up to this many matches of a short prefix in a group are ranked one by one; beyond,
    /// they are fetched tier by tier (a posting list that long fills the tiers at once).
    static let rankedShortPrefixLimit = 200

    private static func shortPrefixTiers(_ term: String) -> [(Query, Double)] {
        [
            (.term(Prefix.fullName + term), Weights.nameExact + Weights.fullName),
            (.term(Prefix.nameWord + term), Weights.nameExact),
            (.term(Prefix.nameStart + term), Weights.namePrefix + 1),
            (.term(Prefix.nameGram + term), Weights.namePrefix),
            (.term(Prefix.secondaryWord + term), Weights.secondaryExact),
            (.term(Prefix.secondaryGram + term), Weights.secondaryPrefix),
        ]
    }

    /// A short prefix with few matches in a group: the group's short-gram terms select them,
    /// each scores its best tier, ties by id.
    private func rankedShortPrefix(_ db: Database, term: String, kind: RecordKind, mode: SearchRequest.InactiveMode,
                                   first: Int, count: Int) throws -> [MSetItem] {
        let selectors: [Query] = activeFlags(mode).map { .term(Prefix.shortGram + kind.code + $0 + term) }
        let tiers: Query = .max(Self.shortPrefixTiers(term).map { .scaleWeight($0.0, $0.1) })
        let enquire = Enquire(database: db)
        enquire.weighting = .coord
        enquire.sortOrder = .relevanceThenValue(slot: Slot.id, reverse: false)
        try enquire.setQuery(.filter(tiers, selectors.count == 1 ? selectors[0] : .or(selectors)))
        return try enquire.mset(first: first, maxItems: count, checkAtLeast: 0).items
    }

    /// The first `count` hits of a short prefix, tier by tier, each tier in index order.
    private func tieredItems(_ db: Database, term: String, filter: Query, count: Int) throws -> [MSetItem] {
        let tiers = Self.shortPrefixTiers(term)
        var items: [MSetItem] = []
        var previous: [Query] = []
        for (q, score) in tiers {
            guard items.count < count else { break }
            let enquire = Enquire(database: db)
            enquire.weighting = .bool
            enquire.docidAscending = true
            var tq: Query = .filter(q, filter)
            if !previous.isEmpty { tq = .andNot(tq, previous.count == 1 ? previous[0] : .or(previous)) }
            try enquire.setQuery(tq)
            let mset = try enquire.mset(first: 0, maxItems: count - items.count, checkAtLeast: 0)
            for var item in mset.items {
                item.weight = score
                items.append(item)
            }
            previous.append(q)
        }
        return items
    }

    private func activeFlags(_ mode: SearchRequest.InactiveMode) -> [String] {
        switch mode {
        case .exclude: return ["a"]
        case .only: return ["i"]
        case .include: return ["a", "i"]
        }
    }

    private func kindFilter(_ kind: RecordKind, _ mode: SearchRequest.InactiveMode) -> Query {
        switch mode {
        case .exclude: return .term(Prefix.kindActive + kind.code)
        case .only: return .term(Prefix.kindInactive + kind.code)
        case .include: return .term(Prefix.kind + kind.code)
        }
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
            for p in [Prefix.nameWord, Prefix.secondaryWord, Prefix.otherWord] where !exists {
                exists = try db.termExists(p + w.term)
            }
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
