import Foundation
import DuetTensor

/// Python's builtin functions and types.
enum PythonBuiltins {
    static func register(_ r: Builtins.Registrar) {
        for t in [intType, floatType, strType, boolType, listType, tupleType, dictType] { r.add(t.name, .object(t), .flat) }
        r.function("print(*values, sep=' ', end='\\n', file=None, flush=False)", "Writes the values, separated by sep and followed by end.", .flat) { b, interp in
            interp.write(b.rest.map(Repr.str).joined(separator: try b.string("sep")) + (try b.string("end")))
            return .none
        }
        r.function("len(obj, /)", "Number of items.", .flat) { b, _ in .int(try length(try b.value("obj"))) }
        r.function(Signature("range(stop, /)", "range(start, stop, step=1, /)"), "Integers from start up to (not including) stop.", .flat) { b, _ in
            let start = try b.optionalInt("start") ?? 0, stop = try b.int("stop")
            // The one-argument form has no step parameter; Python's is 1 there too.
            let step = try b.optionalInt("step") ?? 1
            guard step != 0 else { throw ScriptError(.value, "range() arg 3 must not be zero") }
            return .object(RangeObject(start, stop, step))
        }
        r.function("enumerate(iterable, start=0)", "(index, item) pairs, produced as the loop asks for them.", .flat) { b, interp in
            let source = try Iteration.iterator(try b.value("iterable"), interp)
            return .object(IteratorObject(EnumerateIterator(source, start: try b.int("start")), name: "enumerate"))
        }
        r.function("zip(*iterables, strict=False)", "Tuples of the i-th items of each iterable, as long as the shortest.", .flat) { b, interp in
            .object(IteratorObject(ZipIterator(try b.rest.map { try Iteration.iterator($0, interp) }), name: "zip"))
        }
        r.function("abs(x, /)", "Absolute value (elementwise on tensors).", .flat) { b, _ in
            switch try b.value("x") {
            case .int(let i):
                guard i != Int.min else { throw ScriptError(.overflow, "integer overflow: abs(\(i)) does not fit in 64 bits") }
                return .int(Swift.abs(i))
            case .float(let d): return .float(Swift.abs(d))
            case .bool(let b): return .int(b ? 1 : 0)
            case .tensor(let t): return .tensor(try t.abs())
            case let v: throw ScriptError(.type, "bad operand type for abs(): '\(v.typeName)'")
            }
        }
        r.function(Signature("sum(iterable, /, start=0)", "sum(input, dim=None, keepdim=False)"),
                   "The items added up; on a tensor with dim or keepdim, torch.sum.", .flat) { b, interp in
            if case .tensor(let t)? = b["input"] { return try OpBuiltins.call(Ops.sum, receiver: t, Arguments([], names: ["dim", "keepdim"], keywords: [b["dim"] ?? .none, try b.value("keepdim")])) }
            var total = try b.value("start")
            let it = try Iteration.iterator(try b.value("iterable"), interp)
            while let x = try it.next() {
                try interp.checkpoint()
                total = try Operators.binary(.add, total, x)
            }
            return total
        }
        r.function("round(number, ndigits=None)", "Rounds half to even (ints when ndigits is None).", .flat) { b, _ in
            let x = try b.value("number")
            if case .tensor(let t) = x { return .tensor(try Tensor(t.toDoubles().map { $0.rounded(.toNearestOrEven) }, shape: t.shape, dtype: t.dtype)) }
            if case .int = x, b["ndigits"] == nil { return x }
            let d = try Convert.double(x, "round() argument")
            guard let digits = try b.optionalInt("ndigits") else { return .int(try Convert.integral(d.rounded(.toNearestOrEven))) }
            let scale = pow(10, Double(max(min(digits, 300), -300)))
            if case .int(let i) = x { return digits >= 0 ? .int(i) : .int(try Convert.integral((d * scale).rounded(.toNearestOrEven) / scale)) }
            // printf rounds the exact binary value, as Python does (round(2.675, 2) is 2.67).
            guard digits >= 0 else { return .float(((d * scale).rounded(.toNearestOrEven) / scale)) }
            return .float(Double(String(format: "%.\(min(digits, 300))f", d)) ?? d)
        }
        r.function("sorted(iterable, /, *, key=None, reverse=False)", "A new sorted list (stable).", .flat) { b, interp in
            .list(ListObject(try Sorting.sorted(try Iteration.collect(try b.value("iterable"), interp), key: b["key"], reverse: try b.bool("reverse"), interp)))
        }
        r.function("reversed(sequence, /)", "The items in reverse order.", .flat) { b, interp in
            .list(ListObject(try Iteration.collect(try b.value("sequence"), interp).reversed()))
        }
        r.function("any(iterable, /)", "True if any item is true.", .flat) { b, interp in
            .bool(try Iteration.collect(try b.value("iterable"), interp).contains { try Operators.truthy($0) })
        }
        r.function("all(iterable, /)", "True if every item is true.", .flat) { b, interp in
            .bool(try Iteration.collect(try b.value("iterable"), interp).allSatisfy { try Operators.truthy($0) })
        }
        r.function("map(function, iterable, /, *iterables)", "function applied to the items (a list).", .flat) { b, interp in
            let f = try b.value("function")
            let lists = try ([try b.value("iterable")] + b.rest).map { try Iteration.collect($0, interp) }
            let n = lists.map(\.count).min() ?? 0
            return .list(ListObject(try (0..<n).map { i in try interp.callValue(f, Arguments(lists.map { $0[i] })) }))
        }
        r.function("filter(function, iterable, /)", "The items for which function is true (a list).", .flat) { b, interp in
            let f = try b.value("function")
            return .list(ListObject(try Iteration.collect(try b.value("iterable"), interp).filter {
                try Operators.truthy(f.isNone ? $0 : try interp.callValue(f, Arguments([$0])))
            }))
        }
        r.function("repr(obj, /)", "The printable representation.", .flat) { b, _ in .str(Repr.repr(try b.value("obj"))) }
        r.function("format(value, format_spec='', /)", "value formatted by a format spec (as in f-strings).", .flat) { b, _ in
            .str(try FormatSpec.format(try b.value("value"), try b.string("format_spec")))
        }
        r.function("isinstance(obj, class_or_tuple, /)", "Whether obj is an instance of the type (or of one in a tuple).", .flat) { b, _ in
            .bool(try isInstance(try b.value("obj"), try b.value("class_or_tuple")))
        }
        r.function("type(obj, /)", "The type of obj.", .flat) { b, interp in type(of: try b.value("obj"), interp) }
        r.function("hasattr(obj, name, /)", "Whether obj has the attribute.", .flat) { b, interp in
            .bool((try? Attributes.get(try b.value("obj"), try b.string("name"), interp)) != nil)
        }
        r.function(Signature("getattr(object, name, /)", "getattr(object, name, default, /)"), "The attribute, or default when it is missing.", .flat) { b, interp in
            do { return try Attributes.get(try b.value("object"), try b.string("name"), interp) } catch let e as ScriptError where e.kind == .attribute {
                guard let fallback = b.given("default") else { throw e }
                return fallback
            }
        }
        r.function("setattr(obj, name, value, /)", "Sets an attribute.", .flat) { b, interp in
            try Attributes.set(try b.value("obj"), try b.string("name"), try b.value("value"), interp)
            return .none
        }
        r.function("callable(obj, /)", "Whether obj can be called.", .flat) { b, _ in
            if case .object(let o) = try b.value("obj") {
                if let cls = o.scriptClass, !(o is ModuleObject) { return .bool(cls.lookup("__call__") != nil) }
                return .bool(o is Function || o is BuiltinFunction || o is BoundMethod || o is TypeObject || o is ModuleObject || o is LossObject
                             || o is ClassObject || o is InstanceMethod || o is StaticMethodObject || o is CompiledObject)
            }
            return .bool(false)
        }
        r.function("iter(iterable, /)", "An iterator over the items.", .flat) { b, interp in
            let v = try b.value("iterable")
            if case .object(let o as IteratorObject) = v { return .object(o) }
            if let it = try Dunder.call(v, "__iter__", Arguments([])) { return it }
            return .object(IteratorObject(try Iteration.iterator(v, interp)))
        }
        r.function(Signature("next(iterator, /)", "next(iterator, default, /)"), "The next item, or default at the end.", .flat) { b, _ in
            let v = try b.value("iterator")
            let fallback = b.given("default")
            guard case .object(let o as IteratorObject) = v else {
                if v.objectValue?.scriptClass?.lookup("__next__") != nil {
                    do { return try Dunder.call(v, "__next__", Arguments([])) ?? .none } catch let e as ScriptError where e.kind == .stopIteration && fallback != nil {
                        return fallback ?? .none
                    }
                }
                throw ScriptError(.type, "'\(v.typeName)' object is not an iterator")
            }
            if let item = try o.iterator.next() { return item }
            guard let fallback else { throw ScriptError(.stopIteration, "") }
            return fallback
        }
        r.function("pow(base, exp, /)", "base ** exp.", .flat) { b, _ in try Operators.binary(.power, try b.value("base"), try b.value("exp")) }
        r.function("divmod(a, b, /)", "(a // b, a % b).", .flat) { b, _ in
            let x = try b.value("a"), y = try b.value("b")
            return .tuple([try Operators.binary(.floorDivide, x, y), try Operators.binary(.modulo, x, y)])
        }
        r.function("chr(i, /)", "The character with code point i.", .flat) { b, _ in
            let i = try b.int("i")
            guard i >= 0, i <= 0x10FFFF, let u = Unicode.Scalar(UInt32(i)) else { throw ScriptError(.value, "chr() arg not in range(0x110000)") }
            return .str(String(Character(u)))
        }
        r.function("ord(c, /)", "The code point of a one-character string.", .flat) { b, _ in
            let s = try b.string("c")
            guard s.unicodeScalars.count == 1, let u = s.unicodeScalars.first else { throw ScriptError(.type, "ord() expected a character, but string of length \(s.count) found") }
            return .int(Int(u.value))
        }
    }

