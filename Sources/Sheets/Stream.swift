// Writers that take rows one at a time and hand their bytes out in chunks, so a file of any
// length is written with memory bounded by a chunk (and zlib's state), never by the rows.
// The whole-file writers (`XLSXWriter.write`, `CSVWriter.write`) are these writers with a
// sink that collects every chunk.
import CSheets

/// Receives the bytes of a file in order, one chunk at a time. A throw stops the writer (the
/// error comes out of the `write` or `finish` that produced the chunk).
public typealias ByteSink = ([UInt8]) throws -> Void

/// Bytes gathered into chunks of about `chunkSize` before they go to the sink.
final class ChunkedOutput {
    let chunkSize: Int
    private let sink: ByteSink
    private var buffer: [UInt8] = []
    /// Bytes handed to the sink or waiting in the buffer.
    private(set) var count = 0

    init(chunkSize: Int, sink: @escaping ByteSink) {
        self.chunkSize = max(1, chunkSize)
        self.sink = sink
        buffer.reserveCapacity(self.chunkSize)
    }

    @inline(__always) func append(_ b: UInt8) throws {
        buffer.append(b)
        count += 1
        if buffer.count >= chunkSize { try flush() }
    }

    func append<C: Collection>(contentsOf bytes: C) throws where C.Element == UInt8 {
        buffer.append(contentsOf: bytes)
        count += bytes.count
        if buffer.count >= chunkSize { try flush() }
    }

    /// Appends without handing anything to the sink (a file's first few bytes, from an init).
    func prime(_ bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
        count += bytes.count
    }

    func append(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        buffer.append(contentsOf: bytes)
        count += bytes.count
        if buffer.count >= chunkSize { try flush() }
    }

    /// Hands what is buffered to the sink (nothing when empty).
    func flush() throws {
        guard !buffer.isEmpty else { return }
        let chunk = buffer
        buffer.removeAll(keepingCapacity: true)
        try sink(chunk)
    }
}

/// A zip written front to back: small parts whole (sizes and CRC in the local header, deflated
/// unless that does not make them smaller), large parts streamed through zlib with a data
/// descriptor after their data (general purpose flag bit 3). No ZIP64: an archive that would
/// pass 4 GiB (or 65,535 entries) is refused with `SheetError.archiveTooLarge` before the
/// offending bytes are written.
final class ZipStreamWriter {
    /// Largest offset or size a zip without ZIP64 can record (0xFFFFFFFF itself means ZIP64).
    static let maxBytes = 0xFFFF_FFFE
    /// The bound actually applied (tests lower it).
    var limit = ZipStreamWriter.maxBytes

    private let out: ChunkedOutput
    private var central: [UInt8] = []
    private var entryCount = 0
    private var finished = false

    // The streamed entry being written.
    private var current: (name: [UInt8], flags: Int, offset: Int)?
    private var deflater: UnsafeMutableRawPointer?
    private var crc: UInt32 = 0
    private var uncompressed = 0
    private var compressed = 0
    private var scratch: [UInt8]

    init(chunkSize: Int = 64 << 10, sink: @escaping ByteSink) {
        out = ChunkedOutput(chunkSize: chunkSize, sink: sink)
        scratch = [UInt8](repeating: 0, count: max(4096, min(chunkSize, 1 << 20)))
    }

    deinit { if let d = deflater { csheets_deflater_free(d) } }

    /// Bytes of the archive so far (handed to the sink or buffered).
    var bytesWritten: Int { out.count }

    private static let dosTime = 0, dosDate = (0 << 9) | (1 << 5) | 1 // 1980-01-01 00:00: reproducible

    private static func put16(_ a: inout [UInt8], _ v: Int) {
        a.append(UInt8(v & 0xFF)); a.append(UInt8((v >> 8) & 0xFF))
    }
    private static func put32(_ a: inout [UInt8], _ v: Int) {
        put16(&a, v & 0xFFFF); put16(&a, (v >> 16) & 0xFFFF)
    }

