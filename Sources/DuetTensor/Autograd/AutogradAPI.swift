extension Tensor {
    /// Backpropagates from this tensor. Without `gradient` it must hold one element (a loss).
    public func backward(_ gradient: Tensor? = nil, retainGraph: Bool = false, createGraph: Bool = false) throws {
        let seed: Tensor
        if let gradient {
            guard gradient.shape == shape else {
                throw TensorError.shape("backward: gradient shape \(shapeString(gradient.shape)) does not match the tensor's shape \(shapeString(shape))")
            }
            seed = gradient
        } else {
            guard count == 1 else {
                throw TensorError.autograd("backward: grad can be implicitly created only for scalar outputs (this tensor has shape \(shapeString(shape))); pass a gradient")
            }
            seed = try Tensor.ones(shape, dtype: dtype)
        }
        _ = try AutogradEngine.run(roots: [self], seeds: [seed], inputs: nil,
                                   retainGraph: retainGraph || createGraph, createGraph: createGraph)
        EngineContext.current.tape.endStep()
    }

    /// Clears this tensor's accumulated gradient.
    public func zeroGrad() { grad = nil }

    /// Keeps this non-leaf's gradient in `.grad` after backward (a no-op on leaves, as in PyTorch).
    public func retainGrad() throws {
        guard requiresGrad else { throw TensorError.autograd("can't retain_grad on Tensor that has requires_grad=False") }
        guard let fn = gradFn, !retainsGrad else { return }
        fn.retained.append(RetainedOutput(index: outputIndex, tensor: self))
    }

    /// Whether `retainGrad()` was called on this non-leaf.
    public var retainsGrad: Bool {
        gradFn?.retained.contains { $0.index == outputIndex && $0.tensor === self } ?? false
    }
}

/// Gradients of `outputs` with respect to `inputs`, without touching `.grad` (PyTorch's
/// `torch.autograd.grad`). With `createGraph` the result is itself differentiable.
public func grad(_ outputs: [Tensor], _ inputs: [Tensor], gradOutputs: [Tensor]? = nil,
                 retainGraph: Bool? = nil, createGraph: Bool = false, allowUnused: Bool = false) throws -> [Tensor?] {
    let seeds = try gradOutputs ?? outputs.map { o in
        guard o.count == 1 else {
            throw TensorError.autograd("grad: grad can be implicitly created only for scalar outputs (got shape \(shapeString(o.shape)))")
        }
        return try Tensor.ones(o.shape, dtype: o.dtype)
    }
    guard seeds.count == outputs.count else {
        throw TensorError.value("grad: got \(seeds.count) grad_outputs for \(outputs.count) outputs")
    }
    return try AutogradEngine.run(roots: outputs, seeds: seeds, inputs: inputs,
                                  retainGraph: retainGraph ?? createGraph, createGraph: createGraph,
                                  allowUnused: allowUnused)
}
