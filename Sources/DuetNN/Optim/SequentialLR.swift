import DuetTensor

/// Runs `schedulers` one after another: the i-th from milestone i-1 on, restarted at its epoch 0
/// there (torch.optim.lr_scheduler.SequentialLR).
public final class SequentialLR: LRScheduler {
    public let schedulers: [LRScheduler]
    public let milestones: [Int]

    public init(_ optimizer: Optimizer, schedulers: [LRScheduler], milestones: [Int]) throws {
        guard !schedulers.isEmpty else { throw TensorError.value("SequentialLR expects at least one scheduler") }
        guard schedulers.allSatisfy({ $0.optimizer === optimizer }) else {
            throw TensorError.value("SequentialLR expects all schedulers to belong to the same optimizer")
        }
        guard milestones.count == schedulers.count - 1 else {
            throw TensorError.value("Sequential Schedulers expects number of schedulers provided to be one more than the number of milestone points, but got number of schedulers \(schedulers.count) and the number of milestones to be equal to \(milestones.count)")
        }
        self.schedulers = schedulers
        self.milestones = milestones
        try super.init(optimizer)
        try start()
    }

    /// The scheduler in charge at `epoch`, and its own epoch count.
    private func current(at epoch: Int) -> (LRScheduler, Int) {
        let i = milestones.filter { $0 <= epoch }.count
        return (schedulers[i], i == 0 ? epoch : epoch - milestones[i - 1])
    }

    public override func rate(_ group: Int, at epoch: Int) throws -> Double {
        let (scheduler, local) = current(at: epoch)
        return try scheduler.rate(group, at: local)
    }
}
