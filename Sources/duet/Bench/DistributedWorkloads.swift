import DuetGraph
import DuetNN
import DuetTensor

/// `mlp_train_step_dist` (BENCHMARKS.md, issue #18): the MLP 784-512-512-10 SGD step on a
/// global batch of 256, split over the ranks. Run alone it is the one-rank baseline (the whole
/// batch in one process); under `mpirun` each rank trains on its share through
/// DistributedDataParallel (eager, or the compiled step with the all-reduces in its graph), and
/// rank 0 reports samples per second of the global batch, with the communication it saw.
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

    /// One step of `mode` over this rank's share; wrapped in DDP when there are other ranks.
    static func stepRun(mode: String, group: ProcessGroup?) throws -> () throws -> Void {
        let world = group?.worldSize ?? 1
        guard globalBatch % world == 0 else { throw TensorError.value("\(name): the global batch of \(globalBatch) does not split evenly over \(world) ranks") }
        let (inner, x, y) = try model(batch: globalBatch / world, rank: group?.rank ?? 0)
        let model: Module = group != nil && world > 1 ? try DistributedDataParallel(inner) : inner
        let optimizer = try SGD(model.parameters(), lr: 0.01)
        func step(_ x: Tensor, _ y: Tensor) throws -> Tensor {
            try optimizer.zeroGrad()
            let loss = try Loss.crossEntropy(model(x), y)
            try loss.backward()
            try optimizer.step()
            return loss
        }
        if mode == "graph" {
            let compiled = compile("train_step") { xs in [try step(xs[0], xs[1])] }
            return { _ = try compiled([x, y]) }
        }
        return { _ = try step(x, y) }
    }

    /// The median step over 21 timed steps after 3 warm-up ones; every rank runs the same count,
    /// so the collectives pair up, and all start timing together after a barrier.
    static func measure(mode: String, group: ProcessGroup?) throws -> Figures {
        let run = try stepRun(mode: mode, group: group)
        try group?.barrier()
        let bytes0 = group?.bytesMoved.load(ordering: .relaxed) ?? 0, wait0 = group?.waitNanoseconds.load(ordering: .relaxed) ?? 0
        let repeats = 21, warmup = 3
        let seconds = try BenchTiming.median(repeats: repeats, warmup: warmup, run)
        let steps = Double(repeats + warmup)
        let bytes = Double((group?.bytesMoved.load(ordering: .relaxed) ?? 0) - bytes0) / steps
        let wait = Double((group?.waitNanoseconds.load(ordering: .relaxed) ?? 0) - wait0) * 1e-6 / steps
        return Figures(samplesPerSecond: Double(globalBatch) / seconds, bytesPerStep: bytes, waitMillisecondsPerStep: wait)
    }

    static var all: [Workload] {
        ["eager", "graph"].map { mode in
            Workload(name: name, mode: mode, unit: "samples/s",
                     summary: "MLP step, global batch 256 split over the ranks (--ranks N: DDP all-reduce under mpirun; alone: one rank)") {
                try measure(mode: mode, group: nil).samplesPerSecond
            }
        }
    }
}
