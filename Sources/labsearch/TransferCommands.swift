import ArgumentParser
import Engine
import Foundation
import Model
import Sheets
import Store
import Transfer

/// `labsearch import-template`: the import template (.xlsx, the French headers of the seed).
struct ImportTemplateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "import-template", abstract: "Write the import template (.xlsx).")
    @Option(help: "clients or contacts.") var kind: String = "clients"
    @Option(help: "Output file.") var out: String
    @Option(help: "A list query (JSON, as POST /v1/lists takes it): export exactly that view.") var query: String?

    func validate() throws {
        guard ImportList(rawValue: kind) != nil else { throw ValidationError("--kind must be clients or contacts.") }
    }

    func run() throws {
        let file = Exporter.template(list: ImportList(rawValue: kind)!)
        try Data(file.bytes).write(to: URL(fileURLWithPath: out))
    }
}

/// `labsearch import`: previews or imports a client or contact list (.xlsx, .xls, .csv).
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a client or contact list (.xlsx, .xls or .csv), or preview it.",
        discussion: """
            Prints a readable report (--json: the HTTP API's report). Rows whose company or \
            contact already exists are skipped, never overwritten.
            Exit status: 0 every row imported or skipped, 1 some rows in error, 2 the file could not be read.
            """
    )
    @OptionGroup var data: DataOptions
    @Option(help: "Tenant name.") var tenant: String
    @Option(help: "clients or contacts.") var kind: String
    @Flag(help: "Check the file and show what would be imported, without importing.") var preview = false
    @Flag(help: "Print the JSON report.") var json = false
    @Option(help: "Rows of the report to list (errors, skipped rows and likely duplicates first).") var show: Int = 30
    @Argument(help: "The file (at most 2 MiB).") var file: String

    func validate() throws {
        guard ImportList(rawValue: kind) != nil else { throw ValidationError("--kind must be clients or contacts.") }
    }

    func run() throws {
        let list = ImportList(rawValue: kind)!
        guard let bytes = FileManager.default.contents(atPath: file) else { failCLI("impossible de lire \(file)", status: 2) }
        let engine = try openEngine(data)
        defer { engine.shutdown() }
        let t = openTenant(engine, tenant)
        let bar = ProgressBar(total: 1, label: preview ? "analyse" : "import")
        let outcome: Importer.Outcome
        do {
            outcome = try Importer.run(tenant: t, list: list, file: Array(bytes), mode: preview ? .preview : .commit, indexTimeout: 3600) { done, total in
                bar.update(fraction: Double(done) / Double(max(total, 1)))
            }
        } catch let e as SheetError {
            failCLI(e.message, status: 2)
        } catch let e as ImportFileError {
            failCLI(e.message, status: 2)
        }
        bar.finish()
        if json {
            print(String(decoding: outcome.report.compactJSONBytes(), as: UTF8.self))
        } else {
            print(Self.render(outcome, file: file, show: show))
        }
        if outcome.plan.count(.error) > 0 { throw ExitCode(1) }
    }

    static func render(_ o: Importer.Outcome, file: String, show: Int) -> String {
        var lines: [String] = []
        let name = (file as NSString).lastPathComponent
        lines.append("Fichier : \(name) (\(o.format.rawValue)), en-tête à la ligne \(o.header.row), \(o.header.mapped.count) colonnes reconnues"
                     + (o.header.ignored.isEmpty ? "." : ", \(o.header.ignored.count) ignorées : " + o.header.ignored.prefix(6).map { "« \($0.header) »" }.joined(separator: ", ")
                        + (o.header.ignored.count > 6 ? "…" : "") + "."))
        let p = o.plan
        lines.append("Lignes : \(p.rows.count) — \(p.count(.ok)) à importer, \(p.count(.skipped)) ignorées (déjà présentes), \(p.count(.error)) en erreur.")
        if let c = o.commit {
            lines.append("Importé : \(c.companiesCreated) sociétés clientes et \(c.contactsCreated) contacts créés" + (c.indexed ? ", indexés." : " (indexation en cours)."))
        } else {
            lines.append("À créer : \(p.companiesToCreate) sociétés clientes et \(p.contactsToCreate) contacts. (Aperçu : rien n'a été importé.)")
        }
        var detail: [String] = []
        for r in p.rows where r.status == .error {
            detail.append("Ligne \(r.row) : erreur — " + r.errors.map { "\(ImportReport.templateHeader($0.field) ?? $0.field) : \($0.message)" }.joined(separator: " ; "))
        }
        for r in p.rows where r.status == .skipped {
            detail.append("Ligne \(r.row) : ignorée — \(r.message ?? "")")
        }
        for r in p.rows where r.status == .ok && (!r.duplicates.isEmpty || !r.inFileDuplicates.isEmpty) {
            var parts = r.duplicates.prefix(3).map { "\($0.kind.rawValue) \($0.id) (\(String(format: "%.2f", $0.score)) : \($0.reasons.map(\.rawValue).joined(separator: ", ")))" }
            parts += r.inFileDuplicates.prefix(3).map { "ligne \($0.row) du fichier (\($0.reasons.map(\.rawValue).joined(separator: ", ")))" }
            detail.append("Ligne \(r.row) : doublon probable — " + parts.joined(separator: " ; "))
        }
        lines += detail.prefix(max(0, show))
        if detail.count > show { lines.append("… et \(detail.count - show) autres lignes à examiner (--show N, ou --json).") }
        return lines.joined(separator: "\n")
    }
}

