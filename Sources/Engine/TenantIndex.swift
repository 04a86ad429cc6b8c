import Analysis
import Foundation
import Logging
import Model
import Store
import XapianKit

/// What `labsearch check` found: records without their document, documents that differ from
/// what their record builds now, documents without a record.
public struct IndexCheckReport: Sendable {
    public var storeRecords = 0
    public var indexDocuments = 0
    public var missing: [RecordKey] = []
    public var stale: [RecordKey] = []
    public var extra: [UInt32] = []
    public var repaired = 0
    public var agrees: Bool { missing.isEmpty && stale.isEmpty && extra.isEmpty }
}

/// A tenant's Xapian index: the generation in use, the single writer that applies the store's
/// change log (when this process holds the index lock), and a pool of readers for searches.
///
/// Layout: `<tenant>/index/CURRENT` names the generation directory (`gen-000001`) in use;
/// `reindex` builds the next generation beside it and swaps CURRENT atomically (rename).
final class TenantIndex: @unchecked Sendable {
    let root: String
    let store: TenantStore
    let analyzer: Analyzer
    let config: EngineConfig
    let logger: Logger
    let vocabulary = Vocabulary()
    private let builder: DocumentBuilder

    // Writer state, touched only on the indexer thread (or under `writerLock` before it starts).
    private var writer: WritableDatabase?
    private let writerLock = NSLock()
    private(set) var isWriter = false

    // Shared state.
    private let state = NSCondition()
    private var generation: String
    private var indexedSeq: Int64 = 0
    private var wakeRequested = false
    private var stopping = false
    private var thread: Thread?
    private var waiters: [(id: UInt64, seq: Int64, cont: CheckedContinuation<Bool, Never>)] = []
    private var nextWaiterId: UInt64 = 0
    private var readers: [Database] = []
    private var readersGeneration = ""
    private var reindexRequested = false
    // Applied to the writer but maybe not committed yet (indexer thread / writerLock only).
    private var appliedSeq: Int64 = 0
    private var uncommittedDocs = 0
    private var lastCommit = Date.distantPast
    private var blockingWaiters = 0
    /// Documents a writer built from the records it had just stored (the bulk path), by key:
    /// the indexer uses one instead of reading the record back when its seq is not older
    /// than the change it applies. Bounded: a writer far ahead of the indexer waits for room.
    private var prepared: [RecordKey: PreparedDocument] = [:]
    /// `appliedSeq` as the writers see it (under `state`): a document offered for a change the
    /// indexer has already applied (it read the record itself) is dropped, never kept.
    private var appliedSeqShared: Int64 = 0
    static let preparedLimit = 40_000

    /// A record just stored by a bulk write, with the records its document shows: the indexer
    /// builds its document from these (on its own thread, beside the writer) instead of
    /// reading them back from the store.
    struct PreparedDocument {
        var seq: Int64
        var docid: Int64
        var record: Record
        var related: RelatedRecords
    }
    /// Change seqs a bulk write has stored and is about to offer (announced inside its
    /// transaction, withdrawn once offered or rolled back): the indexer waits for their
    /// records rather than reading them back, and never waits for any other change.
    private var announced: [ClosedRange<Int64>] = []

    static let currentFile = "CURRENT"
    static let lastSeqKey = "last_seq"
    static let fingerprintKey = "fingerprint"

    var fingerprint: String { "layout=\(IndexLayout.version);analyzer=\(analyzer.rules.fingerprint)" }