    static func length(_ v: Value) throws -> Int {
        switch v {
        case .str(let s): return s.count
        case .list(let l): return l.items.count
        case .tuple(let t): return t.count
        case .dict(let d): return d.count
        case .tensor(let t):
            guard t.rank > 0 else { throw ScriptError(.type, "len() of a 0-d tensor") }
            return t.shape[0]
        case .object(let o):
            if let n = try o.lengthValue() { return n }
        default: break
        }
        throw ScriptError(.type, "object of type '\(v.typeName)' has no len()")
    }

    /// Python's min/max: over one iterable or several arguments, with `key` and `default`.
    static let extremeSignature = Signature("extreme(*args, key=None, default=None)")

    static func extreme(_ a: Arguments, _ interp: Interpreter, _ name: String, largest: Bool) throws -> Value {
        let b = try extremeSignature.bind(a)
        guard !b.rest.isEmpty else { throw ScriptError(.type, "\(name) expected at least 1 argument, got 0") }
        let items = b.rest.count == 1 ? try Iteration.collect(b.rest[b.rest.startIndex], interp) : Array(b.rest)
        guard var best = items.first else {
            if let d = b.given("default") { return d }
            throw ScriptError(.value, "\(name)() arg is an empty sequence")
        }
        func key(_ v: Value) throws -> Value { try b["key"].map { try interp.callValue($0, Arguments([v])) } ?? v }
        var bestKey = try key(best)
        for item in items.dropFirst() {
            let k = try key(item)
            let better = try Operators.truthy(try Operators.compare(largest ? .greater : .less, k, bestKey))
            if better {
                best = item
                bestKey = k
            }
        }
        return best
    }

