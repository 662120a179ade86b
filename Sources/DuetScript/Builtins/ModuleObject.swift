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
        if let ddp = module as? DistributedDataParallel, let v = DataParallelBuiltins.attribute(ddp, name) { return v }
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

/// Constructor arguments PyTorch exposes as attributes of the built-in layers, and the optional
/// parameters and buffers a layer was built without (None in PyTorch, not an AttributeError).
enum LayerAttributes {
    private static func tuple(_ v: [Int]) -> Value { .tuple(v.map(Value.int)) }

    static func value(_ module: Module, _ name: String) -> Value? {
        if absent(module).contains(name) { return Value.none }
        switch (module, name) {
        case (let l as Linear, "in_features"): return .int(l.inFeatures)
        case (let l as Linear, "out_features"): return .int(l.outFeatures)
        case (let c as Conv2d, "in_channels"): return .int(c.inChannels)
        case (let c as Conv2d, "out_channels"): return .int(c.outChannels)
        case (let c as Conv2d, "kernel_size"): return tuple(c.kernelSize)
        case (let c as Conv2d, "stride"): return tuple(c.stride)
        case (let c as Conv2d, "padding"): return tuple(c.padding)
        case (let c as Conv2d, "dilation"): return tuple(c.dilation)
        case (let c as Conv1d, "in_channels"): return .int(c.inChannels)
        case (let c as Conv1d, "out_channels"): return .int(c.outChannels)
        case (let c as Conv1d, "kernel_size"): return tuple([c.kernelSize])
        case (let c as Conv1d, "stride"): return tuple([c.stride])
        case (let c as Conv1d, "padding"): return tuple([c.padding])
        case (let c as Conv1d, "dilation"): return tuple([c.dilation])
        case (let d as Dropout, "p"): return .float(d.p)
        case (let d as FeatureDropout, "p"): return .float(d.p)
        case (let b as BatchNorm, "num_features"): return .int(b.numFeatures)
        case (let b as BatchNorm, "eps"): return .float(b.eps)
        case (let b as BatchNorm, "momentum"): return b.momentum.map(Value.float) ?? Value.none
        case (let b as BatchNorm, "affine"): return .bool(b.weight != nil)
        case (let b as BatchNorm, "track_running_stats"): return .bool(b.runningMean != nil)
        case (let l as LayerNorm, "normalized_shape"): return tuple(l.normalizedShape)
        case (let l as LayerNorm, "eps"): return .float(l.eps)
        case (let l as LayerNorm, "elementwise_affine"): return .bool(l.weight != nil)
        case (let e as Embedding, "num_embeddings"): return .int(e.numEmbeddings)
        case (let e as Embedding, "embedding_dim"): return .int(e.embeddingDim)
        case (let e as Embedding, "padding_idx"): return e.paddingIdx.map(Value.int) ?? Value.none
        case (let e as Embedding, "max_norm"): return e.maxNorm.map(Value.float) ?? Value.none
        case (let e as Embedding, "norm_type"): return .float(e.normType)
        case (let a as LeakyReLU, "negative_slope"): return .float(a.negativeSlope)
        case (let a as ELU, "alpha"): return .float(a.alpha)
        case (let a as Hardtanh, "min_val"): return .float(a.minVal)
        case (let a as Hardtanh, "max_val"): return .float(a.maxVal)
        case (let a as Softplus, "beta"): return .float(a.beta)
        case (let a as Softplus, "threshold"): return .float(a.threshold)
        case (let p as AdaptivePool2d, "output_size"):
            let items = p.outputSize.map { $0.map(Value.int) ?? Value.none }
            return items.count == 1 ? items[0] : .tuple(items)
        case (let u as Unflatten, "dim"): return .int(u.dim)
        case (let u as Unflatten, "unflattened_size"): return tuple(u.sizes)
        case (let f as Flatten, "start_dim"): return .int(f.startDim)
        case (let f as Flatten, "end_dim"): return .int(f.endDim)
        default: return nil
        }
    }

    /// The parameter and buffer names this layer has in PyTorch but was built without.
    private static func absent(_ module: Module) -> [String] {
        switch module {
        case let l as Linear: l.bias == nil ? ["bias"] : []
        case let c as Conv2d: c.bias == nil ? ["bias"] : []
        case let c as Conv1d: c.bias == nil ? ["bias"] : []
        case let l as LayerNorm: (l.weight == nil ? ["weight"] : []) + (l.bias == nil ? ["bias"] : [])
        case let b as BatchNorm: (b.weight == nil ? ["weight"] : []) + (b.bias == nil ? ["bias"] : []) + (b.runningMean == nil ? ["running_mean", "running_var", "num_batches_tracked"] : [])
        default: []
        }
    }
}
