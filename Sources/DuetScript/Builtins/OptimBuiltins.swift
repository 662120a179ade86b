import DuetTensor
import DuetNN

/// An optimizer as a script value.
final class OptimizerObject: ScriptObject {
    let optimizer: Optimizer
    let name: String
    init(_ optimizer: Optimizer, _ name: String) {
        self.optimizer = optimizer
        self.name = name
    }
    override var typeName: String { name }
    override var repr: String { "\(name)(lr=\(PyFloat.repr(optimizer.learningRate)), params=\(optimizer.params.count) tensors)" }

    override func attribute(_ attr: String, _ interp: Interpreter) throws -> Value? {
        let o = optimizer
        switch attr {
        case "step":
            return .object(BuiltinFunction("step", "step()", "Applies one update from the parameters' .grad.") { a, _ in
                try a.expectPositional("step", min: 0, max: 0)
                try o.step()
                return .none
            })
        case "zero_grad":
            return .object(BuiltinFunction("zero_grad", "zero_grad(set_to_none=True)", "Clears the parameters' gradients.") { a, _ in
                try o.zeroGrad(setToNone: try BoundArguments(a, "zero_grad", ["set_to_none"]).bool(0, true))
                return .none
            })
        case "state_dict":
            return .object(BuiltinFunction("state_dict", "state_dict()", "Learning rate, step count and per-parameter state.") { _, _ in
                .dict(try DictObject(pairs: o.stateDict().sorted { $0.key < $1.key }.map { (.str($0.key), .tensor($0.value)) }))
            })
        case "load_state_dict":
            return .object(BuiltinFunction("load_state_dict", "load_state_dict(state_dict)", "Restores what state_dict() saved.") { a, _ in
                let b = try BoundArguments(a, "load_state_dict", ["state_dict"], required: 1)
                guard case .dict(let d)? = b.values[0] else { throw ScriptError(.type, "load_state_dict() needs a dict") }
                var state: [String: Tensor] = [:]
                for (k, v) in zip(d.keys, d.values) { state[try Convert.string(k, "key")] = try Convert.tensor(v, "value") }
                try o.loadStateDict(state)
                return .none
            })
        case "lr": return .float(o.learningRate)
        case "param_groups":
            return .list(ListObject([.object(ParamGroup(o))]))
        default: return nil
        }
    }

    override func setAttribute(_ attr: String, _ value: Value, _ interp: Interpreter) throws {
        guard attr == "lr" else { throw ScriptError(.attribute, "'\(name)' object attribute '\(attr)' is read-only") }
        try optimizer.setLearningRate(try Convert.double(value, "lr"))
    }

    override var attributeNames: [String] { ["step", "zero_grad", "state_dict", "load_state_dict", "lr", "param_groups"] }
}

/// `opt.param_groups[0]`: the one parameter group, whose `"lr"` can be read and set (PyTorch code
/// adjusts learning rates this way).
final class ParamGroup: ScriptObject, Subscriptable, ItemAssignable {
    let optimizer: Optimizer
    init(_ optimizer: Optimizer) { self.optimizer = optimizer }
    override var typeName: String { "param_group" }
    override var repr: String { "{'lr': \(PyFloat.repr(optimizer.learningRate)), 'params': [\(optimizer.params.count) tensors]}" }

    func item(_ index: Value, _ interp: Interpreter) throws -> Value {
        switch index {
        case .str("lr"): return .float(optimizer.learningRate)
        case .str("params"): return .list(ListObject(optimizer.params.map(Value.tensor)))
        default: throw ScriptError(.key, Repr.repr(index))
        }
    }

    func setItem(_ index: Value, _ value: Value, _ interp: Interpreter) throws {
        guard case .str("lr") = index else { throw ScriptError(.key, "only 'lr' of a parameter group can be set, not \(Repr.repr(index))") }
        try optimizer.setLearningRate(try Convert.double(value, "lr"))
    }
}

/// A learning-rate schedule as a script value.
final class SchedulerObject: ScriptObject {
    let scheduler: LRScheduler
    let name: String
    init(_ scheduler: LRScheduler, _ name: String) {
        self.scheduler = scheduler
        self.name = name
    }
    override var typeName: String { name }
    override func attribute(_ attr: String, _ interp: Interpreter) throws -> Value? {
        let s = scheduler
        switch attr {
        case "step":
            return .object(BuiltinFunction("step", "step()", "Advances the schedule and writes the new rate.") { _, _ in
                try s.step()
                return .none
            })
        case "get_last_lr":
            return .object(BuiltinFunction("get_last_lr", "get_last_lr()", "The current rate, in a list.") { _, _ in
                .list(ListObject([.float(s.optimizer.learningRate)]))
            })
        case "last_epoch": return .int(s.lastEpoch)
        default: return nil
        }
    }
}

