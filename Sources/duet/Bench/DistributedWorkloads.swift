import DuetGraph
import DuetNN
import DuetTensor

/// `mlp_train_step_dist` (BENCHMARKS.md, issue #18): the MLP 784-512-512-10 SGD step on a
/// global batch of 256, split over the ranks. Run alone it is the one-rank baseline (the whole
/// batch in one process); under `mpirun` the workers train on their shares, through
/// DistributedDataParallel (eager, or the compiled step with the all-reduces in its graph) or a
/// parameter server on rank 0 (synchronous or asynchronous), and the first worker reports
/// samples per second of the global batch, with the communication it saw.
enum DistributedWorkloads {
    static let name = "mlp_train_step_dist"
    static let globalBatch = 256

    /// What one rank measured.
    struct Figures {
        let samplesPerSecond: Double
        let bytesPerStep: Double
        let waitMillisecondsPerStep: Double
    }

    static func model(batch: Int, rank: Int) throws -> (Module, Tensor, Tensor) {
        manualSeed(0)
        let model = Sequential(try Linear(784, 512), ReLU(), try Linear(512, 512), ReLU(), try Linear(512, 10))
        let x = try Tensor.randn([globalBatch, 784]), y = try Tensor.randint(0, 10, [globalBatch])
        let rows = rank * batch
        return (model, try x.slice(dim: 0, start: rows, end: rows + batch).contiguous(), try y.slice(dim: 0, start: rows, end: rows + batch).contiguous())
    }

    /// How the ranks train together; the JSON lines name it.
    enum Strategy: String, CaseIterable {
        case allReduce = "allreduce", psSync = "ps-sync", psAsync = "ps-async"

        var servers: Int { self == .allReduce ? 0 : 1 }
    }

    /// One step of `mode` over this rank's share: through DDP (all-reduce), or pushed to and
    /// pulled from one parameter server (rank 0), whose own part is `serve`.
    static func stepRun(mode: String, group: ProcessGroup?, strategy: Strategy) throws -> (step: () throws -> Void, server: ParameterServer?) {
        let world = group?.worldSize ?? 1, servers = group == nil ? 0 : strategy.servers
        let workers = world - servers, worker = (group?.rank ?? 0) - servers
        guard workers >= 1, globalBatch % workers == 0 else {
            throw TensorError.value("\(name): the global batch of \(globalBatch) does not split evenly over \(workers) workers")
        }
        let (inner, x, y) = try model(batch: globalBatch / workers, rank: max(worker, 0))
        let optimizer = try SGD(inner.parameters(), lr: 0.01)
        var model: Module = inner, server: ParameterServer?
        if group != nil && world > 1 {
            if strategy == .allReduce {
                model = try DistributedDataParallel(inner)
            } else {
                server = try ParameterServer(inner, optimizer, numServers: 1, synchronous: strategy == .psSync)
            }
        }
        func gradients(_ x: Tensor, _ y: Tensor) throws -> Tensor {
            try optimizer.zeroGrad()
            let loss = try Loss.crossEntropy(model(x), y)
            try loss.backward()
            if server == nil { try optimizer.step() }
            return loss
        }
        let update: () throws -> Void = { [server] in try server?.step() }
        if mode == "graph" {
            let compiled = compile("train_step") { xs in [try gradients(xs[0], xs[1])] }
            return ({ _ = try compiled([x, y]); try update() }, server)
        }
        return ({ _ = try gradients(x, y); try update() }, server)
    }

    /// The median step over 21 timed steps after 3 warm-up ones; every rank runs the same count,
    /// so the collectives pair up, and all start timing together after a barrier. Nil on a
    /// parameter server, which serves until the workers finish.
    static func measure(mode: String, group: ProcessGroup?, strategy: Strategy = .allReduce) throws -> Figures? {
        let (run, server) = try stepRun(mode: mode, group: group, strategy: strategy)
        try group?.barrier()
        if let server, server.isServer {
            try server.serve()
            return nil
        }
        let bytes0 = group?.bytesMoved.load(ordering: .relaxed) ?? 0, wait0 = group?.waitNanoseconds.load(ordering: .relaxed) ?? 0
        let repeats = 21, warmup = 3
        let seconds = try BenchTiming.median(repeats: repeats, warmup: warmup, run)
        try server?.finish()
        let steps = Double(repeats + warmup)
        let bytes = Double((group?.bytesMoved.load(ordering: .relaxed) ?? 0) - bytes0) / steps
        let wait = Double((group?.waitNanoseconds.load(ordering: .relaxed) ?? 0) - wait0) * 1e-6 / steps
        return Figures(samplesPerSecond: Double(globalBatch) / seconds, bytesPerStep: bytes, waitMillisecondsPerStep: wait)
    }

    static var all: [Workload] {
        ["eager", "graph"].map { mode in
            Workload(name: name, mode: mode, unit: "samples/s",
                     summary: "MLP step, global batch 256 split over the ranks (--ranks N: DDP all-reduce under mpirun; alone: one rank)") {
                try measure(mode: mode, group: nil)?.samplesPerSecond ?? 0
            }
        }
    }
}
