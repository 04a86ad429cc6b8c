import Foundation
import Testing
@testable import Sheets

@Suite("xlsx writer")
struct XLSXWriterTests {
    static let sample: [[CellValue]] = [
        [t("Nom"), t("Date"), t("Montant"), t("Actif"), t("Remarque")],
        [t("Élodie & <Cie> \"quotes\" 'apos'"), d(2024, 3, 5), n(1234.5), .bool(true), t("ligne 1\nligne 2\r\nligne 3\rfin")],
        [t("  espaces  "), d(1999, 12, 31, 23, 59, 59), n(-0.000123), .bool(false), t("tab\tici")],
        [],
        [t("œ € ’ 日本 😀"), d(1900, 1, 1), n(12_345_678_901_234), .error("#DIV/0!"), t("_x0041_ reste tel quel")],
        [e, e, n(1e-20), e, e, e, t("loin")],
        [t(""), d(1900, 2, 28), n(1e300), e, t("]]> <![CDATA[ x")],
    ]

    @Test func roundTrip() throws {
        let bytes = XLSXWriter.write(rows: Self.sample, sheetName: "Export")
        let (format, sheet) = try SheetReader.read(bytes)
        #expect(format == .xlsx)
        #expect(sheet.rows == trimmed(Self.sample))
    }

    @Test func specialValues() throws {
        let rows: [[CellValue]] = [[t("a\u{1}b\u{B}c\u{FFFE}d"), n(.nan), n(.infinity), d(1850, 1, 1), d(1900, 2, 29), d(1899, 12, 30, 6)]]
        let sheet = try XLSXReader.read(XLSXWriter.write(rows: rows, sheetName: "S", boldHeader: false))
        #expect(sheet.rows == [[t("abcd"), .error("#NUM!"), .error("#NUM!"), t("1850-01-01"), d(1900, 2, 29), d(1899, 12, 30, 6)]])
    }

    @Test func emptyWorkbook() throws {
        let bytes = XLSXWriter.write(rows: [], sheetName: "")
        #expect(try XLSXReader.read(bytes).rows == [])
    }

    @Test func sheetNames() {
        #expect(XLSXParts.sanitizeSheetName("Clients: 2024/03") == "Clients_ 2024_03")
        #expect(XLSXParts.sanitizeSheetName("") == "Feuil1")
        #expect(XLSXParts.sanitizeSheetName("'quoted'") == "quoted")
        #expect(XLSXParts.sanitizeSheetName(String(repeating: "é", count: 40)).count == 31)
    }

    @Test func packageStructure() throws {
        let bytes = XLSXWriter.write(rows: [[t("x")]], sheetName: "S")
        var zip = try ZipArchive(bytes, limits: SheetLimits())
        let names = Set(zip.entries.map(\.name))
        for required in ["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
                         "xl/styles.xml", "xl/worksheets/sheet1.xml"] {
            #expect(names.contains(required), "\(required)")
        }
        // Strings are inline (the sheet is streamed): no shared string table, none declared.
        #expect(!names.contains("xl/sharedStrings.xml"))
        let sheet = String(decoding: try zip.extract(try #require(zip.entry("xl/worksheets/sheet1.xml"))), as: UTF8.self)
        #expect(sheet.contains("<c r=\"A1\" s=\"1\" t=\"inlineStr\"><is><t xml:space=\"preserve\">x</t></is></c>"))
        let types = String(decoding: try zip.extract(try #require(zip.entry("[Content_Types].xml"))), as: UTF8.self)
        #expect(!types.contains("sharedStrings"))
        // The worksheet is deflated as a stream: sizes and CRC in a data descriptor (flag bit 3).
        let sheetEntry = try #require(zip.entry("xl/worksheets/sheet1.xml"))
        #expect(sheetEntry.flags & 0x8 != 0 && sheetEntry.method == 8)
        let styles = String(decoding: try zip.extract(try #require(zip.entry("xl/styles.xml"))), as: UTF8.self)
        #expect(styles.contains("numFmtId=\"164\" formatCode=\"dd/mm/yyyy\""))
        #expect(styles.contains("<b/>"))
        // Every entry's CRC was verified by extract; the writer's output is deterministic.
        for entry in zip.entries { _ = try zip.extract(entry) }
        #expect(XLSXWriter.write(rows: [[t("x")]], sheetName: "S") == bytes)
    }
}

/// The workbook written by XLSXWriter as openpyxl sees it (python3 and openpyxl are
/// required: installed by scripts/setup-browser.sh; this test fails without them).
@Suite("openpyxl interop")
struct InteropTests {
    static let script = """
        import datetime, json, sys
        import openpyxl
        wb = openpyxl.load_workbook(sys.argv[1])
        ws = wb.worksheets[0]
        def conv(v):
            if isinstance(v, datetime.datetime):
                return "D:" + v.isoformat()
            if isinstance(v, bool):
                return "B:" + str(v)
            if isinstance(v, (int, float)):
                return "N:" + repr(float(v))
            if v is None:
                return None
            return "T:" + v
        print(json.dumps({
            "title": ws.title,
            "bold": bool(ws["A1"].font.b),
            "format": ws["B2"].number_format,
            "rows": [[conv(c.value) for c in row] for row in ws.iter_rows()],
        }))
        """

    @Test func openpyxlReadsOurWorkbook() throws {
        let rows: [[CellValue]] = [
            [t("Nom"), t("Date"), t("Montant"), t("Actif")],
            [t("Élodie & <Cie> \"q\""), d(2024, 3, 5), n(1234.5), .bool(true)],
            [t("ligne 1\nligne 2\r\nfin"), d(2023, 12, 31, 14, 30, 15), n(-42), .bool(false)],
            [t("œ € ’ 😀"), e, n(0.1), t("_x0041_")],
        ]
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sheets-interop-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let xlsx = dir.appendingPathComponent("out.xlsx")
        try Data(XLSXWriter.write(rows: rows, sheetName: "Clients 2024")).write(to: xlsx)
        let script = dir.appendingPathComponent("read.py")
        try Data(Self.script.utf8).write(to: script)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, xlsx.path]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0,
                     "python3 with openpyxl is required: \(String(decoding: stderr, as: UTF8.self))")

        let json = try #require(try JSONSerialization.jsonObject(with: stdout) as? [String: Any])
        #expect(json["title"] as? String == "Clients 2024")
        #expect(json["bold"] as? Bool == true)
        #expect(json["format"] as? String == "dd/mm/yyyy")
        let got = try #require(json["rows"] as? [[Any]]).map { $0.map { $0 as? String } }
        let expected: [[String?]] = [
            ["T:Nom", "T:Date", "T:Montant", "T:Actif"],
            ["T:Élodie & <Cie> \"q\"", "D:2024-03-05T00:00:00", "N:1234.5", "B:True"],
            ["T:ligne 1\nligne 2\r\nfin", "D:2023-12-31T14:30:15", "N:-42.0", "B:False"],
            // openpyxl does not decode the `_xHHHH_` escape in inline strings (it does in shared
            // strings; ECMA-376 gives both the same ST_Xstring type, and our reader decodes
            // both): a literal "_x0041_" is protected as "_x005F_x0041_", which openpyxl shows raw.
            ["T:œ € ’ 😀", nil, "N:0.1", "T:_x005F_x0041_"],
        ]
        #expect(got == expected)
    }
}
