import Foundation
import GRDB
import Model

/// A list query run on a snapshot and its overlay (see ListMemory.swift). Row references:
/// `r >= 0` is snapshot slot r, `r < 0` overlay row `-r - 1`.
struct ListMemoryQuery {
    let q: ListSQLQuery
    let s: ListSnapshot
    let o: ListOverlay
    /// Column index in `ListTables.stored` (the overlay's value order), by key column.
    let overlayIndex: [String: Int]

    /// A filter, for snapshot codes and for overlay values.
    struct Compiled {
        var column: MemColumn
        var index: Int
        var codes: CodeTest
        var value: (MemValue) -> Bool
    }

    enum CodeTest {
        case range(UInt32, UInt32)
        case accept([Bool])
    }

    /// Runs `q`, or answers nil when the snapshot cannot (custom columns, a key of an
    /// unexpected type): SQL runs it then.
    static func run(_ q: ListSQLQuery, snapshot s: ListSnapshot, db: Database) throws -> (result: ListResult, overlaySize: Int)? {
        let custom = q.filters.contains { $0.column.isCustom } || q.sort.contains { q.list.column($0.column)?.isCustom != false }
            || q.groupBy?.isCustom == true
        if custom { return nil }
        let o = try ListOverlay.read(s, db: db)
        if o.masked.count > ListMemory.hardLimit(s) { return nil }
        var idx: [String: Int] = [:]
        for (i, c) in ListTables.stored(q.list).enumerated() { idx[c.keyColumn] = i }
        let m = ListMemoryQuery(q: q, s: s, o: o, overlayIndex: idx)
        return try m.execute(db).map { ($0, o.masked.count) }
    }

    func column(_ c: ListColumn) -> (MemColumn, Int)? {
        guard let mc = s.columns[c.keyColumn], let i = overlayIndex[c.keyColumn] else { return nil }
        return (mc, i)
    }

    // MARK: - Filters (the semantics of ListQueries.condition)

    func operand(_ v: ListValue, _ c: ListColumn) -> MemValue { MemValue(ListQueries.operand(v, c)) }

    func ranges(_ rs: [(Int, Int)], _ d: MemDict) -> CodeTest {
        let nonEmpty = rs.filter { $0.0 < $0.1 }
        if nonEmpty.count == 1 { return .range(UInt32(nonEmpty[0].0), UInt32(nonEmpty[0].1)) }
        var a = [Bool](repeating: false, count: d.codeCount)
        for (lo, hi) in nonEmpty { for i in lo..<hi { a[i] = true } }
        return .accept(a)
    }

    func containing(_ needles: [[UInt8]], _ d: MemDict) -> CodeTest {
        var a = [Bool](repeating: false, count: d.codeCount)
        for n in needles { d.entriesContaining(n, into: &a) }
        return .accept(a)
    }

    func emptyTest(_ c: ListColumn, _ d: MemDict) -> (CodeTest, (MemValue) -> Bool) {
        if ListQueries.nullable(c) { return (ranges([(0, d.nullShift)], d), { $0 == .null }) }
        let code = d.code(of: .text([]))
        return (ranges(code.map { [($0, $0 + 1)] } ?? [], d), { $0 == .text([]) })
    }

