import Foundation

/// Functions PyTorch users expect that are compositions of registry ops: they need no entry of their
/// own, and their gradients, traces and profiles come from their parts.
extension Tensor {
    /// GELU, exact (erf) by default or the tanh approximation.
    public func gelu(approximate: Bool = false) throws -> Tensor {
        try HalfPrecision.roundingOnce(self) { wide in
            let x = try wide(self)
            if approximate {
                let inner = try (x + x * x * x * 0.044715) * (2 / Double.pi).squareRoot()
                return try x * 0.5 * (inner.tanh() + 1)
            }
            return try x * 0.5 * ((x * (1 / 2.0.squareRoot())).erf() + 1)
        }
    }

    public func silu() throws -> Tensor {
        try HalfPrecision.roundingOnce(self) { wide in
            let x = try wide(self)
            return try x * x.sigmoid()
        }
    }

    /// y = x Wᵀ + b, with W of shape [out, in] as in torch.nn.functional.linear.
    public func linear(_ weight: Tensor, _ bias: Tensor? = nil) throws -> Tensor {
        try HalfPrecision.roundingOnce(self, weight, bias) { wide in
            let y = try wide(self).matmul(wide(weight).mT)
            return try bias.map { try y + wide($0) } ?? y
        }
    }

    /// Normalizes over the trailing `normalizedShape` dims, then scales and shifts.
    public func layerNorm(_ normalizedShape: [Int], weight: Tensor? = nil, bias: Tensor? = nil, eps: Double = 1e-5) throws -> Tensor {
        guard normalizedShape.count <= rank, Array(shape.suffix(normalizedShape.count)) == normalizedShape else {
            throw TensorError.shape("layer_norm: normalized_shape \(shapeString(normalizedShape)) does not match the input's trailing dims \(shapeString(shape))")
        }
        let dims = Array((rank - normalizedShape.count)..<rank)
        return try HalfPrecision.roundingOnce(self, weight, bias) { wide in
            let x = try wide(self)
            let centered = try x - x.mean(dims: dims, keepdim: true)
            let variance = try (centered * centered).mean(dims: dims, keepdim: true)
            var y = try centered * (variance + eps).rsqrt()
            if let weight { y = try y * wide(weight) }
            if let bias { y = try y + wide(bias) }
            return y
        }
    }
}

public enum Reduction: String, Sendable {
    case mean, sum, none
}

public enum Loss {
    /// Negative log-likelihood of int64 targets under log-probabilities `[N, C]` (or `[C]`).
    public static func nll(_ logProbs: Tensor, _ target: Tensor, weight: Tensor? = nil,
                           ignoreIndex: Int = -100, reduction: Reduction = .mean) throws -> Tensor {
        guard target.dtype == .int64 else { throw TensorError.dtype("nll_loss: expected int64 class indices as target, got \(target.dtype)") }
        let batched = logProbs.rank == 1 ? try logProbs.unsqueeze(0) : logProbs
        let targets = target.rank == 0 ? try target.unsqueeze(0) : target
        guard batched.rank == 2, targets.rank == 1, targets.shape[0] == batched.shape[0] else {
            throw TensorError.shape("nll_loss: input \(shapeString(logProbs.shape)) and target \(shapeString(target.shape)) do not match (expected [N, C] and [N])")
        }
        let valid = try targets != Tensor.scalar(ignoreIndex)
        let safeTargets = try Tensor.where_(valid, targets, Tensor.scalar(0))
        let picked = try batched.gather(dim: 1, index: safeTargets.unsqueeze(1)).squeeze(dim: 1)
        var w = try valid.to(batched.dtype)
        if let weight { w = try w * weight.indexSelect(dim: 0, index: safeTargets) }
        let losses = try -(picked * w)
        switch reduction {
        case .none: return logProbs.rank == 1 ? try losses.squeeze(dim: 0) : losses
        case .sum: return try losses.sum()
        case .mean: return try losses.sum() / w.sum()
        }
    }

