import DuetTensor

/// What `np.load` gives for a `.npz` archive: NumPy's `NpzFile`, a read-only mapping from
/// array names to tensors — `f["x"]`, `"x" in f`, `len(f)`, iteration over the names, `keys()`,
/// `values()`, `items()`, `get()`, `.files`, `.f.x` — that is also a context manager. It is a
/// built-in class with dunder methods, not a Swift object with its own protocol code, so that
/// `in`, `len`, `with` and `for` reach it the way they reach any script class's instance.
enum NpzFile {
    /// The class, made once per interpreter: its dunder methods run through that interpreter.
    static func makeClass(_ interp: Interpreter) -> ClassObject {
        let cls = ClassObject(builtin: "NpzFile", base: interp.classes.object, native: .object, moduleName: "numpy.lib.npyio",
                              doc: "The arrays of a .npz archive by name: f['x'], 'x' in f, len(f), for name in f, with np.load(path) as f.")
        cls.interp = interp
        method(cls, "__getitem__(self, key, /)", "The array named key (with or without '.npy').") { bag, b, interp in
            let key = try b.string("key")
            guard let t = bag.tensor(key) else { throw Exceptions.keyError(.str("\(key) is not a file in the archive"), interp) }
            return .tensor(t)
        }
        method(cls, "get(self, key, default=None, /)", "The array named key, or default.") { bag, b, _ in
            guard case .str(let key) = try b.value("key"), let t = bag.tensor(key) else { return try b.value("default") }
            return .tensor(t)
        }
        method(cls, "__contains__(self, key, /)", "Whether the archive holds an array named key.") { bag, b, _ in
            guard case .str(let key) = try b.value("key") else { return .bool(false) }
            return .bool(bag.tensor(key) != nil)
        }
        method(cls, "__len__(self, /)", "The number of arrays.") { bag, _, _ in .int(bag.names.count) }
        method(cls, "__iter__(self, /)", "Iterates over the array names.") { bag, _, _ in bag.nameList }
        method(cls, "keys(self, /)", "The array names, as a list.") { bag, _, _ in bag.nameList }
        method(cls, "values(self, /)", "The arrays, as a list.") { bag, _, _ in .list(ListObject(bag.arrays.map(Value.tensor))) }
        method(cls, "items(self, /)", "(name, array) pairs, as a list.") { bag, _, _ in
            .list(ListObject(zip(bag.names, bag.arrays).map { .tuple([.str($0), .tensor($1)]) }))
        }
        method(cls, "close(self, /)", "Nothing to release: the archive was read whole when it was opened.") { _, _, _ in .none }
        method(cls, "__enter__(self, /)", "The archive itself.") { _, b, _ in try b.value("self") }
        method(cls, "__exit__(self, exc_type, exc_value, traceback, /)", "Nothing to close (see close()); an error in the block passes on.") { _, _, _ in .none }
        method(cls, "__repr__(self, /)", "NumPy's form: the file and its first keys.") { bag, _, _ in
            let shown = bag.names.prefix(5).joined(separator: ", ") + (bag.names.count > 5 ? "..." : "")
            return .str("NpzFile \(Repr.repr(.str(bag.path))) with keys: \(shown)")
        }
        return cls
    }

    /// An instance over the archive's arrays.
    static func make(_ cls: ClassObject, path: String, arrays: [String: Tensor]) -> Value {
        let bag = NpzArrays(path: path, arrays: arrays)
        let instance = InstanceObject(cls)
        instance.table["files"] = bag.nameList
        instance.table["f"] = .object(bag)
        return .object(instance)
    }

    /// A method whose body gets the instance's arrays (its `f`).
    private static func method(_ cls: ClassObject, _ signature: Signature, _ doc: String,
                               _ body: @escaping (NpzArrays, BoundArguments, Interpreter) throws -> Value) {
        cls.members[signature.name] = .object(BuiltinFunction(signature, doc) { b, interp in
            guard case .object(let instance as InstanceObject) = try b.value("self"),
                  case .object(let bag as NpzArrays)? = instance.table["f"] else {
                throw ScriptError(.type, "NpzFile.\(signature.name)() needs an NpzFile whose 'f' holds its arrays")
            }
            return try body(bag, b, interp)
        })
    }
}

/// An archive's arrays by attribute (`f.f.x`, NumPy's BagObj), which the NpzFile methods read.
/// NumPy lists an archive's arrays in the order they were written, but the archive reader
/// returns them by name only: names are sorted, positional ones (`arr_2` before `arr_10`) by
/// number, so that `np.savez(p, *arrays)` comes back in the order the arrays were passed.
final class NpzArrays: ScriptObject {
    let path: String
    let names: [String]
    private let tensors: [String: Tensor]

    init(path: String, arrays: [String: Tensor]) {
        self.path = path
        tensors = arrays
        names = arrays.keys.sorted { a, b in
            switch (Self.position(a), Self.position(b)) {
            case let (i?, j?): i < j
            case (_?, nil): true
            case (nil, _?): false
            case (nil, nil): a < b
            }
        }
    }

    /// The number in a positional array's name `arr_N`.
    private static func position(_ name: String) -> Int? {
        name.hasPrefix("arr_") ? Int(name.dropFirst(4)) : nil
    }

    var arrays: [Tensor] { names.compactMap { tensors[$0] } }
    var nameList: Value { .list(ListObject(names.map(Value.str))) }

    /// The array named `key`; NumPy also accepts the member's name, with `.npy`.
    func tensor(_ key: String) -> Tensor? {
        tensors[key] ?? (key.hasSuffix(".npy") ? tensors[String(key.dropLast(4))] : nil)
    }

    override var typeName: String { "BagObj" }
    override func attribute(_ name: String, _ interp: Interpreter) throws -> Value? { tensors[name].map(Value.tensor) }
    override var attributeNames: [String] { names }
    override var repr: String { "<numpy.lib.npyio.BagObj object>" }
}
