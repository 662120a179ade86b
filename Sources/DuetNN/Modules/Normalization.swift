import DuetTensor

/// Normalizes over the trailing dims with a learned scale and shift.
public final class LayerNorm: Module {
    public let normalizedShape: [Int]
    public let eps: Double
    public let weight: Tensor
    public let bias: Tensor

    public init(_ normalizedShape: [Int], eps: Double = 1e-5) throws {
        self.normalizedShape = normalizedShape
        self.eps = eps
        weight = try Tensor.ones(normalizedShape)
        bias = try Tensor.zeros(normalizedShape)
        super.init()
        try registerParameter("weight", weight)
        try registerParameter("bias", bias)
    }

    public override func forward(_ input: Tensor) throws -> Tensor {
        try input.layerNorm(normalizedShape, weight: weight, bias: bias, eps: eps)
    }

    public override var extraDescription: String {
        "(" + normalizedShape.map(String.init).joined(separator: ", ") + (normalizedShape.count == 1 ? ",)" : ")") + ", eps=\(eps), elementwise_affine=True"
    }
}

/// Batch normalization over the channel dim (1) of [N, C] or [N, C, L] (BatchNorm1d) and
/// [N, C, H, W] (BatchNorm2d). Training uses batch statistics and updates the running ones with
/// in-place registry ops (so a traced step updates them too); eval uses the running statistics.
public class BatchNorm: Module {
    public let numFeatures: Int
    public let eps: Double
    public let momentum: Double
    public let weight: Tensor
    public let bias: Tensor
    public let runningMean: Tensor
    public let runningVar: Tensor
    let ranks: [Int]

    init(_ numFeatures: Int, eps: Double, momentum: Double, ranks: [Int]) throws {
        self.numFeatures = numFeatures
        self.eps = eps
        self.momentum = momentum
        self.ranks = ranks
        weight = try Tensor.ones([numFeatures])
        bias = try Tensor.zeros([numFeatures])
        runningMean = try Tensor.zeros([numFeatures])
        runningVar = try Tensor.ones([numFeatures])
        super.init()
        try registerParameter("weight", weight)
        try registerParameter("bias", bias)
        registerBuffer("running_mean", runningMean)
        registerBuffer("running_var", runningVar)
    }

    public override func forward(_ input: Tensor) throws -> Tensor {
        guard ranks.contains(input.rank), input.shape[1] == numFeatures else {
            throw TensorError.shape("\(typeName)(\(numFeatures)): expected input of rank \(ranks.map(String.init).joined(separator: " or ")) with \(numFeatures) channels in dim 1, got \(input.shape)")
        }
        let dims = [0] + Array(2..<input.rank)
        var stat = [Int](repeating: 1, count: input.rank)
        stat[1] = numFeatures
        let mean: Tensor, variance: Tensor
        if isTraining {
            mean = try input.mean(dims: dims, keepdim: true)
            variance = try input.variance(dims: dims, correction: 0, keepdim: true)
            let n = input.count / numFeatures
            try withNoGrad {
                let unbiased = try variance.reshape([numFeatures]) * (Double(n) / Double(max(n - 1, 1)))
                try runningMean.mul_(1 - momentum).add_(mean.reshape([numFeatures]) * momentum)
                try runningVar.mul_(1 - momentum).add_(unbiased * momentum)
            }
        } else {
            mean = try runningMean.reshape(stat)
            variance = try runningVar.reshape(stat)
        }
        let normalized = try (input - mean) * (variance + eps).rsqrt()
        return try normalized * weight.reshape(stat) + bias.reshape(stat)
    }

    public override var extraDescription: String { "\(numFeatures), eps=\(eps), momentum=\(momentum), affine=True, track_running_stats=True" }
}

public final class BatchNorm1d: BatchNorm {
    public init(_ numFeatures: Int, eps: Double = 1e-5, momentum: Double = 0.1) throws {
        try super.init(numFeatures, eps: eps, momentum: momentum, ranks: [2, 3])
    }
}

public final class BatchNorm2d: BatchNorm {
    public init(_ numFeatures: Int, eps: Double = 1e-5, momentum: Double = 0.1) throws {
        try super.init(numFeatures, eps: eps, momentum: momentum, ranks: [4])
    }
}
