import DuetTensor

/// Base of all optimizers: parameter groups with per-group options (the constructor's as
/// defaults, in PyTorch's key order) and per-parameter state. Every update is written with
/// registry ops (`mul_`, `add_`, `copy_`) on state and lr tensors changed in place, so a traced
/// training step sees them change instead of freezing them as constants.
open class Optimizer {
    /// The constructor's options, in PyTorch's order; groups take what they do not set from here.
    public let defaults: [(key: String, value: OptimOption)]
    public private(set) var groups: [ParamGroup] = []
    /// All parameters, group after group; state and `state_dict` number them in this order.
    public private(set) var params: [Tensor] = []
    /// Number of `step()` calls so far, as a 0-dim float64 tensor.
    public let stepCount: Tensor
    /// Per-parameter state tensors by name (e.g. "exp_avg"), indexed like `params`.
    public internal(set) var state: [[String: Tensor]] = []

    /// One group of `params` with `defaults`.
    public convenience init(_ params: [Tensor], defaults: [(key: String, value: OptimOption)]) throws {
        try self.init(groups: [(params, OptionTable())], defaults: defaults)
    }

    /// Groups whose stores hold their own options; missing ones are set from `defaults`.
    public init(groups: [(params: [Tensor], store: OptionStore)], defaults: [(key: String, value: OptimOption)]) throws {
        self.defaults = defaults
        stepCount = try Tensor.zeros([], dtype: .float64)
        guard !groups.isEmpty, !groups.allSatisfy({ $0.params.isEmpty }) else {
            throw TensorError.value("\(Self.self): got an empty parameter list")
        }
        for g in groups { try addParamGroup(g.params, store: g.store) }
    }

    /// Adds a group (torch's add_param_group): its options default to the constructor's.
    public func addParamGroup(_ groupParams: [Tensor], store: OptionStore = OptionTable()) throws {
        for (i, p) in groupParams.enumerated() where !p.requiresGrad {
            throw TensorError.value("\(Self.self): parameter \(i) of group \(groups.count) does not require grad")
        }
        let seen = Set((params + groupParams).map(ObjectIdentifier.init))
        guard seen.count == params.count + groupParams.count else {
            throw TensorError.value("\(Self.self): some parameters appear in more than one parameter group")
        }
        for (key, value) in defaults where try store.option(key) == nil { try store.setOption(key, value) }
        let group = try ParamGroup(groupParams, store)
        guard try group.learningRate >= 0 else { throw TensorError.value("\(Self.self): invalid learning rate \(try group.learningRate)") }
        try validate(group)
        groups.append(group)
        params += groupParams
        state += groupParams.map { _ in [:] }
    }

    /// Checks a new group's options (the constructor's checks, per group).
    open func validate(_ group: ParamGroup) throws {}

    /// State key order in `state_dict`, as PyTorch creates them.
    open var stateOrder: [String] { [] }

    /// Group 0's learning-rate tensor.
    public var lr: Tensor { groups[0].lr }

    /// Group 0's learning rate.
    public var learningRate: Double { (try? groups[0].learningRate) ?? 0 }

    /// Sets every group's learning rate.
    public func setLearningRate(_ value: Double) throws {
        for g in groups { try g.setLearningRate(value) }
    }

    /// Clears gradients: to None by default (PyTorch's set_to_none=True), or to zeros in place.
    public func zeroGrad(setToNone: Bool = true) throws {
        try profilerScope("zero_grad") {
            for p in params {
                if setToNone { p.grad = nil } else if let g = p.grad { _ = try withNoGrad { try g.zero_() } }
            }
        }
    }

    /// Applies one update from the current `.grad`s; parameters without a gradient are skipped.
    /// Groups' options are read now, so edits since the last step take effect.
    public func step() throws {
        try profilerScope("step") {
            try withNoGrad {
                try stepCount.add_(1)
                var index = 0
                for group in groups {
                    try group.syncLearningRate()
                    let maximize = try group.store.option("maximize") == .bool(true)
                    for p in group.params {
                        defer { index += 1 }
                        guard let g = p.grad else { continue }
                        try update(index, p, maximize ? g.neg() : g, group)
                    }
                }
            }
        }
    }

    /// Runs `body` in the profiler scope `SGD.step`, `Adam.zero_grad`…, so the by-scope table shows
    /// the optimizer's ops under their own row; like a module's scope, only while a profiler records.
    private func profilerScope(_ method: String, _ body: () throws -> Void) throws {
        let ctx = EngineContext.current
        if ctx.observer == nil { return try body() }
        try ctx.withScope("\(String(describing: type(of: self))).\(method)", body)
    }