    func compile(_ f: ListFilter) -> Compiled? {
        let c = f.column
        guard let (mc, i) = column(c) else { return nil }
        let d = mc.dict
        let textOps: Set<ListOp> = [.contains, .startsWith]
        if textOps.contains(f.op) || c.isMulti { guard d.isText else { return nil } }
        switch f.op {
        case .empty:
            let (t, v) = emptyTest(c, d)
            return Compiled(column: mc, index: i, codes: t, value: v)
        case .notEmpty:
            let (t, v) = emptyTest(c, d)
            let neg: CodeTest
            switch t {
            case .range(let lo, let hi):
                neg = ranges([(0, Int(lo)), (Int(hi), d.codeCount)], d)
            case .accept(let a): neg = .accept(a.map { !$0 })
            }
            return Compiled(column: mc, index: i, codes: neg, value: { !v($0) })
        case .eq, .in:
            if c.isMulti {
                let needles = f.values.map { v -> [UInt8] in Array(("," + (String.fromDatabaseValue(ListQueries.operand(v, c)) ?? "") + ",").utf8) }
                return Compiled(column: mc, index: i, codes: containing(needles, d), value: { e in
                    guard let b = e.bytes else { return false }
                    return needles.contains { Bytes.contains(b, $0) }
                })
            }
            if c.type == .date {
                let bounds = f.values.map { v -> (MemValue, MemValue) in
                    let lo = MemValue(v)
                    guard case .text(let b) = lo else { return (lo, lo) }
                    return (lo, .text(b + [0x7E]))
                }
                let t = ranges(bounds.map { (d.lowerCode($0.0), d.upperCode($0.1)) }, d)
                return Compiled(column: mc, index: i, codes: t, value: { e in
                    e != .null && bounds.contains { MemValue.compare(e, $0.0) >= 0 && MemValue.compare(e, $0.1) <= 0 }
                })
            }
            let ops = f.values.map { operand($0, c) }
            let t = ranges(ops.compactMap { d.code(of: $0) }.map { ($0, $0 + 1) }, d)
            return Compiled(column: mc, index: i, codes: t, value: { e in e != .null && ops.contains { MemValue.compare(e, $0) == 0 } })
        case .contains:
            guard case .text(let k) = operand(f.values.first ?? .null, c) else { return nil }
            return Compiled(column: mc, index: i, codes: containing([k], d), value: { e in
                guard let b = e.bytes else { return false }
                return Bytes.contains(b, k)
            })
        case .startsWith:
            guard case .text(let k) = operand(f.values.first ?? .null, c) else { return nil }
            if c.isMulti {
                let n = [0x2C] + k
                return Compiled(column: mc, index: i, codes: containing([n], d), value: { e in
                    guard let b = e.bytes else { return false }
                    return Bytes.contains(b, n)
                })
            }
            let t = ranges([(d.lowerCode(.text(k)), d.lowerCode(.text(k + [0xFF])))], d)
            return Compiled(column: mc, index: i, codes: t, value: { e in
                guard let b = e.bytes else { return false }
                return Bytes.hasPrefix(b, k)
            })
        case .between:
            let from = f.from.flatMap { $0 == .null ? nil : MemValue($0) }
            var to = f.to.flatMap { $0 == .null ? nil : MemValue($0) }
            if c.type == .date, case .text(let b)? = to { to = .text(b + [0x7E]) }
            if from == nil, to == nil { return Compiled(column: mc, index: i, codes: .range(0, UInt32(d.codeCount)), value: { _ in true }) }
            let lo = from.map { d.lowerCode($0) } ?? d.nullShift
            let hi = to.map { d.upperCode($0) } ?? d.codeCount
            return Compiled(column: mc, index: i, codes: ranges([(max(lo, d.nullShift), hi)], d), value: { e in
                guard e != .null else { return false }
                if let from, MemValue.compare(e, from) < 0 { return false }
                if let to, MemValue.compare(e, to) > 0 { return false }
                return true
            })
        }
    }

    /// `k_active IS NOT 0`.
    func activeFilter() -> Compiled? {
        guard let c = q.list.column("active"), let (mc, i) = column(c) else { return nil }
        let zero = mc.dict.code(of: .num(0))
        var a = [Bool](repeating: true, count: mc.dict.codeCount)
        if let zero { a[zero] = false }
        return Compiled(column: mc, index: i, codes: .accept(a), value: { $0 != .num(0) })
    }

    /// Rows in the group `key` (ListQueries.groupCondition).
    func groupFilter(_ g: ListColumn, _ key: ListValue) -> Compiled? {
        if key == .null {
            var f = ListFilter(column: g, op: .empty)
            f.values = []
            return compile(f)
        }
        guard let (mc, i) = column(g) else { return nil }
        let v = MemValue(key)
        let t = ranges(mc.dict.code(of: v).map { [($0, $0 + 1)] } ?? [], mc.dict)
        return Compiled(column: mc, index: i, codes: t, value: { MemValue.compare($0, v) == 0 && $0 != .null })
    }

