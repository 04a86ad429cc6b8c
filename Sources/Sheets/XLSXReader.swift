// The .xlsx reader: finds the first worksheet through the package relationships, reads the
// shared strings and the cell styles (to tell dates from numbers), then streams the
// worksheet's <sheetData>.
import Foundation

public enum XLSXReader {
    /// The first worksheet of an .xlsx workbook (bytes of the zip package).
    public static func read(_ bytes: [UInt8], limits: SheetLimits = SheetLimits()) throws -> Sheet {
        var zip = try ZipArchive(bytes, limits: limits)
        if zip.entries.contains(where: { $0.isEncrypted }) { throw SheetError.encrypted }

        // The workbook part: from the package relationships, else the usual path.
        var workbookPath = "xl/workbook.xml"
        if let e = zip.entry("_rels/.rels") {
            let rels = try parseRelationships(zip.extract(e))
            if let r = rels.first(where: { $0.type.hasSuffix("/officeDocument") && !$0.external }) {
                workbookPath = resolve(r.target, base: "")
            }
        }
        guard let workbookEntry = zip.entry(workbookPath) ?? zip.entry("xl/workbook.xml") else {
            if zip.entry("xl/workbook.bin") != nil { throw SheetError.xlsb }
            if let m = zip.entry("mimetype"), m.uncompressedSize < 200,
               let s = try? zip.extract(m), String(decoding: s, as: UTF8.self).contains("opendocument") {
                throw SheetError.ods
            }
            throw SheetError.notWorkbook
        }
        workbookPath = workbookEntry.name
        let workbook = try parseWorkbook(zip.extract(workbookEntry))
        let dir = directory(of: workbookPath)
        var rels: [Relationship] = []
        if let e = zip.entry(dir + "_rels/" + String(workbookPath.dropFirst(dir.count)) + ".rels") {
            rels = try parseRelationships(zip.extract(e))
        }

        // The first sheet in workbook order that is a worksheet (not a chart sheet).
        var sheetPath: String?
        for id in workbook.sheetRelationshipIds {
            if let r = rels.first(where: { $0.id == id }), r.type.hasSuffix("/worksheet"), !r.external {
                sheetPath = resolve(r.target, base: dir)
                break
            }
        }
        guard let sheetEntry = sheetPath.flatMap({ zip.entry($0) }) ?? zip.entry(dir + "worksheets/sheet1.xml")
            ?? zip.entry("xl/worksheets/sheet1.xml") else {
            throw SheetError.corrupt("aucune feuille de calcul")
        }

        func part(_ suffix: String, _ fallback: String) -> ZipEntry? {
            if let r = rels.first(where: { $0.type.hasSuffix(suffix) && !$0.external }),
               let e = zip.entry(resolve(r.target, base: dir)) {
                return e
            }
            return zip.entry(dir + fallback)
        }
        var strings: [String] = []
        if let e = part("/sharedStrings", "sharedStrings.xml") {
            strings = try parseSharedStrings(zip.extract(e))
        }
        var dateStyles: [Bool] = []
        if let e = part("/styles", "styles.xml") {
            dateStyles = try parseStyles(zip.extract(e))
        }
        let sheetXML = try zip.extract(sheetEntry)
        var parser = WorksheetParser(strings: strings, dateStyles: dateStyles, date1904: workbook.date1904,
                                     limits: limits)
        return try parser.parse(sheetXML)
    }

    // MARK: Package parts

    struct Relationship {
        var id: String
        var type: String
        var target: String
        var external: Bool
    }

    static func parseRelationships(_ xml: [UInt8]) throws -> [Relationship] {
        try XMLReader.with(xml) { r in
            var out: [Relationship] = []
            while true {
                let e = try r.next()
                if e == .eof { break }
                guard e == .start, r.localNameIs("Relationship") else { continue }
                guard let id = r.attribute("Id"), let target = r.attribute("Target") else { continue }
                let type = try r.attribute("Type").map { try r.string($0) } ?? ""
                let mode = try r.attribute("TargetMode").map { try r.string($0) } ?? ""
                out.append(Relationship(id: try r.string(id), type: type, target: try r.string(target),
                                        external: mode == "External"))
            }
            return out
        }
    }

    struct Workbook {
        var date1904 = false
        var sheetRelationshipIds: [String] = []
    }

