import Engine
import NIOCore

/// The JSON of a `/v1/search` answer, written straight into bytes.
///
/// Byte for byte what `SearchResponse.jsonBytes()` gives (sorted keys, integers without a
/// fraction, `/` unescaped, the same string escapes; `HotPathTests` holds them equal), without
/// building a `JSONValue` tree of dictionaries and sorting each object's keys on the way: that
/// cost about 0.1 ms per answer, on every keystroke of the search bar. Keys of the fixed objects
/// are written in their sorted order; the keys of `highlights` and `prefill` are sorted as
/// `jsonBytes()` sorts them (`String` order).
enum SearchJSON {
    static func bytes(_ r: SearchResponse) -> [UInt8] {
        Array(buffer(r).readableBytesView)
    }

    /// The answer's JSON in a buffer, ready to send.
    static func buffer(_ r: SearchResponse) -> ByteBuffer {
        var w = Writer(capacity: 1024 + 512 * r.tabs.reduce(0) { $0 + $1.groups.reduce(0) { $0 + $1.hits.count } })
        w.raw("{\"corrected_query\":")
        if let c = r.correctedQuery { w.string(c) } else { w.raw("null") }
        w.raw(",\"query\":")
        w.string(r.query)
        w.raw(",\"suggestions\":[")
        for (i, s) in r.suggestions.enumerated() {
            if i > 0 { w.comma() }
            w.raw("{\"action\":")
            w.string(s.action)
            w.raw(",\"label\":")
            w.string(s.label)
            w.raw(",\"prefill\":")
            w.stringMap(s.prefill)
            w.raw("}")
        }
        w.raw("],\"tabs\":[")
        for (i, t) in r.tabs.enumerated() {
            if i > 0 { w.comma() }
            w.raw("{\"groups\":[")
            for (j, g) in t.groups.enumerated() {
                if j > 0 { w.comma() }
                w.raw("{\"hits\":[")
                for (k, h) in g.hits.enumerated() {
                    if k > 0 { w.comma() }
                    w.raw("{\"active\":")
                    if h.active { w.raw("true") } else { w.raw("false") }
                    w.raw(",\"highlights\":")
                    w.stringMap(h.highlights)
                    w.raw(",\"id\":")
                    w.string(h.id)
                    w.raw(",\"kind\":")
                    w.string(h.kind)
                    w.raw(",\"score\":")
                    w.number(h.score)
                    w.raw(",\"subtitle\":")
                    w.string(h.subtitle)
                    w.raw(",\"title\":")
                    w.string(h.title)
                    w.raw("}")
                }
                w.raw("],\"kind\":")
                w.string(g.kind)
                w.raw(",\"label\":")
                w.string(g.label)
                w.raw(",\"total\":")
                w.number(Double(g.total))
                w.raw("}")
            }
            w.raw("],\"label\":")
            w.string(t.label)
            w.raw(",\"tab\":")
            w.string(t.tab)
            w.raw(",\"total\":")
            w.number(Double(t.total))
            w.raw("}")
        }
        w.raw("],\"took_ms\":")
        w.number((r.tookMs * 1000).rounded() / 1000)
        w.raw("}")
        return w.byteBuffer
    }

    /// An append-only byte buffer over raw memory: the JSON of an answer is a few kilobytes
    /// written in many small pieces, and `[UInt8]`'s checks per append (uniqueness, capacity)
    /// cost more than the copying.
    struct Writer: ~Copyable {
        private(set) var base: UnsafeMutablePointer<UInt8>
        private var capacity: Int
        private(set) var count = 0

        init(capacity: Int) {
            self.capacity = max(64, capacity)
            base = .allocate(capacity: self.capacity)
        }

        deinit { base.deallocate() }

        /// The bytes written.
        var byteBuffer: ByteBuffer { ByteBuffer(bytes: UnsafeRawBufferPointer(start: base, count: count)) }

        @inline(__always) private mutating func reserve(_ n: Int) {
            if count + n > capacity { grow(count + n) }
        }

        private mutating func grow(_ needed: Int) {
            var newCapacity = capacity * 2
            while newCapacity < needed { newCapacity *= 2 }
            let newBase = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
            newBase.update(from: base, count: count)
            base.deallocate()
            base = newBase
            capacity = newCapacity
        }