    // MARK: - Masks

    func apply(_ f: Compiled, to mask: inout [UInt64]) {
        f.column.codes.withUnsafeBufferPointer { codes in
            mask.withUnsafeMutableBufferPointer { m in
                switch f.codes {
                case .range(let lo, let hi):
                    let width = hi &- lo
                    for w in 0..<m.count where m[w] != 0 {
                        var bits: UInt64 = 0
                        let b = w << 6
                        for j in 0..<64 where codes[b + j] &- lo < width { bits |= 1 << UInt64(j) }
                        m[w] &= bits
                    }
                case .accept(let a):
                    a.withUnsafeBufferPointer { ok in
                        for w in 0..<m.count where m[w] != 0 {
                            var bits: UInt64 = 0
                            let b = w << 6
                            for j in 0..<64 where ok[Int(codes[b + j])] { bits |= 1 << UInt64(j) }
                            m[w] &= bits
                        }
                    }
                }
            }
        }
    }

    func clear(_ rowid: Int64, _ mask: inout [UInt64]) {
        let sl = rowid - s.base
        guard sl >= 0, sl < Int64(s.slotCount) else { return }
        mask[Int(sl) >> 6] &= ~(1 << UInt64(sl & 63))
    }

    func isSet(_ slot: Int, _ mask: [UInt64]) -> Bool { mask[slot >> 6] & (1 << UInt64(slot & 63)) != 0 }

    func forEachSet(_ mask: [UInt64], _ body: (Int) -> Void) {
        for (w, word) in mask.enumerated() {
            var x = word
            while x != 0 {
                let j = x.trailingZeroBitCount
                body(w << 6 | j)
                x &= x - 1
            }
        }
    }

    func rowid(_ r: Int) -> Int64 { r >= 0 ? s.base + Int64(r) : o.rowids[-r - 1] }

    // MARK: - Order

    struct Term {
        var codes: [UInt32]
        var dict: MemDict
        var index: Int
        var descending: Bool
        /// Overlay rows' positions (MemDict.position) and values.
        var overlayPos: [UInt64]
        var overlayVal: [MemValue]
    }

    func terms(_ sort: [ListSortKey]) -> [Term]? {
        var out: [Term] = []
        var keys = sort.compactMap { k -> (ListColumn, Bool)? in q.list.column(k.column).map { ($0, k.descending) } }
        guard let idc = q.list.column("id") else { return nil }
        keys.append((idc, false))
        for (c, desc) in keys {
            guard let (mc, i) = column(c) else { return nil }
            let vals = o.values.map { $0[i] }
            out.append(Term(codes: mc.codes, dict: mc.dict, index: i, descending: desc, overlayPos: vals.map { mc.dict.position($0) },
                            overlayVal: vals))
        }
        return out
    }

    struct Order {
        let terms: [Term]
        /// Relevance order: the match weight first (best first), by row reference.
        var weights: [Int: Double]? = nil

        @inline(__always)
        func pos(_ r: Int, _ t: Term) -> UInt64 { r >= 0 ? UInt64(t.codes[r]) &* 2 &+ 1 : t.overlayPos[-r - 1] }

        /// Ascending in the query's order: -1, 0, 1.
        func compare(_ a: Int, _ b: Int) -> Int {
            if let w = weights {
                let wa = w[a] ?? 0, wb = w[b] ?? 0
                if wa != wb { return wa > wb ? -1 : 1 }
            }
            for t in terms {
                let pa = pos(a, t), pb = pos(b, t)
                var c = pa < pb ? -1 : (pa > pb ? 1 : 0)
                if c == 0, pa & 1 == 0 { c = MemValue.compare(t.overlayVal[-a - 1], t.overlayVal[-b - 1]) }
                if c != 0 { return t.descending ? -c : c }
            }
            return 0
        }

