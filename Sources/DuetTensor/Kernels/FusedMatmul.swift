/// A matmul with work folded into it (GEMM epilogue fusion, graph mode): the bias is written
/// into the output before the GEMM accumulates onto it, and an SGD update `p -= lr · (a @ b)` is
/// the GEMM itself accumulating into `p`. No intermediate gets a buffer of its own.
///
/// Inputs, in order: the accumulation target (with `update`), `a`, `b`, then the bias (with
/// `bias`) or the scale (with `update`).
public struct FusedMatmul: Sendable {
    /// Add a row vector over the output's last dim.
    public let bias: Bool
    /// Accumulate `−scale · (a @ b)` into the target instead of writing a fresh result.
    public let update: Bool

    public init(bias: Bool, update: Bool) throws {
        if update && bias { throw TensorError.value("fused matmul: an update accumulates into its target; it takes no bias") }
        self.bias = bias
        self.update = update
    }

    public func run(_ inputs: [Tensor], _ outputs: [Tensor]) throws {
        guard let out = outputs.first, out.isContiguous, out.dtype == .float32 || out.dtype == .float64,
              inputs.count == 2 + (bias ? 1 : 0) + (update ? 2 : 0) else {
            throw TensorError.value("fused matmul: needs its operands and one contiguous float32 or float64 output")
        }
        if update {
            try MatmulKernel.run(inputs[1], inputs[2], into: out, alpha: -inputs[3].firstValueAsDouble(), beta: 1)
        } else if bias {
            try Kernels.copy(from: inputs[2], into: out)
            try MatmulKernel.run(inputs[0], inputs[1], into: out, beta: 1)
        } else {
            try MatmulKernel.run(inputs[0], inputs[1], into: out)
        }
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
