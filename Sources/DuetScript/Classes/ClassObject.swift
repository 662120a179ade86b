/// What the instances of a class are built on: a plain object, or one of the engine's kinds that
/// PyTorch code subclasses (nn.Module, Dataset, IterableDataset, autograd.Function, exceptions).
enum NativeBase: Equatable {
    case object, module, exception(ErrorKind), dataset, iterableDataset, autogradFunction
}

/// A class: a `class` statement's result, or one of the built-in classes scripts derive from.
/// Methods are found along the C3 method resolution order, as in Python (docs/language.md, "Classes").
final class ClassObject: ScriptObject {
    let name: String
    let bases: [ClassObject]
    private(set) var mro: [ClassObject] = []
    var members = AttributeTable()
    /// For a built-in class, what it is; for a script class, what its nearest built-in base is.
    let native: NativeBase
    let isBuiltin: Bool
    /// Where `repr` says the class lives (`__main__` for script classes).
    let moduleName: String
    let docString: String?
    /// The interpreter that made the class: dunder methods run through it from places that have
    /// none at hand (operators, `repr`, hashing).
    weak var interp: Interpreter?

    init(name: String, bases: [ClassObject], native: NativeBase? = nil, builtin: Bool = false, moduleName: String = "__main__",
         doc: String? = nil) throws {
        self.name = name
        self.bases = bases
        isBuiltin = builtin
        self.moduleName = moduleName
        docString = doc
        var found: NativeBase = .object
        if let native {
            found = native
        } else {
            for b in bases where b.native != .object {
                if found != .object && found != b.native && !Self.compatible(found, b.native) {
                    throw ScriptError(.type, "multiple bases have instance lay-out conflict: \(name) derives from both \(Self.describe(found)) and \(Self.describe(b.native))")
                }
                if found == .object { found = b.native }
            }
        }
        self.native = found
        super.init()
        mro = [self] + (try Self.merge(bases.map(\.mro) + [bases], name))
    }

    /// A built-in class with at most one base (they form a tree), so its MRO needs no merge.
    init(builtin name: String, base: ClassObject?, native: NativeBase, moduleName: String = "builtins", doc: String? = nil) {
        self.name = name
        bases = base.map { [$0] } ?? []
        self.native = native
        isBuiltin = true
        self.moduleName = moduleName
        docString = doc
        super.init()
        mro = [self] + (base?.mro ?? [])
    }

    /// Two exception kinds may meet in one class (`class E(ValueError, KeyError)`); the first wins.
    private static func compatible(_ a: NativeBase, _ b: NativeBase) -> Bool {
        if case .exception = a, case .exception = b { return true }
        return false
    }

    private static func describe(_ n: NativeBase) -> String {
        switch n {
        case .object: "object"
        case .module: "nn.Module"
        case .exception(let k): k.rawValue
        case .dataset: "Dataset"
        case .iterableDataset: "IterableDataset"
        case .autogradFunction: "autograd.Function"
        }
    }

    /// C3 linearization: each class before its bases, bases in the order written, every
    /// class's own order kept; no such order is a TypeError, as in Python.
    private static func merge(_ lists: [[ClassObject]], _ name: String) throws -> [ClassObject] {
        var seqs = lists.filter { !$0.isEmpty }
        var out: [ClassObject] = []
        while !seqs.isEmpty {
            guard let head = seqs.lazy.map({ $0[0] }).first(where: { h in !seqs.contains { $0.dropFirst().contains { $0 === h } } }) else {
                throw ScriptError(.type, "Cannot create a consistent method resolution order (MRO) for bases of \(name)")
            }
            out.append(head)
            seqs = seqs.map { $0[0] === head ? Array($0.dropFirst()) : $0 }.filter { !$0.isEmpty }
        }
        return out
    }

    func isSubclass(of other: ClassObject) -> Bool { mro.contains { $0 === other } }

    /// The first definition of `name` along the MRO.
    func lookup(_ name: String) -> Value? {
        for c in mro { if let v = c.members[name] { return v } }
        return nil
    }

    /// The definition of `name` in the classes after `start` in this class's MRO (`super()`).
    func lookup(_ name: String, after start: ClassObject) -> Value? {
        guard let i = mro.firstIndex(where: { $0 === start }) else { return nil }
        for c in mro[(i + 1)...] { if let v = c.members[name] { return v } }
        return nil
    }

    /// Functions defined in the body learn their class, for zero-argument `super()`.
    func adoptMethods() {
        for (_, v) in members.pairs {
            guard case .object(let o) = v else { continue }
            for f in Descriptors.functions(in: o) where f.definingClass == nil { f.definingClass = self }
        }
    }

    override var typeName: String { "type" }
    override var repr: String { isBuiltin ? "<class '\(moduleName == "builtins" ? name : moduleName + "." + name)'>" : "<class '\(moduleName).\(name)'>" }
    override var help: String? {
        let methods = mro.filter { !$0.isBuiltin }.flatMap { c in c.members.pairs.filter { !$0.name.hasPrefix("__") || $0.name == "__init__" }.map(\.name) }
        return "class \(name)(" + bases.map(\.name).joined(separator: ", ") + ")" + (docString.map { "\n    " + $0 } ?? "")
            + (methods.isEmpty ? "" : "\n    methods: " + methods.joined(separator: ", "))
    }
    override var attributeNames: [String] { Array(Set(mro.flatMap { $0.members.names })).sorted() }

    override func call(_ args: Arguments, _ interp: Interpreter) throws -> Value {
        try Instantiation.make(self, args, interp)
    }

    override func attribute(_ name: String, _ interp: Interpreter) throws -> Value? {
        switch name {
        case "__name__", "__qualname__": return .str(self.name)
        case "__module__": return .str(moduleName)
        case "__doc__": return docString.map(Value.str) ?? Value.none
        case "__mro__": return .tuple(mro.map { .object($0) })
        case "__bases__": return .tuple(bases.map { .object($0) })
        case "__dict__": return .dict(try members.dict())
        default: break
        }
        if let v = lookup(name) { return Descriptors.classGet(v, self) }
        return NativeClassMembers.attribute(self, name, interp)
    }

    override func setAttribute(_ name: String, _ value: Value, _ interp: Interpreter) throws {
        guard !isBuiltin else { throw ScriptError(.type, "cannot set '\(name)' attribute of immutable type '\(self.name)'") }
        members[name] = value
    }
}
