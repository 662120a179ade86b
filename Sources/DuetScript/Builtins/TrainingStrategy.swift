import DuetNN
import DuetTensor

/// `fit(..., strategy=dist.AllReduceStrategy())` and `dist.ParameterServerStrategy(...)`, as in
/// `tf.distribute`: `batch_size` is the global batch, split evenly over the workers, so
/// synchronous training on any number of workers makes one process's updates (docs/language.md,
/// "Distributed").
final class StrategyObject: ScriptObject {
    enum Kind {
        case allReduce
        case parameterServer(servers: Int, synchronous: Bool, maxStaleness: Int?)
    }
    let kind: Kind
    init(_ kind: Kind) { self.kind = kind }

    static func register(_ ns: Namespace) {
        ns.function("AllReduceStrategy()", "fit's strategy: every rank a worker, gradients averaged by all-reduce (DistributedDataParallel).") { _, _ in
            .object(StrategyObject(.allReduce))
        }
        ns.function("ParameterServerStrategy(num_servers=1, sync=True, max_staleness=None)",
                    "fit's strategy: ranks 0..num_servers-1 serve parameters, the others train (ParameterServer).") { b, _ in
            .object(StrategyObject(.parameterServer(servers: try b.int("num_servers"), synchronous: try b.bool("sync"), maxStaleness: try b.optionalInt("max_staleness"))))
        }
    }

    override var typeName: String {
        if case .allReduce = kind { return "AllReduceStrategy" }
        return "ParameterServerStrategy"
    }

    override var repr: String {
        switch kind {
        case .allReduce: "AllReduceStrategy()"
        case .parameterServer(let n, let sync, let s): "ParameterServerStrategy(num_servers=\(n), sync=\(sync ? "True" : "False"), max_staleness=\(s.map(String.init) ?? "None"))"
        }
    }
}

/// What a `fit` with a strategy does differently: which rows of each global batch this rank
/// trains on, how gradients meet, and the step metrics every worker records alike.
struct DistributedFit {
    enum Plan {
        case allReduce(DistributedDataParallel)
        case parameterServer(ParameterServer)
    }
    let plan: Plan
    let workers: Int
    /// This rank's place among the workers; nil on a parameter server.
    let worker: Int?
    let group: ProcessGroup

    init(_ strategy: StrategyObject, module: Module, optimizer: Optimizer) throws {
        group = try ProcessGroup.required("fit(strategy=...)")
        switch strategy.kind {
        case .allReduce:
            plan = .allReduce(try module as? DistributedDataParallel ?? DistributedDataParallel(module))
            workers = group.worldSize
            worker = group.rank
        case .parameterServer(let servers, let sync, let staleness):
            let ps = try ParameterServer(module, optimizer, numServers: servers, synchronous: sync, maxStaleness: staleness)
            plan = .parameterServer(ps)
            workers = group.worldSize - servers
            worker = ps.isServer ? nil : group.rank - servers
        }
    }

    /// The lowest worker prints fit's progress.
    var reports: Bool { worker == 0 }

    /// The model fit calls: the DDP wrapper, or the module itself.
    func model(_ original: Value) -> Value {
        if case .allReduce(let ddp) = plan { return .object(ModuleObject(ddp)) }
        return original
    }

    /// This worker's rows of a global batch.
    func share(_ t: Tensor, batch: Int) throws -> Tensor {
        guard batch % workers == 0 else {
            throw ScriptError(.value, "fit(): a batch of \(batch) does not split evenly over \(workers) workers; choose a batch_size (and data size) divisible by \(workers)")
        }
        let k = batch / workers, w = worker ?? 0
        return try t.slice(dim: 0, start: w * k, end: (w + 1) * k)
    }

    /// Whether the worker steps its own optimizer (with all-reduce) or the servers do.
    var stepsOptimizer: Bool {
        if case .allReduce = plan { return true }
        return false
    }

    /// After the local step: a parameter server's push and pull (all-reduce happened during
    /// backward). Returns the step's metrics summed over the workers.
    func exchange(_ metrics: [Double]) throws -> [Double] {
        switch plan {
        case .allReduce:
            let t = try Tensor(metrics, shape: [metrics.count], dtype: .float64)
            _ = try Dispatch.inPlace(Ops.allReduce, [t], Attrs([.int(ReduceOp.sum.rawValue)]))
            return try t.toDoubles()
        case .parameterServer(let ps):
            return try ps.step(metrics: metrics)
        }
    }

    /// fit's metric names, in the order the servers learn them.
    static let metricNames = ["loss", "accuracy", "val_loss", "val_accuracy"]

    /// With parameter servers, at the end: the first worker's history, broadcast to every rank,
    /// so `fit` returns the same History on servers too (workers already agree when synchronous).
    func shareHistory(_ history: inout [(String, [Value])]) throws {
        guard case .parameterServer(let ps) = plan else { return }
        let source = Attrs([.int(ps.numServers)])
        let names = Self.metricNames
        let header = try Tensor.zeros([1 + names.count], dtype: .float64)
        if worker == 0 {
            let epochs = history.first?.1.count ?? 0
            try header.copy_(try Tensor([Double(epochs)] + names.map { n in history.contains { $0.0 == n } ? 1 : 0 }, shape: [1 + names.count], dtype: .float64))
        }
        _ = try Dispatch.inPlace(Ops.broadcast, [header], source)
        let h = try header.toDoubles()
        let epochs = Int(h[0]), present = names.indices.filter { h[1 + $0] == 1 }.map { names[$0] }
        let values = try Tensor.zeros([present.count * epochs], dtype: .float64)
        if worker == 0 {
            let mine = try present.flatMap { n in try (history.first { $0.0 == n }?.1 ?? []).map { try Convert.double($0, "history") } }
            try values.copy_(try Tensor(mine, shape: [mine.count], dtype: .float64))
        }
        _ = try Dispatch.inPlace(Ops.broadcast, [values], source)
        let all = try values.toDoubles()
        history = present.enumerated().map { k, n in (n, all[k * epochs..<(k + 1) * epochs].map(Value.float)) }
    }
}
