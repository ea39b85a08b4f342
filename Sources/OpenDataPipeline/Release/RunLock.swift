import SystemPackage

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// An exclusive lock on the output folder, so that two runs never publish at
/// once. It is a `flock(2)` on the folder itself, not on a file in it: a
/// folder holding releases cannot be deleted and recreated from under a run
/// unnoticed, as a lock file can. The kernel releases it when the process
/// ends, however it ends, so a killed run leaves no stale lock behind.
final class RunLock {
    let path: String
    private var descriptor: FileDescriptor?

    /// Takes the lock on the folder `path`, waiting up to `waitSeconds` for
    /// another run to release it (polling every 100 ms); fails with
    /// ``PipelineFailure/anotherRunInProgress(lockFile:)`` if it is still held,
    /// or ``PipelineFailure/interrupted(signal:)`` when a signal ends the wait.
    init(path: String, waitSeconds: Double = 0) throws(PipelineFailure) {
        self.path = path
        let folder: FileDescriptor
        do {
            folder = try FileDescriptor.open(FilePath(path), .readOnly, options: [.directory, .closeOnExec])
        } catch {
            throw PipelineFailure.cannotPublish(path: path, reason: "cannot open the folder to lock it: \(error)")
        }
        let deadline = ContinuousClock.now + .milliseconds(Int(waitSeconds * 1000))
        while flock(folder.rawValue, LOCK_EX | LOCK_NB) != 0, errno == EWOULDBLOCK, ContinuousClock.now < deadline {
            if Interruption.pending != 0 {
                try? folder.close()
                throw PipelineFailure.interrupted(signal: Interruption.pending)
            }
            usleep(100_000)
        }
        guard flock(folder.rawValue, LOCK_EX | LOCK_NB) == 0 else {
            let busy = errno == EWOULDBLOCK
            let reason = Durability.lastError
            try? folder.close()
            if busy { throw PipelineFailure.anotherRunInProgress(lockFile: path) }
            throw PipelineFailure.cannotPublish(path: path, reason: "cannot lock: \(reason)")
        }
        descriptor = folder
    }

    deinit {
        if let descriptor {
            flock(descriptor.rawValue, LOCK_UN)
            try? descriptor.close()
        }
    }
}