    private func check(_ n: Int) throws {
        if n > limit { throw SheetError.archiveTooLarge }
    }

    private func header(_ name: [UInt8], flags: Int, method: Int, crc: UInt32, csize: Int, usize: Int) -> [UInt8] {
        var h: [UInt8] = []
        h.reserveCapacity(30 + name.count)
        Self.put32(&h, 0x0403_4B50)
        Self.put16(&h, 20)
        Self.put16(&h, flags)
        Self.put16(&h, method)
        Self.put16(&h, Self.dosTime)
        Self.put16(&h, Self.dosDate)
        Self.put32(&h, Int(crc))
        Self.put32(&h, csize)
        Self.put32(&h, usize)
        Self.put16(&h, name.count)
        Self.put16(&h, 0)
        h += name
        return h
    }

    private func addCentral(_ name: [UInt8], flags: Int, method: Int, crc: UInt32, csize: Int, usize: Int, offset: Int) throws {
        guard entryCount < 0xFFFF else { throw SheetError.archiveTooLarge }
        Self.put32(&central, 0x0201_4B50)
        Self.put16(&central, 20) // made by: MS-DOS, 2.0
        Self.put16(&central, 20)
        Self.put16(&central, flags)
        Self.put16(&central, method)
        Self.put16(&central, Self.dosTime)
        Self.put16(&central, Self.dosDate)
        Self.put32(&central, Int(crc))
        Self.put32(&central, csize)
        Self.put32(&central, usize)
        Self.put16(&central, name.count)
        Self.put16(&central, 0) // extra
        Self.put16(&central, 0) // comment
        Self.put16(&central, 0) // disk
        Self.put16(&central, 0) // internal attributes
        Self.put32(&central, 0) // external attributes
        Self.put32(&central, offset)
        central += name
        entryCount += 1
    }

    private static func nameFlags(_ name: [UInt8]) -> Int {
        name.allSatisfy { $0 < 0x80 } ? 0 : 0x800 // bit 11: UTF-8 names
    }

    /// A whole entry, its sizes known: deflated unless that does not make it smaller.
    func add(_ name: String, _ content: [UInt8]) throws {
        precondition(current == nil && !finished, "zip entry added while another is open")
        let crc = crc32(content)
        var method = 8
        var payload = [UInt8](repeating: 0, count: csheets_deflate_bound(content.count))
        let n = content.withUnsafeBufferPointer { src in
            payload.withUnsafeMutableBufferPointer { dst in
                csheets_deflate_raw(src.baseAddress, src.count, dst.baseAddress, dst.count, 6)
            }
        }
        if n < 0 || n >= content.count {
            method = 0
            payload = content
        } else {
            payload.removeLast(payload.count - n)
        }
        let nameBytes = Array(name.utf8)
        let flags = Self.nameFlags(nameBytes)
        let offset = out.count
        try check(content.count)
        try check(offset + 30 + nameBytes.count + payload.count)
        try out.append(contentsOf: header(nameBytes, flags: flags, method: method, crc: crc, csize: payload.count, usize: content.count))
        try out.append(contentsOf: payload)
        try addCentral(nameBytes, flags: flags, method: method, crc: crc, csize: payload.count, usize: content.count, offset: offset)
    }

    /// Opens a deflated entry whose content follows through `write`, closed by `endEntry`.
    func beginEntry(_ name: String) throws {
        precondition(current == nil && !finished, "zip entry begun while another is open")
        guard let d = csheets_deflater_new(6) else { throw SheetError.outOfMemory }
        deflater = d
        let nameBytes = Array(name.utf8)
        let flags = Self.nameFlags(nameBytes) | 0x8 // bit 3: sizes and CRC in a data descriptor
        let offset = out.count
        try check(offset + 30 + nameBytes.count)
        current = (nameBytes, flags, offset)
        crc = 0
        uncompressed = 0
        compressed = 0
        try out.append(contentsOf: header(nameBytes, flags: flags, method: 8, crc: 0, csize: 0, usize: 0))
    }

