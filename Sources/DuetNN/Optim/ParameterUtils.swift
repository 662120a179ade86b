import DuetTensor

/// Scales all gradients so their joint `normType`-norm (of all their elements together) is at
/// most `maxNorm`; returns the norm before clipping (torch.nn.utils.clip_grad_norm_). Written in
/// registry ops so it traces; only `errorIfNonfinite` reads the norm's value.
@discardableResult
public func clipGradNorm(_ params: [Tensor], maxNorm: Double, normType: Double = 2, errorIfNonfinite: Bool = false) throws -> Tensor {
    let grads = params.compactMap(\.grad)
    guard !grads.isEmpty else { return try Tensor.zeros([]) }
    guard normType > 0 || normType == -.infinity else {
        throw TensorError.value("clip_grad_norm_: norm_type must be positive or ±inf, got \(normType)")
    }
    return try withNoGrad {
        let norm = try gradNorm(grads, normType)
        if errorIfNonfinite, try !norm.item().isFinite {
            throw TensorError.autograd("The total norm of order \(normType) for gradients from `parameters` is non-finite, so it cannot be clipped. To disable this error and scale the gradients by the non-finite norm anyway, set `error_if_nonfinite=False`")
        }
        let coefficient = try (Tensor.scalar(maxNorm) / (norm + 1e-6)).clamp(max: 1)
        for g in grads { try g.mul_(coefficient) }
        return norm
    }
}

/// The norm of all gradients' elements together.
private func gradNorm(_ grads: [Tensor], _ p: Double) throws -> Tensor {
    if p.isInfinite {
        let parts = try grads.map { p > 0 ? try $0.abs().amax() : try $0.abs().amin() }
        return p > 0 ? try Tensor.stack(parts).amax() : try Tensor.stack(parts).amin()
    }
    func partial(_ g: Tensor) throws -> Tensor { p == 2 ? try (g * g).sum() : try g.abs().pow(p).sum() }
    var total = try partial(grads[0])
    for g in grads.dropFirst() { total = try total + partial(g) }
    return p == 2 ? try total.sqrt() : try total.pow(1 / p)
}

/// Clamps every gradient into [-clipValue, clipValue] in place (torch.nn.utils.clip_grad_value_).
public func clipGradValue(_ params: [Tensor], clipValue: Double) throws {
    try withNoGrad {
        for g in params.compactMap(\.grad) { try g.clamp_(min: -clipValue, max: clipValue) }
    }
}

/// All parameters flattened and joined into one vector (torch.nn.utils.parameters_to_vector);
/// gradients flow back to the parameters.
public func parametersToVector(_ params: [Tensor]) throws -> Tensor {
    guard !params.isEmpty else { throw TensorError.value("parameters_to_vector: expected a non-empty list of parameters") }
    return try Tensor.cat(try params.map { try $0.reshape([-1]) })
}

/// Writes consecutive pieces of `vector` into the parameters, in place and outside autograd
/// (torch.nn.utils.vector_to_parameters).
public func vectorToParameters(_ vector: Tensor, _ params: [Tensor]) throws {
    guard vector.shape.count == 1 else { throw TensorError.shape("vector_to_parameters: expected a 1-D vector, got shape \(vector.shape)") }
    let needed = params.reduce(0) { $0 + $1.count }
    guard vector.shape[0] >= needed else {
        throw TensorError.shape("vector_to_parameters: the vector has \(vector.shape[0]) elements, the parameters need \(needed)")
    }
    try withNoGrad {
        var offset = 0
        for p in params {
            try p.copy_(vector.slice(dim: 0, start: offset, end: offset + p.count).reshape(p.shape))
            offset += p.count
        }
    }
}