/// `labsearch export`: the client or contact list as .xlsx or .csv. The command line is the
/// operator's: no password is asked (the HTTP export asks an admin's).
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "Export the client or contact list (.xlsx or .csv).")
    @OptionGroup var data: DataOptions
    @Option(help: "Tenant name.") var tenant: String
    @Option(help: "clients or contacts.") var kind: String
    @Option(help: "xlsx or csv.") var format: String = "xlsx"
    @Option(help: "csv only: utf-8 or utf-8-bom.") var encoding: String = "utf-8"
    @Option(help: "Output file.") var out: String
    @Option(help: "A list query (JSON, as POST /v1/lists takes it): export exactly that view.") var query: String?

    func validate() throws {
        guard ImportList(rawValue: kind) != nil else { throw ValidationError("--kind must be clients or contacts.") }
        guard ExportFormat(rawValue: format) != nil else { throw ValidationError("--format must be xlsx or csv.") }
        guard ExportEncoding(rawValue: encoding) != nil else { throw ValidationError("--encoding must be utf-8 or utf-8-bom.") }
    }

    func run() throws {
        let engine = try openEngine(data)
        defer { engine.shutdown() }
        let t = openTenant(engine, tenant)
        let list = ImportList(rawValue: kind)!
        let view = query.map { parseListQuery($0, list: list == .clients ? .clients : .contacts) }
        // Written as it is produced into a temporary file beside --out, renamed over it at the
        // end: a failed export leaves no half file (and an older file of that name intact).
        let target = URL(fileURLWithPath: out)
        let temp = target.deletingLastPathComponent()
            .appendingPathComponent(".\(target.lastPathComponent).\(ProcessInfo.processInfo.processIdentifier).tmp")
        guard FileManager.default.createFile(atPath: temp.path, contents: nil) else {
            failCLI("impossible de créer \(temp.path).", status: 2)
        }
        do {
            let handle = try FileHandle(forWritingTo: temp)
            defer { try? handle.close() }
            try Exporter.write(tenant: t, list: list, format: ExportFormat(rawValue: format)!,
                               encoding: ExportEncoding(rawValue: encoding)!, view: view) { chunk in
                try handle.write(contentsOf: chunk)
            }
            try handle.synchronize()
            try handle.close()
            if rename(temp.path, target.path) != 0 {
                throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: target.path])
            }
        } catch {
            try? FileManager.default.removeItem(at: temp)
            throw error
        }
    }
}

/// `labsearch list`: a list query (API.md "Lists") on the command line, printed as JSON.
struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Run a list query (JSON as POST /v1/lists takes it) and print the answer.")
    @OptionGroup var data: DataOptions
    @Option(help: "Tenant name.") var tenant: String
    @Argument(help: "clients, contacts, partners, partner-contacts, events or products.") var list: String
    @Argument(help: "The query, e.g. '{\"filters\":[{\"column\":\"city\",\"op\":\"eq\",\"values\":[\"Lyon\"]}]}'.") var query: String = "{}"

    func run() throws {
        guard let name = ListName(rawValue: list) else { failCLI("liste inconnue « \(list) ».", status: 2) }
        let engine = try openEngine(data)
        defer { engine.shutdown() }
        let t = openTenant(engine, tenant)
        do {
            print(try t.list(parseListQuery(query, list: name)).json.compactJSON())
        } catch let e as EngineError {
            failCLI(e.message, status: 2)
        }
    }
}

