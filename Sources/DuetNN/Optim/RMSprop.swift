import DuetTensor

/// RMSprop: divides by a running root-mean-square of gradients, or with `centered` by their
/// running variance (torch.optim.RMSprop).
public final class RMSprop: Optimizer {
    public static let defaultOptions: [(key: String, value: OptimOption)] = [
        ("lr", .double(0.01)), ("momentum", .int(0)), ("alpha", .double(0.99)), ("eps", .double(1e-8)), ("centered", .bool(false)),
        ("weight_decay", .int(0)), ("capturable", .bool(false)), ("foreach", .none), ("maximize", .bool(false)), ("differentiable", .bool(false)),
    ]

    public convenience init(_ params: [Tensor], lr: Double = 0.01, alpha: Double = 0.99, eps: Double = 1e-8,
                            weightDecay: Double = 0, momentum: Double = 0, centered: Bool = false) throws {
        try self.init(params, defaults: Options.merge(Self.defaultOptions, [
            "lr": .double(lr), "momentum": .double(momentum), "alpha": .double(alpha), "eps": .double(eps),
            "centered": .bool(centered), "weight_decay": .double(weightDecay),
        ]))
    }

    public override func validate(_ group: ParamGroup) throws {
        for key in ["alpha", "eps", "weight_decay", "momentum"] where try group.double(key) < 0 {
            throw TensorError.value("RMSprop: alpha, eps, weight_decay and momentum must be non-negative")
        }
    }

    public override var stateOrder: [String] { ["step", "square_avg", "momentum_buffer", "grad_avg"] }

    public override func update(_ index: Int, _ param: Tensor, _ grad: Tensor, _ group: ParamGroup) throws {
        let g = try withWeightDecay(grad, param, group)
        let alpha = try group.double("alpha"), momentum = try group.double("momentum")
        _ = try advanceStep(index)
        let square = try slot(index, "square_avg")
        try square.mul_(alpha).add_(g * g * (1 - alpha))
        var average: Tensor
        if try group.bool("centered") {
            let mean = try slot(index, "grad_avg")
            try mean.mul_(alpha).add_(g * (1 - alpha))
            average = try (square - mean * mean).sqrt()
        } else {
            average = try square.sqrt()
        }
        average = try average + group.double("eps")
        if momentum > 0 {
            let buf = try slot(index, "momentum_buffer")
            try buf.mul_(momentum).add_(g / average)
            try param.sub_(buf * group.lr)
        } else {
            try param.sub_(g / average * group.lr)
        }
    }
}
