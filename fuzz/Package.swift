// swift-tools-version:6.0
import PackageDescription

/// The coverage-guided fuzzer: libFuzzer drives `FuzzRun` (what `duet run` does to a script) with
/// inputs it mutates toward new coverage. Built only by `make fuzz`, with -sanitize=fuzzer on
/// every module, so it never slows the main build.
let package = Package(
    name: "DuetFuzz",
    platforms: [.macOS(.v15)],
    dependencies: [.package(name: "Duet", path: "..")],
    targets: [
        .executableTarget(name: "DuetFuzz", dependencies: [.product(name: "DuetScript", package: "Duet")]),
    ]
)
