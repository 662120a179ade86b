import DuetTensor

/// NumPy's `.npy` files: one array, C or Fortran order, header versions 1 to 3 on load.
/// Loads '<f2' '<f4' '<f8' '<i8' '|b1' as they are, and widens '<i4' '<i2' '|i1' '|u1' '<u2' '<u4'
/// to int64 (either byte order). Saves float16, float32, float64, int64 and bool as NumPy does.
public enum NPY {
    static let magic: [UInt8] = [0x93] + Array("NUMPY".utf8)

    public static func load(_ path: String) throws -> Tensor {
        try decode(try FileIO.read(path), path: path)
    }

    /// Writes atomically: a reader sees the old file or the new one, never a part.
    public static func save(_ tensor: Tensor, to path: String) throws {
        let header = try self.header(for: tensor)
        try FileIO.writeAtomically(path) { out in
            try out.write(header)
            try tensor.withContiguousBytes { try out.write($0) }
        }
    }

    /// The whole file's bytes (what `.npz` archives hold as members).
    static func encode(_ tensor: Tensor) throws -> [UInt8] {
        var bytes = try header(for: tensor)
        bytes += try tensor.contiguousBytes()
        return bytes
    }

    /// Magic, version and the dict literal, padded with spaces so the data starts on a
    /// 64-byte boundary as NumPy does; version 2 only when the header outgrows 65535 bytes.
    static func header(for tensor: Tensor) throws -> [UInt8] {
        let descr = switch tensor.dtype {
        case .bool: "|b1"
        case .int64: "<i8"
        case .float16: "<f2"
        case .float32: "<f4"
        case .float64: "<f8"
        case .bfloat16: throw TensorError.dtype("npy: NumPy has no bfloat16 dtype; convert with .float() before saving")
        }
        let text = Array(NPYHeader(descr: descr, fortranOrder: false, shape: tensor.shape).text.utf8)
        func paddedLength(after prefix: Int) -> Int { (prefix + text.count + 1 + 63) / 64 * 64 - prefix }
        let version1 = paddedLength(after: 10) <= 0xFFFF
        let padded = paddedLength(after: version1 ? 10 : 12)
        var bytes = magic + [version1 ? 1 : 2, 0]
        if version1 { bytes.append(littleEndian: UInt16(padded)) } else { bytes.append(littleEndian: UInt32(padded)) }
        bytes += text + [UInt8](repeating: 0x20, count: padded - text.count - 1) + [0x0A]
        return bytes
    }

    /// Parses a whole `.npy` file; `member` names the archive member when the bytes came from one.
    static func decode(_ bytes: [UInt8], path: String, member: String? = nil) throws -> Tensor {
        let at = member.map { "\($0): " } ?? ""
        func malformed(_ message: String) -> IOError { IOError(.malformed, path, at + message) }
        guard bytes.count >= 10, Array(bytes[0..<6]) == magic else {
            throw malformed("not a .npy file (it does not start with \\x93NUMPY)")
        }
        let major = bytes[6]
        guard (1...3).contains(major) else {
            throw IOError(.unsupported, path, at + ".npy format version \(major).\(bytes[7]) is not supported (only 1.0 to 3.0)")
        }
        let lengthSize = major == 1 ? 2 : 4
        let length = major == 1 ? bytes.integer(UInt16.self, at: 8).map(Int.init) : bytes.integer(UInt32.self, at: 8).map(Int.init)
        guard let length, 8 + lengthSize + length <= bytes.count else {
            throw malformed("the header runs past the end of the file (\(bytes.count) bytes)")
        }
        let start = 8 + lengthSize, dataStart = start + length
        let headerBytes = bytes[start..<dataStart]
        let text = major == 3 ? String(decoding: headerBytes, as: UTF8.self)
                              : String(String.UnicodeScalarView(headerBytes.map { Unicode.Scalar($0) }))
        let header: NPYHeader
        do {
            header = try NPYHeader.parse(text)
        } catch {
            throw malformed("invalid header \(text.trimmingSpaces): \(error.message)")
        }
        let (type, bigEndian) = try elementType(header.descr, path: path, at: at)
        var count = 1
        for d in header.shape {
            let (r, overflow) = count.multipliedReportingOverflow(by: d)
            guard !overflow else { throw malformed("shape \(shapeText(header.shape)) is too large") }
            count = r
        }
        let (expected, overflow) = count.multipliedReportingOverflow(by: type.size)
        let payload = bytes.count - dataStart
        guard !overflow, expected == payload else {
            throw malformed("the header says shape \(shapeText(header.shape)) of '\(header.descr)' (\(overflow ? "too many" : String(expected)) bytes), but the file holds \(payload) bytes of data")
        }
        // Fortran order is C order of the reversed shape, transposed back.
        let stored = header.fortranOrder ? header.shape.reversed() : header.shape
        let tensor = try bytes.withUnsafeBytes {
            try type.tensor(UnsafeRawBufferPointer(rebasing: $0[dataStart...]), shape: stored, bigEndian: bigEndian)
        }
        guard header.fortranOrder, tensor.rank > 1 else { return tensor }
        return try tensor.permute(Array((0..<tensor.rank).reversed())).contiguous()
    }

    /// The element type of a NumPy type string such as '<f4', and whether it is big-endian.
    static func elementType(_ descr: String, path: String, at: String) throws -> (ElementType, Bool) {
        let chars = Array(descr)
        let types: [String: ElementType] = [
            "b1": .bool, "u1": .uint8, "i1": .int8, "i2": .int16, "u2": .uint16, "i4": .int32, "u4": .uint32,
            "i8": .int64, "f2": .float16, "f4": .float32, "f8": .float64,
        ]
        guard chars.count == 3, "<>|=".contains(chars[0]), let type = types[String(chars[1...])] else {
            throw IOError(.unsupported, path, at + "dtype '\(descr)' is not supported (float16/32/64, int8 to int64, uint8 to uint32 and bool are)")
        }
        return (type, chars[0] == ">")
    }
}

fileprivate extension String {
    /// Without the spaces and newline NumPy pads headers with, for messages.
    var trimmingSpaces: String {
        String(self.reversed().drop { $0 == " " || $0 == "\n" }.reversed())
    }
}
