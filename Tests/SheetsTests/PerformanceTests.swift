import Foundation
import Testing
@testable import Sheets

@Suite("performance")
struct PerformanceTests {
    /// 10,000 rows × 31 columns of mixed values, as an export of the CRM would be.
    static func grid() -> [[CellValue]] {
        var g = SeededGenerator(seed: 42)
        let cities = ["Paris", "Lyon", "Saint-Étienne", "Besançon", "Orléans", "Nîmes", "Lille", "Nantes"]
        var rows: [[CellValue]] = [(0..<31).map { .text("Colonne \($0 + 1)") }]
        for r in 1..<10_000 {
            var row: [CellValue] = []
            for c in 0..<31 {
                switch c % 6 {
                case 0: row.append(.text("Client \(r)-\(c) \(cities.randomElement(using: &g)!)"))
                case 1: row.append(.number(Double(Int.random(in: 0...1_000_000, using: &g)) / 100))
                case 2: row.append(.date(SheetDate(year: 2000 + r % 25, month: 1 + r % 12, day: 1 + c % 28)))
                case 3: row.append(.text(cities.randomElement(using: &g)!))
                case 4: row.append(.bool(r % 2 == 0))
                default: row.append(.text("contact\(r)@exemple.fr"))
                }
            }
            rows.append(row)
        }
        return rows
    }

    @Test func read10kBy31() throws {
        let rows = Self.grid()
        let bytes = XLSXWriter.write(rows: rows, sheetName: "Export")
        var l = SheetLimits()
        l.maxFileBytes = 8 << 20
        let clock = ContinuousClock()
        var sheet = Sheet(rows: [])
        let elapsed = try clock.measure { sheet = try SheetReader.read(bytes, limits: l).sheet }
        print("read 10,000 × 31 xlsx (\(bytes.count) bytes): \(elapsed)")
        #expect(sheet.rows == rows)
        #expect(elapsed < .seconds(20)) // a debug build; release is far below a second
    }
}
