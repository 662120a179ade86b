import DuetTensor

/// Parameter-free layers that wrap one tensor function.
public final class ReLU: Module {
    public override func forward(_ input: Tensor) throws -> Tensor { try input.relu() }
}

public final class GELU: Module {
    public let approximate: Bool
    public init(approximate: Bool = false) { self.approximate = approximate }
    public override func forward(_ input: Tensor) throws -> Tensor { try input.gelu(approximate: approximate) }
    public override var extraDescription: String { approximate ? "approximate='tanh'" : "approximate='none'" }
}

public final class SiLU: Module {
    public override func forward(_ input: Tensor) throws -> Tensor { try input.silu() }
}

public final class Tanh: Module {
    public override func forward(_ input: Tensor) throws -> Tensor { try input.tanh() }
}

public final class Sigmoid: Module {
    public override func forward(_ input: Tensor) throws -> Tensor { try input.sigmoid() }
}

public final class Flatten: Module {
    public let startDim: Int
    public let endDim: Int
    public init(startDim: Int = 1, endDim: Int = -1) {
        self.startDim = startDim
        self.endDim = endDim
    }
    public override func forward(_ input: Tensor) throws -> Tensor { try input.flatten(startDim: startDim, endDim: endDim) }
    public override var extraDescription: String { "start_dim=\(startDim), end_dim=\(endDim)" }
}

/// Zeroes each element with probability p while training and scales the rest by 1/(1-p).
public final class Dropout: Module {
    public let p: Double
    public init(_ p: Double = 0.5) throws {
        guard (0...1).contains(p) else { throw TensorError.value("Dropout: p must be in [0, 1], got \(p)") }
        self.p = p
    }
    public override func forward(_ input: Tensor) throws -> Tensor { try input.dropout(p: p, training: isTraining) }
    public override var extraDescription: String { "p=\(p)" }
}
