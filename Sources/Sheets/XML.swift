// A small pull tokenizer for the XML parts of an .xlsx, working on UTF-8 bytes. It reports
// start tags (with attributes), end tags and text; decodes the five predefined entities and
// numeric character references on demand; checks that tags nest; and refuses any document
// type or entity declaration (no DTD processing at all, so no entity expansion and no
// external entities). Names are matched by their local part (prefixes are ignored).
import Foundation

struct XMLReader {
    enum Event { case start, end, text, eof }

    struct Attribute {
        var nameStart: Int, nameEnd: Int, localStart: Int
        var valueStart: Int, valueEnd: Int
        /// The value contains `&` or whitespace to normalise: decode before use.
        var needsDecoding: Bool
    }

    static let maxDepth = 256

    let p: UnsafePointer<UInt8>
    let n: Int
    private var i = 0
    private var stack: [Int] = [] // nameStart, nameEnd pairs
    private var pendingEnd = false
    private var seenRoot = false

    /// The current start or end tag's qualified name and local name.
    private(set) var nameStart = 0, nameEnd = 0, localStart = 0
    private(set) var attributes: [Attribute] = []
    /// The current text run (character data or CDATA section).
    private(set) var textStart = 0, textEnd = 0
    private(set) var textNeedsDecoding = false
    var depth: Int { stack.count / 2 }

    /// Runs `body` with a reader over `bytes`.
    static func with<R>(_ bytes: [UInt8], _ body: (inout XMLReader) throws -> R) throws -> R {
        try bytes.withUnsafeBufferPointer { b in
            guard let base = b.baseAddress, b.count > 0 else { throw SheetError.corrupt("XML vide") }
            var r = XMLReader(p: base, n: b.count)
            return try body(&r)
        }
    }

    private init(p: UnsafePointer<UInt8>, n: Int) {
        self.p = p
        self.n = n
        if n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF { i = 3 }
        attributes.reserveCapacity(8)
        stack.reserveCapacity(32)
    }

    // MARK: Names

    @inline(__always) func localNameIs(_ s: StaticString) -> Bool {
        let len = nameEnd - localStart
        guard len == s.utf8CodeUnitCount else { return false }
        return memcmp(p + localStart, s.utf8Start, len) == 0
    }

    @inline(__always) var localNameFirstByte: UInt8 { localStart < nameEnd ? p[localStart] : 0 }
    @inline(__always) var localNameLength: Int { nameEnd - localStart }

    /// The attribute with this qualified name (`r`, `xml:space`), else nil.
    func attribute(_ s: StaticString) -> Attribute? {
        let len = s.utf8CodeUnitCount
        for a in attributes where a.nameEnd - a.nameStart == len && memcmp(p + a.nameStart, s.utf8Start, len) == 0 {
            return a
        }
        return nil
    }

    /// The first prefixed attribute (not `xmlns:`) with this local name, e.g. `r:id`.
    func prefixedAttribute(local s: StaticString) -> Attribute? {
        let len = s.utf8CodeUnitCount
        for a in attributes where a.localStart > a.nameStart && a.nameEnd - a.localStart == len
            && memcmp(p + a.localStart, s.utf8Start, len) == 0 {
            if a.localStart - a.nameStart == 6 && memcmp(p + a.nameStart, "xmlns:", 6) == 0 { continue }
            return a
        }
        return nil
    }

    func string(_ a: Attribute) throws -> String {
        if !a.needsDecoding {
            return String(decoding: UnsafeBufferPointer(start: p + a.valueStart, count: a.valueEnd - a.valueStart), as: UTF8.self)
        }
        var out: [UInt8] = []
        try decode(a.valueStart, a.valueEnd, into: &out, attribute: true)
        return String(decoding: out, as: UTF8.self)
    }

    /// Calls `body` with the attribute's decoded bytes (no copy when nothing to decode).
    func withBytes<R>(_ a: Attribute, _ body: (UnsafeBufferPointer<UInt8>) throws -> R) throws -> R {
        if !a.needsDecoding {
            return try body(UnsafeBufferPointer(start: p + a.valueStart, count: a.valueEnd - a.valueStart))
        }
        var out: [UInt8] = []
        try decode(a.valueStart, a.valueEnd, into: &out, attribute: true)
        return try out.withUnsafeBufferPointer(body)
    }

