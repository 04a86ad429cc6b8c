import Foundation
import Model
import Store
import XapianKit

/// What `manifest.json` of a tenant backup says (snake_case keys in the file).
///
/// A backup directory holds `store.sqlite` (SQLite's online backup of the tenant's store: one
/// consistent snapshot, taken while the server may be writing), `system.json` (the tenant's
/// rows of `system.sqlite`: API key hashes, users' Argon2id hashes) and this manifest, written
/// last. The index is not copied: a restore rebuilds it from the store (the store is the
/// truth; the index a function of it), so the backup never needs the index writer's lock and
/// never has to match an index revision with a store snapshot.
public struct BackupManifest: Codable, Sendable, Equatable {
    public static let formatName = "labsearch-tenant-backup"
    public static let currentVersion = 1
    public static let fileName = "manifest.json"
    public static let storeFile = "store.sqlite"
    public static let systemFile = "system.json"

    public struct File: Codable, Sendable, Equatable {
        public var name: String
        public var bytes: Int64
        public var sha256: String
    }

    /// The source's index when the backup was taken (for information: it is not in the backup).
    public struct IndexInfo: Codable, Sendable, Equatable {
        public var generation: String
        public var lastSeq: Int64
        public var documents: Int
        public var fingerprint: String
    }

    public var format: String
    public var formatVersion: Int
    public var tenant: String
    /// RFC 3339 UTC, when the snapshot was taken.
    public var createdAt: String
    /// The store's last change seq in the snapshot: every change up to it is in the backup.
    public var storeSeq: Int64
    /// Records per kind in the snapshot.
    public var records: [String: Int]
    public var keys: Int
    public var users: Int
    public var index: IndexInfo?
    /// Whether the backup holds a copy of the index (never, in this version: rebuilt on restore).
    public var indexIncluded: Bool
    public var files: [File]

    public var totalRecords: Int { records.values.reduce(0, +) }
    public var totalBytes: Int64 { files.reduce(0) { $0 + $1.bytes } }

    static var encoder: JSONEncoder {
        let e = JSONEncoder()
        e.keyEncodingStrategy = .convertToSnakeCase
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return e
    }

    static var decoder: JSONDecoder {
        let d = JSONDecoder()
        d.keyDecodingStrategy = .convertFromSnakeCase
        return d
    }
}

/// What a restore did.
public struct RestoreReport: Sendable {
    public var tenant: String
    public var records: Int
    public var documents: Int
    public var keys: Int
    public var users: Int
    public var storeSeq: Int64
    /// Whether an existing tenant was replaced (`force`).
    public var replaced: Bool
}

extension Engine {
    // MARK: - Backup

