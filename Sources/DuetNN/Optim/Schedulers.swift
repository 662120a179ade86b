import Foundation
import DuetTensor

/// Learning-rate schedules: each `step()` (once per epoch or iteration, as you call it) writes the
/// new rate into the optimizer's lr tensor in place.
open class LRScheduler {
    public let optimizer: Optimizer
    public let baseLR: Double
    public private(set) var lastEpoch = 0

    public init(_ optimizer: Optimizer) {
        self.optimizer = optimizer
        baseLR = optimizer.learningRate
    }

    /// The rate for a given epoch count.
    open func rate(at epoch: Int) -> Double { baseLR }

    /// Continues a schedule restored from a checkpoint: the optimizer's lr was restored with it.
    public func resume(atEpoch epoch: Int) { lastEpoch = epoch }

    public func step() throws {
        lastEpoch += 1
        try optimizer.setLearningRate(rate(at: lastEpoch))
    }
}

/// lr × gamma every `stepSize` epochs.
public final class StepLR: LRScheduler {
    public let stepSize: Int
    public let gamma: Double
    public init(_ optimizer: Optimizer, stepSize: Int, gamma: Double = 0.1) throws {
        guard stepSize > 0 else { throw TensorError.value("StepLR: step_size must be positive, got \(stepSize)") }
        self.stepSize = stepSize
        self.gamma = gamma
        super.init(optimizer)
    }
    public override func rate(at epoch: Int) -> Double { baseLR * Foundation.pow(gamma, Double(epoch / stepSize)) }
}

/// Half a cosine from the base rate down to `etaMin` over `tMax` epochs.
public final class CosineAnnealingLR: LRScheduler {
    public let tMax: Int
    public let etaMin: Double
    public init(_ optimizer: Optimizer, tMax: Int, etaMin: Double = 0) throws {
        guard tMax > 0 else { throw TensorError.value("CosineAnnealingLR: T_max must be positive, got \(tMax)") }
        self.tMax = tMax
        self.etaMin = etaMin
        super.init(optimizer)
    }
    /// PyTorch's closed form: past T_max the cosine goes on (back up to lr at 2·T_max), it does not stop at eta_min.
    public override func rate(at epoch: Int) -> Double {
        etaMin + (baseLR - etaMin) * (1 + Foundation.cos(Double.pi * Double(epoch) / Double(tMax))) / 2
    }
}

/// Linear warm-up from `startFactor` × lr to lr over `warmupSteps` steps, then constant.
public final class LinearWarmup: LRScheduler {
    public let warmupSteps: Int
    public let startFactor: Double
    public init(_ optimizer: Optimizer, warmupSteps: Int, startFactor: Double = 0.1) throws {
        guard warmupSteps > 0, startFactor > 0, startFactor <= 1 else {
            throw TensorError.value("LinearWarmup: warmup steps must be positive and start_factor in (0, 1]")
        }
        self.warmupSteps = warmupSteps
        self.startFactor = startFactor
        super.init(optimizer)
        try optimizer.setLearningRate(baseLR * startFactor)
    }
    public override func rate(at epoch: Int) -> Double {
        let t = Double(min(epoch, warmupSteps)) / Double(warmupSteps)
        return baseLR * (startFactor + (1 - startFactor) * t)
    }
}

/// Scales all gradients so their joint L2 norm is at most `maxNorm`; returns the norm before
/// clipping (torch.nn.utils.clip_grad_norm_). Written in registry ops so it traces.
@discardableResult
public func clipGradNorm(_ params: [Tensor], maxNorm: Double) throws -> Tensor {
    let grads = params.compactMap(\.grad)
    guard let first = grads.first else { return try Tensor.zeros([]) }
    return try withNoGrad {
        var total = try (first * first).sum()
        for g in grads.dropFirst() { total = try total + (g * g).sum() }
        let norm = try total.sqrt()
        let coefficient = try (Tensor.scalar(maxNorm) / (norm + 1e-6)).clamp(max: 1)
        for g in grads { try g.mul_(coefficient) }
        return norm
    }
}
