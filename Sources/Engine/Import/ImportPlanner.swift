import Analysis
import Foundation
import Model
import Store
import XapianKit

/// Which list a file is imported into (the seed: "importer" on the client list or the contact
/// list). One row is a company and its contact either way; what differs is what a row needs
/// and what makes it a duplicate to skip.
public enum ImportList: String, Sendable, Hashable, CaseIterable {
    case clients, contacts

    public var companyKind: RecordKind { .client }
    public var contactKind: RecordKind { .clientContact }
}

/// A field error of an import row. `field` is `client.<name>` or `contact.<name>`.
public struct ImportFieldError: Sendable, Hashable {
    public var field: String
    public var message: String
    public init(field: String, message: String) { self.field = field; self.message = message }
}

/// One data row of a file, already read into record bodies (strings as typed; the planner
/// validates and normalizes them).
public struct ImportRowInput: Sendable {
    /// As in the sheet: the header is row 1.
    public var row: Int
    /// Company fields; nil when the row names no company.
    public var company: [String: JSONValue]?
    /// Contact fields; nil when the row has no contact cell.
    public var contact: [String: JSONValue]?
    /// Errors found while reading cells (a date that is not one, …).
    public var errors: [ImportFieldError]
    public init(row: Int, company: [String: JSONValue]?, contact: [String: JSONValue]?, errors: [ImportFieldError] = []) {
        self.row = row; self.company = company; self.contact = contact; self.errors = errors
    }
}

/// What the import does with one record of a row.
public enum ImportAction: String, Sendable, Hashable {
    /// A new record.
    case create
    /// The record already exists in the base: kept as is, never overwritten.
    case existing
    /// Created by an earlier row of the same file.
    case inFile = "in_file"
}

public enum ImportRowStatus: String, Sendable, Hashable {
    /// Will be (or was) imported.
    case ok
    /// Nothing to import: what it describes already exists (in the base or earlier in the file).
    case skipped
    /// Invalid: not imported.
    case error
}

/// A record of a row as planned.
public struct ImportRecordPlan: Sendable, Hashable {
    public var action: ImportAction
    /// The new record's id, the existing record's id, or the id planned by the earlier row.
    public var id: String
    /// `in_file`: the row that creates it.
    public var firstRow: Int?
    /// The normalized record (what is or would be stored; for `existing`, the row's values).
    public var fields: [String: JSONValue]
}

/// Another row of the same file that looks like the same record.
public struct ImportInFileDuplicate: Sendable, Hashable {
    public var row: Int
    public var kind: RecordKind
    public var reasons: [DuplicateReason]
}

public struct ImportRowPlan: Sendable, Hashable {
    public var row: Int
    public var status: ImportRowStatus
    public var company: ImportRecordPlan?
    public var contact: ImportRecordPlan?
    public var errors: [ImportFieldError] = []
    /// Why a skipped row is skipped, in French.
    public var message: String?
    /// Likely duplicates in the base (the duplicate check of API.md), for records to create.
    public var duplicates: [DuplicateCandidate] = []
    /// Likely duplicates among the file's other rows.
    public var inFileDuplicates: [ImportInFileDuplicate] = []
}

public struct ImportPlan: Sendable {
    public var list: ImportList
    public var rows: [ImportRowPlan]

    public var companiesToCreate: Int { rows.filter { $0.status == .ok && $0.company?.action == .create }.count }
    public var contactsToCreate: Int { rows.filter { $0.status == .ok && $0.contact?.action == .create }.count }
    public func count(_ s: ImportRowStatus) -> Int { rows.filter { $0.status == s }.count }
}

public struct ImportCommitResult: Sendable {
    public var companiesCreated: Int
    public var contactsCreated: Int
    /// The store's change sequence after the import (0 when nothing was written).
    public var seq: Int64
    /// Whether the index had applied the import when the commit returned.
    public var indexed: Bool
}

