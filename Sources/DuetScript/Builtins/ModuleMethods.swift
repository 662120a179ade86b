import DuetTensor
import DuetNN

/// nn.Module's methods, as PyTorch names them, for every module value (built-in layers and
/// nn.Module subclasses alike). A subclass's own methods of the same name come first.
enum ModuleMethods {
    static let names = ["add_module", "append", "apply", "bfloat16", "buffers", "children", "cpu", "double", "eval", "extend", "extra_repr", "float",
                        "forward", "get_parameter", "get_submodule", "half", "insert", "items", "keys", "load_state_dict", "modules",
                        "named_buffers", "named_children", "named_modules", "named_parameters", "parameters", "register_buffer",
                        "register_forward_hook", "register_forward_pre_hook", "register_module", "register_parameter",
                        "requires_grad_", "state_dict", "to", "train", "training", "values", "zero_grad"]

    static func method(_ object: ModuleObject, _ name: String, _ interp: Interpreter) -> Value? {
        let m = object.module
        func f(_ signature: Signature, _ doc: String, _ body: @escaping (BoundArguments) throws -> Value) -> Value {
            .object(BuiltinFunction(signature, doc) { b, _ in try body(b) })
        }
        func pairs(_ items: [(name: String, tensor: Tensor)]) -> Value {
            .list(ListObject(items.map { .tuple([.str($0.name), .tensor($0.tensor)]) }))
        }
        func modulePairs(_ items: [(name: String, module: Module)]) -> Value {
            .list(ListObject(items.map { .tuple([.str($0.name), .object(ModuleObject($0.module))]) }))
        }
        switch name {
        case "training": return .bool(m.isTraining)
        case "parameters":
            return f("parameters(recurse=True)", "The parameter tensors (live, not copies).") { b in
                .list(ListObject((try b.bool("recurse") ? m.parameters() : m.registeredParameters.map(\.tensor)).map(Value.tensor)))
            }
        case "named_parameters":
            return f("named_parameters(prefix='', recurse=True)", "(name, parameter) pairs.") { b in
                let prefix = try b.string("prefix")
                return try b.bool("recurse") ? pairs(m.namedParameters(prefix: prefix))
                    : pairs(m.registeredParameters.map { (Module.join(prefix, $0.name), $0.tensor) })
            }
        case "buffers":
            return f("buffers(recurse=True)", "The buffer tensors (running statistics…).") { b in
                .list(ListObject((try b.bool("recurse") ? m.namedBuffers().map(\.tensor) : m.registeredBuffers.map(\.tensor)).map(Value.tensor)))
            }
        case "named_buffers":
            return f("named_buffers(prefix='', recurse=True)", "(name, buffer) pairs.") { b in
                let prefix = try b.string("prefix")
                return try b.bool("recurse") ? pairs(m.namedBuffers(prefix: prefix))
                    : pairs(m.registeredBuffers.map { (Module.join(prefix, $0.name), $0.tensor) })
            }
        case "children":
            return f("children()", "The direct submodules.") { _ in .list(ListObject(m.children.map { .object(ModuleObject($0.module)) })) }
        case "named_children":
            return f("named_children()", "(name, module) pairs of the direct submodules.") { _ in modulePairs(m.children) }
        case "modules":
            return f("modules()", "This module and all its descendants.") { _ in .list(ListObject(m.namedModules().map { .object(ModuleObject($0.module)) })) }
        case "named_modules":
            return f("named_modules(prefix='')", "(name, module) pairs of this module and its descendants.") { b in
                modulePairs(m.namedModules(prefix: try b.string("prefix")))
            }
        case "train":
            return f("train(mode=True)", "Training mode on (or off) for the module and its children; returns it.") { b in
                m.train(try b.bool("mode"))
                return .object(object)
            }
        case "eval":
            return f("eval()", "Evaluation mode (dropout off, batch norm uses running statistics); returns the module.") { _ in
                m.eval()
                return .object(object)
            }
        case "zero_grad":
            return f("zero_grad(set_to_none=True)", "Clears the parameters' gradients.") { _ in
                m.zeroGrad()
                return .none
            }
        case "requires_grad_":
            return f("requires_grad_(requires_grad=True)", "Turns gradients of every parameter on or off (freezing); returns the module.") { b in
                let on = try b.bool("requires_grad")
                for p in m.parameters() { try p.requiresGrad(on) }
                return .object(object)
            }
        case "state_dict":
            return f("state_dict(prefix='')", "Parameters and persistent buffers by dotted name (live tensors), in PyTorch's order.") { b in
                let prefix = try b.string("prefix")
                return .dict(try DictObject(pairs: m.stateDict().map { (.str(prefix + $0.name), .tensor($0.tensor)) }))
            }
        case "load_state_dict":
            return f("load_state_dict(state_dict, strict=True)", "Copies values into the module's tensors in place; returns the missing and unexpected keys.") { b in
                guard case .dict(let d) = try b.value("state_dict") else { throw ScriptError(.type, "load_state_dict() needs a dict of tensors") }
                var state: [String: Tensor] = [:]
                for (k, v) in zip(d.keys, d.values) {
                    state[try Convert.string(k, "state_dict key")] = try Convert.tensor(v, "state_dict value")
                }
                let strict = try b.bool("strict")
                try m.loadStateDict(state, strict: strict)
                let own = Set(m.stateDict().map(\.name))
                return .object(IncompatibleKeys(missing: own.subtracting(state.keys).sorted(), unexpected: Set(state.keys).subtracting(own).sorted()))
            }
        case "apply":
            return f("apply(fn)", "Calls fn on every submodule, then on this module; returns the module.") { b in
                let fn = try b.value("fn")
                func visit(_ module: Module) throws {
                    for child in module.children { try visit(child.module) }
                    _ = try interp.callValue(fn, Arguments([.object(ModuleObject(module))]))
                }
                try visit(m)
                return .object(object)
            }
        case "register_buffer":
            return f("register_buffer(name, tensor, persistent=True)", "Adds a tensor that is state but not a parameter (saved in state_dict unless persistent=False).") { b in
                let key = try b.string("name")
                try checkName(key, m)
                if let t = try b.optionalTensor("tensor") {
                    m.registerBuffer(key, t, persistent: try b.bool("persistent"))
                } else {
                    m.removeRegistration(key)
                    object.script?.table[key] = Value.none
                }
                return .none
            }
        case "register_parameter":
            return f("register_parameter(name, param)", "Adds a parameter (None registers the name with no tensor).") { b in
                let key = try b.string("name")
                try checkName(key, m)
                if let t = try b.optionalTensor("param") {
                    guard t.isParameter else { throw ScriptError(.type, "cannot assign 'Tensor' object to parameter '\(key)' (torch.nn.Parameter or None required)") }
                    try m.registerParameter(key, t)
                } else {
                    m.removeRegistration(key)
                    object.script?.table[key] = Value.none
                }
                return .none
            }
        case "add_module", "register_module":
            return f("\(name)(name, module)", "Adds a child module under name.") { b in
                let key = try b.string("name")
                try checkName(key, m)
                m.registerModule(key, try Convert.module(try b.value("module"), "\(name)() module"))
                return .none
            }
        case "get_submodule":
            return f("get_submodule(target)", "The submodule at a dotted path ('encoder.0').") { b in
                .object(ModuleObject(try submodule(m, try b.string("target"))))
            }
        case "get_parameter":
            return f("get_parameter(target)", "The parameter at a dotted path ('encoder.0.weight').") { b in
                let path = try b.string("target")
                guard let p = m.namedParameters().first(where: { $0.name == path }) else { throw ScriptError(.attribute, "\(m.typeName) has no parameter `\(path)`") }
                return .tensor(p.tensor)
            }
        case "register_forward_hook", "register_forward_pre_hook":
            let pre = name == "register_forward_pre_hook"
            return f(pre ? "register_forward_pre_hook(hook)" : "register_forward_hook(hook)",
                     pre ? "hook(module, args) runs before forward; a result other than None replaces args. Returns a handle with .remove()."
                         : "hook(module, args, output) runs after forward; a result other than None replaces the output. Returns a handle with .remove().") { b in
                let hooks = ScriptHooks.of(m, interp)
                return .object(HookHandle(hooks, hooks.add(try b.value("hook"), preForward: pre)))
            }
        case "forward" where object.script == nil:
            return f("forward(input)", "The module's computation (without hooks).") { b in .tensor(try m.forward(try b.tensor("input"))) }
        case "extra_repr":
            return f("extra_repr()", "The text inside the parentheses when the module prints.") { _ in .str(m.extraDescription) }
        case "to", "cpu", "float":
            return .object(BuiltinFunction("\(name)(*args, **kwargs)", "The module itself: Duet runs on the CPU in float32.") { b, _ in
                for v in b.rest + b.extraKeywords.map(\.1) {
                    if case .object(let d as DTypeObject) = v, d.dtype != .float32 { throw moduleCastRefusal(name, d.dtype) }
                }
                return .object(object)
            })
        case "double", "half", "bfloat16":
            let target: DType = name == "double" ? .float64 : name == "half" ? .float16 : .bfloat16
            return .object(BuiltinFunction("\(name)()", "Not available: a module's parameters stay float32.") { _, _ in
                throw moduleCastRefusal(name, target)
            })
        default:
            return ContainerModuleMethods.method(object, name, interp)
        }
    }

