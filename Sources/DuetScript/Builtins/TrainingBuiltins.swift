import Foundation
import DuetGraph
import DuetTensor
import DuetNN

/// Keras-like training conveniences: `fit`, `evaluate`, `predict`, and `log` for the curves.
enum TrainingBuiltins {
    static func register(_ r: Builtins.Registrar) {
        // PyTorch's `log(x)` is the logarithm; a curve point starts with its series' name.
        r.function(Signature("log(name, value, step=None)", "log(input)"),
                   "log(\"loss\", v, step=None) records a point of a named series (the curves pane; export with save_logs); log(x) is torch.log.", .flat) { b, interp in
            guard let name = b["name"] else { return try OpBuiltins.call(Ops.log, receiver: nil, Arguments([try b.value("input")])) }
            guard case .str(let series) = name else {
                throw ScriptError(.type, "log(): a curve point starts with its series name (a str), not \(name.typeName); torch.log takes one tensor")
            }
            interp.logs.append(series, try b.double("value"), step: try b.optionalInt("step"))
            return .none
        }
        r.function("save_logs(path)", "Writes every logged series to a CSV file (series,step,value).", .flat) { b, interp in
            let path = try b.string("path")
            do { try interp.logs.csv().write(toFile: path, atomically: true, encoding: .utf8) } catch {
                throw ScriptError(.os, "save_logs: cannot write \(path): \(error.localizedDescription)")
            }
            return .none
        }
        r.function("fit(model, data, loss=None, opt=None, epochs=1, batch_size=32, validation_data=None, compile=False, shuffle=True, verbose=True, strategy=None)",
                   "Trains model on a Dataset, DataLoader or (X, y) pair: per-step and per-epoch loss and accuracy are logged; returns the History (history['loss']; after Ctrl-C, the finished epochs, interrupted True).", .flat) { b, interp in
            try Trainer(b, interp).fit()
        }
        r.function("evaluate(model, data, loss=None, batch_size=256)", "Loss (and accuracy for classifiers) over a data set, without gradients.", .flat) { b, interp in
            let loader = try Trainer.loader(try b.value("data"), batchSize: try b.int("batch_size"), shuffle: false, interp)
            let lossFn = try Trainer.lossFunction(b["loss"], interp)
            let (loss, accuracy) = try Trainer.evaluate(try b.value("model"), loader, lossFn, interp)
            var pairs: [(Value, Value)] = [(.str("loss"), .float(loss))]
            if let accuracy { pairs.append((.str("accuracy"), .float(accuracy))) }
            return .dict(try DictObject(pairs: pairs))
        }
        r.function("predict(model, X, batch_size=256)", "The model's outputs for X, in evaluation mode and without gradients.", .flat) { b, interp in
            let model = try b.value("model")
            let X = try b.tensor("X")
            let size = max(try b.int("batch_size"), 1)
            guard X.rank > 0 else { throw ScriptError(.shape, "predict(): X needs a batch dim") }
            return try Trainer.inEvalMode(model) {
                var outputs: [Tensor] = []
                var start = 0
                while start < X.shape[0] {
                    try interp.stepCheckpoint()
                    let batch = try X.slice(dim: 0, start: start, end: start + size)
                    outputs.append(try Trainer.forward(model, batch, interp))
                    start += size
                }
                return .tensor(outputs.count == 1 ? outputs[0] : try Tensor.cat(outputs))
            }
        }
    }
}

/// One `fit` call.
struct Trainer {
    let interp: Interpreter
    let model: Value
    let loader: Batches
    let validation: Batches?
    let lossFn: ((Tensor, Tensor) throws -> Tensor)?
    let optimizer: Optimizer
    let epochs: Int
    let verbose: Bool
    /// With `compile=True`: the whole step (zero_grad, forward, loss, backward, step) as one graph.
    let compiledStep: CompiledFunction<[Tensor]>?
    /// With `strategy=`: this rank's part in training across ranks.
    let distributed: DistributedFit?