/// The tenant named on the command line, or exit 2 with the engine's message.
func openTenant(_ engine: Engine, _ name: String) -> Tenant {
    do { return try engine.tenant(name) } catch let e as EngineError { failCLI(e.message, status: 2) } catch { failCLI("\(error)", status: 2) }
}

/// A list query given as JSON on the command line, or exit 2 naming what is wrong.
func parseListQuery(_ json: String, list: ListName) -> ListRequest {
    guard let body = try? JSONValue.parseFast(json) else { failCLI("requête JSON invalide.", status: 2) }
    do { return try ListRequest.parse(body, list: list) } catch let e as EngineError { failCLI(e.message, status: 2) } catch { failCLI("\(error)", status: 2) }
}

/// `labsearch user create|list|delete|password`: the CRM's users of a tenant (the export asks
/// an admin's password). Passwords are stored as Argon2id hashes.
struct UserCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user",
        abstract: "Manage users (their password is asked again for exports).",
        subcommands: [Create.self, List.self, Delete.self, Password.self]
    )

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a user; the password is asked when --password is not given.")
        @OptionGroup var data: DataOptions
        @Option var tenant: String
        @Option var email: String
        @Option(help: "admin or user.") var role: String = "user"
        @Option(help: "The password (else asked on the terminal, or read from standard input).") var password: String?

        func validate() throws {
            guard APIRole(rawValue: role) != nil else { throw ValidationError("--role must be admin or user.") }
        }

        func run() throws {
            let system = try SystemStore(dataDirectory: data.directory)
            let pwd = try password ?? askPassword(confirm: true)
            do {
                try system.createUser(tenant: tenant, email: email, role: APIRole(rawValue: role)!, password: pwd)
            } catch let e as StoreError {
                failCLI(e.description)
            }
            print("Utilisateur « \(email.lowercased()) » (\(role)) créé pour le tenant « \(tenant) ».")
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a tenant's users.")
        @OptionGroup var data: DataOptions
        @Option var tenant: String

        func run() throws {
            let system = try SystemStore(dataDirectory: data.directory)
            for u in try system.listUsers(tenant: tenant) { print("\(u.email)\t\(u.role.rawValue)\t\(u.createdAt)") }
        }
    }

    struct Delete: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a user.")
        @OptionGroup var data: DataOptions
        @Option var tenant: String
        @Option var email: String

        func run() throws {
            let system = try SystemStore(dataDirectory: data.directory)
            do { try system.deleteUser(tenant: tenant, email: email) } catch let e as StoreError { failCLI(e.description) }
        }
    }

    struct Password: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change a user's password.")
        @OptionGroup var data: DataOptions
        @Option var tenant: String
        @Option var email: String
        @Option(help: "The new password (else asked).") var password: String?

        func run() throws {
            let system = try SystemStore(dataDirectory: data.directory)
            let pwd = try password ?? askPassword(confirm: true)
            do { try system.setPassword(tenant: tenant, email: email, password: pwd) } catch let e as StoreError { failCLI(e.description) }
        }
    }
}

/// Reads a password without echo on a terminal, else one line of standard input.
func askPassword(confirm: Bool) throws -> String {
    if isatty(0) != 0 {
        guard let p = getpass("Mot de passe : ") else { throw ExitCode(1) }
        let first = String(cString: p)
        if confirm {
            guard let q = getpass("Confirmez le mot de passe : "), String(cString: q) == first else {
                failCLI("les deux mots de passe diffèrent.")
            }
        }
        return first
    }
    guard let line = readLine(strippingNewline: true), !line.isEmpty else { failCLI("mot de passe attendu sur l'entrée standard.") }
    return line
}