    init(root: String, store: TenantStore, analyzer: Analyzer, config: EngineConfig, logger: Logger, writable: Bool) throws {
        self.root = root
        self.store = store
        self.analyzer = analyzer
        self.config = config
        self.logger = logger
        self.builder = DocumentBuilder(analyzer: analyzer)
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let currentPath = root + "/" + Self.currentFile
        if let g = try? String(contentsOfFile: currentPath, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines), !g.isEmpty {
            generation = g
        } else {
            generation = "gen-000001"
            try Self.writeAtomically(generation, to: currentPath)
        }
        var needsRebuild = false
        if writable {
            do {
                let w = try WritableDatabase(path: root + "/" + generation, mode: .createOrOpen)
                writer = w
                isWriter = true
                indexedSeq = Int64(try w.metadata(Self.lastSeqKey)) ?? 0
                appliedSeq = indexedSeq
                let fp = try w.metadata(Self.fingerprintKey)
                let docs = try w.docCount()
                if fp.isEmpty && docs == 0 {
                    try w.setMetadata(Self.fingerprintKey, fingerprint)
                    try w.commit()
                } else if fp != fingerprint {
                    needsRebuild = true
                }
            } catch let e as XapianError where e.code == .databaseLock {
                // Another process (the server) holds the index: it applies our changes.
                isWriter = false
            }
        }
        if !isWriter {
            // Make sure a reader can open something even before the writer's first commit.
            if !FileManager.default.fileExists(atPath: root + "/" + generation) {
                let w = try? WritableDatabase(path: root + "/" + generation, mode: .createOrOpen)
                try? w?.close()
            }
            indexedSeq = (try? withReader { Int64(try $0.metadata(Self.lastSeqKey)) ?? 0 }) ?? 0
        }
        try loadVocabulary()
        if needsRebuild {
            logger.info("index fingerprint changed: rebuilding", metadata: ["index.generation": "\(generation)"])
            reindexRequested = true
        }
    }

    // MARK: - Prepared documents

    /// Announces the seqs of a bulk write's upserts before its transaction commits, so that
    /// the indexer, once it sees them, waits for `offer` instead of reading the records back.
    func announce(_ seqs: ClosedRange<Int64>) {
        guard isWriter else { return }
        state.lock()
        announced.append(seqs)
        state.unlock()
    }

    /// Ends an announcement (offered, or the transaction rolled back).
    func withdraw(_ seqs: ClosedRange<Int64>) {
        guard isWriter else { return }
        state.lock()
        if let i = announced.firstIndex(of: seqs) { announced.remove(at: i) }
        state.broadcast()
        state.unlock()
    }

    /// Hands the indexer records just stored by a write that knows them (their company or
    /// contact looked up in `known`, else in the store), so it need not read them back.
    /// Waits (at most `maxWait` seconds) while the indexer has `preparedLimit` records in
    /// hand; past that they are not offered and the indexer reads the store as usual.
    func offer(_ written: [(record: Record, seq: Int64, docid: Int64)], known: [RecordKey: Record], maxWait: Double = 30) {
        guard isWriter, !written.isEmpty else { return }
        // Without an indexer thread (a command applying the log itself afterwards) nobody
        // makes room: offer what fits and do not wait.
        let maxWait = thread == nil ? 0 : maxWait
        var missing = Set<RecordKey>()
        for w in written {
            for k in [Self.companyKey(of: w.record), Self.contactKey(of: w.record)].compactMap({ $0 }) where known[k] == nil {
                missing.insert(k)
            }
        }
        var lookup = known
        if !missing.isEmpty, let found = try? store.records(Array(missing)) {
            for (k, r) in found { lookup[k] = r }
        }
        var docs: [(RecordKey, PreparedDocument)] = []
        docs.reserveCapacity(written.count)
        for w in written {
            docs.append((w.record.key, PreparedDocument(seq: w.seq, docid: w.docid, record: w.record,
                                                        related: Self.related(of: w.record, in: lookup))))
        }
        let deadline = Date(timeIntervalSinceNow: maxWait)
        state.lock()
        while prepared.count + docs.count > Self.preparedLimit && !stopping && Date() < deadline {
            wakeRequested = true
            state.broadcast()
            _ = state.wait(until: min(deadline, Date(timeIntervalSinceNow: 0.05)))
        }
        if prepared.count + docs.count <= Self.preparedLimit {
            for (k, d) in docs where d.seq > appliedSeqShared && (prepared[k]?.seq ?? -1) < d.seq { prepared[k] = d }
        }
        state.unlock()
    }

    /// Forgets the prepared documents of changes applied through `seq` (offered too late: the
    /// indexer built them from the store), so they never fill the queue the writers wait on.
    private func dropPrepared(through seq: Int64) {
        state.lock(); defer { state.unlock() }
        appliedSeqShared = seq
        guard !prepared.isEmpty else { return }
        let before = prepared.count
        prepared = prepared.filter { $0.value.seq > seq }
        if prepared.count != before { state.broadcast() }
    }

    /// Waits (at most 5 s) until no announced range holds one of `seqs`; false when none did.
    private func waitForAnnounced(_ seqs: [Int64]) -> Bool {
        state.lock(); defer { state.unlock() }
        func pending() -> Bool { announced.contains { r in seqs.contains { r.contains($0) } } }
        guard pending() else { return false }
        let deadline = Date(timeIntervalSinceNow: 5)
        while pending() && !stopping && Date() < deadline {
            _ = state.wait(until: min(deadline, Date(timeIntervalSinceNow: 0.05)))
        }
        return true
    }