    init(_ b: BoundArguments, _ interp: Interpreter) throws {
        self.interp = interp
        var model = try b.value("model")
        let batchSize = try b.int("batch_size")
        loader = try Self.loader(try b.value("data"), batchSize: batchSize, shuffle: try b.bool("shuffle"), interp)
        validation = try b["validation_data"].map { try Self.loader($0, batchSize: max(batchSize, 256), shuffle: false, interp) }
        lossFn = try Self.lossFunction(b["loss"], interp)
        if case .object(let o as OptimizerObject)? = b["opt"] {
            optimizer = o.optimizer
        } else if let other = b["opt"] {
            throw ScriptError(.type, "fit(): opt must be an optimizer, not \(other.typeName)")
        } else {
            guard case .object(let m as ModuleObject) = model else { throw ScriptError(.type, "fit(): pass opt= when the model is not a module") }
            optimizer = try Adam(m.module.parameters(), lr: 1e-3)
        }
        epochs = try b.int("epochs")
        guard epochs >= 0 else { throw ScriptError(.value, "fit(): epochs must be non-negative") }
        if let v = b["strategy"], !v.isNone {
            guard case .object(let strategy as StrategyObject) = v else {
                throw ScriptError(.type, "fit(): strategy must be dist.AllReduceStrategy() or dist.ParameterServerStrategy(...), not \(v.typeName)")
            }
            guard let m = model.moduleObject else { throw ScriptError(.type, "fit(): a strategy needs the model to be an nn.Module") }
            let d = try DistributedFit(strategy, module: m.module, optimizer: optimizer)
            model = d.model(model)
            distributed = d
        } else {
            distributed = nil
        }
        self.model = model
        verbose = try b.bool("verbose") && (distributed?.reports ?? true)
        compiledStep = try b.bool("compile") ? Self.compiledStep(model, lossFn, optimizer, interp, verbose: verbose, stepsOptimizer: distributed?.stepsOptimizer ?? true) : nil
    }

    /// One training step traced into a graph: it returns the loss and the model's output. A
    /// parameter server's worker leaves the update to the servers.
    private static func compiledStep(_ model: Value, _ lossFn: ((Tensor, Tensor) throws -> Tensor)?, _ optimizer: Optimizer,
                                     _ interp: Interpreter, verbose: Bool, stepsOptimizer: Bool) -> CompiledFunction<[Tensor]> {
        let step = compile("fit_step") { xs in
            try optimizer.zeroGrad()
            let out = try forward(model, xs[0], interp)
            let loss = try (lossFn ?? defaultLoss(xs[1]))(out, xs[1])
            try loss.backward()
            if stepsOptimizer { try optimizer.step() }
            return [loss, out]
        }
        if verbose { step.onRetrace = { interp.write($0 + "\n") } }
        return step
    }

    /// Zero grads, forward, loss, backward and the optimizer's step: eagerly, or as one compiled call.
    private func trainStep(_ x: Tensor, _ y: Tensor) throws -> (loss: Tensor, out: Tensor) {
        if let compiledStep {
            let outs = try compiledStep([x, y])
            return (outs[0], outs[1])
        }
        try optimizer.zeroGrad()
        let out = try Self.forward(model, x, interp)
        let loss = try (lossFn ?? Self.defaultLoss(y))(out, y)
        try loss.backward()
        if distributed?.stepsOptimizer ?? true { try optimizer.step() }
        return (loss, out)
    }

    /// Trains; after Ctrl-C (at the next batch) the KeyboardInterrupt carries the history of the
    /// finished epochs, which `history = fit(…)` binds before the interrupt stops the command.
    func fit() throws -> Value {
        var history: [(String, [Value])] = []
        func result(interrupted: Bool) throws -> Value {
            let metrics = try DictObject(pairs: history.map { (.str($0.0), .list(ListObject($0.1))) })
            return .object(HistoryObject(metrics: metrics, epochs: history.first?.1.count ?? 0, interrupted: interrupted))
        }
        if let distributed, distributed.worker == nil, case .parameterServer(let ps) = distributed.plan {
            try ps.serve()
        } else {
            // Ctrl-C at a batch, or (over ranks) every rank stopping at the same collective.
            do { try train(&history) } catch where ScriptError.wrap(error).kind == .keyboardInterrupt {
                model.moduleObject?.module.train()
                throw interp.interrupted(keeping: try result(interrupted: true), message: ScriptError.wrap(error).message)
            }
        }
        try distributed?.shareHistory(&history)
        return try result(interrupted: false)
    }

