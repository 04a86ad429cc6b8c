import Analysis
import Foundation
import Logging
import Model
import Store

/// One tenant (agency): its store, its index, and the operations the API offers on them.
/// Every write goes to the store in one transaction with its change-log entries; the index
/// follows the log (see `TenantIndex`).
public final class Tenant: @unchecked Sendable {
    public let name: String
    public let directory: String
    let store: TenantStore
    let index: TenantIndex
    let config: EngineConfig
    /// Imports of this tenant run one at a time (`commitImport`).
    let importLock = NSLock()
    let analyzer: Analyzer
    let searcher: Searcher

    init(name: String, directory: String, analyzer: Analyzer, config: EngineConfig, logger: Logger, writable: Bool) throws {
        self.name = name
        self.directory = directory
        self.config = config
        self.analyzer = analyzer
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        store = try TenantStore(path: directory + "/store.sqlite")
        index = try TenantIndex(root: directory + "/index", store: store, analyzer: analyzer, config: config,
                                logger: logger, writable: writable)
        searcher = Searcher(builder: QueryBuilder(analyzer: analyzer, vocabulary: index.vocabulary, config: config), analyzer: analyzer)
    }

    /// Whether this process holds the tenant's index (and so applies the change log).
    public var holdsIndex: Bool { index.isWriter }

    func start() { index.start() }
    /// Stops the indexer (after its last, bounded, catch-up and commit), then closes the store.
    func stop() {
        index.stop()
        // A few seconds at most for a running access (a list snapshot built in the background,
        // a bulk chunk cut by the shutdown): grace period + catch-up + this stay under 30 s.
        try? store.close(timeout: 3)
    }

    // MARK: - Search

    public func search(_ request: SearchRequest) throws -> SearchResponse {
        try searcher.search(request, index: index)
    }

    // MARK: - Index

    public func indexStatus() throws -> IndexStatus {
        IndexStatus(storeSeq: try store.lastSeq(), indexSeq: index.currentIndexedSeq, documents: try index.documentCount())
    }

    /// Waits until the index has applied `seq` (read-your-writes). False after `timeout`.
    public func waitForIndex(_ seq: Int64, timeout: Double? = nil) async -> Bool {
        await index.waitForIndexed(seq, timeout: timeout ?? config.writeWaitTimeout)
    }

    public func waitForIndexBlocking(_ seq: Int64, timeout: Double) -> Bool {
        index.waitForIndexedBlocking(seq, timeout: timeout)
    }

    /// Applies pending changes now, in this thread (the command line when no server runs).
    public func catchUp() throws { try index.catchUp(force: true) }

    public func reindex() throws { try index.reindex() }
    /// Compares the store and the index (after catching up); `repair` rewrites what differs.
    public func checkIndex(repair: Bool = false) throws -> IndexCheckReport { try index.check(repair: repair) }
    /// Compacts the index in place (a new generation swapped in); sizes in bytes before and after.
    public func compactIndex() throws -> (before: Int64, after: Int64) { try index.compact() }

    public func recordCount(_ kind: RecordKind) throws -> Int { try store.count(kind: kind) }

    // MARK: - Records

    public func get(_ key: RecordKey) throws -> Record? { try store.record(key) }

    /// Several records read in one transaction (absent ones are missing from the answer).
    public func records(_ keys: [RecordKey]) throws -> [RecordKey: Record] { try store.records(keys) }

    public func contacts(ofCompany company: RecordKey) throws -> [Record] { try store.contacts(ofCompany: company) }

    /// The result of a write: the record as stored, and the change's sequence number.
    public struct WriteResult: Sendable {
        public var record: Record?
        public var related: [Record] = []
        public var seq: Int64
    }