    /// Content of the open entry.
    func write(_ bytes: UnsafeBufferPointer<UInt8>) throws {
        guard current != nil, let d = deflater else { preconditionFailure("zip write without an open entry") }
        guard !bytes.isEmpty else { return }
        try check(uncompressed + bytes.count)
        crc = csheets_crc32(crc, bytes.baseAddress, bytes.count)
        uncompressed += bytes.count
        try run(d, bytes, finish: false)
    }

    func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBufferPointer { try write($0) }
    }

    private func run(_ d: UnsafeMutableRawPointer, _ input: UnsafeBufferPointer<UInt8>, finish: Bool) throws {
        var offset = 0
        while true {
            var consumed = 0, produced = 0
            let rc = scratch.withUnsafeMutableBufferPointer { s in
                csheets_deflater_run(d, input.baseAddress.map { $0 + offset }, input.count - offset, finish ? 1 : 0,
                                     s.baseAddress, s.count, &consumed, &produced)
            }
            offset += consumed
            if consumed == 0 && produced == 0 && Int(rc) == Int(CSHEETS_DEFLATE_MORE) {
                if finish { throw SheetError.outOfMemory } // no progress possible: never expected
                return
            }
            if produced > 0 {
                compressed += produced
                try check(compressed)
                try check(out.count + produced)
                try scratch.withUnsafeBufferPointer { try out.append(UnsafeBufferPointer(rebasing: $0[0..<produced])) }
            }
            switch Int(rc) {
            case Int(CSHEETS_DEFLATE_END):
                return
            case Int(CSHEETS_DEFLATE_MORE):
                if !finish && offset >= input.count && produced < scratch.count { return }
            default:
                throw SheetError.outOfMemory
            }
        }
    }

    /// Ends the open entry: the rest of the deflate stream, then its data descriptor.
    func endEntry() throws {
        guard let entry = current, let d = deflater else { preconditionFailure("zip endEntry without an open entry") }
        try run(d, UnsafeBufferPointer(start: nil, count: 0), finish: true)
        csheets_deflater_free(d)
        deflater = nil
        current = nil
        var descriptor: [UInt8] = []
        Self.put32(&descriptor, 0x0807_4B50)
        Self.put32(&descriptor, Int(crc))
        Self.put32(&descriptor, compressed)
        Self.put32(&descriptor, uncompressed)
        try check(out.count + descriptor.count)
        try out.append(contentsOf: descriptor)
        try addCentral(entry.name, flags: entry.flags, method: 8, crc: crc, csize: compressed, usize: uncompressed, offset: entry.offset)
    }

    /// The central directory and the end record; every byte reaches the sink.
    func finish() throws {
        precondition(current == nil, "zip finished with an entry open")
        guard !finished else { return }
        finished = true
        let cdOffset = out.count
        try check(cdOffset + central.count + 22)
        var end: [UInt8] = []
        Self.put32(&end, 0x0605_4B50)
        Self.put16(&end, 0)
        Self.put16(&end, 0)
        Self.put16(&end, entryCount)
        Self.put16(&end, entryCount)
        Self.put32(&end, central.count)
        Self.put32(&end, cdOffset)
        Self.put16(&end, 0)
        try out.append(contentsOf: central)
        try out.append(contentsOf: end)
        central = []
        try out.flush()
    }
}

/// A one-sheet .xlsx written row by row: the package's small parts first, then the worksheet
/// streamed (deflated) as rows come, strings inline (`t="inlineStr"`, no shared string
/// table, so nothing grows with the rows). Cell formats as `XLSXWriter.write`: bold header
/// (row 1, frozen) when `boldHeader`, dates as serial numbers with a dd/mm/yyyy (hh:mm:ss)
/// format, dates before 1900 as ISO text, NaN and infinities as #NUM!, characters XML cannot
/// carry dropped. An all-empty row is skipped (the next row keeps its number).
///
/// Call `write(row:)` for each row, then `finish()`; the sink receives every byte by the end
/// of `finish`. Over Excel's 1,048,576 rows, or a 4 GiB archive, `write` throws
/// `SheetError.archiveTooLarge` / `tooManyRowsToWrite`.
public final class XLSXStreamWriter {
    public static let maxRows = 1_048_576

