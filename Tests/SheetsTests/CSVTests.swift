import Foundation
import Testing
@testable import Sheets

@Suite("csv")
struct CSVTests {
    @Test func utf8Semicolon() throws {
        let (format, sheet) = try SheetReader.read(fixture("utf8-semicolon.csv"))
        #expect(format == .csv)
        #expect(sheet.rows == [
            [t("Nom"), t("Ville"), t("Note")],
            [t("Dupont; père"), t("Paris"), t("Il a dit \"bonjour\"")],
            [t("Élise"), t("Saint-Étienne"), t("deux\r\nlignes")],
            [],
            [t("Zoë"), e, e],
        ])
    }

    @Test func utf8BOMComma() throws {
        let bytes = try fixture("utf8-bom-comma.csv")
        #expect(CSVReader.detectSeparator(bytes) == ",")
        #expect(try SheetReader.read(bytes).sheet.rows == [
            [t("nom"), t("prénom"), t("remarque, avec virgule")],
            [t("Müller"), t("Jürgen"), t("a \"b\" c")],
            [t("Ørsted"), t("Anders"), e],
        ])
    }

    @Test func windows1252() throws {
        #expect(try SheetReader.read(fixture("cp1252.csv")).sheet.rows == [
            [t("Produit"), t("Prix"), t("Note")],
            [t("Café crème"), t("3,50 €"), t("l’été")],
            [t("œuvre"), t("10 €"), t("«\u{A0}ok\u{A0}»")],
        ])
    }

    @Test func tabAndCarriageReturns() throws {
        #expect(try SheetReader.read(fixture("tab.csv")).sheet.rows == [[t("a"), t("b;c"), t("c,d")], [t("1"), t("2"), t("3")]])
        #expect(try SheetReader.read(fixture("cr-only.csv")).sheet.rows == [[t("x"), t("y")], [t("1"), t("2")], [t("3"), t("4")]])
    }

    @Test func utf16() throws {
        #expect(try SheetReader.read(fixture("utf16le.csv")).sheet.rows == [[t("nom"), t("ville")], [t("Noël"), t("Orléans")]])
        let be: [UInt8] = [0xFE, 0xFF] + Array("a;b\n\u{E9};\u{20AC}".utf16).flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        #expect(try SheetReader.read(be).sheet.rows == [[t("a"), t("b")], [t("é"), t("€")]])
    }

    @Test func separatorDetection() {
        #expect(CSVReader.detectSeparator(Array("a;b;c\n1,5;2,5;3".utf8)) == ";")
        #expect(CSVReader.detectSeparator(Array("a,b,c\n1;2".utf8)) == ",")
        #expect(CSVReader.detectSeparator(Array("\"a;b;c\",d,e".utf8)) == ",")
        #expect(CSVReader.detectSeparator(Array("\"x\ny;z;w\",a\nb".utf8)) == ",") // quoted line break
        #expect(CSVReader.detectSeparator(Array("a\tb\tc".utf8)) == "\t")
        #expect(CSVReader.detectSeparator(Array("seul".utf8)) == ";")
        #expect(CSVReader.detectSeparator(Array("a;b,c".utf8)) == ";") // tie
    }

    @Test func edgeCases() throws {
        func rows(_ s: String) throws -> [[CellValue]] { try CSVReader.read(Array(s.utf8)).rows }
        #expect(try rows("a;b") == [[t("a"), t("b")]])
        #expect(try rows("a;") == [[t("a"), e]])
        #expect(try rows("a;b\r\n\r\n\r\n") == [[t("a"), t("b")]])
        #expect(try rows("\n\na") == [[], [], [t("a")]])
        #expect(errorCode { try rows("\"\"") } == .empty)
        #expect(throws: SheetError.self) { try rows("\n\n") }
        #expect(try rows("\"unterminated;x") == [[t("unterminated;x")]])
        #expect(try rows("\"a\"b;c") == [[t("ab"), t("c")]])
        #expect(try rows("x\"y;z") == [[t("x\"y"), t("z")]])
        #expect(try rows(" a ; b ") == [[t(" a "), t(" b ")]])
        #expect(try rows("=1+2;@SUM(A1)") == [[t("=1+2"), t("@SUM(A1)")]])
        #expect(try CSVReader.read(Array("a;b,c".utf8), separator: ",").rows == [[t("a;b"), t("c")]])
    }

    @Test func binaryAndEmpty() throws {
        #expect(errorCode { try SheetReader.read(fixture("empty.csv")) } == .empty)
        #expect(errorCode { try SheetReader.read([0xEF, 0xBB, 0xBF]) } == .empty)
        #expect(errorCode { try SheetReader.read(Array("a;b\u{0}c".utf8)) } == .unsupportedFormat)
        #expect(errorCode { try SheetReader.read([0x01, 0x02, 0x03, 0x04, 0x41]) } == .unsupportedFormat)
        #expect(SheetReader.detectFormat(Array("a\u{0}".utf8)) == nil)
        #expect(SheetReader.detectFormat([]) == nil)
    }

    @Test func limits() throws {
        var l = SheetLimits()
        l.maxRows = 2
        #expect(errorCode { try CSVReader.read(Array("a\nb\nc".utf8), limits: l) } == .tooManyCells)
        l = SheetLimits()
        l.maxColumns = 2
        #expect(errorCode { try CSVReader.read(Array("a;b;c".utf8), limits: l) } == .tooManyCells)
        l = SheetLimits()
        l.maxCells = 3
        #expect(errorCode { try CSVReader.read(Array("a;b\nc;d".utf8), limits: l) } == .tooManyCells)
    }

    @Test func writer() {
        let rows = [["a", "b;c", "d\"e"], ["ligne\nsuivante", "", "x\ry"], ["=1+2", " espace ", "é"]]
        let out = String(decoding: CSVWriter.write(rows: rows), as: UTF8.self)
        #expect(out == "a;\"b;c\";\"d\"\"e\"\r\n\"ligne\nsuivante\";;\"x\ry\"\r\n=1+2; espace ;é\r\n")
        let comma = CSVWriter.write(rows: [["1,5", "2;3"]], separator: ",", bom: true)
        #expect(comma == [0xEF, 0xBB, 0xBF] + Array("\"1,5\",2;3\r\n".utf8))
        #expect(CSVWriter.write(rows: []) == [])
    }

    @Test func writerRoundTrip() throws {
        let rows = [["Nom", "Ville", "Note"], ["Dupont; père", "", "Il a dit \"bonjour\"\r\net\nplus"], ["€ œ ’", "tab\there", "=cmd|' /C calc'!A0"]]
        for sep: Character in [";", ",", "\t"] {
            for bom in [false, true] {
                let bytes = CSVWriter.write(rows: rows, separator: sep, bom: bom)
                let (format, sheet) = try SheetReader.read(bytes)
                #expect(format == .csv)
                #expect(sheet.rows == rows.map { $0.map { $0.isEmpty ? .empty : .text($0) } }, "separator \(sep) bom \(bom)")
            }
        }
    }
}
