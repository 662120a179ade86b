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
        .executable(name: "duet-serve", targets: ["duet-serve"]),
        .library(name: "DuetTensor", targets: ["DuetTensor"]),
        .library(name: "DuetGraph", targets: ["DuetGraph"]),
        .library(name: "DuetProto", targets: ["DuetProto"]),
        .library(name: "DuetNN", targets: ["DuetNN"]),
        .library(name: "DuetScript", targets: ["DuetScript"]),
        .library(name: "DuetTUI", targets: ["DuetTUI"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
    ],
    targets: [
        .systemLibrary(name: "COpenBLAS", path: "Sources/COpenBLAS"),
        .systemLibrary(name: "CCurses", path: "Sources/CCurses"),
        .systemLibrary(name: "CEdit", path: "Sources/CEdit"),
        .systemLibrary(name: "CZlib", path: "Sources/CZlib"),
        .target(name: "DuetTensor", dependencies: ["COpenBLAS"], swiftSettings: optimized),
        .target(name: "DuetGraph", dependencies: ["DuetTensor"], swiftSettings: optimized),
        .target(name: "DuetProto"),
        .target(name: "DuetNN", dependencies: ["DuetGraph", "DuetProto", "CZlib"], swiftSettings: optimized),
        .target(name: "DuetScript", dependencies: ["DuetNN"], swiftSettings: optimized),
        .target(name: "DuetTUI", dependencies: ["DuetScript", "DuetGraph", "DuetTensor", "CCurses", "CEdit"], swiftSettings: optimized),
        .executableTarget(
            name: "duet",
            dependencies: ["DuetTensor", "DuetGraph", "DuetNN", "DuetScript", "DuetTUI", "CCurses", "CEdit", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: optimized),
        // The model server is its own library and executable, so `duet` (and the first `make run`)
        // never builds SwiftNIO; `duet serve` builds `duet-serve` on first use. NIO's handlers are
        // confined to their event loop, which Swift 6's checker cannot see: this target is Swift 5 mode.
        .target(name: "DuetServe",
                dependencies: ["DuetNN", .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio"),
                               .product(name: "NIOHTTP1", package: "swift-nio")],
                swiftSettings: optimized + [.swiftLanguageMode(.v5)]),
        .executableTarget(name: "duet-serve", dependencies: ["DuetServe", .product(name: "ArgumentParser", package: "swift-argument-parser")],
                          swiftSettings: optimized),
        .target(name: "DuetTestSupport", path: "Tests/Support"),
        .testTarget(name: "DuetTensorTests", dependencies: ["DuetTensor"], swiftSettings: optimized),
        .testTarget(name: "DuetGraphTests", dependencies: ["DuetGraph", "DuetNN"], swiftSettings: optimized),
        .testTarget(name: "DuetNNTests", dependencies: ["DuetNN", "DuetTestSupport"], swiftSettings: optimized),
        .testTarget(name: "DuetScriptTests", dependencies: ["DuetScript", "DuetTestSupport"], exclude: ["Fixtures"], swiftSettings: optimized),
        .testTarget(name: "DuetTUITests", dependencies: ["DuetTUI", "DuetScript", "DuetTestSupport"], swiftSettings: optimized),
    ]
)
