import DuetTensor
import DuetNN

/// An NN module as a script value: the engine's module itself, not a copy. Wrappers are made
/// on each access, so identity (`is`, dict keys) is the module's; an nn.Module subclass's own
/// attributes live in its `ScriptModule`.
final class ModuleObject: ScriptObject, Subscriptable, ItemAssignable {
    let module: Module
    init(_ module: Module) { self.module = module }

    var script: ScriptModule? { module as? ScriptModule }

    override var scriptClass: ClassObject? { script?.cls }
    override var identity: ObjectIdentifier { ObjectIdentifier(module) }
    override var typeName: String { module.typeName }
    override var repr: String {
        if script != nil, let r = Dunder.text(.object(self), "__repr__") { return r }
        return module.description
    }
    override var str: String {
        if script != nil, let r = Dunder.text(.object(self), "__str__") { return r }
        return repr
    }
    override var help: String? {
        if let s = script { return s.cls.help.map { $0 + "\n" + module.description } }
        return "\(module.typeName): an NN module; call it on a tensor. dir(model) lists its attributes.\n\(module.description)"
    }

    override func call(_ args: Arguments, _ interp: Interpreter) throws -> Value { try ModuleCalls.call(module, args, interp) }

    override func attribute(_ name: String, _ interp: Interpreter) throws -> Value? {
        if let s = script {
            return try InstanceAttributes.get(.object(self), s.cls, s.table, name, interp) { try nativeAttribute($0, interp) }
        }
        return try nativeAttribute(name, interp)
    }

    override func nativeAttribute(_ name: String, _ interp: Interpreter) throws -> Value? {
        if let m = ModuleMethods.method(self, name, interp) { return m }
        if let p = module.registeredParameters.first(where: { $0.name == name }) { return .tensor(p.tensor) }
        if let b = module.registeredBuffers.first(where: { $0.name == name }) { return .tensor(b.tensor) }
        if let c = module.children.first(where: { $0.name == name }) { return .object(ModuleObject(c.module)) }
        return LayerAttributes.value(module, name)
    }

    override func attributeReader(_ name: String) -> () -> Value? { { [weak script] in script?.table[name] } }

    override func setAttribute(_ name: String, _ value: Value, _ interp: Interpreter) throws {
        if let s = script, try InstanceAttributes.setThroughClass(.object(self), s.cls, name, value, interp) { return }
        try ModuleAttributes.set(module, name, value)
    }

    override func deleteAttribute(_ name: String, _ interp: Interpreter) throws {
        if module.registration(name) != nil {
            module.removeRegistration(name)
            return
        }
        guard let s = script, s.table[name] != nil else { throw ScriptError(.attribute, "'\(typeName)' object has no attribute '\(name)'") }
        s.table[name] = nil
    }

    override var attributeNames: [String] {
        let own = module.registeredParameters.map(\.name) + module.registeredBuffers.map(\.name) + module.children.map(\.name)
        return Array(Set(ModuleMethods.names + own + (script.map { $0.table.names + $0.cls.attributeNames } ?? []))).sorted()
    }

    // MARK: Containers

    override func lengthValue() throws -> Int? {
        if script != nil { return try Dunder.length(.object(self)) }
        switch module {
        case let s as Sequential: return s.layers.count
        case let l as ModuleList: return l.modules.count
        case let d as ModuleDict: return d.keys.count
        case let p as ParameterList: return p.items.count
        default: return nil
        }
    }

    override func truthValue() throws -> Bool {
        if script != nil { return try Dunder.truth(.object(self)) ?? true }
        return true
    }

    override func makeIterator(_ interp: Interpreter) throws -> ValueIterator? {
        if script != nil { return try Dunder.iterator(.object(self), interp) }
        switch module {
        case let s as Sequential: return ArrayIterator(s.layers.map { .object(ModuleObject($0)) })
        case let l as ModuleList: return ArrayIterator(l.modules.map { .object(ModuleObject($0)) })
        case let d as ModuleDict: return ArrayIterator(d.keys.map(Value.str))
        case let p as ParameterList: return ArrayIterator(p.items.map(Value.tensor))
        default: return nil
        }
    }

    func item(_ index: Value, _ interp: Interpreter) throws -> Value {
        if script != nil, let v = try Dunder.call(.object(self), "__getitem__", Arguments([index])) { return v }
        switch module {
        case let s as Sequential:
            if case .object(let slice as SliceObject) = index {
                let (start, stop, step) = try slice.indices(s.children.count)
                let picked = stride(from: start, to: stop, by: step).map { s.children[$0] }
                return .object(ModuleObject(Sequential(named: picked)))
            }
            return .object(ModuleObject(s.layers[try position(index, s.layers.count)]))
        case let l as ModuleList:
            if case .object(let slice as SliceObject) = index {
                let (start, stop, step) = try slice.indices(l.modules.count)
                return .object(ModuleObject(ModuleList(stride(from: start, to: stop, by: step).map { l.modules[$0] })))
            }
            return .object(ModuleObject(l.modules[try position(index, l.modules.count)]))
        case let d as ModuleDict:
            let key = try Convert.string(index, "ModuleDict key")
            guard let m = d.module(key) else { throw ScriptError(.key, Repr.repr(index)) }
            return .object(ModuleObject(m))
        case let p as ParameterList:
            return .tensor(p.items[try position(index, p.items.count)])
        default:
            throw ScriptError(.type, "'\(typeName)' object is not subscriptable")
        }
    }

