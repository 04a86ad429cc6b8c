import ArgumentParser
import Engine
import Foundation
import Logging
import Model
import Store

/// `labsearch tenant create NAME`: a tenant's store and index, and its first admin key.
struct TenantCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tenant",
        abstract: "Manage tenants (agencies).",
        subcommands: [Create.self, List.self]
    )

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a tenant and print its admin key alone on the last line.",
            discussion: "Exit status 1 when the name is taken or invalid. A running server sees the new tenant without a restart."
        )
        @OptionGroup var data: DataOptions
        @Argument(help: "Tenant name: 1 to 63 characters among a-z, 0-9, _ and -.") var name: String

        func validate() throws { try validateTenantName(name) }

        func run() throws {
            let engine = try openCLIEngine(data)
            defer { engine.shutdown() }
            do {
                try engine.createTenant(name)
            } catch let e as EngineError {
                engine.shutdown()
                failCLI(e.message)
            }
            let key = try engine.system.createKey(tenant: name, role: .admin)
            print("Tenant « \(name) » créé. Clé d'API admin (\(key.id)), affichée une seule fois :")
            print(key.key)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List tenants.")
        @OptionGroup var data: DataOptions

        func run() throws {
            let system = try SystemStore(dataDirectory: data.directory)
            for t in try system.listTenants() { print("\(t.name)\t\(t.createdAt)") }
        }
    }
}

/// `labsearch key create|list|revoke`: API keys (stored hashed; shown once at creation).
struct KeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key",
        abstract: "Manage API keys.",
        subcommands: [Create.self, List.self, Revoke.self]
    )

    struct Create: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a key and print it alone on the last line.")
        @OptionGroup var data: DataOptions
        @Option(help: "The key's tenant.") var tenant: String
        @Option(help: "user (search, records) or admin (also bulk load and reindex).") var role: APIRole = .user

        func run() throws {
            let system = try SystemStore(dataDirectory: data.directory)
            do {
                let key = try system.createKey(tenant: tenant, role: role)
                print("Clé « \(role.rawValue) » du tenant « \(tenant) » (\(key.id)), affichée une seule fois :")
                print(key.key)
            } catch let e as StoreError where e.code == .tenantNotFound {
                failCLI("tenant inconnu : « \(tenant) ».")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a tenant's keys (never the keys themselves).")
        @OptionGroup var data: DataOptions
        @Option(help: "The tenant.") var tenant: String

        func run() throws {
            let system = try SystemStore(dataDirectory: data.directory)
            guard try system.tenantExists(tenant) else { failCLI("tenant inconnu : « \(tenant) ».") }
            print("ID\tRÔLE\tCRÉÉE\tÉTAT")
            for k in try system.listKeys(tenant: tenant) {
                print("\(k.id)\t\(k.role.rawValue)\t\(k.createdAt)\t\(k.revokedAt.map { "révoquée \($0)" } ?? "active")")
            }
        }
    }

    struct Revoke: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a key by its id (a running server refuses it at once).")
        @OptionGroup var data: DataOptions
        @Argument(help: "The key's id (key_…), as `key list` shows it.") var id: String

        func run() throws {
            let system = try SystemStore(dataDirectory: data.directory)
            do {
                try system.revokeKey(id: id)
                print("Clé \(id) révoquée.")
            } catch let e as StoreError where e.code == .keyNotFound {
                failCLI("clé inconnue : « \(id) ».")
            }
        }
    }
}

extension APIRole: ExpressibleByArgument {}

/// The engine for a command that writes: quiet logs; indexes only if no server holds the index.
func openCLIEngine(_ data: DataOptions) throws -> Engine {
    var logger = Logger(label: "labsearch")
    logger.logLevel = .warning
    return try Engine(config: EngineConfig(dataDirectory: data.directory), logger: logger)
}

/// The argument check every command naming a tenant makes (exit 64 through ArgumentParser).
func validateTenantName(_ name: String) throws {
    guard Schema.isValidTenant(name) else {
        throw ValidationError("Nom de tenant invalide : 1 à 63 caractères parmi a-z, 0-9, « _ » et « - ».")
    }
}

/// `openCLIEngine`, or exit 1 with a French message naming the data directory.
func openCLIEngineOrFail(_ data: DataOptions) -> Engine {
    do {
        return try openCLIEngine(data)
    } catch {
        failCLI("impossible d'ouvrir le dossier de données « \(data.directory) » : \(error)")
    }
}

/// Prints `labsearch : message` on stderr and exits with `status` (default 1).
func failCLI(_ message: String, status: Int32 = 1) -> Never {
    FileHandle.standardError.write(Data("labsearch : \(message)\n".utf8))
    Foundation.exit(status)
}