extension Tenant {
    /// Plans an import: validates every row, resolves each row's company and contact against
    /// the file's earlier rows and the base (exact rules: a company is the same when it has
    /// the same SIRET, else the same normalized name when one of the two has no SIRET; a
    /// contact when it has the same e-mail, else the same name in the same company), and, with
    /// `checkDuplicates`, lists likely duplicates (the duplicate check) of what would be created.
    /// Reads only: the preview, and the first step of the commit.
    public func planImport(list: ImportList, rows: [ImportRowInput], checkDuplicates: Bool,
                           progress: ((Int) -> Void)? = nil) throws -> ImportPlan {
        _ = await_index_caught_up()
        var planner = ImportPlanner(tenant: self, list: list, checkDuplicates: checkDuplicates)
        var out: [ImportRowPlan] = []
        out.reserveCapacity(rows.count)
        for (i, r) in rows.enumerated() {
            out.append(try planner.plan(r))
            if (i + 1) % 200 == 0 { progress?(i + 1) }
        }
        progress?(rows.count)
        return ImportPlan(list: list, rows: out)
    }

    /// Plans then writes the rows the plan accepts, all in one transaction (all or nothing),
    /// then waits (up to `indexTimeout` seconds) for the index to apply them. Imports of one
    /// tenant run one at a time, so two imports of the same file cannot both create.
    public func commitImport(list: ImportList, rows: [ImportRowInput], indexTimeout: Double = 60,
                             progress: ((Int) -> Void)? = nil) throws -> (ImportPlan, ImportCommitResult) {
        importLock.lock()
        defer { importLock.unlock() }
        let plan = try planImport(list: list, rows: rows, checkDuplicates: false, progress: progress)
        let now = Validator.formatUTC(Date())
        var companies: [Record] = []
        var contacts: [Record] = []
        for r in plan.rows where r.status == .ok {
            if let c = r.company, c.action == .create {
                var rec = Record(kind: list.companyKind, id: c.id, fields: c.fields)
                if rec["created_at"] == nil { rec["created_at"] = .string(now) }
                Self.defaultBillingAddress(&rec)
                companies.append(rec)
            }
            if let c = r.contact, c.action == .create {
                var rec = Record(kind: list.contactKind, id: c.id, fields: c.fields)
                if rec["created_at"] == nil { rec["created_at"] = .string(now) }
                contacts.append(rec)
            }
        }
        guard !companies.isEmpty || !contacts.isEmpty else {
            return (plan, ImportCommitResult(companiesCreated: 0, contactsCreated: 0, seq: 0, indexed: true))
        }
        let seq: Int64 = try store.write { tx in
            var seq: Int64 = 0
            for c in companies {
                if try tx.exists(c.key) { throw EngineError(.idExists, "Identifiant déjà utilisé.") }
                seq = try tx.upsert(c)
            }
            for c in contacts {
                if try tx.exists(c.key) { throw EngineError(.idExists, "Identifiant déjà utilisé.") }
                seq = max(seq, try tx.upsert(c))
            }
            return seq
        }
        index.wake()
        let indexed = index.waitForIndexedBlocking(seq, timeout: indexTimeout)
        return (plan, ImportCommitResult(companiesCreated: companies.count, contactsCreated: contacts.count, seq: seq, indexed: indexed))
    }

    /// Waits for the index to apply every change already in the store, so that the exact
    /// lookups see the whole base. False when it did not within the write timeout.
    @discardableResult
    func await_index_caught_up() -> Bool {
        guard let seq = try? store.lastSeq(), seq > index.currentIndexedSeq else { return true }
        if index.isWriter {
            index.wake()
            return index.waitForIndexedBlocking(seq, timeout: max(config.writeWaitTimeout, 30))
        }
        try? index.catchUp(force: true)
        return index.currentIndexedSeq >= seq
    }
}

