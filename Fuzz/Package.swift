// swift-tools-version:6.1
import PackageDescription

// libFuzzer targets over the parsers that read outside input. A package of its own, so plain
// builds of the tool never need libFuzzer. Build (see run.sh):
//   swift build -c debug -Xswiftc -sanitize=fuzzer,address -Xswiftc -parse-as-library
let package = Package(
    name: "opendata-fuzz",
    dependencies: [
        .package(name: "opendata-pipeline", path: "..")
    ],
    targets: [
        .executableTarget(
            name: "OpenDataFuzz",
            dependencies: [.product(name: "OpenDataPipeline", package: "opendata-pipeline")],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        )
    ]
)
