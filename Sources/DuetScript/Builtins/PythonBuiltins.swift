import Foundation
import DuetTensor

/// Python's builtin functions and types.
enum PythonBuiltins {
    static func register(_ r: Builtins.Registrar) {
        for t in [intType, floatType, strType, boolType, listType, tupleType, dictType] { r.add(t.name, .object(t), .flat) }
        r.function("print", "print(*values, sep=' ', end='\\n')", "Writes the values, separated by sep and followed by end.", .flat) { a, interp in
            let b = try BoundArguments(Arguments([], names: a.names, keywords: a.keywords), "print", ["sep", "end", "flush"])
            let sep = try b.string(0, " "), end = try b.string(1, "\n")
            interp.write(a.positional.map(Repr.str).joined(separator: sep) + end)
            return .none
        }
        r.function("len", "len(obj)", "Number of items.", .flat) { a, _ in
            try a.expectPositional("len", min: 1, max: 1)
            return .int(try length(a.positional[0]))
        }
        r.function("range", "range(stop) | range(start, stop, step=1)", "Integers from start up to (not including) stop.", .flat) { a, _ in
            try a.expectPositional("range", min: 1, max: 3)
            let n = try a.positional.map { try Convert.int($0, "range() argument") }
            let (start, stop, step) = n.count == 1 ? (0, n[0], 1) : (n[0], n[1], n.count > 2 ? n[2] : 1)
            guard step != 0 else { throw ScriptError(.value, "range() arg 3 must not be zero") }
            return .object(RangeObject(start, stop, step))
        }
        r.function("enumerate", "enumerate(iterable, start=0)", "(index, item) pairs, produced as the loop asks for them.", .flat) { a, interp in
            let b = try BoundArguments(a, "enumerate", ["iterable", "start"], required: 1)
            let source = try Iteration.iterator(b.values[0] ?? .none, interp)
            return .object(IteratorObject(EnumerateIterator(source, start: try b.int(1, 0)), name: "enumerate"))
        }
        r.function("zip", "zip(*iterables)", "Tuples of the i-th items of each iterable, as long as the shortest.", .flat) { a, interp in
            try a.expectPositional("zip", min: 0, max: Int.max)
            return .object(IteratorObject(ZipIterator(try a.positional.map { try Iteration.iterator($0, interp) }), name: "zip"))
        }
        r.function("abs", "abs(x)", "Absolute value (elementwise on tensors).", .flat) { a, _ in
            try a.expectPositional("abs", min: 1, max: 1)
            switch a.positional[0] {
            case .int(let i):
                guard i != Int.min else { throw ScriptError(.overflow, "integer overflow: abs(\(i)) does not fit in 64 bits") }
                return .int(Swift.abs(i))
            case .float(let d): return .float(Swift.abs(d))
            case .bool(let b): return .int(b ? 1 : 0)
            case .tensor(let t): return .tensor(try t.abs())
            case let v: throw ScriptError(.type, "bad operand type for abs(): '\(v.typeName)'")
            }
        }
        r.function("sum", "sum(iterable, start=0)", "The items added up (tensors too).", .flat) { a, interp in
            if case .tensor(let t)? = a.positional.first, a.positional.count == 1, !a.names.isEmpty {
                return try OpBuiltins.call(Ops.sum, receiver: t, Arguments([], names: a.names, keywords: a.keywords))
            }
            let b = try BoundArguments(a, "sum", ["iterable", "start"], required: 1)
            var total = b.values[1] ?? .int(0)
            let it = try Iteration.iterator(b.values[0] ?? .none, interp)
            while let x = try it.next() {
                try interp.checkpoint()
                total = try Operators.binary(.add, total, x)
            }
            return total
        }
        r.function("round", "round(number, ndigits=None)", "Rounds half to even (ints when ndigits is None).", .flat) { a, _ in
            let b = try BoundArguments(a, "round", ["number", "ndigits"], required: 1)
            guard let x = b.values[0] else { return .none }
            if case .tensor(let t) = x { return .tensor(try Tensor(t.toDoubles().map { $0.rounded(.toNearestOrEven) }, shape: t.shape, dtype: t.dtype)) }
            if case .int = x, b[1] == nil { return x }
            let d = try Convert.double(x, "round() argument")
            guard let digits = try b.optionalInt(1) else { return .int(try Convert.integral(d.rounded(.toNearestOrEven))) }
            let scale = pow(10, Double(max(min(digits, 300), -300)))
            if case .int(let i) = x { return digits >= 0 ? .int(i) : .int(try Convert.integral((d * scale).rounded(.toNearestOrEven) / scale)) }
            // printf rounds the exact binary value, as Python does (round(2.675, 2) is 2.67).
            guard digits >= 0 else { return .float(((d * scale).rounded(.toNearestOrEven) / scale)) }
            return .float(Double(String(format: "%.\(min(digits, 300))f", d)) ?? d)
        }
        r.function("sorted", "sorted(iterable, key=None, reverse=False)", "A new sorted list (stable).", .flat) { a, interp in
            let b = try BoundArguments(a, "sorted", ["iterable", "key", "reverse"], required: 1)
            return .list(ListObject(try Sorting.sorted(try Iteration.collect(b.values[0] ?? .none, interp), key: b[1], reverse: try b.bool(2, false), interp)))
        }
        r.function("reversed", "reversed(sequence)", "The items in reverse order.", .flat) { a, interp in
            try a.expectPositional("reversed", min: 1, max: 1)
            return .list(ListObject(try Iteration.collect(a.positional[0], interp).reversed()))
        }
        r.function("any", "any(iterable)", "True if any item is true.", .flat) { a, interp in
            try a.expectPositional("any", min: 1, max: 1)
            return .bool(try Iteration.collect(a.positional[0], interp).contains { try Operators.truthy($0) })
        }
        r.function("all", "all(iterable)", "True if every item is true.", .flat) { a, interp in
            try a.expectPositional("all", min: 1, max: 1)
            return .bool(try Iteration.collect(a.positional[0], interp).allSatisfy { try Operators.truthy($0) })
        }
        r.function("map", "map(function, *iterables)", "function applied to the items (a list).", .flat) { a, interp in
            try a.expectPositional("map", min: 2, max: Int.max)
            let lists = try a.positional.dropFirst().map { try Iteration.collect($0, interp) }
            let n = lists.map(\.count).min() ?? 0
            return .list(ListObject(try (0..<n).map { i in try interp.callValue(a.positional[0], Arguments(lists.map { $0[i] })) }))
        }
        r.function("filter", "filter(function, iterable)", "The items for which function is true (a list).", .flat) { a, interp in
            try a.expectPositional("filter", min: 2, max: 2)
            let f = a.positional[0]
            return .list(ListObject(try Iteration.collect(a.positional[1], interp).filter {
                try Operators.truthy(f.isNone ? $0 : try interp.callValue(f, Arguments([$0])))
            }))
        }
        r.function("repr", "repr(obj)", "The printable representation.", .flat) { a, _ in
            try a.expectPositional("repr", min: 1, max: 1)
            return .str(Repr.repr(a.positional[0]))
        }
        r.function("format", "format(value, format_spec='')", "value formatted by a format spec (as in f-strings).", .flat) { a, _ in
            try a.expectPositional("format", min: 1, max: 2)
            return .str(try FormatSpec.format(a.positional[0], a.positional.count > 1 ? try Convert.string(a.positional[1], "format spec") : ""))
        }
        r.function("isinstance", "isinstance(obj, class_or_tuple)", "Whether obj is an instance of the type (or of one in a tuple).", .flat) { a, _ in
            try a.expectPositional("isinstance", min: 2, max: 2)
            return .bool(try isInstance(a.positional[0], a.positional[1]))
        }
        r.function("type", "type(obj)", "The type of obj.", .flat) { a, interp in
            try a.expectPositional("type", min: 1, max: 1)
            return type(of: a.positional[0], interp)
        }
        r.function("hasattr", "hasattr(obj, name)", "Whether obj has the attribute.", .flat) { a, interp in
            try a.expectPositional("hasattr", min: 2, max: 2)
            return .bool((try? Attributes.get(a.positional[0], try Convert.string(a.positional[1], "attribute name"), interp)) != nil)
        }
        r.function("getattr", "getattr(obj, name, default)", "The attribute, or default when it is missing.", .flat) { a, interp in
            try a.expectPositional("getattr", min: 2, max: 3)
            let name = try Convert.string(a.positional[1], "attribute name")
            do { return try Attributes.get(a.positional[0], name, interp) } catch let e as ScriptError where e.kind == .attribute && a.positional.count == 3 {
                return a.positional[2]
            }
        }
        r.function("setattr", "setattr(obj, name, value)", "Sets an attribute.", .flat) { a, interp in
            try a.expectPositional("setattr", min: 3, max: 3)
            try Attributes.set(a.positional[0], try Convert.string(a.positional[1], "attribute name"), a.positional[2], interp)
            return .none
        }
        r.function("callable", "callable(obj)", "Whether obj can be called.", .flat) { a, _ in
            try a.expectPositional("callable", min: 1, max: 1)
            if case .object(let o) = a.positional[0] {
                if let cls = o.scriptClass, !(o is ModuleObject) { return .bool(cls.lookup("__call__") != nil) }
                return .bool(o is Function || o is BuiltinFunction || o is BoundMethod || o is TypeObject || o is ModuleObject || o is LossObject
                             || o is ClassObject || o is InstanceMethod || o is StaticMethodObject || o is CompiledObject)
            }
            return .bool(false)
        }
        r.function("iter", "iter(iterable)", "An iterator over the items.", .flat) { a, interp in
            try a.expectPositional("iter", min: 1, max: 1)
            if case .object(let o as IteratorObject) = a.positional[0] { return .object(o) }
            if let it = try Dunder.call(a.positional[0], "__iter__", Arguments([])) { return it }
            return .object(IteratorObject(try Iteration.iterator(a.positional[0], interp)))
        }
        r.function("next", "next(iterator, default)", "The next item, or default at the end.", .flat) { a, _ in
            try a.expectPositional("next", min: 1, max: 2)
            guard case .object(let o as IteratorObject) = a.positional[0] else {
                if a.positional[0].objectValue?.scriptClass?.lookup("__next__") != nil {
                    do { return try Dunder.call(a.positional[0], "__next__", Arguments([])) ?? .none } catch let e as ScriptError where e.kind == .stopIteration && a.positional.count == 2 {
                        return a.positional[1]
                    }
                }
                throw ScriptError(.type, "'\(a.positional[0].typeName)' object is not an iterator")
            }
            if let v = try o.iterator.next() { return v }
            guard a.positional.count == 2 else { throw ScriptError(.stopIteration, "") }
            return a.positional[1]
        }
        r.function("pow", "pow(base, exp)", "base ** exp.", .flat) { a, _ in
            try a.expectPositional("pow", min: 2, max: 2)
            return try Operators.binary(.power, a.positional[0], a.positional[1])
        }
        r.function("divmod", "divmod(a, b)", "(a // b, a % b).", .flat) { a, _ in
            try a.expectPositional("divmod", min: 2, max: 2)
            return .tuple([try Operators.binary(.floorDivide, a.positional[0], a.positional[1]), try Operators.binary(.modulo, a.positional[0], a.positional[1])])
        }
        r.function("chr", "chr(i)", "The character with code point i.", .flat) { a, _ in
            try a.expectPositional("chr", min: 1, max: 1)
            let i = try Convert.int(a.positional[0], "chr() argument")
            guard i >= 0, i <= 0x10FFFF, let u = Unicode.Scalar(UInt32(i)) else { throw ScriptError(.value, "chr() arg not in range(0x110000)") }
            return .str(String(Character(u)))
        }
        r.function("ord", "ord(c)", "The code point of a one-character string.", .flat) { a, _ in
            try a.expectPositional("ord", min: 1, max: 1)
            let s = try Convert.string(a.positional[0], "ord() argument")
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
    static func extreme(_ a: Arguments, _ interp: Interpreter, _ name: String, largest: Bool) throws -> Value {
        let b = try BoundArguments(Arguments([], names: a.names, keywords: a.keywords), name, ["key", "default"])
        guard !a.positional.isEmpty else { throw ScriptError(.type, "\(name) expected at least 1 argument, got 0") }
        let items = a.positional.count == 1 ? try Iteration.collect(a.positional[0], interp) : a.positional
        guard var best = items.first else {
            if let d = b.values[1] { return d }
            throw ScriptError(.value, "\(name)() arg is an empty sequence")
        }
        func key(_ v: Value) throws -> Value { try b[0].map { try interp.callValue($0, Arguments([v])) } ?? v }
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

    static var intType: TypeObject { TypeObject("int") { a, _ in
        try a.expectPositional("int", min: 0, max: 2)
        guard let v = a.positional.first else { return .int(0) }
        switch v {
        case .int: return v
        case .bool(let b): return .int(b ? 1 : 0)
        case .float(let d): return .int(try Convert.integral(d))
        case .str(let s):
            let base = a.positional.count > 1 ? try Convert.int(a.positional[1], "int() base") : 10
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
    static var floatType: TypeObject { TypeObject("float") { a, _ in
        try a.expectPositional("float", min: 0, max: 1)
        guard let v = a.positional.first else { return .float(0) }
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
    static var strType: TypeObject { TypeObject("str") { a, _ in
        try a.expectPositional("str", min: 0, max: 1)
        return .str(a.positional.first.map(Repr.str) ?? "")
    } }
    static var boolType: TypeObject { TypeObject("bool") { a, _ in
        try a.expectPositional("bool", min: 0, max: 1)
        return .bool(try a.positional.first.map { try Operators.truthy($0) } ?? false)
    } }
    static var listType: TypeObject { TypeObject("list") { a, interp in
        try a.expectPositional("list", min: 0, max: 1)
        return .list(ListObject(try a.positional.first.map { try Iteration.collect($0, interp) } ?? []))
    } }
    static var tupleType: TypeObject { TypeObject("tuple") { a, interp in
        try a.expectPositional("tuple", min: 0, max: 1)
        return .tuple(try a.positional.first.map { try Iteration.collect($0, interp) } ?? [])
    } }
    static var dictType: TypeObject { TypeObject("dict") { a, interp in
        try Arguments.checkCount("dict", a.positional.count, min: 0, max: 1)
        let d = DictObject()
        if let source = a.positional.first {
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
        for (k, v) in zip(a.names, a.keywords) { try d.set(.str(k), v) }
        return .dict(d)
    } }
    static var tensorType: TypeObject { TypeObject("Tensor") { a, interp in
        guard let v = a.positional.first else { return .tensor(try Tensor.zeros([0])) }
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
        case .object(let o as ModuleObject): TypeObject(o.module.typeName) { _, _ in throw ScriptError(.type, "call the layer's constructor (e.g. nn.Linear) instead") }
        default: TypeObject(v.typeName) { _, _ in throw ScriptError(.type, "cannot create '\(v.typeName)' instances") }
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
        case ("set", .object(is SetObject)), ("frozenset", .object(is SetObject)): return true
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
            return .object(BuiltinFunction("__next__", "__next__()", "The next item; StopIteration at the end.") { _, _ in
                guard let v = try it.next() else { throw ScriptError(.stopIteration, "") }
                return v
            })
        case ("send", let g as GeneratorIterator):
            return .object(BuiltinFunction("send", "send(value)", "Resumes the generator with value as the result of its yield; returns the next value.") { a, _ in
                try a.expectPositional("send", min: 1, max: 1)
                guard let v = try g.send(a.positional[0]) else { throw ScriptError(.stopIteration, "") }
                return v
            })
        case ("close", let g as GeneratorIterator):
            return .object(BuiltinFunction("close", "close()", "Ends the generator.") { _, _ in
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
