import Model

/// What a search hit shows, stored as each Xapian document's data so a search reads nothing
/// else. A small separator-delimited format (not JSON): it is decoded for every hit shown.
struct DocumentData: Hashable {
    var kind: RecordKind
    var id: String
    var active: Bool
    var title: String
    var subtitle: String
    /// Field name → original text, for the fields a hit can highlight.
    var fields: [(String, String)]

    static func == (a: DocumentData, b: DocumentData) -> Bool {
        a.kind == b.kind && a.id == b.id && a.active == b.active && a.title == b.title && a.subtitle == b.subtitle
            && a.fields.map(\.0) == b.fields.map(\.0) && a.fields.map(\.1) == b.fields.map(\.1)
    }
    func hash(into h: inout Hasher) { h.combine(kind); h.combine(id) }

    private static let unit: UInt8 = 0x1F     // between items
    private static let record: UInt8 = 0x1E   // between a field's name and its text

    func encoded() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64 + title.utf8.count + subtitle.utf8.count)
        func put(_ s: String) {
            for b in s.utf8 where b != Self.unit && b != Self.record { out.append(b) }
        }
        put(kind.rawValue); out.append(Self.unit)
        put(id); out.append(Self.unit)
        out.append(active ? 0x31 : 0x30); out.append(Self.unit)
        put(title); out.append(Self.unit)
        put(subtitle)
        for (name, text) in fields {
            out.append(Self.unit)
            put(name); out.append(Self.record); put(text)
        }
        return out
    }

    init(kind: RecordKind, id: String, active: Bool, title: String, subtitle: String, fields: [(String, String)]) {
        self.kind = kind
        self.id = id
        self.active = active
        self.title = title
        self.subtitle = subtitle
        self.fields = fields
    }

    init?(decoding bytes: [UInt8]) {
        let parts = bytes.split(separator: Self.unit, omittingEmptySubsequences: false)
        guard parts.count >= 5, let kind = RecordKind(rawValue: String(decoding: parts[0], as: UTF8.self)) else { return nil }
        self.kind = kind
        self.id = String(decoding: parts[1], as: UTF8.self)
        self.active = parts[2].first == 0x31
        self.title = String(decoding: parts[3], as: UTF8.self)
        self.subtitle = String(decoding: parts[4], as: UTF8.self)
        var fields: [(String, String)] = []
        for p in parts.dropFirst(5) {
            guard let sep = p.firstIndex(of: Self.record) else { continue }
            fields.append((String(decoding: p[p.startIndex..<sep], as: UTF8.self),
                           String(decoding: p[p.index(after: sep)...], as: UTF8.self)))
        }
        self.fields = fields
    }
}
