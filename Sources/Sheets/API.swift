// Public entry points of the Sheets module.

public enum SheetReader {
    /// The format by content (zip magic → xlsx, OLE2 magic → xls, otherwise text → csv).
    public static func detectFormat(_ bytes: [UInt8]) -> SheetFormat? {
        guard !bytes.isEmpty else { return nil }
        if bytes.count >= 4 && bytes[0] == 0x50 && bytes[1] == 0x4B
            && ((bytes[2] == 0x03 && bytes[3] == 0x04) || (bytes[2] == 0x05 && bytes[3] == 0x06)) {
            return .xlsx
        }
        if CompoundFile.hasSignature(bytes) { return .xls }
        guard let text = try? CSVReader.decode(bytes), !text.isEmpty else { return nil }
        return .csv
    }

    /// Reads the first worksheet of an .xlsx, .xls or .csv file given as bytes.
    public static func read(_ bytes: [UInt8], limits: SheetLimits = SheetLimits()) throws -> (format: SheetFormat, sheet: Sheet) {
        guard bytes.count <= limits.maxFileBytes else { throw SheetError.tooLarge(limits.maxFileBytes) }
        guard !bytes.isEmpty else { throw SheetError.empty }
        if bytes.count >= 4 && bytes[0] == 0x50 && bytes[1] == 0x4B
            && ((bytes[2] == 0x03 && bytes[3] == 0x04) || (bytes[2] == 0x05 && bytes[3] == 0x06)) {
            return (.xlsx, try XLSXReader.read(bytes, limits: limits))
        }
        if CompoundFile.hasSignature(bytes) {
            // An encrypted .xlsx is an OLE2 file too: XLSReader recognises it.
            return (.xls, try XLSReader.read(bytes, limits: limits))
        }
        if bytes.count >= 2 && bytes[0] == 0x50 && bytes[1] == 0x4B {
            throw SheetError.corrupt // a zip signature we do not read (spanned, empty local header…)
        }
        return (.csv, try CSVReader.read(bytes, limits: limits))
    }
}

public enum XLSXWriter {
    /// A one-sheet .xlsx workbook. `.date` cells are written as serial numbers with a
    /// dd/mm/yyyy format; row 1 is styled as a header when `boldHeader` is set.
    ///
    /// Details: strings are inline (`XLSXStreamWriter` writes the same file row by row); characters XML 1.0 cannot carry (C0
    /// controls other than tab, LF, CR; U+FFFE, U+FFFF) are dropped; a date with a time of
    /// day gets a dd/mm/yyyy hh:mm:ss format; a date before 1900 is written as ISO text;
    /// NaN and infinities as the error #NUM!; the sheet name is adjusted to Excel's rules.
    public static func write(rows: [[CellValue]], sheetName: String, boldHeader: Bool = true) -> [UInt8] {
        build(rows: rows, sheetName: sheetName, boldHeader: boldHeader)
    }
}

extension CSVWriter {
    /// RFC 4180 quoting with the given separator, CRLF line ends, optional UTF-8 BOM.
    public static func write(rows: [[String]], separator: Character = ";", bom: Bool = false) -> [UInt8] {
        build(rows: rows, separator: separator, bom: bom)
    }
}
