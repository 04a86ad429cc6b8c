import Foundation
import Testing
@testable import Sheets

@Suite("xlsx reader")
struct XLSXReaderTests {
    @Test func openpyxlWorkbook() throws {
        let (format, sheet) = try SheetReader.read(fixture("openpyxl.xlsx"))
        #expect(format == .xlsx)
        let expected: [[CellValue]] = [
            [t("Nom"), t("Ville"), t("Montant"), t("Date"), t("Actif"), t("Formule"), t("Texte calculé")],
            [t("Élodie Müller"), t("Saint-Étienne"), n(1234.5), d(2024, 3, 5), .bool(true), n(2469), t("ÉLODIE MÜLLER")],
            [t("Zoë « L'Haÿ » & <Cie>"), t("Besançon"), n(-42), d(2023, 12, 31, 14, 30, 15), .bool(false)],
            [],
            [t("  espaces  "), e, n(0.1), d(1900, 1, 1), e, .error("#DIV/0!")],
            [t("ligne 1\nligne 2"), t("Œuvre"), n(12_345_678_901_234), d(1900, 3, 1)],
            [e, e, e, e, e, e, e, n(3.5)],
        ]
        #expect(sheet.rows.count == expected.count)
        for (i, row) in expected.enumerated() where i < sheet.rows.count {
            #expect(sheet.rows[i] == row, "row \(i + 1)")
        }
    }

    @Test func handMadeInlineWorkbook() throws {
        let sheet = try XLSXReader.read(fixture("inline.xlsx"))
        var row1: [CellValue] = [t("Inline é"), e, t("partagé")]
        row1 += Array(repeating: e, count: 24)
        row1.append(t("riche"))
        let expected: [[CellValue]] = [
            row1,
            [t("Gras et normal"), t("a\rb_x0041_"), t("<cdata> & co"), t("été & <hiver> \"'")],
            [],
            [e, d(2024, 3, 5), n(3.25), d(1900, 1, 1, 12), d(2024, 3, 5, 18), .bool(false), .error("#N/A"), e, t("xy")],
            [d(2024, 2, 29, 8, 15), n(0.001), d(1900, 2, 29), d(1900, 2, 28), d(1899, 12, 30, 12)],
        ]
        #expect(sheet.rows.count == expected.count)
        for (i, row) in expected.enumerated() where i < sheet.rows.count {
            #expect(sheet.rows[i] == row, "row \(i + 1)")
        }
    }

    @Test func date1904() throws {
        let sheet = try XLSXReader.read(fixture("date1904.xlsx"))
        #expect(sheet.rows == [[d(2024, 3, 5)], [n(1.5)]])
    }

    @Test func dateFormats() {
        for code in ["dd/mm/yyyy", "[$-40C]d\\ mmmm\\ yyyy;@", "h:mm", "[h]:mm:ss", "mmm-yy", "D MMMM YYYY", "yyyy\"年\"m\"月\"d\"日\""] {
            #expect(XLSXReader.isDateFormat(code), "\(code)")
        }
        for code in ["General", "0.00", "#,##0.00 \"m\"", "0.00%", "[Red]0.0", "0.00\\d", "_-* #,##0.00 €_-", "0.00E+00", "@"] {
            #expect(!XLSXReader.isDateFormat(code), "\(code)")
        }
        #expect(XLSXReader.isBuiltInDateFormat(14) && XLSXReader.isBuiltInDateFormat(22) && XLSXReader.isBuiltInDateFormat(47))
        #expect(!XLSXReader.isBuiltInDateFormat(0) && !XLSXReader.isBuiltInDateFormat(23) && !XLSXReader.isBuiltInDateFormat(44))
    }

    @Test func relationshipTargets() {
        #expect(XLSXReader.resolve("worksheets/sheet1.xml", base: "xl/") == "xl/worksheets/sheet1.xml")
        #expect(XLSXReader.resolve("/xl/worksheets/s.xml", base: "xl/") == "xl/worksheets/s.xml")
        #expect(XLSXReader.resolve("../xl/./a.xml", base: "xl/") == "xl/a.xml")
        #expect(XLSXReader.resolve("xl/workbook.xml", base: "") == "xl/workbook.xml")
    }

    @Test func cellReferences() throws {
        func col(_ s: String) throws -> Int? {
            try Array(s.utf8).withUnsafeBufferPointer { try WorksheetParser.column(of: $0) }
        }
        #expect(try col("A1") == 1)
        #expect(try col("Z9") == 26)
        #expect(try col("AA10") == 27)
        #expect(try col("AB12") == 28)
        #expect(try col("XFD1048576") == 16384)
        #expect(try col("12") == nil)
    }

    @Test func limits() throws {
        let bytes = try fixture("openpyxl.xlsx")
        var l = SheetLimits()
        l.maxRows = 5
        #expect(errorCode { try SheetReader.read(bytes, limits: l) } == .tooManyCells)
        l = SheetLimits()
        l.maxColumns = 7
        #expect(errorCode { try SheetReader.read(bytes, limits: l) } == .tooManyCells)
        l = SheetLimits()
        l.maxCells = 20
        #expect(errorCode { try SheetReader.read(bytes, limits: l) } == .tooManyCells)
        l = SheetLimits()
        l.maxRows = 7
        l.maxColumns = 8
        #expect(throws: Never.self) { try SheetReader.read(bytes, limits: l) }
    }
}
