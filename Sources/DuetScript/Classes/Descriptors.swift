/// `@staticmethod`: a function the class and its instances call without a receiver.
final class StaticMethodObject: ScriptObject {
    let function: Value
    init(_ function: Value) { self.function = function }
    override var typeName: String { "staticmethod" }
    override var repr: String { "<staticmethod(\(Repr.repr(function)))>" }
    override func call(_ args: Arguments, _ interp: Interpreter) throws -> Value { try interp.callValue(function, args) }
}

/// `@classmethod`: a function that receives the class as its first argument.
final class ClassMethodObject: ScriptObject {
    let function: Value
    init(_ function: Value) { self.function = function }
    override var typeName: String { "classmethod" }
    override var repr: String { "<classmethod(\(Repr.repr(function)))>" }
}

/// `@property` (with `.setter` and `.deleter`): an attribute computed by methods.
final class PropertyObject: ScriptObject {
    let getter: Value?, setter: Value?, deleter: Value?
    let doc: String?
    init(getter: Value?, setter: Value? = nil, deleter: Value? = nil, doc: String? = nil) {
        self.getter = getter
        self.setter = setter
        self.deleter = deleter
        self.doc = doc
    }
    override var typeName: String { "property" }
    override var repr: String { "<property object>" }
    override var help: String? { doc }

    private func decorator(_ name: String, _ make: @escaping (Value) -> PropertyObject) -> Value {
        .object(BuiltinFunction("\(name)(function, /)", "A copy of the property with this \(name) function.") { b, _ in
            .object(make(try b.value("function")))
        })
    }

    override func attribute(_ name: String, _ interp: Interpreter) throws -> Value? {
        switch name {
        case "setter": decorator("setter") { PropertyObject(getter: self.getter, setter: $0, deleter: self.deleter, doc: self.doc) }
        case "getter": decorator("getter") { PropertyObject(getter: $0, setter: self.setter, deleter: self.deleter, doc: self.doc) }
        case "deleter": decorator("deleter") { PropertyObject(getter: self.getter, setter: self.setter, deleter: $0, doc: self.doc) }
        case "fget": getter ?? Value.none
        case "fset": setter ?? Value.none
        case "__doc__": doc.map(Value.str) ?? Value.none
        default: nil
        }
    }
}

/// A function looked up on an instance (or a classmethod on its class): calling it passes the
/// receiver first, as Python's bound methods do.
final class InstanceMethod: ScriptObject {
    let receiver: Value
    let function: Value
    init(_ receiver: Value, _ function: Value) {
        self.receiver = receiver
        self.function = function
    }
    var name: String {
        if case .object(let f as Function) = function { return f.code.name }
        if case .object(let f as BuiltinFunction) = function { return f.name }
        return "method"
    }
    override var typeName: String { "method" }
    override var repr: String { "<bound method \(receiver.typeName).\(name) of \(Repr.repr(receiver))>" }
    override var help: String? { (function.objectValue?.help).map { "method of \(receiver.typeName): " + $0 } }
    override func call(_ args: Arguments, _ interp: Interpreter) throws -> Value {
        var a = args
        a.positional.insert(receiver, at: 0)
        return try interp.callValue(function, a)
    }
    override func attribute(_ name: String, _ interp: Interpreter) throws -> Value? {
        switch name {
        case "__self__": receiver
        case "__func__": function
        case "__name__": .str(self.name)
        default: try function.objectValue?.attribute(name, interp)
        }
    }
}

/// `super()`: attribute lookups that start after `start` in the receiver's class order.
final class SuperObject: ScriptObject {
    let start: ClassObject
    let receiver: Value
    /// The class whose MRO is searched: the receiver's own class (or the receiver, for a classmethod).
    let owner: ClassObject
    init(start: ClassObject, receiver: Value, owner: ClassObject) {
        self.start = start
        self.receiver = receiver
        self.owner = owner
    }
    override var typeName: String { "super" }
    override var repr: String { "<super: <class '\(start.name)'>, <\(owner.name) object>>" }
    override func attribute(_ name: String, _ interp: Interpreter) throws -> Value? {
        if let v = owner.lookup(name, after: start) {
            if case .object(let c) = receiver, c === owner { return Descriptors.classGet(v, owner) }
            return try Descriptors.instanceGet(v, receiver, owner, interp)
        }
        // The engine's own methods of the built-in base (nn.Module's `train`, `state_dict`…).
        if case .object(let o) = receiver, o !== owner { return try o.nativeAttribute(name, interp) }
        return nil
    }
}

enum Descriptors {
    /// The script functions a class member holds (itself, or inside a decorator object).
    static func functions(in o: ScriptObject) -> [Function] {
        switch o {
        case let f as Function: [f]
        case let s as StaticMethodObject: s.function.objectValue.map(functions(in:)) ?? []
        case let c as ClassMethodObject: c.function.objectValue.map(functions(in:)) ?? []
        case let p as PropertyObject: [p.getter, p.setter, p.deleter].compactMap { $0?.objectValue }.flatMap(functions(in:))
        default: []
        }
    }

    /// A class member read from the class itself (`Net.method`, `Net.create`).
    static func classGet(_ v: Value, _ cls: ClassObject) -> Value {
        guard case .object(let o) = v else { return v }
        switch o {
        case let s as StaticMethodObject: return s.function
        case let c as ClassMethodObject: return .object(InstanceMethod(.object(cls), c.function))
        default: return v
        }
    }

    /// A class member read through an instance: functions bind to it, properties run their getter.
    static func instanceGet(_ v: Value, _ receiver: Value, _ cls: ClassObject, _ interp: Interpreter) throws -> Value {
        guard case .object(let o) = v else { return v }
        switch o {
        case is Function, is BuiltinFunction: return .object(InstanceMethod(receiver, v))
        case let s as StaticMethodObject: return s.function
        case let c as ClassMethodObject: return .object(InstanceMethod(.object(cls), c.function))
        case let p as PropertyObject:
            guard let g = p.getter else { throw ScriptError(.attribute, "property of '\(cls.name)' object has no getter") }
            return try interp.callValue(g, Arguments([receiver]))
        default: return v
        }
    }
}

extension Value {
    var objectValue: ScriptObject? {
        if case .object(let o) = self { return o }
        return nil
    }
}
