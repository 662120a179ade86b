#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Facts about the machine read from the OS, for the doctor.
enum SystemInfo {
    /// "Debian GNU/Linux 12 (bookworm), kernel 6.1.0-18-cloud-amd64".
    static var operatingSystem: String {
        let name =
            readTextFile("/etc/os-release").flatMap { value(of: "PRETTY_NAME", in: $0, separator: "=") }
            ?? "unknown OS"
        let kernel = readTextFile("/proc/sys/kernel/osrelease").map { "kernel " + trimmed($0) }
        return [name, kernel].compactMap { $0 }.joined(separator: ", ")
    }

    /// The first "model name" of /proc/cpuinfo.
    static var cpuModel: String {
        readTextFile("/proc/cpuinfo").flatMap { value(of: "model name", in: $0, separator: ":") } ?? "unknown CPU"
    }

    static func environment(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }

    /// The value after `key` and `separator` on its first line, unquoted.
    static func value(of key: String, in text: String, separator: Character) -> String? {
        for line in text.split(separator: "\n") {
            guard let split = line.firstIndex(of: separator),
                trimmed(String(line[..<split])) == key
            else { continue }
            let value = trimmed(String(line[line.index(after: split)...]))
            return value.count >= 2 && value.hasPrefix("\"") && value.hasSuffix("\"")
                ? String(value.dropFirst().dropLast()) : value
        }
        return nil
    }

    private static func trimmed(_ text: String) -> String {
        String(text.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }

    /// A small text file's contents, or nil if it cannot be read.
    static func readTextFile(_ path: String) -> String? {
        guard let file = fopen(path, "r") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = fread(&chunk, 1, chunk.count, file)
            if count == 0 { break }
            bytes += chunk[..<count]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