    /// The prepared record of `key` if it reflects the record as of `seq` or later.
    private func takePrepared(_ key: RecordKey, atLeast seq: Int64) -> PreparedDocument? {
        state.lock(); defer { state.unlock() }
        guard let d = prepared.removeValue(forKey: key) else { return nil }
        if d.seq >= seq { state.broadcast(); return d }
        return nil
    }

    // MARK: - Indexer loop

    /// Starts the indexer thread (writer only).
    func start() {
        guard isWriter, thread == nil else { return }
        let t = Thread { [weak self] in self?.run() }
        t.name = "labsearch-indexer"
        t.stackSize = 4 << 20
        thread = t
        t.start()
    }

    /// Asks the indexer to look at the change log now.
    func wake() {
        state.lock()
        wakeRequested = true
        state.signal()
        state.unlock()
    }

    /// Stops the indexer after a final catch-up and commit.
    func stop() {
        state.lock()
        stopping = true
        state.signal()
        state.unlock()
        while let t = thread, !t.isFinished { usleep(2000) }
        thread = nil
        writerLock.lock()
        try? writer?.close()
        writer = nil
        writerLock.unlock()
        state.lock()
        let ws = waiters
        waiters.removeAll()
        state.unlock()
        for w in ws { w.cont.resume(returning: false) }
    }

    private func run() {
        while true {
            state.lock()
            if !wakeRequested && !stopping {
                _ = state.wait(until: Date(timeIntervalSinceNow: config.pollInterval))
            }
            let stop = stopping
            let rebuild = reindexRequested
            wakeRequested = false
            reindexRequested = false
            state.unlock()
            do {
                if rebuild && !stop { try rebuildNow() }
                // The last round (shutdown) is bounded: what is applied by then is committed,
                // the rest of the log replays at the next start.
                try catchUp(force: stop, deadline: stop ? Date(timeIntervalSinceNow: config.stopCatchUpSeconds) : nil)
            } catch {
                logger.error("indexing failed", metadata: ["error": "\(error)"])
                Thread.sleep(forTimeInterval: 0.5)
            }
            if stop { return }
        }
    }

    /// Applies every change after the last applied one. Commits (with `last_seq`, so a crash
    /// replays from the last commit) every `commitEvery` documents on a backlog, and once caught
    /// up when someone waits for the index, when `commitInterval` has passed, or when forced;
    /// otherwise the next round commits, so a bulk load is not slowed by a commit per chunk.
    func catchUp(force: Bool = false, deadline: Date? = nil) throws {
        writerLock.lock(); defer { writerLock.unlock() }
        guard let w = writer else { return }
        var seq = appliedSeq
        while true {
            if let deadline, Date() >= deadline {
                logger.warning("stopping before the index has caught up", metadata: ["index.seq": "\(seq)"])
                break
            }
            let changes = try store.changes(after: seq, limit: config.indexBatchSize)
            if changes.isEmpty { break }
            uncommittedDocs += try apply(changes, to: w)
            seq = changes.last!.seq
            appliedSeq = seq
            dropPrepared(through: seq)
            if uncommittedDocs >= config.commitEvery {
                try commit(w, seq: seq)
            }
            if changes.count < config.indexBatchSize { break }
        }
        if appliedSeq != indexedSeq {
            state.lock()
            let someoneWaits = !waiters.isEmpty || blockingWaiters > 0
            state.unlock()
            if force || someoneWaits || Date().timeIntervalSince(lastCommit) >= config.commitInterval {
                try commit(w, seq: appliedSeq)
            }
        }
    }

    private func commit(_ w: WritableDatabase, seq: Int64) throws {
        try w.setMetadata(Self.lastSeqKey, String(seq))
        try w.commit()
        uncommittedDocs = 0
        lastCommit = Date()
        try store.pruneChanges(through: seq)
        state.lock()
        indexedSeq = seq
        var ready: [CheckedContinuation<Bool, Never>] = []
        waiters.removeAll { item in
            if item.seq <= seq { ready.append(item.cont); return true }
            return false
        }
        state.unlock()
        for c in ready { c.resume(returning: true) }
    }

