import Foundation
import Testing
@testable import Sheets

/// Random grids through the writers and back.
@Suite("round-trip properties")
struct PropertyTests {
    static let pieces: [String] = [
        "a", "Z", "0", "9", " ", "  ", "\"", "\"\"", ";", ",", "\t", "\n", "\r", "\r\n", "é", "É", "œ", "€", "’", "«", "»",
        "ß", "日本", "😀", "👩‍👩‍👧", "&", "<", ">", "&amp;", "]]>", "'", "=", "+", "-", "@", "_x0041_", "_x", "x_", "\u{A0}",
        "\u{200B}", "Ω", "ﬁ", "e\u{301}",
    ]

    static func randomString(_ g: inout SeededGenerator, maxPieces: Int = 6) -> String {
        let count = Int.random(in: 0...maxPieces, using: &g)
        return (0..<count).map { _ in pieces.randomElement(using: &g)! }.joined()
    }

    @Test(arguments: 0..<20)
    func csvRoundTrip(seed: Int) throws {
        var g = SeededGenerator(seed: UInt64(seed))
        let width = Int.random(in: 1...6, using: &g)
        let height = Int.random(in: 1...30, using: &g)
        let rows = (0..<height).map { _ in (0..<width).map { _ in Self.randomString(&g) } }
        for sep: Character in [";", ",", "\t"] {
            let bytes = CSVWriter.write(rows: rows, separator: sep, bom: seed % 2 == 0)
            var expected = rows.map { row -> [CellValue] in
                let cells = row.map { $0.isEmpty ? CellValue.empty : .text($0) }
                return cells == [.empty] ? [] : cells
            }
            while expected.last?.isEmpty == true { expected.removeLast() }
            if expected.isEmpty {
                #expect(errorCode { try CSVReader.read(bytes, separator: sep) } == .empty)
                continue
            }
            let sheet = try CSVReader.read(bytes, separator: sep)
            #expect(sheet.rows == expected, "seed \(seed) separator \(sep)")
        }
    }

    @Test(arguments: 0..<20)
    func xlsxRoundTrip(seed: Int) throws {
        var g = SeededGenerator(seed: UInt64(1000 + seed))
        let width = Int.random(in: 1...8, using: &g)
        let height = Int.random(in: 1...40, using: &g)
        var rows: [[CellValue]] = []
        var expected: [[CellValue]] = []
        for _ in 0..<height {
            var row: [CellValue] = []
            var back: [CellValue] = []
            for _ in 0..<width {
                let v: CellValue
                var w: CellValue
                switch Int.random(in: 0..<10, using: &g) {
                case 0: v = .empty
                case 1: v = .number(Double(Int.random(in: -1_000_000...1_000_000, using: &g)))
                case 2: v = .number(Double(bitPattern: g.next()).isFinite ? Double(bitPattern: g.next() & 0x7FEF_FFFF_FFFF_FFFF) : 1)
                case 3: v = .number(Double.random(in: -1e6...1e6, using: &g))
                case 4: v = .bool(Bool.random(using: &g))
                case 5:
                    let date = SheetDate(year: Int.random(in: 1900...2200, using: &g), month: Int.random(in: 1...12, using: &g),
                                         day: Int.random(in: 1...28, using: &g), hour: Int.random(in: 0...23, using: &g),
                                         minute: Int.random(in: 0...59, using: &g), second: Int.random(in: 0...59, using: &g))
                    v = .date(date)
                case 6:
                    // Characters XML cannot carry are dropped by the writer.
                    let s = Self.randomString(&g) + "\u{1}\u{1F}" + Self.randomString(&g)
                    v = .text(s)
                default: v = .text(Self.randomString(&g))
                }
                w = v
                if case .text(let s) = v {
                    w = .text(String(String.UnicodeScalarView(s.unicodeScalars.filter { $0.value >= 0x20 || $0 == "\t" || $0 == "\n" || $0 == "\r" })))
                }
                row.append(v)
                back.append(w)
            }
            rows.append(row)
            expected.append(back)
        }
        let sheet = try XLSXReader.read(XLSXWriter.write(rows: rows, sheetName: "P", boldHeader: seed % 2 == 0))
        #expect(sheet.rows == trimmed(expected), "seed \(seed)")
    }
}