        /// Row `r` against a cursor's keys (positions and values of `keys`, a prefix of the terms).
        func compare(_ r: Int, cursor: [(UInt64, MemValue)]) -> Int {
            for (t, k) in zip(terms, cursor) {
                let p = pos(r, t)
                var c = p < k.0 ? -1 : (p > k.0 ? 1 : 0)
                if c == 0, p & 1 == 0 { c = MemValue.compare(t.overlayVal[-r - 1], k.1) }
                if c != 0 { return t.descending ? -c : c }
            }
            return 0
        }

        func cursor(_ keys: [ListValue]) -> [(UInt64, MemValue)] {
            zip(terms, keys).map { t, k in
                let v = MemValue(k)
                return (t.dict.position(v), v)
            }
        }
    }

    /// The first `k` of `candidates` in `order` (a bounded max-heap).
    struct TopK {
        let k: Int
        let order: Order
        var heap: [Int] = []

        init(k: Int, order: Order) {
            self.k = k
            self.order = order
            heap.reserveCapacity(k)
        }

        mutating func add(_ r: Int) {
            guard k > 0 else { return }
            if heap.count < k {
                heap.append(r)
                var i = heap.count - 1
                while i > 0 {
                    let p = (i - 1) / 2
                    guard order.compare(heap[i], heap[p]) > 0 else { break }
                    heap.swapAt(i, p)
                    i = p
                }
                return
            }
            guard order.compare(r, heap[0]) < 0 else { return }
            heap[0] = r
            var i = 0
            while true {
                let l = 2 * i + 1, rr = l + 1
                var m = i
                if l < heap.count, order.compare(heap[l], heap[m]) > 0 { m = l }
                if rr < heap.count, order.compare(heap[rr], heap[m]) > 0 { m = rr }
                if m == i { break }
                heap.swapAt(i, m)
                i = m
            }
        }

        func sorted() -> [Int] { heap.sorted { order.compare($0, $1) < 0 } }
    }

    // MARK: - Execution

