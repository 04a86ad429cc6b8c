// The csv reader on hostile bytes, with the import's limits (SheetLimits()): any failure
// must be a SheetError, what is read must respect the limits; SheetReader.read (format
// detection, then the reader) on the same bytes too.
@testable import Sheets

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = input(data, size)
    checkReader("CSVReader") { try CSVReader.read(bytes, limits: limits) }
    _ = CSVReader.detectSeparator(bytes)
    for sep in [";", ",", "\t"] as [Character] { if let s = try? CSVReader.read(bytes, separator: sep, limits: limits) { checkLimits(s, limits) } }
    checkSheetReader(bytes)
    return 0
}
