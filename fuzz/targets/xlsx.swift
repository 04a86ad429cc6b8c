// The xlsx reader on hostile bytes, with the import's limits (SheetLimits()): any failure
// must be a SheetError, what is read must respect the limits; SheetReader.read (format
// detection, then the reader) on the same bytes too.
@testable import Sheets

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = input(data, size)
    checkReader("XLSXReader") { try XLSXReader.read(bytes, limits: limits) }
    checkSheetReader(bytes)
    return 0
}
