import DuetTensor

/// Base of all optimizers. The learning rate and step count are 0-dim tensors updated in place,
/// and every update is written with registry ops (`mul_`, `add_`, `copy_`), so a traced training
/// step sees them change instead of freezing them as constants.
open class Optimizer {
    public let params: [Tensor]
    /// The learning rate as a 0-dim float64 tensor; schedulers write it in place.
    public let lr: Tensor
    /// Number of `step()` calls so far, as a 0-dim float64 tensor (Adam's bias correction reads it).
    public let stepCount: Tensor
    /// Per-parameter state tensors by name (e.g. "exp_avg"), indexed like `params`.
    public internal(set) var state: [[String: Tensor]]

    public init(_ params: [Tensor], lr: Double) throws {
        guard !params.isEmpty else { throw TensorError.value("\(Self.self): got an empty parameter list") }
        guard lr >= 0 else { throw TensorError.value("\(Self.self): invalid learning rate \(lr)") }
        for (i, p) in params.enumerated() where !p.requiresGrad {
            throw TensorError.value("\(Self.self): parameter \(i) does not require grad")
        }
        self.params = params
        self.lr = try Tensor.full([], lr, dtype: .float64)
        self.stepCount = try Tensor.zeros([], dtype: .float64)
        self.state = params.map { _ in [:] }
    }

    public var learningRate: Double {
        get { (try? lr.item()) ?? 0 }
    }

    public func setLearningRate(_ value: Double) throws {
        _ = try withNoGrad { try lr.fill_(value) }
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
    public func step() throws {
        try profilerScope("step") {
            try withNoGrad {
                try stepCount.add_(1)
                for (i, p) in params.enumerated() {
                    guard let g = p.grad else { continue }
                    try update(i, p, g)
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

    /// The update rule for one parameter; runs under no_grad.
    open func update(_ index: Int, _ param: Tensor, _ grad: Tensor) throws {}

    /// A state tensor for parameter `index`, created as zeros like the parameter on first use.
    func slot(_ index: Int, _ name: String) throws -> Tensor {
        if let t = state[index][name] { return t }
        let t = try Tensor.zerosLike(params[index])
        state[index][name] = t
        return t
    }

    /// Learning rate, step count and every state tensor, by name ("state.0.exp_avg").
    public func stateDict() -> [String: Tensor] {
        var out = ["lr": lr, "step": stepCount]
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
        var restored = params.map { _ in [String: Tensor]() }
        for (key, t) in dict where key.hasPrefix("state.") {
            let parts = key.split(separator: ".", maxSplits: 2).map(String.init)
            guard parts.count == 3, let i = Int(parts[1]), i >= 0, i < params.count else {
                throw TensorError.value("optimizer load_state_dict: unexpected key '\(key)'")
            }
            guard t.shape == params[i].shape else {
                throw TensorError.shape("optimizer load_state_dict: '\(key)' has shape \(t.shape), parameter \(i) has \(params[i].shape)")
            }
            restored[i][parts[2]] = try t.clone().detach()
        }
        try withNoGrad {
            try lr.copy_(lrValue)
            try stepCount.copy_(step)
        }
        state = restored
    }
}