    /// `POST` on a collection. Companies come with their `main_contact`; a contact comes with a
    /// `client_id`/`partner_id` or a `client`/`partner` object creating the company too.
    public func create(kind: RecordKind, body: [String: JSONValue]) throws -> WriteResult {
        var body = body
        var errors: [FieldError] = []
        var mainContactBody: [String: JSONValue]? = nil
        var companyBody: [String: JSONValue]? = nil
        if kind.isCompany {
            switch body.removeValue(forKey: "main_contact") {
            case .object(let o)?: mainContactBody = o
            case nil, .null?:
                errors.append(FieldError(field: "main_contact", message: "Le contact principal est obligatoire pour créer une société (prénom, nom, email et téléphone direct)."))
            default:
                errors.append(FieldError(field: "main_contact", message: "Le contact principal doit être un objet."))
            }
        }
        if kind.isContact, let companyKind = kind.companyKind {
            let objectField = companyKind.rawValue   // "client" | "partner"
            switch body.removeValue(forKey: objectField) {
            case .object(let o)?: companyBody = o
            case nil, .null?: break
            default: errors.append(FieldError(field: objectField, message: "La société doit être un objet."))
            }
        }
        let id = try newId(kind: kind, body: &body, errors: &errors, path: "")
        var fields = collect(Validator.normalize(kind: kind, body: companyBody != nil ? withPlaceholderCompany(kind, body) : body), into: &errors)
        var contactRecord: Record? = nil
        var companyRecord: Record? = nil
        if kind.isCompany, let mc = mainContactBody, let ck = kind.contactKind {
            var mcBody = mc
            var mcErrors: [FieldError] = []
            let cid = try newId(kind: ck, body: &mcBody, errors: &mcErrors, path: "main_contact.")
            mcBody[kind.rawValue + "_id"] = .string(id)
            mcBody["is_primary"] = .bool(true)
            var cf = collect(Validator.normalize(kind: ck, body: mcBody, pathPrefix: "main_contact."), into: &mcErrors)
            requireContactFields(cf, body: mcBody, path: "main_contact.", errors: &mcErrors)
            errors += mcErrors
            if cf != nil { cf!["is_primary"] = .bool(true); contactRecord = Record(kind: ck, id: cid, fields: cf!) }
        }
        if kind.isContact, let cb = companyBody, let companyKind = kind.companyKind {
            var b = cb
            let coid = try newId(kind: companyKind, body: &b, errors: &errors, path: companyKind.rawValue + ".")
            if let f = collect(Validator.normalize(kind: companyKind, body: b, pathPrefix: companyKind.rawValue + "."), into: &errors) {
                companyRecord = Record(kind: companyKind, id: coid, fields: f)
                fields?[companyKind.rawValue + "_id"] = .string(coid)
            }
        }
        if kind.isContact, companyBody == nil, fields != nil {
            requireContactFields(fields!, body: body, path: "", errors: &errors)
        }
        if !errors.isEmpty || fields == nil {
            throw EngineError(.validation, "Certains champs sont invalides.", fieldErrors: errors.map { .init(field: $0.field, message: $0.message) })
        }
        var record = Record(kind: kind, id: id, fields: fields!)
        if kind.isCompany { Self.defaultBillingAddress(&record) }
        if let c = companyRecord { var c2 = c; Self.defaultBillingAddress(&c2); companyRecord = c2 }
        return try store.write { tx in
            if try tx.exists(record.key) {
                throw EngineError(.idExists, "Un enregistrement avec cet identifiant existe déjà.", fieldErrors: [.init(field: "id", message: "Identifiant déjà utilisé.")])
            }
            try checkReferences(record, tx: tx, pendingCompany: companyRecord)
            var related: [Record] = []
            if let c = companyRecord {
                if try tx.exists(c.key) { throw EngineError(.idExists, "Une société avec cet identifiant existe déjà.") }
                try tx.upsert(c)
                related.append(c)
            }
            if record.kind.isContact, companyRecord != nil { record.fields["is_primary"] = .bool(true) }
            var seq = try tx.upsert(record)
            if let c = contactRecord {
                if try tx.exists(c.key) { throw EngineError(.idExists, "Un contact avec cet identifiant existe déjà.") }
                seq = try tx.upsert(c)
                related.append(c)
            }
            if record.kind.isContact, record.bool("is_primary") == true { seq = max(seq, try clearOtherPrimaries(of: record, tx: tx)) }
            self.index.wake()
            return WriteResult(record: record, related: related, seq: seq)
        }
    }

    /// `PUT`: replaces an existing record.
    public func replace(_ key: RecordKey, body: [String: JSONValue]) throws -> WriteResult {
        var errors: [FieldError] = []
        if case .string(let bid)? = body["id"], bid != key.id {
            errors.append(FieldError(field: "id", message: "L'identifiant du corps ne correspond pas à celui de l'adresse."))
        }
        let fields = collect(Validator.normalize(kind: key.kind, body: body), into: &errors)
        if !errors.isEmpty || fields == nil {
            throw EngineError(.validation, "Certains champs sont invalides.", fieldErrors: errors.map { .init(field: $0.field, message: $0.message) })
        }
        return try update(Record(kind: key.kind, id: key.id, fields: fields!))
    }

