/// The checks an in-place call passes before anything is written, shared by the eager handler and
/// the tracer so that a traced function refuses exactly what eager code refuses.
struct InPlaceCall {
    let target: Tensor
    /// Promoted inputs; those aliasing the target are cloned when backward needs their old values.
    let inputs: [Tensor]
    let result: TensorMeta
    let wantsGrad: Bool

    static func prepare(_ op: OpDef, _ rawInputs: [Tensor], _ attrs: Attrs, _ ctx: EngineContext) throws -> InPlaceCall {
        guard let target = rawInputs.first else { throw TensorError.value("\(op.name)_: this op has no in-place form") }
        let wantsGrad = ctx.gradEnabled && op.isDifferentiable && rawInputs.contains(where: \.requiresGrad)
        if wantsGrad && target.isLeaf && target.requiresGrad {
            throw TensorError.autograd("\(op.name)_: a leaf tensor that requires grad is used in an in-place operation; wrap it in no_grad() or use the out-of-place \(op.name)")
        }
        if wantsGrad, let base = target.viewBase, base.requiresGrad {
            // Rewriting the base's history through an arbitrary view is not supported; refusing is
            // better than the silently wrong gradients a partial rewrite would give.
            throw TensorError.autograd(base.isLeaf
                ? "\(op.name)_: a view of a leaf tensor that requires grad is used in an in-place operation; wrap it in no_grad() or use out-of-place ops"
                : "\(op.name)_: in-place writes into a view of a tensor that requires grad are not supported; use out-of-place ops (where, cat, masked_fill) or clone() the view first")
        }
        for (d, s) in zip(target.shape, target.strides) where s == 0 && d > 1 {
            throw TensorError.value("\(op.name)_: more than one element of the written-to tensor refers to a single memory location (an expanded view); clone() it first")
        }
        var inputs = try Dispatch.promote(op, rawInputs)
        let outMetas = try op.infer(inputs.map(\.meta), attrs)
        guard outMetas.count == 1, outMetas[0].shape == target.shape else {
            throw TensorError.shape("\(op.name)_: the result shape \(shapeString(outMetas.first?.shape ?? [])) does not match the in-place target's shape \(shapeString(target.shape))")
        }
        guard outMetas[0].dtype.canCast(to: target.dtype) else {
            throw TensorError.dtype("\(op.name)_: result type \(outMetas[0].dtype) can't be cast to the in-place target's type \(target.dtype)")
        }
        if wantsGrad, case .rule(let saves, _) = op.backward, saves.contains(.inputs) {
            // Backward needs the values from before the write: keep copies of inputs that alias the target.
            for i in inputs.indices where inputs[i].storage === target.storage {
                inputs[i] = try Dispatch.call1(Ops.clone, [inputs[i]])
            }
        }
        return InPlaceCall(target: target, inputs: inputs, result: outMetas[0], wantsGrad: wantsGrad)
    }
}