    private func train(_ history: inout [(String, [Value])]) throws {
        func record(_ key: String, _ value: Double) {
            if let i = history.firstIndex(where: { $0.0 == key }) { history[i].1.append(.float(value)) } else { history.append((key, [.float(value)])) }
        }
        let module = (model.moduleObject)?.module
        for epoch in 0..<epochs {
            module?.train()
            var lossSum = 0.0, correct = 0.0, seen = 0, step = 0
            var classifier = false
            let started = DispatchTime.now().uptimeNanoseconds
            let batches = try loader.epoch(interp)
            while let batch = try batches() {
                try interp.stepCheckpoint()
                guard batch.count >= 2 else { throw ScriptError(.value, "fit(): each batch needs inputs and targets") }
                var (x, y) = (batch[0], batch[1])
                if let distributed {
                    let rows = x.rank > 0 ? x.shape[0] : 1
                    (x, y) = (try distributed.share(x, batch: rows), try distributed.share(y, batch: rows))
                }
                let (loss, out) = try trainStep(x, y)
                var n = Double(x.rank > 0 ? x.shape[0] : 1)
                var value = try loss.item()
                var acc = try Self.accuracy(out, y)
                if let distributed {
                    let sums = try distributed.exchange([value * n, (acc ?? 0) * n, n])
                    n = sums[2]
                    value = sums[0] / n
                    acc = acc.map { _ in sums[1] / n }
                }
                lossSum += value * n
                seen += Int(n)
                interp.logs.append("loss", value)
                if let acc {
                    classifier = true
                    correct += acc * n
                    interp.logs.append("accuracy", acc)
                }
                step += 1
                if verbose && interp.isInteractiveTerminal {
                    interp.write("\rEpoch \(epoch + 1)/\(epochs) \(progressBar(step, loader.count ?? step)) loss \(fixed(lossSum / Double(seen)))")
                }
            }
            guard seen > 0 else { throw ScriptError(.value, "fit(): the data has no batches") }
            var line = "Epoch \(epoch + 1)/\(epochs): loss \(fixed(lossSum / Double(seen)))"
            record("loss", lossSum / Double(seen))
            interp.logs.append("epoch_loss", lossSum / Double(seen), step: epoch)
            if classifier {
                record("accuracy", correct / Double(seen))
                interp.logs.append("epoch_accuracy", correct / Double(seen), step: epoch)
                line += ", accuracy \(fixed(correct / Double(seen)))"
            }
            if let validation {
                let (vl, va) = try Self.evaluate(model, validation, lossFn, interp)
                record("val_loss", vl)
                interp.logs.append("val_loss", vl, step: epoch)
                line += ", val_loss \(fixed(vl))"
                if let va {
                    record("val_accuracy", va)
                    interp.logs.append("val_accuracy", va, step: epoch)
                    line += ", val_accuracy \(fixed(va))"
                }
            }
            if verbose {
                if interp.isInteractiveTerminal {
                    let ms = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e6 / Double(max(step, 1))
                    interp.write("\r\u{1B}[K" + line + String(format: " (%.2f ms/step)", ms) + "\n")
                } else {
                    interp.write(line + "\n")
                }
            }
        }
        module?.train()
        if case .parameterServer(let ps)? = distributed?.plan { try ps.finish() }
    }

    private func fixed(_ v: Double) -> String { String(format: "%.4f", v) }

    private func progressBar(_ done: Int, _ total: Int) -> String {
        let width = 20
        let filled = total > 0 ? min(width, done * width / total) : width
        return "[" + String(repeating: "=", count: filled) + String(repeating: " ", count: width - filled) + "] \(done)/\(total)"
    }

    static func loader(_ v: Value, batchSize: Int, shuffle: Bool, _ interp: Interpreter) throws -> Batches {
        if case .object(let l as DataLoaderObject) = v { return .engine(l.loader) }
        if case .object(let l as ScriptDataLoader) = v { return .script(l) }
        if v.objectValue?.scriptClass != nil {
            return .script(try ScriptDataLoader(dataset: v, batchSize: batchSize, shuffle: shuffle, dropLast: false, sampler: nil,
                                                batchSampler: nil, collate: nil, seed: 0, interp))
        }
        return .engine(try DataLoader(try DataBuiltins.dataset(v, interp), batchSize: batchSize, shuffle: shuffle))
    }