enum OptimBuiltins {
    /// Parameters from a list or tuple of tensors (what `model.parameters()` returns).
    static func parameters(_ v: Value, _ interp: Interpreter) throws -> [Tensor] {
        if case .object(let m as ModuleObject) = v { return m.module.parameters() }
        return try Iteration.collect(v, interp).map { p in
            guard case .tensor(let t) = p else { throw ScriptError(.type, "optimizer params must be tensors, got \(p.typeName)") }
            return t
        }
    }

    private static func optimizer(_ r: Builtins.Registrar, _ name: String, _ parameters: [String], doc: String,
                                  _ make: @escaping ([Tensor], BoundArguments) throws -> Optimizer) {
        r.add(name, .object(TypeObject(name, doc: "\(name)(params, " + parameters.joined(separator: ", ") + ")\n    " + doc) { a, interp in
            let b = try BoundArguments(a, name, ["params"] + parameters, required: 1)
            return .object(OptimizerObject(try make(try Self.parameters(b.values[0] ?? .none, interp), b), name))
        }), [.flat, .optim])
    }

    private static func betas(_ b: BoundArguments, _ i: Int) throws -> (Double, Double) {
        guard let v = b[i] else { return (0.9, 0.999) }
        guard case .tuple(let items) = v, items.count == 2 else { throw ScriptError(.type, "betas must be a pair of floats") }
        return (try Convert.double(items[0], "betas"), try Convert.double(items[1], "betas"))
    }

    static func register(_ r: Builtins.Registrar) {
        optimizer(r, "SGD", ["lr", "momentum", "dampening", "weight_decay", "nesterov"], doc: "Stochastic gradient descent with optional (Nesterov) momentum.") { p, b in
            guard let lr = try b.optionalDouble(1) else { throw ScriptError(.type, "SGD() missing required argument 'lr'") }
            return try SGD(p, lr: lr, momentum: try b.double(2, 0), dampening: try b.double(3, 0), weightDecay: try b.double(4, 0), nesterov: try b.bool(5, false))
        }
        optimizer(r, "Adam", ["lr", "betas", "eps", "weight_decay"], doc: "Adam.") { p, b in
            try Adam(p, lr: try b.double(1, 1e-3), betas: try betas(b, 2), eps: try b.double(3, 1e-8), weightDecay: try b.double(4, 0))
        }
        optimizer(r, "AdamW", ["lr", "betas", "eps", "weight_decay"], doc: "Adam with decoupled weight decay.") { p, b in
            try AdamW(p, lr: try b.double(1, 1e-3), betas: try betas(b, 2), eps: try b.double(3, 1e-8), weightDecay: try b.double(4, 0.01))
        }
        optimizer(r, "RMSprop", ["lr", "alpha", "eps", "weight_decay", "momentum"], doc: "RMSprop.") { p, b in
            try RMSprop(p, lr: try b.double(1, 0.01), alpha: try b.double(2, 0.99), eps: try b.double(3, 1e-8), weightDecay: try b.double(4, 0), momentum: try b.double(5, 0))
        }
        scheduler(r, "StepLR", ["step_size", "gamma"], required: 1, doc: "lr × gamma every step_size steps.") { o, b in
            try StepLR(o, stepSize: try b.int(1, 1), gamma: try b.double(2, 0.1))
        }
        scheduler(r, "CosineAnnealingLR", ["T_max", "eta_min"], required: 1, doc: "Half a cosine from lr down to eta_min over T_max steps.") { o, b in
            try CosineAnnealingLR(o, tMax: try b.int(1, 1), etaMin: try b.double(2, 0))
        }
        scheduler(r, "LinearWarmup", ["warmup_steps", "start_factor"], required: 1, doc: "Linear warm-up from start_factor × lr to lr.") { o, b in
            try LinearWarmup(o, warmupSteps: try b.int(1, 1), startFactor: try b.double(2, 0.1))
        }
    }

    private static func scheduler(_ r: Builtins.Registrar, _ name: String, _ parameters: [String], required: Int, doc: String,
                                  _ make: @escaping (Optimizer, BoundArguments) throws -> LRScheduler) {
        r.add(name, .object(TypeObject(name, doc: "\(name)(optimizer, " + parameters.joined(separator: ", ") + ")\n    " + doc) { a, _ in
            let b = try BoundArguments(a, name, ["optimizer"] + parameters, required: required + 1)
            guard case .object(let o as OptimizerObject)? = b.values[0] else { throw ScriptError(.type, "\(name)() needs an optimizer") }
            return .object(SchedulerObject(try make(o.optimizer, b), name))
        }), [.flat, .scheduler])
    }
}