    /// Modules hold their parameters as fixed float32 tensors; tensors themselves convert
    /// (`{k: v.half() for k, v in model.state_dict().items()}` keeps a 16-bit copy of the weights).
    private static func moduleCastRefusal(_ method: String, _ dtype: DType) -> ScriptError {
        ScriptError(.value, "\(method)(): converting a module to \(dtype) is not supported yet; build it in float32 (tensors convert: x.half(), x.to(torch.\(dtype)))")
    }

    private static func checkName(_ name: String, _ m: Module) throws {
        guard !name.isEmpty, !name.contains(".") else { throw ScriptError(.key, "module name can't be empty or contain \".\", got: \(Repr.quoted(name))") }
    }

    static func submodule(_ m: Module, _ path: String) throws -> Module {
        var current = m
        for part in path.split(separator: ".") where !path.isEmpty {
            guard let c = current.children.first(where: { $0.name == part }) else {
                throw ScriptError(.attribute, "\(current.typeName) has no attribute `\(part)`")
            }
            current = c.module
        }
        return current
    }
}

/// `append`, `extend`, `insert` of Sequential and ModuleList, `keys`/`values`/`items` of ModuleDict.
enum ContainerModuleMethods {
    static func method(_ object: ModuleObject, _ name: String, _ interp: Interpreter) -> Value? {
        let m = object.module
        func f(_ signature: Signature, _ doc: String, _ body: @escaping (BoundArguments) throws -> Value) -> Value {
            .object(BuiltinFunction(signature, doc) { b, _ in try body(b) })
        }
        switch (m, name) {
        case (let s as NumberedModules, "append"):
            return f("append(module, /)", "Adds a module at the end; returns the container.") { b in
                s.append(try Convert.module(try b.value("module"), "append() module"))
                return .object(object)
            }
        case (let s as NumberedModules, "insert"):
            return f("insert(index, module, /)", "Inserts a module before index.") { b in
                s.insert(try Convert.module(try b.value("module"), "insert() module"), at: try b.int("index"))
                // PyTorch's Sequential.insert returns the Sequential; ModuleList.insert returns None.
                return s is Sequential ? .object(object) : .none
            }
        case (let l as ModuleList, "extend"):
            return f("extend(modules, /)", "Adds the modules at the end.") { b in
                for v in try Iteration.collect(try b.value("modules"), interp) { l.append(try Convert.module(v, "extend() item")) }
                return .object(object)
            }
        case (let p as ParameterList, "append"):
            return f("append(value, /)", "Adds a parameter at the end.") { b in
                try p.append(try b.tensor("value"))
                return .object(object)
            }
        case (let d as ModuleDict, "keys"): return f("keys()", "The keys.") { _ in .list(ListObject(d.keys.map(Value.str))) }
        case (let d as ModuleDict, "values"): return f("values()", "The modules.") { _ in .list(ListObject(d.children.map { .object(ModuleObject($0.module)) })) }
        case (let d as ModuleDict, "items"):
            return f("items()", "(key, module) pairs.") { _ in .list(ListObject(d.children.map { .tuple([.str($0.name), .object(ModuleObject($0.module))]) })) }
        default: return nil
        }
    }
}

/// What `load_state_dict` returns: the keys that were missing and unexpected (empty when strict).
final class IncompatibleKeys: ScriptObject {
    let missing: [String], unexpected: [String]
    init(missing: [String], unexpected: [String]) {
        self.missing = missing
        self.unexpected = unexpected
    }
    override var typeName: String { "_IncompatibleKeys" }
    override var repr: String {
        missing.isEmpty && unexpected.isEmpty ? "<All keys matched successfully>"
            : "_IncompatibleKeys(missing_keys=\(Repr.repr(.list(ListObject(missing.map(Value.str))))), unexpected_keys=\(Repr.repr(.list(ListObject(unexpected.map(Value.str))))))"
    }
    override func attribute(_ name: String, _ interp: Interpreter) throws -> Value? {
        switch name {
        case "missing_keys": .list(ListObject(missing.map(Value.str)))
        case "unexpected_keys": .list(ListObject(unexpected.map(Value.str)))
        default: nil
        }
    }
}
