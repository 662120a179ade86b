import DuetTensor

/// Adam, and AdamW (decoupled weight decay) when `decoupled` is set; bias corrections are computed
/// from the step-count tensor so traced steps stay correct as it grows.
public class Adam: Optimizer {
    public let beta1: Double
    public let beta2: Double
    public let eps: Double
    public let weightDecay: Double
    let decoupled: Bool

    public convenience init(_ params: [Tensor], lr: Double = 1e-3, betas: (Double, Double) = (0.9, 0.999), eps: Double = 1e-8,
                            weightDecay: Double = 0) throws {
        try self.init(params, lr: lr, betas: betas, eps: eps, weightDecay: weightDecay, decoupled: false)
    }

    init(_ params: [Tensor], lr: Double, betas: (Double, Double), eps: Double, weightDecay: Double, decoupled: Bool) throws {
        try Adam.check(betas, eps)
        try Adam.check(weightDecay: weightDecay)
        beta1 = betas.0
        beta2 = betas.1
        self.eps = eps
        self.weightDecay = weightDecay
        self.decoupled = decoupled
        try super.init(params, lr: lr)
    }

    private static func check(_ betas: (Double, Double), _ eps: Double) throws {
        guard (0..<1).contains(betas.0), (0..<1).contains(betas.1), eps >= 0 else {
            throw TensorError.value("Adam: betas must be in [0, 1) and eps non-negative, got \(betas) and \(eps)")
        }
    }

    private static func check(weightDecay: Double) throws {
        guard weightDecay >= 0 else { throw TensorError.value("Adam: weight_decay must be non-negative, got \(weightDecay)") }
    }

    public override func update(_ index: Int, _ param: Tensor, _ grad: Tensor) throws {
        var g = grad
        if weightDecay != 0 {
            if decoupled { try param.sub_(param * lr * weightDecay) } else { g = try g + param * weightDecay }
        }
        let m = try slot(index, "exp_avg"), v = try slot(index, "exp_avg_sq")
        try m.mul_(beta1).add_(g * (1 - beta1))
        try v.mul_(beta2).add_(g * g * (1 - beta2))
        let correction1 = try 1 - Tensor.full([], beta1, dtype: .float64).pow(stepCount)
        let correction2 = try 1 - Tensor.full([], beta2, dtype: .float64).pow(stepCount)
        let denominator = try (v / correction2).sqrt() + eps
        try param.sub_(m / denominator * (lr / correction1))
    }
}

/// Adam with decoupled weight decay (Loshchilov & Hutter), torch.optim.AdamW's defaults.
public final class AdamW: Adam {
    public init(_ params: [Tensor], lr: Double = 1e-3, betas: (Double, Double) = (0.9, 0.999), eps: Double = 1e-8,
                weightDecay: Double = 0.01) throws {
        try super.init(params, lr: lr, betas: betas, eps: eps, weightDecay: weightDecay, decoupled: true)
    }
}
