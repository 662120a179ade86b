/// float16 and bfloat16 as storage formats with float32 compute (issue #16: "storage with
/// float32 compute is enough"). An op given a 16-bit input runs on float32 copies of its inputs,
/// and its float32 results are rounded back to the 16-bit dtype PyTorch's promotion gives; the
/// casts are ordinary `to` ops, so autograd, tracing and the profiler see them (a half model's
/// profile shows what the narrow storage costs in conversions). Only ops that move bits without
/// arithmetic take 16-bit tensors directly: views, `to`, `clone` and `copy_`.
enum HalfPrecision {
    private static let native: Set<ObjectIdentifier> = [ObjectIdentifier(Ops.to), ObjectIdentifier(Ops.clone), ObjectIdentifier(Ops.copy)]

    @inline(__always)
    static func applies(_ op: OpDef, _ inputs: [Tensor]) -> Bool {
        guard inputs.contains(where: { $0.dtype.isHalfPrecision }) else { return false }
        // Collectives are not widened: a reduction started on a float32 copy would land in
        // the copy. They refuse 16-bit tensors themselves.
        return !op.isView && !op.communicates && !native.contains(ObjectIdentifier(op))
    }

    /// Runs `op` on widened inputs and narrows its floating results.
    static func call(_ op: OpDef, _ inputs: [Tensor], _ attrs: Attrs) throws -> [Tensor] {
        let narrow = promoteTypes(inputs)
        let wide = try inputs.map { $0.dtype.isHalfPrecision ? try $0.to(.float32) : $0 }
        let outputs = try Dispatch.call(op, wide, attrs)
        guard narrow.isHalfPrecision else { return outputs }
        return try outputs.map { $0.dtype == .float32 ? try $0.to(narrow) : $0 }
    }

    /// `x.op_(…)` on a 16-bit target: the out-of-place result, written back with `copy_` (which
    /// rounds it), so the tape holds the op and the copy as PyTorch's would hold the op.
    static func callInPlace(_ op: OpDef, _ inputs: [Tensor], _ attrs: Attrs) throws -> Tensor {
        let result = try call(op, inputs, attrs)
        guard result.count == 1, let target = inputs.first else {
            throw TensorError.value("\(op.name)_: this op has no in-place form")
        }
        guard result[0].dtype.canCast(to: target.dtype) else {
            throw TensorError.dtype("\(op.name)_: result type \(result[0].dtype) can't be cast to the in-place target's type \(target.dtype)")
        }
        return try Dispatch.inPlace(Ops.copy, [target, result[0]])
    }

    /// A composite that PyTorch runs as one kernel (linear's addmm, layer_norm, gelu) rounds
    /// once, at the end, as PyTorch's does: `body` gets a widening function to apply to its
    /// tensors, so its intermediate results stay float32 instead of being rounded per op.
    static func roundingOnce(_ tensors: Tensor?..., body: ((Tensor) throws -> Tensor) throws -> Tensor) throws -> Tensor {
        let present = tensors.compactMap { $0 }
        guard present.contains(where: { $0.dtype.isHalfPrecision }) else { return try body { $0 } }
        let narrow = promoteTypes(present)
        let out = try body { $0.dtype.isHalfPrecision ? try $0.to(.float32) : $0 }
        return narrow.isHalfPrecision && out.dtype == .float32 ? try out.to(narrow) : out
    }
}
