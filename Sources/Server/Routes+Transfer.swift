import Engine
import Foundation
import Hummingbird
import Logging
import Model
import NIOCore
import Sheets
import Store
import Transfer

/// Import and export of the client and contact lists (API.md "Import and export").
///
/// - `GET /v1/import/template?kind=clients|contacts`: the template (.xlsx, header row only).
/// - `POST /v1/import?kind=clients|contacts&mode=preview|commit`: the file as the multipart
///   field `file`, or as the raw body. Stateless: a commit reads and checks the file again.
///   `413` over `maxImportBytes` (2 MiB); `415` for a format that is not xlsx, xls or csv;
///   `422` for a corrupt, truncated, encrypted or hostile file (zip bomb, XML entities), and
///   for a file without a usable header row; the base is left untouched in all these cases.
/// - `POST /v1/export` `{kind, format, encoding, email, password}`: the user named must be an
///   admin of the key's tenant; a wrong password answers `403` after a delay, and repeated
///   failures `429` with `Retry-After`. The file is streamed (chunked) as the export writes it.
extension Routes {
    func addTransferRoutes(to group: RouterGroup<AppRequestContext>) {
        group.get("import/template") { request, context -> Response in
            _ = try context.caller()
            let list = try Self.listParameter(QueryParameters(request.uri.query))
            return Self.file(Exporter.template(list: list))
        }
        group.post("import") { request, context -> Response in
            try await self.handleImport(request, context)
        }
        group.post("export") { request, context -> Response in
            try await self.handleExport(request, context)
        }
    }

    static func listParameter(_ params: QueryParameters) throws -> ImportList {
        guard let raw = try params.get("kind"), !raw.isEmpty else {
            throw Problem.invalidParameter("kind", "Paramètre obligatoire : « clients » ou « contacts ».")
        }
        guard let list = ImportList(rawValue: raw) else {
            throw Problem.invalidParameter("kind", "Valeur attendue : « clients » ou « contacts ».")
        }
        return list
    }

    /// A file download: its type, `Content-Disposition: attachment`, never cached.
    static func file(_ f: TransferFile) -> Response {
        var h = HTTPFields()
        h[.contentType] = f.contentType
        h[.contentDisposition] = "attachment; filename=\"\(f.filename)\""
        h[.cacheControl] = "no-store"
        return Response(status: .ok, headers: h, body: .init(byteBuffer: ByteBuffer(bytes: f.bytes)))
    }

    // MARK: - Import

    func handleImport(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let caller = try context.caller()
        let params = QueryParameters(request.uri.query)
        let list = try Self.listParameter(params)
        let modeRaw = try params.get("mode") ?? "preview"
        guard let mode = Importer.Mode(rawValue: modeRaw) else {
            throw Problem.invalidParameter("mode", "Valeur attendue : « preview » ou « commit ».")
        }
        let fileLimit = config.maxImportBytes
        let bytes: [UInt8]
        if request.mediaType == "multipart/form-data" {
            guard let boundary = Multipart.boundary(request.headers[.contentType] ?? "") else {
                throw Problem.invalidParameter("Content-Type", "Paramètre « boundary » absent de « multipart/form-data ».")
            }
            let body = try await request.collectBody(limit: fileLimit + Multipart.overhead, fileLimit: fileLimit)
            guard let part = Multipart.part(named: "file", in: Array(body.readableBytesView), boundary: boundary) else {
                throw Problem(.badRequest, type: "missing-file", title: "Fichier absent",
                              detail: "Aucun fichier reçu : envoyez-le dans le champ « file » du formulaire.",
                              errors: [.init(field: "file", message: "Champ « file » absent ou vide.")])
            }
            bytes = part
        } else {
            bytes = Array(try await request.collectBody(limit: fileLimit, fileLimit: fileLimit).readableBytesView)
        }
        guard bytes.count <= fileLimit else { throw Problem.fileTooLarge(limit: fileLimit) }
        var sheetLimits = SheetLimits()
        sheetLimits.maxFileBytes = fileLimit
        let limits = sheetLimits
        let tenant = caller.tenant
        do {
            let outcome = try await pool.run {
                try Importer.run(tenant: tenant, list: list, file: bytes, mode: mode, limits: limits, indexTimeout: config.bulkWaitTimeout)
            }
            var headers = HTTPFields()
            if let c = outcome.commit { headers[.labSearchSeq] = String(c.seq) }
            return Self.json(outcome.report.compactJSONBytes(), headers: headers)
        } catch let e as SheetError {
            throw Problem(e, limit: fileLimit)
        } catch let e as ImportFileError {
            throw Problem(.unprocessableContent, type: e.code.rawValue, title: "Fichier non importable", detail: e.message,
                          errors: [.init(field: "file", message: e.message)])
        }
    }

