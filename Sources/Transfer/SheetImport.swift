import Engine
import Foundation
import Model
import Sheets

/// A file that cannot be imported as a whole (no recognisable header, nothing to import…).
/// `message` is French.
public struct ImportFileError: Error, Sendable, Hashable {
    public enum Code: String, Sendable {
        case noHeader = "no-header"
        case missingColumn = "missing-column"
        case noRows = "no-rows"
        case tooManyRows = "too-many-rows"
    }
    public var code: Code
    public var message: String
    /// The template columns that are missing (`missingColumn`).
    public var columns: [String] = []
}

/// How a file's columns were understood.
public struct ImportHeader: Sendable, Hashable {
    /// The header row, as in the sheet (1-based).
    public var row: Int
    /// Sheet column (0-based) → the template column it fills.
    public var mapped: [(index: Int, header: String, column: TransferColumn)]
    /// Columns the importer ignores (unknown headers, or a second column for the same field).
    public var ignored: [(index: Int, header: String)]

    public static func == (a: ImportHeader, b: ImportHeader) -> Bool {
        a.row == b.row && a.mapped.map(\.index) == b.mapped.map(\.index) && a.ignored.map(\.index) == b.ignored.map(\.index)
    }
    public func hash(into h: inout Hasher) { h.combine(row); h.combine(mapped.map(\.index)) }
}

/// Reads a sheet into import rows: finds the header row, maps the columns, converts each cell
/// by its column's format. Rows keep their sheet numbers; empty rows are left out.
public enum SheetImport {
    /// Rows of data accepted in one file (the 2 MiB limit keeps real files far below).
    public static let maxRows = 100_000

    public static func rows(of sheet: Sheet, list: ImportList) throws -> (header: ImportHeader, rows: [ImportRowInput]) {
        let header = try findHeader(sheet, list: list)
        var out: [ImportRowInput] = []
        for r in header.row..<sheet.rows.count {
            let cells = sheet.rows[r]
            if cells.allSatisfy({ Self.isBlank($0) }) { continue }
            out.append(row(cells, number: r + 1, header: header))
            if out.count > maxRows {
                throw ImportFileError(code: .tooManyRows, message: "Le fichier contient plus de \(maxRows) lignes : découpez-le en plusieurs fichiers.")
            }
        }
        if out.isEmpty {
            throw ImportFileError(code: .noRows, message: "Le fichier ne contient aucune ligne à importer sous la ligne d'en-tête.")
        }
        return (header, out)
    }

    static func isBlank(_ c: CellValue) -> Bool {
        switch c {
        case .empty: return true
        case .text(let s): return s.trimmedSpaces().isEmpty
        default: return false
        }
    }

    /// The header row: among the first 20 rows, the first that names at least two known
    /// columns (the best one if none reaches the columns the list needs).
    static func findHeader(_ sheet: Sheet, list: ImportList) throws -> ImportHeader {
        var best: ImportHeader? = nil
        for r in 0..<min(20, sheet.rows.count) {
            var mapped: [(Int, String, TransferColumn)] = []
            var ignored: [(Int, String)] = []
            var used = Set<String>()
            for (i, cell) in sheet.rows[r].enumerated() {
                guard case .text(let raw) = cell else {
                    if !isBlank(cell) { ignored.append((i, text(cell) ?? "")) }
                    continue
                }
                let h = raw.trimmedSpaces()
                if h.isEmpty { continue }
                if let c = TransferColumns.column(forHeader: h), used.insert(c.fieldPath).inserted {
                    mapped.append((i, h, c))
                } else {
                    ignored.append((i, h))
                }
            }
            guard mapped.count >= 2 else { continue }
            let candidate = ImportHeader(row: r + 1, mapped: mapped, ignored: ignored)
            if best == nil || mapped.count > best!.mapped.count { best = candidate }
            if mapped.count >= 4 { break }
        }
        guard let header = best else {
            throw ImportFileError(code: .noHeader, message: "Ligne d'en-tête introuvable : utilisez le modèle d'import (colonnes « Société cliente », « Nom du contact », « Email du contact »…).")
        }
        let have = Set(header.mapped.map(\.column.fieldPath))
        var missing: [String] = []
        if !have.contains("client.name") { missing.append("Société cliente") }
        if list == .contacts && !have.contains("contact.last_name") && !have.contains("contact.first_name") {
            missing.append("Nom du contact")
        }
        if !missing.isEmpty {
            var e = ImportFileError(code: .missingColumn,
                                    message: "Colonne obligatoire absente : " + missing.map { "« \($0) »" }.joined(separator: ", ") + ".")
            e.columns = missing
            throw e
        }
        return header
    }

