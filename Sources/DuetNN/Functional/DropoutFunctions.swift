import DuetTensor

/// Dropout and its channel-wise and self-normalizing variants, from a random mask and registry ops.
extension Tensor {
    /// Zeroes elements (or whole channels, when `maskShape` has ones past the channel dim) with
    /// probability p and scales the rest by 1/(1 − p).
    public func dropout(p: Double, training: Bool = true, maskShape: [Int]? = nil) throws -> Tensor {
        guard (0...1).contains(p) else { throw TensorError.value("dropout probability has to be between 0 and 1, but got \(p)") }
        guard training, p > 0 else { return self }
        if p == 1 { return try self * 0 }
        return try self * kept(p, maskShape ?? shape) * (1 / (1 - p))
    }

    /// A 0/1 mask of `shape` that is 0 with probability p.
    private func kept(_ p: Double, _ shape: [Int]) throws -> Tensor {
        try (Tensor.rand(shape, dtype: dtype.isFloatingPoint ? dtype : .float32) >= p).to(dtype)
    }

    /// The mask shape of dropout1d/dropout2d: one draw per (sample, channel) of [N, C, …]; an
    /// unbatched input (rank `unbatchedRank`) has one per channel.
    public func channelMaskShape(_ op: String, ranks: [Int], unbatchedRank: Int) throws -> [Int] {
        guard ranks.contains(rank) else {
            throw TensorError.shape("\(op): expected a \(ranks.map { "\($0)-D" }.joined(separator: " or ")) input, got \(shapeString(shape))")
        }
        let kept = rank == unbatchedRank ? 1 : 2
        return Array(shape.prefix(kept)) + Array(repeating: 1, count: rank - kept)
    }

    /// Alpha dropout (for SELU networks): dropped elements take SELU's negative saturation value and
    /// an affine correction keeps the mean and variance, as PyTorch's `alpha_dropout`.
    public func alphaDropout(p: Double, training: Bool = true) throws -> Tensor {
        guard (0...1).contains(p) else { throw TensorError.value("dropout probability has to be between 0 and 1, but got \(p)") }
        guard training, p > 0 else { return self }
        if p == 1 { return try self * 0 }
        let alpha = 1.7580993408473766
        let a = 1 / ((alpha * alpha * p + 1) * (1 - p)).squareRoot()
        let noise = try kept(p, shape)
        let b = try (noise - 1) * (alpha * a) + alpha * a * p
        return try self * (noise * a) + b
    }
}
