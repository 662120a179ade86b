/// A matmul with work folded into its output pass (GEMM epilogue fusion, graph mode): the bias
/// is written into the output before the GEMM accumulates onto it, an elementwise epilogue
/// (relu, relu's gradient mask, a fused group) then runs over the output while it is still in
/// cache, in place, and an SGD update `p -= lr · (a @ b)` is the GEMM itself accumulating into
/// `p`. No intermediate gets a buffer of its own and no extra kernel is launched.
///
/// Inputs, in order: the accumulation target (with `update`), `a`, `b`, the bias (with `bias`),
/// the scale (with `update`), then the epilogue's inputs after its first, which is the GEMM result.
public final class FusedMatmul: @unchecked Sendable {
    /// Add a row vector over the output's last dim.
    public let bias: Bool
    /// Accumulate `−scale · (a @ b)` into the target instead of writing a fresh result.
    public let update: Bool
    /// Runs on the GEMM result in place; its only output must be its last member.
    public let epilogue: FusedElementwise?

    public init(bias: Bool, update: Bool, epilogue: FusedElementwise?) throws {
        if let epilogue, epilogue.outputMembers != [epilogue.members.count - 1] {
            throw TensorError.value("fused matmul: the epilogue must have one output, its last member, to run in place")
        }
        if update && (bias || epilogue != nil) {
            throw TensorError.value("fused matmul: an update accumulates into its target; it takes no bias or epilogue")
        }
        self.bias = bias
        self.update = update
        self.epilogue = epilogue
    }

    public func run(_ inputs: [Tensor], _ outputs: [Tensor]) throws {
        guard let out = outputs.first, out.isContiguous, out.dtype == .float32 || out.dtype == .float64 else {
            throw TensorError.value("fused matmul: needs one contiguous float32 or float64 output")
        }
        var next = update ? 1 : 0
        func take() throws -> Tensor {
            guard next < inputs.count else { throw TensorError.value("fused matmul: expected more inputs than \(inputs.count)") }
            defer { next += 1 }
            return inputs[next]
        }
        let a = try take(), b = try take()
        if update {
            let scale = try take()
            try MatmulKernel.run(a, b, into: out, alpha: -scale.firstValueAsDouble(), beta: 1)
            return
        }
        if bias {
            try Kernels.copy(from: try take(), into: out)
            try MatmulKernel.run(a, b, into: out, beta: 1)
        } else {
            try MatmulKernel.run(a, b, into: out)
        }
        if let epilogue { try epilogue.run([out] + inputs[next...], [out]) }
    }
}

extension Tensor {
    /// Element 0 of a float tensor, read directly (kernels run outside the dispatcher).
    func firstValueAsDouble() throws -> Double {
        guard count >= 1, !isSymbolic else { throw TensorError.value("expected a tensor with at least one element") }
        switch dtype {
        case .float32: return Double(pointer(Float.self)[0])
        case .float64: return pointer(Double.self)[0]
        default: throw TensorError.dtype("expected a float scale, got \(dtype)")
        }
    }
}