    let zip: ZipStreamWriter
    private let boldHeader: Bool
    private var xml: [UInt8] = []
    private let xmlChunk: Int
    private var rowIndex = 0
    private var columnNames: [[UInt8]] = []
    private var finished = false

    /// - Parameters:
    ///   - chunkSize: about how many bytes each call of `sink` receives (the last one fewer).
    public init(sheetName: String, boldHeader: Bool = true, chunkSize: Int = 64 << 10, sink: @escaping ByteSink) throws {
        zip = ZipStreamWriter(chunkSize: chunkSize, sink: sink)
        self.boldHeader = boldHeader
        xmlChunk = max(4096, min(chunkSize, 256 << 10))
        xml.reserveCapacity(xmlChunk + 4096)
        try zip.add("[Content_Types].xml", Array(XLSXParts.contentTypes.utf8))
        try zip.add("_rels/.rels", Array(XLSXParts.rootRels.utf8))
        try zip.add("docProps/core.xml", Array(XLSXParts.core.utf8))
        try zip.add("docProps/app.xml", Array(XLSXParts.app.utf8))
        try zip.add("xl/workbook.xml", Array(XLSXParts.workbook(sheetName: XLSXParts.sanitizeSheetName(sheetName)).utf8))
        try zip.add("xl/_rels/workbook.xml.rels", Array(XLSXParts.workbookRels.utf8))
        try zip.add("xl/styles.xml", Array(XLSXParts.styles.utf8))
        try zip.beginEntry("xl/worksheets/sheet1.xml")
        xml.append(contentsOf: """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
            xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
            """.utf8)
        if boldHeader {
            xml.append(contentsOf: "<sheetViews><sheetView workbookViewId=\"0\"><pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/></sheetView></sheetViews>".utf8)
        }
        xml.append(contentsOf: "<sheetData>".utf8)
    }

    /// Rows written so far (empty ones included).
    public var rowCount: Int { rowIndex }

    /// Bytes of the file so far (handed to the sink or buffered).
    public var bytesWritten: Int { zip.bytesWritten }