    // MARK: - Export

    func handleExport(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let caller = try context.caller()
        let body = try await request.jsonObject(limit: config.maxBodyBytes)
        var errors: [Problem.FieldErrorInfo] = []
        func string(_ name: String) -> String? {
            switch body[name] {
            case .string(let s)?: return s
            case nil, .null?: return nil
            default: errors.append(.init(field: name, message: "Une chaîne de caractères est attendue.")); return nil
            }
        }
        for k in body.keys where !["kind", "format", "encoding", "email", "password", "query"].contains(k) {
            errors.append(.init(field: k, message: "Champ inconnu."))
        }
        let list = string("kind").flatMap { ImportList(rawValue: $0) }
        if list == nil, !errors.contains(where: { $0.field == "kind" }) {
            errors.append(.init(field: "kind", message: "Valeur attendue : « clients » ou « contacts »."))
        }
        let format = string("format").flatMap { ExportFormat(rawValue: $0) }
        if format == nil, !errors.contains(where: { $0.field == "format" }) {
            errors.append(.init(field: "format", message: "Valeur attendue : « xlsx » ou « csv »."))
        }
        var encoding = ExportEncoding.utf8
        if let e = string("encoding") {
            if let v = ExportEncoding(rawValue: e.lowercased()) { encoding = v } else {
                errors.append(.init(field: "encoding", message: "Valeur attendue : « utf-8 » ou « utf-8-bom »."))
            }
        }
        let email = string("email")?.trimmingCharacters(in: .whitespaces) ?? ""
        if email.isEmpty, !errors.contains(where: { $0.field == "email" }) {
            errors.append(.init(field: "email", message: "L'e-mail de l'administrateur est obligatoire."))
        }
        let password = string("password") ?? ""
        if password.isEmpty, !errors.contains(where: { $0.field == "password" }) {
            errors.append(.init(field: "password", message: "Le mot de passe est obligatoire pour exporter."))
        }
        guard errors.isEmpty, let list, let format else {
            throw Problem(.unprocessableContent, type: "validation", title: "Données invalides",
                          detail: "Certains champs de la demande d'export sont invalides.", errors: errors)
        }
        // The list view to export (API.md "Lists"): same query as `POST /v1/lists/{list}`.
        var view: ListRequest?
        if let q = body["query"], q != .null {
            if case .object(let o) = q, o["group_by"] != nil, o["group_by"] != .null {
                throw Problem.invalidParameter("query.group_by", "Un export suit l'ordre de la liste : retirez le regroupement.")
            }
            view = try ListRequest.parse(q, list: list == .clients ? .clients : .contacts, prefix: "query.",
                                         maxQueryCharacters: config.maxQueryCharacters)
        }

        let tenant = caller.tenant
        let userKey = tenant.name + "\u{1}" + email.lowercased()
        let guardian = exportGuard
        let keyId = caller.keyId
        if let retry = try await pool.run({ try guardian.retryAfter(user: userKey, key: keyId) }) {
            throw Problem.tooManyAttempts(retryAfter: retry)
        }
        let system = engine.system
        let role = try await pool.run { try system.verifyUser(tenant: tenant.name, email: email, password: password) }
        guard let role else {
            try await pool.run { try guardian.recordFailure(user: userKey, key: keyId) }
            try? await Task.sleep(nanoseconds: UInt64(max(0, config.exportFailureDelay) * 1e9))
            throw Problem.forbidden("Identifiants incorrects : l'e-mail ou le mot de passe ne correspond à aucun administrateur de ce compte.")
        }
        try await pool.run { try guardian.recordSuccess(user: userKey) }
        guard role == .admin else {
            throw Problem.forbidden("L'export est réservé aux administrateurs.")
        }
        // The file streams: the export runs on the export pool, page by page, into a pipe of
        // a few 64 KiB chunks that the response body drains (backpressure: a slow client slows
        // the export, memory stays bounded). An error before the first chunk is still a
        // problem+json answer; one after it ends the response early (chunked, no last chunk).
        let csvEncoding = encoding
        let chosenView = view
        let pipe = ChunkPipe(capacity: 4)
        let pool = self.exportPool
        let producer = Task<ExportStats?, Never> {
            do {
                let stats = try await pool.run {
                    try Exporter.write(tenant: tenant, list: list, format: format, encoding: csvEncoding, view: chosenView,
                                       chunkSize: 64 << 10) { try pipe.send($0) }
                }
                pipe.finish(nil)
                return stats
            } catch {
                pipe.finish(error)
                return nil
            }
        }
        let first: [UInt8]?
        do {
            first = try await pipe.next()
        } catch {
            pipe.cancel("export failed")
            throw error
        }
        let logger = Logger(label: "labsearch.export")
        let metadata: Logger.Metadata = ["tenant": .string(tenant.name), "list": .string(list.rawValue), "format": .string(format.rawValue)]
        var h = HTTPFields()
        h[.contentType] = Exporter.contentType(format)
        h[.contentDisposition] = "attachment; filename=\"\(Exporter.filename(list: list, format: format))\""
        h[.cacheControl] = "no-store"
        let responseBody = ResponseBody { writer in
            var sent = 0
            do {
                if let first {
                    try await writer.write(ByteBuffer(bytes: first))
                    sent += first.count
                    while let chunk = try await pipe.next() {
                        try await writer.write(ByteBuffer(bytes: chunk))
                        sent += chunk.count
                    }
                }
                try await writer.finish(nil)
            } catch {
                pipe.cancel("response ended")
                var m = metadata
                m["bytes"] = .stringConvertible(sent)
                m["error"] = .string("\(error)")
                logger.error("export interrupted", metadata: m)
                throw error
            }
            var m = metadata
            m["bytes"] = .stringConvertible(sent)
            if let stats = await producer.value { m["rows"] = .stringConvertible(stats.rows) }
            logger.notice("export", metadata: m)
        }
        return Response(status: .ok, headers: h, body: responseBody)
    }
}

