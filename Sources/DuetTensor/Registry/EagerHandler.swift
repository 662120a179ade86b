/// Eager execution: promote, check shapes, allocate, run the kernel, record a tape node when a
/// gradient will be wanted.
public final class EagerHandler: DispatchHandler, Sendable {
    public static let shared = EagerHandler()
    public var mode: String { "eager" }

    /// Handlers bind too (a pointer compare when `Dispatch` already has), since they are public
    /// entry points of their own.
    public func call(_ op: OpDef, _ rawInputs: [Tensor], _ attrs: Attrs) throws -> [Tensor] {
        let attrs = try op.bind(attrs)
        if let fast = op.fast, let out = try Self.fastElementwise(op, fast, rawInputs) { return [out] }
        let inputs = try Dispatch.promote(op, rawInputs)
        try Self.checkConcrete(op, inputs)
        let outMetas = try op.outputMetas(inputs.map(\.meta), attrs)
        let outputs: [Tensor]
        switch op.kernel {
        case .compute(let kernel):
            outputs = try outMetas.map { try Self.allocate($0, like: inputs) }
            try kernel(KernelArgs(inputs: inputs, outputs: outputs, attrs: attrs))
        case .view(let makeView):
            let out = try makeView(inputs[0], attrs)
            out.viewBase = inputs[0].viewBase ?? inputs[0]
            outputs = [out]
        }
        let ctx = EngineContext.current
        if ctx.gradEnabled && op.isDifferentiable && inputs.contains(where: \.requiresGrad) {
            Self.record(op, inputs: inputs, outputs: outputs, attrs: attrs, ctx: ctx)
        }
        return outputs
    }

    public func callInPlace(_ op: OpDef, _ rawInputs: [Tensor], _ attrs: Attrs) throws -> Tensor {
        let attrs = try op.bind(attrs)
        guard case .compute(let kernel) = op.kernel else {
            throw TensorError.value("\(op.name)_: this op has no in-place form")
        }
        let ctx = EngineContext.current
        let call = try InPlaceCall.prepare(op, rawInputs, attrs, ctx)
        try Self.checkConcrete(op, call.inputs)
        let target = call.target
        if call.result.dtype == target.dtype {
            try kernel(KernelArgs(inputs: call.inputs, outputs: [target], attrs: attrs))
        } else {
            let result = try Tensor(empty: call.result.shape, dtype: call.result.dtype)
            try kernel(KernelArgs(inputs: call.inputs, outputs: [result], attrs: attrs))
            try Kernels.copy(from: result, into: target)
        }
        target.storage.bumpVersion()
        if call.wantsGrad {
            Self.record(op, inputs: call.inputs, outputs: [target], attrs: attrs, ctx: ctx)
        }
        return target
    }

    /// The common small-op case with no promotion, broadcasting, strides or tape to handle: one
    /// allocation for the output and one loop call. Returns nil when the general path is needed.
    @inline(__always)
    static func fastElementwise(_ op: OpDef, _ fast: FastElementwise, _ inputs: [Tensor]) throws -> Tensor? {
        guard let first = inputs.first, first.isContiguous, !first.isWrappedNumber, !first.isSymbolic else { return nil }
        let dtype = first.dtype
        var needsGrad = first.requiresGrad
        for t in inputs.dropFirst() {
            guard t.dtype == dtype, t.isContiguous, !t.isWrappedNumber, t.shape == first.shape, !t.isSymbolic else { return nil }
            needsGrad = needsGrad || t.requiresGrad
        }
        if case .commonFloat = op.promotion, !dtype.isFloatingPoint { return nil }
        if needsGrad && EngineContext.current.gradEnabled { return nil }
        guard let loop = fast.loops.loop(for: dtype) else { return nil }
        let outDType = fast.outDType ?? dtype
        let n = first.count
        let out = Tensor(storage: try Storage(bytes: n * outDType.itemSize), shape: first.shape,
                         strides: first.strides, offset: 0, dtype: outDType)
        guard n > 0, let o = out.rawPointer, let a = first.rawPointer else { return out }
        let b = inputs.count > 1 ? inputs[1].rawPointer.unsafelyUnwrapped : a
        let c = inputs.count > 2 ? inputs[2].rawPointer.unsafelyUnwrapped : a
        let size = dtype.itemSize
        StridedLoop.runSplit(Row(out: o, a: a, b: b, c: c, so: 1, sa: 1, sb: 1, sc: 1, n: n), (outDType.itemSize, size, size, size), loop)
        return out
    }

    /// A new contiguous output; it shares the shape and strides arrays of a contiguous input of the
    /// same shape, so the common elementwise call allocates no arrays for them.
    @inline(__always)
    static func allocate(_ meta: TensorMeta, like inputs: [Tensor]) throws -> Tensor {
        if let first = inputs.first, first.shape == meta.shape, first.isContiguous {
            let storage = try Storage(bytes: first.count * meta.dtype.itemSize)
            return Tensor(storage: storage, shape: first.shape, strides: first.strides, offset: 0, dtype: meta.dtype)
        }
        return try Tensor(empty: meta.shape, dtype: meta.dtype)
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