    /// Indexes one batch of changes; returns the number of documents written.
    private func apply(_ changes: [Change], to w: WritableDatabase) throws -> Int {
        var keys: [RecordKey] = []
        var seen = Set<RecordKey>()
        var deleted: [Int64] = []
        var lastSeqOf: [RecordKey: Int64] = [:]
        for c in changes {
            if c.op == .delete, let d = c.docid { deleted.append(d) }
            if seen.insert(c.key).inserted { keys.append(c.key) }
            lastSeqOf[c.key] = c.seq
        }
        // Documents the writer built: used as they are (their records are not read back).
        var ready: [RecordKey: PreparedDocument] = [:]
        var awaited: [Change] = []
        for c in changes where c.op == .upsert && lastSeqOf[c.key] == c.seq {
            if let d = takePrepared(c.key, atLeast: c.seq) { ready[c.key] = d } else { awaited.append(c) }
        }
        // Records a bulk write stored and is offering right now: wait for them (bounded)
        // rather than read them back and build their documents twice.
        if !awaited.isEmpty, waitForAnnounced(awaited.map(\.seq)) {
            for c in awaited { if let d = takePrepared(c.key, atLeast: c.seq) { ready[c.key] = d } }
        }
        let batchLast = changes.last?.seq ?? 0
        // Derived text: a company's contacts, events and subsidiaries show its name; an event
        // shows its contact's name. A child whose last change comes after this batch is
        // indexed by that change (an import writes a company, then its contacts): not twice.
        var extra: [RecordKey] = []
        for k in keys where k.kind.isCompany || k.kind == .clientContact {
            for (child, childSeq) in try store.childrenWithSeq(of: k) where childSeq <= batchLast && !seen.contains(child) {
                seen.insert(child)
                extra.append(child)
            }
        }
        keys += extra
        let records = try store.storedRecords(keys.filter { ready[$0] == nil })
        let related = try loadRelated(records.values.lazy.map(\.record))
        // Document ids are never reused, so a deleted record's document goes whatever follows.
        for d in deleted { try w.deleteDocument(docid: UInt32(d)) }
        // Written in docid order: each kind's documents go to the end of its own range, so
        // Xapian's B-trees grow by appending (full blocks) rather than by splitting.
        var docs: [(UInt32, PackedDocument)] = []
        docs.reserveCapacity(keys.count)
        for key in keys {
            if let d = ready[key] {
                let built = builder.build(d.record, related: d.related)
                docs.append((UInt32(d.docid), built.document))
                vocabulary.add(built.vocabulary)
                continue
            }
            guard let stored = records[key] else { continue }   // deleted: done above
            let built = builder.build(stored.record, related: Self.related(of: stored.record, in: related))
            docs.append((UInt32(stored.docid), built.document))
            vocabulary.add(built.vocabulary)
        }
        docs.sort { $0.0 < $1.0 }
        for (docid, doc) in docs { try w.replaceDocument(docid: docid, doc) }
        return docs.count
    }

    /// The records whose text the documents of `records` show (their companies, an event's
    /// contact), read in one store query.
    private func loadRelated<S: Sequence>(_ records: S) throws -> [RecordKey: Record] where S.Element == Record {
        var keys = Set<RecordKey>()
        for r in records {
            if let c = Self.companyKey(of: r) { keys.insert(c) }
            if let c = Self.contactKey(of: r) { keys.insert(c) }
        }
        return keys.isEmpty ? [:] : try store.records(Array(keys))
    }

    static func related(of r: Record, in loaded: [RecordKey: Record]) -> RelatedRecords {
        RelatedRecords(company: companyKey(of: r).flatMap { loaded[$0] }, contact: contactKey(of: r).flatMap { loaded[$0] })
    }

    /// An event's contact.
    static func contactKey(of r: Record) -> RecordKey? {
        r.kind == .event ? r.string("contact_id").map { RecordKey(kind: .clientContact, id: $0) } : nil
    }

    /// The company whose name a record's document shows: a contact's or event's client, a
    /// product's partner, a company's parent.
    static func companyKey(of r: Record) -> RecordKey? {
        switch r.kind {
        case .clientContact, .event: return r.string("client_id").map { RecordKey(kind: .client, id: $0) }
        case .partnerContact, .product: return r.string("partner_id").map { RecordKey(kind: .partner, id: $0) }
        case .client: return r.string("parent_id").map { RecordKey(kind: .client, id: $0) }
        case .partner: return r.string("parent_id").map { RecordKey(kind: .partner, id: $0) }
        }
    }

