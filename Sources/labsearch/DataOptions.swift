import ArgumentParser
import Foundation

/// The data directory option shared by every command: `--data DIR`, default the environment's
/// `LABSEARCH_DATA`, else `./data`.
struct DataOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Data directory (tenants' stores and indexes, keys).",
                                           discussion: "Default: $LABSEARCH_DATA, else ./data.",
                                           valueName: "dir"))
    var data: String?

    /// The directory to use.
    var directory: String {
        if let data, !data.isEmpty { return data }
        if let env = ProcessInfo.processInfo.environment["LABSEARCH_DATA"], !env.isEmpty { return env }
        return "./data"
    }
}
