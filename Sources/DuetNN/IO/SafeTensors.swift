import DuetTensor

/// Checkpoints in Hugging Face's safetensors format: an 8-byte little-endian header length,
/// a JSON header naming each tensor's dtype, shape and byte range, then the raw data.
/// Saves F16, BF16, F32, F64, I64 and BOOL; loads those and widens I8–I32 and U8–U32.
public enum SafeTensors {
    static func dtypeName(_ dtype: DType) -> String {
        switch dtype {
        case .float16: "F16"
        case .bfloat16: "BF16"
        case .float32: "F32"
        case .float64: "F64"
        case .int64: "I64"
        case .bool: "BOOL"
        }
    }

    static let elementTypes: [String: ElementType] = [
        "F32": .float32, "F64": .float64, "I64": .int64, "BOOL": .bool, "F16": .float16, "BF16": .bfloat16,
        "I32": .int32, "I16": .int16, "I8": .int8, "U8": .uint8, "U16": .uint16, "U32": .uint32,
    ]

    /// Writes the tensors in the given order, atomically: a reader sees the old file or the
    /// whole new one, so a crash mid-save never leaves a broken checkpoint.
    public static func save(_ tensors: [(String, Tensor)], metadata: [String: String]? = nil, to path: String) throws {
        let header = try self.header(tensors, metadata: metadata)
        try FileIO.writeAtomically(path) { out in
            var prefix: [UInt8] = []
            prefix.append(littleEndian: UInt64(header.count))
            try out.write(prefix + header)
            for (_, tensor) in tensors { try tensor.withContiguousBytes { try out.write($0) } }
        }
    }

    /// Writes the tensors sorted by name, so equal dictionaries give equal files.
    public static func save(_ tensors: [String: Tensor], metadata: [String: String]? = nil, to path: String) throws {
        try save(tensors.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }, metadata: metadata, to: path)
    }

    public static func load(_ path: String) throws -> (tensors: [String: Tensor], metadata: [String: String]) {
        try decode(try FileIO.read(path), path: path)
    }

    /// A whole file's bytes; `path` only names the file in errors.
    static func decode(_ bytes: [UInt8], path: String) throws -> (tensors: [String: Tensor], metadata: [String: String]) {
        let header = try SafeTensorsHeader(bytes, path: path)
        var tensors: [String: Tensor] = [:]
        try bytes.withUnsafeBytes { all in
            for entry in header.entries {
                let range = header.dataStart + entry.begin..<header.dataStart + entry.end
                tensors[entry.name] = try entry.type.tensor(UnsafeRawBufferPointer(rebasing: all[range]), shape: entry.shape, bigEndian: false)
            }
        }
        return (tensors, header.metadata)
    }

    /// The JSON header, padded with spaces to a multiple of 8 bytes so the data stays aligned.
    static func header(_ tensors: [(String, Tensor)], metadata: [String: String]?) throws -> [UInt8] {
        var members: [String] = []
        if let metadata {
            let pairs = metadata.sorted { $0.key < $1.key }.map { JSONText.quoted($0.key) + ":" + JSONText.quoted($0.value) }
            members.append("\"__metadata__\":{" + pairs.joined(separator: ",") + "}")
        }
        var seen = Set<String>()
        var offset = 0
        for (name, tensor) in tensors {
            guard name != "__metadata__" else { throw TensorError.value("SafeTensors.save: '__metadata__' is reserved and cannot name a tensor") }
            guard seen.insert(name).inserted else { throw TensorError.value("SafeTensors.save: the tensor name '\(name)' is given twice") }
            let size = tensor.count * tensor.dtype.itemSize
            let dtype = dtypeName(tensor.dtype)
            let shape = tensor.shape.map(String.init).joined(separator: ",")
            members.append(JSONText.quoted(name) + ":{\"dtype\":\"\(dtype)\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(offset + size)]}")
            offset += size
        }
        var text = Array(("{" + members.joined(separator: ",") + "}").utf8)
        text += [UInt8](repeating: 0x20, count: (8 - text.count % 8) % 8)
        return text
    }
}