/// `labsearch export-probe` (hidden): the streamed export's writer fed `--rows` synthetic rows
/// shaped like the client export (the template's 31 columns and the 5 derived ones: accented
/// text, phones, e-mails, dates, numbers), into a sink that counts bytes and rows and checks
/// nothing is held. Prints one JSON line with the rows, the bytes and the process's memory
/// (VmRSS before, the peak VmHWM after, reset through /proc/self/clear_refs when allowed), so
/// a test can bound the memory of a 200,000-row export in a process of its own.
struct ExportProbeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export-probe", abstract: "Measure the streamed export's memory on synthetic rows.",
                                                    shouldDisplay: false)
    @Option(help: "Data rows.") var rows: Int = 200_000
    @Option(help: "xlsx or csv.") var format: String = "xlsx"
    @Option(help: "Columns per row (at most 36, the client export's).") var columns: Int = 36
    @Option(help: "Also write the file here (to check it).") var out: String?

    static func status(_ field: String) -> Int {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return -1 }
        for line in text.split(separator: "\n") where line.hasPrefix(field + ":") {
            return (Int(line.dropFirst(field.count + 1).trimmingCharacters(in: .whitespaces).split(separator: " ")[0]) ?? -1) * 1024
        }
        return -1
    }

    func run() throws {
        guard let fmt = ExportFormat(rawValue: format) else { throw ValidationError("--format must be xlsx or csv.") }
        let cities = ["Paris", "Lyon", "Saint-Étienne", "Besançon", "Orléans", "Nîmes", "Lille", "Nantes", "Aix-en-Provence"]
        let names = ["Crêperie Élodie", "L’Atelier & Cie", "Œuvres \"Cèdre\"", "Société Générale d'Événements", "Nord; Sud"]
        let width = max(1, columns)
        func row(_ i: Int) -> [CellValue] {
            var cells: [CellValue] = [.date(SheetDate(year: 2000 + i % 25, month: 1 + i % 12, day: 1 + i % 28))]
            cells.append(.text("\(names[i % names.count]) \(i)"))
            cells.append(.text(String(format: "%014d", 73282932000074 + i)))
            for c in 3..<31 {
                switch c % 5 {
                case 0: cells.append(.text(cities[(i + c) % cities.count]))
                case 1: cells.append(.text("06 \(10 + i % 90) \(10 + c) 34 56"))
                case 2: cells.append(.text("contact\(i)-\(c)@exemple.fr"))
                case 3: cells.append(i % 7 == c % 7 ? .empty : .text(i % 2 == 0 ? "OUI" : "NON"))
                default: cells.append(.text("Rue \(c) de la République\n\(i)"))
                }
            }
            cells += [.text("Élodie Le Gall"), .number(Double(i % 13)), .number(Double(i % 5)), .text("OUI"), .text("cl_\(i)")]
            return width < cells.count ? Array(cells.prefix(width)) : cells
        }
        let file: FileHandle? = try out.map { path in
            guard FileManager.default.createFile(atPath: path, contents: nil) else { throw ValidationError("cannot create \(path)") }
            return try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        }
        defer { try? file?.close() }
        // Peak resident set from here on: clear_refs "5" resets VmHWM to the current RSS.
        let rssBefore = Self.status("VmRSS")
        let reset = (try? "5".write(toFile: "/proc/self/clear_refs", atomically: false, encoding: .utf8)) != nil
        var chunks = 0, largest = 0
        let started = Date()
        let writer = try ExportWriter(list: .clients, format: fmt, encoding: .utf8) { chunk in
            chunks += 1
            largest = max(largest, chunk.count)
            try file?.write(contentsOf: chunk)
        }
        try writer.write(Exporter.header(.clients).prefix(width).map { .text($0) })
        for i in 0..<rows { try writer.write(row(i)) }
        try writer.finish()
        let seconds = Date().timeIntervalSince(started)
        let hwmAfter = Self.status("VmHWM")
        let json: JSONValue = .object([
            "rows": .number(Double(writer.rowCount)), "bytes": .number(Double(writer.bytesWritten)),
            "chunks": .number(Double(chunks)), "largest_chunk": .number(Double(largest)),
            "rss_before": .number(Double(rssBefore)), "hwm_after": .number(Double(hwmAfter)), "hwm_reset": .bool(reset),
            "seconds": .number(seconds),
        ])
        print(json.compactJSON())
    }
}
