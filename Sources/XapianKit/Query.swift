import CXapian

/// A Xapian query as a Swift value tree.
///
/// Building one costs no C call: the tree is turned into a `Xapian::Query` only when it is
/// given to `Enquire.setQuery` (serialised into a compact byte program that the shim
/// decodes in one call).
///
/// As in Xapian, `.term("")` matches every document (it is `MatchAll`), and an empty
/// `.and([])`/`.or([])` matches nothing.
public indirect enum Query: Sendable, Hashable, CustomStringConvertible {
    /// A term with its within-query frequency.
    case term(String, wqf: UInt32 = 1)
    /// `OP_AND`: every subquery matches; weights add up.
    case and([Query])
    /// `OP_OR`: any subquery matches; weights add up.
    case or([Query])
    /// `OP_SYNONYM`: like `OP_OR`, weighted as if one term.
    case synonym([Query])
    /// `OP_MAX`: like `OP_OR`, weighted by the best matching subquery.
    case max([Query])
    /// `OP_AND_MAYBE`: matches the first; the second only adds weight.
    case andMaybe(Query, Query)
    /// `OP_AND_NOT`: matches the first but not the second.
    case andNot(Query, Query)
    /// `OP_FILTER`: matches both, weighted by the first only.
    case filter(Query, Query)
    /// `OP_SCALE_WEIGHT`: multiplies the subquery's weight by a factor (≥ 0).
    case scaleWeight(Query, Double)
    /// `OP_WILDCARD` on a prefix, expanded to at most `limit` terms, keeping the most
    /// frequent (`WILDCARD_LIMIT_MOST_FREQUENT`), combined with `OP_MAX` (a document weighs
    /// its best matching expansion).
    /// A `limit` of 0 expands to every term with the prefix (in Xapian 1.4 a limit of 0 with
    /// WILDCARD_LIMIT_MOST_FREQUENT would match nothing; the shim maps 0 to "no limit").
    case wildcard(prefix: String, limit: UInt32)
    /// `Xapian::ValueWeightPostingSource`: matches documents with a value in `slot` and
    /// weights them by it (the value must be `Sortable.serialise(double)`).
    case valueWeight(slot: UInt32)
    /// `OP_VALUE_RANGE`: documents whose value in `slot` is within `from...to`
    /// (byte-wise comparison; use `Sortable.serialise` for numbers).
    case valueRange(slot: UInt32, from: [UInt8], to: [UInt8])
    /// Every document (`Query::MatchAll`).
    case matchAll
    /// No document (`Query::MatchNothing`).
    case matchNothing

    /// Xapian's `Query::get_description()`, e.g. `Query((a OR b))`.
    public var description: String {
        let program = self.program
        var out: UnsafeMutablePointer<CChar>? = nil
        var count = 0
        do {
            try xapianCall { err in
                program.withUnsafeBufferPointer {
                    cxp_query_description($0.baseAddress, $0.count, &out, &count, err)
                }
            }
        } catch {
            return "<invalid query: \(error)>"
        }
        return takeString(out, count)
    }

    /// The query as the shim's byte program (grammar in cxapian.h).
    var program: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        encode(into: &out)
        return out
    }

    private func encode(into out: inout [UInt8]) {
        switch self {
        case let .term(term, wqf):
            out.append(UInt8(CXP_Q_TERM))
            Query.append(term, to: &out)
            Query.append(wqf, to: &out)
        case let .and(subqueries):
            Query.append(UInt8(CXP_Q_AND), subqueries, to: &out)
        case let .or(subqueries):
            Query.append(UInt8(CXP_Q_OR), subqueries, to: &out)
        case let .synonym(subqueries):
            Query.append(UInt8(CXP_Q_SYNONYM), subqueries, to: &out)
        case let .max(subqueries):
            Query.append(UInt8(CXP_Q_MAX), subqueries, to: &out)
        case let .andMaybe(a, b):
            out.append(UInt8(CXP_Q_AND_MAYBE))
            a.encode(into: &out)
            b.encode(into: &out)
        case let .andNot(a, b):
            out.append(UInt8(CXP_Q_AND_NOT))
            a.encode(into: &out)
            b.encode(into: &out)
        case let .filter(a, b):
            out.append(UInt8(CXP_Q_FILTER))
            a.encode(into: &out)
            b.encode(into: &out)
        case let .scaleWeight(subquery, factor):
            out.append(UInt8(CXP_Q_SCALE_WEIGHT))
            withUnsafeBytes(of: factor) { out.append(contentsOf: $0) }
            subquery.encode(into: &out)
        case let .wildcard(prefix, limit):
            out.append(UInt8(CXP_Q_WILDCARD))
            Query.append(prefix, to: &out)
            Query.append(limit, to: &out)
        case let .valueWeight(slot):
            out.append(UInt8(CXP_Q_VALUE_WEIGHT))
            Query.append(slot, to: &out)
        case let .valueRange(slot, from, to):
            out.append(UInt8(CXP_Q_VALUE_RANGE))
            Query.append(slot, to: &out)
            Query.append(UInt32(truncatingIfNeeded: from.count), to: &out)
            out.append(contentsOf: from)
            Query.append(UInt32(truncatingIfNeeded: to.count), to: &out)
            out.append(contentsOf: to)
        case .matchAll:
            out.append(UInt8(CXP_Q_MATCH_ALL))
        case .matchNothing:
            out.append(UInt8(CXP_Q_MATCH_NOTHING))
        }
    }

    @inline(__always)
    private static func append(_ value: UInt32, to out: inout [UInt8]) {
        withUnsafeBytes(of: value) { out.append(contentsOf: $0) }
    }

    @inline(__always)
    private static func append(_ string: String, to out: inout [UInt8]) {
        let utf8 = string.utf8
        append(UInt32(truncatingIfNeeded: utf8.count), to: &out)
        out.append(contentsOf: utf8)
    }

    private static func append(_ opcode: UInt8, _ subqueries: [Query], to out: inout [UInt8]) {
        out.append(opcode)
        append(UInt32(truncatingIfNeeded: subqueries.count), to: &out)
        for subquery in subqueries { subquery.encode(into: &out) }
    }
}