    public func write(row: [CellValue]) throws {
        precondition(!finished, "XLSXStreamWriter.write after finish")
        guard rowIndex < Self.maxRows else { throw SheetError.tooManyRowsToWrite(Self.maxRows) }
        rowIndex += 1
        guard row.contains(where: { $0 != .empty }) else { return }
        let rowNumber = Array(String(rowIndex).utf8)
        let bold = boldHeader && rowIndex == 1
        xml.append(contentsOf: "<row r=\"".utf8)
        xml.append(contentsOf: rowNumber)
        xml.append(contentsOf: "\">".utf8)
        for (c, cell) in row.enumerated() {
            if cell == .empty { continue }
            while columnNames.count <= c { columnNames.append(XLSXParts.columnName(columnNames.count)) }
            xml.append(contentsOf: "<c r=\"".utf8)
            xml.append(contentsOf: columnNames[c])
            xml.append(contentsOf: rowNumber)
            xml.append(UInt8(ascii: "\""))
            switch cell {
            case .empty:
                break
            case .text(let s):
                xml.append(contentsOf: (bold ? " s=\"1\" t=\"inlineStr\"><is><t xml:space=\"preserve\">" : " t=\"inlineStr\"><is><t xml:space=\"preserve\">").utf8)
                XLSXParts.appendText(s, to: &xml)
                xml.append(contentsOf: "</t></is></c>".utf8)
            case .number(let d):
                if d.isFinite {
                    xml.append(contentsOf: (bold ? " s=\"1\"><v>" : "><v>").utf8)
                    xml.append(contentsOf: XLSXParts.number(d).utf8)
                    xml.append(contentsOf: "</v></c>".utf8)
                } else {
                    xml.append(contentsOf: (bold ? " s=\"1\" t=\"e\"><v>#NUM!</v></c>" : " t=\"e\"><v>#NUM!</v></c>").utf8)
                }
            case .bool(let b):
                xml.append(contentsOf: (bold ? " s=\"1\" t=\"b\"><v>" : " t=\"b\"><v>").utf8)
                xml.append(b ? UInt8(ascii: "1") : UInt8(ascii: "0"))
                xml.append(contentsOf: "</v></c>".utf8)
            case .error(let e):
                xml.append(contentsOf: (bold ? " s=\"1\" t=\"e\"><v>" : " t=\"e\"><v>").utf8)
                XLSXParts.appendText(e, to: &xml)
                xml.append(contentsOf: "</v></c>".utf8)
            case .date(let date):
                if let serial = date.serial() {
                    let hasTime = date.hour != 0 || date.minute != 0 || date.second != 0
                    let style = (hasTime ? 3 : 2) + (bold ? 2 : 0)
                    xml.append(contentsOf: " s=\"\(style)\"><v>".utf8)
                    xml.append(contentsOf: XLSXParts.number(serial).utf8)
                    xml.append(contentsOf: "</v></c>".utf8)
                } else {
                    // Not representable as a serial (before 1900): written as ISO text.
                    xml.append(contentsOf: (bold ? " s=\"1\" t=\"inlineStr\"><is><t>" : " t=\"inlineStr\"><is><t>").utf8)
                    xml.append(contentsOf: XLSXWriter.isoString(date).utf8)
                    xml.append(contentsOf: "</t></is></c>".utf8)
                }
            }
        }
        xml.append(contentsOf: "</row>".utf8)
        if xml.count >= xmlChunk { try drain() }
    }

    private func drain() throws {
        try zip.write(xml)
        xml.removeAll(keepingCapacity: true)
    }

    /// Ends the sheet and the archive; the sink has every byte when it returns.
    public func finish() throws {
        guard !finished else { return }
        finished = true
        xml.append(contentsOf: "</sheetData></worksheet>".utf8)
        try drain()
        try zip.endEntry()
        try zip.finish()
    }
}

/// A .csv written row by row: RFC 4180 quoting with the given separator, CRLF line ends,
/// optional UTF-8 BOM (as `CSVWriter.write`, which is this writer collecting its chunks).
public final class CSVStreamWriter {
    private let out: ChunkedOutput
    private let sep: [UInt8]
    private var finished = false
    private var rows = 0

    public init(separator: Character = ";", bom: Bool = false, chunkSize: Int = 64 << 10, sink: @escaping ByteSink) {
        out = ChunkedOutput(chunkSize: chunkSize, sink: sink)
        sep = Array(String(separator).utf8)
        if bom { out.prime([0xEF, 0xBB, 0xBF]) }
    }

    public var rowCount: Int { rows }
    public var bytesWritten: Int { out.count }

    public func write(row: [String]) throws {
        precondition(!finished, "CSVStreamWriter.write after finish")
        rows += 1
        for (i, field) in row.enumerated() {
            if i > 0 { try out.append(contentsOf: sep) }
            let u = Array(field.utf8)
            if CSVWriter.needsQuotes(u, sep) {
                var q: [UInt8] = [UInt8(ascii: "\"")]
                q.reserveCapacity(u.count + 4)
                for c in u {
                    q.append(c)
                    if c == UInt8(ascii: "\"") { q.append(c) }
                }
                q.append(UInt8(ascii: "\""))
                try out.append(contentsOf: q)
            } else {
                try out.append(contentsOf: u)
            }
        }
        try out.append(contentsOf: [0x0D, 0x0A] as [UInt8])
    }

    /// Hands the last bytes to the sink.
    public func finish() throws {
        guard !finished else { return }
        finished = true
        try out.flush()
    }
}
