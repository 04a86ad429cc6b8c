// swift-tools-version:6.0
// LabSearch: the search and indexing engine of an event agency's CRM.
// The targets draw the architecture; dependencies point one way:
//   CXapian (C++ shim, pure-C header) ← XapianKit (the only importer of CXapian)
//   CICU (C shim over ICU)            ← Analysis (French text analysis)
//   Model (records, schema, validation) ← Store (SQLite via GRDB, change log)
//   Analysis, XapianKit, Store, Model ← Engine (indexer, search) ← Server (HTTP) ← labsearch
//   CDigest (SHA-256 of files, in C)  ← Store (backup manifests)
import PackageDescription

let package = Package(
    name: "LabSearch",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "labsearch", targets: ["labsearch"]),
        .library(name: "Engine", targets: ["Engine"]),
        .library(name: "DemoData", targets: ["DemoData"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.0.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.5.0"),
    ],
    targets: [
        .target(
            name: "CXapian",
            path: "Sources/CXapian",
            linkerSettings: [.linkedLibrary("xapian")]
        ),
        .target(
            name: "CICU",
            path: "Sources/CICU",
            linkerSettings: [.linkedLibrary("icui18n"), .linkedLibrary("icuuc"), .linkedLibrary("icudata")]
        ),
        .target(
            name: "CSheets",
            path: "Sources/CSheets",
            linkerSettings: [.linkedLibrary("z"), .linkedLibrary("freexl")]
        ),
        .target(
            name: "CArgon2",
            path: "Sources/CArgon2",
            linkerSettings: [.linkedLibrary("argon2")]
        ),
        .target(name: "CDigest", path: "Sources/CDigest"),
        .target(name: "XapianKit", dependencies: ["CXapian"]),
        .target(name: "Sheets", dependencies: ["CSheets"]),
        .target(name: "Analysis", dependencies: ["CICU"]),
        .target(name: "Model"),
        .target(name: "DemoData", dependencies: ["Model"]),
        .target(name: "Store", dependencies: ["Model", "Analysis", "CArgon2", "CDigest", .product(name: "GRDB", package: "GRDB.swift")]),
        .target(
            name: "Engine",
            dependencies: ["Model", "Analysis", "XapianKit", "Store", .product(name: "Logging", package: "swift-log")]
        ),
        .target(name: "Transfer", dependencies: ["Engine", "Sheets", "Store", "Model", "Analysis"]),
        .target(
            name: "Server",
            dependencies: [
                "Engine", "Store", "Model", "Transfer", "Sheets", "XapianKit",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.copy("Public"), .copy("OpenAPI")]
        ),
        .executableTarget(
            name: "labsearch",
            dependencies: [
                "Engine", "Server", "DemoData", "Store", "Model", "Transfer", "Sheets",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "LabSearchBench",
            dependencies: ["Engine", "DemoData", "Store", "Model", .product(name: "GRDB", package: "GRDB.swift")],
            path: "benchmarks/Sources/LabSearchBench"
        ),
        .testTarget(name: "SheetsTests", dependencies: ["Sheets"], exclude: ["make_fixtures.py"], resources: [.copy("Fixtures")]),
        .testTarget(
            name: "TransferTests", dependencies: ["Transfer", "Sheets", "Engine", "Store", "Model"],
            exclude: ["make_fixtures.py"], resources: [.copy("Fixtures")]
        ),
        .testTarget(name: "AnalysisTests", dependencies: ["Analysis"]),
        .testTarget(name: "XapianKitTests", dependencies: ["XapianKit"]),
        .testTarget(name: "StoreTests", dependencies: ["Store", "Model", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "EngineTests", dependencies: ["Engine", "DemoData", "Store", "Model", "XapianKit"]),
        .testTarget(name: "DemoDataTests", dependencies: ["DemoData", "Model"]),
        .testTarget(
            name: "ServerTests",
            dependencies: ["Server", "Sheets", "Transfer", .product(name: "HummingbirdTesting", package: "hummingbird")]
        ),
    ],
    swiftLanguageModes: [.v5]
)
