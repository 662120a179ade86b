/// A safetensors header, checked against the file before any tensor is made: the header length,
/// the JSON, each tensor's dtype, shape and byte range, and that the ranges tile the data
/// exactly — no range past the end, none overlapping, no bytes that belong to no tensor.
struct SafeTensorsHeader {
    struct Entry {
        let name: String
        let type: ElementType
        let dtypeName: String
        let shape: [Int]
        let begin: Int
        let end: Int
    }

    /// Sorted by byte range.
    let entries: [Entry]
    let metadata: [String: String]
    /// Where the data begins in the file.
    let dataStart: Int

    init(_ bytes: [UInt8], path: String) throws {
        func malformed(_ message: String) -> IOError { IOError(.malformed, path, message) }
        guard let length = bytes.integer(UInt64.self, at: 0) else {
            throw malformed("the file is \(bytes.count) bytes, too short for a safetensors header")
        }
        guard length <= UInt64(bytes.count - 8) else {
            throw malformed("the header length \(length) goes past the end of the file (\(bytes.count - 8) bytes follow it)")
        }
        dataStart = 8 + Int(length)
        let root: JSON
        do {
            root = try JSON.parse(bytes[8..<dataStart])
        } catch {
            throw malformed("the header is not valid JSON: \(error.message) at byte \(error.offset)")
        }
        guard case .object(let members) = root else { throw malformed("the header is not a JSON object") }
        var metadata: [String: String] = [:]
        var entries: [Entry] = []
        var names = Set<String>()
        for (name, value) in members {
            guard names.insert(name).inserted else { throw malformed("'\(name)' appears twice in the header") }
            if name == "__metadata__" {
                metadata = try Self.metadata(value, path: path)
            } else {
                entries.append(try Self.entry(name, value, path: path))
            }
        }
        entries.sort { ($0.begin, $0.end, $0.name) < ($1.begin, $1.end, $1.name) }
        try Self.checkTiling(entries, dataSize: bytes.count - dataStart, path: path)
        self.entries = entries
        self.metadata = metadata
    }

    private static func metadata(_ value: JSON, path: String) throws -> [String: String] {
        guard case .object(let pairs) = value else {
            throw IOError(.malformed, path, "__metadata__ must be an object of strings")
        }
        var out: [String: String] = [:]
        for (key, v) in pairs {
            guard let s = v.string else { throw IOError(.malformed, path, "__metadata__ '\(key)' is not a string") }
            out[key] = s
        }
        return out
    }

    private static func entry(_ name: String, _ value: JSON, path: String) throws -> Entry {
        func malformed(_ message: String) -> IOError { IOError(.malformed, path, "tensor '\(name)': \(message)") }
        guard case .object(let fields) = value else { throw malformed("its entry is not a JSON object") }
        func field(_ key: String) -> JSON? { fields.first { $0.key == key }?.value }
        guard let dtype = field("dtype")?.string else { throw malformed("'dtype' is missing or not a string") }
        guard let type = SafeTensors.elementTypes[dtype] else {
            throw IOError(.unsupported, path, "tensor '\(name)': unknown or unsupported dtype '\(dtype)' (F32, F64, I64, BOOL, F16, BF16, I8–I32, U8–U32 are supported)")
        }
        let badShape = malformed("'shape' is missing or not a list of non-negative integers")
        guard case .array(let dims) = field("shape") else { throw badShape }
        let shape = dims.compactMap(\.count)
        guard shape.count == dims.count else { throw badShape }
        guard case .array(let offsets) = field("data_offsets"), offsets.count == 2,
              let begin = offsets[0].count, let end = offsets[1].count, begin <= end else {
            throw malformed("'data_offsets' is missing or not two non-negative integers [begin, end] with begin ≤ end")
        }
        var needed = type.size
        for d in shape {
            let (r, overflow) = needed.multipliedReportingOverflow(by: d)
            guard !overflow else { throw malformed("shape \(shapeText(shape)) is too large") }
            needed = r
        }
        guard needed == end - begin else {
            throw malformed("shape \(shapeText(shape)) of \(dtype) needs \(needed) bytes, but data_offsets [\(begin), \(end)] hold \(end - begin)")
        }
        return Entry(name: name, type: type, dtypeName: dtype, shape: shape, begin: begin, end: end)
    }

    /// The ranges, sorted, must cover 0..<dataSize one after another.
    private static func checkTiling(_ entries: [Entry], dataSize: Int, path: String) throws {
        var position = 0
        var previous: Entry?
        for e in entries {
            guard e.end <= dataSize else {
                throw IOError(.malformed, path, "tensor '\(e.name)': data_offsets [\(e.begin), \(e.end)] go past the end of the data (\(dataSize) bytes)")
            }
            if e.begin < position, let p = previous {
                throw IOError(.malformed, path, "tensors '\(p.name)' (bytes \(p.begin)..<\(p.end)) and '\(e.name)' (bytes \(e.begin)..<\(e.end)) overlap")
            }
            if e.begin > position {
                let before = previous.map { "between tensors '\($0.name)' and '\(e.name)'" } ?? "before tensor '\(e.name)'"
                throw IOError(.malformed, path, "bytes \(position)..<\(e.begin) \(before) belong to no tensor")
            }
            position = e.end
            previous = e
        }
        guard position == dataSize else {
            let after = previous.map { "after tensor '\($0.name)'" } ?? "in a file with no tensors"
            throw IOError(.malformed, path, "bytes \(position)..<\(dataSize) \(after) belong to no tensor")
        }
    }
}
