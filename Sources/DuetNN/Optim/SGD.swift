import DuetTensor

/// Stochastic gradient descent with optional momentum (classic or Nesterov) and L2 weight decay,
/// following torch.optim.SGD's update order.
public final class SGD: Optimizer {
    public let momentum: Double
    public let dampening: Double
    public let nesterov: Bool
    public let weightDecay: Double

    public init(_ params: [Tensor], lr: Double, momentum: Double = 0, dampening: Double = 0,
                weightDecay: Double = 0, nesterov: Bool = false) throws {
        guard momentum >= 0, weightDecay >= 0 else { throw TensorError.value("SGD: momentum and weight_decay must be non-negative") }
        guard !nesterov || (momentum > 0 && dampening == 0) else {
            throw TensorError.value("SGD: Nesterov momentum requires a momentum and zero dampening")
        }
        self.momentum = momentum
        self.dampening = dampening
        self.nesterov = nesterov
        self.weightDecay = weightDecay
        try super.init(params, lr: lr)
    }

    public override func update(_ index: Int, _ param: Tensor, _ grad: Tensor) throws {
        var d = grad
        if weightDecay != 0 { d = try d + param * weightDecay }
        if momentum != 0 {
            let fresh = state[index]["momentum_buffer"] == nil
            let buf = try slot(index, "momentum_buffer")
            if fresh { try buf.copy_(d) } else { try buf.mul_(momentum).add_(d * (1 - dampening)) }
            d = nesterov ? try d + buf * momentum : buf
        }
        try param.sub_(d * lr)
    }
}

/// RMSprop: divides by a running root-mean-square of gradients (torch.optim.RMSprop, centered=False).
public final class RMSprop: Optimizer {
    public let alpha: Double
    public let eps: Double
    public let momentum: Double
    public let weightDecay: Double

    public init(_ params: [Tensor], lr: Double = 0.01, alpha: Double = 0.99, eps: Double = 1e-8,
                weightDecay: Double = 0, momentum: Double = 0) throws {
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
