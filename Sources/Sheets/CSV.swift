// CSV in and out. Reading: the encoding is guessed (BOM, else UTF-8 if valid, else
// Windows-1252), the separator too (; , or tab, whichever splits the first record into the
// most fields), then RFC 4180 fields. Writing: RFC 4180 with CRLF record ends.

public enum CSVReader {
    /// The first (only) sheet of a CSV file. `separator` nil: detected from the first record.
    /// Every value is `.text` (an empty field is `.empty`); blank lines are empty rows.
    public static func read(_ bytes: [UInt8], separator: Character? = nil,
                            limits: SheetLimits = SheetLimits()) throws -> Sheet {
        let text = try decode(bytes)
        guard !text.isEmpty else { throw SheetError.empty }
        let sep: UInt8
        if let separator {
            guard let a = separator.asciiValue, a != UInt8(ascii: "\""), a != 0x0A, a != 0x0D else {
                throw SheetError(.unsupportedFormat, "Séparateur CSV non pris en charge.")
            }
            sep = a
        } else {
            sep = detectSeparator(utf8: text)
        }
        let sheet = try parse(text, separator: sep, limits: limits)
        guard !sheet.rows.isEmpty else { throw SheetError.empty }
        return sheet
    }

    /// The separator the reader would use for these bytes: `;`, `,` or tab (`;` when the
    /// first record has none, or on a tie).
    public static func detectSeparator(_ bytes: [UInt8]) -> Character {
        guard let text = try? decode(bytes) else { return ";" }
        return Character(Unicode.Scalar(detectSeparator(utf8: text)))
    }

    static func detectSeparator(utf8 b: [UInt8]) -> UInt8 {
        var semicolons = 0, commas = 0, tabs = 0
        var inQuotes = false
        var k = 0
        scan: while k < b.count {
            let c = b[k]
            if inQuotes {
                if c == UInt8(ascii: "\"") { inQuotes = false }
            } else {
                switch c {
                case UInt8(ascii: "\""): inQuotes = true
                case UInt8(ascii: ";"): semicolons += 1
                case UInt8(ascii: ","): commas += 1
                case 0x09: tabs += 1
                case 0x0A, 0x0D: break scan
                default: break
                }
            }
            k += 1
        }
        if semicolons >= commas && semicolons >= tabs { return UInt8(ascii: ";") }
        return commas >= tabs ? UInt8(ascii: ",") : 0x09
    }

    // MARK: Encoding

