import DuetTensor

/// The losses of torch.nn.functional beyond the engine's core ones, as compositions of registry ops.
extension Loss {
    private static func sameShape(_ input: Tensor, _ target: Tensor, _ op: String) throws {
        guard input.shape == target.shape else {
            throw TensorError.shape("\(op): target shape \(shapeString(target.shape)) does not match input \(shapeString(input.shape))")
        }
    }

    /// 0.5·d²/β where |d| < β, else |d| − 0.5·β (β = 0 is the L1 loss).
    public static func smoothL1(_ input: Tensor, _ target: Tensor, beta: Double = 1, reduction: Reduction = .mean) throws -> Tensor {
        guard beta >= 0 else { throw TensorError.value("smooth_l1_loss: beta must be non-negative, got \(beta)") }
        guard beta > 0 else { return try l1(input, target, reduction: reduction) }
        let d = try (input - target).abs()
        return try reduce(try Tensor.where_(d < beta, d * d * (0.5 / beta), d - 0.5 * beta), reduction)
    }

    /// 0.5·d² where |d| < δ, else δ·(|d| − 0.5·δ).
    public static func huber(_ input: Tensor, _ target: Tensor, delta: Double = 1, reduction: Reduction = .mean) throws -> Tensor {
        guard delta > 0 else { throw TensorError.value("huber_loss: delta must be positive, got \(delta)") }
        let d = try (input - target).abs()
        return try reduce(try Tensor.where_(d < delta, d * d * 0.5, (d - 0.5 * delta) * delta), reduction)
    }

    /// −w·(y·log x + (1 − y)·log(1 − x)) on probabilities, each log clamped at −100 as PyTorch does
    /// (so a probability of exactly 0 or 1 gives a finite loss).
    public static func binaryCrossEntropy(_ input: Tensor, _ target: Tensor, weight: Tensor? = nil, reduction: Reduction = .mean) throws -> Tensor {
        try sameShape(input, target, "binary_cross_entropy")
        let y = try target.to(input.dtype)
        let logP = try input.log().clamp(min: -100), log1mP = try (1 - input).log().clamp(min: -100)
        var losses = try -(y * logP + (1 - y) * log1mP)
        if let weight { losses = try losses * weight }
        return try reduce(losses, reduction)
    }

    /// Binary cross-entropy on logits with an element weight and a positive-class weight, stably:
    /// (1 − y)·x + (1 + (p − 1)·y)·(log(1 + e^(−|x|)) + max(−x, 0)).
    public static func binaryCrossEntropyWithLogits(_ logits: Tensor, _ target: Tensor, weight: Tensor?, posWeight: Tensor?,
                                                    reduction: Reduction = .mean) throws -> Tensor {
        guard let posWeight else {
            let losses = try binaryCrossEntropyWithLogits(logits, target, reduction: .none)
            return try reduce(try weight.map { try losses * $0 } ?? losses, reduction)
        }
        try sameShape(logits, target, "binary_cross_entropy_with_logits")
        let y = try target.to(logits.dtype)
        let logWeight = try (posWeight - 1) * y + 1
        let softplusNeg = try ((-logits.abs()).exp() + 1).log() + (-logits).maximum(Tensor.scalar(0.0))
        var losses = try (1 - y) * logits + logWeight * softplusNeg
        if let weight { losses = try losses * weight }
        return try reduce(losses, reduction)
    }

    /// How `kl_div` reduces: PyTorch's reductions plus 'batchmean' (the sum over the batch size).
    public enum KLReduction: String, Sendable { case mean, sum, none, batchmean }

    /// Kullback–Leibler divergence of log-probabilities `input` from `target`: y·(log y − x), with
    /// 0 where y = 0; with logTarget the target is given as log-probabilities.
    public static func klDiv(_ input: Tensor, _ target: Tensor, reduction: KLReduction = .mean, logTarget: Bool = false) throws -> Tensor {
        let y = try target.to(input.dtype)
        let losses: Tensor
        if logTarget {
            losses = try y.exp() * (y - input)
        } else {
            // xlogy(y, y) − y·x: log 1 = 0 stands in where y = 0.
            losses = try y * (Tensor.where_(y > 0, y, Tensor.scalar(1.0)).log() - input)
        }
        switch reduction {
        case .none: return losses
        case .sum: return try losses.sum()
        case .mean: return try losses.mean()
        case .batchmean: return try losses.sum() / Double(input.rank > 0 ? input.shape[0] : 1)
        }
    }
}
