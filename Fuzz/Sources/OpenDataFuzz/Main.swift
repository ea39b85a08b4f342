#if canImport(Glibc)
    import Glibc
#endif

// libFuzzer's entry points. SwiftPM links an executable with `main=OpenDataFuzz_main`; under
// -parse-as-library that symbol is defined here and hands over to libFuzzer's driver.

/// The target chosen by `FUZZ_TARGET` (see `FuzzTarget.all`), read once before fuzzing starts.
nonisolated(unsafe) var selected: FuzzTarget?

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    selected?.run(UnsafeBufferPointer(start: data, count: size))
    return 0
}

// swift-format-ignore: AlwaysUseLowerCamelCase
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt

@_cdecl("OpenDataFuzz_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    let name = getenv("FUZZ_TARGET").map { String(cString: $0) } ?? ""
    if name == "list" {
        for target in FuzzTarget.all { print(target.name) }
        return 0
    }
    guard let target = FuzzTarget.all.first(where: { $0.name == name }) else {
        print("set FUZZ_TARGET to one of (or to 'list'): \(FuzzTarget.all.map(\.name).joined(separator: " "))")
        return 2
    }
    selected = target
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv, fuzzOne)
}
