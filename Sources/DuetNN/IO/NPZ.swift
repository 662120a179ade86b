import DuetTensor

/// NumPy's `.npz` archives: a zip of `.npy` members, one per named array, stored
/// (`np.savez`) or deflated (`np.savez_compressed`). Names are the member names without `.npy`.
public enum NPZ {
    public static func load(_ path: String) throws -> [String: Tensor] {
        try decode(try FileIO.read(path), path: path)
    }

    /// A whole archive's bytes; `path` only names the file in errors.
    static func decode(_ bytes: [UInt8], path: String) throws -> [String: Tensor] {
        let archive = try ZipReader(bytes, path: path)
        var arrays: [String: Tensor] = [:]
        for entry in archive.entries {
            guard entry.name.hasSuffix(".npy") else {
                throw IOError(.unsupported, path, "member '\(entry.name)' is not a .npy array")
            }
            let name = String(entry.name.dropLast(4))
            guard arrays[name] == nil else { throw IOError(.malformed, path, "the array '\(name)' appears twice") }
            arrays[name] = try NPY.decode(try archive.data(entry), path: path, member: "member '\(entry.name)'")
        }
        return arrays
    }

    /// Writes the arrays in the given order, atomically (`compressed` as `np.savez_compressed`).
    public static func save(_ arrays: [(String, Tensor)], compressed: Bool = false, to path: String) throws {
        var seen = Set<String>()
        for (name, _) in arrays where !seen.insert(name).inserted {
            throw TensorError.value("NPZ.save: the array name '\(name)' is given twice")
        }
        try FileIO.writeAtomically(path) { out in
            var zip = ZipWriter(compress: compressed)
            for (name, tensor) in arrays { try zip.add(name + ".npy", try NPY.encode(tensor), to: &out) }
            try zip.finish(&out)
        }
    }

    /// Writes the arrays sorted by name, so equal dictionaries give equal files.
    public static func save(_ arrays: [String: Tensor], compressed: Bool = false, to path: String) throws {
        try save(arrays.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }, compressed: compressed, to: path)
    }
}
