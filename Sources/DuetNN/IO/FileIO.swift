#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Whole-file reads and atomic writes with the operating system's reason in every error.
enum FileIO {
    /// The file's bytes.
    static func read(_ path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw systemError(path, "cannot open") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw systemError(path, "cannot stat") }
        guard info.st_mode & S_IFMT != S_IFDIR else { throw IOError(.system, path, "is a directory, not a file") }
        // The size is a hint: a file may change while it is read, and special files report 0.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(Int(info.st_size) + 1)
        var chunk = [UInt8](repeating: 0, count: max(1 << 16, min(Int(info.st_size) + 1, 1 << 26)))
        while true {
            let n = chunk.withUnsafeMutableBytes { posixRead(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw systemError(path, "cannot read")
            }
            if n == 0 { return bytes }
            bytes += chunk[0..<n]
        }
    }

    /// Writes a file so that readers see the old file or the whole new one, never a part:
    /// `body` writes a temporary file in the same directory, which is flushed to disk and then
    /// renamed over `path`. On any error the temporary file is removed and `path` is untouched.
    static func writeAtomically(_ path: String, _ body: (inout FileOutput) throws -> Void) throws {
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[...$0]) } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        guard !name.isEmpty else { throw IOError(.system, path, "cannot write: the path names a directory") }
        var temp = ""
        var fd: Int32 = -1
        for _ in 0..<16 where fd < 0 {
            temp = "\(directory).\(name).\(getpid())-\(UInt32.random(in: .min ... .max)).tmp"
            fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            if fd < 0 && errno != EEXIST { break }
        }
        guard fd >= 0 else { throw systemError(path, "cannot create a temporary file beside it") }
        var output = FileOutput(fd: fd, path: path)
        do {
            try body(&output)
            guard fsync(fd) == 0 else { throw systemError(path, "cannot flush to disk") }
            guard close(fd) == 0 else {
                fd = -1
                throw systemError(path, "cannot close")
            }
            fd = -1
            guard rename(temp, path) == 0 else { throw systemError(path, "cannot replace") }
        } catch {
            if fd >= 0 { close(fd) }
            unlink(temp)
            throw error
        }
    }

    static func systemError(_ path: String, _ what: String) -> IOError {
        let code = errno
        let reason = String(cString: strerror(code))
        return IOError(code == ENOENT ? .notFound : .system, path, "\(what): \(reason)")
    }
}

/// The open temporary file of an atomic write.
struct FileOutput {
    let fd: Int32
    let path: String
    /// Bytes written so far: formats that record offsets (zip) read their position here.
    private(set) var offset = 0

    init(fd: Int32, path: String) {
        self.fd = fd
        self.path = path
    }

    mutating func write(_ bytes: UnsafeRawBufferPointer) throws {
        var done = 0
        while done < bytes.count {
            let n = posixWrite(fd, bytes.baseAddress.map { $0 + done }, bytes.count - done)
            if n < 0 {
                if errno == EINTR { continue }
                throw FileIO.systemError(path, "cannot write")
            }
            done += n
        }
        offset += bytes.count
    }

    mutating func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }
}

/// The C calls, named apart from the methods above that shadow them.
private func posixRead(_ fd: Int32, _ buffer: UnsafeMutableRawPointer?, _ count: Int) -> Int { read(fd, buffer, count) }
private func posixWrite(_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int { write(fd, buffer, count) }