    static func parseWorkbook(_ xml: [UInt8]) throws -> Workbook {
        try XMLReader.with(xml) { r in
            var wb = Workbook()
            while true {
                let e = try r.next()
                if e == .eof { break }
                guard e == .start else { continue }
                if r.localNameIs("workbookPr"), let a = r.attribute("date1904") {
                    let v = try r.string(a)
                    wb.date1904 = v == "1" || v == "true"
                } else if r.localNameIs("sheet"), let a = r.prefixedAttribute(local: "id") {
                    wb.sheetRelationshipIds.append(try r.string(a))
                }
            }
            return wb
        }
    }

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return String(path[...slash])
    }

    /// A relationship target resolved against the source part's directory ("xl/").
    static func resolve(_ target: String, base: String) -> String {
        var parts: [Substring] = []
        let full = target.hasPrefix("/") ? String(target.dropFirst()) : base + target
        for seg in full.split(separator: "/", omittingEmptySubsequences: true) {
            if seg == "." { continue }
            if seg == ".." {
                if !parts.isEmpty { parts.removeLast() }
                continue
            }
            parts.append(seg)
        }
        return parts.joined(separator: "/")
    }

    // MARK: Shared strings

    static func parseSharedStrings(_ xml: [UInt8]) throws -> [String] {
        try XMLReader.with(xml) { r in
            var out: [String] = []
            var buf: [UInt8] = []
            buf.reserveCapacity(256)
            var inItem = false, inText = false
            var phoneticDepth = 0
            while true {
                switch try r.next() {
                case .eof:
                    return out
                case .start:
                    let len = r.localNameLength
                    if len == 2 && r.localNameIs("si") {
                        inItem = true
                        buf.removeAll(keepingCapacity: true)
                    } else if len == 1 && r.localNameFirstByte == UInt8(ascii: "t") {
                        inText = inItem && phoneticDepth == 0
                    } else if r.localNameIs("rPh") {
                        phoneticDepth += 1 // phonetic reading: not part of the value
                    }
                case .end:
                    let len = r.localNameLength
                    if len == 2 && r.localNameIs("si") {
                        out.append(unescapeOOXML(buf))
                        inItem = false
                    } else if len == 1 && r.localNameFirstByte == UInt8(ascii: "t") {
                        inText = false
                    } else if r.localNameIs("rPh") {
                        phoneticDepth -= 1
                    }
                case .text:
                    if inText { try r.appendText(to: &buf) }
                }
            }
        }
    }

    // MARK: Styles

    /// For each cell format (`cellXfs` index), whether its number format shows a date.
    static func parseStyles(_ xml: [UInt8]) throws -> [Bool] {
        try XMLReader.with(xml) { r in
            var customDate: [Int: Bool] = [:]
            var xfs: [Int] = []
            var inCellXfs = false
            while true {
                let e = try r.next()
                if e == .eof { break }
                if e == .end {
                    if r.localNameIs("cellXfs") { inCellXfs = false }
                    continue
                }
                guard e == .start else { continue }
                if r.localNameIs("numFmt"), let idA = r.attribute("numFmtId"), let codeA = r.attribute("formatCode") {
                    if let id = Int(try r.string(idA)) {
                        customDate[id] = isDateFormat(try r.string(codeA))
                    }
                } else if r.localNameIs("cellXfs") {
                    inCellXfs = true
                } else if inCellXfs && r.localNameIs("xf") {
                    let id = try r.attribute("numFmtId").flatMap { Int(try r.string($0)) } ?? 0
                    xfs.append(id)
                    try r.skipElement()
                }
            }
            return xfs.map { id in customDate[id] ?? isBuiltInDateFormat(id) }
        }
    }

    static func isBuiltInDateFormat(_ id: Int) -> Bool {
        (14...22).contains(id) || (45...47).contains(id)
    }

    /// Whether a format code shows a date or time: a d, m, y or h token outside quoted text,
    /// brackets ([Red], [$-40C]), escaped characters (\x) and fill/space directives (*x, _x).
    static func isDateFormat(_ code: String) -> Bool {
        var inQuote = false, inBracket = false
        var it = code.unicodeScalars.makeIterator()
        while let c = it.next() {
            if inQuote {
                if c == "\"" { inQuote = false }
                continue
            }
            if inBracket {
                if c == "]" { inBracket = false }
                continue
            }
            switch c {
            case "\"": inQuote = true
            case "[": inBracket = true
            case "\\", "_", "*": _ = it.next()
            case "d", "D", "m", "M", "y", "Y", "h", "H": return true
            default: break
            }
        }
        return false
    }
}

