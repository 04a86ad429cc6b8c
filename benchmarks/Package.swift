// swift-tools-version:6.0
// LabSearch benchmarks: a separate package (release builds, outside the test suite) that
// depends on the engine in `..`. See README.md here.
import PackageDescription

let package = Package(
    name: "LabSearchBenchmarks",
    dependencies: [.package(path: "..")],
    targets: [
        .executableTarget(
            name: "LabSearchBench",
            dependencies: [
                .product(name: "Engine", package: "main"),
                .product(name: "DemoData", package: "main"),
            ]
        ),
    ],
    swiftLanguageModes: [.v5]
)