    func setItem(_ index: Value, _ value: Value, _ interp: Interpreter) throws {
        if script != nil, try Dunder.call(.object(self), "__setitem__", Arguments([index, value])) != nil { return }
        switch module {
        case let l as ModuleList: l.set(try Convert.module(value, "ModuleList item"), at: try position(index, l.modules.count))
        case let s as Sequential:
            let i = try position(index, s.layers.count)
            s.registerModule(s.children[i].name, try Convert.module(value, "Sequential item"))
        case let d as ModuleDict: d.registerModule(try Convert.string(index, "ModuleDict key"), try Convert.module(value, "ModuleDict item"))
        default: throw ScriptError(.type, "'\(typeName)' object does not support item assignment")
        }
    }

    private func position(_ index: Value, _ count: Int) throws -> Int {
        try Subscript.position(try Convert.int(index, "\(typeName) index"), count, typeName)
    }
}

/// PyTorch's `Module.__setattr__`: a Parameter, a Module or None lands in the module's registries
/// (replacing what the name held), a tensor assigned to a buffer's name replaces the buffer,
/// `training` sets this module's flag; anything else is a plain attribute of a script module.
enum ModuleAttributes {
    static func set(_ module: Module, _ name: String, _ value: Value) throws {
        let current = module.registration(name)
        switch value {
        case .tensor(let t) where t.isParameter:
            try module.registerParameter(name, t)
            (module as? ScriptModule)?.table[name] = nil
            return
        case .object(let o as ModuleObject):
            guard o.module !== module else { throw ScriptError(.value, "cannot assign a module as its own child '\(name)'") }
            module.registerModule(name, o.module)
            (module as? ScriptModule)?.table[name] = nil
            return
        case .tensor(let t) where current == .buffer:
            module.registerBuffer(name, t, persistent: !module.nonPersistentBuffers.contains(name))
            return
        case .none where current != nil:
            module.removeRegistration(name)
            (module as? ScriptModule)?.table[name] = Value.none
            return
        case .bool(let b) where name == "training":
            module.setTraining(b)
            return
        default:
            break
        }
        switch current {
        case .parameter: throw ScriptError(.type, "cannot assign '\(value.typeName)' as parameter '\(name)' (torch.nn.Parameter or None expected)")
        case .module: throw ScriptError(.type, "cannot assign '\(value.typeName)' as child module '\(name)' (torch.nn.Module or None expected)")
        case .buffer: throw ScriptError(.type, "cannot assign '\(value.typeName)' as buffer '\(name)' (torch.Tensor or None expected)")
        case nil: break
        }
        guard let script = module as? ScriptModule else {
            throw ScriptError(.attribute, "cannot set attribute '\(name)' of the built-in layer \(module.typeName): hold extra state in an nn.Module subclass")
        }
        script.table[name] = value
    }
}

/// Constructor arguments PyTorch exposes as attributes of the built-in layers.
enum LayerAttributes {
    static func value(_ module: Module, _ name: String) -> Value? {
        switch (module, name) {
        case (let l as Linear, "in_features"): .int(l.inFeatures)
        case (let l as Linear, "out_features"): .int(l.outFeatures)
        case (let l as Linear, "bias") where l.bias == nil: Value.none
        case (let c as Conv2d, "bias") where c.bias == nil: Value.none
        case (let c as Conv2d, "in_channels"): .int(c.inChannels)
        case (let c as Conv2d, "out_channels"): .int(c.outChannels)
        case (let c as Conv2d, "kernel_size"): .tuple(c.kernelSize.map(Value.int))
        case (let c as Conv2d, "stride"): .tuple(c.stride.map(Value.int))
        case (let c as Conv2d, "padding"): .tuple(c.padding.map(Value.int))
        case (let d as Dropout, "p"): .float(d.p)
        case (let b as BatchNorm, "num_features"): .int(b.numFeatures)
        case (let b as BatchNorm, "eps"): .float(b.eps)
        case (let b as BatchNorm, "momentum"): .float(b.momentum)
        case (let l as LayerNorm, "normalized_shape"): .tuple(l.normalizedShape.map(Value.int))
        case (let l as LayerNorm, "eps"): .float(l.eps)
        default: nil
        }
    }
}
