import DuetTensor

/// Base of every object that is not a number, string, container or tensor: functions,
/// namespaces, NN modules, optimizers, data loaders, contexts. Subclasses override what they
/// support; the defaults raise the TypeError or AttributeError Python would.
public class ScriptObject {
    var typeName: String { "object" }

    /// The attribute `name`, or nil when there is none (the caller raises AttributeError).
    func attribute(_ name: String, _ interp: Interpreter) throws -> Value? { nil }

    func setAttribute(_ name: String, _ value: Value, _ interp: Interpreter) throws {
        throw ScriptError(.attribute, "'\(typeName)' object attribute '\(name)' is read-only")
    }

    func call(_ args: Arguments, _ interp: Interpreter) throws -> Value {
        throw ScriptError(.type, "'\(typeName)' object is not callable")
    }

    /// An iterator over the object, or nil when it is not iterable.
    func makeIterator(_ interp: Interpreter) throws -> ValueIterator? { nil }

    var repr: String { "<\(typeName) object>" }
    /// `str(x)`: the same as `repr` unless a class defines `__str__`.
    var str: String { repr }
    /// Names `dir(x)` lists.
    var attributeNames: [String] { [] }
    /// What `help(x)` prints.
    var help: String? { nil }
    var length: Int? { nil }
    var isTruthy: Bool { true }
    /// `len(x)` and `bool(x)`, which a script class's `__len__`/`__bool__` may fail in.
    func lengthValue() throws -> Int? { length }
    func truthValue() throws -> Bool { isTruthy }

    /// The script class this object is an instance of (nil for the runtime's own objects).
    var scriptClass: ClassObject? { nil }
    /// The attribute from the engine's built-in base only, past the script class (what
    /// `super().train()` reaches in an nn.Module subclass).
    func nativeAttribute(_ name: String, _ interp: Interpreter) throws -> Value? { nil }
    /// Reads the instance's own attribute later, without running anything and without keeping
    /// the object alive (a trace guard's check).
    func attributeReader(_ name: String) -> () -> Value? { { nil } }

    func deleteAttribute(_ name: String, _ interp: Interpreter) throws {
        throw ScriptError(.attribute, "'\(typeName)' object attribute '\(name)' cannot be deleted")
    }

    /// Moves the values this object holds into `values` as it dies (`Teardown`); most hold none.
    func surrenderItems(into values: inout [Value]) {}

    /// What `is`, `==` (by default) and dict keys compare: wrappers of one engine object (the
    /// script value of an nn.Module is made afresh on each access) share it.
    var identity: ObjectIdentifier { ObjectIdentifier(self) }
}

/// The arguments of one call: positional values, then keyword names with their values. The
/// names array comes from the call site and is shared, so a call allocates no dictionary.
public struct Arguments {
    var positional: [Value]
    var names: [String]
    var keywords: [Value]

    init(_ positional: [Value], names: [String] = [], keywords: [Value] = []) {
        self.positional = positional
        self.names = names
        self.keywords = keywords
    }

    var count: Int { positional.count + keywords.count }

    func keyword(_ name: String) -> Value? {
        for (i, n) in names.enumerated() where n == name { return keywords[i] }
        return nil
    }

    static func checkCount(_ function: String, _ n: Int, min: Int, max: Int) throws {
        guard n >= min && n <= max else {
            let expected = min == max ? "\(min)" : max == Int.max ? "at least \(min)" : "from \(min) to \(max)"
            throw ScriptError(.type, "\(function)() takes \(expected) positional argument\(max == 1 && min == max ? "" : "s") but \(n) \(n == 1 ? "was" : "were") given")
        }
    }
}

/// A function written in Swift, with its one declaration (`Signature`): calls bind through it
/// and `help` shows it.
final class BuiltinFunction: ScriptObject {
    let signature: Signature
    let doc: String
    let call: (Arguments, Interpreter) throws -> Value

