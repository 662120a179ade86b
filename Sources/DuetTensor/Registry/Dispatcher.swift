/// Runs registry ops. The eager handler computes and records tape nodes; graph mode installs a
/// tracing handler that records graph nodes on symbolic tensors instead. Everything that runs an
/// op goes through here, so swapping the handler swaps the whole engine's behaviour.
/// Watches every op call (the profiler): `run` performs the call; the observer times it and reads
/// what it needs. When no observer is installed the dispatcher pays one nil check. Building with
/// `-D DUET_NO_PROFILER_HOOK` removes that check, only so bench/profiler_overhead.sh can measure
/// what it costs; such a build records no events.
public protocol DispatchObserver: AnyObject {
    func observe(_ op: OpDef, _ inputs: [Tensor], _ attrs: Attrs, inPlace: Bool, _ run: () throws -> [Tensor]) throws -> [Tensor]
}

public protocol DispatchHandler: AnyObject {
    /// How the profiler labels ops this handler runs ("eager", "graph", …).
    var mode: String { get }
    func call(_ op: OpDef, _ inputs: [Tensor], _ attrs: Attrs) throws -> [Tensor]
    /// Runs an elementwise op writing its result into `inputs[0]`.
    func callInPlace(_ op: OpDef, _ inputs: [Tensor], _ attrs: Attrs) throws -> Tensor
}

/// The checked entry point the API, the NN library and the interpreter call. Attrs are bound to
/// the op's signature here, before the observer or the handler sees them.
public enum Dispatch {
    public static func call(_ op: OpDef, _ inputs: [Tensor], _ attrs: Attrs = Attrs()) throws -> [Tensor] {
        let attrs = try op.bind(attrs)
        if HalfPrecision.applies(op, inputs) { return try HalfPrecision.call(op, inputs, attrs) }
        let ctx = EngineContext.current
        #if !DUET_NO_PROFILER_HOOK
        if let observer = ctx.observer {
            return try observer.observe(op, inputs, attrs, inPlace: false) { try ctx.handler.call(op, inputs, attrs) }
        }
        #endif
        return try ctx.handler.call(op, inputs, attrs)
    }

    /// The first output, for the many single-output ops.
    public static func call1(_ op: OpDef, _ inputs: [Tensor], _ attrs: Attrs = Attrs()) throws -> Tensor {
        let outs = try call(op, inputs, attrs)
        guard let first = outs.first else { throw TensorError.value("\(op.name) produced no output") }
        return first
    }

    public static func inPlace(_ op: OpDef, _ inputs: [Tensor], _ attrs: Attrs = Attrs()) throws -> Tensor {
        let attrs = try op.bind(attrs)
        if HalfPrecision.applies(op, inputs) { return try HalfPrecision.callInPlace(op, inputs, attrs) }
        let ctx = EngineContext.current
        #if !DUET_NO_PROFILER_HOOK
        if let observer = ctx.observer {
            let outs = try observer.observe(op, inputs, attrs, inPlace: true) { [try ctx.handler.callInPlace(op, inputs, attrs)] }
            guard let first = outs.first else { throw TensorError.value("\(op.name)_ produced no output") }
            return first
        }
        #endif
        return try ctx.handler.callInPlace(op, inputs, attrs)
    }

    /// Casts the inputs an op's promotion rule names to their common dtype, through the `to` op so
    /// the cast is differentiable and traced like any other op.
    public static func promote(_ op: OpDef, _ inputs: [Tensor]) throws -> [Tensor] {
        let indices: [Int]
        let toFloat: Bool
        switch op.promotion {
        case .none: return inputs
        case .common(let i): (indices, toFloat) = (i, false)
        case .commonFloat(let i): (indices, toFloat) = (i, true)
        case .commonAll: (indices, toFloat) = (Array(inputs.indices), false)
        }
        // The common case — one dtype, no wrapped numbers — needs no work and no allocation.
        if let first = indices.first, first < inputs.count {
            let dt = inputs[first].dtype
            var uniform = !(toFloat && !dt.isFloatingPoint)
            for i in indices where i >= inputs.count || inputs[i].dtype != dt || inputs[i].isWrappedNumber { uniform = false }
            if uniform { return inputs }
        }
        let participating = indices.compactMap { $0 < inputs.count ? inputs[$0] : nil }
        var target = promoteTypes(participating)
        if toFloat && !target.isFloatingPoint { target = .float32 }
        var out = inputs
        for i in indices where i < out.count && out[i].dtype != target {
            out[i] = try call1(Ops.to, [out[i]], Attrs([.dtype(target)]))
        }
        return out
    }
}
