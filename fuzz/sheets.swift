// What the csv, xlsx and xls targets share: the import's limits, and the checks every sheet
// reader's answer must pass on hostile bytes.
@testable import Sheets

let limits = SheetLimits()

/// Runs one reader: it fails with a SheetError or gives a sheet within the limits.
func checkReader(_ name: String, _ read: () throws -> Sheet) {
    do { checkLimits(try read(), limits) } catch { check(error is SheetError, "\(name): not a SheetError: \(error)") }
}

/// The format detection, then the reader it picks, on the same bytes.
func checkSheetReader(_ bytes: [UInt8]) {
    _ = SheetReader.detectFormat(bytes)
    checkReader("SheetReader.read") { try SheetReader.read(bytes, limits: limits).sheet }
}

func checkLimits(_ s: Sheet, _ limits: SheetLimits) {
    check(s.rows.count <= limits.maxRows, "\(s.rows.count) rows")
    var cells = 0
    for r in s.rows {
        check(r.count <= limits.maxColumns, "\(r.count) columns")
        cells += r.count
    }
    check(cells <= limits.maxCells, "\(cells) cells")
}