    /// The batches fit and evaluate walk: the engine's loader, or one over script values.
    enum Batches {
        case engine(DataLoader)
        case script(ScriptDataLoader)

        var count: Int? {
            switch self {
            case .engine(let l): l.count
            case .script(let l): try? l.lengthValue()
            }
        }

        /// One epoch, batch by batch (nil at its end).
        func epoch(_ interp: Interpreter) throws -> () throws -> [Tensor]? {
            switch self {
            case .engine(let l):
                var it = l.makeIterator()
                return { try it.nextBatch() }
            case .script(let l): return try l.trainingBatches(interp)
            }
        }
    }

    /// A loss given as a function, a loss module or a name (`"cross_entropy"`, `"mse_loss"`).
    static func lossFunction(_ v: Value?, _ interp: Interpreter) throws -> ((Tensor, Tensor) throws -> Tensor)? {
        guard var callee = v else { return nil }
        if case .str(let name) = callee {
            guard let f = interp.builtins[name] ?? interp.builtins[name + "_loss"] else { throw ScriptError(.value, "fit(): unknown loss '\(name)'") }
            callee = f
        }
        return { out, y in
            let result = try interp.callValue(callee, Arguments([.tensor(out), .tensor(y)]))
            guard case .tensor(let t) = result else { throw ScriptError(.type, "the loss function returned \(result.typeName), not a tensor") }
            return t
        }
    }

    /// Cross-entropy for int64 class targets, mean squared error otherwise.
    static func defaultLoss(_ y: Tensor) -> (Tensor, Tensor) throws -> Tensor {
        y.dtype == .int64 ? { try Loss.crossEntropy($0, $1) } : { try Loss.mse($0, $1) }
    }

    static func accuracy(_ out: Tensor, _ y: Tensor) throws -> Double? {
        guard out.rank == 2, out.shape[1] > 1, y.dtype == .int64, y.rank == 1 else { return nil }
        return try Loss.accuracy(out, y)
    }

    static func forward(_ model: Value, _ x: Tensor, _ interp: Interpreter) throws -> Tensor {
        let out = try interp.callValue(model, Arguments([.tensor(x)]))
        guard case .tensor(let t) = out else { throw ScriptError(.type, "the model returned \(out.typeName), not a tensor") }
        return t
    }

    /// Runs `body` with the model in eval mode and gradients off, restoring its mode after.
    static func inEvalMode<R>(_ model: Value, _ body: () throws -> R) throws -> R {
        let module = model.moduleObject?.module
        let wasTraining = module?.training ?? false
        module?.eval()
        defer { module?.train(wasTraining) }
        return try withNoGrad(body)
    }

    static func evaluate(_ model: Value, _ loader: Batches, _ lossFn: ((Tensor, Tensor) throws -> Tensor)?, _ interp: Interpreter) throws -> (Double, Double?) {
        try inEvalMode(model) {
            var lossSum = 0.0, correct = 0.0, seen = 0
            var classifier = false
            let batches = try loader.epoch(interp)
            while let batch = try batches() {
                try interp.stepCheckpoint()
                guard batch.count >= 2 else { throw ScriptError(.value, "evaluate(): each batch needs inputs and targets") }
                let out = try forward(model, batch[0], interp)
                let n = batch[0].rank > 0 ? batch[0].shape[0] : 1
                lossSum += try (lossFn ?? defaultLoss(batch[1]))(out, batch[1]).item() * Double(n)
                if let acc = try accuracy(out, batch[1]) {
                    classifier = true
                    correct += acc * Double(n)
                }
                seen += n
            }
            guard seen > 0 else { throw ScriptError(.value, "evaluate(): the data has no examples") }
            return (lossSum / Double(seen), classifier ? correct / Double(seen) : nil)
        }
    }
}

extension Value {
    var moduleObject: ModuleObject? {
        if case .object(let m as ModuleObject) = self { return m }
        return nil
    }
}