/// The per-row state of a plan: the file's companies and contacts seen so far.
struct ImportPlanner {
    let tenant: Tenant
    let list: ImportList
    let checkDuplicates: Bool
    let analyzer: Analyzer
    let longForms: [String]

    /// In-file companies: by SIRET and by normalized name (compact key).
    struct FileCompany {
        var id: String
        var action: ImportAction     // create or existing (resolved once per file)
        var siret: String?
        var name: CompanyName?
        /// A contact of this file is its main contact (or, for a base company, decided).
        var hasPrimary = false
        /// The row that creates it (new companies), once a row naming it is accepted.
        var createdBy: Int? = nil
    }
    var companies: [FileCompany] = []
    var companyBySiret: [String: Int] = [:]
    var companyByName: [String: [Int]] = [:]
    /// In-file contacts: e-mail → row; company id + folded name → row; phone → rows.
    var contactByEmail: [String: Int] = [:]
    var contactByName: [String: Int] = [:]
    var contactByPhone: [String: Int] = [:]
    /// New companies by their first significant word, for the in-file similar-name check.
    var newCompanyBuckets: [String: [(row: Int, name: CompanyName)]] = [:]

    init(tenant: Tenant, list: ImportList, checkDuplicates: Bool) {
        self.tenant = tenant
        self.list = list
        self.checkDuplicates = checkDuplicates
        self.analyzer = tenant.analyzer
        self.longForms = tenant.analyzer.rules.legalForms.filter { $0.utf8.count >= 8 }.sorted()
    }

    static let placeholderCompany = "import_pending"

