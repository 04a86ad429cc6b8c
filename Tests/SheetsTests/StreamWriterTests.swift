import Foundation
import Testing
@testable import Sheets

/// The stream writers: rows one at a time, bytes to a sink in chunks. Read back through our
/// readers whatever the chunk size; chunks of about the size asked; a failing sink stops the
/// writer; the zip's size limit refused cleanly; openpyxl and Python's zipfile read a streamed
/// workbook of several deflate blocks.
@Suite("stream writers")
struct StreamWriterTests {
    /// Writes `rows` through an XLSXStreamWriter, returning the chunks the sink received.
    static func xlsxChunks(_ rows: [[CellValue]], chunkSize: Int, boldHeader: Bool = true) throws -> [[UInt8]] {
        var chunks: [[UInt8]] = []
        let w = try XLSXStreamWriter(sheetName: "Flux", boldHeader: boldHeader, chunkSize: chunkSize) { chunks.append($0) }
        for row in rows { try w.write(row: row) }
        #expect(w.rowCount == rows.count)
        try w.finish()
        #expect(w.bytesWritten == chunks.reduce(0) { $0 + $1.count })
        return chunks
    }

    static func csvChunks(_ rows: [[String]], chunkSize: Int, bom: Bool) throws -> [[UInt8]] {
        var chunks: [[UInt8]] = []
        let w = CSVStreamWriter(separator: ";", bom: bom, chunkSize: chunkSize) { chunks.append($0) }
        for row in rows { try w.write(row: row) }
        try w.finish()
        #expect(w.bytesWritten == chunks.reduce(0) { $0 + $1.count })
        return chunks
    }

