import Engine
import Foundation
import Model
import Sheets
import Testing
import Transfer

/// The streamed export: page by page from a real tenant into the stream writers (same file as
/// the one built whole, chunks before the end), and 200,000 rows under a memory bound in a
/// process of its own (`labsearch export-probe`: other tests running beside would blur the
/// figure of this one).
@Suite struct StreamExportTests {
    func withTenant(_ body: (Tenant) throws -> Void) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("labsearch-export-\(UUID().uuidString)").path
        let engine = try Engine(config: EngineConfig(dataDirectory: dir))
        defer { engine.shutdown(); try? FileManager.default.removeItem(atPath: dir) }
        try body(try engine.createTenant("acme"))
    }

    /// 2,500 clients (past two pages of the list) with a contact each, one client inactive.
    static func ndjson(clients: Int) -> Data {
        var lines: [String] = []
        for i in 0..<clients {
            let active = i == 7 ? #","active":false"# : ""
            lines.append(#"{"op":"upsert","type":"client","id":"c\#(i)","record":{"name":"Société \#(i) « Lyon »","city":"Lyon"\#(active)}}"#)
            lines.append(#"{"op":"upsert","type":"client_contact","id":"k\#(i)","record":{"client_id":"c\#(i)","first_name":"Léa","last_name":"Martin \#(i)","email":"lea\#(i)@exemple.fr","is_primary":true}}"#)
        }
        return Data(lines.joined(separator: "\n").utf8)
    }

    @Test func pagesStreamIntoTheSameFileAsTheWholeOne() throws {
        try withTenant { tenant in
            let loaded = tenant.bulk(ndjson: Self.ndjson(clients: 2_500))
            #expect(loaded.errors.isEmpty)
            for format in ExportFormat.allCases {
                let whole = try Exporter.export(tenant: tenant, list: .clients, format: format, encoding: .utf8)
                var chunks: [[UInt8]] = []
                let stats = try Exporter.write(tenant: tenant, list: .clients, format: format, encoding: .utf8, chunkSize: 8 << 10) {
                    chunks.append($0)
                }
                #expect(stats.rows == 2_501)
                #expect(chunks.count > 4)
                #expect(chunks.flatMap { $0 } == whole.bytes)
                #expect(stats.bytes == whole.bytes.count)
                let sheet = try SheetReader.read(whole.bytes, limits: { var l = SheetLimits(); l.maxFileBytes = 64 << 20; return l }()).sheet
                #expect(sheet.rows.count == 2_501)
                // The whole list, inactive client included, in the list's order (by name).
                let ids = sheet.rows.dropFirst().compactMap { row -> String? in
                    if case .text(let s)? = row.last { return s }
                    return nil
                }
                #expect(Set(ids).count == 2_500)
                #expect(ids.first == "c0" && ids.contains("c7"))
                let activeColumn = Exporter.header(.clients).firstIndex(of: "Actif")!
                #expect(sheet.rows.dropFirst().filter { $0[activeColumn] == .text("NON") }.count == 1)
            }
        }
    }

    /// The binary built beside the test bundle (`swift build --build-tests` builds both).
    static func labsearchBinary() -> URL? {
        let candidates = [CommandLine.arguments.first, Bundle.main.executablePath].compactMap { $0 }
        for c in candidates {
            var dir = URL(fileURLWithPath: c).resolvingSymlinksInPath().deletingLastPathComponent()
            for _ in 0..<4 {
                let bin = dir.appendingPathComponent("labsearch")
                if FileManager.default.isExecutableFile(atPath: bin.path) { return bin }
                dir = dir.deletingLastPathComponent()
            }
        }
        return nil
    }

    /// 200,000 rows (18 columns of the client export's shapes: accented text, quotes, line
    /// breaks, phones, e-mails, dates, numbers) through the export's writer: the process's
    /// peak resident set grows by less than 64 MiB while the file passes 10 MB. Kept in debug
    /// builds under ~20 s by the column count.
    @Test(arguments: ["xlsx", "csv"])
    func twoHundredThousandRowsUnderAMemoryBound(format: String) throws {
        let bin = try #require(Self.labsearchBinary(), "labsearch binary not found beside the tests")
        let process = Process()
        process.executableURL = bin
        process.arguments = ["export-probe", "--rows", "200000", "--columns", "18", "--format", format]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "\(String(decoding: stderr, as: UTF8.self))")
        let json = try #require(try JSONSerialization.jsonObject(with: stdout) as? [String: Any])
        let rows = json["rows"] as? Int ?? 0, bytes = json["bytes"] as? Int ?? 0
        let before = json["rss_before"] as? Int ?? 0, peak = json["hwm_after"] as? Int ?? 0
        let growth = peak - before
        print("export-probe \(format): \(rows) rows, \(bytes) bytes, peak RSS growth \(growth >> 10) KiB (reset: \(json["hwm_reset"] ?? "?")), \(json["seconds"] ?? "?") s")
        #expect(rows == 200_001)
        #expect(bytes > 10_000_000)
        #expect(before > 0 && peak > 0)
        #expect(growth < 64 << 20, "peak RSS grew by \(growth) bytes")
        #expect((json["largest_chunk"] as? Int ?? .max) < 1 << 20)
    }
}
