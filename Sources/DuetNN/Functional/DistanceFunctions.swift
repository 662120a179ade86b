import DuetTensor

/// Norms, normalization and distances of torch.nn.functional, as compositions of registry ops.
extension Tensor {
    /// The p-norm over `dim` (p = ∞ is the largest magnitude). The root is taken of a stand-in 1
    /// where the sum is 0, so a zero vector's gradient is 0 rather than NaN (0 · ∞), as PyTorch's.
    public func vectorNorm(p: Double, dim: Int, keepdim: Bool = false) throws -> Tensor {
        let magnitude = try abs()
        if p.isInfinite { return p > 0 ? try magnitude.amax(dims: [dim], keepdim: keepdim) : try magnitude.amin(dims: [dim], keepdim: keepdim) }
        guard p > 0 else { throw TensorError.value("vector norm: p must be positive or inf, got \(p)") }
        let total = try (p == 2 ? self * self : magnitude.pow(p)).sum(dims: [dim], keepdim: keepdim)
        let nonzero = try total > 0
        let root = try Tensor.where_(nonzero, total, Tensor.scalar(1.0)).pow(1 / p)
        return try Tensor.where_(nonzero, root, Tensor.scalar(0.0))
    }

    /// x / max(‖x‖ₚ, eps) along dim.
    public func normalize(p: Double = 2, dim: Int = 1, eps: Double = 1e-12) throws -> Tensor {
        try self / vectorNorm(p: p, dim: dim, keepdim: true).clamp(min: eps)
    }

    /// Cosine of the angle between x1 and x2 along dim (broadcast), each norm at least eps.
    public static func cosineSimilarity(_ x1: Tensor, _ x2: Tensor, dim: Int = 1, eps: Double = 1e-8) throws -> Tensor {
        let n1 = try x1.vectorNorm(p: 2, dim: dim, keepdim: true).clamp(min: eps)
        let n2 = try x2.vectorNorm(p: 2, dim: dim, keepdim: true).clamp(min: eps)
        return try ((x1 / n1) * (x2 / n2)).sum(dims: [dim])
    }

    /// ‖x1 − x2 + eps‖ₚ over the last dim.
    public static func pairwiseDistance(_ x1: Tensor, _ x2: Tensor, p: Double = 2, eps: Double = 1e-6, keepdim: Bool = false) throws -> Tensor {
        try (x1 - x2 + eps).vectorNorm(p: p, dim: -1, keepdim: keepdim)
    }
}
