import DuetTensor

/// The IDX format of MNIST and its relatives (`train-images-idx3-ubyte`), plain or gzip'd
/// (recognised by its magic bytes, not its name). Integer data loads as int64 and floats as
/// float32/float64 unless `dtype` asks for another: `IDX.load(images, dtype: .float32)`.
public enum IDX {
    private static let types: [UInt8: (ElementType, String)] = [
        0x08: (.uint8, "ubyte"), 0x09: (.int8, "byte"), 0x0B: (.int16, "short"),
        0x0C: (.int32, "int"), 0x0D: (.float32, "float"), 0x0E: (.float64, "double"),
    ]

    public static func load(_ path: String, dtype: DType? = nil) throws -> Tensor {
        try decode(try FileIO.read(path), path: path, dtype: dtype)
    }

    /// A whole file's bytes; `path` only names the file in errors.
    static func decode(_ file: [UInt8], path: String, dtype: DType? = nil) throws -> Tensor {
        var bytes = file
        if bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B {
            bytes = try bytes.withUnsafeBytes { try Zlib.gunzip($0, path: path) }
        }
        func malformed(_ message: String) -> IOError { IOError(.malformed, path, message) }
        guard bytes.count >= 4, bytes[0] == 0, bytes[1] == 0 else {
            throw malformed("not an IDX file (it does not start with two zero bytes)")
        }
        guard let (type, typeName) = types[bytes[2]] else {
            throw IOError(.unsupported, path, "unknown IDX element type 0x\(String(bytes[2], radix: 16))")
        }
        let rank = Int(bytes[3]), dataStart = 4 + 4 * rank
        guard bytes.count >= dataStart else {
            throw malformed("the header announces \(rank) dimensions but the file ends after \(bytes.count) bytes")
        }
        let shape = (0..<rank).map { Int(bytes.integer(UInt32.self, at: 4 + 4 * $0, bigEndian: true) ?? 0) }
        var expected = type.size
        for d in shape {
            let (r, overflow) = expected.multipliedReportingOverflow(by: d)
            guard !overflow else { throw malformed("shape \(shapeText(shape)) is too large") }
            expected = r
        }
        let payload = bytes.count - dataStart
        guard expected == payload else {
            throw malformed("the header says shape \(shapeText(shape)) of \(typeName) (\(expected) bytes), but the file holds \(payload) bytes of data")
        }
        let tensor = try bytes.withUnsafeBytes {
            try type.tensor(UnsafeRawBufferPointer(rebasing: $0[dataStart...]), shape: shape, bigEndian: true)
        }
        return try tensor.to(dtype ?? tensor.dtype)
    }
}