    func execute(_ db: Database) throws -> ListResult? {
        var filters: [Compiled] = []
        let hasActiveFilter = q.filters.contains { $0.column.name == "active" }
        if q.list.kind.hasActiveFlag, !q.includeInactive, !hasActiveFilter {
            guard let a = activeFilter() else { return nil }
            filters.append(a)
        }
        for f in q.filters {
            guard let c = compile(f) else { return nil }
            filters.append(c)
        }
        guard let terms = terms(q.sort) else { return nil }
        let relevance = q.matches != nil && q.sort.isEmpty
        var order = Order(terms: terms)
        if relevance {
            guard let rt = self.terms(q.list.defaultSort) else { return nil }
            order = Order(terms: rt)
        }

        // Candidates: present, not rewritten since, passing every filter (and the text query).
        var mask = s.present
        for id in o.masked { clear(id, &mask) }
        var matchWeight: [Int64: Double]?
        if let m = q.matches {
            var bits = [UInt64](repeating: 0, count: mask.count)
            var weights = [Int64: Double](minimumCapacity: m.count)
            for x in m {
                let sl = x.docid - s.base
                if sl >= 0, sl < Int64(s.slotCount) { bits[Int(sl) >> 6] |= 1 << UInt64(sl & 63) }
                if weights[x.docid] == nil { weights[x.docid] = x.weight }
            }
            for w in 0..<mask.count { mask[w] &= bits[w] }
            matchWeight = weights
        }
        for f in filters { apply(f, to: &mask) }
        var overlayRows: [Int] = []
        for (i, values) in o.values.enumerated() {
            if let mw = matchWeight, mw[o.rowids[i]] == nil { continue }
            if filters.allSatisfy({ $0.value(values[$0.index]) }) { overlayRows.append(-i - 1) }
        }
        let total = mask.reduce(0) { $0 + $1.nonzeroBitCount } + overlayRows.count
        if relevance, let mw = matchWeight {
            // By row reference: the candidate slots and overlay rows.
            var byRef = [Int: Double](minimumCapacity: total)
            forEachSet(mask) { r in byRef[r] = mw[s.base + Int64(r)] ?? 0 }
            for r in overlayRows { byRef[r] = mw[rowid(r)] ?? 0 }
            order.weights = byRef
        }

        // The rows of a page (or a group's page), in order.
        func page(extra: Compiled?, position: ListPosition?, limit: Int) -> (refs: [Int], more: Bool, offset: Int) {
            var m = mask
            var extraRows = overlayRows
            if let extra {
                apply(extra, to: &m)
                extraRows = overlayRows.filter { extra.value(o.values[-$0 - 1][extra.index]) }
            }
            if relevance {
                let offset = position?.offset ?? 0
                var top = TopK(k: offset + limit + 1, order: order)
                forEachSet(m) { top.add($0) }
                for r in extraRows { top.add(r) }
                let sorted = top.sorted()
                return (Array(sorted.dropFirst(offset).prefix(limit)), sorted.count > offset + limit, offset)
            }
            var top = TopK(k: limit + 1, order: order)
            if let keys = position?.keys {
                let cur = order.cursor(keys)
                forEachSet(m) { r in if order.compare(r, cursor: cur) > 0 { top.add(r) } }
                for r in extraRows where order.compare(r, cursor: cur) > 0 { top.add(r) }
            } else {
                forEachSet(m) { top.add($0) }
                for r in extraRows { top.add(r) }
            }
            let sorted = top.sorted()
            return (Array(sorted.prefix(limit)), sorted.count > limit, 0)
        }

        let sqlTerms = ListQueries.sortTerms(q)
        func fetchRows(_ ids: [Int64]) throws -> [Int64: Row] {
            guard !ids.isEmpty else { return [:] }
            let sql = "SELECT \(ListQueries.selectList(q, sqlTerms, matchKey: false)) FROM \(ListTables.table(q.list.kind)) l "
                + "JOIN records r ON r.rowid = l.rowid WHERE l.rowid IN (SELECT value FROM json_each(?))"
            var byId: [Int64: Row] = [:]
            for r in try Row.fetchAll(db.makeStatement(sql: sql), arguments: [ListQueries.matchesJSON(ids)]) { byId[r[0]] = r }
            return byId
        }
        func materialize(_ p: (refs: [Int], more: Bool, offset: Int), _ fetched: [Int64: Row], position: ListPosition?,
                         group: ListValue?) -> ([ListRow], Bool) {
            let ordered = p.refs.compactMap { fetched[rowid($0)] }
            let out = ListQueries.makeRows(ordered[...], q, terms: sqlTerms, relevance: relevance, hasMatchKey: false,
                                           offset: p.offset, group: group, inGroup: group != nil || position?.inGroup == true)
            return (out, p.more)
        }
        func materialize(_ p: (refs: [Int], more: Bool, offset: Int), position: ListPosition?, group: ListValue?) throws -> ([ListRow], Bool) {
            materialize(p, try fetchRows(p.refs.map { rowid($0) }), position: position, group: group)
        }

        // A page within one group (a group's cursor).
        if let p = q.position, p.inGroup, let g = q.groupBy {
            guard let gf = groupFilter(g, p.group ?? .null) else { return nil }
            let pos = p.keys == nil && p.offset == nil ? nil : p
            let (rows, more) = try materialize(page(extra: gf, position: pos, limit: q.limit), position: p, group: p.group ?? .null)
            return ListResult(total: total, rows: rows, hasMore: more, groups: nil)
        }
        guard let g = q.groupBy else {
            let (rows, more) = try materialize(page(extra: nil, position: q.position, limit: q.limit), position: q.position, group: nil)
            return ListResult(total: total, rows: rows, hasMore: more, groups: nil)
        }

        // Groups: every key with its exact count, in key order; the first rows of each.
        guard let (gc, gi) = column(g) else { return nil }
        var counts = [Int](repeating: 0, count: gc.dict.codeCount)
        var sample = [Int64](repeating: Int64.max, count: gc.dict.codeCount)
        gc.codes.withUnsafeBufferPointer { codes in
            forEachSet(mask) { r in
                let c = Int(codes[r])
                counts[c] += 1
                if sample[c] == Int64.max { sample[c] = s.base + Int64(r) }
            }
        }
        struct G { var pos: UInt64; var value: MemValue; var count: Int; var sample: Int64 }
        var extraGroups: [MemValue: G] = [:]
        for r in overlayRows {
            let v = o.values[-r - 1][gi]
            let p = gc.dict.position(v)
            let id = rowid(r)
            if p & 1 == 1 {
                let c = Int(p / 2)
                counts[c] += 1
                sample[c] = min(sample[c], id)
            } else {
                var e = extraGroups[v] ?? G(pos: p, value: v, count: 0, sample: Int64.max)
                e.count += 1
                e.sample = min(e.sample, id)
                extraGroups[v] = e
            }
        }
        var groups: [G] = []
        for c in 0..<counts.count where counts[c] > 0 {
            groups.append(G(pos: UInt64(2 * c + 1), value: gc.dict.value(c), count: counts[c], sample: sample[c]))
        }
        groups += extraGroups.values
        groups.sort { $0.pos != $1.pos ? $0.pos < $1.pos : MemValue.compare($0.value, $1.value) < 0 }
        // (A text key '' and NULL are one group only for nullable columns; text keys are never NULL.)

        // The first rows of the first groups, in one pass: each row goes to its group's top k.
        let shownGroups = q.limit > 0 ? min(groups.count, q.groupRowsLimit) : 0
        var codeGroup = [Int32](repeating: -1, count: gc.dict.codeCount)
        var valueGroup: [MemValue: Int] = [:]
        for i in 0..<shownGroups {
            if groups[i].pos & 1 == 1 { codeGroup[Int(groups[i].pos / 2)] = Int32(i) } else { valueGroup[groups[i].value] = i }
        }
        func groupOf(_ r: Int) -> Int {
            if r >= 0 { return Int(codeGroup[Int(gc.codes[r])]) }
            let v = o.values[-r - 1][gi]
            let p = gc.dict.position(v)
            return p & 1 == 1 ? Int(codeGroup[Int(p / 2)]) : (valueGroup[v] ?? -1)
        }
        var picked: [(refs: [Int], more: Bool, offset: Int)] = []
        if shownGroups > 0 {
            // (Relevance order too: `order` carries the match weights.)
            var tops = [TopK](repeating: TopK(k: q.limit + 1, order: order), count: shownGroups)
            forEachSet(mask) { r in
                let gix = groupOf(r)
                if gix >= 0 { tops[gix].add(r) }
            }
            for r in overlayRows {
                let gix = groupOf(r)
                if gix >= 0 { tops[gix].add(r) }
            }
            picked = tops.map { top in
                let sorted = top.sorted()
                return (Array(sorted.prefix(q.limit)), sorted.count > q.limit, 0)
            }
        }
        let t = ListTables.table(q.list.kind)
        let keyValues = groups.map { $0.value.listValue(g) }
        let shown = try ListQueries.groupKeyDisplays(g, zip(keyValues, groups.map(\.sample)).map { ($0, $1) }, table: t, db: db)
        let fetched = try fetchRows(picked.flatMap { $0.refs.map { rowid($0) } })
        var out: [ListGroupResult] = []
        for (i, gr) in groups.enumerated() {
            var rows: [ListRow] = []
            var more = true
            if i < shownGroups { (rows, more) = materialize(picked[i], fetched, position: nil, group: keyValues[i]) }
            out.append(ListGroupResult(key: shown[i], keyValue: keyValues[i], count: gr.count, rows: rows, hasMore: more))
        }
        return ListResult(total: out.reduce(0) { $0 + $1.count }, rows: [], hasMore: false, groups: out)
    }
}
