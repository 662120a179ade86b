import DuetTensor

/// Adam, with AMSGrad when `amsgrad` is set, and AdamW (decoupled weight decay) when
/// `decoupled_weight_decay` is; bias corrections are computed from the parameter's step-count
/// tensor so traced steps stay correct as it grows.
public class Adam: Optimizer {
    public static let defaultOptions: [(key: String, value: OptimOption)] = [
        ("lr", .double(1e-3)), ("betas", .pair(0.9, 0.999)), ("eps", .double(1e-8)), ("weight_decay", .int(0)),
        ("amsgrad", .bool(false)), ("maximize", .bool(false)), ("foreach", .none), ("capturable", .bool(false)),
        ("differentiable", .bool(false)), ("fused", .none), ("decoupled_weight_decay", .bool(false)),
    ]

    public convenience init(_ params: [Tensor], lr: Double = 1e-3, betas: (Double, Double) = (0.9, 0.999), eps: Double = 1e-8,
                            weightDecay: Double = 0, amsgrad: Bool = false) throws {
        try self.init(params, defaults: Options.merge(Self.defaultOptions, [
            "lr": .double(lr), "betas": .pair(betas.0, betas.1), "eps": .double(eps), "weight_decay": .double(weightDecay), "amsgrad": .bool(amsgrad),
        ]))
    }

    public override func validate(_ group: ParamGroup) throws {
        let (beta1, beta2) = try group.pair("betas"), eps = try group.double("eps")
        guard (0..<1).contains(beta1), (0..<1).contains(beta2), eps >= 0 else {
            throw TensorError.value("\(Self.self): betas must be in [0, 1) and eps non-negative, got \((beta1, beta2)) and \(eps)")
        }
        let decay = try group.double("weight_decay")
        guard decay >= 0 else { throw TensorError.value("\(Self.self): weight_decay must be non-negative, got \(decay)") }
    }

    public override var stateOrder: [String] { ["step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq"] }

    public override func update(_ index: Int, _ param: Tensor, _ grad: Tensor, _ group: ParamGroup) throws {
        let (beta1, beta2) = try group.pair("betas")
        let lr = group.lr
        var g = grad
        if try group.bool("decoupled_weight_decay") {
            let decay = try group.double("weight_decay")
            if decay != 0 { try param.sub_(param * lr * decay) }
        } else {
            g = try withWeightDecay(grad, param, group)
        }
        let step = try advanceStep(index)
        let m = try slot(index, "exp_avg"), v = try slot(index, "exp_avg_sq")
        try m.mul_(beta1).add_(g * (1 - beta1))
        try v.mul_(beta2).add_(g * g * (1 - beta2))
        var second = v
        if try group.bool("amsgrad") {
            let best = try slot(index, "max_exp_avg_sq")
            try best.copy_(best.maximum(v))
            second = best
        }
        let correction1 = try 1 - Tensor.full([], beta1, dtype: .float64).pow(step)
        let correction2 = try 1 - Tensor.full([], beta2, dtype: .float64).pow(step)
        let denominator = try (second / correction2).sqrt() + group.double("eps")
        try param.sub_(m / denominator * (lr / correction1))
    }
}

/// Adam with decoupled weight decay (Loshchilov & Hutter), torch.optim.AdamW's defaults.
public final class AdamW: Adam {
    public static let adamWOptions = Options.merge(Adam.defaultOptions, ["weight_decay": .double(0.01), "decoupled_weight_decay": .bool(true)])

    public convenience init(_ params: [Tensor], lr: Double = 1e-3, betas: (Double, Double) = (0.9, 0.999), eps: Double = 1e-8,
                            weightDecay: Double = 0.01, amsgrad: Bool = false) throws {
        try self.init(params, defaults: Options.merge(Self.adamWOptions, [
            "lr": .double(lr), "betas": .pair(betas.0, betas.1), "eps": .double(eps), "weight_decay": .double(weightDecay), "amsgrad": .bool(amsgrad),
        ]))
    }
}
