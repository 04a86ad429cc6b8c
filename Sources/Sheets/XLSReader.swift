// The legacy .xls reader (BIFF5/BIFF8) over FreeXL. Before FreeXL sees the file, our own
// compound-file parser checks it: an encrypted OOXML package (EncryptionInfo stream) or a
// FILEPASS record means a password, and the worksheets' declared and used dimensions are
// bounded, since FreeXL allocates rows × columns cells up front.
import CSheets

public enum XLSReader {
    /// Whether an OLE2 compound file is a password-protected OOXML package (an encrypted
    /// .xlsx is an OLE2 file holding EncryptionInfo and EncryptedPackage streams).
    static func isEncryptedPackage(_ cf: CompoundFile) -> Bool {
        cf.entries.contains { $0.name == "EncryptionInfo" || $0.name == "EncryptedPackage" }
    }

    /// The first worksheet of an .xls workbook.
    public static func read(_ bytes: [UInt8], limits: SheetLimits = SheetLimits()) throws -> Sheet {
        let cf = try CompoundFile(bytes)
        if isEncryptedPackage(cf) { throw SheetError.encrypted }
        guard let stream = try cf.stream(named: "Workbook") ?? cf.stream(named: "Book") else {
            throw SheetError(.unsupportedFormat, "Le fichier n'est pas un classeur Excel (document OLE2 sans classeur).")
        }
        try precheck(stream, limits: limits)

        var handle: UnsafeRawPointer?
        var rowCount: UInt32 = 0, columnCount: UInt32 = 0
        let rc = bytes.withUnsafeBufferPointer { b in
            csheets_xls_open(b.baseAddress, b.count, &handle, &rowCount, &columnCount)
        }
        guard rc == CSHEETS_XLS_OK, let handle else {
            if rc == CSHEETS_XLS_ENCRYPTED { throw SheetError.encrypted }
            if rc == CSHEETS_XLS_TEMPFILE {
                throw SheetError(.corrupt, "Le fichier .xls n'a pas pu être lu (fichier temporaire).")
            }
            throw SheetError.corrupt
        }
        defer { csheets_xls_close(handle) }
        let nRows = Int(rowCount), nCols = Int(columnCount)
        guard nRows <= limits.maxRows else { throw SheetError.tooManyRows(limits.maxRows) }
        guard nCols <= limits.maxColumns else { throw SheetError.tooManyColumns(limits.maxColumns) }

        var rows: [[CellValue]] = []
        rows.reserveCapacity(nRows)
        var cells = 0
        var cell = csheets_cell()
        for r in 0..<nRows {
            var row: [CellValue] = []
            for c in 0..<nCols {
                guard csheets_xls_cell(handle, UInt32(r), UInt32(c), &cell) == 0 else { throw SheetError.corrupt }
                let v: CellValue
                switch cell.type {
                case Int32(CSHEETS_CELL_INT): v = .number(Double(cell.int_value))
                case Int32(CSHEETS_CELL_DOUBLE): v = .number(cell.double_value)
                case Int32(CSHEETS_CELL_TEXT), Int32(CSHEETS_CELL_SST_TEXT):
                    v = cell.text.map { .text(String(cString: $0)) } ?? .empty
                case Int32(CSHEETS_CELL_DATE), Int32(CSHEETS_CELL_DATETIME), Int32(CSHEETS_CELL_TIME):
                    guard let t = cell.text else { v = .empty; break }
                    let s = String(cString: t)
                    var utf8 = Array(s.utf8)
                    let date = utf8.withUnsafeMutableBufferPointer { SheetDate(iso: UnsafeBufferPointer($0)) }
                    v = date.map { .date($0) } ?? .text(s)
                default: v = .empty
                }
                if v != .empty {
                    if row.count < c { row.append(contentsOf: repeatElement(CellValue.empty, count: c - row.count)) }
                    row.append(v)
                }
            }
            cells += row.count
            guard cells <= limits.maxCells else { throw SheetError.tooManyCells(limits.maxCells) }
            rows.append(row)
        }
        while let last = rows.last, last.isEmpty { rows.removeLast() }
        return Sheet(rows: rows)
    }

    /// Walks the BIFF records: FILEPASS → encrypted; each worksheet's extent (its DIMENSION
    /// record and the cells it holds) must fit the limits and the BIFF8 grid.
    static func precheck(_ s: [UInt8], limits: SheetLimits) throws {
        var k = 0
        var sheetIndex = -1 // -1: workbook globals
        var inWorksheet = false
        var rows = 0, cols = 0
        var biff8 = true
        func finishSheet() throws {
            guard inWorksheet else { return }
            inWorksheet = false
            guard rows <= 65536 && cols <= 256 else { throw SheetError.corrupt("dimensions invalides") }
            if rows * cols > limits.maxCells { throw SheetError.tooManyCells(limits.maxCells) }
            if sheetIndex == 0 {
                guard rows <= limits.maxRows else { throw SheetError.tooManyRows(limits.maxRows) }
                guard cols <= limits.maxColumns else { throw SheetError.tooManyColumns(limits.maxColumns) }
            }
        }
        func u16(_ o: Int) -> Int { Int(s[o]) | Int(s[o + 1]) << 8 }
        func u32(_ o: Int) -> Int { u16(o) | u16(o + 2) << 16 }
        while k + 4 <= s.count {
            let type = u16(k), size = u16(k + 2)
            let d = k + 4
            guard d + size <= s.count else { break } // FreeXL judges the tail
            switch type {
            case 0x0809: // BOF
                try finishSheet()
                if size >= 4 {
                    if u16(d) == 0x0500 { biff8 = false }
                    let kind = u16(d + 2)
                    if kind == 0x0010 {
                        sheetIndex += 1
                        inWorksheet = true
                        rows = 0
                        cols = 0
                    }
                }
            case 0x000A: // EOF
                try finishSheet()
            case 0x002F: // FILEPASS
                throw SheetError.encrypted
            case 0x0200 where inWorksheet: // DIMENSION
                if biff8 && size >= 14 {
                    rows = max(rows, u32(d + 4))
                    cols = max(cols, u16(d + 10))
                } else if size >= 10 {
                    rows = max(rows, u16(d + 2))
                    cols = max(cols, u16(d + 6))
                }
            case 0x0203, 0x027E, 0x00FD, 0x0204, 0x0205, 0x0006, 0x0201, 0x00D6:
                // NUMBER, RK, LABELSST, LABEL, BOOLERR, FORMULA, BLANK, RSTRING: row, column
                if inWorksheet && size >= 4 {
                    rows = max(rows, u16(d) + 1)
                    cols = max(cols, u16(d + 2) + 1)
                }
            case 0x00BD, 0x00BE: // MULRK, MULBLANK: row, first column … last column
                if inWorksheet && size >= 6 {
                    rows = max(rows, u16(d) + 1)
                    cols = max(cols, u16(d + size - 2) + 1, u16(d + 2) + 1)
                }
            default:
                break
            }
            k = d + size
        }
        try finishSheet()
    }
}
