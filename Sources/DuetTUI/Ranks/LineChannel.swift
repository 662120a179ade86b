import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// One end of a Unix-domain stream socket that carries JSON values, one per line: how the
/// workbench and its ranks talk (`RankMessages.swift`). A local socket, not mpirun's forwarded
/// standard streams, so that each rank has its own channel and stray output from MPI cannot
/// corrupt a message. One thread sends, another reads.
final class LineChannel: Sendable {
    let fd: Int32

    init(fd: Int32) { self.fd = fd }

    /// Connects to the workbench listening at `path`.
    static func connect(to path: String) throws -> LineChannel {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ChannelError("cannot create a socket: \(String(cString: strerror(errno)))") }
        var address = try socketAddress(path)
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard rc == 0 else {
            let reason = String(cString: strerror(errno))
            Glibc.close(fd)
            throw ChannelError("cannot connect to the workbench at \(path): \(reason)")
        }
        return LineChannel(fd: fd)
    }

    static func socketAddress(_ path: String) throws -> sockaddr_un {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { throw ChannelError("socket path too long: \(path)") }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        return address
    }

    /// Sends one value as a line; false when the other end has gone.
    @discardableResult
    func send<T: Encodable>(_ value: T) -> Bool {
        guard var data = try? JSONEncoder().encode(value) else { return false }
        data.append(UInt8(ascii: "\n"))
        return data.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return false }
            var offset = 0
            while offset < raw.count {
                // MSG_NOSIGNAL: a peer that has gone is an error here, not a SIGPIPE.
                let n = Glibc.send(fd, base + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { return false }
                offset += n
            }
            return true
        }
    }

    /// Reads lines until the other end closes, decoding each as `T`; a line that does not
    /// decode is passed as nil. Blocks: run it on its own thread.
    func readLines<T: Decodable>(as type: T.Type, _ body: (T?) -> Void) {
        var pending = Data()
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        let decoder = JSONDecoder()
        while true {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return }
            pending.append(contentsOf: chunk[0..<n])
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                body(try? decoder.decode(T.self, from: pending[pending.startIndex..<newline]))
                pending.removeSubrange(pending.startIndex...newline)
            }
        }
    }

    /// The rank a new connection announces in its first line (`RankUpdate.hello`), read byte by
    /// byte so nothing after it is consumed; nil if none comes within `seconds`.
    func readHello(seconds: Int = 10) -> Int? {
        var timeout = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        defer {
            var none = timeval(tv_sec: 0, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &none, socklen_t(MemoryLayout<timeval>.size))
        }
        var line: [UInt8] = []
        var byte: UInt8 = 0
        while line.count < 4096, recv(fd, &byte, 1, 0) == 1 {
            if byte == UInt8(ascii: "\n") { return (try? JSONDecoder().decode(RankUpdate.self, from: Data(line)))?.hello }
            line.append(byte)
        }
        return nil
    }

    /// Ends both directions: a reader blocked in `readLines` returns.
    func close() {
        shutdown(fd, Int32(SHUT_RDWR))
        Glibc.close(fd)
    }
}

struct ChannelError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}