    /// Backs up tenant `name` into the new directory `outDirectory` (refused when it exists
    /// and is not empty). Works whether or not another process (the server) holds the tenant's
    /// index and writes to its store meanwhile: the store is copied with SQLite's online backup
    /// API in one step inside a read transaction (a consistent snapshot; writers are not
    /// blocked in WAL mode), the index is only read (its revision, for the manifest). The files
    /// are written into `<out>.partial-<pid>` and the directory renamed at the end, so a
    /// failed backup leaves no directory that looks complete.
    @discardableResult
    public func backupTenant(_ name: String, to outDirectory: String) throws -> BackupManifest {
        guard Schema.isValidTenant(name) else { throw Self.invalidName() }
        let dir = tenantDirectory(name)
        let storePath = dir + "/store.sqlite"
        let fm = FileManager.default
        let rows = try system.tenantRows(name)
        guard rows != nil || fm.fileExists(atPath: storePath) else {
            throw EngineError(.tenantNotFound, "Tenant inconnu : \(name).")
        }
        guard fm.fileExists(atPath: storePath) else {
            throw EngineError(.tenantNotFound, "Le tenant « \(name) » n'a pas encore de base (rien à sauvegarder).")
        }
        let out = Self.trimmedPath(outDirectory)
        if let contents = try? fm.contentsOfDirectory(atPath: out), !contents.isEmpty {
            throw EngineError(.conflict, "Le dossier de sauvegarde « \(out) » existe déjà et n'est pas vide : choisissez un nouveau dossier.")
        }
        var isDir: ObjCBool = false
        if fm.fileExists(atPath: out, isDirectory: &isDir), !isDir.boolValue {
            throw EngineError(.conflict, "« \(out) » existe déjà et n'est pas un dossier.")
        }
        let parent = (out as NSString).deletingLastPathComponent
        if !parent.isEmpty { try fm.createDirectory(atPath: parent, withIntermediateDirectories: true) }
        let stage = out + ".partial-\(getpid())"
        try? fm.removeItem(atPath: stage)
        try fm.createDirectory(atPath: stage, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        var done = false
        defer { if !done { try? fm.removeItem(atPath: stage) } }

        let createdAt = Validator.formatUTC(Date())
        // The index first, then the store: the manifest's index revision is older than (or
        // as recent as) the snapshot. Read-only: no lock is taken.
        let index = Self.readIndexInfo(root: dir + "/index")
        let store = try TenantStore(path: storePath)
        do {
            try store.backup(to: stage + "/" + BackupManifest.storeFile)
            _ = try? store.close()
        } catch {
            _ = try? store.close()
            throw error
        }
        let summary = try TenantStore.summarize(backupFile: stage + "/" + BackupManifest.storeFile)
        guard summary.quickCheck == "ok" else {
            throw EngineError(.internalError, "La copie de la base du tenant est incohérente (quick_check : \(summary.quickCheck)).")
        }
        // Rows read after the snapshot: a key created meanwhile is kept too (harmless).
        let systemRows = try system.tenantRows(name) ?? TenantSystemRows(tenant: name, createdAt: createdAt, keys: [], users: [])
        let systemData = try BackupManifest.encoder.encode(systemRows)
        let systemPath = stage + "/" + BackupManifest.systemFile
        guard fm.createFile(atPath: systemPath, contents: systemData, attributes: [.posixPermissions: 0o600]) else {
            throw EngineError(.internalError, "Écriture impossible : \(systemPath).")
        }
        _ = chmod(stage + "/" + BackupManifest.storeFile, 0o600)
        var files: [BackupManifest.File] = []
        for f in [BackupManifest.storeFile, BackupManifest.systemFile] {
            let (hex, size) = try SHA256.file(atPath: stage + "/" + f)
            files.append(.init(name: f, bytes: size, sha256: hex))
        }
        let manifest = BackupManifest(format: BackupManifest.formatName, formatVersion: BackupManifest.currentVersion, tenant: name,
                                      createdAt: createdAt, storeSeq: summary.lastSeq, records: summary.records,
                                      keys: systemRows.keys.count, users: systemRows.users.count, index: index,
                                      indexIncluded: false, files: files)
        let manifestPath = stage + "/" + BackupManifest.fileName
        try BackupManifest.encoder.encode(manifest).write(to: URL(fileURLWithPath: manifestPath))
        _ = chmod(manifestPath, 0o600)
        for f in [BackupManifest.storeFile, BackupManifest.systemFile, BackupManifest.fileName] { Self.fsync(path: stage + "/" + f) }
        if fm.fileExists(atPath: out) { try fm.removeItem(atPath: out) }  // an empty directory, checked above
        guard rename(stage, out) == 0 else {
            throw EngineError(.internalError, "Renommage impossible de \(stage) en \(out) : \(String(cString: strerror(errno))).")
        }
        done = true
        Self.fsync(path: parent.isEmpty ? "." : parent)
        return manifest
    }

    /// The current generation's revision, read through a read-only database (never the lock).
    static func readIndexInfo(root: String) -> BackupManifest.IndexInfo? {
        guard let g = try? String(contentsOfFile: root + "/" + TenantIndex.currentFile, encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines), !g.isEmpty,
              let db = try? Database(path: root + "/" + g) else { return nil }
        defer { db.close() }
        return BackupManifest.IndexInfo(generation: g, lastSeq: Int64((try? db.metadata(TenantIndex.lastSeqKey)) ?? "") ?? 0,
                                        documents: Int((try? db.docCount()) ?? 0),
                                        fingerprint: (try? db.metadata(TenantIndex.fingerprintKey)) ?? "")
    }

    // MARK: - Restore

    /// Reads and checks a backup directory: the manifest, then every file's size and SHA-256.
    public static func verifyBackup(at directory: String) throws -> BackupManifest {
        let dir = trimmedPath(directory)
        guard let data = FileManager.default.contents(atPath: dir + "/" + BackupManifest.fileName) else {
            throw EngineError(.validation, "Pas de sauvegarde dans « \(dir) » : \(BackupManifest.fileName) est absent ou illisible.")
        }
        let manifest: BackupManifest
        do {
            manifest = try BackupManifest.decoder.decode(BackupManifest.self, from: data)
        } catch {
            throw EngineError(.validation, "Manifeste de sauvegarde illisible (\(dir)/\(BackupManifest.fileName)).")
        }
        guard manifest.format == BackupManifest.formatName else {
            throw EngineError(.validation, "« \(dir) » n'est pas une sauvegarde de tenant LabSearch.")
        }
        guard manifest.formatVersion <= BackupManifest.currentVersion else {
            throw EngineError(.validation, "Sauvegarde au format \(manifest.formatVersion), plus récent que celui de ce programme (\(BackupManifest.currentVersion)) : mettez LabSearch à jour.")
        }
        guard Schema.isValidTenant(manifest.tenant) else { throw invalidName() }
        let expected = Set([BackupManifest.storeFile, BackupManifest.systemFile])
        guard Set(manifest.files.map(\.name)) == expected, manifest.files.count == expected.count else {
            throw EngineError(.validation, "Manifeste de sauvegarde invalide : il doit lister exactement \(expected.sorted().joined(separator: " et ")).")
        }
        for f in manifest.files {
            let path = dir + "/" + f.name
            guard FileManager.default.fileExists(atPath: path) else {
                throw EngineError(.validation, "Sauvegarde incomplète : \(f.name) est absent.")
            }
            let (hex, size) = try SHA256.file(atPath: path)
            guard size == f.bytes, hex == f.sha256.lowercased() else {
                throw EngineError(.validation, "Sauvegarde corrompue : \(f.name) ne correspond pas au manifeste (taille ou empreinte SHA-256).")
            }
        }
        return manifest
    }

    /// Restores tenant `name` from the backup in `backupDirectory` into this engine's data
    /// directory, and rebuilds its index from the restored store.
    ///
    /// Refused (`tenantExists`) when the tenant already exists here (a row in `system.sqlite`
    /// or a directory), unless `force`; even then refused (`indexBusy`) while another process
    /// (a server) holds the existing tenant's index. The store is copied and the index built in
    /// a staging directory beside the tenants (`tenants/.restore-…`, a name no tenant can
    /// have); then one `system.sqlite` transaction installs the tenant's rows and renames the
    /// staging directory into place, so the tenant appears whole or not at all.
    @discardableResult
    public func restoreTenant(_ name: String, from backupDirectory: String, force: Bool = false) throws -> RestoreReport {
        guard Schema.isValidTenant(name) else { throw Self.invalidName() }
        let source = Self.trimmedPath(backupDirectory)
        let manifest = try Self.verifyBackup(at: source)
        guard manifest.tenant == name else {
            throw EngineError(.validation, "Cette sauvegarde est celle du tenant « \(manifest.tenant) », pas de « \(name) ».")
        }
        let rows: TenantSystemRows
        do {
            rows = try BackupManifest.decoder.decode(TenantSystemRows.self,
                                                     from: Data(contentsOf: URL(fileURLWithPath: source + "/" + BackupManifest.systemFile)))
        } catch {
            throw EngineError(.validation, "Sauvegarde illisible : \(BackupManifest.systemFile).")
        }
        guard rows.tenant == name else {
            throw EngineError(.validation, "Sauvegarde incohérente : \(BackupManifest.systemFile) est celui du tenant « \(rows.tenant) ».")
        }

        let fm = FileManager.default
        let finalDir = tenantDirectory(name)
        let exists = try system.tenantExists(name) || fm.fileExists(atPath: finalDir)
        if exists && !force {
            throw EngineError(.tenantExists, "Le tenant « \(name) » existe déjà dans « \(config.dataDirectory) » : restaurez dans un autre dossier de données, ou ajoutez --force pour le remplacer.")
        }
        if exists {
            lock.lock()
            let openHere = tenants[name] != nil
            lock.unlock()
            if openHere || Self.indexIsHeld(root: finalDir + "/index") {
                throw EngineError(.indexBusy, "Le tenant « \(name) » est en service (un autre processus, le serveur, tient son index) : arrêtez-le avant de le remplacer.")
            }
        }

        let tenantsDir = config.dataDirectory + "/tenants"
        try fm.createDirectory(atPath: tenantsDir, withIntermediateDirectories: true)
        let stage = tenantsDir + "/.restore-\(name)-\(getpid())-\(UInt32.random(in: 0 ... .max))"
        try fm.createDirectory(atPath: stage, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        var placed = false
        defer { if !placed { try? fm.removeItem(atPath: stage) } }
        try fm.copyItem(atPath: source + "/" + BackupManifest.storeFile, toPath: stage + "/store.sqlite")

        // The index, built from the store in the staging directory (this process's own writer).
        let documents: Int
        let storeSeq: Int64
        do {
            let t = try Tenant(name: name, directory: stage, analyzer: analyzer, config: config, logger: logger, writable: true)
            defer {
                t.stop()
                _ = try? t.store.close()
            }
            guard t.holdsIndex else { throw EngineError(.internalError, "Index de restauration verrouillé.") }
            try t.reindex()
            let status = try t.indexStatus()
            documents = status.documents
            storeSeq = status.storeSeq
        }
        guard storeSeq == manifest.storeSeq else {
            throw EngineError(.validation, "Sauvegarde incohérente : la base restaurée est au changement \(storeSeq), le manifeste dit \(manifest.storeSeq).")
        }
        guard documents == manifest.totalRecords else {
            throw EngineError(.internalError, "Index reconstruit incomplet : \(documents) documents pour \(manifest.totalRecords) fiches.")
        }
        for f in ["store.sqlite", "index/" + TenantIndex.currentFile] { Self.fsync(path: stage + "/" + f) }
        // The modes of a tenant created here (the backup's files were private to their owner).
        _ = chmod(stage, 0o755)
        _ = chmod(stage + "/store.sqlite", 0o644)

        let aside = tenantsDir + "/.replaced-\(name)-\(getpid())-\(UInt32.random(in: 0 ... .max))"
        var movedAside = false
        do {
            try system.installTenantRows(rows, replace: force) {
                if fm.fileExists(atPath: finalDir) {
                    // A directory that appeared since the check (a `load` creating the tenant)
                    // is replaced only when asked to.
                    guard force else { throw StoreError(.tenantExists) }
                    // Checked again under the system store's write lock: a server that opened
                    // the tenant since the first check keeps it.
                    if Self.indexIsHeld(root: finalDir + "/index") {
                        throw EngineError(.indexBusy, "Le tenant « \(name) » vient d'être ouvert par un autre processus (le serveur) : arrêtez-le avant de le remplacer.")
                    }
                    guard rename(finalDir, aside) == 0 else {
                        throw EngineError(.internalError, "Impossible d'écarter l'ancien tenant : \(String(cString: strerror(errno))).")
                    }
                    movedAside = true
                }
                guard rename(stage, finalDir) == 0 else {
                    let reason = String(cString: strerror(errno))
                    if movedAside, rename(aside, finalDir) == 0 { movedAside = false }
                    throw EngineError(.internalError, "Impossible de mettre le tenant restauré en place : \(reason).")
                }
                placed = true
            }
        } catch let e as StoreError {
            switch e.code {
            case .tenantExists:
                throw EngineError(.tenantExists, "Le tenant « \(name) » existe déjà dans « \(config.dataDirectory) » (créé pendant la restauration).")
            case .conflict(let message):
                throw EngineError(.conflict, message)
            default:
                throw e
            }
        }
        Self.fsync(path: tenantsDir)
        if movedAside { try? fm.removeItem(atPath: aside) }
        return RestoreReport(tenant: name, records: manifest.totalRecords, documents: documents, keys: rows.keys.count,
                             users: rows.users.count, storeSeq: storeSeq, replaced: exists)
    }

    /// Whether another process holds the writer lock of the index under `root`.
    static func indexIsHeld(root: String) -> Bool {
        guard let g = try? String(contentsOfFile: root + "/" + TenantIndex.currentFile, encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines), !g.isEmpty,
              FileManager.default.fileExists(atPath: root + "/" + g) else { return false }
        do {
            let w = try WritableDatabase(path: root + "/" + g, mode: .open)
            try? w.close()
            return false
        } catch let e as XapianError where e.code == .databaseLock {
            return true
        } catch {
            return false
        }
    }

    // MARK: - Helpers

    static func invalidName() -> EngineError {
        EngineError(.invalidTenantName, "Nom de tenant invalide : 1 à 63 caractères parmi a-z, 0-9, « _ » et « - ».")
    }

    /// The path without trailing slashes ("/" stays "/").
    static func trimmedPath(_ path: String) -> String {
        var p = path
        while p.count > 1 && p.hasSuffix("/") { p.removeLast() }
        return p
    }

    /// Flushes a file (or directory) to disk; errors are ignored (best effort).
    static func fsync(path: String) {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return }
        _ = Foundation.fsync(fd)
        close(fd)
    }
}