    // MARK: - Reindex

    /// Builds a new generation from the store and swaps it in; searches go on meanwhile.
    /// Runs on the indexer thread when it is started, else in the caller's thread.
    func reindex() throws {
        guard isWriter else {
            throw EngineError(.indexBusy, "L'index de ce tenant est tenu par un autre processus (le serveur) : demandez la réindexation au serveur.")
        }
        if thread != nil {
            state.lock()
            reindexRequested = true
            wakeRequested = true
            state.signal()
            state.unlock()
            // Wait until the rebuild has run (it clears the flag before starting).
            let generationBefore = currentGeneration
            while true {
                state.lock(); let pending = reindexRequested, stop = stopping; state.unlock()
                if !pending { break }
                if stop { throw Self.stoppingError }   // the indexer has stopped: no rebuild will run
                usleep(5000)
            }
            writerLock.lock(); writerLock.unlock()  // until the rebuild in progress finishes
            if currentGeneration == generationBefore, isStopping { throw Self.stoppingError }
        } else {
            try rebuildNow()
            try catchUp(force: true)
        }
    }

    private var isStopping: Bool {
        state.lock(); defer { state.unlock() }
        return stopping
    }

    private var currentGeneration: String {
        state.lock(); defer { state.unlock() }
        return generation
    }

    static let stoppingError = EngineError(.indexBusy, "Le serveur s'arrête : la reconstruction de l'index n'a pas eu lieu.")

    private func rebuildNow() throws {
        writerLock.lock(); defer { writerLock.unlock() }
        let number = (Int(generation.dropFirst(4)) ?? 0) + 1
        let next = String(format: "gen-%06d", number)
        let path = root + "/" + next
        try? FileManager.default.removeItem(atPath: path)
        let startSeq = try store.lastSeq()
        let building = try WritableDatabase(path: path, mode: .createOrOverwrite)
        let newVocabulary = Vocabulary()
        try store.forEachStoredRecord(batchSize: 1000) { batch in
            // Shutdown abandons the rebuild: the generation in use stays (a crash would too).
            if isStopping { throw Self.stoppingError }
            let related = try loadRelated(batch.lazy.map(\.record))
            for r in batch {
                let built = builder.build(r.record, related: Self.related(of: r.record, in: related))
                try building.replaceDocument(docid: UInt32(r.docid), built.document)
                newVocabulary.add(built.vocabulary)
            }
        }
        try building.setMetadata(Self.lastSeqKey, String(startSeq))
        try building.setMetadata(Self.fingerprintKey, fingerprint)
        try building.commit()
        // Compacted before it is used (the size users get is the size the benchmark reports);
        // not named by CURRENT yet, so a crash here leaves the old generation in use.
        try building.close()
        try Self.compactInPlace(path)
        let w = try WritableDatabase(path: path, mode: .createOrOpen)
        // Swap: CURRENT names the new generation; the old writer releases its lock.
        try Self.writeAtomically(next, to: root + "/" + Self.currentFile)
        let old = generation
        try? writer?.close()
        writer = w
        state.lock()
        generation = next
        indexedSeq = startSeq
        state.unlock()
        appliedSeq = startSeq
        uncommittedDocs = 0
        vocabulary.replace(with: newVocabulary)
        state.lock(); prepared.removeAll(); state.broadcast(); state.unlock()
        try? FileManager.default.removeItem(atPath: root + "/" + old)
        logger.info("reindex done", metadata: ["index.generation": "\(next)", "index.seq": "\(startSeq)"])
    }

