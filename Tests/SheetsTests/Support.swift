import Foundation
import Testing
@testable import Sheets

/// The bytes of a committed fixture (Tests/SheetsTests/Fixtures, made by make_fixtures.py).
func fixture(_ name: String) throws -> [UInt8] {
    guard let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures") else {
        Issue.record("missing fixture \(name)")
        throw FixtureMissing(name: name)
    }
    return try [UInt8](Data(contentsOf: url))
}

struct FixtureMissing: Error { var name: String }

/// The SheetError code thrown by `body`, nil if it did not throw one.
func errorCode<T>(_ body: () throws -> T) -> SheetError.Code? {
    do {
        _ = try body()
        return nil
    } catch let e as SheetError {
        #expect(!e.message.isEmpty)
        return e.code
    } catch {
        Issue.record("unexpected error \(error)")
        return nil
    }
}

func t(_ s: String) -> CellValue { .text(s) }
func n(_ d: Double) -> CellValue { .number(d) }
func d(_ y: Int, _ m: Int, _ day: Int, _ h: Int = 0, _ mi: Int = 0, _ s: Int = 0) -> CellValue {
    .date(SheetDate(year: y, month: m, day: day, hour: h, minute: mi, second: s))
}
let e = CellValue.empty

/// A grid as the readers give it back: trailing empty cells and rows dropped.
func trimmed(_ rows: [[CellValue]]) -> [[CellValue]] {
    var out = rows.map { row -> [CellValue] in
        var r = row
        while r.last == .empty { r.removeLast() }
        return r
    }
    while out.last?.isEmpty == true { out.removeLast() }
    return out
}

/// SplitMix64: a seeded generator, so failures reproduce.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
