import DuetTensor

/// The activations of torch.nn.functional that are compositions of registry ops (where, clamp,
/// exp, …), so autograd, tracing and the profiler handle them without kernels of their own.
extension Tensor {
    /// x where x > 0, else negative_slope · x.
    public func leakyRelu(negativeSlope: Double = 0.01) throws -> Tensor {
        try Tensor.where_(self > 0, self, self * negativeSlope)
    }

    /// x where x > 0, else alpha · (eˣ − 1); the exponent is clamped so the unused branch stays finite.
    public func elu(alpha: Double = 1) throws -> Tensor {
        try Tensor.where_(self > 0, self, (clamp(max: 0).exp() - 1) * alpha)
    }

    /// scale · elu(x, alpha) with the self-normalizing constants of Klambauer et al.
    public func selu() throws -> Tensor {
        try elu(alpha: 1.6732632423543772848170429916717) * 1.0507009873554804934193349852946
    }

    /// x · tanh(softplus(x)).
    public func mish() throws -> Tensor { try self * softplus().tanh() }

    /// x clamped to [min_val, max_val].
    public func hardtanh(minVal: Double = -1, maxVal: Double = 1) throws -> Tensor {
        try clamp(min: minVal, max: maxVal)
    }

    /// log(1 + e^(βx)) / β, computed stably; linear (x itself) where βx > threshold, as PyTorch.
    /// `maximum` splits the tie at 0 evenly, so the gradient there is σ(0) = 0.5 (relu would give 0).
    public func softplus(beta: Double = 1, threshold: Double = 20) throws -> Tensor {
        let scaled = try self * beta
        let smooth = try (scaled.maximum(Tensor.scalar(0.0)) + ((-scaled.abs()).exp() + 1).log()) / beta
        return try Tensor.where_(scaled > threshold, self, smooth)
    }
}
