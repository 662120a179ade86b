/// Writes a zip archive member by member into an open file: each member stored or deflated,
/// then the central directory. Archives past zip's 32-bit limits (4 GiB, 65535 members) are
/// refused rather than written in zip64.
struct ZipWriter {
    private struct Record {
        let name: [UInt8]
        let method: UInt16
        let crc: UInt32
        let compressedSize: UInt32
        let size: UInt32
        let offset: UInt32
    }

    private var records: [Record] = []
    let compress: Bool

    init(compress: Bool) { self.compress = compress }

    mutating func add(_ name: String, _ data: [UInt8], to out: inout FileOutput) throws {
        let stored = try data.withUnsafeBytes { raw in
            (crc: Zlib.crc32(raw), body: compress ? try Zlib.deflateRaw(raw, path: out.path) : data)
        }
        let nameBytes = Array(name.utf8)
        guard records.count < 0xFFFF, nameBytes.count <= 0xFFFF,
              let size = UInt32(exactly: data.count), let compressedSize = UInt32(exactly: stored.body.count),
              let offset = UInt32(exactly: out.offset) else {
            throw IOError(.unsupported, out.path, "member '\(name)': archives over 4 GiB or 65535 members are not supported")
        }
        let record = Record(name: nameBytes, method: compress ? 8 : 0, crc: stored.crc,
                            compressedSize: compressedSize, size: size, offset: offset)
        var header: [UInt8] = []
        header.append(littleEndian: UInt32(0x0403_4B50))
        header.append(littleEndian: UInt16(20))
        appendCommon(record, to: &header)
        header.append(littleEndian: UInt16(0))
        try out.write(header + nameBytes)
        try out.write(stored.body)
        records.append(record)
    }

    /// The central directory and its end record.
    func finish(_ out: inout FileOutput) throws {
        guard let start = UInt32(exactly: out.offset) else {
            throw IOError(.unsupported, out.path, "archives over 4 GiB are not supported")
        }
        var directory: [UInt8] = []
        for r in records {
            directory.append(littleEndian: UInt32(0x0201_4B50))
            directory.append(littleEndian: UInt16(20))
            directory.append(littleEndian: UInt16(20))
            appendCommon(r, to: &directory)
            directory.append(littleEndian: UInt16(0))
            directory.append(littleEndian: UInt16(0))
            directory.append(littleEndian: UInt16(0))
            directory.append(littleEndian: UInt16(0))
            directory.append(littleEndian: UInt32(0))
            directory.append(littleEndian: r.offset)
            directory += r.name
        }
        guard let size = UInt32(exactly: directory.count), start.addingReportingOverflow(size).overflow == false else {
            throw IOError(.unsupported, out.path, "archives over 4 GiB are not supported")
        }
        var end: [UInt8] = []
        end.append(littleEndian: UInt32(0x0605_4B50))
        end.append(littleEndian: UInt16(0))
        end.append(littleEndian: UInt16(0))
        end.append(littleEndian: UInt16(records.count))
        end.append(littleEndian: UInt16(records.count))
        end.append(littleEndian: size)
        end.append(littleEndian: start)
        end.append(littleEndian: UInt16(0))
        try out.write(directory + end)
    }

    /// The fields local headers and directory entries share, from the flags to the name length:
    /// UTF-8 names flagged, and a fixed date (1980-01-01) so that equal data gives equal files.
    private func appendCommon(_ r: Record, to bytes: inout [UInt8]) {
        bytes.append(littleEndian: UInt16(r.name.contains { $0 >= 0x80 } ? 0x0800 : 0))
        bytes.append(littleEndian: r.method)
        bytes.append(littleEndian: UInt16(0))
        bytes.append(littleEndian: UInt16(0x21))
        bytes.append(littleEndian: r.crc)
        bytes.append(littleEndian: r.compressedSize)
        bytes.append(littleEndian: r.size)
        bytes.append(littleEndian: UInt16(r.name.count))
    }
}
