import DuetTensor
import DuetNN

/// A learning-rate schedule as a script value.
final class SchedulerObject: ScriptObject {
    let scheduler: LRScheduler
    let name: String
    let optimizerValue: Value
    init(_ scheduler: LRScheduler, _ name: String, optimizer: Value) {
        self.scheduler = scheduler
        self.name = name
        optimizerValue = optimizer
    }
    override var typeName: String { name }
    override func attribute(_ attr: String, _ interp: Interpreter) throws -> Value? {
        let s = scheduler
        switch attr {
        case "step":
            return .object(BuiltinFunction("step()", "Advances the schedule and writes the new rates.") { _, _ in
                try s.step()
                return .none
            })
        case "get_last_lr":
            return .object(BuiltinFunction("get_last_lr()", "The rates the last step wrote, one per param group.") { _, _ in
                .list(ListObject(s.lastLRs.map(Value.float)))
            })
        case "last_epoch": return .int(s.lastEpoch)
        case "base_lrs": return .list(ListObject(s.baseLRs.map(Value.float)))
        case "optimizer": return optimizerValue
        default: return nil
        }
    }
    override var attributeNames: [String] { ["step", "get_last_lr", "last_epoch", "base_lrs", "optimizer"] }
}

/// `ReduceLROnPlateau`: stepped with the metric it watches.
final class PlateauObject: ScriptObject {
    let scheduler: ReduceLROnPlateau
    let optimizerValue: Value
    init(_ scheduler: ReduceLROnPlateau, optimizer: Value) {
        self.scheduler = scheduler
        optimizerValue = optimizer
    }
    override var typeName: String { "ReduceLROnPlateau" }
    override func attribute(_ attr: String, _ interp: Interpreter) throws -> Value? {
        let s = scheduler
        switch attr {
        case "step":
            return .object(BuiltinFunction("step(metrics)", "Records this epoch's metric; cuts the rates after patience epochs without improvement.") { b, _ in
                try s.step(try Convert.double(try b.value("metrics"), b.label("metrics")))
                return .none
            })
        case "get_last_lr":
            return .object(BuiltinFunction("get_last_lr()", "The current rates, one per param group.") { _, _ in
                .list(ListObject(s.lastLRs.map(Value.float)))
            })
        case "best": return .float(s.best)
        case "num_bad_epochs": return .int(s.badEpochs)
        case "cooldown_counter": return .int(s.cooldownCounter)
        case "last_epoch": return .int(s.lastEpoch)
        case "optimizer": return optimizerValue
        default: return nil
        }
    }
    override var attributeNames: [String] { ["step", "get_last_lr", "best", "num_bad_epochs", "cooldown_counter", "last_epoch", "optimizer"] }
}

enum SchedulerBuiltins {
    /// A float, or one per param group.
    static func doubles(_ v: Value, _ what: String, _ interp: Interpreter) throws -> [Double] {
        switch v {
        case .list, .tuple: return try Iteration.collect(v, interp).map { try Convert.double($0, what) }
        default: return [try Convert.double(v, what)]
        }
    }

    private static func optimizer(_ b: BoundArguments, _ name: String) throws -> Optimizer {
        guard case .object(let o as OptimizerObject) = try b.value("optimizer") else { throw ScriptError(.type, "\(name)() needs an optimizer") }
        return o.optimizer
    }

    private static func scheduler(_ r: Builtins.Registrar, _ name: String, _ options: String, doc: String,
                                  _ make: @escaping (Optimizer, BoundArguments, Interpreter) throws -> LRScheduler) {
        r.type("\(name)(optimizer, \(options))", doc, [.flat, .scheduler]) { b, interp in
            if let e = b["last_epoch"], try Convert.int(e, b.label("last_epoch")) != -1 {
                throw ScriptError(.notImplemented, "\(name)(): only last_epoch=-1 is supported (resume with the optimizer's state instead)")
            }
            return .object(SchedulerObject(try make(try optimizer(b, name), b, interp), name, optimizer: try b.value("optimizer")))
        }
    }

