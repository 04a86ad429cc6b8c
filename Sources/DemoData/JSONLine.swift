/// A hand-rolled compact JSON writer appending UTF-8 bytes to a reusable buffer.
/// Keys are written in the order the caller gives them, so output is stable.
struct JSONLine {
    var bytes: [UInt8] = []
    private var needsComma: [Bool] = []

    init() { bytes.reserveCapacity(4096) }

    mutating func reset() {
        bytes.removeAll(keepingCapacity: true)
        needsComma.removeAll(keepingCapacity: true)
    }

    @inline(__always)
    private mutating func raw(_ s: StaticString) {
        s.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    @inline(__always)
    private mutating func separator() {
        if let last = needsComma.last {
            if last { bytes.append(0x2C) } else { needsComma[needsComma.count - 1] = true }
        }
    }

    @inline(__always)
    private mutating func key(_ k: StaticString) {
        separator()
        bytes.append(0x22)
        raw(k)
        bytes.append(0x22)
        bytes.append(0x3A)
    }

    private mutating func quoted(_ s: String) {
        bytes.append(0x22)
        var s = s
        s.withUTF8 { buf in
            var clean = true
            for b in buf where b < 0x20 || b == 0x22 || b == 0x5C { clean = false; break }
            if clean {
                bytes.append(contentsOf: buf)
            } else {
                for b in buf { escapeByte(b) }
            }
        }
        bytes.append(0x22)
    }

    private mutating func escapeByte(_ b: UInt8) {
        switch b {
        case 0x22: bytes.append(0x5C); bytes.append(0x22)
        case 0x5C: bytes.append(0x5C); bytes.append(0x5C)
        case 0x0A: bytes.append(0x5C); bytes.append(0x6E)
        case 0x0D: bytes.append(0x5C); bytes.append(0x72)
        case 0x09: bytes.append(0x5C); bytes.append(0x74)
        case 0..<0x20:
            raw("\\u00")
            let hex: StaticString = "0123456789abcdef"
            hex.withUTF8Buffer { h in
                bytes.append(h[Int(b >> 4)])
                bytes.append(h[Int(b & 15)])
            }
        default: bytes.append(b)
        }
    }

    private mutating func integer(_ n: Int) {
        if n < 0 { bytes.append(0x2D) }
        var v = n.magnitude
        var tmp: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                  UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &tmp) { p in
            repeat {
                p[count] = UInt8(truncatingIfNeeded: v % 10) + 0x30
                v /= 10
                count += 1
            } while v > 0
            while count > 0 {
                count -= 1
                bytes.append(p[count])
            }
        }
    }

    // MARK: objects and arrays

    mutating func openObject() {
        separator()
        bytes.append(0x7B)
        needsComma.append(false)
    }

    mutating func openObject(_ k: StaticString) {
        key(k)
        bytes.append(0x7B)
        needsComma.append(false)
    }

    mutating func closeObject() {
        bytes.append(0x7D)
        needsComma.removeLast()
    }

    mutating func openArray(_ k: StaticString) {
        key(k)
        bytes.append(0x5B)
        needsComma.append(false)
    }

    mutating func closeArray() {
        bytes.append(0x5D)
        needsComma.removeLast()
    }

    // MARK: members

    mutating func string(_ k: StaticString, _ v: String) {
        key(k)
        quoted(v)
    }

    /// Writes the member only when the value is present.
    mutating func string(_ k: StaticString, _ v: String?) {
        if let v { string(k, v) }
    }

    mutating func bool(_ k: StaticString, _ v: Bool) {
        key(k)
        if v { raw("true") } else { raw("false") }
    }

    mutating func int(_ k: StaticString, _ v: Int) {
        key(k)
        integer(v)
    }

    mutating func null(_ k: StaticString) {
        key(k)
        raw("null")
    }

    @inline(__always)
    private mutating func digits2(_ n: Int) {
        bytes.append(UInt8(n / 10) + 0x30)
        bytes.append(UInt8(n % 10) + 0x30)
    }

    private mutating func dateDigits(_ day: Int) {
        let c = DemoIdentifiers.civil(day)
        digits2(c.year / 100)
        digits2(c.year % 100)
        bytes.append(0x2D)
        digits2(c.month)
        bytes.append(0x2D)
        digits2(c.day)
    }

    /// A `YYYY-MM-DD` date from days since 1970-01-01.
    mutating func date(_ k: StaticString, day: Int) {
        key(k)
        bytes.append(0x22)
        dateDigits(day)
        bytes.append(0x22)
    }

    /// An RFC 3339 UTC timestamp `YYYY-MM-DDTHH:MM:SSZ` from seconds since 1970 (non-negative).
    mutating func timestamp(_ k: StaticString, seconds: Int) {
        key(k)
        bytes.append(0x22)
        dateDigits(seconds / 86_400)
        let s = seconds % 86_400
        bytes.append(0x54)
        digits2(s / 3600)
        bytes.append(0x3A)
        digits2(s / 60 % 60)
        bytes.append(0x3A)
        digits2(s % 60)
        bytes.append(0x5A)
        bytes.append(0x22)
    }

    /// An amount in cents written as a JSON number of euros: `1250`, `12.5`, `8.95`.
    mutating func euros(_ k: StaticString, cents: Int) {
        key(k)
        integer(cents / 100)
        let c = cents % 100
        if c != 0 {
            bytes.append(0x2E)
            bytes.append(UInt8(c / 10) + 0x30)
            if c % 10 != 0 { bytes.append(UInt8(c % 10) + 0x30) }
        }
    }
}
