import Engine
import Model
import Sheets

/// Preview or commit of a file, in one call (stateless: a commit reads and checks the file
/// again). Throws `SheetError` for a file that cannot be read, `ImportFileError` for one
/// without usable header or rows.
public enum Importer {
    public enum Mode: String, Sendable, CaseIterable { case preview, commit }

    public struct Outcome: Sendable {
        public var format: SheetFormat
        public var header: ImportHeader
        public var plan: ImportPlan
        public var commit: ImportCommitResult?
        public var report: JSONValue {
            ImportReport.json(plan: plan, header: header, format: format,
                              mode: commit == nil ? Mode.preview.rawValue : Mode.commit.rawValue, commit: commit)
        }
    }

    /// `progress(done, total)` counts rows (planned, then written).
    public static func run(tenant: Tenant, list: ImportList, file: [UInt8], mode: Mode,
                           limits: SheetLimits = SheetLimits(), indexTimeout: Double = 60,
                           progress: ((Int, Int) -> Void)? = nil) throws -> Outcome {
        let (format, sheet) = try SheetReader.read(file, limits: limits)
        let (header, rows) = try SheetImport.rows(of: sheet, list: list)
        switch mode {
        case .preview:
            let plan = try tenant.planImport(list: list, rows: rows, checkDuplicates: true) { progress?($0, rows.count) }
            return Outcome(format: format, header: header, plan: plan, commit: nil)
        case .commit:
            let (plan, result) = try tenant.commitImport(list: list, rows: rows, indexTimeout: indexTimeout) { progress?($0, rows.count) }
            return Outcome(format: format, header: header, plan: plan, commit: result)
        }
    }
}
