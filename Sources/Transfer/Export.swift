import Analysis
import Engine
import Foundation
import Model
import Sheets

public enum ExportFormat: String, Sendable, Hashable, CaseIterable {
    case xlsx, csv
}

/// The csv's encoding (the seed: UTF-8 by default, UTF-8-BOM on request).
public enum ExportEncoding: String, Sendable, Hashable, CaseIterable {
    case utf8 = "utf-8"
    case utf8BOM = "utf-8-bom"
}

/// A file to hand over: its bytes, its media type and a file name.
public struct TransferFile: Sendable {
    public var bytes: [UInt8]
    public var contentType: String
    public var filename: String
}

/// The export of the client list or the contact list: the template's columns with the same
/// headers and value formats (OUI/NON, dates dd/mm/yyyy), then the list's derived columns
/// (PRODUCT.md "List columns"), which the importer ignores. One row per client (with its main
/// contact in the contact columns) or per contact (with its company in the company columns).
public enum Exporter {
    /// Derived columns after the template's, per list.
    public static let derivedClientColumns = ["Contact principal", "Nombre d'événements", "Nombre de contacts", "Actif", "Identifiant"]
    public static let derivedContactColumns = ["Potentiel", "Commercial", "État d'avancement", "Actif", "Contact principal",
                                               "Nombre d'événements", "Identifiant", "Identifiant client"]

    public static func header(_ list: ImportList) -> [String] {
        TransferColumns.template.map(\.header) + (list == .clients ? derivedClientColumns : derivedContactColumns)
    }

    /// The list's rows, header first, as spreadsheet cells.
    public static func rows(tenant: Tenant, list: ImportList) throws -> [[CellValue]] {
        var clients: [String: Record] = [:]
        var contacts: [Record] = []
        var eventsByClient: [String: Int] = [:]
        var eventsByContact: [String: Int] = [:]
        try tenant.forEachRecord(batchSize: 5000) { batch in
            for r in batch {
                switch r.kind {
                case list.companyKind: clients[r.id] = r
                case list.contactKind: contacts.append(r)
                case .event:
                    if let c = r.string("client_id") { eventsByClient[c, default: 0] += 1 }
                    if let c = r.string("contact_id") { eventsByContact[c, default: 0] += 1 }
                default: break
                }
            }
        }
        var contactsByClient: [String: [Record]] = [:]
        for c in contacts { if let cid = c.companyId { contactsByClient[cid, default: []].append(c) } }
        let sortKey: (String?) -> String = { Folding.fold($0 ?? "") }
        var out: [[CellValue]] = [header(list).map { .text($0) }]
        switch list {
        case .clients:
            let sorted = clients.values.sorted { (sortKey($0.string("name")), $0.id) < (sortKey($1.string("name")), $1.id) }
            out.reserveCapacity(sorted.count + 1)
            for company in sorted {
                let its = contactsByClient[company.id] ?? []
                let main = mainContact(its)
                var row = templateCells(company: company, contact: main, createdAt: company.string("created_at"))
                row.append(.text(main.map(fullName) ?? ""))
                row.append(.number(Double(eventsByClient[company.id] ?? 0)))
                row.append(.number(Double(its.count)))
                row.append(.text(company.isActive ? "OUI" : "NON"))
                row.append(.text(company.id))
                out.append(row)
            }
        case .contacts:
            let sorted = contacts.sorted {
                (sortKey($0.string("last_name")), sortKey($0.string("first_name")), $0.id)
                    < (sortKey($1.string("last_name")), sortKey($1.string("first_name")), $1.id)
            }
            out.reserveCapacity(sorted.count + 1)
            for contact in sorted {
                let company = contact.companyId.flatMap { clients[$0] }
                var row = templateCells(company: company, contact: contact, createdAt: contact.string("created_at"))
                row.append(.text(contact.string("potential") ?? ""))
                row.append(.text(contact.string("sales_rep") ?? ""))
                row.append(.text(contact.string("stage") ?? ""))
                row.append(.text(contact.isActive ? "OUI" : "NON"))
                row.append(.text(contact.bool("is_primary") == true ? "OUI" : "NON"))
                row.append(.number(Double(eventsByContact[contact.id] ?? 0)))
                row.append(.text(contact.id))
                row.append(.text(contact.companyId ?? ""))
                out.append(row)
            }
        }
        return out
    }

    /// A company's main contact: the one starred, else the first by id (as the list's
    /// `main_contact` column).
    static func mainContact(_ contacts: [Record]) -> Record? {
        contacts.first { $0.bool("is_primary") == true } ?? contacts.min { $0.id < $1.id }
    }

    static func fullName(_ c: Record) -> String {
        [c.string("first_name"), c.string("last_name")].compactMap { $0 }.joined(separator: " ")
    }

    /// The template's 31 cells of a company and its contact.
    static func templateCells(company: Record?, contact: Record?, createdAt: String?) -> [CellValue] {
        TransferColumns.template.map { column -> CellValue in
            let value: JSONValue?
            switch column.target {
            case .company(let f): value = company?[f]
            case .contact(let f): value = contact?[f]
            case .createdAt: value = createdAt.map { .string($0) }
            }
            guard let v = value else { return .empty }
            switch column.format {
            case .date:
                guard let s = v.stringValue, let d = dateParts(s) else { return .empty }
                return .date(SheetDate(year: d.y, month: d.m, day: d.d))
            case .yesNo:
                return .text(v.boolValue == true ? "OUI" : "NON")
            case .phone:
                return .text(v.stringValue.map(displayPhone) ?? "")
            default:
                switch v {
                case .string(let s): return .text(s)
                case .bool(let b): return .text(b ? "OUI" : "NON")
                case .number(let n): return .text(SheetImport.formatNumber(n))
                default: return .empty
                }
            }
        }
    }

