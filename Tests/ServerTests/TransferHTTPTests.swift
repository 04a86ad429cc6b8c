import Engine
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import HummingbirdTesting
import Model
@testable import Server
import Sheets
import Testing
import Transfer

/// Import and export over HTTP on a live server: the template, preview then commit (multipart
/// and raw bodies), the size limit, hostile files, users and passwords, and the round trip.
@Suite struct TransferHTTPTests {
    static var config: ServerConfig {
        var c = ServerConfig.test
        c.exportFailureDelay = 0.05
        c.exportMaxFailures = 3
        return c
    }

    static let headers = TransferColumns.template.map(\.header)

    /// A csv in the template's layout (`;`, UTF-8).
    static func csv(_ rows: [[String: String]]) -> [UInt8] {
        var out = [headers]
        for r in rows { out.append(headers.map { r[$0] ?? "" }) }
        return CSVWriter.write(rows: out, separator: ";", bom: false)
    }

    static let sampleRows: [[String: String]] = [
        ["Société cliente": "Traiteur Dupont", "SIRET": "732 829 320 00074", "Ville": "Lyon", "Code postal": "69002",
         "Civilité": "Mme", "Prénom du contact": "Léa", "Nom du contact": "Martin", "Email du contact": "lea@dupont.fr",
         "Téléphone direct du contact": "04 78 00 00 01", "Opt-In": "OUI", "Commentaires sur le contact": "Vue au salon ; à rappeler",
         "Catégorie du commentaire contact": "Prospection", "Date de création": "17/05/2023", "Langues société": "Français, Anglais"],
        ["Société cliente": "Traiteur Dupont", "Prénom du contact": "Marc", "Nom du contact": "Petit", "Email du contact": "marc@dupont.fr",
         "Téléphone portable du contact": "06 12 34 56 78", "Opt-In": "NON", "Poste occupé du contact": "Chef \"cuisine\""],
        ["Société cliente": "Hôtel Bellevue", "Ville": "Annecy", "Pays": "France", "Prénom du contact": "Zoé", "Nom du contact": "Roux",
         "Email du contact": "zoe@bellevue.fr", "Situation": "Membre", "Source": "Salon"],
        ["Société cliente": "Sans Contact SARL", "Numéro de TVA": "FR40303265045", "Site web": "www.sanscontact.fr", "Code APE": "5610A"],
    ]

