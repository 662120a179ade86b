/// Eager execution: promote, check shapes, allocate, run the kernel, record a tape node when a
/// gradient will be wanted.
public final class EagerHandler: DispatchHandler, Sendable {
    public static let shared = EagerHandler()

    public func call(_ op: OpDef, _ rawInputs: [Tensor], _ attrs: Attrs) throws -> [Tensor] {
        let inputs = try Dispatch.promote(op, rawInputs)
        try Self.checkConcrete(op, inputs)
        let outMetas = try op.infer(inputs.map(\.meta), attrs)
        let outputs: [Tensor]
        switch op.kernel {
        case .compute(let kernel):
            outputs = try outMetas.map { try Tensor(empty: $0.shape, dtype: $0.dtype) }
            try kernel(KernelArgs(inputs: inputs, outputs: outputs, attrs: attrs))
        case .view(let makeView):
            outputs = [try makeView(inputs[0], attrs)]
        }
        let ctx = EngineContext.current
        if ctx.gradEnabled && op.isDifferentiable && inputs.contains(where: \.requiresGrad) {
            Self.record(op, inputs: inputs, outputs: outputs, attrs: attrs, ctx: ctx)
        }
        return outputs
    }

    public func callInPlace(_ op: OpDef, _ rawInputs: [Tensor], _ attrs: Attrs) throws -> Tensor {
        guard let target = rawInputs.first, case .compute(let kernel) = op.kernel else {
            throw TensorError.value("\(op.name)_: this op has no in-place form")
        }
        let ctx = EngineContext.current
        let wantsGrad = ctx.gradEnabled && op.isDifferentiable && rawInputs.contains(where: \.requiresGrad)
        if wantsGrad && target.isLeaf && target.requiresGrad {
            throw TensorError.autograd("\(op.name)_: a leaf tensor that requires grad is used in an in-place operation; wrap it in no_grad() or use the out-of-place \(op.name)")
        }
        var inputs = try Dispatch.promote(op, rawInputs)
        try Self.checkConcrete(op, inputs)
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
        if outMetas[0].dtype == target.dtype {
            try kernel(KernelArgs(inputs: inputs, outputs: [target], attrs: attrs))
        } else {
            let result = try Tensor(empty: outMetas[0].shape, dtype: outMetas[0].dtype)
            try kernel(KernelArgs(inputs: inputs, outputs: [result], attrs: attrs))
            try Kernels.copy(from: result, into: target)
        }
        target.storage.bumpVersion()
        if wantsGrad {
            Self.record(op, inputs: inputs, outputs: [target], attrs: attrs, ctx: ctx)
        }
        return target
    }

    static func checkConcrete(_ op: OpDef, _ inputs: [Tensor]) throws {
        for t in inputs where t.isSymbolic {
            throw TensorError.value("\(op.name): cannot compute on a symbolic tensor outside a trace (did a traced function call .item() or branch on a tensor's value?)")
        }
    }

    /// Adds a tape node: edges to where input gradients go, the saved tensors with their versions,
    /// and links from the outputs back to the node.
    static func record(_ op: OpDef, inputs: [Tensor], outputs: [Tensor], attrs: Attrs, ctx: EngineContext) {
        guard case .rule(let saves, _) = op.backward else { return }
        let edges: [Edge] = inputs.map { t in
            guard t.requiresGrad else { return .none }
            if let fn = t.gradFn { return .node(fn, t.outputIndex) }
            return .leaf(t)
        }
        var saved: [SavedTensor] = []
        if saves.contains(.inputs) {
            saved += inputs.map { SavedTensor(tensor: $0, version: $0.version, isOutput: false) }
        }
        let savedInputCount = saved.count
        if saves.contains(.outputs) {
            saved += outputs.map { SavedTensor(tensor: $0.detach(), version: $0.version, isOutput: true) }
        }
        let node = Node(op: op, attrs: attrs, edges: edges, inputMetas: inputs.map(\.meta),
                        outputMetas: outputs.map(\.meta), saved: saved, savedInputCount: savedInputCount)
        for (i, o) in outputs.enumerated() where o.dtype.isFloatingPoint {
            o.gradFn = node
            o.outputIndex = i
            o.requiresGrad = true
        }
        ctx.tape.append(op: op.name, inputs: inputs, outputs: outputs, savedBytes: node.savedBytes)
    }
}