    /// The text as UTF-8 without BOM. Throws `.unsupportedFormat` for binary content.
    static func decode(_ bytes: [UInt8]) throws -> [UInt8] {
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF {
            let body = Array(bytes[3...])
            let utf8 = isValidUTF8(body) ? body : Array(String(decoding: body, as: UTF8.self).utf8)
            try checkText(utf8)
            return utf8
        }
        if bytes.count >= 2 && ((bytes[0] == 0xFF && bytes[1] == 0xFE) || (bytes[0] == 0xFE && bytes[1] == 0xFF)) {
            let little = bytes[0] == 0xFF
            var units: [UInt16] = []
            units.reserveCapacity(bytes.count / 2)
            var k = 2
            while k + 1 < bytes.count {
                units.append(little ? UInt16(bytes[k]) | UInt16(bytes[k + 1]) << 8
                                    : UInt16(bytes[k]) << 8 | UInt16(bytes[k + 1]))
                k += 2
            }
            let utf8 = Array(String(decoding: units, as: UTF16.self).utf8)
            try checkText(utf8)
            return utf8
        }
        if looksBinary(bytes) { throw SheetError.binary }
        if isValidUTF8(bytes) {
            try checkText(bytes)
            return bytes
        }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 8)
        var suspicious = 0
        for c in bytes {
            if c < 0x80 {
                out.append(c)
            } else {
                let v = c < 0xA0 ? cp1252[Int(c - 0x80)] : UInt16(c)
                if v < 0xA0 { suspicious += 1 } // 0x81, 0x8D, 0x8F, 0x90, 0x9D: undefined in cp1252
                appendUTF8(Unicode.Scalar(UInt32(v))!, to: &out)
            }
        }
        try checkText(out, extraSuspicious: suspicious)
        return out
    }

    /// Windows-1252's 0x80–0x9F (the undefined five map to the C1 controls, as Windows does).
    static let cp1252: [UInt16] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ]

    /// Signatures of common binary formats that might otherwise pass for text.
    static func looksBinary(_ b: [UInt8]) -> Bool {
        let magics: [[UInt8]] = [
            [0x89, 0x50, 0x4E, 0x47], Array("GIF8".utf8), [0xFF, 0xD8, 0xFF], Array("%PDF-".utf8),
            [0x1F, 0x8B], Array("BZh".utf8), [0x37, 0x7A, 0xBC, 0xAF], Array("Rar!".utf8), [0x7F, 0x45, 0x4C, 0x46],
        ]
        return magics.contains { m in b.count >= m.count && b[0..<m.count].elementsEqual(m) }
    }

    /// Refuses NUL and more than 1 % of control characters (other than tab, line ends, form
    /// feed, vertical tab and Ctrl-Z).
    static func checkText(_ b: [UInt8], extraSuspicious: Int = 0) throws {
        var suspicious = extraSuspicious
        for c in b where c < 0x20 {
            switch c {
            case 0: throw SheetError.binary
            case 0x09, 0x0A, 0x0D, 0x0B, 0x0C, 0x1A: break
            default: suspicious += 1
            }
        }
        if suspicious > 0 && suspicious * 100 > b.count { throw SheetError.binary }
    }

    static func isValidUTF8(_ b: [UInt8]) -> Bool {
        b.withUnsafeBufferPointer { p in
            let n = p.count
            var k = 0
            while k < n {
                let c = p[k]
                if c < 0x80 { k += 1; continue }
                var need = 0
                var minValue: UInt32 = 0
                var v: UInt32
                switch c {
                case 0xC2...0xDF: need = 1; v = UInt32(c & 0x1F); minValue = 0x80
                case 0xE0...0xEF: need = 2; v = UInt32(c & 0x0F); minValue = 0x800
                case 0xF0...0xF4: need = 3; v = UInt32(c & 0x07); minValue = 0x10000
                default: return false
                }
                guard k + need < n else { return false }
                for j in 1...need {
                    let d = p[k + j]
                    guard d & 0xC0 == 0x80 else { return false }
                    v = v << 6 | UInt32(d & 0x3F)
                }
                if v < minValue || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF) { return false }
                k += need + 1
            }
            return true
        }
    }

    // MARK: Parsing

    static func parse(_ text: [UInt8], separator sep: UInt8, limits: SheetLimits) throws -> Sheet {
        try text.withUnsafeBufferPointer { p in
            let n = p.count
            var rows: [[CellValue]] = []
            var row: [CellValue] = []
            var cells = 0
            var buf: [UInt8] = []
            var k = 0
            let quote = UInt8(ascii: "\"")

            func endRecord() throws {
                if row.count == 1 && row[0] == .empty { row.removeAll() } // a blank line
                cells += row.count
                guard rows.count < limits.maxRows else { throw SheetError.tooManyRows(limits.maxRows) }
                guard cells <= limits.maxCells else { throw SheetError.tooManyCells(limits.maxCells) }
                rows.append(row)
                row = []
            }
            func add(_ v: CellValue) throws {
                guard row.count < limits.maxColumns else { throw SheetError.tooManyColumns(limits.maxColumns) }
                row.append(v)
            }

            while k < n {
                // One field.
                var value: CellValue
                if p[k] == quote {
                    buf.removeAll(keepingCapacity: true)
                    k += 1
                    while k < n {
                        let c = p[k]
                        if c == quote {
                            if k + 1 < n && p[k + 1] == quote {
                                buf.append(quote)
                                k += 2
                                continue
                            }
                            k += 1
                            break
                        }
                        buf.append(c)
                        k += 1
                    }
                    // Lenient: text between the closing quote and the separator is kept.
                    while k < n && p[k] != sep && p[k] != 0x0A && p[k] != 0x0D {
                        buf.append(p[k])
                        k += 1
                    }
                    value = .text(String(decoding: buf, as: UTF8.self))
                    if buf.isEmpty { value = .empty }
                } else {
                    let start = k
                    while k < n && p[k] != sep && p[k] != 0x0A && p[k] != 0x0D { k += 1 }
                    value = k == start ? .empty
                        : .text(String(decoding: UnsafeBufferPointer(rebasing: p[start..<k]), as: UTF8.self))
                }
                try add(value)
                if k >= n { break }
                let c = p[k]
                k += 1
                if c == sep {
                    if k == n { try add(.empty) } // "a;" at the very end: a trailing empty field
                    continue
                }
                if c == 0x0D && k < n && p[k] == 0x0A { k += 1 }
                try endRecord()
            }
            if !row.isEmpty { try endRecord() }
            while let last = rows.last, last.isEmpty { rows.removeLast() }
            return Sheet(rows: rows)
        }
    }
}

public enum CSVWriter {
    /// RFC 4180 quoting with the given separator, CRLF line ends, optional UTF-8 BOM.
    ///
    /// Values are written exactly as given: a field starting with `=`, `+`, `-`, `@`, tab or
    /// CR is NOT prefixed with `'` against formula injection, because the round trip must give
    /// back the same values. Consumers opening exports in a spreadsheet must be aware of it.
    static func build(rows: [[String]], separator: Character, bom: Bool) -> [UInt8] {
        var out: [UInt8] = []
        let w = CSVStreamWriter(separator: separator, bom: bom, chunkSize: 256 << 10) { out += $0 }
        do {
            for row in rows { try w.write(row: row) }
            try w.finish()
        } catch {
            preconditionFailure("CSVWriter.write: \(error)") // the sink never throws
        }
        return out
    }

    static func needsQuotes(_ u: [UInt8], _ sep: [UInt8]) -> Bool {
        if u.contains(where: { $0 == UInt8(ascii: "\"") || $0 == 0x0D || $0 == 0x0A }) { return true }
        if sep.count == 1 { return u.contains(sep[0]) }
        guard !sep.isEmpty, u.count >= sep.count else { return false }
        for k in 0...(u.count - sep.count) where u[k..<(k + sep.count)].elementsEqual(sep) { return true }
        return false
    }
}