    static func multipart(_ file: [UInt8], filename: String, field: String = "file") -> (ByteBuffer, HTTPFields) {
        let boundary = "----labsearch\(UUID().uuidString)"
        var body: [UInt8] = []
        body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nbonjour\r\n".utf8)
        body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(field)\"; filename=\"\(filename)\"\r\nContent-Type: application/octet-stream\r\n\r\n".utf8)
        body += file
        body += Array("\r\n--\(boundary)--\r\n".utf8)
        var h = HTTPFields()
        h[.contentType] = "multipart/form-data; boundary=\(boundary)"
        return (ByteBuffer(bytes: body), h)
    }

    /// An import's file name is never used (not in a path, not in a header): hostile names are
    /// read like any other, nothing is written anywhere, and no header is injected.
    @Test func hostileImportFileNamesAreIgnored() async throws {
        try await withServer(Self.config) { client, env in
            let before = Set(FileManager.default.subpaths(atPath: env.directory) ?? [])
            let names = ["../../../etc/passwd", "a/b.csv", "x\u{0}.csv", String(repeating: "é", count: 5000) + ".csv",
                         "ok\r\nX-Injected: 1\r\n.csv", "%2e%2e%2fx.csv", "\u{202E}vsc.exe"]
            for name in names {
                let (body, h) = Self.multipart(Self.csv(Self.sampleRows), filename: name)
                let r = try await client.call(.post, "/v1/import?kind=clients&mode=preview", key: env.acmeUser, body: body, headers: h)
                #expect(r.status == .ok, "\(name.prefix(40)): \(r.text.prefix(200))")
                #expect(r.headers[HTTPField.Name("X-Injected")!] == nil)
            }
            let after = Set(FileManager.default.subpaths(atPath: env.directory) ?? [])
            #expect(after.subtracting(before).filter { !$0.hasSuffix("-wal") && !$0.hasSuffix("-shm") && !$0.contains("/index/") }.isEmpty)
            // The export's file name is ours: the list, the date and the extension.
            let x = try await client.call(.get, "/v1/import/template?kind=contacts", key: env.acmeUser)
            #expect(x.headers[.contentDisposition] == "attachment; filename=\"modele-import-contacts.xlsx\"")
        }
    }

    @Test func theTemplateIsAnXlsxWithTheFrenchHeaders() async throws {
        try await withServer(Self.config) { client, env in
            for kind in ["clients", "contacts"] {
                let r = try await client.call(.get, "/v1/import/template?kind=\(kind)", key: env.acmeUser)
                #expect(r.status == .ok)
                #expect(r.contentType == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
                #expect(r.headers[.contentDisposition]?.contains("modele-import-\(kind).xlsx") == true)
                let (format, sheet) = try SheetReader.read(Array(r.body.readableBytesView))
                #expect(format == .xlsx)
                #expect(sheet.rows.first == Self.headers.map { CellValue.text($0) })
            }
            expectProblem(try await client.call(.get, "/v1/import/template", key: env.acmeUser), .badRequest, type: "invalid-parameter", field: "kind")
            #expect(try await client.call(.get, "/v1/import/template?kind=clients").status == .unauthorized)
        }
    }

    @Test func previewWritesNothingAndCommitImportsAndIndexes() async throws {
        try await withServer(Self.config) { client, env in
            let file = Self.csv(Self.sampleRows)
            let (body, h) = Self.multipart(file, filename: "clients.csv")
            let preview = try await client.call(.post, "/v1/import?kind=clients&mode=preview", key: env.acmeUser, body: body, headers: h)
            #expect(preview.status == .ok, "\(preview.text)")
            let p = preview.json
            #expect(p["mode"]?.stringValue == "preview")
            #expect(p["format"]?.stringValue == "csv")
            #expect(p["summary"]?["rows"]?.intValue == 4)
            #expect(p["summary"]?["ok"]?.intValue == 4)
            #expect(p["summary"]?["clients_to_create"]?.intValue == 3)
            #expect(p["summary"]?["contacts_to_create"]?.intValue == 3)
            #expect(p["rows"]?[0]?["row"]?.intValue == 2)
            #expect(p["rows"]?[1]?["client"]?["action"]?.stringValue == "in_file")
            #expect(p["rows"]?[1]?["client"]?["first_row"]?.intValue == 2)
            let tenant = try env.engine.tenant("acme")
            #expect(try tenant.recordCount(.client) == 0)

            // Commit, this time as the raw body in xlsx.
            let xlsx = XLSXWriter.write(rows: [Self.headers.map { CellValue.text($0) }]
                + Self.sampleRows.map { r in Self.headers.map { r[$0].map { CellValue.text($0) } ?? .empty } }, sheetName: "Clients")
            var rawHeaders = HTTPFields()
            rawHeaders[.contentType] = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            let commit = try await client.call(.post, "/v1/import?kind=clients&mode=commit", key: env.acmeUser,
                                               body: ByteBuffer(bytes: xlsx), headers: rawHeaders)
            #expect(commit.status == .ok, "\(commit.text)")
            let c = commit.json
            #expect(c["summary"]?["clients_created"]?.intValue == 3)
            #expect(c["summary"]?["contacts_created"]?.intValue == 3)
            #expect(c["summary"]?["indexed"] == .bool(true))
            let leaId = try #require(c["rows"]?[0]?["contact"]?["id"]?.stringValue)
            let lea = try await client.call(.get, "/v1/client-contacts/\(leaId)", key: env.acmeUser)
            #expect(lea.status == .ok, "\(lea.text)")
            #expect(lea.json["comment"]?.stringValue == "Vue au salon ; à rappeler")
            #expect(lea.json["comment_category"]?.stringValue == "Prospection")
            #expect(lea.json["civility"]?.stringValue == "Madame")
            let search = try await client.call(.get, "/v1/search?q=lea%20martin", key: env.acmeUser)
            #expect(search.text.contains(leaId))

            // The same file again: nothing new.
            let again = try await client.call(.post, "/v1/import?kind=clients&mode=commit", key: env.acmeUser,
                                              body: ByteBuffer(bytes: xlsx), headers: rawHeaders)
            #expect(again.json["summary"]?["clients_created"]?.intValue == 0)
            #expect(again.json["summary"]?["contacts_created"]?.intValue == 0)
            #expect(again.json["summary"]?["skipped"]?.intValue == 4)
            #expect(try tenant.recordCount(.client) == 3)
            #expect(try tenant.recordCount(.clientContact) == 3)
        }
    }

    @Test func badRequestsAndHostileFilesGetClearErrorsAndChangeNothing() async throws {
        try await withServer(Self.config) { client, env in
            let ok = Self.csv(Self.sampleRows)
            expectProblem(try await client.call(.post, "/v1/import?mode=preview", key: env.acmeUser, body: ByteBuffer(bytes: ok)),
                          .badRequest, type: "invalid-parameter", field: "kind")
            expectProblem(try await client.call(.post, "/v1/import?kind=clients&mode=go", key: env.acmeUser, body: ByteBuffer(bytes: ok)),
                          .badRequest, type: "invalid-parameter", field: "mode")
            let (noFile, h) = Self.multipart(ok, filename: "x.csv", field: "other")
            expectProblem(try await client.call(.post, "/v1/import?kind=clients", key: env.acmeUser, body: noFile, headers: h),
                          .badRequest, type: "missing-file", field: "file")

            // Size: 2 MiB exactly is read (and refused for its content); one byte more is 413.
            var big = Array("Société cliente;Nom du contact\r\n".utf8)
            big += [UInt8](repeating: 0x41, count: 2_097_152 - big.count)
            let atLimit = try await client.call(.post, "/v1/import?kind=clients", key: env.acmeUser, body: ByteBuffer(bytes: big))
            #expect(atLimit.status != .contentTooLarge)
            let over = try await client.call(.post, "/v1/import?kind=clients", key: env.acmeUser, body: ByteBuffer(bytes: big + [0x41]))
            expectProblem(over, .contentTooLarge, type: "file-too-large", field: "file")
            #expect(over.json["detail"]?.stringValue?.contains("2 097 152") == true || over.json["detail"]?.stringValue?.contains("2097152") == true)
            let (bigPart, bh) = Self.multipart(big + [0x41], filename: "big.csv")
            expectProblem(try await client.call(.post, "/v1/import?kind=clients", key: env.acmeUser, body: bigPart, headers: bh),
                          .contentTooLarge, type: "file-too-large", field: "file")

            // Hostile or broken files.
            let xlsx = XLSXWriter.write(rows: [Self.headers.map { CellValue.text($0) }, [.text("Acme")]], sheetName: "S")
            let truncated = Array(xlsx.prefix(xlsx.count / 2))
            var random = SystemRandomNumberGenerator()
            let noise = (0..<4096).map { _ in UInt8.random(in: 0...255, using: &random) }
            let doctype = Array("Société cliente;Nom\r\n<!DOCTYPE x [<!ENTITY a 'b'>]>;x\r\n".utf8)
            for (name, bytes) in [("truncated", truncated), ("noise", noise), ("empty", [UInt8]())] {
                let r = try await client.call(.post, "/v1/import?kind=clients&mode=commit", key: env.acmeUser, body: ByteBuffer(bytes: bytes))
                #expect(r.status.code >= 400 && r.status.code < 500, "\(name): \(r.status)")
                #expect(r.contentType?.hasPrefix("application/problem+json") == true, "\(name)")
                #expect(r.json["errors"]?[0]?["field"]?.stringValue == "file", "\(name): \(r.text)")
            }
            // A csv whose cell looks like XML is just text: imported as such, never interpreted.
            let r = try await client.call(.post, "/v1/import?kind=clients&mode=preview", key: env.acmeUser, body: ByteBuffer(bytes: doctype))
            #expect(r.status == .ok)
            let tenant = try env.engine.tenant("acme")
            #expect(try tenant.recordCount(.client) == 0)
            #expect(try tenant.recordCount(.clientContact) == 0)
        }
    }

    @Test func exportNeedsAnAdminsPasswordAndLimitsFailures() async throws {
        try await withServer(Self.config) { client, env in
            try env.engine.system.createUser(tenant: "acme", email: "Admin@Acme.fr", role: .admin, password: "correct horse battery")
            try env.engine.system.createUser(tenant: "acme", email: "user@acme.fr", role: .user, password: "user password 1")
            try env.engine.system.createUser(tenant: "other", email: "boss@other.fr", role: .admin, password: "other password 1")
            func export(_ body: String, key: String? = nil) async throws -> TestResponse {
                try await client.call(.post, "/v1/export", key: key ?? env.acmeUser, json: body)
            }
            expectProblem(try await export(#"{"kind":"everyone","format":"pdf","email":"","password":""}"#), .unprocessableContent, type: "validation", field: "kind")
            let missing = try await export(#"{"kind":"clients","format":"csv"}"#)
            expectProblem(missing, .unprocessableContent, type: "validation", field: "password")
            #expect(missing.text.contains("\"email\""))
            expectProblem(try await export(#"{"kind":"clients","format":"csv","encoding":"latin1","email":"a@b.fr","password":"x"}"#),
                          .unprocessableContent, type: "validation", field: "encoding")

            // A user (not admin) with the right password: 403; another tenant's admin: 403.
            expectProblem(try await export(#"{"kind":"clients","format":"xlsx","email":"user@acme.fr","password":"user password 1"}"#), .forbidden, type: "forbidden")
            expectProblem(try await export(#"{"kind":"clients","format":"xlsx","email":"boss@other.fr","password":"other password 1"}"#), .forbidden, type: "forbidden")

            // The admin: xlsx, then csv with and without BOM.
            let x = try await export(#"{"kind":"clients","format":"xlsx","email":"admin@acme.fr","password":"correct horse battery"}"#)
            #expect(x.status == .ok, "\(x.text)")
            #expect(x.contentType == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
            #expect(x.headers[.contentDisposition]?.hasPrefix("attachment; filename=\"clients-") == true)
            let (_, sheet) = try SheetReader.read(Array(x.body.readableBytesView))
            #expect(sheet.rows.first?.prefix(31).map { $0 } == Self.headers.map { CellValue.text($0) })
            let bom = try await export(#"{"kind":"contacts","format":"csv","encoding":"utf-8-bom","email":"admin@acme.fr","password":"correct horse battery"}"#)
            #expect(bom.contentType?.hasPrefix("text/csv") == true)
            #expect(Array(bom.body.readableBytesView.prefix(3)) == [0xEF, 0xBB, 0xBF])
            #expect(String(decoding: bom.body.readableBytesView.dropFirst(3), as: UTF8.self).hasPrefix("Date de création;Société cliente;SIRET;"))
            let plain = try await export(#"{"kind":"contacts","format":"csv","email":"admin@acme.fr","password":"correct horse battery"}"#)
            #expect(Array(plain.body.readableBytesView.prefix(4)) == Array("Date".utf8))

            // Wrong passwords: 403 after a delay, then 429 with Retry-After, even for the right one.
            let started = Date()
            for _ in 0..<3 {
                expectProblem(try await export(#"{"kind":"clients","format":"csv","email":"admin@acme.fr","password":"wrong"}"#), .forbidden, type: "forbidden")
            }
            #expect(Date().timeIntervalSince(started) >= 0.15)
            let limited = try await export(#"{"kind":"clients","format":"csv","email":"admin@acme.fr","password":"correct horse battery"}"#)
            expectProblem(limited, .tooManyRequests, type: "too-many-attempts")
            #expect(Int(limited.headers[.retryAfter] ?? "") ?? 0 >= 1)
            // An unknown e-mail is answered like a wrong password.
            expectProblem(try await export(#"{"kind":"clients","format":"csv","email":"nobody@acme.fr","password":"whatever1"}"#), .forbidden, type: "forbidden")
        }
    }

    /// The failed-password counters live in system.sqlite: a lockout earned on one server is
    /// seen by a second server (its own engine) on the same data directory, and outlives a
    /// restart of both.
    @Test func aLockoutIsSharedByServersAndOutlivesARestart() async throws {
        let env = try TestEnv.make()
        defer { env.tearDown() }
        try env.engine.system.createUser(tenant: "acme", email: "admin@acme.fr", role: .admin, password: "correct horse battery")
        var logger = Logger(label: "test.server")
        logger.logLevel = .warning
        let wrong = #"{"kind":"clients","format":"csv","email":"admin@acme.fr","password":"wrong"}"#
        let right = #"{"kind":"clients","format":"csv","email":"Admin@acme.fr","password":"correct horse battery"}"#
        func engineOnTheSameDirectory() throws -> Engine {
            var config = EngineConfig(dataDirectory: env.directory)
            config.pollInterval = 0.05
            return try Engine(config: config, logger: logger)
        }
        // Server 1 (the test's engine): three wrong passwords, then 429 even for the right one.
        let first = try await buildApplication(Self.config, engine: env.engine, logger: logger)
        try await first.test(.live) { client in
            for _ in 0..<3 {
                expectProblem(try await client.call(.post, "/v1/export", key: env.acmeAdmin, json: wrong), .forbidden, type: "forbidden")
            }
            expectProblem(try await client.call(.post, "/v1/export", key: env.acmeAdmin, json: right), .tooManyRequests, type: "too-many-attempts")
        }
        // Server 2, another engine (another process's) on the same files: locked out too,
        // and so after a restart (a third engine, opened after the others stopped).
        for round in 0..<2 {
            let engine = try engineOnTheSameDirectory()
            defer { engine.shutdown() }
            if round == 1 { env.engine.shutdown() }
            let app = try await buildApplication(Self.config, engine: engine, logger: logger)
            try await app.test(.live) { client in
                let r = try await client.call(.post, "/v1/export", key: env.acmeAdmin, json: right)
                expectProblem(r, .tooManyRequests, type: "too-many-attempts")
                let wait = Int(r.headers[.retryAfter] ?? "") ?? 0
                #expect(wait > 800 && wait <= 900, "Retry-After \(wait)")
            }
        }
    }

    @Test func anExportImportedIntoAnEmptyTenantGivesBackTheSameValues() async throws {
        try await withServer(Self.config) { client, env in
            try env.engine.system.createUser(tenant: "acme", email: "admin@acme.fr", role: .admin, password: "correct horse battery")
            let (body, h) = Self.multipart(Self.csv(Self.sampleRows), filename: "clients.csv")
            let commit = try await client.call(.post, "/v1/import?kind=clients&mode=commit", key: env.acmeAdmin, body: body, headers: h)
            #expect(commit.json["summary"]?["clients_created"]?.intValue == 3)
            let acme = try env.engine.tenant("acme")
            let other = try env.engine.tenant("other")
            for (format, list) in [("xlsx", "contacts"), ("csv", "clients")] {
                let exported = try await client.call(.post, "/v1/export", key: env.acmeAdmin,
                                                     json: #"{"kind":"\#(list)","format":"\#(format)","email":"admin@acme.fr","password":"correct horse battery"}"#)
                #expect(exported.status == .ok)
                let r = try await client.call(.post, "/v1/import?kind=\(list)&mode=commit", key: env.otherAdmin,
                                              body: ByteBuffer(bytes: Array(exported.body.readableBytesView)))
                #expect(r.status == .ok, "\(r.text)")
                #expect(r.json["summary"]?["errors"]?.intValue == 0, "\(r.text)")
            }
            // Same companies and contacts, field by field (ids, creation times and the main
            // contact flag aside).
            func snapshot(_ t: Tenant) throws -> [String] {
                var out: [String] = []
                try t.forEachRecord { batch in
                    for r in batch {
                        var f = r.fields
                        for k in ["client_id", "created_at", "billing_addresses"] { f.removeValue(forKey: k) }
                        if let c = r.string("created_at") { f["created_day"] = .string(String(c.prefix(10))) }
                        out.append(r.kind.rawValue + " " + JSONValue.object(f).jsonString())
                    }
                }
                return out.sorted()
            }
            let a = try snapshot(acme), b = try snapshot(other)
            #expect(a.count == 6)
            #expect(a == b)
        }
    }
}

/// Each hostile file of `Tests/SheetsTests/Fixtures` sent to the import: a clear 4xx problem
/// naming `file`, and the base untouched (even with `mode=commit`).
@Suite struct HostileImportTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("SheetsTests/Fixtures")

    static let cases: [(file: String, status: Int, type: String)] = [
        ("bomb-honest.xlsx", 422, "zip-bomb"),
        ("bomb-lying.xlsx", 422, "zip-bomb"),
        ("doctype.xlsx", 422, "forbidden-xml"),
        ("xxe.xlsx", 422, "forbidden-xml"),
        ("encrypted.xlsx", 422, "encrypted-file"),
        ("zip-encrypted.xlsx", 422, "encrypted-file"),
        ("truncated.xlsx", 422, "corrupt-file"),
        ("corrupt-zip.xlsx", 422, "corrupt-file"),
        ("bad-crc.xlsx", 422, "corrupt-file"),
        ("too-many-rows.xlsx", 422, "too-many-cells"),
        ("image-renamed.xlsx", 415, "unsupported-format"),
        ("random.bin", 415, "unsupported-format"),
        ("empty.csv", 422, "empty-file"),
    ]

    @Test func hostileFilesAreRefusedAndChangeNothing() async throws {
        try await withServer(TransferHTTPTests.config) { client, env in
            for c in Self.cases {
                let bytes = try Data(contentsOf: Self.fixtures.appendingPathComponent(c.file))
                let (body, h) = TransferHTTPTests.multipart(Array(bytes), filename: c.file)
                let r = try await client.call(.post, "/v1/import?kind=clients&mode=commit", key: env.acmeAdmin, body: body, headers: h)
                #expect(Int(r.status.code) == c.status, "\(c.file): \(r.text)")
                #expect(r.json["type"]?.stringValue == c.type, "\(c.file): \(r.text)")
                #expect(r.json["errors"]?[0]?["field"]?.stringValue == "file", "\(c.file)")
                #expect(r.json["detail"]?.stringValue?.isEmpty == false)
            }
            let tenant = try env.engine.tenant("acme")
            #expect(try tenant.recordCount(.client) == 0)
            #expect(try tenant.indexStatus().storeSeq == 0)
        }
    }
}
