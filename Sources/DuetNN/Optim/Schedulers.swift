import Foundation
import DuetTensor

/// Learning-rate schedules: each `step()` (once per epoch or iteration, as you call it) writes the
/// new rate of every parameter group into the optimizer. Rates are closed forms of the epoch
/// and the groups' initial rates (PyTorch's `initial_lr`, set on the groups by the first
/// scheduler), so two schedulers on one optimizer do not compound: chain them with SequentialLR.
open class LRScheduler {
    public let optimizer: Optimizer
    /// Each group's initial rate.
    public let baseLRs: [Double]
    public private(set) var lastEpoch = 0
    /// The rates the last step wrote (get_last_lr()).
    public private(set) var lastLRs: [Double]

    public init(_ optimizer: Optimizer) throws {
        self.optimizer = optimizer
        for g in optimizer.groups where try g.store.option("initial_lr") == nil {
            try g.store.setOption("initial_lr", .double(try g.learningRate))
        }
        baseLRs = try optimizer.groups.map { try $0.double("initial_lr") }
        lastLRs = baseLRs
    }

    /// The first base rate (for one-group optimizers).
    public var baseLR: Double { baseLRs[0] }

    /// The rate of group `group` at a given epoch count.
    open func rate(_ group: Int, at epoch: Int) throws -> Double { baseLRs[group] }

    /// PyTorch's initial step: subclasses call it at the end of their init, writing epoch 0's rates.
    func start() throws { try apply(epoch: 0) }

    /// Continues a schedule restored from a checkpoint: the optimizer's lr was restored with it.
    public func resume(atEpoch epoch: Int) { lastEpoch = epoch }

    public func step() throws { try apply(epoch: lastEpoch + 1) }

    /// Moves to `epoch` and writes its rates.
    func apply(epoch: Int) throws {
        lastEpoch = epoch
        lastLRs = try optimizer.groups.indices.map { try rate($0, at: epoch) }
        for (g, value) in zip(optimizer.groups, lastLRs) { try g.setLearningRate(value) }
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
        try super.init(optimizer)
        try start()
    }
    public override func rate(_ group: Int, at epoch: Int) -> Double { baseLRs[group] * Foundation.pow(gamma, Double(epoch / stepSize)) }
}

/// lr × gamma at each milestone passed.
public final class MultiStepLR: LRScheduler {
    public let milestones: [Int]
    public let gamma: Double
    public init(_ optimizer: Optimizer, milestones: [Int], gamma: Double = 0.1) throws {
        self.milestones = milestones.sorted()
        self.gamma = gamma
        try super.init(optimizer)
        try start()
    }
    public override func rate(_ group: Int, at epoch: Int) -> Double {
        baseLRs[group] * Foundation.pow(gamma, Double(milestones.filter { $0 <= epoch }.count))
    }
}

/// lr × gamma every epoch.
public final class ExponentialLR: LRScheduler {
    public let gamma: Double
    public init(_ optimizer: Optimizer, gamma: Double) throws {
        self.gamma = gamma
        try super.init(optimizer)
        try start()
    }
    public override func rate(_ group: Int, at epoch: Int) -> Double { baseLRs[group] * Foundation.pow(gamma, Double(epoch)) }
}

/// lr × a function of the epoch, one function for all groups or one per group.
public final class LambdaLR: LRScheduler {
    public let lambdas: [(Int) throws -> Double]
    public init(_ optimizer: Optimizer, lambdas: [(Int) throws -> Double]) throws {
        guard lambdas.count == 1 || lambdas.count == optimizer.groups.count else {
            throw TensorError.value("Expected \(optimizer.groups.count) lr_lambdas, but got \(lambdas.count)")
        }
        self.lambdas = lambdas
        try super.init(optimizer)
        try start()
    }
    public override func rate(_ group: Int, at epoch: Int) throws -> Double {
        baseLRs[group] * (try lambdas[lambdas.count == 1 ? 0 : group](epoch))
    }
}

/// The factor moves linearly from `startFactor` to `endFactor` over `totalIters` epochs, then stays.
public final class LinearLR: LRScheduler {
    public let startFactor: Double, endFactor: Double
    public let totalIters: Int
    public init(_ optimizer: Optimizer, startFactor: Double = 1.0 / 3, endFactor: Double = 1, totalIters: Int = 5) throws {
        guard startFactor > 0, startFactor <= 1 else {
            throw TensorError.value("Starting multiplicative factor expected to be greater than 0 and less or equal to 1.")
        }
        guard endFactor >= 0, endFactor <= 1 else { throw TensorError.value("Ending multiplicative factor expected to be between 0 and 1.") }
        self.startFactor = startFactor
        self.endFactor = endFactor
        self.totalIters = totalIters
        try super.init(optimizer)
        try start()
    }
    public override func rate(_ group: Int, at epoch: Int) -> Double {
        let t = totalIters > 0 ? Double(min(epoch, totalIters)) / Double(totalIters) : 1
        return baseLRs[group] * (startFactor + (endFactor - startFactor) * t)
    }
}

/// Half a cosine from the base rate down to `etaMin` over `tMax` epochs.
public final class CosineAnnealingLR: LRScheduler {
    public let tMax: Int
    public let etaMin: Double
    public init(_ optimizer: Optimizer, tMax: Int, etaMin: Double = 0) throws {
        guard tMax > 0 else { throw TensorError.value("CosineAnnealingLR: T_max must be positive, got \(tMax)") }
        self.tMax = tMax
        self.etaMin = etaMin
        try super.init(optimizer)
        try start()
    }
    /// PyTorch's closed form: past T_max the cosine goes on (back up to lr at 2·T_max), it does not stop at eta_min.
    public override func rate(_ group: Int, at epoch: Int) -> Double {
        etaMin + (baseLRs[group] - etaMin) * (1 + Foundation.cos(Double.pi * Double(epoch) / Double(tMax))) / 2
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
        try super.init(optimizer)
        try start()
    }
    public override func rate(_ group: Int, at epoch: Int) -> Double {
        let t = Double(min(epoch, warmupSteps)) / Double(warmupSteps)
        return baseLRs[group] * (startFactor + (1 - startFactor) * t)
    }
}