    static func register(_ r: Builtins.Registrar) {
        scheduler(r, "StepLR", "step_size, gamma=0.1, last_epoch=-1", doc: "lr × gamma every step_size steps.") { o, b, _ in
            try StepLR(o, stepSize: try b.int("step_size"), gamma: try b.double("gamma"))
        }
        scheduler(r, "MultiStepLR", "milestones, gamma=0.1, last_epoch=-1", doc: "lr × gamma at each milestone.") { o, b, _ in
            try MultiStepLR(o, milestones: try b.ints("milestones"), gamma: try b.double("gamma"))
        }
        scheduler(r, "ExponentialLR", "gamma, last_epoch=-1", doc: "lr × gamma every step.") { o, b, _ in
            try ExponentialLR(o, gamma: try b.double("gamma"))
        }
        scheduler(r, "LambdaLR", "lr_lambda, last_epoch=-1", doc: "The initial lr × lr_lambda(epoch) (one function, or one per param group).") { o, b, interp in
            let given = try b.value("lr_lambda")
            let functions: [Value]
            switch given {
            case .list, .tuple: functions = try Iteration.collect(given, interp)
            default: functions = [given]
            }
            return try LambdaLR(o, lambdas: functions.map { f in
                { [weak interp] epoch in
                    guard let interp else { throw ScriptError(.runtime, "LambdaLR: the interpreter is gone") }
                    return try Convert.double(try interp.callValue(f, Arguments([.int(epoch)])), "lr_lambda's result")
                }
            })
        }
        scheduler(r, "LinearLR", "start_factor=0.3333333333333333, end_factor=1.0, total_iters=5, last_epoch=-1",
                  doc: "The lr factor moves linearly from start_factor to end_factor over total_iters steps.") { o, b, _ in
            try LinearLR(o, startFactor: try b.double("start_factor"), endFactor: try b.double("end_factor"), totalIters: try b.int("total_iters"))
        }
        scheduler(r, "CosineAnnealingLR", "T_max, eta_min=0.0, last_epoch=-1", doc: "Half a cosine from lr down to eta_min over T_max steps.") { o, b, _ in
            try CosineAnnealingLR(o, tMax: try b.int("T_max"), etaMin: try b.double("eta_min"))
        }
        scheduler(r, "LinearWarmup", "warmup_steps, start_factor=0.1", doc: "Linear warm-up from start_factor × lr to lr (Duet's).") { o, b, _ in
            try LinearWarmup(o, warmupSteps: try b.int("warmup_steps"), startFactor: try b.double("start_factor"))
        }
        scheduler(r, "OneCycleLR", "max_lr, total_steps=None, epochs=None, steps_per_epoch=None, pct_start=0.3, anneal_strategy='cos', cycle_momentum=True, base_momentum=0.85, max_momentum=0.95, div_factor=25.0, final_div_factor=10000.0, three_phase=False, last_epoch=-1",
                  doc: "The 1cycle policy: lr up to max_lr and down to a tiny one, momentum the other way; step once per batch.") { o, b, interp in
            let total: Int
            if let steps = try b.optionalInt("total_steps") {
                total = steps
            } else if let epochs = try b.optionalInt("epochs"), let perEpoch = try b.optionalInt("steps_per_epoch") {
                guard epochs > 0 else { throw ScriptError(.value, "Expected positive integer epochs, but got \(epochs)") }
                guard perEpoch > 0 else { throw ScriptError(.value, "Expected positive integer steps_per_epoch, but got \(perEpoch)") }
                let (product, overflow) = epochs.multipliedReportingOverflow(by: perEpoch)
                guard !overflow else { throw ScriptError(.value, "OneCycleLR(): epochs × steps_per_epoch is too large") }
                total = product
            } else {
                throw ScriptError(.value, "You must define either total_steps OR (epochs AND steps_per_epoch)")
            }
            let strategy = try b.string("anneal_strategy")
            guard let anneal = OneCycleLR.Anneal(rawValue: strategy) else {
                throw ScriptError(.value, "anneal_strategy must be one of 'cos' or 'linear', instead got \(strategy)")
            }
            return try OneCycleLR(o, maxLR: try doubles(try b.value("max_lr"), "max_lr", interp), totalSteps: total,
                                  pctStart: try b.double("pct_start"), anneal: anneal, cycleMomentum: try b.bool("cycle_momentum"),
                                  baseMomentum: try doubles(try b.value("base_momentum"), "base_momentum", interp),
                                  maxMomentum: try doubles(try b.value("max_momentum"), "max_momentum", interp),
                                  divFactor: try b.double("div_factor"), finalDivFactor: try b.double("final_div_factor"), threePhase: try b.bool("three_phase"))
        }
        scheduler(r, "SequentialLR", "schedulers, milestones, last_epoch=-1", doc: "Runs schedulers one after another, switching at the milestones.") { o, b, interp in
            let schedulers = try Iteration.collect(try b.value("schedulers"), interp).map { v -> LRScheduler in
                guard case .object(let s as SchedulerObject) = v else {
                    throw ScriptError(.type, "SequentialLR(): schedulers must be learning-rate schedulers (not ReduceLROnPlateau), got \(v.typeName)")
                }
                return s.scheduler
            }
            return try SequentialLR(o, schedulers: schedulers, milestones: try b.ints("milestones"))
        }
        r.type("ReduceLROnPlateau(optimizer, mode='min', factor=0.1, patience=10, threshold=0.0001, threshold_mode='rel', cooldown=0, min_lr=0, eps=1e-08)",
               "Cuts the rates by factor when the metric passed to step() stops improving for patience epochs.", [.flat, .scheduler]) { b, interp in
            let modeText = try b.string("mode"), thresholdText = try b.string("threshold_mode")
            guard let mode = ReduceLROnPlateau.Mode(rawValue: modeText) else { throw ScriptError(.value, "mode \(modeText) is unknown!") }
            guard let thresholdMode = ReduceLROnPlateau.ThresholdMode(rawValue: thresholdText) else {
                throw ScriptError(.value, "threshold mode \(thresholdText) is unknown!")
            }
            let s = try ReduceLROnPlateau(try optimizer(b, "ReduceLROnPlateau"), mode: mode, factor: try b.double("factor"),
                                          patience: try b.int("patience"), threshold: try b.double("threshold"), thresholdMode: thresholdMode,
                                          cooldown: try b.int("cooldown"), minLRs: try doubles(try b.value("min_lr"), "min_lr", interp), eps: try b.double("eps"))
            return .object(PlateauObject(s, optimizer: try b.value("optimizer")))
        }
    }
}