/// Decodes the OOXML escapes `_xHHHH_` (characters XML cannot carry, written by Excel) in a
/// string value; `_x005F_` stands for a literal underscore.
func unescapeOOXML(_ b: [UInt8]) -> String {
    guard b.count >= 7, b.contains(UInt8(ascii: "_")) else { return String(decoding: b, as: UTF8.self) }
    var out: [UInt8] = []
    out.reserveCapacity(b.count)
    var k = 0
    var changed = false
    while k < b.count {
        if b[k] == UInt8(ascii: "_"), k + 6 < b.count, b[k + 1] == UInt8(ascii: "x"), b[k + 6] == UInt8(ascii: "_") {
            var v: UInt32 = 0
            var ok = true
            for j in (k + 2)..<(k + 6) {
                let c = b[j]
                switch c {
                case 0x30...0x39: v = v << 4 | UInt32(c - 0x30)
                case 0x41...0x46: v = v << 4 | UInt32(c - 0x41 + 10)
                case 0x61...0x66: v = v << 4 | UInt32(c - 0x61 + 10)
                default: ok = false
                }
            }
            if ok, let s = Unicode.Scalar(v) {
                appendUTF8(s, to: &out)
                k += 7
                changed = true
                continue
            }
        }
        out.append(b[k])
        k += 1
    }
    return String(decoding: changed ? out : b, as: UTF8.self)
}

/// Streams `<sheetData>`: rows, cells, values.
struct WorksheetParser {
    let strings: [String]
    let dateStyles: [Bool]
    let date1904: Bool
    let limits: SheetLimits

    private var rows: [[CellValue]] = []
    private var cellCount = 0

    init(strings: [String], dateStyles: [Bool], date1904: Bool, limits: SheetLimits) {
        self.strings = strings
        self.dateStyles = dateStyles
        self.date1904 = date1904
        self.limits = limits
    }

    private enum CellType { case number, shared, inline, formulaString, bool, error, date }

    mutating func parse(_ xml: [UInt8]) throws -> Sheet {
        try XMLReader.with(xml) { r in
            var inSheetData = false
            var row = 0 // 1-based index of the current row
            var col = 0 // 1-based index of the current cell
            var type = CellType.number
            var style = 0
            var inCell = false, inValue = false, inInline = false, inInlineText = false
            var phoneticDepth = 0
            var hasValue = false
            var value: [UInt8] = []
            value.reserveCapacity(64)
            while true {
                switch try r.next() {
                case .eof:
                    while let last = rows.last, last.isEmpty { rows.removeLast() }
                    return Sheet(rows: rows)
                case .start:
                    let len = r.localNameLength
                    let first = r.localNameFirstByte
                    if !inSheetData {
                        if r.localNameIs("sheetData") { inSheetData = true }
                        continue
                    }
                    if len == 1 && first == UInt8(ascii: "c") {
                        inCell = true
                        hasValue = false
                        value.removeAll(keepingCapacity: true)
                        if let a = r.attribute("r") {
                            col = try r.withBytes(a) { try Self.column(of: $0) } ?? (col + 1)
                        } else {
                            col += 1
                        }
                        style = 0
                        if let a = r.attribute("s") {
                            style = try r.withBytes(a) { Self.integer($0) } ?? 0
                        }
                        type = .number
                        if let a = r.attribute("t") {
                            type = try r.withBytes(a) { Self.cellType($0) }
                        }
                    } else if len == 1 && first == UInt8(ascii: "v") {
                        if inCell && !inInline {
                            inValue = true
                            hasValue = true
                        }
                    } else if len == 3 && r.localNameIs("row") {
                        if let a = r.attribute("r"), let n = try r.withBytes(a, { Self.integer($0) }), n >= 1 {
                            row = n
                        } else {
                            row += 1
                        }
                        col = 0
                    } else if len == 2 && r.localNameIs("is") {
                        if inCell { inInline = true; hasValue = true }
                    } else if len == 1 && first == UInt8(ascii: "t") {
                        inInlineText = inInline && phoneticDepth == 0
                    } else if r.localNameIs("rPh") {
                        phoneticDepth += 1
                    } else if len == 1 && first == UInt8(ascii: "f") {
                        try r.skipElement() // the formula itself: its cached <v> is the value
                    }
                case .end:
                    let len = r.localNameLength
                    let first = r.localNameFirstByte
                    if len == 1 && first == UInt8(ascii: "c") {
                        if inCell && hasValue { try store(row: row, col: col, type: type, style: style, value) }
                        inCell = false
                        inValue = false
                        inInline = false
                    } else if len == 1 && first == UInt8(ascii: "v") {
                        inValue = false
                    } else if len == 2 && r.localNameIs("is") {
                        inInline = false
                    } else if len == 1 && first == UInt8(ascii: "t") {
                        inInlineText = false
                    } else if r.localNameIs("rPh") {
                        phoneticDepth -= 1
                    } else if r.localNameIs("sheetData") {
                        inSheetData = false
                    }
                case .text:
                    if inValue || inInlineText { try r.appendText(to: &value) }
                }
            }
        }
    }

