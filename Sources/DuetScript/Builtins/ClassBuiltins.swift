import DuetTensor
import DuetNN

/// The builtins of Python's class machinery (`object`, `super`, `property`, `isinstance`'s
/// friends, the exception classes) and the classes PyTorch code derives from: `nn.Module`,
/// `Dataset`, `IterableDataset`, `autograd.Function`; plus `nn.Parameter` and the module containers.
enum ClassBuiltins {
    static func register(_ r: Builtins.Registrar) {
        let classes = r.interp.classes
        r.add("object", .object(classes.object), .flat)
        for (kind, cls) in classes.exceptions where kind != .stepLimit { r.add(kind.rawValue, .object(cls), .flat) }
        r.add("NotImplemented", .object(NotImplementedObject()), .flat)
        r.add("Module", .object(classes.module), [.flat, .nn])
        r.add("Dataset", .object(classes.dataset), [.flat, .data])
        r.add("IterableDataset", .object(classes.iterableDataset), [.flat, .data])
        decorators(r)
        introspection(r)
        containers(r)
    }

    private static func decorators(_ r: Builtins.Registrar) {
        func wrapper(_ name: String, _ doc: String, _ make: @escaping (Value) -> ScriptObject) {
            r.type("\(name)(function, /)", doc, .flat) { b, _ in .object(make(try b.value("function"))) }
        }
        wrapper("staticmethod", "A method called without the instance or class.") { StaticMethodObject($0) }
        wrapper("classmethod", "A method that receives the class as its first argument.") { ClassMethodObject($0) }
        r.type("property(fget=None, fset=None, fdel=None, doc=None)", "An attribute computed by methods; use as @property, then @name.setter.", .flat) { b, _ in
            .object(PropertyObject(getter: b["fget"], setter: b["fset"], deleter: b["fdel"], doc: try b.optionalString("doc")))
        }
        r.function("super(type, object_or_type, /)", "Attribute lookups that skip to the classes after type in the object's class order; super() in a method means super(ThisClass, self).", .flat) { b, _ in
            let type = try b.value("type")
            guard case .object(let cls as ClassObject) = type else { throw ScriptError(.type, "super() argument 1 must be a type, not \(type.typeName)") }
            return try Instantiation.superObject(cls, try b.value("object_or_type"))
        }
    }

    private static func introspection(_ r: Builtins.Registrar) {
        r.function("issubclass(cls, class_or_tuple, /)", "Whether cls derives from the class (or one in a tuple).", .flat) { b, _ in
            let first = try b.value("cls"), second = try b.value("class_or_tuple")
            guard case .object(let cls as ClassObject) = first else {
                if case .object(let t as TypeObject) = first { return .bool(try PythonBuiltins.typeMatches(t, second)) }
                throw ScriptError(.type, "issubclass() arg 1 must be a class")
            }
            let options: [Value] = if case .tuple(let items) = second { items } else { [second] }
            return .bool(options.contains { if case .object(let c as ClassObject) = $0 { cls.isSubclass(of: c) } else { false } })
        }
        r.function("vars(object, /)", "The object's attributes as a dict.", .flat) { b, _ in
            switch try b.value("object") {
            case .object(let o as InstanceObject): return .dict(try o.table.dict())
            case .object(let m as ModuleObject) where m.script != nil: return .dict(try m.script?.table.dict() ?? DictObject())
            case .object(let c as ClassObject): return .dict(try c.members.dict())
            case let v: throw ScriptError(.type, "vars() argument must have __dict__ attribute (got \(v.typeName))")
            }
        }
        r.function("delattr(obj, name, /)", "Deletes an attribute.", .flat) { b, interp in
            let v = try b.value("obj")
            guard case .object(let o) = v else { throw ScriptError(.attribute, "'\(v.typeName)' object has no attribute to delete") }
            try o.deleteAttribute(try b.string("name"), interp)
            return .none
        }
        r.function("id(obj, /)", "A number identifying the object while it lives.", .flat) { b, _ in
            switch try b.value("obj") {
            case .object(let o): return .int(o.identity.hashValue)
            case .tensor(let t): return .int(ObjectIdentifier(t).hashValue)
            case .list(let l): return .int(ObjectIdentifier(l).hashValue)
            case .dict(let d): return .int(ObjectIdentifier(d).hashValue)
            case let v: return .int(Repr.repr(v).hashValue)
            }
        }
        r.function("hash(obj, /)", "The object's hash (what dict keys and sets use).", .flat) { b, _ in
            let v = try b.value("obj")
            if let h = try Dunder.hash(v) { return .int(h) }
            return .int(try HashKey(v).hashValue)
        }
        r.type("set(iterable=(), /)", "Unique items.", .flat) { b, interp in
            .object(try SetObject(try Iteration.collect(try b.value("iterable"), interp)))
        }
        r.type("frozenset(iterable=(), /)", "Unique items (a set in Duet).", .flat) { b, interp in
            .object(try SetObject(try Iteration.collect(try b.value("iterable"), interp)))
        }
    }

    private static func containers(_ r: Builtins.Registrar) {
        r.function("Parameter(data=None, requires_grad=True)", "A tensor that a module registers as a parameter when assigned to one of its attributes (it shares data's storage).", [.flat, .nn]) { b, _ in
            let data = try b.optionalTensor("data") ?? Tensor.zeros([0])
            let p = data.detach()
            if data.dtype.isFloatingPoint { try p.requiresGrad(try b.bool("requires_grad")) }
            p.isParameter = true
            return .tensor(p)
        }
        func modules(_ v: Value?, _ what: String, _ interp: Interpreter) throws -> [Module] {
            guard let v else { return [] }
            return try Iteration.collect(v, interp).map { try Convert.module($0, what) }
        }
        r.type("ModuleList(modules=None)", "Submodules in a list, registered as \"0\", \"1\", …", [.flat, .nn]) { b, interp in
            .object(ModuleObject(ModuleList(try modules(b["modules"], "ModuleList item", interp))))
        }
        r.type("ModuleDict(modules=None)", "Submodules by name.", [.flat, .nn]) { b, interp in
            var items: [(String, Module)] = []
            if case .dict(let d)? = b["modules"] {
                for (k, v) in zip(d.keys, d.values) { items.append((try Convert.string(k, "ModuleDict key"), try Convert.module(v, "ModuleDict value"))) }
            } else if let v = b["modules"] {
                for pair in try Iteration.collect(v, interp) {
                    let kv = try Iteration.collect(pair, interp)
                    guard kv.count == 2 else { throw ScriptError(.value, "ModuleDict: expected (name, module) pairs") }
                    items.append((try Convert.string(kv[0], "ModuleDict key"), try Convert.module(kv[1], "ModuleDict value")))
                }
            }
            return .object(ModuleObject(ModuleDict(items)))
        }
        r.type("ParameterList(values=None)", "Parameters in a list, registered as \"0\", \"1\", …", [.flat, .nn]) { b, interp in
            let values = try b["values"].map { v in try Iteration.collect(v, interp).map { try Convert.tensor($0, "ParameterList item") } } ?? []
            return .object(ModuleObject(try ParameterList(values)))
        }
    }
}