    // MARK: Types

    static var intType: TypeObject { TypeObject(Signature("int(x=0, /)", "int(x, /, base=10)"), doc: "An integer from a number, a string (in base) or a one-element tensor.") { b, _ in
        let v = try b.value("x")
        switch v {
        case .int: return v
        case .bool(let b): return .int(b ? 1 : 0)
        case .float(let d): return .int(try Convert.integral(d))
        case .str(let s):
            let base = try b.optionalInt("base") ?? 10
            guard (2...36).contains(base), let i = Int(s.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "_", with: ""), radix: base) else {
                throw ScriptError(.value, "invalid literal for int() with base \(base): \(Repr.repr(v))")
            }
            return .int(i)
        case .tensor(let t):
            guard t.count == 1 else { throw ScriptError(.value, "only one element tensors can be converted to Python scalars") }
            return .int(try Convert.integral(t.item()))
        default: throw ScriptError(.type, "int() argument must be a string or a number, not '\(v.typeName)'")
        }
    } }
    static var floatType: TypeObject { TypeObject("float(x=0.0, /)", doc: "A float from a number, a string or a one-element tensor.") { b, _ in
        let v = try b.value("x")
        switch v {
        case .str(let s):
            let t = s.trimmingCharacters(in: .whitespaces).lowercased()
            let special: [String: Double] = ["inf": .infinity, "+inf": .infinity, "-inf": -.infinity, "infinity": .infinity, "-infinity": -.infinity, "nan": .nan, "+nan": .nan, "-nan": .nan]
            if let d = special[t] ?? Double(t) { return .float(d) }
            throw ScriptError(.value, "could not convert string to float: \(Repr.repr(v))")
        case .tensor(let t):
            guard t.count == 1 else { throw ScriptError(.value, "only one element tensors can be converted to Python scalars") }
            return .float(try t.item())
        default: return .float(try Convert.double(v, "float() argument"))
        }
    } }
    static var strType: TypeObject { TypeObject("str(object='', /)", doc: "The printable text of object.") { b, _ in .str(Repr.str(try b.value("object"))) } }
    static var boolType: TypeObject { TypeObject("bool(x=False, /)", doc: "Whether x is true.") { b, _ in .bool(try Operators.truthy(try b.value("x"))) } }
    static var listType: TypeObject { TypeObject("list(iterable=(), /)", doc: "A new list of the items.") { b, interp in
        .list(ListObject(try Iteration.collect(try b.value("iterable"), interp)))
    } }
    static var tupleType: TypeObject { TypeObject("tuple(iterable=(), /)", doc: "A tuple of the items.") { b, interp in
        .tuple(try Iteration.collect(try b.value("iterable"), interp))
    } }
    static var dictType: TypeObject { TypeObject("dict(mapping=None, /, **kwargs)", doc: "A dict from a mapping or (key, value) pairs, then keywords.") { b, interp in
        let d = DictObject()
        if let source = b["mapping"] {
            if case .dict(let other) = source {
                for (k, v) in zip(other.keys, other.values) { try d.set(k, v) }
            } else {
                for pair in try Iteration.collect(source, interp) {
                    let kv = try Iteration.collect(pair, interp)
                    guard kv.count == 2 else { throw ScriptError(.value, "dictionary update sequence element has length \(kv.count); 2 is required") }
                    try d.set(kv[0], kv[1])
                }
            }
        }
        for (k, v) in b.extraKeywords { try d.set(.str(k), v) }
        return .dict(d)
    } }
    static var tensorType: TypeObject { TypeObject("Tensor(data=None, /)", doc: "A float32 tensor from nested lists (empty without data).") { b, _ in
        guard let v = b["data"] else { return .tensor(try Tensor.zeros([0])) }
        return .tensor(try TensorLiteral.make(v, dtype: .float32))
    } }

    static func typeObject(of v: Value) -> TypeObject {
        switch v {
        case .int: intType
        case .float: floatType
        case .str: strType
        case .bool: boolType
        case .list: listType
        case .tuple: tupleType
        case .dict: dictType
        case .tensor: tensorType
        case .object(let o as ModuleObject): TypeObject(o.module.typeName, refusing: "call the layer's constructor (e.g. nn.Linear) instead")
        default: TypeObject(v.typeName, refusing: "cannot create '\(v.typeName)' instances")
        }
    }

    /// `type(x)`: the script class of instances (and `type` itself for classes), else a type object.
    static func type(of v: Value, _ interp: Interpreter) -> Value {
        if let cls = v.objectValue?.scriptClass { return .object(cls) }
        if case .object(let o as InstanceObject) = v { return .object(o.cls) }
        return .object(typeObject(of: v))
    }

    /// `isinstance(v, t)` against one built-in type object.
    static func typeMatches(_ type: TypeObject, _ v: Value) throws -> Bool {
        switch (type.name, v) {
        case ("int", .int), ("int", .bool), ("float", .float), ("str", .str), ("bool", .bool), ("list", .list),
             ("tuple", .tuple), ("dict", .dict), ("Tensor", .tensor): return true
        case ("set", .object(is SetObject)), ("frozenset", .object(is SetObject)), ("tuple", .object(is SizeObject)): return true
        case (let name, .object(let m as ModuleObject)): return m.module.typeName == name
        case (let name, .object(let o)): return o.typeName == name
        default: return false
        }
    }

    static func isInstance(_ v: Value, _ t: Value) throws -> Bool {
        switch t {
        case .tuple(let options): return try options.contains { try isInstance(v, $0) }
        case .object(let type as TypeObject): return try typeMatches(type, v)
        case .object(let cls as ClassObject):
            if let own = v.objectValue?.scriptClass { return own.isSubclass(of: cls) }
            if case .object(let e as InstanceObject) = v { return e.cls.isSubclass(of: cls) }
            switch cls.native {
            case .module where cls.isBuiltin: return v.objectValue is ModuleObject
            case .object where cls.isBuiltin: return true
            default: return false
            }
        default:
            throw ScriptError(.type, "isinstance() arg 2 must be a type or tuple of types")
        }
    }
}

