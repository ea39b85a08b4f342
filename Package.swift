// swift-tools-version:6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    // SE-0409: imports are internal unless marked `public`, so no module leaks its dependencies.
    .enableUpcomingFeature("InternalImportsByDefault"),
    // SE-0444: a member is visible only where its module is imported.
    .enableUpcomingFeature("MemberImportVisibility"),
]

let package = Package(
    name: "opendata-pipeline",
    products: [
        .executable(name: "opendata", targets: ["opendata"]),
        .executable(name: "opendata-benchmark", targets: ["opendata-benchmark"]),
        .library(name: "OpenDataPipeline", targets: ["OpenDataPipeline"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-system", from: "1.7.0"),
        .package(url: "https://github.com/apple/swift-crypto", "3.0.0"..<"5.0.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.0.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.0.0"),
        .package(url: "https://github.com/adam-fowler/compress-nio", from: "1.0.0"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.0.0"),
        .package(url: "https://github.com/weichsel/ZIPFoundation", from: "0.9.19"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.21.0"),
    ],
    targets: [
        // The C API of libxml2 (Debian: libxml2-dev; pkg-config finds libxml-2.0.pc).
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev", "pkg-config"])]
        ),
        // The safe Swift wrapper; the only module that imports CLibXML2.
        .target(
            name: "LibXML", dependencies: ["CLibXML2", .product(name: "SystemPackage", package: "swift-system")],
            swiftSettings: swiftSettings),
        // Linux's sync_file_range, which Swift's Glibc module does not export (early writeback of large files).
        .target(name: "CFileWriteback"),
        // Everything the pipeline does: definition, extract, transform, publish, release.
        .target(
            name: "OpenDataPipeline",
            dependencies: [
                "LibXML",
                "CFileWriteback",
                "Yams",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            swiftSettings: swiftSettings
        ),
        // The preview server over a release folder (Hummingbird); kept out of the core library.
        .target(
            name: "OpenDataServer",
            dependencies: [
                "OpenDataPipeline",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "CompressNIO", package: "compress-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings
        ),
        // Thin executable: parse arguments, call the library, map failures to exit codes.
        .executableTarget(
            name: "opendata",
            dependencies: [
                "OpenDataPipeline",
                "OpenDataServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Throughput and memory of the real engine on synthetic or given CSV (not a test).
        .executableTarget(
            name: "opendata-benchmark",
            dependencies: [
                "OpenDataPipeline",
                "LibXML",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(name: "LibXMLTests", dependencies: ["LibXML"], swiftSettings: swiftSettings),
        .testTarget(
            name: "OpenDataPipelineTests",
            dependencies: [
                "OpenDataPipeline", "LibXML", .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "ZIPFoundation", package: "ZIPFoundation"),
                .product(name: "SystemPackage", package: "swift-system"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ],
            // Spreadsheets made by Fixtures/make-workbooks.py, read by path.
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "OpenDataServerTests",
            dependencies: [
                "OpenDataServer", "OpenDataPipeline", .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "EndToEndTests",
            dependencies: [
                "opendata", "LibXML", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            exclude: [
                "check_published.py", "check_pages_in_browser.py", "check_charts_in_browser.py", "check_markup.py", "check_html.py",
                "check_calendar.py", "check_dcat.py", "check_recipes.py", "read_figures.py", "Golden",
            ],
            swiftSettings: swiftSettings
        ),
    ]
)
