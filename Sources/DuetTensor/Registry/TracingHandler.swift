/// Receives every op a trace runs, with the tensors it was given and made; the graph library's
/// tracer builds its graph from these calls.
public protocol TraceRecorder: AnyObject {
    func record(_ op: OpDef, inputs: [Tensor], attrs: Attrs, outputs: [Tensor], inPlace: Bool) throws
}

/// The dispatcher's handler while a function is traced. No kernel runs: compute ops return
/// symbolic tensors, view ops return real views (so strides, and every layout decision that
/// depends on them, are what eager would see). Tape nodes are recorded exactly as eager records
/// them, so a `backward()` inside the traced function runs the registry's backward rules through
/// this handler and is traced too.
public final class TracingHandler: DispatchHandler {
    public let recorder: TraceRecorder
    public init(recorder: TraceRecorder) { self.recorder = recorder }
    public var mode: String { "trace" }

    public func call(_ op: OpDef, _ rawInputs: [Tensor], _ attrs: Attrs) throws -> [Tensor] {
        let attrs = try op.bind(attrs)
        let inputs = try Dispatch.promote(op, rawInputs)
        let metas = try op.outputMetas(inputs.map(\.meta), attrs)
        let outputs: [Tensor]
        switch op.kernel {
        case .compute:
            outputs = metas.map { Tensor.symbolic(shape: $0.shape, dtype: $0.dtype) }
        case .view(let makeView):
            let out = try makeView(inputs[0], attrs)
            out.viewBase = inputs[0].viewBase ?? inputs[0]
            outputs = [out]
        }
        try recorder.record(op, inputs: inputs, attrs: attrs, outputs: outputs, inPlace: false)
        let ctx = EngineContext.current
        if ctx.gradEnabled && op.isDifferentiable && inputs.contains(where: \.requiresGrad) {
            EagerHandler.record(op, inputs: inputs, outputs: outputs, attrs: attrs, ctx: ctx)
        }
        return outputs
    }

    public func callInPlace(_ op: OpDef, _ rawInputs: [Tensor], _ attrs: Attrs) throws -> Tensor {
        let attrs = try op.bind(attrs)
        guard case .compute = op.kernel else { throw TensorError.value("\(op.name)_: this op has no in-place form") }
        let ctx = EngineContext.current
        let call = try InPlaceCall.prepare(op, rawInputs, attrs, ctx)
        try recorder.record(op, inputs: call.inputs, attrs: attrs, outputs: [call.target], inPlace: true)
        call.target.storage.bumpVersion()
        if call.wantsGrad {
            EagerHandler.record(op, inputs: call.inputs, outputs: [call.target], attrs: attrs, ctx: ctx)
        }
        return call.target
    }
}

extension EngineContext {
    /// True while a function is being traced into a graph.
    public var isTracing: Bool { handler is TracingHandler }

    /// Reading a tensor's values while tracing would freeze them into the graph (or fail on a
    /// symbolic tensor); the error says what to do instead.
    static func checkValuesReadable(_ what: String) throws {
        if current.isTracing {
            throw TensorError.value("\(what): cannot read a tensor's values inside a compiled function (.item(), bool(), printing, or Python control flow on a tensor); they are not known while tracing. Return the tensor from the function, or keep the computation in tensor ops (where, clamp)")
        }
    }
}