/// What `iter(x)`, `enumerate` and `zip` return: a one-pass iterator, for loops and `next()`.
/// Lazy, so `for i, (x, y) in enumerate(loader)` holds one batch at a time.
final class IteratorObject: ScriptObject {
    let iterator: ValueIterator
    let name: String
    init(_ iterator: ValueIterator, name: String = "iterator") {
        self.iterator = iterator
        self.name = name
    }
    override var typeName: String { name }
    override var repr: String { "<\(name) object>" }
    override func makeIterator(_ interp: Interpreter) throws -> ValueIterator? { iterator }

    /// A generator's `send(value)` and `close()`; `__next__` for every iterator.
    override func attribute(_ name: String, _ interp: Interpreter) throws -> Value? {
        let it = iterator
        switch (name, it) {
        case ("__next__", _):
            return .object(BuiltinFunction("__next__()", "The next item; StopIteration at the end.") { _, _ in
                guard let v = try it.next() else { throw ScriptError(.stopIteration, "") }
                return v
            })
        case ("send", let g as GeneratorIterator):
            return .object(BuiltinFunction("send(value, /)", "Resumes the generator with value as the result of its yield; returns the next value.") { b, _ in
                guard let v = try g.send(try b.value("value")) else { throw ScriptError(.stopIteration, "") }
                return v
            })
        case ("close", let g as GeneratorIterator):
            return .object(BuiltinFunction("close()", "Ends the generator.") { _, _ in
                g.close()
                return .none
            })
        default: return nil
        }
    }
}

final class EnumerateIterator: ValueIterator {
    private let source: ValueIterator
    private var index: Int
    init(_ source: ValueIterator, start: Int) {
        self.source = source
        index = start
    }
    override func next() throws -> Value? {
        guard let item = try source.next() else { return nil }
        defer { index &+= 1 }
        return .tuple([.int(index), item])
    }
}

final class ZipIterator: ValueIterator {
    private let sources: [ValueIterator]
    init(_ sources: [ValueIterator]) { self.sources = sources }
    override func next() throws -> Value? {
        guard !sources.isEmpty else { return nil }
        var items: [Value] = []
        items.reserveCapacity(sources.count)
        for s in sources {
            guard let item = try s.next() else { return nil }
            items.append(item)
        }
        return .tuple(items)
    }
}
