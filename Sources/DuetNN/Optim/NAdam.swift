import DuetTensor

/// NAdam: Adam with Nesterov momentum whose coefficient warms up over steps by
/// `momentum_decay` (torch.optim.NAdam); the running product of coefficients is state.
public final class NAdam: Optimizer {
    public static let defaultOptions: [(key: String, value: OptimOption)] = [
        ("lr", .double(0.002)), ("betas", .pair(0.9, 0.999)), ("eps", .double(1e-8)), ("weight_decay", .int(0)),
        ("momentum_decay", .double(0.004)), ("decoupled_weight_decay", .bool(false)), ("maximize", .bool(false)),
        ("foreach", .none), ("capturable", .bool(false)), ("differentiable", .bool(false)),
    ]

    public override func validate(_ group: ParamGroup) throws {
        let (beta1, beta2) = try group.pair("betas")
        guard (0..<1).contains(beta1), (0..<1).contains(beta2), try group.double("eps") >= 0,
              try group.double("weight_decay") >= 0, try group.double("momentum_decay") >= 0 else {
            throw TensorError.value("NAdam: betas must be in [0, 1), eps, weight_decay and momentum_decay non-negative")
        }
    }

    public override var stateOrder: [String] { ["step", "mu_product", "exp_avg", "exp_avg_sq"] }

    public override func update(_ index: Int, _ param: Tensor, _ grad: Tensor, _ group: ParamGroup) throws {
        let (beta1, beta2) = try group.pair("betas")
        let lr = group.lr, decay = try group.double("momentum_decay")
        var g = grad
        if try group.bool("decoupled_weight_decay") {
            let wd = try group.double("weight_decay")
            if wd != 0 { try param.sub_(param * lr * wd) }
        } else {
            g = try withWeightDecay(grad, param, group)
        }
        let step = try advanceStep(index)
        let product = try scalarSlot(index, "mu_product", initial: 1)
        let m = try slot(index, "exp_avg"), v = try slot(index, "exp_avg_sq")
        let base = try Tensor.full([], 0.96, dtype: .float64)
        let mu = try (1 - base.pow(step * decay) * 0.5) * beta1
        let muNext = try (1 - base.pow((step + 1) * decay) * 0.5) * beta1
        try product.mul_(mu)
        try m.mul_(beta1).add_(g * (1 - beta1))
        try v.mul_(beta2).add_(g * g * (1 - beta2))
        let correction2 = try 1 - Tensor.full([], beta2, dtype: .float64).pow(step)
        let denominator = try (v / correction2).sqrt() + group.double("eps")
        try param.sub_(g / denominator * (lr * (1 - mu) / (1 - product)))
        try param.sub_(m / denominator * (lr * muNext / (1 - product * muNext)))
    }
}
