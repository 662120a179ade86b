import Foundation
import DuetTensor
import DuetNN

/// `import numpy as np`: NumPy's file functions, so that arrays travel between Duet and other
/// tools as `.npy` and `.npz` files. Duet has no ndarray: a NumPy array is a tensor, read by its
/// data (detached), so these functions take and give tensors.
enum NumpyModule {
    /// How NumPy tells the two kinds of file apart, whatever their names: `.npy` files start
    /// with `\x93NUMPY`, `.npz` archives are zips (a local header, or the end record of an empty one).
    private static let npyMagic: [UInt8] = [0x93] + Array("NUMPY".utf8)
    private static let zipMagics: [[UInt8]] = [[0x50, 0x4B, 0x03, 0x04], [0x50, 0x4B, 0x05, 0x06]]

    static func install(into interp: Interpreter) {
        let np = Namespace("numpy")
        let npzFile = NpzFile.makeClass(interp)
        np.function("save(file, arr, allow_pickle=True)",
                    "Writes arr (a tensor, or what torch.tensor accepts) to a .npy file, adding '.npy' to a name without it; allow_pickle changes nothing (a tensor needs no pickle).") { b, _ in
            let file = withSuffix(try b.string("file"), ".npy")
            try NPY.save(try array(try b.value("arr"), dtype: nil), to: file)
            return .none
        }
        np.function("load(file, mmap_mode=None, allow_pickle=False)",
                    "A .npy file's array as a tensor, or a .npz archive's arrays as an NpzFile; the kind is read from the file's first bytes. The file is read whole: mmap_mode may be None, 'r' or 'c'. allow_pickle changes nothing (pickles are never read).") { b, _ in
            let file = try b.string("file")
            if let mode = try b.optionalString("mmap_mode"), mode != "r", mode != "c" {
                throw ScriptError(.value, "load(): mmap_mode='\(mode)' writes to the file, which Duet does not do (None, 'r' and 'c' read it whole)")
            }
            return try reporting {
                switch try kind(of: file) {
                case .archive: return NpzFile.make(npzFile, path: file, arrays: try NPZ.load(file))
                case .array, nil: return .tensor(try NPY.load(file))
                }
            }
        }
        for (name, compressed) in [("savez", false), ("savez_compressed", true)] {
            let how = compressed ? "deflated" : "stored uncompressed"
            np.function("\(name)(file, *args, **kwds)",
                        "Writes the arrays, \(how), to a .npz archive, adding '.npz' to a name without it: positional ones as arr_0, arr_1, …, keyword ones by their names.") { b, _ in
                try NPZ.save(try namedArrays(b), compressed: compressed, to: withSuffix(try b.string("file"), ".npz"))
                return .none
            }
        }
        np.function("asarray(a, dtype=None)", "a as a tensor: a tensor itself (detached; converted when dtype differs), or a tensor made from a list or number as torch.tensor makes it.") { b, _ in
            .tensor(try array(try b.value("a"), dtype: try b.dtype("dtype")))
        }
        np.function("array(object, dtype=None)", "A new tensor holding object's values (a copy of a tensor; a list or number as torch.tensor makes it).") { b, _ in
            let object = try b.value("object"), dtype = try b.dtype("dtype")
            if case .tensor(let t) = object { return .tensor(try t.to(dtype ?? t.dtype).clone().detach()) }
            return .tensor(try array(object, dtype: dtype))
        }
        if let allclose = interp.builtins["allclose"] { np.add("allclose", allclose) }
        let dtypes: [(String, DType)] = [("float16", .float16), ("float32", .float32), ("float64", .float64), ("int64", .int64),
                                          ("bool_", .bool), ("bool", .bool)]
        for (name, dtype) in dtypes { np.add(name, .object(DTypeObject(dtype))) }
        interp.defineModule("numpy", .object(np))
    }

    private enum Kind { case array, archive }

    /// The kind of numpy file by its magic bytes, as NumPy decides; nil when the file cannot be
    /// opened or read (the `.npy` reader then says why, naming the file).
    private static func kind(of path: String) throws -> Kind? {
        guard let handle = FileHandle(forReadingAtPath: path) else { return nil }
        defer { try? handle.close() }
        let head: [UInt8]
        do {
            head = [UInt8](try handle.read(upToCount: npyMagic.count) ?? Data())
        } catch {
            return nil
        }
        if head == npyMagic { return .array }
        if zipMagics.contains(where: { head.starts(with: $0) }) { return .archive }
        throw ScriptError(.os, "\(path): " + (head.isEmpty ? "the file is empty, not a .npy file or a .npz archive"
            : "neither a .npy file nor a .npz archive (it starts with neither \\x93NUMPY nor PK\\x03\\x04)"))
    }

    /// NumPy raises FileNotFoundError (an OSError) for a missing file; other file errors stay OSErrors.
    private static func reporting(_ body: () throws -> Value) throws -> Value {
        do {
            return try body()
        } catch let e as IOError where e.kind == .notFound {
            throw ScriptError(.fileNotFound, e.description)
        }
    }

    /// NumPy adds the extension only when the name lacks it.
    private static func withSuffix(_ file: String, _ suffix: String) -> String {
        file.hasSuffix(suffix) ? file : file + suffix
    }

    /// A value as the tensor NumPy would make of it: a tensor's data, or `torch.tensor(v)`.
    private static func array(_ v: Value, dtype: DType?) throws -> Tensor {
        guard case .tensor(let t) = v else { return try TensorLiteral.make(v, dtype: dtype) }
        return try t.detach().to(dtype ?? t.dtype)
    }

    /// savez's arrays in order: positional ones named arr_0, arr_1, …, then the keywords.
    private static func namedArrays(_ b: BoundArguments) throws -> [(String, Tensor)] {
        var named = try b.rest.enumerated().map { ("arr_\($0.offset)", try array($0.element, dtype: nil)) }
        for (name, value) in b.extraKeywords {
            guard !named.contains(where: { $0.0 == name }) else {
                throw ScriptError(.value, "\(b.function)(): cannot use un-named variables and keyword \(name)")
            }
            named.append((name, try array(value, dtype: nil)))
        }
        return named
    }
}