    mutating func plan(_ input: ImportRowInput) throws -> ImportRowPlan {
        var errors = input.errors
        var plan = ImportRowPlan(row: input.row, status: .ok)
        let companyKind = list.companyKind, contactKind = list.contactKind
        let cPrefix = companyKind.rawValue + ".", pPrefix = "contact."

        // Validation.
        var companyFields: [String: JSONValue]? = nil
        if let body = input.company {
            switch Validator.normalize(kind: companyKind, body: body, pathPrefix: cPrefix) {
            case .success(let f): companyFields = f
            case .failure(let e): errors += e.errors.map { ImportFieldError(field: $0.field, message: $0.message) }
            }
        }
        var contactFields: [String: JSONValue]? = nil
        if var body = input.contact {
            body[companyKind.rawValue + "_id"] = .string(Self.placeholderCompany)
            switch Validator.normalize(kind: contactKind, body: body, pathPrefix: pPrefix) {
            case .success(var f):
                f.removeValue(forKey: companyKind.rawValue + "_id")
                contactFields = f
                if f["first_name"] == nil && f["last_name"] == nil && !errors.contains(where: { $0.field == pPrefix + "last_name" }) {
                    errors.append(ImportFieldError(field: pPrefix + "last_name", message: "Le nom du contact est obligatoire (au moins le nom ou le prénom)."))
                }
            case .failure(let e):
                errors += e.errors.map { ImportFieldError(field: $0.field, message: $0.message) }
            }
        }
        if input.company == nil && !errors.contains(where: { $0.field == cPrefix + "name" }) {
            let message = list == .clients
                ? "La société cliente est obligatoire."
                : "La société cliente est obligatoire : chaque contact est rattaché à une société."
            errors.append(ImportFieldError(field: cPrefix + "name", message: message))
        }
        if list == .contacts && input.contact == nil {
            errors.append(ImportFieldError(field: pPrefix + "last_name", message: "Le contact est obligatoire dans une liste de contacts (nom, prénom, e-mail…)."))
        }
        if !errors.isEmpty || companyFields == nil {
            plan.status = .error
            plan.errors = errors
            return plan
        }

        // The company: earlier in the file, else in the base, else new. A new company is
        // created by the first accepted row naming it; until then (its first row skipped or
        // in error), the next row naming it creates it.
        let cf = companyFields!
        let siret = cf["siret"]?.stringValue
        let cname = CompanyName(cf["name"]?.stringValue, analyzer: analyzer, longLegalForms: longForms)
        let companyIndex: Int
        var companyPlan: ImportRecordPlan
        if let i = fileCompany(siret: siret, name: cname) {
            let fc = companies[i]
            companyIndex = i
            switch fc.action {
            case .existing: companyPlan = ImportRecordPlan(action: .existing, id: fc.id, firstRow: nil, fields: cf)
            case .create where fc.createdBy != nil:
                companyPlan = ImportRecordPlan(action: .inFile, id: fc.id, firstRow: fc.createdBy, fields: cf)
            default: companyPlan = ImportRecordPlan(action: .create, id: fc.id, firstRow: nil, fields: cf)
            }
        } else if let existing = try baseCompany(siret: siret, name: cname) {
            companyIndex = addFileCompany(FileCompany(id: existing, action: .existing, siret: siret, name: cname))
            companyPlan = ImportRecordPlan(action: .existing, id: existing, firstRow: nil, fields: cf)
        } else {
            let id = Validator.generateId(kind: companyKind)
            companyIndex = addFileCompany(FileCompany(id: id, action: .create, siret: siret, name: cname))
            companyPlan = ImportRecordPlan(action: .create, id: id, firstRow: nil, fields: cf)
        }
        plan.company = companyPlan
        if list == .clients && companyPlan.action == .existing {
            plan.status = .skipped
            plan.message = "Cette société existe déjà (même SIRET ou même nom) : la ligne n'est pas importée et la fiche n'est pas modifiée. Ajoutez ses contacts depuis la liste des contacts."
            return plan
        }

        // The contact: earlier in the file, else in the base, else new.
        var contactIsNew = false
        var contactMessage: String? = nil
        if var pf = contactFields {
            let companyId = companyPlan.id
            pf[companyKind.rawValue + "_id"] = .string(companyId)
            let email = pf["email"]?.stringValue
            let person = PersonName(first: pf["first_name"]?.stringValue, last: pf["last_name"]?.stringValue, analyzer: analyzer)
            let nameKey = person.isEmpty ? nil : companyId + "\u{1}" + (person.first ?? "") + "\u{1}" + (person.last ?? "")
            if let e = email, let first = contactByEmail[e] {
                plan.contact = ImportRecordPlan(action: .inFile, id: "", firstRow: first, fields: pf)
                contactMessage = "Contact en double dans le fichier : même e-mail qu'à la ligne \(first)."
            } else if let k = nameKey, let first = contactByName[k] {
                plan.contact = ImportRecordPlan(action: .inFile, id: "", firstRow: first, fields: pf)
                contactMessage = "Contact en double dans le fichier : même nom dans la même société qu'à la ligne \(first)."
            } else if let existing = try baseContact(email: email, person: person, companyId: companyPlan.action == .existing ? companyId : nil) {
                plan.contact = ImportRecordPlan(action: .existing, id: existing.id, firstRow: nil, fields: pf)
                contactMessage = existing.byEmail
                    ? "Ce contact existe déjà (même e-mail) : il n'est ni recréé ni modifié."
                    : "Ce contact existe déjà dans cette société (même nom) : il n'est ni recréé ni modifié."
            } else {
                // A new contact: the first contact of a company becomes its main contact.
                var primary = !companies[companyIndex].hasPrimary
                if primary, companyPlan.action == .existing {
                    // A base company keeps its main contact; one without contacts gets this one.
                    primary = try tenant.store.contacts(ofCompany: RecordKey(kind: companyKind, id: companyId)).isEmpty
                }
                companies[companyIndex].hasPrimary = true   // set, or the base company has its own
                pf["is_primary"] = .bool(primary)
                plan.contact = ImportRecordPlan(action: .create, id: Validator.generateId(kind: contactKind), firstRow: nil, fields: pf)
                contactIsNew = true
                if checkDuplicates {
                    var probe = pf
                    if companyPlan.action != .existing { probe.removeValue(forKey: companyKind.rawValue + "_id") }
                    plan.duplicates += try tenant.duplicates(kind: contactKind, body: probe)
                    for f in ["phone_direct", "phone_mobile"] {
                        if let p = pf[f]?.stringValue, let other = contactByPhone[p], other != input.row,
                           !plan.inFileDuplicates.contains(where: { $0.row == other }) {
                            plan.inFileDuplicates.append(ImportInFileDuplicate(row: other, kind: contactKind, reasons: [.phone]))
                        }
                    }
                }
                if let e = email { contactByEmail[e] = input.row }
                if let k = nameKey { contactByName[k] = input.row }
                for f in ["phone_direct", "phone_mobile"] {
                    if let p = pf[f]?.stringValue, contactByPhone[p] == nil { contactByPhone[p] = input.row }
                }
            }
        }

        // What the row imports. Clients list: the row is its company (a known contact is not
        // created again); contacts list: the row is its contact.
        let companyIsNew = companyPlan.action == .create
        switch list {
        case .clients:
            if companyIsNew || contactIsNew {
                plan.status = .ok
                if !contactIsNew, let m = contactMessage { plan.message = m }
            } else {
                plan.status = .skipped
                plan.message = contactMessage ?? "Société en double dans le fichier (ligne \(companyPlan.firstRow ?? 0)), sans contact à ajouter."
            }
        case .contacts:
            plan.status = contactIsNew ? .ok : .skipped
            plan.message = contactMessage
        }
        if plan.status == .ok {
            if companyIsNew {
                companies[companyIndex].createdBy = input.row
                if checkDuplicates {
                    plan.duplicates = try tenant.duplicates(kind: companyKind, body: cf) + plan.duplicates
                    plan.inFileDuplicates = similarFileCompanies(row: input.row, name: cname) + plan.inFileDuplicates
                }
            }
        } else if contactIsNew {
            // Not imported: forget the contact (and its main-contact claim) again.
            undoContact(row: input.row, companyIndex: companyIndex, fields: plan.contact?.fields ?? [:])
            plan.contact?.action = .existing
        }
        return plan
    }