    /// The update rule for one parameter; runs under no_grad with the gradient already negated
    /// for `maximize`.
    open func update(_ index: Int, _ param: Tensor, _ grad: Tensor, _ group: ParamGroup) throws {}

    /// A state tensor for parameter `index`, created on first use as `initial` like the parameter.
    func slot(_ index: Int, _ name: String, initial: Double = 0) throws -> Tensor {
        if let t = state[index][name] { return t }
        let t = try Tensor.fullLike(params[index], initial)
        state[index][name] = t
        return t
    }

    /// The parameter's own step count (PyTorch's `state['step']`), advanced by one.
    func advanceStep(_ index: Int) throws -> Tensor {
        let t = try scalarSlot(index, "step", initial: 0)
        try t.add_(1)
        return t
    }

    /// A 0-dim float64 state tensor (a count or a running product).
    func scalarSlot(_ index: Int, _ name: String, initial: Double) throws -> Tensor {
        if let t = state[index][name] { return t }
        let t = try Tensor.full([], initial, dtype: .float64)
        state[index][name] = t
        return t
    }

    /// The L2 penalty folded into the gradient (PyTorch's non-decoupled weight_decay).
    func withWeightDecay(_ grad: Tensor, _ param: Tensor, _ group: ParamGroup) throws -> Tensor {
        let decay = try group.double("weight_decay")
        return decay == 0 ? grad : try grad + param * decay
    }

    /// State tensors that are 0-dim whatever the parameter's shape.
    public static let scalarState: Set<String> = ["step", "mu_product"]

    /// Learning rates, step count and every state tensor, by name: "lr" (group 0), "group.1.lr"…,
    /// "step", "state.0.exp_avg". The flat form a training checkpoint stores.
    public func stateDict() -> [String: Tensor] {
        var out = ["lr": lr, "step": stepCount]
        for (g, group) in groups.enumerated().dropFirst() { out["group.\(g).lr"] = group.lr }
        for (i, slots) in state.enumerated() {
            for (name, t) in slots { out["state.\(i).\(name)"] = t }
        }
        return out
    }

    /// Restores what `stateDict()` saved; the parameters must be the same in number and shape.
    public func loadStateDict(_ dict: [String: Tensor]) throws {
        guard let lrValue = dict["lr"], let step = dict["step"] else {
            throw TensorError.value("optimizer load_state_dict: missing 'lr' or 'step'")
        }
        var restored: [Int: [String: Tensor]] = [:]
        var rates: [Int: Tensor] = [0: lrValue]
        for (key, t) in dict where key != "lr" && key != "step" {
            let parts = key.split(separator: ".", maxSplits: 2).map(String.init)
            if parts.count == 3, parts[0] == "group", parts[2] == "lr", let g = Int(parts[1]), g > 0, g < groups.count {
                rates[g] = t
                continue
            }
            guard parts.count == 3, parts[0] == "state", let i = Int(parts[1]) else {
                throw TensorError.value("optimizer load_state_dict: unexpected key '\(key)'")
            }
            restored[i, default: [:]][parts[2]] = t
        }
        try loadState(restored)
        for (g, rate) in rates { try groups[g].setLearningRate(try rate.item()) }
        _ = try withNoGrad { try stepCount.copy_(step) }
    }

    /// Replaces the per-parameter state with `saved` (by parameter index), after checking every
    /// index and shape: copies, or with `copying: false` the tensors themselves, as PyTorch's
    /// load_state_dict keeps them (a state dict loaded into two optimizers is then shared).
    public func loadState(_ saved: [Int: [String: Tensor]], copying: Bool = true) throws {
        var restored = params.map { _ in [String: Tensor]() }
        for (i, slots) in saved {
            guard i >= 0, i < params.count else { throw TensorError.value("optimizer load_state_dict: no parameter \(i)") }
            for (name, t) in slots {
                let expected = Self.scalarState.contains(name) ? [] : params[i].shape
                guard t.shape == expected else {
                    throw TensorError.shape("optimizer load_state_dict: state '\(name)' of parameter \(i) has shape \(t.shape), expected \(expected)")
                }
                restored[i][name] = copying ? try t.clone().detach() : t
            }
        }
        state = restored
    }
}
