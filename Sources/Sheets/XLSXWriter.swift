// The .xlsx writer: a minimal SpreadsheetML package with one worksheet (inline strings, so
// it is written as a stream: `XLSXStreamWriter` in Stream.swift), and the styles for a bold
// header and dates.

/// The parts of the workbook and the XML escaping they share.
enum XLSXParts {
    static let contentTypes = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
        <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
        <Default Extension="xml" ContentType="application/xml"/>\
        <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
        <Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
        <Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
        <Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>\
        <Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>\
        </Types>
        """

    static let rootRels = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\
        <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>\
        <Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties" Target="docProps/app.xml"/>\
        </Relationships>
        """

    static let workbookRels = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
        <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>\
        <Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>\
        </Relationships>
        """

    static func workbook(sheetName: String) -> String {
        """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
        xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
        <workbookPr/><bookViews><workbookView/></bookViews>\
        <sheets><sheet name="\(escapeAttribute(sheetName))" sheetId="1" r:id="rId1"/></sheets>\
        </workbook>
        """
    }

    /// Cell formats: 0 default, 1 bold, 2 date, 3 date-time, 4 bold date, 5 bold date-time.
    static let styles = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
        <numFmts count="2"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/>\
        <numFmt numFmtId="165" formatCode="dd/mm/yyyy hh:mm:ss"/></numFmts>\
        <fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>\
        <font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>\
        <fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>\
        <borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
        <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
        <cellXfs count="6">\
        <xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
        <xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>\
        <xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
        <xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
        <xf numFmtId="164" fontId="1" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyFont="1"/>\
        <xf numFmtId="165" fontId="1" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyFont="1"/>\
        </cellXfs>\
        <cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>\
        </styleSheet>
        """

    static let core = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" \
        xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" \
        xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:creator>LabSearch</dc:creator></cp:coreProperties>
        """

    static let app = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">\
        <Application>LabSearch</Application></Properties>
        """

    /// Whether XML 1.0 can carry this character (tab, line feed, carriage return, and
    /// U+0020 upward except U+FFFE and U+FFFF; Swift strings hold no lone surrogates).
    @inline(__always) static func isXMLChar(_ v: UInt32) -> Bool {
        v >= 0x20 ? (v != 0xFFFE && v != 0xFFFF) : (v == 0x09 || v == 0x0A || v == 0x0D)
    }

    /// Appends `s` escaped as element text: `& < >` as entities, CR as `&#13;` (a literal
    /// CR would read back as LF), characters XML cannot carry dropped, and the OOXML escape
    /// `_xHHHH_` protected by escaping its underscore (`_x005F_`).
    static func appendText(_ s: String, to out: inout [UInt8]) {
        let u = Array(s.utf8)
        var k = 0
        while k < u.count {
            let c = u[k]
            switch c {
            case UInt8(ascii: "&"): out.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "<"): out.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): out.append(contentsOf: "&gt;".utf8)
            case 0x0D: out.append(contentsOf: "&#13;".utf8)
            case 0x09, 0x0A: out.append(c)
            case 0..<0x20: break
            case UInt8(ascii: "_"):
                if isOOXMLEscape(u, k) { out.append(contentsOf: "_x005F_".utf8) } else { out.append(c) }
            case 0xEF where k + 2 < u.count && u[k + 1] == 0xBF && (u[k + 2] == 0xBE || u[k + 2] == 0xBF):
                k += 2 // U+FFFE, U+FFFF
            default: out.append(c)
            }
            k += 1
        }
    }

    static func isOOXMLEscape(_ u: [UInt8], _ k: Int) -> Bool {
        guard k + 6 < u.count, u[k + 1] == UInt8(ascii: "x"), u[k + 6] == UInt8(ascii: "_") else { return false }
        for j in (k + 2)..<(k + 6) {
            switch u[j] {
            case 0x30...0x39, 0x41...0x46, 0x61...0x66: continue
            default: return false
            }
        }
        return true
    }

    static func escapeAttribute(_ s: String) -> String {
        var out = ""
        for ch in s.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\t": out += "&#9;"
            case "\n": out += "&#10;"
            case "\r": out += "&#13;"
            default: if isXMLChar(ch.value) { out.unicodeScalars.append(ch) }
            }
        }
        return out
    }

    /// Excel's rules for a sheet name: 1 to 31 characters, none of : \ / ? * [ ], not
    /// starting or ending with an apostrophe. Anything else is adjusted.
    static func sanitizeSheetName(_ name: String) -> String {
        var s = String(String.UnicodeScalarView(name.unicodeScalars.compactMap { c -> Unicode.Scalar? in
            if ":\\/?*[]".unicodeScalars.contains(c) { return "_" }
            return isXMLChar(c.value) && c.value >= 0x20 ? c : nil
        }))
        while s.hasPrefix("'") { s.removeFirst() }
        if s.count > 31 { s = String(s.prefix(31)) }
        while s.hasSuffix("'") { s.removeLast() }
        return s.isEmpty ? "Feuil1" : s
    }

    /// "A", "B", …, "Z", "AA"… for a 0-based column.
    static func columnName(_ c: Int) -> [UInt8] {
        var n = c + 1
        var out: [UInt8] = []
        while n > 0 {
            let r = (n - 1) % 26
            out.append(UInt8(ascii: "A") + UInt8(r))
            n = (n - 1) / 26
        }
        return out.reversed()
    }

    /// A number as SpreadsheetML writes it: shortest round-trip form, no ".0".
    static func number(_ d: Double) -> String {
        if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
        return "\(d)"
    }
}

extension XLSXWriter {
    /// The whole workbook in memory: the stream writer with a sink that keeps every chunk.
    static func build(rows: [[CellValue]], sheetName: String, boldHeader: Bool) -> [UInt8] {
        var bytes: [UInt8] = []
        do {
            let w = try XLSXStreamWriter(sheetName: sheetName, boldHeader: boldHeader, chunkSize: 256 << 10) { bytes += $0 }
            for row in rows { try w.write(row: row) }
            try w.finish()
        } catch {
            // Only past Excel's row limit or 4 GiB, which a workbook built in memory never reaches.
            preconditionFailure("XLSXWriter.write: \(error)")
        }
        return bytes
    }

    static func isoString(_ d: SheetDate) -> String {
        func pad(_ v: Int, _ w: Int) -> String {
            let s = String(v)
            return s.count >= w ? s : String(repeating: "0", count: w - s.count) + s
        }
        var s = "\(pad(d.year, 4))-\(pad(d.month, 2))-\(pad(d.day, 2))"
        if d.hour != 0 || d.minute != 0 || d.second != 0 {
            s += " \(pad(d.hour, 2)):\(pad(d.minute, 2)):\(pad(d.second, 2))"
        }
        return s
    }
}
