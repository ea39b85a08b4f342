import Foundation
@testable import OpenDataPipeline
import SystemPackage
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Letting a written file's pages go waits for them to reach the disk, and that wait is where a
/// write error of those bytes is reported (a later fsync would not report it again): it must
/// be thrown, naming the file, and never taken for a hint that did not work.
@Suite("Durability")
struct DurabilityTests {
    @Test func releasingWrittenPagesKeepsTheBytesOnDisk() throws {
        let directory = try TemporaryDirectory()
        let path = directory.url.appendingPathComponent("data.csv").path
        let descriptor = try FileDescriptor.open(FilePath(path), .readWrite, options: [.create, .exclusiveCreate], permissions: .ownerReadWrite)
        defer { try? descriptor.close() }
        let bytes = (0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        _ = try bytes.withUnsafeBytes { try descriptor.writeAll($0) }
        try Durability.releaseWritten(descriptor, offset: 0, count: bytes.count, path: path)
        #expect(try [UInt8](Data(contentsOf: URL(fileURLWithPath: path))) == bytes)
    }

    #if os(Linux)
        @Test func aFailedWaitIsThrownWithTheFile() throws {
            // No descriptor at all (not a closed one, whose number another test may reuse): the wait fails (EBADF)
            // and is reported as a failed write would be.
            let path = "/releases/r1/data.csv"
            let descriptor = FileDescriptor(rawValue: -1)
            #expect(throws: PipelineFailure.cannotPublish(path: path, reason: "writing to the disk failed: \(Errno.badFileDescriptor)")) {
                try Durability.releaseWritten(descriptor, offset: 0, count: 4, path: path)
            }
        }

        @Test func aDescriptorThatCannotWaitOnlyKeepsItsPages() throws {
            // A pipe has no pages to let go (ESPIPE): not an error.
            var ends: [Int32] = [0, 0]
            #expect(pipe(&ends) == 0)
            defer {
                close(ends[0])
                close(ends[1])
            }
            try Durability.releaseWritten(FileDescriptor(rawValue: ends[1]), offset: 0, count: 4, path: "pipe")
        }
    #endif
}
