/// Reads zip archives (as `.npz` files are) through their central directory: members stored or
/// deflated, zip64 sizes and offsets, CRC-32 checked. Every offset is bounds-checked, since
/// the archive is untrusted input.
struct ZipReader {
    struct Entry {
        let name: String
        let method: UInt16
        let crc: UInt32
        let compressedSize: Int
        let size: Int
        let localHeaderOffset: Int
    }

    let bytes: [UInt8]
    let path: String
    let entries: [Entry]

    init(_ bytes: [UInt8], path: String) throws {
        self.bytes = bytes
        self.path = path
        func malformed(_ message: String) -> IOError { IOError(.malformed, path, message) }
        guard let end = ZipReader.endRecord(bytes) else {
            throw malformed("not a zip archive (no end of central directory record)")
        }
        var count = bytes.integer(UInt16.self, at: end + 10).map(Int.init) ?? 0
        var directorySize = bytes.integer(UInt32.self, at: end + 12).map(Int.init) ?? 0
        var directoryOffset = bytes.integer(UInt32.self, at: end + 16).map(Int.init) ?? 0
        if bytes.integer(UInt16.self, at: end + 4) != 0 || bytes.integer(UInt16.self, at: end + 6) != 0 {
            throw IOError(.unsupported, path, "multi-part zip archives are not supported")
        }
        if count == 0xFFFF || directorySize == 0xFFFF_FFFF || directoryOffset == 0xFFFF_FFFF {
            // Zip64: a locator just before the end record points at the 64-bit end record.
            guard bytes.integer(UInt32.self, at: end - 20) == 0x0706_4B50,
                  let at = bytes.integer(UInt64.self, at: end - 12).flatMap(Int.init(exactly:)),
                  bytes.integer(UInt32.self, at: at) == 0x0606_4B50,
                  let n = bytes.integer(UInt64.self, at: at + 32).flatMap(Int.init(exactly:)),
                  let size = bytes.integer(UInt64.self, at: at + 40).flatMap(Int.init(exactly:)),
                  let offset = bytes.integer(UInt64.self, at: at + 48).flatMap(Int.init(exactly:)) else {
                throw malformed("the zip64 end of central directory record is missing or cut short")
            }
            (count, directorySize, directoryOffset) = (n, size, offset)
        }
        guard directoryOffset <= bytes.count, directorySize <= bytes.count - directoryOffset else {
            throw malformed("the central directory (\(directorySize) bytes at offset \(directoryOffset)) lies past the end of the file (\(bytes.count) bytes)")
        }
        var entries: [Entry] = []
        var at = directoryOffset
        for k in 0..<count {
            guard at + 46 <= directoryOffset + directorySize, bytes.integer(UInt32.self, at: at) == 0x0201_4B50 else {
                throw malformed("central directory entry \(k) of \(count) is missing or corrupt")
            }
            let entry = try ZipReader.entry(bytes, at: at, index: k, path: path)
            entries.append(entry.entry)
            at = entry.next
        }
        self.entries = entries
    }

    /// The end of central directory record, searched backwards over a comment of up to 64 KiB.
    private static func endRecord(_ bytes: [UInt8]) -> Int? {
        guard bytes.count >= 22 else { return nil }
        var at = bytes.count - 22
        let lowest = max(0, at - 0xFFFF)
        while at >= lowest {
            if bytes.integer(UInt32.self, at: at) == 0x0605_4B50 { return at }
            at -= 1
        }
        return nil
    }

    /// One central directory entry and where the next begins.
    private static func entry(_ bytes: [UInt8], at: Int, index: Int, path: String) throws -> (entry: Entry, next: Int) {
        func field<T: FixedWidthInteger>(_ t: T.Type, _ offset: Int) -> T { bytes.integer(t, at: at + offset) ?? 0 }
        let flags = field(UInt16.self, 8), method = field(UInt16.self, 10)
        let nameLength = Int(field(UInt16.self, 28)), extraLength = Int(field(UInt16.self, 30)), commentLength = Int(field(UInt16.self, 32))
        let nameStart = at + 46, extraStart = nameStart + nameLength, next = extraStart + extraLength + commentLength
        guard next <= bytes.count else {
            throw IOError(.malformed, path, "central directory entry \(index) runs past the end of the file")
        }
        let name = String(decoding: bytes[nameStart..<extraStart], as: UTF8.self)
        guard flags & 1 == 0 else { throw IOError(.unsupported, path, "member '\(name)' is encrypted") }
        var size = Int(field(UInt32.self, 24)), compressed = Int(field(UInt32.self, 20)), offset = Int(field(UInt32.self, 42))
        // Fields saturated at 0xFFFFFFFF continue, in this order, in the zip64 extra field (id 1).
        var e = extraStart
        while e + 4 <= extraStart + extraLength {
            let id = bytes.integer(UInt16.self, at: e) ?? 0, length = Int(bytes.integer(UInt16.self, at: e + 2) ?? 0)
            if id == 1 {
                var p = e + 4
                var values = [size, compressed, offset]
                for i in values.indices where values[i] == 0xFFFF_FFFF {
                    guard p + 8 <= e + 4 + length, let v = bytes.integer(UInt64.self, at: p).flatMap(Int.init(exactly:)) else {
                        throw IOError(.malformed, path, "member '\(name)': its zip64 extra field is cut short")
                    }
                    values[i] = v
                    p += 8
                }
                (size, compressed, offset) = (values[0], values[1], values[2])
            }
            e += 4 + length
        }
        let entry = Entry(name: name, method: method, crc: field(UInt32.self, 16), compressedSize: compressed, size: size, localHeaderOffset: offset)
        return (entry, next)
    }

    /// The member's uncompressed bytes, checked against its size and CRC-32.
    func data(_ entry: Entry) throws -> [UInt8] {
        let at = entry.localHeaderOffset
        guard bytes.integer(UInt32.self, at: at) == 0x0403_4B50,
              let nameLength = bytes.integer(UInt16.self, at: at + 26), let extraLength = bytes.integer(UInt16.self, at: at + 28) else {
            throw IOError(.malformed, path, "member '\(entry.name)': no local header at offset \(at)")
        }
        let start = at + 30 + Int(nameLength) + Int(extraLength)
        guard start <= bytes.count, entry.compressedSize <= bytes.count - start else {
            throw IOError(.malformed, path, "member '\(entry.name)': its \(entry.compressedSize) bytes at offset \(start) run past the end of the file (\(bytes.count) bytes)")
        }
        let out: [UInt8] = try bytes.withUnsafeBytes { all in
            let raw = UnsafeRawBufferPointer(rebasing: all[start..<start + entry.compressedSize])
            switch entry.method {
            case 0:
                guard entry.size == entry.compressedSize else {
                    throw IOError(.malformed, path, "member '\(entry.name)' is stored uncompressed but its sizes differ (\(entry.compressedSize) and \(entry.size))")
                }
                return Array(raw)
            case 8:
                return try Zlib.inflateRaw(raw, size: entry.size, path: path, member: "member '\(entry.name)'")
            default:
                throw IOError(.unsupported, path, "member '\(entry.name)' uses compression method \(entry.method); only stored (0) and deflate (8) are supported")
            }
        }
        let crc = out.withUnsafeBytes { Zlib.crc32($0) }
        guard crc == entry.crc else {
            throw IOError(.malformed, path, "member '\(entry.name)' is corrupt: CRC-32 \(hex(crc)) does not match the recorded \(hex(entry.crc))")
        }
        return out
    }

    private func hex(_ v: UInt32) -> String { "0x" + String(v, radix: 16) }
}