    /// `PATCH`: a JSON Merge Patch (RFC 7396) on the stored record.
    public func patch(_ key: RecordKey, mergePatch: [String: JSONValue]) throws -> WriteResult {
        guard let current = try store.record(key) else { throw EngineError(.notFound, "Enregistrement introuvable.") }
        return try replace(key, body: try Self.merge(current, mergePatch))
    }

    /// The body a merge patch gives on `current` (RFC 7396, one level into objects).
    static func merge(_ current: Record, _ mergePatch: [String: JSONValue]) throws -> [String: JSONValue] {
        let key = current.key
        var merged = current.fields
        for (k, v) in mergePatch {
            if k == "id" {
                if v != .string(key.id) { throw EngineError(.validation, "L'identifiant ne peut pas être modifié.", fieldErrors: [.init(field: "id", message: "L'identifiant ne peut pas être modifié.")]) }
                continue
            }
            if case .null = v { merged.removeValue(forKey: k); continue }
            if case .object(let patchObj) = v, case .object(let curObj)? = merged[k] {
                var o = curObj
                for (ik, iv) in patchObj { if case .null = iv { o.removeValue(forKey: ik) } else { o[ik] = iv } }
                merged[k] = .object(o)
            } else {
                merged[k] = v
            }
        }
        return merged
    }

    private func update(_ record: Record) throws -> WriteResult {
        try store.write { tx in
            guard let old = try tx.record(record.key) else { throw EngineError(.notFound, "Enregistrement introuvable.") }
            try checkReferences(record, tx: tx, pendingCompany: nil)
            var record = record
            if record.kind.isCompany {
                // Billing addresses are a list of their own: a replacement that does not
                // mention them keeps them; one that lists them must keep the default.
                if record["billing_addresses"] == nil, let kept = old["billing_addresses"] { record["billing_addresses"] = kept }
                try Self.checkDefaultBillingKept(old: old, new: record)
            }
            if record.kind.isContact, old.bool("is_primary") == true, record.bool("is_primary") != true,
               old.companyId == record.companyId {
                // The star moves by setting it on another contact, not by removing it.
                throw EngineError(.conflict, "Ce contact est le contact principal de sa société : désignez d'abord un autre contact principal.",
                                  fieldErrors: [.init(field: "is_primary", message: "Le contact principal ne peut pas perdre son étoile sans remplaçant.")])
            }
            var seq = try tx.upsert(record)
            if record.kind.isContact, record.bool("is_primary") == true { seq = max(seq, try clearOtherPrimaries(of: record, tx: tx)) }
            self.index.wake()
            return WriteResult(record: record, seq: seq)
        }
    }

    /// `DELETE`: removes the record from the store (and so from the index).
    public func delete(_ key: RecordKey) throws -> WriteResult {
        try store.write { tx in
            guard let old = try tx.record(key) else { throw EngineError(.notFound, "Enregistrement introuvable.") }
            if key.kind.isContact, old.bool("is_primary") == true,
               let companyKind = key.kind.companyKind, let cid = old.companyId,
               try tx.exists(RecordKey(kind: companyKind, id: cid)) {
                throw EngineError(.conflict, "Le contact principal d'une société ne peut pas être supprimé : désignez d'abord un autre contact principal.")
            }
            if key.kind.isCompany, try tx.hasChildren(key) {
                throw EngineError(.conflict, "Cette société a encore des contacts ou des événements : supprimez-les ou rattachez-les ailleurs d'abord.")
            }
            guard let seq = try tx.delete(key) else { throw EngineError(.notFound, "Enregistrement introuvable.") }
            self.index.wake()
            return WriteResult(record: nil, seq: seq)
        }
    }

    // MARK: - Billing addresses (the seed: "si aucune adresse de facturation n'a été indiquée à
    // la création, l'adresse principale sera reprise"; "une adresse de facturation définie par
    // défaut ne pourra plus être supprimée", another one may be made the default)

    private static let addressFields = ["address1", "address2", "postal_code", "city", "country"]

    /// A company created without billing addresses bills at its main address.
    static func defaultBillingAddress(_ r: inout Record) {
        if let list = r["billing_addresses"]?.arrayValue, !list.isEmpty { return }
        var address: [String: JSONValue] = [:]
        for f in addressFields { if let v = r[f], !v.isNull { address[f] = v } }
        guard address["address1"] != nil || address["city"] != nil else { return }
        address["is_default"] = .bool(true)
        r["billing_addresses"] = .array([.object(address)])
    }