    mutating func undoContact(row: Int, companyIndex: Int, fields: [String: JSONValue]) {
        if let e = fields["email"]?.stringValue, contactByEmail[e] == row { contactByEmail.removeValue(forKey: e) }
        for (k, v) in contactByName where v == row { contactByName.removeValue(forKey: k) }
        for (k, v) in contactByPhone where v == row { contactByPhone.removeValue(forKey: k) }
        if fields["is_primary"] == .bool(true) { companies[companyIndex].hasPrimary = false }
    }

    // MARK: - Companies of the file

    func fileCompany(siret: String?, name: CompanyName?) -> Int? {
        if let s = siret, let i = companyBySiret[s] { return i }
        guard let n = name else { return nil }
        for i in companyByName[n.compactKey] ?? [] {
            // Same name: the same company unless both have (different) SIRETs.
            if siret == nil || companies[i].siret == nil { return i }
        }
        return nil
    }

    mutating func addFileCompany(_ c: FileCompany) -> Int {
        let i = companies.count
        companies.append(c)
        if let s = c.siret, companyBySiret[s] == nil { companyBySiret[s] = i }
        if let n = c.name { companyByName[n.compactKey, default: []].append(i) }
        return i
    }

    mutating func similarFileCompanies(row: Int, name: CompanyName?) -> [ImportInFileDuplicate] {
        guard let n = name, let bucket = n.significant.first else { return [] }
        var out: [ImportInFileDuplicate] = []
        for other in newCompanyBuckets[bucket] ?? [] where other.row != row {
            switch n.relation(to: other.name) {
            case .similar?: out.append(ImportInFileDuplicate(row: other.row, kind: list.companyKind, reasons: [.nameSimilar]))
            case .acronym?: out.append(ImportInFileDuplicate(row: other.row, kind: list.companyKind, reasons: [.acronym]))
            case .equal?, nil: break
            }
            if out.count >= 5 { break }
        }
        newCompanyBuckets[bucket, default: []].append((row, n))
        return out
    }

