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
            return .object(BuiltinFunction("step()", "Applies one update from the parameters' .grad.") { _, _ in
                try o.step()
                return .none
            })
        case "zero_grad":
            return .object(BuiltinFunction("zero_grad(set_to_none=True)", "Clears the parameters' gradients.") { b, _ in
                try o.zeroGrad(setToNone: try b.bool("set_to_none"))
                return .none
            })
        case "state_dict":
            return .object(BuiltinFunction("state_dict()", "Learning rate, step count and per-parameter state.") { _, _ in
                .dict(try DictObject(pairs: o.stateDict().sorted { $0.key < $1.key }.map { (.str($0.key), .tensor($0.value)) }))
            })
        case "load_state_dict":
            return .object(BuiltinFunction("load_state_dict(state_dict)", "Restores what state_dict() saved.") { b, _ in
                guard case .dict(let d) = try b.value("state_dict") else { throw ScriptError(.type, "load_state_dict() needs a dict") }
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
            return .object(BuiltinFunction("step()", "Advances the schedule and writes the new rate.") { _, _ in
                try s.step()
                return .none
            })
        case "get_last_lr":
            return .object(BuiltinFunction("get_last_lr()", "The current rate, in a list.") { _, _ in
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

    /// An optimizer class: its keywords after `params`, and how to build it from them.
    private static func optimizer(_ r: Builtins.Registrar, _ name: String, _ options: String, doc: String,
                                  _ make: @escaping ([Tensor], BoundArguments) throws -> Optimizer) {
        r.type("\(name)(params, \(options))", doc, [.flat, .optim]) { b, interp in
            .object(OptimizerObject(try make(try Self.parameters(try b.value("params"), interp), b), name))
        }
    }

    private static func betas(_ b: BoundArguments) throws -> (Double, Double) {
        guard case .tuple(let items) = try b.value("betas"), items.count == 2 else { throw ScriptError(.type, "betas must be a pair of floats") }
        return (try Convert.double(items[0], "betas"), try Convert.double(items[1], "betas"))
    }

    static func register(_ r: Builtins.Registrar) {
        optimizer(r, "SGD", "lr=0.001, momentum=0, dampening=0, weight_decay=0, nesterov=False", doc: "Stochastic gradient descent with optional (Nesterov) momentum.") { p, b in
            try SGD(p, lr: try b.double("lr"), momentum: try b.double("momentum"), dampening: try b.double("dampening"),
                    weightDecay: try b.double("weight_decay"), nesterov: try b.bool("nesterov"))
        }
        optimizer(r, "Adam", "lr=0.001, betas=(0.9, 0.999), eps=1e-08, weight_decay=0", doc: "Adam.") { p, b in
            try Adam(p, lr: try b.double("lr"), betas: try betas(b), eps: try b.double("eps"), weightDecay: try b.double("weight_decay"))
        }
        optimizer(r, "AdamW", "lr=0.001, betas=(0.9, 0.999), eps=1e-08, weight_decay=0.01", doc: "Adam with decoupled weight decay.") { p, b in
            try AdamW(p, lr: try b.double("lr"), betas: try betas(b), eps: try b.double("eps"), weightDecay: try b.double("weight_decay"))
        }
        optimizer(r, "RMSprop", "lr=0.01, alpha=0.99, eps=1e-08, weight_decay=0, momentum=0", doc: "RMSprop.") { p, b in
            try RMSprop(p, lr: try b.double("lr"), alpha: try b.double("alpha"), eps: try b.double("eps"), weightDecay: try b.double("weight_decay"), momentum: try b.double("momentum"))
        }
        scheduler(r, "StepLR", "step_size, gamma=0.1", doc: "lr × gamma every step_size steps.") { o, b in
            try StepLR(o, stepSize: try b.int("step_size"), gamma: try b.double("gamma"))
        }
        scheduler(r, "CosineAnnealingLR", "T_max, eta_min=0.0", doc: "Half a cosine from lr down to eta_min over T_max steps.") { o, b in
            try CosineAnnealingLR(o, tMax: try b.int("T_max"), etaMin: try b.double("eta_min"))
        }
        scheduler(r, "LinearWarmup", "warmup_steps, start_factor=0.1", doc: "Linear warm-up from start_factor × lr to lr.") { o, b in
            try LinearWarmup(o, warmupSteps: try b.int("warmup_steps"), startFactor: try b.double("start_factor"))
        }
    }

    private static func scheduler(_ r: Builtins.Registrar, _ name: String, _ options: String, doc: String,
                                  _ make: @escaping (Optimizer, BoundArguments) throws -> LRScheduler) {
        r.type("\(name)(optimizer, \(options))", doc, [.flat, .scheduler]) { b, _ in
            guard case .object(let o as OptimizerObject) = try b.value("optimizer") else { throw ScriptError(.type, "\(name)() needs an optimizer") }
            return .object(SchedulerObject(try make(o.optimizer, b), name))
        }
    }
}
