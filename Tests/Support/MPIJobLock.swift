import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// MPI jobs of every test target, one at a time (issue #18): on these 2-core machines two jobs
/// at once would oversubscribe the cores and stretch each one's waits. A lock file, because
/// test targets run in parallel within one `swift test` and see no common state.
public enum MPIJobLock {
    public static let path = FileManager.default.temporaryDirectory.appendingPathComponent("duet-tests-mpi.lock").path

    /// Runs `body` holding the lock (waiting for it as long as another job holds it).
    public static func run<T>(_ body: () throws -> T) rethrows -> T {
        let fd = open(path, O_CREAT | O_RDWR, 0o666)
        if fd >= 0 { while flock(fd, LOCK_EX) != 0 && errno == EINTR {} }
        defer {
            if fd >= 0 {
                flock(fd, LOCK_UN)
                close(fd)
            }
        }
        return try body()
    }
}
