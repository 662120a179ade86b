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
