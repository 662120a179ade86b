import DuetTensor

/// Adagrad: per-coordinate steps scaled by the root of the summed squared gradients, with an
/// optional learning-rate decay over steps (torch.optim.Adagrad).
public final class Adagrad: Optimizer {
    public static let defaultOptions: [(key: String, value: OptimOption)] = [
        ("lr", .double(0.01)), ("lr_decay", .int(0)), ("eps", .double(1e-10)), ("weight_decay", .int(0)),
        ("initial_accumulator_value", .int(0)), ("foreach", .none), ("maximize", .bool(false)), ("differentiable", .bool(false)), ("fused", .none),
    ]

    public override func validate(_ group: ParamGroup) throws {
        for key in ["lr_decay", "eps", "weight_decay", "initial_accumulator_value"] where try group.double(key) < 0 {
            throw TensorError.value("Adagrad: \(key) must be non-negative, got \(try group.double(key))")
        }
    }

    public override var stateOrder: [String] { ["step", "sum"] }

    public override func update(_ index: Int, _ param: Tensor, _ grad: Tensor, _ group: ParamGroup) throws {
        let g = try withWeightDecay(grad, param, group)
        let step = try advanceStep(index)
        let sum = try slot(index, "sum", initial: group.double("initial_accumulator_value"))
        try sum.add_(g * g)
        let rate = try group.lr / ((step - 1) * group.double("lr_decay") + 1)
        try param.sub_(g / (sum.sqrt() + group.double("eps")) * rate)
    }
}
