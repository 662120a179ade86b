import DuetGraph
import DuetNN
import DuetTensor

/// Largest absolute difference between two tensors' values (infinity when shapes differ).
func maxAbsDifference(_ a: Tensor, _ b: Tensor) throws -> Double {
    guard a.shape == b.shape else { return .infinity }
    return zip(try a.toDoubles(), try b.toDoubles()).reduce(0) { max($0, abs($1.0 - $1.1)) }
}

/// Tensors with random values of the given shapes (float64 unless stated).
func randomInputs(_ shapes: [[Int]], dtype: DType = .float64) throws -> [Tensor] {
    try shapes.map { try Tensor.randn($0, dtype: dtype) }
}

/// A whole training step compiled: zero_grad, cross-entropy of `model(x)` against `y`, backward
/// and the optimizer's update; returns the loss.
func compiledTrainingStep(_ model: Module, _ opt: Optimizer, name: String = "step") -> CompiledFunction<[Tensor]> {
    compile(name) { xs in
        try opt.zeroGrad()
        let loss = try Loss.crossEntropy(model(xs[0]), xs[1])
        try loss.backward()
        try opt.step()
        return [loss]
    }
}