        @inline(__always) mutating func byte(_ b: UInt8) {
            reserve(1)
            base[count] = b
            count += 1
        }

        @inline(__always) mutating func comma() { byte(0x2C) }

        private mutating func append(_ p: UnsafePointer<UInt8>, _ n: Int) {
            reserve(n)
            (base + count).update(from: p, count: n)
            count += n
        }

        /// ASCII text written as is (the fixed parts).
        mutating func raw(_ s: StaticString) { append(s.utf8Start, s.utf8CodeUnitCount) }

        /// An object of strings, keys in `String` order.
        mutating func stringMap(_ m: [String: String]) {
            byte(0x7B)
            if m.count == 1, let (k, v) = m.first {
                string(k); byte(0x3A); string(v)
            } else if !m.isEmpty {
                for (i, k) in m.keys.sorted().enumerated() {
                    if i > 0 { comma() }
                    string(k)
                    byte(0x3A)
                    string(m[k]!)
                }
            }
            byte(0x7D)
        }

        /// As `JSONValue`'s writer: integers (below 9e15) without a fraction, non-finite as null,
        /// others as `Double.description`.
        mutating func number(_ n: Double) {
            guard n.isFinite else { raw("null"); return }
            var text = n.rounded() == n && abs(n) < 9.0e15 ? String(Int64(n)) : n.description
            text.withUTF8 { u in if let p = u.baseAddress { append(p, u.count) } }
        }

        /// As `JSONValue`'s writer: `"` and `\` escaped, control characters as `\n`, `\r`, `\t`,
        /// `\b`, `\f` or `\u00XX`; everything else (`/`, non-ASCII) as is.
        mutating func string(_ s: String) {
            var s = s
            s.withUTF8 { u in
                reserve(u.count * 6 + 2)   // every byte escaped at worst (`\u00XX`)
                var p = base + count
                p.pointee = 0x22
                p += 1
                var i = 0
                let n = u.count
                let src = UnsafeRawPointer(u.baseAddress)
                while i < n {
                    // Eight bytes at a time while none needs an escape (most text).
                    if let src, n - i >= 8 {
                        let word = src.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                        if !Self.needsEscape(word) {
                            UnsafeMutableRawPointer(p).storeBytes(of: word, as: UInt64.self)
                            p += 8
                            i += 8
                            continue
                        }
                    }
                    let c = u[i]
                    i += 1
                    if c >= 0x20 && c != 0x22 && c != 0x5C {
                        p.pointee = c
                        p += 1
                        continue
                    }
                    p.pointee = 0x5C
                    switch c {
                    case 0x22: p[1] = 0x22
                    case 0x5C: p[1] = 0x5C
                    case 0x0A: p[1] = 0x6E
                    case 0x0D: p[1] = 0x72
                    case 0x09: p[1] = 0x74
                    case 0x08: p[1] = 0x62
                    case 0x0C: p[1] = 0x66
                    default:
                        let hex: StaticString = "0123456789abcdef"
                        p[1] = 0x75; p[2] = 0x30; p[3] = 0x30
                        p[4] = hex.utf8Start[Int(c >> 4)]
                        p[5] = hex.utf8Start[Int(c & 15)]
                        p += 4
                    }
                    p += 2
                }
                p.pointee = 0x22
                p += 1
                count = p - base
            }
        }

        /// Whether one of the eight bytes of `w` is below 0x20, `"` or `\\` (bit tricks: a byte
        /// below n, or equal to v, sets the high bit of its lane; bytes ≥ 0x80 never do).
        @inline(__always) static func needsEscape(_ w: UInt64) -> Bool {
            let ones: UInt64 = 0x0101_0101_0101_0101
            let highs: UInt64 = 0x8080_8080_8080_8080
            let below20 = (w &- ones &* 0x20) & ~w & highs
            let q = w ^ (ones &* 0x22)
            let quote = (q &- ones) & ~q & highs
            let b = w ^ (ones &* 0x5C)
            let backslash = (b &- ones) & ~b & highs
            return (below20 | quote | backslash) != 0
        }
    }
}
