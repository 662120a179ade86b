/// How to fill one input of a sample call: random values in a range (chosen so the op is smooth
/// there, e.g. positive for log), random integers, random bools, or exact values.
public enum SampleValues: Sendable {
    case uniform(Double, Double)
    case integers(Int, Int)
    case bools
    case exactly([Double])
}

public struct SampleInput: Sendable {
    public let shape: [Int]
    public let values: SampleValues
    /// Non-float inputs (indices, masks) keep their dtype in every test variant.
    public var isFloat: Bool {
        if case .uniform = values { return true }
        return false
    }
    public init(_ shape: [Int], _ values: SampleValues = .uniform(-2, 2)) {
        self.shape = shape
        self.values = values
    }
}

/// A representative call of an entry: the registry-wide tests run every entry on its samples
/// (forward against the reference, backward against finite differences), so declaring an op's
/// samples is part of declaring the op.
public struct OpSample: Sendable {
    public let inputs: [SampleInput]
    public let attrs: Attrs
    public init(_ inputs: [SampleInput], _ attrs: [AttrValue] = []) {
        self.inputs = inputs
        self.attrs = Attrs(attrs)
    }

    /// Same-shape, broadcast, 0-dim-operand and zero-size cases for an elementwise op, one value
    /// range per input.
    static func elementwise(_ values: [SampleValues]) -> [OpSample] {
        let shapes: [[[Int]]] = values.count == 1
            ? [[[3, 4]], [[2, 3, 5]], [[]], [[0, 3]]]
            : [[[3, 4], [3, 4]], [[2, 3, 4], [3, 1]], [[4, 1], [1, 5]], [[3, 4], []], [[0, 3], [3]], [[2, 1], [2, 0]]]
        return shapes.map { OpSample(zip($0, values).map { SampleInput($0, $1) }) }
    }
}
