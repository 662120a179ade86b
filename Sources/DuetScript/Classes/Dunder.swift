import DuetTensor

/// The runtime's protocols for instances of script classes: the operators, `len`, truth,
/// iteration, containment, hashing and text call the class's dunder methods, looked up on the
/// class (never the instance), as Python does. A nil result means the class defines none.
enum Dunder {
    /// The class method `name` of `v`, bound to it, with the interpreter to call it through.
    static func bound(_ v: Value, _ name: String) -> (Value, Interpreter)? {
        guard let cls = v.objectValue?.scriptClass, let interp = cls.interp, let m = cls.lookup(name) else { return nil }
        guard let method = try? Descriptors.instanceGet(m, v, cls, interp) else { return nil }
        return (method, interp)
    }

    static func call(_ v: Value, _ name: String, _ args: Arguments) throws -> Value? {
        guard let (method, interp) = bound(v, name) else { return nil }
        return try interp.callValue(method, args)
    }

    /// `__repr__`/`__str__`: text, or nil (a failing or non-string result falls back to the default).
    static func text(_ v: Value, _ name: String) -> String? {
        guard let r = try? call(v, name, Arguments([])) else { return nil }
        if case .str(let s) = r { return s }
        return nil
    }

    static func length(_ v: Value) throws -> Int? {
        guard let r = try call(v, "__len__", Arguments([])) else { return nil }
        guard case .int(let n) = r.normalizedIndex else { throw ScriptError(.type, "'\(r.typeName)' object cannot be interpreted as an integer") }
        guard n >= 0 else { throw ScriptError(.value, "__len__() should return >= 0") }
        return n
    }

    static func truth(_ v: Value) throws -> Bool? {
        if let r = try call(v, "__bool__", Arguments([])) {
            guard case .bool(let b) = r else { throw ScriptError(.type, "__bool__ should return bool, returned \(r.typeName)") }
            return b
        }
        return try length(v).map { $0 > 0 }
    }

    /// `__iter__` (whose result is iterated: a generator, a list, or an object with `__next__`),
    /// or the old sequence protocol: `__getitem__(0)`, `(1)`, … until IndexError.
    static func iterator(_ v: Value, _ interp: Interpreter) throws -> ValueIterator? {
        if let it = try call(v, "__iter__", Arguments([])) {
            if let cls = it.objectValue?.scriptClass, cls.lookup("__next__") != nil { return NextIterator(it) }
            return try Iteration.iterator(it, interp)
        }
        if bound(v, "__getitem__") != nil { return SequenceIterator(v) }
        return nil
    }

    private static let binaryNames: [BinaryOperator: String] = [
        .add: "add", .subtract: "sub", .multiply: "mul", .divide: "truediv", .floorDivide: "floordiv", .modulo: "mod",
        .power: "pow", .matmul: "matmul", .leftShift: "lshift", .rightShift: "rshift", .bitAnd: "and", .bitOr: "or", .bitXor: "xor",
    ]

    /// `a op b` through `__op__` on the left, then `__rop__` on the right; NotImplemented passes on.
    static func binary(_ op: BinaryOperator, _ l: Value, _ r: Value) throws -> Value? {
        guard let base = binaryNames[op] else { return nil }
        if let v = try call(l, "__\(base)__", Arguments([r])), !NotImplementedObject.is(v) { return v }
        if let v = try call(r, "__r\(base)__", Arguments([l])), !NotImplementedObject.is(v) { return v }
        return nil
    }

    /// `a op= b` through `__iop__`, when the class defines it.
    static func inPlace(_ op: BinaryOperator, _ l: Value, _ r: Value) throws -> Value? {
        guard let base = binaryNames[op], let v = try call(l, "__i\(base)__", Arguments([r])), !NotImplementedObject.is(v) else { return nil }
        return v
    }

    static func unary(_ op: UnaryOperator, _ v: Value) throws -> Value? {
        let name: String
        switch op {
        case .negate: name = "__neg__"
        case .plus: name = "__pos__"
        case .invert: name = "__invert__"
        case .not: return nil
        }
        return try call(v, name, Arguments([]))
    }

    private static let compareNames: [CompareOperator: (String, String)] = [
        .less: ("__lt__", "__gt__"), .lessEqual: ("__le__", "__ge__"), .greater: ("__gt__", "__lt__"),
        .greaterEqual: ("__ge__", "__le__"), .equal: ("__eq__", "__eq__"), .notEqual: ("__ne__", "__ne__"),
    ]

    /// Rich comparison: the left's method, then the right's reflected one. `!=` falls back to
    /// the negation of `__eq__`.
    static func compare(_ op: CompareOperator, _ l: Value, _ r: Value) throws -> Value? {
        guard let (name, reflected) = compareNames[op] else { return nil }
        if let v = try call(l, name, Arguments([r])), !NotImplementedObject.is(v) { return v }
        if let v = try call(r, reflected, Arguments([l])), !NotImplementedObject.is(v) { return v }
        if op == .notEqual, let v = try compare(.equal, l, r) { return .bool(!(try Operators.truthy(v))) }
        return nil
    }

    static func contains(_ container: Value, _ item: Value) throws -> Bool? {
        if let r = try call(container, "__contains__", Arguments([item])) { return try Operators.truthy(r) }
        guard let cls = container.objectValue?.scriptClass, let interp = cls.interp,
              let it = try iterator(container, interp) else { return nil }
        while let x = try it.next() {
            try interp.checkpoint()
            if Operators.equal(x, item) { return true }
        }
        return false
    }

    /// `hash(x)`: `__hash__`, or identity; a class that defines `__eq__` without `__hash__` is unhashable.
    static func hash(_ v: Value) throws -> Int? {
        if let r = try call(v, "__hash__", Arguments([])) {
            if r.isNone { throw ScriptError(.type, "unhashable type: '\(v.typeName)'") }
            guard case .int(let h) = r.normalizedIndex else { throw ScriptError(.type, "__hash__ method should return an integer") }
            return h
        }
        if let cls = v.objectValue?.scriptClass, cls.lookup("__eq__") != nil { throw ScriptError(.type, "unhashable type: '\(v.typeName)'") }
        return nil
    }
}

/// Iterates an object through its `__next__` until it raises StopIteration.
final class NextIterator: ValueIterator {
    private let source: Value
    init(_ source: Value) { self.source = source }
    override func next() throws -> Value? {
        do {
            return try Dunder.call(source, "__next__", Arguments([]))
        } catch let e as ScriptError where e.kind == .stopIteration {
            return nil
        }
    }
}

/// Python's old iteration protocol: items 0, 1, 2… until `__getitem__` raises IndexError.
final class SequenceIterator: ValueIterator {
    private let source: Value
    private var index = 0
    init(_ source: Value) { self.source = source }
    override func next() throws -> Value? {
        do {
            defer { index += 1 }
            return try Dunder.call(source, "__getitem__", Arguments([.int(index)]))
        } catch let e as ScriptError where e.kind == .index || e.kind == .stopIteration {
            return nil
        }
    }
}

/// `NotImplemented`: what a binary dunder returns to let the other operand try.
final class NotImplementedObject: ScriptObject {
    override var typeName: String { "NotImplementedType" }
    override var repr: String { "NotImplemented" }
    static func `is`(_ v: Value) -> Bool { v.objectValue is NotImplementedObject }
}