    /// Cross-entropy of logits `[N, C]` (or `[C]`) against int64 class targets, or against class
    /// probabilities of the logits' shape, with optional class weights and label smoothing, as PyTorch:
    /// with class targets the weighted mean divides by the targets' total weight, with probabilities
    /// by the batch size.
    public static func crossEntropy(_ logits: Tensor, _ target: Tensor, weight: Tensor? = nil, ignoreIndex: Int = -100,
                                    reduction: Reduction = .mean, labelSmoothing: Double = 0) throws -> Tensor {
        guard (0...1).contains(labelSmoothing) else {
            throw TensorError.value("cross_entropy: label_smoothing must be in [0, 1], got \(labelSmoothing)")
        }
        let logProbs = try logits.logSoftmax(dim: -1)
        let classes = logits.shape.last ?? 0
        if let weight, weight.shape != [classes] {
            throw TensorError.shape("cross_entropy: weight \(shapeString(weight.shape)) should be [\(classes)], one per class")
        }
        if target.dtype.isFloatingPoint {
            guard target.shape == logits.shape else {
                throw TensorError.shape("cross_entropy: probability target \(shapeString(target.shape)) should have the input's shape \(shapeString(logits.shape))")
            }
            var p = try target.to(logProbs.dtype)
            if labelSmoothing > 0 { p = try p * (1 - labelSmoothing) + labelSmoothing / Double(classes) }
            var terms = try logProbs * p
            if let weight { terms = try terms * weight }
            let losses = try -terms.sum(dims: [-1])
            switch reduction {
            case .none: return losses
            case .sum: return try losses.sum()
            case .mean: return try losses.sum() / Double(losses.count)
            }
        }
        let nll = try nll(logProbs, target, weight: weight, ignoreIndex: ignoreIndex, reduction: reduction)
        guard labelSmoothing > 0 else { return nll }
        let valid = try (target != Tensor.scalar(ignoreIndex)).to(logProbs.dtype)
        let weighted = try weight.map { try logProbs * $0 } ?? logProbs
        let uniform = try -(weighted.sum(dims: [-1]) * valid)
        let smooth: Tensor
        switch reduction {
        case .none: smooth = uniform
        case .sum: smooth = try uniform.sum()
        case .mean:
            let safe = try Tensor.where_(valid > 0, target, Tensor.scalar(0))
            let total = try weight.map { try ($0.indexSelect(dim: 0, index: safe.flatten()) * valid.flatten()).sum() } ?? valid.sum()
            smooth = try uniform.sum() / total
        }
        return try nll * (1 - labelSmoothing) + smooth * (labelSmoothing / Double(classes))
    }

    public static func mse(_ input: Tensor, _ target: Tensor, reduction: Reduction = .mean) throws -> Tensor {
        let d = try input - target
        return try reduce(d * d, reduction)
    }

    public static func l1(_ input: Tensor, _ target: Tensor, reduction: Reduction = .mean) throws -> Tensor {
        try reduce((input - target).abs(), reduction)
    }

    /// Binary cross-entropy on logits, computed stably as max(x,0) − x·y + log(1 + e^(−|x|)). `maximum`
    /// splits ties evenly, so at x = 0 the gradient is σ(0) − y as it should be (relu would give −y).
    public static func binaryCrossEntropyWithLogits(_ logits: Tensor, _ target: Tensor, reduction: Reduction = .mean) throws -> Tensor {
        guard logits.shape == target.shape else {
            throw TensorError.shape("binary_cross_entropy_with_logits: target shape \(shapeString(target.shape)) does not match input \(shapeString(logits.shape))")
        }
        let y = try target.to(logits.dtype)
        let losses = try logits.maximum(Tensor.scalar(0.0)) - logits * y + ((-logits.abs()).exp() + 1).log()
        return try reduce(losses, reduction)
    }

    /// Fraction of rows whose arg-max equals the int64 target.
    public static func accuracy(_ logits: Tensor, _ target: Tensor) throws -> Double {
        guard logits.rank == 2, target.rank == 1, logits.shape[0] == target.shape[0] else {
            throw TensorError.shape("accuracy: expected logits [N, C] and targets [N], got \(shapeString(logits.shape)) and \(shapeString(target.shape))")
        }
        return try withNoGrad { try (logits.argmax(dim: 1) == target.to(.int64)).to(.float64).mean().item() }
    }

    public static func reduce(_ t: Tensor, _ reduction: Reduction) throws -> Tensor {
        switch reduction {
        case .none: t
        case .sum: try t.sum()
        case .mean: try t.mean()
        }
    }
}