    private mutating func store(row: Int, col: Int, type: CellType, style: Int, _ v: [UInt8]) throws {
        let cell: CellValue
        switch type {
        case .number:
            if v.isEmpty { return }
            guard let d = Self.double(v) else {
                cell = .text(String(decoding: v, as: UTF8.self))
                break
            }
            if style >= 0 && style < dateStyles.count && dateStyles[style], let date = SheetDate(serial: d, date1904: date1904) {
                cell = .date(date)
            } else {
                cell = .number(d)
            }
        case .shared:
            if v.isEmpty { return }
            guard let k = v.withUnsafeBufferPointer({ Self.integer($0) }), k >= 0, k < strings.count else {
                throw SheetError.corrupt("référence de texte partagé invalide")
            }
            cell = .text(strings[k])
        case .inline, .formulaString:
            cell = .text(unescapeOOXML(v))
        case .bool:
            if v.isEmpty { return }
            cell = .bool(v == [UInt8(ascii: "1")] || v == Array("true".utf8))
        case .error:
            cell = .error(String(decoding: v, as: UTF8.self))
        case .date:
            if v.isEmpty { return }
            if let d = v.withUnsafeBufferPointer({ SheetDate(iso: $0) }) {
                cell = .date(d)
            } else {
                cell = .text(String(decoding: v, as: UTF8.self))
            }
        }
        guard row >= 1, row <= limits.maxRows else { throw SheetError.tooManyRows(limits.maxRows) }
        guard col >= 1, col <= limits.maxColumns else { throw SheetError.tooManyColumns(limits.maxColumns) }
        if rows.count < row {
            rows.append(contentsOf: repeatElement([], count: row - rows.count))
        }
        let r = row - 1
        let have = rows[r].count
        if col <= have {
            rows[r][col - 1] = cell
        } else {
            cellCount += col - have
            guard cellCount <= limits.maxCells else { throw SheetError.tooManyCells(limits.maxCells) }
            if col - 1 > have { rows[r].append(contentsOf: repeatElement(CellValue.empty, count: col - 1 - have)) }
            rows[r].append(cell)
        }
    }

    // MARK: Byte parsing

    private static func cellType(_ b: UnsafeBufferPointer<UInt8>) -> CellType {
        if b.count == 1 {
            switch b[0] {
            case UInt8(ascii: "s"): return .shared
            case UInt8(ascii: "b"): return .bool
            case UInt8(ascii: "e"): return .error
            case UInt8(ascii: "n"): return .number
            case UInt8(ascii: "d"): return .date
            default: return .number
            }
        }
        if b.elementsEqual("str".utf8) { return .formulaString }
        if b.elementsEqual("inlineStr".utf8) { return .inline }
        return .number
    }

    /// The 1-based column of a reference like "AB12"; nil if it has no letters.
    static func column(of b: UnsafeBufferPointer<UInt8>) throws -> Int? {
        var c = 0
        var k = 0
        while k < b.count {
            var ch = b[k]
            if ch >= UInt8(ascii: "a") && ch <= UInt8(ascii: "z") { ch -= 32 }
            guard ch >= UInt8(ascii: "A") && ch <= UInt8(ascii: "Z") else { break }
            c = c * 26 + Int(ch - UInt8(ascii: "A") + 1)
            if c > 1_000_000 { throw SheetError.corrupt("référence de cellule invalide") }
            k += 1
        }
        return c == 0 ? nil : c
    }

    static func integer(_ b: UnsafeBufferPointer<UInt8>) -> Int? {
        guard !b.isEmpty, b.count <= 18 else { return nil }
        var v = 0
        for c in b {
            guard c >= 0x30 && c <= 0x39 else { return nil }
            v = v * 10 + Int(c - 0x30)
        }
        return v
    }

    static func double(_ v: [UInt8]) -> Double? {
        v.withUnsafeBufferPointer { b -> Double? in
            // Fast path: a plain integer of up to 15 digits is exact.
            var k = 0
            var neg = false
            if b.count > 0 && b[0] == UInt8(ascii: "-") { neg = true; k = 1 }
            if b.count - k >= 1 && b.count - k <= 15 {
                var x = 0
                var ok = true
                for j in k..<b.count {
                    let c = b[j]
                    if c < 0x30 || c > 0x39 { ok = false; break }
                    x = x * 10 + Int(c - 0x30)
                }
                if ok { return Double(neg ? -x : x) }
            }
            guard b.count <= 64 else { return nil }
            // Digits, sign, point and exponent only (Double(String) would accept "nan", "inf").
            for c in b {
                switch c {
                case 0x30...0x39, UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "e"), UInt8(ascii: "E"): break
                default: return nil
                }
            }
            guard let d = Double(String(decoding: b, as: UTF8.self)), d.isFinite else { return nil } // locale-independent
            return d
        }
    }
}