/// Failed export passwords, per user and per API key, over a sliding window: past
/// `maxFailures` (per user; three times as many per key) the export answers `429` with the
/// seconds to wait. The attempts live in `system.sqlite` (`SystemStore.recordAuthFailure`):
/// every process serving the data directory sees the same counters, and a lockout outlasts a
/// restart. Calls block on SQLite: run them on the blocking pool.
struct ExportGuard: Sendable {
    let system: SystemStore
    let maxFailures: Int
    let window: Double

    init(system: SystemStore, maxFailures: Int, window: Double) {
        self.system = system
        self.maxFailures = maxFailures
        self.window = window
    }

    /// Seconds to wait before trying again, or nil when an attempt is allowed.
    func retryAfter(user: String, key: String) throws -> Int? {
        try system.authRetryAfter(user: user, key: key, maxFailures: maxFailures, window: window)
    }

    func recordFailure(user: String, key: String) throws {
        try system.recordAuthFailure(user: user, key: key, window: window)
    }

    func recordSuccess(user: String) throws {
        try system.clearAuthFailures(user: user)
    }
}

extension Problem {
    /// `413` for an import file over the limit, in French with the exact size.
    static func fileTooLarge(limit: Int) -> Problem {
        let message = "Le fichier dépasse la taille maximale autorisée de \(formatBytes(limit)) (\(limit) octets)."
        return Problem(.contentTooLarge, type: "file-too-large", title: "Fichier trop volumineux", detail: message,
                       errors: [.init(field: "file", message: message)])
    }

    /// `429` with `Retry-After`.
    static func tooManyAttempts(retryAfter: Int) -> Problem {
        var h = HTTPFields()
        h[.retryAfter] = String(retryAfter)
        return Problem(.tooManyRequests, type: "too-many-attempts", title: "Trop de tentatives",
                       detail: "Trop d'échecs de mot de passe : réessayez dans \(retryAfter) secondes.", headers: h)
    }

