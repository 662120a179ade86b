import Foundation
import DuetTensor

/// The 1cycle policy (torch.optim.lr_scheduler.OneCycleLR): the rate climbs from
/// max_lr/div_factor to max_lr over the first pct_start of the steps, then anneals to
/// initial/final_div_factor (with `threePhase`, back to the initial rate first). Momentum
/// (or Adam's beta1) cycles the other way between max_momentum and base_momentum.
public final class OneCycleLR: LRScheduler {
    public enum Anneal: String { case cos, linear }
    /// A phase ends at `end` (a step number); rates and momenta are indices into `levels`.
    struct Phase { let end: Double; let from: Level; let to: Level; let momentumFrom: Level; let momentumTo: Level }
    enum Level { case initial, max, min, baseMomentum, maxMomentum }

    public let totalSteps: Int
    public let anneal: Anneal
    let phases: [Phase]
    let maxLRs: [Double]
    let divFactor: Double, finalDivFactor: Double
    let momentum: (base: [Double], max: [Double])?

    public init(_ optimizer: Optimizer, maxLR: [Double], totalSteps: Int, pctStart: Double = 0.3, anneal: Anneal = .cos,
                cycleMomentum: Bool = true, baseMomentum: [Double] = [0.85], maxMomentum: [Double] = [0.95],
                divFactor: Double = 25, finalDivFactor: Double = 1e4, threePhase: Bool = false) throws {
        let n = optimizer.groups.count
        func perGroup(_ values: [Double], _ name: String) throws -> [Double] {
            if values.count == 1 { return Array(repeating: values[0], count: n) }
            guard values.count == n else { throw TensorError.value("expected \(n) values for \(name), got \(values.count)") }
            return values
        }
        guard totalSteps > 0 else { throw TensorError.value("Expected positive integer total_steps, but got \(totalSteps)") }
        guard (0...1).contains(pctStart) else { throw TensorError.value("Expected float between 0 and 1 pct_start, but got \(pctStart)") }
        self.totalSteps = totalSteps
        self.anneal = anneal
        self.divFactor = divFactor
        self.finalDivFactor = finalDivFactor
        self.maxLRs = try perGroup(maxLR, "max_lr")
        let total = Double(totalSteps)
        if threePhase {
            phases = [Phase(end: pctStart * total - 1, from: .initial, to: .max, momentumFrom: .maxMomentum, momentumTo: .baseMomentum),
                      Phase(end: 2 * pctStart * total - 2, from: .max, to: .initial, momentumFrom: .baseMomentum, momentumTo: .maxMomentum),
                      Phase(end: total - 1, from: .initial, to: .min, momentumFrom: .maxMomentum, momentumTo: .maxMomentum)]
        } else {
            phases = [Phase(end: pctStart * total - 1, from: .initial, to: .max, momentumFrom: .maxMomentum, momentumTo: .baseMomentum),
                      Phase(end: total - 1, from: .max, to: .min, momentumFrom: .baseMomentum, momentumTo: .maxMomentum)]
        }
        if cycleMomentum {
            guard optimizer.defaults.contains(where: { $0.key == "momentum" || $0.key == "betas" }) else {
                throw TensorError.value("optimizer must support momentum or beta1 with `cycle_momentum` option enabled")
            }
            momentum = (try perGroup(baseMomentum, "base_momentum"), try perGroup(maxMomentum, "max_momentum"))
        } else {
            momentum = nil
        }
        try super.init(optimizer)
        for (i, g) in optimizer.groups.enumerated() {
            let initial = self.maxLRs[i] / divFactor
            try g.store.setOption("initial_lr", .double(initial))
            try g.store.setOption("max_lr", .double(self.maxLRs[i]))
            try g.store.setOption("min_lr", .double(initial / finalDivFactor))
            if let momentum {
                try g.store.setOption("max_momentum", .double(momentum.max[i]))
                try g.store.setOption("base_momentum", .double(momentum.base[i]))
                try setMomentum(g, momentum.max[i])
            }
        }
        try start()
    }

    private func value(_ level: Level, _ group: Int) -> Double {
        let initial = maxLRs[group] / divFactor
        switch level {
        case .initial: return initial
        case .max: return maxLRs[group]
        case .min: return initial / finalDivFactor
        case .baseMomentum: return momentum?.base[group] ?? 0
        case .maxMomentum: return momentum?.max[group] ?? 0
        }
    }

    private func interpolate(_ start: Double, _ end: Double, _ pct: Double) -> Double {
        switch anneal {
        case .cos: end + (start - end) / 2 * (Foundation.cos(Double.pi * pct) + 1)
        case .linear: (end - start) * pct + start
        }
    }

    /// The phase containing `epoch` and how far into it the epoch is.
    private func position(_ epoch: Int) throws -> (Phase, Double) {
        guard epoch <= totalSteps else {
            throw TensorError.value("Tried to step \(epoch) times. The specified number of total steps is \(totalSteps)")
        }
        var startStep = 0.0
        for (i, phase) in phases.enumerated() {
            if Double(epoch) <= phase.end || i == phases.count - 1 {
                return (phase, (Double(epoch) - startStep) / (phase.end - startStep))
            }
            startStep = phase.end
        }
        return (phases[phases.count - 1], 1)
    }

    public override func rate(_ group: Int, at epoch: Int) throws -> Double {
        let (phase, pct) = try position(epoch)
        return interpolate(value(phase.from, group), value(phase.to, group), pct)
    }

    override func apply(epoch: Int) throws {
        try super.apply(epoch: epoch)
        guard momentum != nil else { return }
        let (phase, pct) = try position(epoch)
        for (i, g) in optimizer.groups.enumerated() {
            try setMomentum(g, interpolate(value(phase.momentumFrom, i), value(phase.momentumTo, i), pct))
        }
    }

    /// Adam-like optimizers cycle beta1, the others momentum.
    private func setMomentum(_ group: ParamGroup, _ value: Double) throws {
        if case .pair(_, let beta2)? = try group.store.option("betas") {
            try group.store.setOption("betas", .pair(value, beta2))
        } else {
            try group.store.setOption("momentum", .double(value))
        }
    }
}