    // MARK: Text

    /// Appends the current text run, decoded, to `out`.
    func appendText(to out: inout [UInt8]) throws {
        if !textNeedsDecoding {
            out.append(contentsOf: UnsafeBufferPointer(start: p + textStart, count: textEnd - textStart))
        } else {
            try decode(textStart, textEnd, into: &out, attribute: false)
        }
    }

    /// Entities, character references, and line-end normalisation (CRLF and CR → LF; in
    /// attributes, tab and line ends → space).
    private func decode(_ start: Int, _ end: Int, into out: inout [UInt8], attribute: Bool) throws {
        var k = start
        while k < end {
            let c = p[k]
            if c == UInt8(ascii: "&") {
                var semi = k + 1
                while semi < end && p[semi] != UInt8(ascii: ";") && semi - k < 12 { semi += 1 }
                guard semi < end, p[semi] == UInt8(ascii: ";") else { throw SheetError.corrupt("XML : entité invalide") }
                let len = semi - k - 1
                let q = p + k + 1
                if len >= 2 && q[0] == UInt8(ascii: "#") {
                    var v: UInt32 = 0
                    var j = 1
                    let hex = q[1] == UInt8(ascii: "x")
                    if hex { j = 2 }
                    guard j < len else { throw SheetError.corrupt("XML : référence invalide") }
                    while j < len {
                        let d = q[j]
                        let digit: UInt32
                        switch d {
                        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = UInt32(d - UInt8(ascii: "0"))
                        case UInt8(ascii: "a")...UInt8(ascii: "f") where hex: digit = UInt32(d - UInt8(ascii: "a") + 10)
                        case UInt8(ascii: "A")...UInt8(ascii: "F") where hex: digit = UInt32(d - UInt8(ascii: "A") + 10)
                        default: throw SheetError.corrupt("XML : référence invalide")
                        }
                        v = v * (hex ? 16 : 10) + digit
                        guard v <= 0x10FFFF else { throw SheetError.corrupt("XML : référence invalide") }
                        j += 1
                    }
                    guard let scalar = Unicode.Scalar(v), v != 0 else { throw SheetError.corrupt("XML : référence invalide") }
                    appendUTF8(scalar, to: &out)
                } else if len == 2 && q[0] == UInt8(ascii: "l") && q[1] == UInt8(ascii: "t") {
                    out.append(UInt8(ascii: "<"))
                } else if len == 2 && q[0] == UInt8(ascii: "g") && q[1] == UInt8(ascii: "t") {
                    out.append(UInt8(ascii: ">"))
                } else if len == 3 && memcmp(q, "amp", 3) == 0 {
                    out.append(UInt8(ascii: "&"))
                } else if len == 4 && memcmp(q, "quot", 4) == 0 {
                    out.append(UInt8(ascii: "\""))
                } else if len == 4 && memcmp(q, "apos", 4) == 0 {
                    out.append(UInt8(ascii: "'"))
                } else {
                    // Without a DTD, any other entity is undefined.
                    throw SheetError.corrupt("XML : entité inconnue")
                }
                k = semi + 1
            } else if c == 0x0D {
                out.append(attribute ? 0x20 : 0x0A)
                k += 1
                if k < end && p[k] == 0x0A { k += 1 }
            } else if attribute && (c == 0x0A || c == 0x09) {
                out.append(0x20)
                k += 1
            } else {
                out.append(c)
                k += 1
            }
        }
    }

    // MARK: Tokens