    /// A file the readers refused.
    init(_ e: SheetError, limit: Int) {
        switch e.code {
        case .tooLarge:
            self = .fileTooLarge(limit: limit)
        case .unsupportedFormat:
            self.init(.unsupportedMediaType, type: e.code.rawValue, title: "Format de fichier non pris en charge",
                      detail: e.message + " Formats acceptés : .xlsx, .xls et .csv.", errors: [.init(field: "file", message: e.message)])
        default:
            self.init(.unprocessableContent, type: e.code.rawValue, title: "Fichier illisible",
                      detail: e.message + " Rien n'a été importé.", errors: [.init(field: "file", message: e.message)])
        }
    }
}

extension Request {
    /// The body up to `limit` bytes; beyond it, `413` phrased for an import file of `fileLimit`.
    func collectBody(limit: Int, fileLimit: Int) async throws -> ByteBuffer {
        do {
            return try await collectBody(limit: limit)
        } catch let p as Problem where p.status == .contentTooLarge {
            throw Problem.fileTooLarge(limit: fileLimit)
        }
    }
}

/// Just enough of `multipart/form-data` (RFC 7578) to take one file field out of a body.
enum Multipart {
    /// Room for the part headers and boundaries around a file at the size limit.
    static let overhead = 64 << 10

    static func boundary(_ contentType: String) -> String? {
        for param in contentType.split(separator: ";").dropFirst() {
            let kv = param.split(separator: "=", maxSplits: 1)
            guard kv.count == 2, kv[0].trimmingCharacters(in: .whitespaces).lowercased() == "boundary" else { continue }
            var v = kv[1].trimmingCharacters(in: .whitespaces)
            if v.hasPrefix("\""), v.hasSuffix("\""), v.count >= 2 { v = String(v.dropFirst().dropLast()) }
            return v.isEmpty || v.utf8.count > 200 ? nil : v
        }
        return nil
    }

    /// The content of the first part whose `Content-Disposition` names `name`; nil when absent.
    static func part(named name: String, in body: [UInt8], boundary: String) -> [UInt8]? {
        let delimiter = Array(("--" + boundary).utf8)
        var positions: [Int] = []
        var i = 0
        while let p = find(delimiter, in: body, from: i) {
            positions.append(p)
            i = p + delimiter.count
        }
        guard positions.count >= 2 else { return nil }
        for (a, b) in zip(positions, positions.dropFirst()) {
            var start = a + delimiter.count
            // "--" after the delimiter ends the body.
            if start + 1 < body.count, body[start] == 0x2D, body[start + 1] == 0x2D { break }
            while start < body.count, body[start] == 0x20 || body[start] == 0x09 { start += 1 }
            if start + 1 < body.count, body[start] == 0x0D, body[start + 1] == 0x0A { start += 2 } else if start < body.count, body[start] == 0x0A { start += 1 }
            guard let headerEnd = find([0x0D, 0x0A, 0x0D, 0x0A], in: body, from: start, until: b) else { continue }
            let headers = String(decoding: body[start..<headerEnd], as: UTF8.self)
            guard partName(headers) == name else { continue }
            var end = b
            if end >= 2, body[end - 2] == 0x0D, body[end - 1] == 0x0A { end -= 2 }
            let contentStart = headerEnd + 4
            return contentStart <= end ? Array(body[contentStart..<end]) : []
        }
        return nil
    }

    static func partName(_ headers: String) -> String? {
        for line in headers.split(whereSeparator: { $0 == "\r" || $0 == "\n" }) {
            guard line.lowercased().hasPrefix("content-disposition:") else { continue }
            for param in line.split(separator: ";").dropFirst() {
                let kv = param.split(separator: "=", maxSplits: 1)
                guard kv.count == 2, kv[0].trimmingCharacters(in: .whitespaces).lowercased() == "name" else { continue }
                var v = kv[1].trimmingCharacters(in: .whitespaces)
                if v.hasPrefix("\""), v.hasSuffix("\""), v.count >= 2 { v = String(v.dropFirst().dropLast()) }
                return v
            }
        }
        return nil
    }

    static func find(_ needle: [UInt8], in hay: [UInt8], from: Int, until: Int? = nil) -> Int? {
        let end = min(until ?? hay.count, hay.count)
        guard !needle.isEmpty, end - from >= needle.count else { return nil }
        let first = needle[0]
        var i = from
        while i <= end - needle.count {
            if hay[i] == first {
                var j = 1
                while j < needle.count && hay[i + j] == needle[j] { j += 1 }
                if j == needle.count { return i }
            }
            i += 1
        }
        return nil
    }
}