    init(_ signature: Signature, _ doc: String, _ body: @escaping (BoundArguments, Interpreter) throws -> Value) {
        self.signature = signature
        self.doc = doc
        self.call = { args, interp in try body(try signature.bind(args), interp) }
    }

    /// A registry op: `OpBuiltins` binds it by the op's own declaration, which `signature` renders.
    init(registryOp signature: Signature, _ doc: String, _ call: @escaping (Arguments, Interpreter) throws -> Value) {
        self.signature = signature
        self.doc = doc
        self.call = call
    }

    var name: String { signature.name }
    override var typeName: String { "builtin_function" }
    override func call(_ args: Arguments, _ interp: Interpreter) throws -> Value { try call(args, interp) }
    override var repr: String { "<built-in function \(name)>" }
    override var help: String? { "\(signature.text)\n    \(doc)" }
}

/// A method looked up on a value (`x.sum` without calling it), bound to its receiver.
final class BoundMethod: ScriptObject {
    let receiver: Value
    let method: Method

    init(_ receiver: Value, _ method: Method) {
        self.receiver = receiver
        self.method = method
    }

    override var typeName: String { "method" }
    override func call(_ args: Arguments, _ interp: Interpreter) throws -> Value { try method.body(receiver, args, interp) }
    override var repr: String { "<bound method \(receiver.typeName).\(method.name)>" }
    override var help: String? { "\(method.signature.text)\n    \(method.doc)" }
}

/// A method of a built-in type (tensor, list, dict, str), resolved by name when a script is
/// compiled so that calls need no lookup. Its declaration leaves out the receiver.
struct Method: Sendable {
    let signature: Signature
    let doc: String
    let body: @Sendable (Value, Arguments, Interpreter) throws -> Value

    init(_ signature: Signature, _ doc: String, _ body: @escaping @Sendable (Value, BoundArguments, Interpreter) throws -> Value) {
        self.signature = signature
        self.doc = doc
        self.body = { v, args, interp in try body(v, try signature.bind(args), interp) }
    }

    /// A registry op's method, bound by the op's own declaration.
    init(registryOp signature: Signature, _ doc: String, _ body: @escaping @Sendable (Value, Arguments, Interpreter) throws -> Value) {
        self.signature = signature
        self.doc = doc
        self.body = body
    }

    var name: String { signature.name }
}

/// `torch`, `nn`, `F`, `optim`…: a named, read-only set of members.
final class Namespace: ScriptObject {
    let name: String
    private(set) var members: [String: Value] = [:]
    private(set) var order: [String] = []

    init(_ name: String) { self.name = name }

    func add(_ name: String, _ value: Value) {
        if members[name] == nil { order.append(name) }
        members[name] = value
    }

    /// A function declared by its signature, under the signature's name.
    func function(_ signature: Signature, _ doc: String, _ body: @escaping (BoundArguments, Interpreter) throws -> Value) {
        add(signature.name, .object(BuiltinFunction(signature, doc, body)))
    }

    override var typeName: String { "module" }
    override func attribute(_ name: String, _ interp: Interpreter) throws -> Value? { members[name] }
    override var repr: String { "<module '\(name)'>" }
    override var attributeNames: [String] { order.sorted() }
    override var help: String? { "module \(name): \(order.count) names; dir(\(name)) lists them" }
}

/// `range(start, stop, step)`, iterated without building a list.
final class RangeObject: ScriptObject {
    let start: Int, stop: Int, step: Int

    init(_ start: Int, _ stop: Int, _ step: Int) {
        self.start = start
        self.stop = stop
        self.step = step
    }

