import ArgumentParser
import Engine
import Foundation
import Model
import Store

/// `labsearch backup`: a tenant's store, its rows of system.sqlite and a manifest, into a new
/// directory; with or without a server running (the server may keep writing).
struct BackupCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Back up a tenant (store, keys, users, manifest) into a new directory.",
        discussion: """
            Works while the server runs and writes: the store is copied with SQLite's online \
            backup (one consistent snapshot); the index is not copied (restore rebuilds it). \
            Exit status: 0 done, 1 refused or failed, 64 invalid arguments (a tenant name \
            outside [a-z0-9_-]{1,63}).
            """
    )
    @OptionGroup var data: DataOptions
    @Option(help: "Tenant name ([a-z0-9_-]{1,63}).") var tenant: String
    @Option(help: "The backup directory to create (must not exist, or be empty).") var out: String

    func validate() throws { try validateTenantName(tenant) }

    func run() throws {
        let started = Date()
        let engine = openCLIEngineOrFail(data)
        let manifest: BackupManifest
        do {
            manifest = try engine.backupTenant(tenant, to: out)
        } catch let e as EngineError {
            failCLI(e.message)
        } catch {
            failCLI("sauvegarde impossible : \(error)")
        }
        engine.shutdown()
        let elapsed = Date().timeIntervalSince(started)
        print(String(format: "Sauvegarde du tenant « %@ » : %d fiches (changement %lld), %d clés, %d utilisateurs, %.1f Mo, en %.1f s.",
                     tenant, manifest.totalRecords, manifest.storeSeq, manifest.keys, manifest.users,
                     Double(manifest.totalBytes) / 1e6, elapsed))
        print("Dossier : \(out)")
    }
}

/// `labsearch restore`: a backup into a data directory; the index rebuilt from the store.
struct RestoreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Restore a tenant from a backup directory (the index is rebuilt).",
        discussion: """
            Checks the manifest's SHA-256 of every file first. Refuses when the tenant exists \
            in the data directory, unless --force (then also refused while a server holds the \
            tenant: stop it first). Exit status: 0 done, 1 refused or failed, 64 invalid \
            arguments.
            """
    )
    @OptionGroup var data: DataOptions
    @Option(help: "Tenant name ([a-z0-9_-]{1,63}); must be the backup's.") var tenant: String
    @Option(help: "The backup directory (written by labsearch backup).") var from: String
    @Flag(help: "Replace the tenant if it exists in the data directory.") var force = false

    func validate() throws { try validateTenantName(tenant) }

    func run() throws {
        let started = Date()
        let engine = openCLIEngineOrFail(data)
        let report: RestoreReport
        do {
            report = try engine.restoreTenant(tenant, from: from, force: force)
        } catch let e as EngineError {
            failCLI(e.message)
        } catch {
            failCLI("restauration impossible : \(error)")
        }
        engine.shutdown()
        let elapsed = Date().timeIntervalSince(started)
        print(String(format: "Tenant « %@ » %@ : %d fiches, %d documents indexés, %d clés, %d utilisateurs, en %.1f s.",
                     tenant, report.replaced ? "remplacé par la sauvegarde" : "restauré", report.records, report.documents,
                     report.keys, report.users, elapsed))
    }
}
