import DuetTensor

/// RMSprop: divides by a running root-mean-square of gradients (torch.optim.RMSprop, centered=False).
public final class RMSprop: Optimizer {
    public let alpha: Double
    public let eps: Double
    public let momentum: Double
    public let weightDecay: Double

    public init(_ params: [Tensor], lr: Double = 0.01, alpha: Double = 0.99, eps: Double = 1e-8,
                weightDecay: Double = 0, momentum: Double = 0) throws {
        guard alpha >= 0, eps >= 0, weightDecay >= 0, momentum >= 0 else {
            throw TensorError.value("RMSprop: alpha, eps, weight_decay and momentum must be non-negative")
        }
        self.alpha = alpha
        self.eps = eps
        self.momentum = momentum
        self.weightDecay = weightDecay
        try super.init(params, lr: lr)
    }

    public override func update(_ index: Int, _ param: Tensor, _ grad: Tensor) throws {
        var g = grad
        if weightDecay != 0 { g = try g + param * weightDecay }
        let square = try slot(index, "square_avg")
        try square.mul_(alpha).add_(g * g * (1 - alpha))
        let step = try g / (square.sqrt() + eps)
        if momentum > 0 {
            let buf = try slot(index, "momentum_buffer")
            try buf.mul_(momentum).add_(step)
            try param.sub_(buf * lr)
        } else {
            try param.sub_(step * lr)
        }
    }
}
