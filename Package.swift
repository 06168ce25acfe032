// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "xpert",
    products: [
        .library(name: "XPertCore", targets: ["XPertCore"]),
        .executable(name: "xpert", targets: ["xpert"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based.git", from: "2.0.0"),
    ],
    targets: [
        // GLPK 5.0 from Debian's libglpk-dev; it ships no pkg-config file, so link by name.
        .systemLibrary(name: "CGLPK", path: "Sources/CGLPK"),
        // Linux system calls Foundation does not expose (atomic directory exchange, process groups).
        .target(name: "CPosixShims"),
        .target(
            name: "XPertCore",
            dependencies: ["CGLPK", "CPosixShims"]
        ),
        .executableTarget(
            name: "xpert",
            dependencies: [
                "XPertCore",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // A structured fuzzer of the command line (mutated spaces and designs), run by CI.
        .target(name: "XPertFuzz", dependencies: ["XPertCore"]),
        .executableTarget(
            name: "xpert-fuzz",
            dependencies: [
                "XPertFuzz",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(
            name: "XPertCoreTests",
            dependencies: [
                "XPertCore",
                "XPertFuzz",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ]
        ),
        .testTarget(
            name: "xpertTests",
            dependencies: ["xpert"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
