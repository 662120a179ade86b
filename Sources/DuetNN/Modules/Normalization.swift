import DuetTensor

/// Normalizes over the trailing dims, with a learned scale and shift unless elementwise_affine is
/// off (and no shift when bias is off).
public final class LayerNorm: Module {
    public let normalizedShape: [Int]
    public let eps: Double
    public let weight: Tensor?
    public let bias: Tensor?

    public init(_ normalizedShape: [Int], eps: Double = 1e-5, elementwiseAffine: Bool = true, bias: Bool = true) throws {
        self.normalizedShape = normalizedShape
        self.eps = eps
        weight = elementwiseAffine ? try Tensor.ones(normalizedShape) : nil
        self.bias = elementwiseAffine && bias ? try Tensor.zeros(normalizedShape) : nil
        super.init()
        if let weight { try registerParameter("weight", weight) }
        if let b = self.bias { try registerParameter("bias", b) }
    }

    public override func forward(_ input: Tensor) throws -> Tensor {
        try input.layerNorm(normalizedShape, weight: weight, bias: bias, eps: eps)
    }

    public override var extraDescription: String {
        "(" + normalizedShape.map(String.init).joined(separator: ", ") + (normalizedShape.count == 1 ? ",)" : ")")
            + ", eps=\(eps), elementwise_affine=\(weight != nil ? "True" : "False"), bias=\(bias != nil ? "True" : "False")"
    }
}

/// Batch normalization over the channel dim (1) of [N, C] or [N, C, L] (BatchNorm1d) and
/// [N, C, H, W] (BatchNorm2d), as PyTorch's: training uses batch statistics and (when tracking)
/// updates the running ones and counts the batches with in-place registry ops, so a traced step
/// updates them too; eval uses the running statistics when there are any. A nil momentum is a
/// cumulative average (factor 1 / batches seen).
public class BatchNorm: Module {
    public let numFeatures: Int
    public let eps: Double
    public let momentum: Double?
    public let weight: Tensor?
    public let bias: Tensor?
    public let runningMean: Tensor?
    public let runningVar: Tensor?
    public let numBatchesTracked: Tensor?
    let ranks: [Int]

    init(_ numFeatures: Int, eps: Double, momentum: Double?, affine: Bool, bias: Bool, trackRunningStats: Bool, ranks: [Int]) throws {
        self.numFeatures = numFeatures
        self.eps = eps
        self.momentum = momentum
        self.ranks = ranks
        weight = affine ? try Tensor.ones([numFeatures]) : nil
        self.bias = affine && bias ? try Tensor.zeros([numFeatures]) : nil
        runningMean = trackRunningStats ? try Tensor.zeros([numFeatures]) : nil
        runningVar = trackRunningStats ? try Tensor.ones([numFeatures]) : nil
        numBatchesTracked = trackRunningStats ? try Tensor.zeros([], dtype: .int64) : nil
        super.init()
        if let weight { try registerParameter("weight", weight) }
        if let b = self.bias { try registerParameter("bias", b) }
        if let runningMean, let runningVar, let numBatchesTracked {
            registerBuffer("running_mean", runningMean)
            registerBuffer("running_var", runningVar)
            registerBuffer("num_batches_tracked", numBatchesTracked)
        }
    }

    public override func forward(_ input: Tensor) throws -> Tensor {
        guard ranks.contains(input.rank), input.shape[1] == numFeatures else {
            throw TensorError.shape("\(typeName)(\(numFeatures)): expected input of rank \(ranks.map(String.init).joined(separator: " or ")) with \(numFeatures) channels in dim 1, got \(input.shape)")
        }
        let dims = [0] + Array(2..<input.rank)
        var stat = [Int](repeating: 1, count: input.rank)
        stat[1] = numFeatures
        let mean: Tensor, variance: Tensor
        if let runningMean, let runningVar, !isTraining {
            mean = try runningMean.reshape(stat)
            variance = try runningVar.reshape(stat)
        } else {
            let n = input.count / numFeatures
            if isTraining, n <= 1 {
                throw TensorError.value("Expected more than 1 value per channel when training, got input size torch.Size([\(input.shape.map(String.init).joined(separator: ", "))])")
            }
            mean = try input.mean(dims: dims, keepdim: true)
            variance = try input.variance(dims: dims, correction: 0, keepdim: true)
            if isTraining, let runningMean, let runningVar, let numBatchesTracked {
                try withNoGrad {
                    try numBatchesTracked.add_(Tensor.scalar(1))
                    let factor = try momentum.map { Tensor.scalar($0) } ?? (1 / numBatchesTracked.to(runningMean.dtype))
                    let unbiased = try variance.reshape([numFeatures]) * (Double(n) / Double(n - 1))
                    try runningMean.mul_(1 - factor).add_(mean.reshape([numFeatures]) * factor)
                    try runningVar.mul_(1 - factor).add_(unbiased * factor)
                }
            }
        }
        let normalized = try (input - mean) * (variance + eps).rsqrt()
        let scaled = try weight.map { try normalized * $0.reshape(stat) } ?? normalized
        return try bias.map { try scaled + $0.reshape(stat) } ?? scaled
    }

    public override var extraDescription: String {
        "\(numFeatures), eps=\(eps), momentum=\(momentum.map { "\($0)" } ?? "None"), affine=\(weight != nil ? "True" : "False"), bias=\(bias != nil ? "True" : "False"), track_running_stats=\(runningMean != nil ? "True" : "False")"
    }
}

public final class BatchNorm1d: BatchNorm {
    public init(_ numFeatures: Int, eps: Double = 1e-5, momentum: Double? = 0.1, affine: Bool = true, bias: Bool = true, trackRunningStats: Bool = true) throws {
        try super.init(numFeatures, eps: eps, momentum: momentum, affine: affine, bias: bias, trackRunningStats: trackRunningStats, ranks: [2, 3])
    }
}

public final class BatchNorm2d: BatchNorm {
    public init(_ numFeatures: Int, eps: Double = 1e-5, momentum: Double? = 0.1, affine: Bool = true, bias: Bool = true, trackRunningStats: Bool = true) throws {
        try super.init(numFeatures, eps: eps, momentum: momentum, affine: affine, bias: bias, trackRunningStats: trackRunningStats, ranks: [4])
    }
}
