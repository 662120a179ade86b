import DuetNN
import DuetTensor

/// The BENCHMARKS.md training workloads, eager mode: one zero_grad + forward + backward + SGD step.
enum TrainingWorkloads {
    /// MLP 784-512-512-10 with ReLU, batch 128.
    static func mlp() throws -> (Module, Tensor, Tensor) {
        manualSeed(0)
        let model = Sequential(try Linear(784, 512), ReLU(), try Linear(512, 512), ReLU(), try Linear(512, 10))
        return (model, try Tensor.randn([128, 784]), try Tensor.randint(0, 10, [128]))
    }

    /// LeNet-5 on 1×28×28, batch 64.
    static func lenet() throws -> (Module, Tensor, Tensor) {
        manualSeed(0)
        let model = Sequential(
            try Conv2d(1, 6, kernelSize: 5, padding: 2), ReLU(), MaxPool2d(2),
            try Conv2d(6, 16, kernelSize: 5), ReLU(), MaxPool2d(2), Flatten(),
            try Linear(400, 120), ReLU(), try Linear(120, 84), ReLU(), try Linear(84, 10))
        return (model, try Tensor.randn([64, 1, 28, 28]), try Tensor.randint(0, 10, [64]))
    }

    static func step(_ model: Module, _ optimizer: Optimizer, _ x: Tensor, _ y: Tensor) throws {
        try optimizer.zeroGrad()
        let loss = try Loss.crossEntropy(model(x), y)
        try loss.backward()
        try optimizer.step()
    }

    /// A fresh model, optimizer and batch, and one training step over them.
    static func stepRun(_ make: () throws -> (Module, Tensor, Tensor)) throws -> () throws -> Void {
        let (model, x, y) = try make()
        let optimizer = try SGD(model.parameters(), lr: 0.01)
        return { try step(model, optimizer, x, y) }
    }

    static func timeStep(_ make: () throws -> (Module, Tensor, Tensor)) throws -> Double {
        try BenchTiming.median(repeats: 21, warmup: 3, try stepRun(make)) * 1e3
    }

    static var all: [Workload] {
        [
            Workload(name: "mlp_train_step", mode: "eager", unit: "ms", summary: "MLP 784-512-512-10, batch 128, CE, SGD step") {
                try timeStep(mlp)
            } prepareProfiledRun: { try stepRun(mlp) },
            Workload(name: "mlp_peak_mem", mode: "eager", unit: "MB", summary: "high-water mark of live bytes in one mlp_train_step") {
                let (model, x, y) = try mlp()
                let optimizer = try SGD(model.parameters(), lr: 0.01)
                try step(model, optimizer, x, y)
                Allocator.shared.resetPeak()
                try step(model, optimizer, x, y)
                return Double(Allocator.shared.stats.peakBytes) / 1_048_576
            } prepareProfiledRun: { try stepRun(mlp) },
            Workload(name: "lenet_train_step", mode: "eager", unit: "ms", summary: "LeNet-5, batch 64 of 1×28×28, CE, SGD step") {
                try timeStep(lenet)
            } prepareProfiledRun: { try stepRun(lenet) },
        ]
    }
}
