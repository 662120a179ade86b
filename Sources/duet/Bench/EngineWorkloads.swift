import DuetTensor

/// Workloads that time the engine's kernels and dispatcher directly from Swift.
enum EngineWorkloads {
    static var all: [Workload] {
        [
            Workload(name: "sgemm1024", mode: "engine", unit: "GFLOP/s", summary: "C = A @ B, float32, 1024×1024×1024") {
                let n = 1024
                let a = try Tensor.randn([n, n]), b = try Tensor.randn([n, n])
                let seconds = try BenchTiming.median { _ = try withNoGrad { try a.matmul(b) } }
                return 2 * Double(n * n * n) / seconds / 1e9
            },
            Workload(name: "exp16M", mode: "engine", unit: "Gelem/s", summary: "y = exp(x), 16M float32") {
                let x = try Tensor.randn([16 << 20])
                let seconds = try BenchTiming.median { _ = try withNoGrad { try x.exp() } }
                return Double(16 << 20) / seconds / 1e9
            },
            Workload(name: "add16_overhead", mode: "engine", unit: "µs/op", summary: "1000 × a + b on 16-element tensors") {
                let a = try Tensor.randn([16]), b = try Tensor.randn([16])
                let seconds = try BenchTiming.median(repeats: 15) {
                    for _ in 0..<1000 { _ = try a + b }
                }
                return seconds / 1000 * 1e6
            },
            Workload(name: "gelu4M", mode: "eager", unit: "ms", summary: "tanh-GELU as separate ops on 4M float32") {
                let x = try Tensor.randn([4 << 20])
                let seconds = try BenchTiming.median { _ = try withNoGrad { try geluBySteps(x) } }
                return seconds * 1e3
            },
        ]
    }

    /// `0.5*x*(1+tanh(0.7978845608*(x+0.044715*x*x*x)))`, one op at a time as BENCHMARKS.md defines it.
    static func geluBySteps(_ x: Tensor) throws -> Tensor {
        let cube = try x * x * x
        let inner = try (x + cube * 0.044715) * 0.7978845608
        return try x * 0.5 * (inner.tanh() + 1)
    }
}
