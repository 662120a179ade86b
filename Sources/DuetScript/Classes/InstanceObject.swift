import DuetGraph

/// An instance of a script class that is not an nn.Module (those live in the engine's module
/// tree: `ScriptModule`). Its attributes are a table; the runtime's protocols (`len`, `[]`,
/// iteration, operators, `repr`…) call the class's dunder methods (`Dunder.swift`).
final class InstanceObject: ScriptObject, Subscriptable, ItemAssignable {
    let cls: ClassObject
    var table = AttributeTable()

    init(_ cls: ClassObject) { self.cls = cls }
    deinit {
        var items: [Value] = []
        surrenderItems(into: &items)
        Teardown.release(&items)
    }

    override func surrenderItems(into values: inout [Value]) {
        values += table.pairs.map(\.value)
        table = AttributeTable()
    }

    override var scriptClass: ClassObject? { cls }
    override var typeName: String { cls.name }

    override func attribute(_ name: String, _ interp: Interpreter) throws -> Value? {
        try InstanceAttributes.get(.object(self), cls, table, name, interp) { try nativeAttribute($0, interp) }
    }

    override func nativeAttribute(_ name: String, _ interp: Interpreter) throws -> Value? {
        guard case .exception = cls.native else { return nil }
        return name == "args" ? .tuple([]) : nil
    }

    override func setAttribute(_ name: String, _ value: Value, _ interp: Interpreter) throws {
        if try InstanceAttributes.setThroughClass(.object(self), cls, name, value, interp) { return }
        table[name] = value
    }

    override func deleteAttribute(_ name: String, _ interp: Interpreter) throws {
        guard table[name] != nil else { throw ScriptError(.attribute, "'\(cls.name)' object has no attribute '\(name)'") }
        table[name] = nil
    }

    override var attributeNames: [String] { Array(Set(table.names + cls.attributeNames)).sorted() }
    override func attributeReader(_ name: String) -> () -> Value? { { [weak self] in self?.table[name] } }

    override func call(_ args: Arguments, _ interp: Interpreter) throws -> Value {
        guard let r = try Dunder.call(.object(self), "__call__", args) else { return try super.call(args, interp) }
        return r
    }

    override func makeIterator(_ interp: Interpreter) throws -> ValueIterator? { try Dunder.iterator(.object(self), interp) }
    override func lengthValue() throws -> Int? { try Dunder.length(.object(self)) }
    override func truthValue() throws -> Bool { try Dunder.truth(.object(self)) ?? true }
    override var repr: String { Dunder.text(.object(self), "__repr__") ?? defaultRepr }
    override var str: String { Dunder.text(.object(self), "__str__") ?? repr }
    override var help: String? { cls.help }

    var defaultRepr: String {
        if case .exception = cls.native { return Exceptions.repr(self) }
        return "<\(cls.moduleName).\(cls.name) object at 0x\(String(UInt(bitPattern: ObjectIdentifier(self).hashValue), radix: 16))>"
    }

    func item(_ index: Value, _ interp: Interpreter) throws -> Value {
        guard let v = try Dunder.call(.object(self), "__getitem__", Arguments([index])) else {
            throw ScriptError(.type, "'\(cls.name)' object is not subscriptable")
        }
        return v
    }

    func setItem(_ index: Value, _ value: Value, _ interp: Interpreter) throws {
        guard try Dunder.call(.object(self), "__setitem__", Arguments([index, value])) != nil else {
            throw ScriptError(.type, "'\(cls.name)' object does not support item assignment")
        }
    }
}

/// Python's attribute rules for instances of script classes, shared by plain instances and
/// nn.Module subclasses: class properties first, then the instance's own attributes, then
/// methods along the MRO, then the built-in base's members, then `__getattr__`.
enum InstanceAttributes {
    static func get(_ receiver: Value, _ cls: ClassObject, _ table: AttributeTable, _ name: String, _ interp: Interpreter,
                    native: (String) throws -> Value?) throws -> Value? {
        let member = cls.lookup(name)
        if case .object(let p as PropertyObject)? = member { return try Descriptors.instanceGet(.object(p), receiver, cls, interp) }
        if let v = table[name] {
            noteRead(receiver, name, v)
            return v
        }
        switch name {
        case "__class__": return .object(cls)
        case "__dict__": return .dict(try table.dict())
        default: break
        }
        if let member { return try Descriptors.instanceGet(member, receiver, cls, interp) }
        if let v = try native(name) { return v }
        if let hook = cls.lookup("__getattr__") {
            do {
                return try interp.callValue(try Descriptors.instanceGet(hook, receiver, cls, interp), Arguments([.str(name)]))
            } catch let e as ScriptError where e.kind == .attribute {
                throw e
            }
        }
        return nil
    }

    /// Assignments a class intercepts: a property's setter, or `__setattr__`. True when handled.
    static func setThroughClass(_ receiver: Value, _ cls: ClassObject, _ name: String, _ value: Value, _ interp: Interpreter) throws -> Bool {
        if case .object(let p as PropertyObject)? = cls.lookup(name) {
            guard let s = p.setter else { throw ScriptError(.attribute, "property '\(name)' of '\(cls.name)' object has no setter") }
            _ = try interp.callValue(s, Arguments([receiver, value]))
            return true
        }
        return false
    }

    /// A plain attribute a compiled function's trace read (`self.use_bias`, `self.scale`) becomes a
    /// guard, like a training flag: changing it later retraces instead of running a stale graph.
    private static func noteRead(_ receiver: Value, _ name: String, _ v: Value) {
        switch v {
        case .bool, .int, .float, .str, .none: break
        default: return
        }
        guard case .object(let o) = receiver else { return }
        let read = o.attributeReader(name)
        noteTraceDependency("\(o.identity.hashValue).\(name)", "\(o.typeName).\(name)", value: Repr.repr(v)) {
            read().map(Repr.repr) ?? "<deleted>"
        }
    }
}