    /// The next start tag, end tag or text run. A self-closing tag gives a start then an end.
    mutating func next() throws -> Event {
        if pendingEnd {
            pendingEnd = false
            stack.removeLast(2)
            return .end
        }
        while i < n {
            if p[i] != UInt8(ascii: "<") {
                // Character data up to the next '<'.
                let start = i
                let rest = n - i
                if let lt = memchr(p + i, Int32(UInt8(ascii: "<")), rest) {
                    i = UnsafePointer<UInt8>(lt.assumingMemoryBound(to: UInt8.self)) - p
                } else {
                    i = n
                }
                if stack.isEmpty { continue } // whitespace around the root
                textStart = start
                textEnd = i
                textNeedsDecoding = memchr(p + start, Int32(UInt8(ascii: "&")), i - start) != nil
                    || memchr(p + start, 0x0D, i - start) != nil
                return .text
            }
            guard i + 1 < n else { throw SheetError.corrupt("XML tronqué") }
            let c = p[i + 1]
            if c == UInt8(ascii: "/") {
                try parseEndTag()
                return .end
            }
            if c == UInt8(ascii: "?") {
                i = try find("?>", from: i + 2) + 2
                continue
            }
            if c == UInt8(ascii: "!") {
                if startsWith("<!--", at: i) {
                    i = try find("-->", from: i + 4) + 3
                    continue
                }
                if startsWith("<![CDATA[", at: i) {
                    let start = i + 9
                    let end = try find("]]>", from: start)
                    i = end + 3
                    guard !stack.isEmpty else { throw SheetError.corrupt("XML invalide") }
                    textStart = start
                    textEnd = end
                    textNeedsDecoding = false
                    return .text
                }
                if startsWith("<!DOCTYPE", at: i) { throw SheetError.forbiddenDoctype }
                if startsWith("<!ENTITY", at: i) { throw SheetError.forbiddenEntity }
                if startsWith("<!", at: i) && i + 2 < n && p[i + 2] != UInt8(ascii: "-") && p[i + 2] != UInt8(ascii: "[") {
                    // Any other declaration (<!ELEMENT, <!ATTLIST…) belongs in a DTD: refused too.
                    throw SheetError.forbiddenDoctype
                }
                throw SheetError.corrupt("XML invalide")
            }
            try parseStartTag()
            return .start
        }
        guard stack.isEmpty, seenRoot else { throw SheetError.corrupt("XML tronqué") }
        return .eof
    }

    /// Skips the rest of the current element (after its start event).
    mutating func skipElement() throws {
        let target = depth - 1
        while true {
            let e = try next()
            if e == .end && depth == target { return }
            if e == .eof { throw SheetError.corrupt("XML tronqué") }
        }
    }

    @inline(__always) private func isSpace(_ c: UInt8) -> Bool {
        c == 0x20 || c == 0x0A || c == 0x09 || c == 0x0D
    }

    private func startsWith(_ s: StaticString, at k: Int) -> Bool {
        let len = s.utf8CodeUnitCount
        return k + len <= n && memcmp(p + k, s.utf8Start, len) == 0
    }

    /// Offset of `s` at or after `from`.
    private func find(_ s: StaticString, from: Int) throws -> Int {
        let len = s.utf8CodeUnitCount
        let first = Int32(s.utf8Start[0])
        var k = from
        while k + len <= n {
            guard let hit = memchr(p + k, first, n - k) else { break }
            let at = UnsafePointer<UInt8>(hit.assumingMemoryBound(to: UInt8.self)) - p
            if at + len > n { break }
            if memcmp(p + at, s.utf8Start, len) == 0 { return at }
            k = at + 1
        }
        throw SheetError.corrupt("XML tronqué")
    }

    /// Scans a name from `k`; returns its end and sets `local` to the start of the local part.
    @inline(__always) private func scanName(_ k: Int, local: inout Int) throws -> Int {
        var j = k
        local = k
        while j < n {
            let c = p[j]
            if isSpace(c) || c == UInt8(ascii: ">") || c == UInt8(ascii: "/") || c == UInt8(ascii: "=") { break }
            if c == UInt8(ascii: "<") || c == UInt8(ascii: "\"") || c == UInt8(ascii: "'") || c == UInt8(ascii: "&") {
                throw SheetError.corrupt("XML invalide")
            }
            if c == UInt8(ascii: ":") { local = j + 1 }
            j += 1
        }
        guard j > k, j < n, local < j else { throw SheetError.corrupt("XML invalide") }
        return j
    }

