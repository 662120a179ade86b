import DuetTensor

/// Activation layers with settings, each wrapping its tensor function.
public final class LeakyReLU: Module {
    public let negativeSlope: Double
    public init(negativeSlope: Double = 0.01) { self.negativeSlope = negativeSlope }
    public override func forward(_ input: Tensor) throws -> Tensor { try input.leakyRelu(negativeSlope: negativeSlope) }
    public override var extraDescription: String { "negative_slope=\(negativeSlope)" }
}

public final class ELU: Module {
    public let alpha: Double
    public init(alpha: Double = 1) { self.alpha = alpha }
    public override func forward(_ input: Tensor) throws -> Tensor { try input.elu(alpha: alpha) }
    public override var extraDescription: String { "alpha=\(alpha)" }
}

public final class SELU: Module {
    public override func forward(_ input: Tensor) throws -> Tensor { try input.selu() }
}

public final class Mish: Module {
    public override func forward(_ input: Tensor) throws -> Tensor { try input.mish() }
}

public final class Hardtanh: Module {
    public let minVal: Double
    public let maxVal: Double
    public init(minVal: Double = -1, maxVal: Double = 1) throws {
        guard maxVal > minVal else { throw TensorError.value("Hardtanh: max_val must be greater than min_val, got \(minVal) and \(maxVal)") }
        self.minVal = minVal
        self.maxVal = maxVal
    }
    public override func forward(_ input: Tensor) throws -> Tensor { try input.hardtanh(minVal: minVal, maxVal: maxVal) }
    public override var extraDescription: String { "min_val=\(minVal), max_val=\(maxVal)" }
}

public final class Softplus: Module {
    public let beta: Double
    public let threshold: Double
    public init(beta: Double = 1, threshold: Double = 20) {
        self.beta = beta
        self.threshold = threshold
    }
    public override func forward(_ input: Tensor) throws -> Tensor { try input.softplus(beta: beta, threshold: threshold) }
    public override var extraDescription: String { "beta=\(beta), threshold=\(threshold)" }
}

/// Channel-wise dropout (Dropout1d over [N, C, L], Dropout2d over [N, C, H, W]) and alpha dropout.
public final class FeatureDropout: Module {
    public enum Kind: String, Sendable { case dropout1d = "Dropout1d", dropout2d = "Dropout2d", alphaDropout = "AlphaDropout" }
    public let kind: Kind
    public let p: Double
    public init(_ kind: Kind, p: Double = 0.5) throws {
        guard (0...1).contains(p) else { throw TensorError.value("dropout probability has to be between 0 and 1, but got \(p)") }
        self.kind = kind
        self.p = p
    }
    public override var typeName: String { kind.rawValue }
    public override func forward(_ input: Tensor) throws -> Tensor {
        switch kind {
        case .dropout1d: try input.dropout(p: p, training: isTraining, maskShape: try input.channelMaskShape("dropout1d", ranks: [2, 3], unbatchedRank: 2))
        case .dropout2d: try input.dropout(p: p, training: isTraining, maskShape: try input.channelMaskShape("dropout2d", ranks: [3, 4], unbatchedRank: 0))
        case .alphaDropout: try input.alphaDropout(p: p, training: isTraining)
        }
    }
    public override var extraDescription: String { "p=\(p), inplace=False" }
}
