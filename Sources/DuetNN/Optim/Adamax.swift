import DuetTensor

/// Adamax: Adam with the infinity norm of past gradients in place of the second moment
/// (torch.optim.Adamax).
public final class Adamax: Optimizer {
    public static let defaultOptions: [(key: String, value: OptimOption)] = [
        ("lr", .double(0.002)), ("betas", .pair(0.9, 0.999)), ("eps", .double(1e-8)), ("weight_decay", .int(0)),
        ("foreach", .none), ("maximize", .bool(false)), ("differentiable", .bool(false)), ("capturable", .bool(false)),
    ]

    public override func validate(_ group: ParamGroup) throws {
        let (beta1, beta2) = try group.pair("betas")
        guard (0..<1).contains(beta1), (0..<1).contains(beta2), try group.double("eps") >= 0, try group.double("weight_decay") >= 0 else {
            throw TensorError.value("Adamax: betas must be in [0, 1), eps and weight_decay non-negative")
        }
    }

    public override var stateOrder: [String] { ["step", "exp_avg", "exp_inf"] }

    public override func update(_ index: Int, _ param: Tensor, _ grad: Tensor, _ group: ParamGroup) throws {
        let g = try withWeightDecay(grad, param, group)
        let (beta1, beta2) = try group.pair("betas")
        let step = try advanceStep(index)
        let m = try slot(index, "exp_avg"), u = try slot(index, "exp_inf")
        try m.mul_(beta1).add_(g * (1 - beta1))
        try u.copy_((u * beta2).maximum(g.abs() + group.double("eps")))
        let correction = try 1 - Tensor.full([], beta1, dtype: .float64).pow(step)
        try param.sub_(m / u * (group.lr / correction))
    }
}
