import DuetGraph
import DuetNN
import DuetTensor

/// The BENCHMARKS.md workloads in graph mode: the same functions as the eager ones, compiled.
/// The first call (the trace) is a warm-up call, so only plan runs are timed.
enum GraphWorkloads {
    static func gelu4M() throws -> () throws -> Void {
        let x = try Tensor.randn([4 << 20])
        let f = compile("gelu") { xs in [try EngineWorkloads.geluBySteps(xs[0])] }
        return { _ = try withNoGrad { try f([x]) } }
    }

    static func stepRun(_ make: () throws -> (Module, Tensor, Tensor)) throws -> () throws -> Void {
        let (model, x, y) = try make()
        let optimizer = try SGD(model.parameters(), lr: 0.01)
        let step = compile("train_step") { xs in
            try optimizer.zeroGrad()
            let loss = try Loss.crossEntropy(model(xs[0]), xs[1])
            try loss.backward()
            try optimizer.step()
            return [loss]
        }
        return { _ = try step([x, y]) }
    }

    static func timeStep(_ make: () throws -> (Module, Tensor, Tensor)) throws -> Double {
        try BenchTiming.median(repeats: 21, warmup: 3, try stepRun(make)) * 1e3
    }

    static var all: [Workload] {
        [
            Workload(name: "gelu4M", mode: "graph", unit: "ms", summary: "tanh-GELU compiled: its 9 ops fused into one tiled kernel") {
                try BenchTiming.median(try gelu4M()) * 1e3
            } prepareProfiledRun: { try gelu4M() },
            Workload(name: "mlp_train_step", mode: "graph", unit: "ms", summary: "MLP step compiled: forward, backward and SGD in one plan, bias+ReLU and SGD folded into the GEMMs") {
                try timeStep(TrainingWorkloads.mlp)
            } prepareProfiledRun: { try stepRun(TrainingWorkloads.mlp) },
            Workload(name: "mlp_peak_mem", mode: "graph", unit: "MB", summary: "high-water mark of live bytes in one compiled mlp_train_step") {
                let run = try stepRun(TrainingWorkloads.mlp)
                try run()
                Allocator.shared.resetPeak()
                try run()
                return Double(Allocator.shared.stats.peakBytes) / 1_048_576
            } prepareProfiledRun: { try stepRun(TrainingWorkloads.mlp) },
            Workload(name: "lenet_train_step", mode: "graph", unit: "ms", summary: "LeNet-5 step compiled") {
                try timeStep(TrainingWorkloads.lenet)
            } prepareProfiledRun: { try stepRun(TrainingWorkloads.lenet) },
        ]
    }
}