    private mutating func parseStartTag() throws {
        if stack.isEmpty && seenRoot { throw SheetError.corrupt("XML : plusieurs racines") }
        var local = 0
        let ns = i + 1
        var k = try scanName(ns, local: &local)
        nameStart = ns
        nameEnd = k
        localStart = local
        attributes.removeAll(keepingCapacity: true)
        while true {
            while k < n && isSpace(p[k]) { k += 1 }
            guard k < n else { throw SheetError.corrupt("XML tronqué") }
            let c = p[k]
            if c == UInt8(ascii: ">") {
                k += 1
                pendingEnd = false
                break
            }
            if c == UInt8(ascii: "/") {
                guard k + 1 < n, p[k + 1] == UInt8(ascii: ">") else { throw SheetError.corrupt("XML invalide") }
                k += 2
                pendingEnd = true
                break
            }
            // Attribute: name = "value"
            guard k > nameEnd, isSpace(p[k - 1]) else { throw SheetError.corrupt("XML invalide") }
            var alocal = 0
            let an = k
            let ae = try scanName(k, local: &alocal)
            k = ae
            while k < n && isSpace(p[k]) { k += 1 }
            guard k < n, p[k] == UInt8(ascii: "=") else { throw SheetError.corrupt("XML invalide") }
            k += 1
            while k < n && isSpace(p[k]) { k += 1 }
            guard k < n, p[k] == UInt8(ascii: "\"") || p[k] == UInt8(ascii: "'") else { throw SheetError.corrupt("XML invalide") }
            let quote = p[k]
            let vs = k + 1
            guard let hit = memchr(p + vs, Int32(quote), n - vs) else { throw SheetError.corrupt("XML tronqué") }
            let ve = UnsafePointer<UInt8>(hit.assumingMemoryBound(to: UInt8.self)) - p
            var needs = false
            var j = vs
            while j < ve {
                let b = p[j]
                if b == UInt8(ascii: "<") { throw SheetError.corrupt("XML invalide") }
                if b == UInt8(ascii: "&") || b == 0x0A || b == 0x0D || b == 0x09 { needs = true }
                j += 1
            }
            attributes.append(Attribute(nameStart: an, nameEnd: ae, localStart: alocal, valueStart: vs, valueEnd: ve,
                                        needsDecoding: needs))
            k = ve + 1
        }
        i = k
        guard stack.count / 2 < Self.maxDepth else { throw SheetError.corrupt("XML trop imbriqué") }
        stack.append(nameStart)
        stack.append(nameEnd)
        seenRoot = true
    }

    private mutating func parseEndTag() throws {
        var local = 0
        let ns = i + 2
        var k = try scanName(ns, local: &local)
        let ne = k
        while k < n && isSpace(p[k]) { k += 1 }
        guard k < n, p[k] == UInt8(ascii: ">") else { throw SheetError.corrupt("XML invalide") }
        guard stack.count >= 2 else { throw SheetError.corrupt("XML invalide") }
        let os = stack[stack.count - 2], oe = stack[stack.count - 1]
        guard oe - os == ne - ns, memcmp(p + os, p + ns, ne - ns) == 0 else {
            throw SheetError.corrupt("XML : balises mal imbriquées")
        }
        stack.removeLast(2)
        nameStart = ns
        nameEnd = ne
        localStart = local
        attributes.removeAll(keepingCapacity: true)
        i = k + 1
    }
}

@inline(__always) func appendUTF8(_ s: Unicode.Scalar, to out: inout [UInt8]) {
    let v = s.value
    if v < 0x80 {
        out.append(UInt8(v))
    } else if v < 0x800 {
        out.append(UInt8(0xC0 | (v >> 6)))
        out.append(UInt8(0x80 | (v & 0x3F)))
    } else if v < 0x10000 {
        out.append(UInt8(0xE0 | (v >> 12)))
        out.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
        out.append(UInt8(0x80 | (v & 0x3F)))
    } else {
        out.append(UInt8(0xF0 | (v >> 18)))
        out.append(UInt8(0x80 | ((v >> 12) & 0x3F)))
        out.append(UInt8(0x80 | ((v >> 6) & 0x3F)))
        out.append(UInt8(0x80 | (v & 0x3F)))
    }
}
