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
