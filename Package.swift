// swift-tools-version:6.0
import PackageDescription

/// Kernels are only fast when Swift may vectorize for the CPU it runs on
/// (DESIGN.md "Kernels and performance"): without a target CPU the SIMD paths scalarize.
/// Dynamic exclusivity checks on class properties cost more than a small op's whole kernel;
/// the engine confines mutable state to one thread (or a lock), so they are off.
let optimized: [SwiftSetting] = [.unsafeFlags(["-target-cpu", "native", "-enforce-exclusivity=unchecked"])]

let package = Package(
    name: "Duet",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "duet", targets: ["duet"]),
        .library(name: "DuetTensor", targets: ["DuetTensor"]),
        .library(name: "DuetGraph", targets: ["DuetGraph"]),
        .library(name: "DuetNN", targets: ["DuetNN"]),
        .library(name: "DuetScript", targets: ["DuetScript"]),
        .library(name: "DuetTUI", targets: ["DuetTUI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .systemLibrary(name: "COpenBLAS", path: "Sources/COpenBLAS"),
        .systemLibrary(name: "CCurses", path: "Sources/CCurses"),
        .systemLibrary(name: "CEdit", path: "Sources/CEdit"),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        .target(name: "DuetTensor", dependencies: ["COpenBLAS"], swiftSettings: optimized),
        .target(name: "DuetGraph", dependencies: ["DuetTensor"], swiftSettings: optimized),
        .target(name: "DuetNN", dependencies: ["DuetGraph", "CZlib"], swiftSettings: optimized),
        .target(name: "DuetScript", dependencies: ["DuetNN"], swiftSettings: optimized),
        .target(name: "DuetTUI", dependencies: ["DuetScript", "DuetGraph", "DuetTensor", "CCurses", "CEdit"], swiftSettings: optimized),
        .executableTarget(
            name: "duet",
            dependencies: ["DuetTensor", "DuetGraph", "DuetNN", "DuetScript", "DuetTUI", "CCurses", "CEdit", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: optimized),
        .target(name: "DuetTestSupport", path: "Tests/Support"),
        .testTarget(name: "DuetTensorTests", dependencies: ["DuetTensor"], swiftSettings: optimized),
        .testTarget(name: "DuetGraphTests", dependencies: ["DuetGraph", "DuetNN"], swiftSettings: optimized),
        .testTarget(name: "DuetNNTests", dependencies: ["DuetNN"], swiftSettings: optimized),
        .testTarget(name: "DuetScriptTests", dependencies: ["DuetScript", "DuetTestSupport"], exclude: ["Fixtures"], swiftSettings: optimized),
        .testTarget(name: "DuetTUITests", dependencies: ["DuetTUI", "DuetScript", "DuetTestSupport"], swiftSettings: optimized),
    ]
)
