import DuetTensor

/// Cuts every group's rate by `factor` when a metric has not improved for `patience` epochs
/// (torch.optim.lr_scheduler.ReduceLROnPlateau); `step(metric)` is called once per epoch.
public final class ReduceLROnPlateau {
    public enum Mode: String { case min, max }
    public enum ThresholdMode: String { case rel, abs }

    public let optimizer: Optimizer
    public let mode: Mode, thresholdMode: ThresholdMode
    public let factor: Double, threshold: Double, eps: Double
    public let patience: Int, cooldown: Int
    public let minLRs: [Double]
    public private(set) var best: Double
    public private(set) var badEpochs = 0
    public private(set) var cooldownCounter = 0
    public private(set) var lastEpoch = 0
    public private(set) var lastLRs: [Double]

    public init(_ optimizer: Optimizer, mode: Mode = .min, factor: Double = 0.1, patience: Int = 10, threshold: Double = 1e-4,
                thresholdMode: ThresholdMode = .rel, cooldown: Int = 0, minLRs: [Double] = [0], eps: Double = 1e-8) throws {
        guard factor < 1 else { throw TensorError.value("Factor should be < 1.0.") }
        let n = optimizer.groups.count
        guard minLRs.count == 1 || minLRs.count == n else { throw TensorError.value("expected \(n) min_lrs, got \(minLRs.count)") }
        self.optimizer = optimizer
        self.mode = mode
        self.thresholdMode = thresholdMode
        self.factor = factor
        self.threshold = threshold
        self.eps = eps
        self.patience = patience
        self.cooldown = cooldown
        self.minLRs = minLRs.count == 1 ? Array(repeating: minLRs[0], count: n) : minLRs
        best = mode == .min ? .infinity : -.infinity
        lastLRs = try optimizer.groups.map { try $0.learningRate }
    }

    func isBetter(_ a: Double) -> Bool {
        switch (mode, thresholdMode) {
        case (.min, .rel): a < best * (1 - threshold)
        case (.min, .abs): a < best - threshold
        case (.max, .rel): a > best * (threshold + 1)
        case (.max, .abs): a > best + threshold
        }
    }

    public func step(_ metric: Double) throws {
        lastEpoch += 1
        if isBetter(metric) {
            best = metric
            badEpochs = 0
        } else {
            badEpochs += 1
        }
        if cooldownCounter > 0 {
            cooldownCounter -= 1
            badEpochs = 0
        }
        if badEpochs > patience {
            for (i, g) in optimizer.groups.enumerated() {
                let old = try g.learningRate
                let new = Swift.max(old * factor, minLRs[i])
                if old - new > eps { try g.setLearningRate(new) }
            }
            cooldownCounter = cooldown
            badEpochs = 0
        }
        lastLRs = try optimizer.groups.map { try $0.learningRate }
    }
}