    /// "2024-03-01T09:00:00Z" → (2024, 3, 1): the date part as stored (UTC), so that an
    /// import of "01/03/2024" exports "01/03/2024" again.
    static func dateParts(_ s: String) -> (y: Int, m: Int, d: Int)? {
        let p = s.prefix(10).split(separator: "-")
        guard p.count == 3, let y = Int(p[0]), let m = Int(p[1]), let d = Int(p[2]) else { return nil }
        return (y, m, d)
    }

    /// Phones as people write them (`Identifiers.displayPhone`): "+33612345678" → "06 12 34 56 78".
    static func displayPhone(_ e164: String) -> String { Identifiers.displayPhone(e164) }

    /// Whether a template column already holds this list column's value (it is then not
    /// written twice).
    static func templateCovers(_ c: ListColumn, list: ImportList) -> Bool {
        let template = TransferColumns.template
        switch c.source {
        case .field("created_at"):
            return true
        case .field(let f):
            return template.contains { list == .clients ? $0.target == .company(f) : $0.target == .contact(f) }
        case .mainContact(let f):
            return list == .clients && f != "name" && template.contains { $0.target == .contact(f) }
        case .referenced(_, _, let f):
            return list == .contacts && template.contains { $0.target == .company(f) }
        default:
            return false
        }
    }

    /// The rows of a list view, header first: the template's columns (the file re-imports),
    /// then the view's other columns, in the view's order and with its filters. Read page by page.
    public static func rows(tenant: Tenant, list: ImportList, view: ListRequest) throws -> [[CellValue]] {
        let extra = view.columns.filter { !templateCovers($0, list: list) }
        var out: [[CellValue]] = [TransferColumns.template.map { .text($0.header) } + extra.map { .text($0.label) }]
        try tenant.forEachListRow(view) { page in
            let kind: RecordKind = list == .clients ? .client : .clientContact
            let own = try tenant.records(page.map { RecordKey(kind: kind, id: $0.id) })
            var companies: [RecordKey: Record] = [:]
            if list == .contacts {
                companies = try tenant.records(own.values.compactMap { $0.companyId.map { RecordKey(kind: .client, id: $0) } })
            }
            for row in page {
                guard let record = own[RecordKey(kind: kind, id: row.id)] else { continue }
                var cells: [CellValue]
                if list == .clients {
                    let main = mainContact(try tenant.contacts(ofCompany: record.key))
                    cells = templateCells(company: record, contact: main, createdAt: record.string("created_at"))
                } else {
                    let company = record.companyId.flatMap { companies[RecordKey(kind: .client, id: $0)] }
                    cells = templateCells(company: company, contact: record, createdAt: record.string("created_at"))
                }
                for c in extra { cells.append(cell(row.values[c.name] ?? .null, c)) }
                out.append(cells)
            }
        }
        return out
    }

    /// A list value as a spreadsheet cell: OUI/NON, dates as dates, French phones as written.
    static func cell(_ v: JSONValue, _ c: ListColumn) -> CellValue {
        switch v {
        case .null: return .empty
        case .bool(let b): return .text(b ? "OUI" : "NON")
        case .number(let n): return .number(n)
        case .string(let s):
            if c.type == .date, let d = dateParts(s) { return .date(SheetDate(year: d.y, month: d.m, day: d.d)) }
            if c.isPhone { return .text(displayPhone(s)) }
            return .text(s)
        default: return .text(v.compactJSON())
        }
    }

    /// The file for the list in the format asked (`encoding` applies to csv only); with a
    /// `view`, exactly that list view (`rows(tenant:list:view:)`).
    public static func export(tenant: Tenant, list: ImportList, format: ExportFormat, encoding: ExportEncoding,
                              view: ListRequest? = nil, date: Date = Date()) throws -> TransferFile {
        let rows: [[CellValue]]
        if let view { rows = try Self.rows(tenant: tenant, list: list, view: view) } else { rows = try Self.rows(tenant: tenant, list: list) }
        let stamp = Validator.formatUTC(date).prefix(10)
        let base = (list == .clients ? "clients" : "contacts") + "-" + stamp
        switch format {
        case .xlsx:
            return TransferFile(bytes: XLSXWriter.write(rows: rows, sheetName: list == .clients ? "Clients" : "Contacts"),
                                contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                                filename: base + ".xlsx")
        case .csv:
            let text = rows.map { $0.map(csvText) }
            return TransferFile(bytes: CSVWriter.write(rows: text, separator: ";", bom: encoding == .utf8BOM),
                                contentType: "text/csv; charset=utf-8", filename: base + ".csv")
        }
    }

    static func csvText(_ c: CellValue) -> String {
        switch c {
        case .date(let d): return String(format: "%02d/%02d/%04d", d.day, d.month, d.year)
        default: return SheetImport.text(c) ?? ""
        }
    }

    /// The import template: the header row alone.
    public static func template(list: ImportList) -> TransferFile {
        let rows: [[CellValue]] = [TransferColumns.template.map { .text($0.header) }]
        return TransferFile(bytes: XLSXWriter.write(rows: rows, sheetName: list == .clients ? "Clients" : "Contacts"),
                            contentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                            filename: "modele-import-\(list.rawValue).xlsx")
    }
}