    /// Compares the store with the index, after catching the index up with the change log:
    /// every stored record must have its document as the builder makes it now (terms, values,
    /// data), and the index no document without a record. With `repair`, rewrites the missing
    /// and stale documents and deletes the extra ones, then commits.
    func check(repair: Bool) throws -> IndexCheckReport {
        if isWriter { try catchUp(force: true) }
        var report = IndexCheckReport()
        let reader = try Database(path: currentPath())
        defer { reader.close() }
        var fixes: [(docid: UInt32, doc: PackedDocument?)] = []
        var stored = Set<UInt32>()
        try store.forEachStoredRecord(batchSize: 1000) { batch in
            let related = try loadRelated(batch.lazy.map(\.record))
            for r in batch {
                let docid = UInt32(r.docid)
                stored.insert(docid)
                report.storeRecords += 1
                let built = builder.build(r.record, related: Self.related(of: r.record, in: related))
                switch try reader.compare(docid: docid, with: built.document) {
                case .same: continue
                case .missing: report.missing.append(r.record.key)
                case .different: report.stale.append(r.record.key)
                }
                fixes.append((docid, built.document))
            }
        }
        let indexed = try reader.docids()
        report.indexDocuments = indexed.count
        for d in indexed where !stored.contains(d) {
            report.extra.append(d)
            fixes.append((d, nil))
        }
        guard repair, !fixes.isEmpty else { return report }
        guard isWriter else {
            throw EngineError(.indexBusy, "L'index de ce tenant est tenu par un autre processus (le serveur).")
        }
        writerLock.lock(); defer { writerLock.unlock() }
        guard let w = writer else { throw EngineError(.indexBusy, "L'index de ce tenant est fermé.") }
        for f in fixes {
            if let doc = f.doc { try w.replaceDocument(docid: f.docid, doc) } else { try w.deleteDocument(docid: f.docid) }
        }
        try commit(w, seq: appliedSeq)
        report.repaired = fixes.count
        return report
    }

    /// Replaces the database at `path` by a compacted copy (same document ids).
    static func compactInPlace(_ path: String) throws {
        let tmp = path + ".compacting", old = path + ".old"
        try? FileManager.default.removeItem(atPath: tmp)
        try? FileManager.default.removeItem(atPath: old)
        do {
            let r = try Database(path: path)
            try r.compact(to: tmp)
            r.close()
        }
        try FileManager.default.moveItem(atPath: path, toPath: old)
        try FileManager.default.moveItem(atPath: tmp, toPath: path)
        try? FileManager.default.removeItem(atPath: old)
    }

    /// Compacts the index: commits what is applied, writes a compacted copy of the current
    /// generation as the next one and swaps it in (as `reindex` does); searches go on meanwhile.
    /// Returns the sizes on disk before and after.
    func compact() throws -> (before: Int64, after: Int64) {
        guard isWriter else {
            throw EngineError(.indexBusy, "L'index de ce tenant est tenu par un autre processus (le serveur).")
        }
        writerLock.lock(); defer { writerLock.unlock() }
        guard let w = writer else { throw EngineError(.indexBusy, "L'index de ce tenant est fermé.") }
        if appliedSeq != indexedSeq || uncommittedDocs > 0 { try commit(w, seq: appliedSeq) }
        let current = root + "/" + generation
        let before = Self.directoryBytes(current)
        let next = String(format: "gen-%06d", (Int(generation.dropFirst(4)) ?? 0) + 1)
        let path = root + "/" + next
        try? FileManager.default.removeItem(atPath: path)
        do {
            let r = try Database(path: current)
            try r.compact(to: path)
            r.close()
        }
        let nw = try WritableDatabase(path: path, mode: .createOrOpen)
        try Self.writeAtomically(next, to: root + "/" + Self.currentFile)
        let old = generation
        try? w.close()
        writer = nw
        state.lock()
        generation = next
        state.broadcast()
        state.unlock()
        try? FileManager.default.removeItem(atPath: root + "/" + old)
        let after = Self.directoryBytes(path)
        logger.info("index compacted", metadata: ["index.generation": "\(next)", "bytes.before": "\(before)", "bytes.after": "\(after)"])
        return (before, after)
    }

    static func directoryBytes(_ path: String) -> Int64 {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return files.reduce(0) { sum, f in
            sum + (((try? FileManager.default.attributesOfItem(atPath: path + "/" + f))?[.size] as? NSNumber)?.int64Value ?? 0)
        }
    }

    // MARK: - Readers

    /// Runs `body` with a reader reopened on the latest commit of the current generation.
    /// Retries once when the database changed under the reader (DatabaseModifiedError).
    func withReader<T>(_ body: (Database) throws -> T) throws -> T {
        var (db, gen) = try checkoutReader()
        var attempt = 0
        while true {
            do {
                let r = try body(db)
                returnReader(db, generation: gen)
                return r
            } catch let e as XapianError where attempt < 2 && (e.code == .databaseModified || gen != currentGeneration) {
                // Fell behind the writer: reopened on its latest revision (a fresh reader the
                // second time). A reindex or compaction swapped the generation under the reader
                // (the old one is deleted): a reader of the current one.
                if e.code == .databaseModified, attempt == 0, gen == currentGeneration {
                    try db.reopen()
                } else {
                    (db, gen) = (try Database(path: currentPath()), currentGeneration)
                }
                attempt += 1
            }
        }
    }