    override var typeName: String { "range" }
    /// The number of elements, computed without overflow for any bounds (saturating at Int.max).
    override var length: Int? {
        guard step > 0 ? stop > start : start > stop else { return 0 }
        // The true distance is below 2^64, so the wrapped difference read as unsigned is exact.
        let distance = step > 0 ? UInt(bitPattern: stop &- start) : UInt(bitPattern: start &- stop)
        let count = (distance - 1) / step.magnitude + 1
        return count > UInt(Int.max) ? Int.max : Int(count)
    }
    override var isTruthy: Bool { (length ?? 0) > 0 }
    override var repr: String { step == 1 ? "range(\(start), \(stop))" : "range(\(start), \(stop), \(step))" }
    override func makeIterator(_ interp: Interpreter) throws -> ValueIterator? { RangeIterator(self) }

    /// Element `i` (already checked to be below `length`, so it lies between start and stop).
    func element(_ i: Int) -> Int { start &+ i &* step }
}

/// `a:b:c` as a value (used when slicing lists, strings and tensors).
final class SliceObject: ScriptObject {
    let lower: Value, upper: Value, step: Value
    init(_ lower: Value, _ upper: Value, _ step: Value) {
        self.lower = lower
        self.upper = upper
        self.step = step
    }
    override var typeName: String { "slice" }
    override var repr: String { "slice(\(Repr.repr(lower)), \(Repr.repr(upper)), \(Repr.repr(step)))" }

    /// Python's `slice.indices(length)`: clamped start, stop and the step.
    func indices(_ length: Int) throws -> (start: Int, stop: Int, step: Int) {
        let step = try step.isNone ? 1 : Convert.int(step, "slice step")
        guard step != 0 else { throw ScriptError(.value, "slice step cannot be zero") }
        func bound(_ v: Value, _ fallback: Int) throws -> Int {
            if v.isNone { return fallback }
            var i = try Convert.int(v, "slice index")
            if i < 0 { i += length }
            return step > 0 ? Swift.min(Swift.max(i, 0), length) : Swift.min(Swift.max(i, -1), length - 1)
        }
        return (try bound(lower, step > 0 ? 0 : length - 1), try bound(upper, step > 0 ? length : -1), step)
    }
}

/// `...` in subscripts.
final class EllipsisObject: ScriptObject {
    override var typeName: String { "ellipsis" }
    override var repr: String { "Ellipsis" }
}

/// `torch.float32` and friends.
final class DTypeObject: ScriptObject {
    let dtype: DType
    init(_ dtype: DType) { self.dtype = dtype }
    override var typeName: String { "dtype" }
    override var repr: String { "torch.\(dtype.rawValue)" }
    override func attribute(_ name: String, _ interp: Interpreter) throws -> Value? {
        name == "is_floating_point" ? .bool(dtype.isFloatingPoint) : nil
    }
}

/// A type used as a value: `int`, `float`, `list`… are callable conversions that `isinstance`
/// and `type(x) == …` also understand.
final class TypeObject: ScriptObject {
    let name: String
    let signature: Signature?
    let doc: String?
    let construct: (Arguments, Interpreter) throws -> Value

    init(_ signature: Signature, doc: String, _ construct: @escaping (BoundArguments, Interpreter) throws -> Value) {
        name = signature.name
        self.signature = signature
        self.doc = doc
        self.construct = { args, interp in try construct(try signature.bind(args), interp) }
    }

    /// The type of a value that scripts cannot construct directly (`type(x)` of a layer).
    init(_ name: String, refusing message: String) {
        self.name = name
        signature = nil
        doc = nil
        construct = { _, _ in throw ScriptError(.type, message) }
    }

    override var typeName: String { "type" }
    override var repr: String { "<class '\(name)'>" }
    override var help: String? {
        guard let signature, let doc else { return "class \(name)" }
        return "\(signature.text)\n    \(doc)"
    }
    override func call(_ args: Arguments, _ interp: Interpreter) throws -> Value { try construct(args, interp) }
    override func attribute(_ name: String, _ interp: Interpreter) throws -> Value? {
        switch name {
        case "__name__", "__qualname__": .str(self.name)
        case "__doc__": help.map(Value.str) ?? Value.none
        default: nil
        }
    }
}
