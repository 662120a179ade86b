import DuetTensor

/// What a compiled function's plan depends on: each tensor argument's shape, dtype and whether it
/// requires grad, plus the non-tensor arguments' values. A call with a new signature retraces.
public struct Signature: Hashable, Sendable {
    public struct TensorArg: Hashable, Sendable {
        public let shape: [Int]
        public let dtype: DType
        public let requiresGrad: Bool
    }
    public let tensors: [TensorArg]
    /// Non-tensor arguments, as their printed values.
    public let statics: [String]

    public init(_ tensors: [Tensor], statics: [String]) {
        self.tensors = tensors.map { TensorArg(shape: $0.shape, dtype: $0.dtype, requiresGrad: $0.requiresGrad) }
        self.statics = statics
    }

    /// Why `self` needs a new trace when `old` was traced: the first difference, in the words a
    /// user needs ("argument 1 shape [64,784] → [32,784]"). Arguments count from 1.
    public func difference(from old: Signature) -> String {
        if tensors.count != old.tensors.count {
            return "tensor argument count \(old.tensors.count) → \(tensors.count)"
        }
        for (i, (a, b)) in zip(old.tensors, tensors).enumerated() {
            if a.shape != b.shape { return "argument \(i + 1) shape \(shapeString(a.shape)) → \(shapeString(b.shape))" }
            if a.dtype != b.dtype { return "argument \(i + 1) dtype \(a.dtype) → \(b.dtype)" }
            if a.requiresGrad != b.requiresGrad { return "argument \(i + 1) requires_grad \(a.requiresGrad) → \(b.requiresGrad)" }
        }
        if statics.count != old.statics.count {
            return "non-tensor argument count \(old.statics.count) → \(statics.count)"
        }
        for (i, (a, b)) in zip(old.statics, statics).enumerated() where a != b {
            return "non-tensor argument \(i + 1) value \(a) → \(b)"
        }
        return "the signature changed"
    }
}
