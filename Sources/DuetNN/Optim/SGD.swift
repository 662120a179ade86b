import DuetGraph
import DuetTensor

/// Stochastic gradient descent with optional momentum (classic or Nesterov) and L2 weight decay,
/// following torch.optim.SGD's update order.
public final class SGD: Optimizer {
    public static let defaultOptions: [(key: String, value: OptimOption)] = [
        ("lr", .double(1e-3)), ("momentum", .int(0)), ("dampening", .int(0)), ("weight_decay", .int(0)), ("nesterov", .bool(false)),
        ("maximize", .bool(false)), ("foreach", .none), ("differentiable", .bool(false)), ("fused", .none),
    ]

    public convenience init(_ params: [Tensor], lr: Double, momentum: Double = 0, dampening: Double = 0,
                            weightDecay: Double = 0, nesterov: Bool = false) throws {
        try self.init(params, defaults: Options.merge(Self.defaultOptions, [
            "lr": .double(lr), "momentum": .double(momentum), "dampening": .double(dampening),
            "weight_decay": .double(weightDecay), "nesterov": .bool(nesterov),
        ]))
    }

    public override func validate(_ group: ParamGroup) throws {
        let momentum = try group.double("momentum"), dampening = try group.double("dampening")
        guard momentum >= 0, try group.double("weight_decay") >= 0 else { throw TensorError.value("SGD: momentum and weight_decay must be non-negative") }
        guard try !group.bool("nesterov") || (momentum > 0 && dampening == 0) else {
            throw TensorError.value("SGD: Nesterov momentum requires a momentum and zero dampening")
        }
    }

    public override var stateOrder: [String] { ["momentum_buffer"] }

    public override func update(_ index: Int, _ param: Tensor, _ grad: Tensor, _ group: ParamGroup) throws {
        var d = try withWeightDecay(grad, param, group)
        let momentum = try group.double("momentum")
        if momentum != 0 {
            let fresh = state[index]["momentum_buffer"] == nil
            // The first step copies, later ones accumulate: a step compiled before the buffer
            // existed must be traced again once it does.
            noteTraceDependency("\(ObjectIdentifier(self).hashValue).momentum_buffer.\(index)", "SGD.state[\(index)]['momentum_buffer']",
                                value: fresh ? "None" : "tensor") { [weak self] in self?.state[index]["momentum_buffer"] == nil ? "None" : "tensor" }
            let buf = try slot(index, "momentum_buffer")
            if fresh { try buf.copy_(d) } else { try buf.mul_(momentum).add_(d * (1 - group.double("dampening"))) }
            d = try group.bool("nesterov") ? d + buf * momentum : buf
        }
        try param.sub_(d * group.lr)
    }
}
