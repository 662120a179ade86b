import DuetTensor
import DuetNN

/// An instance of an nn.Module subclass written in the language: an engine module like the
/// built-in layers (so `parameters()`, `state_dict`, printing, the profiler's module paths,
/// `summary`, `fit` and graph mode see it as they see `Sequential`), whose `forward` is the
/// script's and whose other attributes live in a table (DESIGN.md, "Classes and modules").
final class ScriptModule: Module {
    let cls: ClassObject
    var table = AttributeTable()

    init(_ cls: ClassObject) {
        self.cls = cls
        super.init()
    }

    override var typeName: String { cls.name }

    /// `extra_repr()` when the class defines one.
    override var extraDescription: String {
        guard cls.lookup("extra_repr") != nil, let r = try? Dunder.call(.object(ModuleObject(self)), "extra_repr", Arguments([])),
              case .str(let s) = r else { return "" }
        return s
    }

    /// A call from Swift (`Sequential`, `fit`, `summary`): the script's forward on one tensor.
    override func forward(_ input: Tensor) throws -> Tensor {
        let out = try forwardValue(Arguments([.tensor(input)]))
        guard case .tensor(let t) = out else {
            throw ScriptError(.type, "\(cls.name).forward returned \(out.typeName), but a tensor is needed here (called from a container or a training loop)")
        }
        return t
    }

    /// The script's `forward` with any arguments (no hooks: the callers run them).
    func forwardValue(_ args: Arguments) throws -> Value {
        guard let interp = cls.interp else { throw ScriptError(.runtime, "\(cls.name): its interpreter is gone") }
        guard let method = cls.lookup("forward") else {
            throw ScriptError(.notImplemented, "Module [\(cls.name)] is missing the required \"forward\" function")
        }
        return try interp.callValue(try Descriptors.instanceGet(method, .object(ModuleObject(self)), cls, interp), args)
    }
}

/// `register_forward_pre_hook` and `register_forward_hook` on any module: hooks as script
/// functions, run around the script's calls and, through `Module.callInterceptor`, around
/// calls from Swift.
final class ScriptHooks: ModuleCallInterceptor {
    private(set) var pre: [(id: Int, hook: Value)] = []
    private(set) var post: [(id: Int, hook: Value)] = []
    private var nextID = 0
    weak var interp: Interpreter?

    init(_ interp: Interpreter) { self.interp = interp }

    /// The hooks of `module`, installed on first use.
    static func of(_ module: Module, _ interp: Interpreter) -> ScriptHooks {
        if let h = module.callInterceptor as? ScriptHooks { return h }
        let h = ScriptHooks(interp)
        module.callInterceptor = h
        return h
    }

    func add(_ hook: Value, preForward: Bool) -> Int {
        nextID += 1
        if preForward { pre.append((nextID, hook)) } else { post.append((nextID, hook)) }
        return nextID
    }

    func remove(_ id: Int) {
        pre.removeAll { $0.id == id }
        post.removeAll { $0.id == id }
    }

    /// Pre-hooks see `(module, args)`; a result other than None replaces the arguments.
    func runPre(_ module: Module, _ args: Arguments) throws -> Arguments {
        guard let interp, !pre.isEmpty else { return args }
        var a = args
        for (_, hook) in pre {
            let r = try interp.callValue(hook, Arguments([.object(ModuleObject(module)), .tuple(a.positional)]))
            if r.isNone { continue }
            if case .tuple(let items) = r { a.positional = items } else { a.positional = [r] }
        }
        return a
    }

    /// Forward hooks see `(module, args, output)`; a result other than None replaces the output.
    func runPost(_ module: Module, _ args: Arguments, _ output: Value) throws -> Value {
        guard let interp, !post.isEmpty else { return output }
        var out = output
        for (_, hook) in post {
            let r = try interp.callValue(hook, Arguments([.object(ModuleObject(module)), .tuple(args.positional), out]))
            if !r.isNone { out = r }
        }
        return out
    }

    func intercept(_ module: Module, _ input: Tensor, _ call: (Tensor) throws -> Tensor) throws -> Tensor {
        let args = try runPre(module, Arguments([.tensor(input)]))
        guard args.positional.count == 1, case .tensor(let x) = args.positional[0] else {
            throw ScriptError(.type, "\(module.typeName): a forward pre-hook must leave one tensor argument when the module is called from a container")
        }
        let out = try runPost(module, args, .tensor(try call(x)))
        guard case .tensor(let y) = out else { throw ScriptError(.type, "\(module.typeName): a forward hook returned \(out.typeName), not a tensor") }
        return y
    }
}

/// What `register_forward_hook` returns: `handle.remove()` takes the hook away.
final class HookHandle: ScriptObject {
    let hooks: ScriptHooks
    let id: Int
    init(_ hooks: ScriptHooks, _ id: Int) {
        self.hooks = hooks
        self.id = id
    }
    override var typeName: String { "RemovableHandle" }
    override var repr: String { "<torch.utils.hooks.RemovableHandle object>" }
    override func attribute(_ name: String, _ interp: Interpreter) throws -> Value? {
        guard name == "remove" else { return nil }
        return .object(BuiltinFunction("remove()", "Removes the hook.") { [hooks, id] _, _ in
            hooks.remove(id)
            return .none
        })
    }
}

/// A module called from the language: pre-hooks, the forward inside the module's profiler
/// scope, forward hooks, then the engine's own hook (summary's).
enum ModuleCalls {
    static func call(_ module: Module, _ args: Arguments, _ interp: Interpreter) throws -> Value {
        let hooks = module.callInterceptor as? ScriptHooks
        var a = args
        if let hooks { a = try hooks.runPre(module, a) }
        var out = try module.inCallScope { try forward(module, a, interp) }
        if let hooks { out = try hooks.runPost(module, a, out) }
        if case .tensor(let t) = out { module.forwardHook?(module, t) }
        return out
    }

    private static func forward(_ module: Module, _ args: Arguments, _ interp: Interpreter) throws -> Value {
        if let m = module as? ScriptModule { return try m.forwardValue(args) }
        if let ddp = module as? DistributedDataParallel {
            try ddp.prepareForward()
            return try call(ddp.module, args, interp)
        }
        return .tensor(try module.forward(try builtinForward.bind(args).tensor("input")))
    }

    /// What a built-in layer's forward takes: one tensor.
    private static let builtinForward = Signature("forward(input)")
}
