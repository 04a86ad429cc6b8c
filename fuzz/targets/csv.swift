// The csv reader on hostile bytes, with the import's limits (SheetLimits()): any failure
// must be a SheetError, what is read must respect the limits; SheetReader.read (format
// detection, then the reader) on the same bytes too.
@testable import Sheets

let limits = SheetLimits()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = input(data, size)
    do { checkLimits(try CSVReader.read(bytes, limits: limits), limits) } catch { check(error is SheetError, "not a SheetError: \(error)") }
    _ = CSVReader.detectSeparator(bytes)
    for sep in [";", ",", "\t"] as [Character] { if let s = try? CSVReader.read(bytes, separator: sep, limits: limits) { checkLimits(s, limits) } }
    _ = SheetReader.detectFormat(bytes)
    do { checkLimits(try SheetReader.read(bytes, limits: limits).sheet, limits) } catch {
        check(error is SheetError, "SheetReader.read: not a SheetError: \(error)")
    }
    return 0
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
