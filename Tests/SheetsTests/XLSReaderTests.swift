import Foundation
import Testing
@testable import Sheets

@Suite("xls reader")
struct XLSReaderTests {
    @Test func xlwtWorkbook() throws {
        let (format, sheet) = try SheetReader.read(fixture("xlwt.xls"))
        #expect(format == .xls)
        let expected: [[CellValue]] = [
            [t("Nom"), t("Prénom"), t("Âge"), t("Naissance"), t("Solde"), t("Rendez-vous")],
            [t("Lefèvre"), t("Anaïs"), n(34), d(1990, 7, 14), n(-1234.56), d(2024, 3, 5, 9, 30)],
            [t("Ødegård"), e, n(0.001)],
            [e, t("ligne\nsuivante")],
        ]
        #expect(sheet.rows == expected)
    }

    @Test func limits() throws {
        var l = SheetLimits()
        l.maxRows = 3
        #expect(errorCode { try SheetReader.read(fixture("xlwt.xls"), limits: l) } == .tooManyCells)
        l = SheetLimits()
        l.maxCells = 10
        #expect(errorCode { try SheetReader.read(fixture("xlwt.xls"), limits: l) } == .tooManyCells)
    }

    /// BIFF records: (type, payload).
    static func biff(_ records: [(Int, [UInt8])]) -> [UInt8] {
        var out: [UInt8] = []
        for (type, data) in records {
            out += [UInt8(type & 0xFF), UInt8(type >> 8), UInt8(data.count & 0xFF), UInt8(data.count >> 8)] + data
        }
        return out
    }

    static let globalsBOF = (0x0809, [0x00, 0x06, 0x05, 0x00] + [UInt8](repeating: 0, count: 12))
    static let sheetBOF = (0x0809, [0x00, 0x06, 0x10, 0x00] + [UInt8](repeating: 0, count: 12))
    static let eof = (0x000A, [UInt8]())

    static func dimension(rows: Int, cols: Int) -> (Int, [UInt8]) {
        (0x0200, [0, 0, 0, 0, UInt8(rows & 0xFF), UInt8((rows >> 8) & 0xFF), UInt8((rows >> 16) & 0xFF), UInt8(rows >> 24),
                  0, 0, UInt8(cols & 0xFF), UInt8(cols >> 8), 0, 0])
    }

    @Test func precheckRefusesPasswordsAndHugeSheets() {
        let filepass = Self.biff([Self.globalsBOF, (0x002F, [0, 0, 1, 0, 1, 0]), Self.eof])
        #expect(errorCode { try XLSReader.precheck(filepass, limits: SheetLimits()) } == .encrypted)

        let huge = Self.biff([Self.globalsBOF, Self.eof, Self.sheetBOF, Self.dimension(rows: 65536, cols: 256), Self.eof])
        #expect(errorCode { try XLSReader.precheck(huge, limits: SheetLimits()) } == .tooManyCells)

        let absurd = Self.biff([Self.globalsBOF, Self.eof, Self.sheetBOF, Self.dimension(rows: 0x7FFF_FFFF, cols: 10), Self.eof])
        #expect(errorCode { try XLSReader.precheck(absurd, limits: SheetLimits()) } == .corrupt)

        // No DIMENSION record: the cells themselves give the extent (NUMBER at row 65535, col 255).
        let number = (0x0203, [0xFF, 0xFF, 0xFF, 0x00, 0, 0] + [UInt8](repeating: 0, count: 8))
        let undeclared = Self.biff([Self.globalsBOF, Self.eof, Self.sheetBOF, number, Self.eof])
        #expect(errorCode { try XLSReader.precheck(undeclared, limits: SheetLimits()) } == .tooManyCells)

        let fine = Self.biff([Self.globalsBOF, Self.eof, Self.sheetBOF, Self.dimension(rows: 1000, cols: 20), Self.eof])
        #expect(throws: Never.self) { try XLSReader.precheck(fine, limits: SheetLimits()) }
    }

    @Test func compoundFileDirectory() throws {
        let cf = try CompoundFile(fixture("xlwt.xls"))
        #expect(cf.names.contains("Workbook"))
        let stream = try #require(try cf.stream(named: "workbook"))
        #expect(stream.count > 100 && stream[0] == 0x09 && stream[1] == 0x08) // BOF
    }
}