    private func currentPath() -> String {
        state.lock(); defer { state.unlock() }
        return root + "/" + generation
    }

    private func checkoutReader() throws -> (Database, String) {
        if !isWriter { refreshGenerationFromDisk() }
        state.lock()
        let gen = generation
        if readersGeneration != gen { readers.removeAll(); readersGeneration = gen }
        let db = readers.popLast()
        state.unlock()
        if let db {
            do {
                try db.reopen()
                return (db, gen)
            } catch is XapianError {
                // Swapped out between the pop and the reopen: a fresh reader of the current one.
            }
        }
        let now = currentGeneration
        return (try Database(path: root + "/" + now), now)
    }

    /// Keeps a reader for the next search, unless its generation was swapped out meanwhile
    /// (it would reopen a deleted database).
    private func returnReader(_ db: Database, generation gen: String) {
        state.lock()
        if gen == readersGeneration, gen == generation, readers.count < 8 { readers.append(db) }
        state.unlock()
    }

    /// A process that does not hold the index follows the writer's generation swaps.
    private func refreshGenerationFromDisk() {
        guard let g = try? String(contentsOfFile: root + "/" + Self.currentFile, encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines), !g.isEmpty else { return }
        state.lock()
        let changed = g != generation
        if changed { generation = g }
        state.unlock()
        if changed { try? loadVocabulary() }
    }

    private func loadVocabulary() throws {
        var pairs: [(String, UInt32)] = []
        try withReader { db in
            for p in [Prefix.word] {
                try db.allTerms(prefix: p) { term, freq in
                    let w = String(term.dropFirst(p.count))
                    if let f = w.utf8.first, f >= 0x61 || (f >= 0x80) { pairs.append((w, freq)) }  // words, not digits
                    return true
                }
            }
        }
        vocabulary.replace(with: Vocabulary(pairs))
    }

    // MARK: - Sequence numbers and waiting

    var currentIndexedSeq: Int64 {
        if !isWriter {
            return (try? withReader { Int64(try $0.metadata(Self.lastSeqKey)) ?? 0 }) ?? 0
        }
        state.lock(); defer { state.unlock() }
        return indexedSeq
    }

    /// Waits until the index has applied `seq`, at most `timeout` seconds. True when it has.
    func waitForIndexed(_ seq: Int64, timeout: Double) async -> Bool {
        if !isWriter {
            let deadline = Date(timeIntervalSinceNow: timeout)
            while Date() < deadline {
                if currentIndexedSeq >= seq { return true }
                try? await Task.sleep(nanoseconds: 10_000_000)
            }
            return currentIndexedSeq >= seq
        }
        wake()
        let result: Bool = await withCheckedContinuation { cont in
            state.lock()
            if indexedSeq >= seq || stopping {
                let done = indexedSeq >= seq
                state.unlock()
                cont.resume(returning: done)
                return
            }
            nextWaiterId += 1
            let id = nextWaiterId
            waiters.append((id, seq, cont))
            state.unlock()
            // The timeout: resume with false if still waiting.
            Task.detached { [weak self] in
                try? await Task.sleep(nanoseconds: UInt64(timeout * 1e9))
                self?.expireWaiter(id: id)
            }
        }
        return result
    }

    private func expireWaiter(id: UInt64) {
        state.lock()
        let found = waiters.firstIndex { $0.id == id }.map { waiters.remove(at: $0) }
        state.unlock()
        found?.cont.resume(returning: false)
    }

    /// Blocking variant for the command line.
    func waitForIndexedBlocking(_ seq: Int64, timeout: Double) -> Bool {
        state.lock(); blockingWaiters += 1; state.unlock()
        defer { state.lock(); blockingWaiters -= 1; state.unlock() }
        let deadline = Date(timeIntervalSinceNow: timeout)
        while currentIndexedSeq < seq {
            if Date() > deadline { return false }
            wake()
            usleep(5000)
        }
        return true
    }

    func documentCount() throws -> Int { try withReader { Int(try $0.docCount()) } }

    static func writeAtomically(_ text: String, to path: String) throws {
        let tmp = path + ".tmp"
        try text.write(toFile: tmp, atomically: false, encoding: .utf8)
        if rename(tmp, path) != 0 { throw EngineError(.internalError, "rename failed: \(String(cString: strerror(errno)))") }
    }
}