    /// The default billing address cannot be removed; another address can be made the default.
    static func checkDefaultBillingKept(old: Record, new: Record) throws {
        func key(_ o: [String: JSONValue]) -> [JSONValue] { addressFields.map { o[$0] ?? .null } }
        let oldList = old["billing_addresses"]?.arrayValue?.compactMap(\.objectValue) ?? []
        guard let oldDefault = oldList.first(where: { $0["is_default"] == .bool(true) }) else { return }
        let newList = new["billing_addresses"]?.arrayValue?.compactMap(\.objectValue) ?? []
        if !newList.contains(where: { key($0) == key(oldDefault) }) {
            throw EngineError(.conflict, "L'adresse de facturation par défaut ne peut pas être supprimée : choisissez d'abord une autre adresse par défaut.",
                              fieldErrors: [.init(field: "billing_addresses", message: "L'adresse de facturation par défaut ne peut pas être supprimée.")])
        }
    }

    // MARK: - Helpers

    private func collect(_ r: Result<[String: JSONValue], ValidationError>, into errors: inout [FieldError]) -> [String: JSONValue]? {
        switch r {
        case .success(let f): return f
        case .failure(let e): errors += e.errors; return nil
        }
    }

    /// A contact created with a `client` object has no `client_id` yet: give the validator one.
    private func withPlaceholderCompany(_ kind: RecordKind, _ body: [String: JSONValue]) -> [String: JSONValue] {
        var b = body
        if let f = kind.companyField, b[f] == nil { b[f] = .string("pending") }
        return b
    }

    private func newId(kind: RecordKind, body: inout [String: JSONValue], errors: inout [FieldError], path: String) throws -> String {
        switch body.removeValue(forKey: "id") {
        case .string(let s)?:
            if Schema.isValidId(s) { return s }
            errors.append(FieldError(field: path + "id", message: "Identifiant invalide : 1 à 128 caractères parmi lettres, chiffres, « _ », « . », « : » et « - »."))
            return s
        case nil, .null?:
            return Validator.generateId(kind: kind)
        default:
            errors.append(FieldError(field: path + "id", message: "L'identifiant doit être une chaîne de caractères."))
            return ""
        }
    }

    /// The seed's required fields of a contact created through the API: first name, last name,
    /// e-mail and direct phone.
    private func requireContactFields(_ fields: [String: JSONValue]?, body: [String: JSONValue], path: String, errors: inout [FieldError]) {
        let already = Set(errors.map(\.field))
        for f in ["first_name", "last_name", "email", "phone_direct"] where !already.contains(path + f) {
            let v = fields?[f] ?? body[f]
            if v == nil || v == .null || v == .string("") {
                errors.append(FieldError(field: path + f, message: "Ce champ est obligatoire."))
            }
        }
    }

    private func checkReferences(_ r: Record, tx: StoreTransaction, pendingCompany: Record?) throws {
        var errors: [EngineError.FieldErrorInfo] = []
        func check(_ field: String, _ kind: RecordKind) throws {
            guard let id = r.string(field) else { return }
            if let p = pendingCompany, p.kind == kind, p.id == id { return }
            if !(try tx.exists(RecordKey(kind: kind, id: id))) {
                errors.append(.init(field: field, message: "Aucun enregistrement « \(kind.groupLabel) » avec cet identifiant."))
            }
        }
        switch r.kind {
        case .clientContact: try check("client_id", .client)
        case .partnerContact: try check("partner_id", .partner)
        case .event: try check("client_id", .client); try check("contact_id", .clientContact)
        case .product: try check("partner_id", .partner)
        case .client, .partner:
            try check("parent_id", r.kind)
            if let parent = r.string("parent_id") {
                // No cycles: walk up from the parent.
                var seen: Set<String> = [r.id]
                var cur: String? = parent
                while let c = cur {
                    if !seen.insert(c).inserted {
                        errors.append(.init(field: "parent_id", message: "Une société ne peut pas être sa propre société mère (cycle)."))
                        break
                    }
                    cur = try tx.record(RecordKey(kind: r.kind, id: c))?.string("parent_id")
                }
            }
        }
        if !errors.isEmpty { throw EngineError(.validation, "Certains champs sont invalides.", fieldErrors: errors) }
    }

    /// At most one main contact per company: setting one clears the others.
    func clearOtherPrimaries(of contact: Record, tx: StoreTransaction) throws -> Int64 {
        guard let companyKind = contact.kind.companyKind, let cid = contact.companyId else { return 0 }
        var seq: Int64 = 0
        for var other in try tx.contacts(ofCompany: RecordKey(kind: companyKind, id: cid))
        where other.id != contact.id && other.bool("is_primary") == true {
            other.fields["is_primary"] = .bool(false)
            seq = max(seq, try tx.upsert(other))
        }
        return seq
    }
}
