import Crypto
import Foundation
import SystemPackage

/// SHA-256 digests of files and bytes, as lowercase hex.
enum Digest {
    static func hex(_ digest: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        for byte in digest {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    static func sha256(_ bytes: some DataProtocol) -> String {
        hex(SHA256.hash(data: bytes))
    }

    /// Streams a file through SHA-256 in 1 MiB reads.
    static func sha256(file path: String) throws(PipelineFailure) -> String {
        var hasher = SHA256()
        do {
            let descriptor = try FileDescriptor.open(FilePath(path), .readOnly)
            defer { try? descriptor.close() }
            var chunk = [UInt8](repeating: 0, count: 1 << 20)
            while true {
                let count = try chunk.withUnsafeMutableBytes { try descriptor.read(into: $0) }
                if count == 0 { break }
                hasher.update(data: chunk[0..<count])
            }
        } catch {
            throw PipelineFailure.sourceUnreadable(SourceLocation(file: path), reason: "cannot open the file (\(error))")
        }
        return hex(hasher.finalize())
    }
}