    static func row(_ cells: [CellValue], number: Int, header: ImportHeader) -> ImportRowInput {
        var company: [String: JSONValue] = [:]
        var contact: [String: JSONValue] = [:]
        var createdAt: JSONValue? = nil
        var errors: [ImportFieldError] = []
        for (index, _, column) in header.mapped {
            let cell = index < cells.count ? cells[index] : .empty
            if isBlank(cell) { continue }
            let value: JSONValue
            switch convert(cell, column.format) {
            case .success(let v): value = v
            case .failure(let m):
                errors.append(ImportFieldError(field: column.fieldPath, message: m.message))
                continue
            }
            switch column.target {
            case .company(let f): company[f] = value
            case .contact(let f): contact[f] = value
            case .createdAt: createdAt = value
            }
        }
        if let d = createdAt {
            if !company.isEmpty { company["created_at"] = d }
            if !contact.isEmpty { contact["created_at"] = d }
        }
        // Errors on `created_at` belong to the record that would carry it.
        errors = errors.map { e in
            guard e.field == "created_at" else { return e }
            return ImportFieldError(field: "client.created_at", message: e.message)
        }
        return ImportRowInput(row: number, company: company.isEmpty ? nil : company, contact: contact.isEmpty ? nil : contact, errors: errors)
    }

    /// A cell as the text a user would have typed, for the validator.
    static func text(_ cell: CellValue) -> String? {
        switch cell {
        case .empty: return nil
        case .text(let s): return s
        case .number(let n): return formatNumber(n)
        case .bool(let b): return b ? "OUI" : "NON"
        case .date(let d): return String(format: "%02d/%02d/%04d", d.day, d.month, d.year)
        case .error(let e): return e
        }
    }

    static func formatNumber(_ n: Double) -> String {
        if n.rounded() == n && abs(n) < 1e15 { return String(Int64(n)) }
        var s = String(n)
        if s.hasSuffix(".0") { s.removeLast(2) }
        return s
    }

    /// Converts a cell for its column. Numbers typed into identifier columns lose their
    /// leading zeros in spreadsheets: phones get theirs back (9 digits → 0 + 9 digits).
    static func convert(_ cell: CellValue, _ format: TransferColumn.Format) -> Result<JSONValue, ValueError> {
        if case .error(let e) = cell { return .failure("Cellule en erreur dans le fichier (\(e)).") }
        switch format {
        case .text, .postalCode, .siret:
            if case .number(let n) = cell, format == .siret, n.rounded() == n, n >= 0 {
                var d = String(Int64(n))
                if d.count == 13 || d.count == 8 { d = "0" + d }
                return .success(.string(d))
            }
            return .success(.string(text(cell) ?? ""))
        case .phone:
            if case .number(let n) = cell, n.rounded() == n, n > 0 {
                var d = String(Int64(n))
                if d.count == 9 { d = "0" + d } else if d.count == 11 && d.hasPrefix("33") { d = "+" + d }
                return .success(.string(d))
            }
            return .success(.string(text(cell) ?? ""))
        case .yesNo:
            switch cell {
            case .bool(let b): return .success(.bool(b))
            case .number(let n) where n == 0 || n == 1: return .success(.bool(n == 1))
            default:
                let t = (text(cell) ?? "").trimmedSpaces()
                if let b = Validator.parseBoolText(t) { return .success(.bool(b)) }
                switch t.lowercased() {
                case "1", "x", "y", "si": return .success(.bool(true))
                case "0", "-": return .success(.bool(false))
                default: return .failure("Valeur d'opt-in invalide : « OUI » ou « NON » attendu.")
                }
            }
        case .date:
            switch cell {
            case .date(let d):
                return .success(.string(String(format: "%04d-%02d-%02d", d.year, d.month, d.day)))
            case .number(let n):
                // A date typed in a cell without a date format: Excel's serial day number.
                guard n >= 1, let d = SheetDate(serial: n) else {
                    return .failure("Date invalide : format JJ/MM/AAAA attendu.")
                }
                return .success(.string(String(format: "%04d-%02d-%02d", d.year, d.month, d.day)))
            default:
                return .success(.string(text(cell) ?? ""))
            }
        }
    }
}