    /// Every chunk but the last holds at least `chunkSize` bytes (one append may pass it).
    static func expectChunked(_ chunks: [[UInt8]], _ chunkSize: Int) {
        #expect(!chunks.isEmpty)
        for c in chunks.dropLast() { #expect(c.count >= chunkSize) }
        #expect(chunks.allSatisfy { !$0.isEmpty })
    }

    @Test(arguments: [1, 7, 4096, 64 << 10])
    func xlsxRoundTripAtAnyChunkSize(chunkSize: Int) throws {
        let chunks = try Self.xlsxChunks(XLSXWriterTests.sample, chunkSize: chunkSize)
        Self.expectChunked(chunks, chunkSize)
        let bytes = chunks.flatMap { $0 }
        let (format, sheet) = try SheetReader.read(bytes)
        #expect(format == .xlsx)
        #expect(sheet.rows == trimmed(XLSXWriterTests.sample))
    }

    @Test func escapingDatesAndNumbers() throws {
        let rows: [[CellValue]] = [
            [t("&<>\"'"), t("  lead and trail  "), t("a\r\nb\rc\nd"), t("_x0041_ and _x00e9_"), t("\u{1}\u{FFFF}x")],
            [d(2024, 2, 29), d(1999, 12, 31, 23, 59, 59), d(1850, 6, 1), n(0.1), n(-12_345_678_901_234), n(1e-300)],
            [n(.nan), n(-.infinity), .bool(true), .bool(false), .error("#N/A")],
        ]
        let bytes = try Self.xlsxChunks(rows, chunkSize: 3, boldHeader: false).flatMap { $0 }
        let sheet = try XLSXReader.read(bytes)
        #expect(sheet.rows == [
            [t("&<>\"'"), t("  lead and trail  "), t("a\r\nb\rc\nd"), t("_x0041_ and _x00e9_"), t("x")],
            [d(2024, 2, 29), d(1999, 12, 31, 23, 59, 59), t("1850-06-01"), n(0.1), n(-12_345_678_901_234), n(1e-300)],
            [.error("#NUM!"), .error("#NUM!"), .bool(true), .bool(false), .error("#N/A")],
        ])
    }

    @Test func emptyListAndHeaderOnly() throws {
        #expect(try XLSXReader.read(Self.xlsxChunks([], chunkSize: 5).flatMap { $0 }).rows == [])
        let header: [[CellValue]] = [[t("Nom"), t("Ville")]]
        #expect(try XLSXReader.read(Self.xlsxChunks(header, chunkSize: 5).flatMap { $0 }).rows == header)
        // Empty rows keep the next row's number.
        let gappy: [[CellValue]] = [[t("a")], [], [e, e], [t("b")]]
        #expect(try XLSXReader.read(Self.xlsxChunks(gappy, chunkSize: 64).flatMap { $0 }).rows == [[t("a")], [], [], [t("b")]])
        #expect(try Self.csvChunks([], chunkSize: 8, bom: false).isEmpty)
        #expect(try Self.csvChunks([], chunkSize: 8, bom: true) == [[0xEF, 0xBB, 0xBF]])
    }

    @Test(arguments: [1, 5, 1 << 16])
    func csvSameBytesAsTheWholeFileWriter(chunkSize: Int) throws {
        let rows = [["Nom", "Remarque"], ["Élodie; \"la\"", "ligne 1\nligne 2"], ["", "=1+1"], [], ["fin"]]
        for bom in [false, true] {
            let chunks = try Self.csvChunks(rows, chunkSize: chunkSize, bom: bom)
            Self.expectChunked(chunks, chunkSize)
            let bytes = chunks.flatMap { $0 }
            #expect(bytes == CSVWriter.write(rows: rows, separator: ";", bom: bom))
            let sheet = try CSVReader.read(bytes)
            #expect(sheet.rows.first == [t("Nom"), t("Remarque")])
            #expect(sheet.rows[1] == [t("Élodie; \"la\""), t("ligne 1\nligne 2")])
        }
    }

    /// Many rows: the sheet passes through several deflate calls and blocks; memory held by
    /// the writer stays a chunk (the sink sees bytes long before the end).
    @Test func manyRowsStreamBeforeTheEnd() throws {
        var received = 0
        var receivedBeforeFinish = 0
        let w = try XLSXStreamWriter(sheetName: "S", chunkSize: 16 << 10) { received += $0.count }
        var expected: [[CellValue]] = []
        for i in 0..<20_000 {
            let row: [CellValue] = [t("Client \(i) « Événements »"), n(Double(i) / 4), d(2000 + i % 30, 1 + i % 12, 1 + i % 28), .bool(i % 2 == 0)]
            try w.write(row: row)
            if i % 997 == 0 { expected.append(row) }
        }
        receivedBeforeFinish = received
        try w.finish()
        #expect(receivedBeforeFinish > received / 2, "\(receivedBeforeFinish) of \(received) before finish")
        // Read back with the same writer and a collecting sink.
        var bytes: [UInt8] = []
        let again = try XLSXStreamWriter(sheetName: "S", chunkSize: 16 << 10) { bytes += $0 }
        for i in 0..<20_000 {
            try again.write(row: [t("Client \(i) « Événements »"), n(Double(i) / 4), d(2000 + i % 30, 1 + i % 12, 1 + i % 28), .bool(i % 2 == 0)])
        }
        try again.finish()
        #expect(bytes.count == received)
        var limits = SheetLimits()
        limits.maxFileBytes = 64 << 20
        let sheet = try XLSXReader.read(bytes, limits: limits)
        #expect(sheet.rows.count == 20_000)
        #expect(stride(from: 0, to: 20_000, by: 997).map { sheet.rows[$0] } == expected)
    }

    struct SinkFailed: Error {}

    @Test func aFailingSinkStopsTheWriter() throws {
        var calls = 0
        let w = try XLSXStreamWriter(sheetName: "S", chunkSize: 1024) { _ in
            calls += 1
            if calls == 3 { throw SinkFailed() }
        }
        #expect(throws: SinkFailed.self) {
            for i in 0..<10_000 { try w.write(row: [t("ligne \(i) avec un peu de texte"), n(Double(i))]) }
        }
        #expect(calls == 3)
        let c = CSVStreamWriter(chunkSize: 10) { _ in throw SinkFailed() }
        #expect(throws: SinkFailed.self) { try c.write(row: ["0123456789abc"]) }
    }

    @Test func pastTheZipLimitTheWriterRefuses() throws {
        var bytes = 0
        let w = try XLSXStreamWriter(sheetName: "S", chunkSize: 4096) { bytes += $0.count }
        w.zip.limit = 200_000 // stands for 4 GiB
        var g = SeededGenerator(seed: 7)
        let code = errorCode {
            for _ in 0..<100_000 {
                // Random text compresses badly: the archive passes the limit soon.
                try w.write(row: [t(String((0..<40).map { _ in Character(Unicode.Scalar(UInt8.random(in: 0x30...0x7A, using: &g))) }))])
            }
        }
        #expect(code == .tooLargeToWrite)
        #expect(bytes <= 200_000)
    }

    /// Python's zipfile checks every entry's CRC (data descriptors included) and openpyxl reads
    /// the streamed sheet of 30,000 rows.
    @Test func pythonReadsAStreamedWorkbook() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sheets-stream-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("flux.xlsx")
        FileManager.default.createFile(atPath: path.path, contents: nil)
        let handle = try FileHandle(forWritingTo: path)
        let w = try XLSXStreamWriter(sheetName: "Flux", chunkSize: 8 << 10) { try handle.write(contentsOf: $0) }
        try w.write(row: [t("Nom"), t("Date"), t("Montant")])
        for i in 1...30_000 { try w.write(row: [t("Société n°\(i) & <Cie>"), d(2024, 1 + i % 12, 1 + i % 28), n(Double(i) + 0.5)]) }
        try w.finish()
        try handle.close()
        let script = """
            import sys, zipfile, openpyxl
            z = zipfile.ZipFile(sys.argv[1])
            assert z.testzip() is None
            info = z.getinfo("xl/worksheets/sheet1.xml")
            assert info.flag_bits & 8, info.flag_bits
            ws = openpyxl.load_workbook(sys.argv[1], read_only=True).worksheets[0]
            rows = list(ws.iter_rows(values_only=True))
            print(len(rows), rows[0][0], rows[1][0], rows[1][1].strftime("%d/%m/%Y"), rows[30000][0], rows[30000][2])
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, path.path]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "python3 with openpyxl is required: \(String(decoding: stderr, as: UTF8.self))")
        #expect(String(decoding: stdout, as: UTF8.self) == "30001 Nom Société n°1 & <Cie> 02/02/2024 Société n°30000 & <Cie> 30000.5\n")
    }
}