    // MARK: - The base

    /// An existing company with the same SIRET, else with the same normalized name when one
    /// of the two has no SIRET. Inactive ones count: they are hidden, not gone.
    func baseCompany(siret: String?, name: CompanyName?) throws -> String? {
        let kindFilter: Query = .term(Prefix.kind + list.companyKind.code)
        if let s = siret {
            // The SIRET term also holds SIRENs: check the records.
            let ids = try firstIds(.filter(.term(Prefix.siret + s), kindFilter), limit: 20)
            let found = try tenant.store.records(ids.map { RecordKey(kind: list.companyKind, id: $0) })
            for id in ids where found[RecordKey(kind: list.companyKind, id: id)]?.string("siret") == s { return id }
        }
        guard let n = name, !n.significant.isEmpty else { return nil }
        // Names first (the word terms hold every field class; the wdf ranks the name's words highest).
        let words = n.significant.prefix(8).map { Query.term(Prefix.word + $0) }
        let ids = try firstIds(.filter(words.count == 1 ? words[0] : .and(words), kindFilter), limit: 50, byRelevance: true)
        guard !ids.isEmpty else { return nil }
        let found = try tenant.store.records(ids.map { RecordKey(kind: list.companyKind, id: $0) })
        for id in ids {
            guard let r = found[RecordKey(kind: list.companyKind, id: id)],
                  let other = CompanyName(r.string("name"), analyzer: analyzer, longLegalForms: longForms) else { continue }
            let otherSiret = r.string("siret")
            guard siret == nil || otherSiret == nil || otherSiret == siret else { continue }
            if other.sortedKey == n.sortedKey || other.compactKey == n.compactKey { return r.id }
        }
        return nil
    }

    /// An existing contact with the same e-mail, else with the same name in the same company.
    func baseContact(email: String?, person: PersonName, companyId: String?) throws -> (id: String, byEmail: Bool)? {
        if let e = email {
            let kindFilter: Query = .term(Prefix.kind + list.contactKind.code)
            if let id = try firstIds(.filter(.term(Prefix.email + e), kindFilter), limit: 1).first { return (id, true) }
        }
        if let cid = companyId, !person.isEmpty {
            for c in try tenant.store.contacts(ofCompany: RecordKey(kind: list.companyKind, id: cid)) {
                let other = PersonName(first: c.string("first_name"), last: c.string("last_name"), analyzer: analyzer)
                switch person.relation(to: other) {
                case .exact, .folded: return (c.id, false)
                default: continue
                }
            }
        }
        return nil
    }

    func firstIds(_ q: Query, limit: Int, byRelevance: Bool = false) throws -> [String] {
        try tenant.index.withReader { db in
            let enquire = Enquire(database: db)
            enquire.weighting = byRelevance ? .wdf : .bool
            // Boolean matches come in docid order: the oldest record first.
            enquire.sortOrder = byRelevance ? .relevanceThenValue(slot: Slot.sortKey, reverse: false) : .relevance
            enquire.fetchValueSlot = Slot.display
            try enquire.setQuery(q)
            return try enquire.mset(first: 0, maxItems: limit, checkAtLeast: 0).items.compactMap { DocumentData(decoding: $0.data)?.id }
        }
    }
}

extension Tenant {
    /// Every record of the tenant in store order, `batchSize` at a time (exports).
    public func forEachRecord(batchSize: Int = 2000, _ body: ([Record]) throws -> Void) throws {
        try store.forEachRecord(batchSize: batchSize, body)
    }
}
