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
            r.add(name, .object(TypeObject(name, doc: "\(name)(function)\n    \(doc)") { a, _ in
                try a.expectPositional(name, min: 1, max: 1)
                return .object(make(a.positional[0]))
            }), .flat)
        }
        wrapper("staticmethod", "A method called without the instance or class.") { StaticMethodObject($0) }
        wrapper("classmethod", "A method that receives the class as its first argument.") { ClassMethodObject($0) }
        r.add("property", .object(TypeObject("property", doc: "property(fget=None, fset=None, fdel=None, doc=None)\n    An attribute computed by methods; use as @property, then @name.setter.") { a, _ in
            let b = try BoundArguments(a, "property", ["fget", "fset", "fdel", "doc"])
            return .object(PropertyObject(getter: b[0], setter: b[1], deleter: b[2], doc: try b[3].map { try Convert.string($0, "property() doc") }))
        }), .flat)
        r.function("super", "super(type, object_or_type)", "Attribute lookups that skip to the classes after type in the object's class order; super() in a method means super(ThisClass, self).", .flat) { a, _ in
            try a.expectPositional("super", min: 2, max: 2)
            guard case .object(let cls as ClassObject) = a.positional[0] else { throw ScriptError(.type, "super() argument 1 must be a type, not \(a.positional[0].typeName)") }
            return try Instantiation.superObject(cls, a.positional[1])
        }
    }

    private static func introspection(_ r: Builtins.Registrar) {
        r.function("issubclass", "issubclass(cls, class_or_tuple)", "Whether cls derives from the class (or one in a tuple).", .flat) { a, _ in
            try a.expectPositional("issubclass", min: 2, max: 2)
            guard case .object(let cls as ClassObject) = a.positional[0] else {
                if case .object(let t as TypeObject) = a.positional[0] { return .bool(try PythonBuiltins.typeMatches(t, a.positional[1])) }
                throw ScriptError(.type, "issubclass() arg 1 must be a class")
            }
            let options: [Value] = if case .tuple(let items) = a.positional[1] { items } else { [a.positional[1]] }
            return .bool(options.contains { if case .object(let c as ClassObject) = $0 { cls.isSubclass(of: c) } else { false } })
        }
        r.function("vars", "vars(object)", "The object's attributes as a dict.", .flat) { a, _ in
            try a.expectPositional("vars", min: 1, max: 1)
            switch a.positional[0] {
            case .object(let o as InstanceObject): return .dict(try o.table.dict())
            case .object(let m as ModuleObject) where m.script != nil: return .dict(try m.script?.table.dict() ?? DictObject())
            case .object(let c as ClassObject): return .dict(try c.members.dict())
            case let v: throw ScriptError(.type, "vars() argument must have __dict__ attribute (got \(v.typeName))")
            }
        }
        r.function("delattr", "delattr(obj, name)", "Deletes an attribute.", .flat) { a, interp in
            try a.expectPositional("delattr", min: 2, max: 2)
            guard case .object(let o) = a.positional[0] else { throw ScriptError(.attribute, "'\(a.positional[0].typeName)' object has no attribute to delete") }
            try o.deleteAttribute(try Convert.string(a.positional[1], "attribute name"), interp)
            return .none
        }
        r.function("id", "id(obj)", "A number identifying the object while it lives.", .flat) { a, _ in
            try a.expectPositional("id", min: 1, max: 1)
            switch a.positional[0] {
            case .object(let o): return .int(o.identity.hashValue)
            case .tensor(let t): return .int(ObjectIdentifier(t).hashValue)
            case .list(let l): return .int(ObjectIdentifier(l).hashValue)
            case .dict(let d): return .int(ObjectIdentifier(d).hashValue)
            case let v: return .int(Repr.repr(v).hashValue)
            }
        }
        r.function("hash", "hash(obj)", "The object's hash (what dict keys and sets use).", .flat) { a, _ in
            try a.expectPositional("hash", min: 1, max: 1)
            let v = a.positional[0]
            if let h = try Dunder.hash(v) { return .int(h) }
            return .int(try HashKey(v).hashValue)
        }
        r.add("set", .object(TypeObject("set", doc: "set(iterable=())\n    Unique items.") { a, interp in
            try a.expectPositional("set", min: 0, max: 1)
            return .object(try SetObject(try a.positional.first.map { try Iteration.collect($0, interp) } ?? []))
        }), .flat)
        r.add("frozenset", .object(TypeObject("frozenset", doc: "frozenset(iterable=())\n    Unique items (a set in Duet).") { a, interp in
            try a.expectPositional("frozenset", min: 0, max: 1)
            return .object(try SetObject(try a.positional.first.map { try Iteration.collect($0, interp) } ?? []))
        }), .flat)
    }

    private static func containers(_ r: Builtins.Registrar) {
        r.function("Parameter", "Parameter(data=None, requires_grad=True)", "A tensor that a module registers as a parameter when assigned to one of its attributes (it shares data's storage).", [.flat, .nn]) { a, _ in
            let b = try BoundArguments(a, "Parameter", ["data", "requires_grad"])
            let data = try b.optionalTensor(0) ?? Tensor.zeros([0])
            let p = data.detach()
            if data.dtype.isFloatingPoint { try p.requiresGrad(try b.bool(1, true)) }
            p.isParameter = true
            return .tensor(p)
        }
        func modules(_ v: Value?, _ what: String, _ interp: Interpreter) throws -> [Module] {
            guard let v, !v.isNone else { return [] }
            return try Iteration.collect(v, interp).map { try Convert.module($0, what) }
        }
        r.add("ModuleList", .object(TypeObject("ModuleList", doc: "ModuleList(modules=None)\n    Submodules in a list, registered as \"0\", \"1\", …") { a, interp in
            let b = try BoundArguments(a, "ModuleList", ["modules"])
            return .object(ModuleObject(ModuleList(try modules(b.values[0], "ModuleList item", interp))))
        }), [.flat, .nn])
        r.add("ModuleDict", .object(TypeObject("ModuleDict", doc: "ModuleDict(modules=None)\n    Submodules by name.") { a, interp in
            let b = try BoundArguments(a, "ModuleDict", ["modules"])
            var items: [(String, Module)] = []
            if case .dict(let d)? = b.values[0] {
                for (k, v) in zip(d.keys, d.values) { items.append((try Convert.string(k, "ModuleDict key"), try Convert.module(v, "ModuleDict value"))) }
            } else if let v = b.values[0], !v.isNone {
                for pair in try Iteration.collect(v, interp) {
                    let kv = try Iteration.collect(pair, interp)
                    guard kv.count == 2 else { throw ScriptError(.value, "ModuleDict: expected (name, module) pairs") }
                    items.append((try Convert.string(kv[0], "ModuleDict key"), try Convert.module(kv[1], "ModuleDict value")))
                }
            }
            return .object(ModuleObject(ModuleDict(items)))
        }), [.flat, .nn])
        r.add("ParameterList", .object(TypeObject("ParameterList", doc: "ParameterList(values=None)\n    Parameters in a list, registered as \"0\", \"1\", …") { a, interp in
            let b = try BoundArguments(a, "ParameterList", ["values"])
            let values = try b.values[0].map { v in v.isNone ? [] : try Iteration.collect(v, interp).map { try Convert.tensor($0, "ParameterList item") } } ?? []
            return .object(ModuleObject(try ParameterList(values)))
        }), [.flat, .nn])
    }
}
