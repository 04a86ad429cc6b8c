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

    /// The list's rows, header first, as spreadsheet cells (every row in memory: tests and
    /// small lists; an export streams them with `forEachRow`).
    public static func rows(tenant: Tenant, list: ImportList) throws -> [[CellValue]] {
        var out: [[CellValue]] = []
        try forEachRow(tenant: tenant, list: list, view: nil) { out.append($0) }
        return out
    }

    /// The whole list as the export without a view reads it: every row, inactive ones too,
    /// in the list's default order (clients by name, contacts by last then first name; French
    /// collation, then id), with the counts the list keeps.
    static func wholeList(_ list: ImportList) -> ListRequest {
        let name: ListName = list == .clients ? .clients : .contacts
        var r = ListRequest(list: name)
        r.includeInactive = true
        r.columns = (list == .clients ? ["events_count", "contacts_count"] : ["events_count"]).compactMap { name.column($0) }
        return r
    }

    /// Every row of the export, header first, handed to `body` one at a time. The list is
    /// read page by page (`Tenant.forEachListRow`, 1,000 rows), each page's records fetched
    /// by id: memory is bounded by a page, whatever the list's length. Without a `view`: the
    /// template's columns and the fixed derived columns (`header(_:)`), the whole list; with
    /// one, `rows(tenant:list:view:)`'s columns and rows.
    public static func forEachRow(tenant: Tenant, list: ImportList, view: ListRequest?, _ body: ([CellValue]) throws -> Void) throws {
        let request = view ?? wholeList(list)
        let extra = view?.columns.filter { !templateCovers($0, list: list) } ?? []
        if view != nil {
            try body(TransferColumns.template.map { .text($0.header) } + extra.map { .text($0.label) })
        } else {
            try body(header(list).map { .text($0) })
        }
        let kind: RecordKind = list == .clients ? .client : .clientContact
        try tenant.forEachListRow(request) { page in
            let own = try tenant.records(page.map { RecordKey(kind: kind, id: $0.id) })
            var companies: [RecordKey: Record] = [:]
            if list == .contacts {
                companies = try tenant.records(own.values.compactMap { $0.companyId.map { RecordKey(kind: .client, id: $0) } })
            }
            for row in page {
                guard let record = own[RecordKey(kind: kind, id: row.id)] else { continue }
                var cells: [CellValue]
                func count(_ column: String) -> CellValue { .number(row.values[column]?.numberValue ?? 0) }
                if list == .clients {
                    let main = mainContact(try tenant.contacts(ofCompany: record.key))
                    cells = templateCells(company: record, contact: main, createdAt: record.string("created_at"))
                    if view == nil {
                        cells.append(.text(main.map(fullName) ?? ""))
                        cells.append(count("events_count"))
                        cells.append(count("contacts_count"))
                        cells.append(.text(record.isActive ? "OUI" : "NON"))
                        cells.append(.text(record.id))
                    }
                } else {
                    let company = record.companyId.flatMap { companies[RecordKey(kind: .client, id: $0)] }
                    cells = templateCells(company: company, contact: record, createdAt: record.string("created_at"))
                    if view == nil {
                        cells.append(.text(record.string("potential") ?? ""))
                        cells.append(.text(record.string("sales_rep") ?? ""))
                        cells.append(.text(record.string("stage") ?? ""))
                        cells.append(.text(record.isActive ? "OUI" : "NON"))
                        cells.append(.text(record.bool("is_primary") == true ? "OUI" : "NON"))
                        cells.append(count("events_count"))
                        cells.append(.text(record.id))
                        cells.append(.text(record.companyId ?? ""))
                    }
                }
                for c in extra { cells.append(cell(row.values[c.name] ?? .null, c)) }
                try body(cells)
            }
        }
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
    /// then the view's other columns, in the view's order and with its filters (every row in
    /// memory; an export streams them with `forEachRow`).
    public static func rows(tenant: Tenant, list: ImportList, view: ListRequest) throws -> [[CellValue]] {
        var out: [[CellValue]] = []
        try forEachRow(tenant: tenant, list: list, view: view) { out.append($0) }
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

    /// The media type of an export.
    public static func contentType(_ format: ExportFormat) -> String {
        format == .xlsx ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "text/csv; charset=utf-8"
    }

    /// "clients-2024-03-05.xlsx".
    public static func filename(list: ImportList, format: ExportFormat, date: Date = Date()) -> String {
        (list == .clients ? "clients" : "contacts") + "-" + Validator.formatUTC(date).prefix(10) + "." + format.rawValue
    }

    /// Writes the export to `sink` as it is produced, page by page (`forEachRow` into an
    /// `ExportWriter`): chunks of about `chunkSize` bytes, the last one by the time it
    /// returns. A throw from the sink stops the export and comes out of here.
    @discardableResult
    public static func write(tenant: Tenant, list: ImportList, format: ExportFormat, encoding: ExportEncoding,
                             view: ListRequest? = nil, chunkSize: Int = 64 << 10, sink: @escaping ByteSink) throws -> ExportStats {
        let writer = try ExportWriter(list: list, format: format, encoding: encoding, chunkSize: chunkSize, sink: sink)
        try forEachRow(tenant: tenant, list: list, view: view) { try writer.write($0) }
        try writer.finish()
        return ExportStats(rows: writer.rowCount, bytes: writer.bytesWritten)
    }

    /// The file for the list in the format asked (`encoding` applies to csv only); with a
    /// `view`, exactly that list view. The whole file in memory: `write(…sink:)` streams it.
    public static func export(tenant: Tenant, list: ImportList, format: ExportFormat, encoding: ExportEncoding,
                              view: ListRequest? = nil, date: Date = Date()) throws -> TransferFile {
        var bytes: [UInt8] = []
        try write(tenant: tenant, list: list, format: format, encoding: encoding, view: view, chunkSize: 1 << 20) { bytes += $0 }
        return TransferFile(bytes: bytes, contentType: contentType(format), filename: filename(list: list, format: format, date: date))
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

/// What an export wrote.
public struct ExportStats: Sendable, Hashable {
    /// Rows, the header included.
    public var rows: Int
    public var bytes: Int
}

/// An export's rows into its format, one row at a time: .xlsx (`XLSXStreamWriter`, sheet
/// "Clients" or "Contacts", bold header) or .csv (`;`, dates dd/mm/yyyy, UTF-8 with or
/// without BOM). Bytes go to the sink in chunks of about `chunkSize`.
public final class ExportWriter {
    private let xlsx: XLSXStreamWriter?
    private let csv: CSVStreamWriter?

    public init(list: ImportList, format: ExportFormat, encoding: ExportEncoding, chunkSize: Int = 64 << 10,
                sink: @escaping ByteSink) throws {
        switch format {
        case .xlsx:
            xlsx = try XLSXStreamWriter(sheetName: list == .clients ? "Clients" : "Contacts", chunkSize: chunkSize, sink: sink)
            csv = nil
        case .csv:
            xlsx = nil
            csv = CSVStreamWriter(separator: ";", bom: encoding == .utf8BOM, chunkSize: chunkSize, sink: sink)
        }
    }

    public func write(_ cells: [CellValue]) throws {
        if let xlsx { try xlsx.write(row: cells) } else { try csv!.write(row: cells.map(Exporter.csvText)) }
    }

    public func finish() throws {
        if let xlsx { try xlsx.finish() } else { try csv!.finish() }
    }

    public var rowCount: Int { xlsx?.rowCount ?? csv!.rowCount }
    public var bytesWritten: Int { xlsx?.bytesWritten ?? csv!.bytesWritten }
}
