#if canImport(Glibc)
    import Glibc
#endif

/// The file each input is written to, since the extractors read files: one per process, in
/// /dev/shm when there is one (no disk writes), else in TMPDIR.
enum ScratchFile {
    static let directory: String = {
        let base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : (getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp")
        let path = "\(base)/opendata-fuzz-\(getpid())"
        mkdir(path, 0o700)
        atexit { _ = system("rm -rf '\(ScratchFile.directory)'") }
        return path
    }()

    /// Writes `bytes` to `name` in the scratch directory and returns its path.
    static func write(_ bytes: UnsafeBufferPointer<UInt8>, name: String) -> String {
        let path = "\(directory)/\(name)"
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        precondition(descriptor >= 0, "cannot write \(path)")
        var offset = 0
        while offset < bytes.count {
            let written = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            precondition(written > 0, "cannot write \(path)")
            offset += written
        }
        close(descriptor)
        return path
    }

    static func write(_ bytes: [UInt8], name: String) -> String {
        bytes.withUnsafeBufferPointer { write($0, name: name) }
    }
}
