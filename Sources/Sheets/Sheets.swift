/// Spreadsheets in and out: .xlsx, legacy .xls (BIFF8) and .csv read into one `Sheet`, and
/// .xlsx and .csv written from rows. No dependency beyond zlib and FreeXL (through CSheets).
/// Every reader treats its input as hostile: sizes, ratios and counts are bounded, XML
/// document types are refused, and any failure is a `SheetError` with a French message.

/// A calendar date (and time) as a spreadsheet stores it.
public struct SheetDate: Sendable, Hashable {
    public var year: Int
    public var month: Int
    public var day: Int
    public var hour: Int
    public var minute: Int
    public var second: Int
    public init(year: Int, month: Int, day: Int, hour: Int = 0, minute: Int = 0, second: Int = 0) {
        self.year = year; self.month = month; self.day = day
        self.hour = hour; self.minute = minute; self.second = second
    }
}

/// One cell's value. Formulas are read as their cached value.
public enum CellValue: Sendable, Hashable {
    case empty
    case text(String)
    case number(Double)
    case bool(Bool)
    /// A number whose cell format is a date format (xlsx/xls), or a date written by our writer.
    case date(SheetDate)
    /// An error value such as `#DIV/0!`.
    case error(String)
}

/// The first worksheet of a file: `rows[0]` is the sheet's row 1. Rows keep their sheet
/// position (empty rows in between are present as empty arrays); trailing empty cells may be
/// omitted.
public struct Sheet: Sendable, Hashable {
    public var rows: [[CellValue]]
    public init(rows: [[CellValue]]) { self.rows = rows }
}

public enum SheetFormat: String, Sendable, Hashable, CaseIterable {
    case xlsx, xls, csv
}

/// Why a file could not be read. `message` is French and shown to users.
public struct SheetError: Error, Sendable, Hashable, CustomStringConvertible {
    public enum Code: String, Sendable, Hashable {
        case tooLarge = "file-too-large"          // over the byte limit (the caller maps to 413)
        case unsupportedFormat = "unsupported-format"
        case corrupt = "corrupt-file"             // truncated, bad zip, bad XML, bad BIFF
        case zipBomb = "zip-bomb"                 // expansion over the limits
        case forbiddenXML = "forbidden-xml"       // DOCTYPE / entity declarations
        case encrypted = "encrypted-file"         // password-protected workbook
        case empty = "empty-file"
        case tooManyCells = "too-many-cells"
        case tooLargeToWrite = "export-too-large" // a file our writers cannot write (4 GiB zip, Excel's rows)
        case writeFailed = "write-failed"
    }
    public var code: Code
    public var message: String
    public init(_ code: Code, _ message: String) { self.code = code; self.message = message }
    public var description: String { "\(code.rawValue): \(message)" }
}

/// Bounds applied while reading hostile input.
public struct SheetLimits: Sendable, Hashable {
    /// Size of the file itself.
    public var maxFileBytes: Int = 2_097_152
    /// Total uncompressed bytes of the zip entries actually read (xlsx).
    public var maxUncompressedBytes: Int = 64 << 20
    /// Largest compression ratio accepted for one entry (uncompressed / compressed).
    public var maxCompressionRatio: Int = 200
    public var maxRows: Int = 200_000
    public var maxColumns: Int = 512
    public var maxCells: Int = 4_000_000
    public init() {}
}
