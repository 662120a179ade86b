import DuetTensor

/// PyTorch's default initialisations, drawn from the engine's seeded generator.
public enum Init {
    /// U(-1/√fan_in, 1/√fan_in): what `kaiming_uniform_(a=√5)` gives for Linear and Conv weights,
    /// and what PyTorch uses for their biases.
    public static func fanInUniform(_ shape: [Int], fanIn: Int) throws -> Tensor {
        let bound = fanIn > 0 ? 1 / Double(fanIn).squareRoot() : 0
        return try Tensor.rand(shape, low: -bound, high: bound)
    }
}
