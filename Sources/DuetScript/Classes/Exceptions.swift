/// Python's exception classes, and the bridge between them and the `ScriptError`s everything
/// below the language throws: an engine error is caught as the class of its kind (a shape
/// mismatch is a `ShapeError`, a subclass of `RuntimeError`, which is what PyTorch raises).
enum Exceptions {
    /// Each built-in exception class and its base, parents before children.
    static let tree: [(ErrorKind, ErrorKind?)] = [
        (.baseException, nil), (.keyboardInterrupt, .baseException), (.stepLimit, .baseException),
        (.exception, .baseException),
        (.arithmetic, .exception), (.zeroDivision, .arithmetic), (.overflow, .arithmetic),
        (.lookup, .exception), (.index, .lookup), (.key, .lookup),
        (.assertion, .exception), (.attribute, .exception), (.importError, .exception), (.memory, .exception),
        (.name, .exception), (.unboundLocal, .name),
        (.os, .exception), (.fileNotFound, .os),
        (.runtime, .exception), (.notImplemented, .runtime), (.recursion, .runtime), (.shape, .runtime), (.dtype, .runtime),
        (.stopIteration, .exception), (.syntax, .exception), (.indentation, .syntax), (.tab, .indentation),
        (.type, .exception), (.value, .exception),
    ]

    /// The classes, made once per interpreter (a class keeps its interpreter for dunder calls).
    static func makeClasses(_ object: ClassObject) -> [ErrorKind: ClassObject] {
        var classes: [ErrorKind: ClassObject] = [:]
        for (kind, base) in tree {
            let cls = ClassObject(builtin: kind.rawValue, base: base.flatMap { classes[$0] } ?? object, native: .exception(kind))
            if base == nil { installMethods(cls) }
            classes[kind] = cls
        }
        return classes
    }

    /// `BaseException.__init__(*args)` and `__str__`, inherited by every exception class.
    private static func installMethods(_ cls: ClassObject) {
        cls.members["__init__"] = .object(BuiltinFunction("__init__(self, /, *args)", "Keeps the arguments as .args.") { b, _ in
            guard case .object(let e as InstanceObject) = try b.value("self") else { throw ScriptError(.type, "__init__() needs an exception instance") }
            e.table["args"] = .tuple(Array(b.rest))
            return .none
        })
        cls.members["__str__"] = .object(BuiltinFunction("__str__(self, /)", "The message: the argument, or the arguments' tuple.") { b, _ in
            guard case .object(let e as InstanceObject) = try b.value("self") else { return .str("") }
            return .str(message(e))
        })
    }

    static func arguments(_ e: InstanceObject) -> [Value] {
        if case .tuple(let items)? = e.table["args"] { return items }
        return []
    }

    /// `str(e)`: empty with no arguments, the argument itself with one (its repr for a KeyError,
    /// as CPython shows the missing key), their tuple with more.
    static func message(_ e: InstanceObject) -> String {
        let args = arguments(e)
        switch args.count {
        case 0: return ""
        case 1: return kind(of: e.cls) == .key ? Repr.repr(args[0]) : Repr.str(args[0])
        default: return Repr.repr(.tuple(args))
        }
    }

    static func repr(_ e: InstanceObject) -> String {
        let args = arguments(e)
        return e.cls.name + (args.count == 1 ? "(" + Repr.repr(args[0]) + ")" : Repr.repr(.tuple(args)))
    }

    static func isException(_ cls: ClassObject) -> Bool {
        if case .exception = cls.native { return true }
        return false
    }

    /// The built-in kind a class reports as when nothing more specific applies.
    static func kind(of cls: ClassObject) -> ErrorKind {
        if case .exception(let k) = cls.native { return k }
        return .exception
    }

    /// The error `raise value` throws: an exception instance (or class, instantiated) becomes a
    /// ScriptError carrying it, so `except` finds its class and `as e` gets it back.
    static func error(raising value: Value, _ interp: Interpreter) throws -> ScriptError {
        var v = value
        if case .object(let c as ClassObject) = v, isException(c) { v = try c.call(Arguments([]), interp) }
        guard case .object(let e as InstanceObject) = v, isException(e.cls) else {
            throw ScriptError(.type, "exceptions must derive from BaseException, not \(v.typeName)")
        }
        return error(for: e, interp)
    }

    static func error(for e: InstanceObject, _ interp: Interpreter) -> ScriptError {
        var error = ScriptError(kind(of: e.cls), e.str)
        error.exceptionType = e.cls.isBuiltin && e.cls.name == error.kind.rawValue ? nil : e.cls.name
        error.exceptionID = interp.remember(e)
        return error
    }

    /// The exception object of a caught error: the one raised, or one made from the engine's
    /// error (its class from the kind, its message as the argument).
    static func instance(of error: ScriptError, _ interp: Interpreter) -> InstanceObject? {
        if let id = error.exceptionID, let e = interp.raisedException(id) { return e }
        guard let cls = interp.classes.exceptions[error.kind] else { return nil }
        let e = InstanceObject(cls)
        e.table["args"] = .tuple(error.message.isEmpty ? [] : [.str(error.message)])
        return e
    }

    /// The KeyError of a missing key, carrying the key itself (`e.args[0]` is the key, as in Python).
    static func keyError(_ key: Value, _ interp: Interpreter) -> ScriptError {
        guard let cls = interp.classes.exceptions[.key] else { return ScriptError(.key, Repr.repr(key)) }
        let e = InstanceObject(cls)
        e.table["args"] = .tuple([key])
        return error(for: e, interp)
    }

    /// The class an error is caught as.
    static func cls(of error: ScriptError, _ interp: Interpreter) -> ClassObject? {
        if let id = error.exceptionID, let e = interp.raisedException(id) { return e.cls }
        return interp.classes.exceptions[error.kind]
    }
}
