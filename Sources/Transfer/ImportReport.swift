import Engine
import Model
import Sheets

/// The import's answer, for the HTTP API and the command line: how the file was read, then
/// every row with what happens to it.
///
/// ```json
/// {"kind":"clients","mode":"preview","format":"xlsx","header_row":1,
///  "columns":[{"column":"B","header":"Société cliente","field":"client.name"}],
///  "ignored_columns":[{"column":"AF","header":"Nombre de contacts"}],
///  "summary":{"rows":3,"ok":2,"skipped":1,"errors":0,"clients_to_create":1,"contacts_to_create":2},
///  "rows":[{"row":2,"status":"ok","client":{"action":"create","record":{…}},"contact":{…},
///           "errors":[],"duplicates":[],"in_file_duplicates":[]}]}
/// ```
/// Commit adds `"clients_created"`, `"contacts_created"`, `"seq"` and `"indexed"` to the
/// summary and the new records' ids to the rows.
public enum ImportReport {
    public static func json(plan: ImportPlan, header: ImportHeader, format: SheetFormat, mode: String,
                            commit: ImportCommitResult?) -> JSONValue {
        var headerOf: [String: String] = [:]
        for m in header.mapped { headerOf[m.column.fieldPath] = m.header }
        let columns: [JSONValue] = header.mapped.map {
            .object(["column": .string(columnLetters($0.index)), "header": .string($0.header), "field": .string($0.column.fieldPath)])
        }
        let ignored: [JSONValue] = header.ignored.map {
            .object(["column": .string(columnLetters($0.index)), "header": .string($0.header)])
        }
        var summary: [String: JSONValue] = [
            "rows": .number(Double(plan.rows.count)),
            "ok": .number(Double(plan.count(.ok))),
            "skipped": .number(Double(plan.count(.skipped))),
            "errors": .number(Double(plan.count(.error))),
            "clients_to_create": .number(Double(plan.companiesToCreate)),
            "contacts_to_create": .number(Double(plan.contactsToCreate)),
        ]
        if let c = commit {
            summary["clients_created"] = .number(Double(c.companiesCreated))
            summary["contacts_created"] = .number(Double(c.contactsCreated))
            summary["seq"] = .number(Double(c.seq))
            summary["indexed"] = .bool(c.indexed)
        }
        let rows: [JSONValue] = plan.rows.map { row(plan.list, $0, headerOf: headerOf, committed: commit != nil) }
        return .object([
            "kind": .string(plan.list.rawValue),
            "mode": .string(mode),
            "format": .string(format.rawValue),
            "header_row": .number(Double(header.row)),
            "columns": .array(columns),
            "ignored_columns": .array(ignored),
            "summary": .object(summary),
            "rows": .array(rows),
        ])
    }

    static func row(_ list: ImportList, _ r: ImportRowPlan, headerOf: [String: String], committed: Bool) -> JSONValue {
        var o: [String: JSONValue] = ["row": .number(Double(r.row)), "status": .string(r.status.rawValue)]
        if let m = r.message { o["message"] = .string(m) }
        func record(_ p: ImportRecordPlan) -> JSONValue {
            var x: [String: JSONValue] = ["action": .string(p.action.rawValue), "record": .object(p.fields)]
            // A new record's id is drawn at commit: a preview does not promise one.
            if p.action != .create || committed, !p.id.isEmpty { x["id"] = .string(p.id) }
            if let f = p.firstRow { x["first_row"] = .number(Double(f)) }
            return .object(x)
        }
        if let c = r.company { o[list.companyKind.rawValue] = record(c) }
        if let c = r.contact { o["contact"] = record(c) }
        o["errors"] = .array(r.errors.map { e in
            var x: [String: JSONValue] = ["field": .string(e.field), "message": .string(e.message)]
            if let h = headerOf[e.field] ?? templateHeader(e.field) { x["column"] = .string(h) }
            return .object(x)
        })
        o["duplicates"] = .array(r.duplicates.map(\.json))
        o["in_file_duplicates"] = .array(r.inFileDuplicates.map {
            .object(["row": .number(Double($0.row)), "kind": .string($0.kind.rawValue), "reasons": .array($0.reasons.map { .string($0.rawValue) })])
        })
        return .object(o)
    }

    public static func templateHeader(_ field: String) -> String? {
        if field == "client.created_at" || field == "contact.created_at" { return TransferColumns.template[0].header }
        return TransferColumns.readable.first { $0.fieldPath == field }?.header
    }

    /// 0 → "A", 25 → "Z", 26 → "AA".
    public static func columnLetters(_ index: Int) -> String {
        var n = index + 1
        var s = ""
        while n > 0 {
            let r = (n - 1) % 26
            s = String(UnicodeScalar(UInt8(65 + r))) + s
            n = (n - 1) / 26
        }
        return s
    }
}
