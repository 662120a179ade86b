import DuetTensor

/// Workloads that time the engine's kernels and dispatcher directly from Swift.
enum EngineWorkloads {
    static var all: [Workload] {
        [
            Workload(name: "sgemm1024", mode: "engine", unit: "GFLOP/s", summary: "C = A @ B, float32, 1024×1024×1024") {
                let seconds = try BenchTiming.median(try sgemm())
                return 2 * Double(1024 * 1024 * 1024) / seconds / 1e9
            } prepareProfiledRun: { try sgemm() },
            Workload(name: "exp16M", mode: "engine", unit: "Gelem/s", summary: "y = exp(x), 16M float32") {
                let seconds = try BenchTiming.median(try exp16M())
                return Double(16 << 20) / seconds / 1e9
            } prepareProfiledRun: { try exp16M() },
            Workload(name: "add16_overhead", mode: "engine", unit: "µs/op", summary: "1000 × a + b on 16-element tensors") {
                let seconds = try BenchTiming.median(repeats: 15, try add16())
                return seconds / 1000 * 1e6
            } prepareProfiledRun: { try add16() },
            Workload(name: "add16_profiled", mode: "engine", unit: "µs/op", summary: "add16_overhead with the profiler recording every call") {
                let run = try add16()
                let profiler = Profiler()
                profiler.start()
                defer { profiler.stop() }
                // Each repetition records 1000 fresh events, so dropping the last ones is billed too.
                let seconds = try BenchTiming.median(repeats: 15) {
                    profiler.reset()
                    try run()
                }
                return seconds / 1000 * 1e6
            },
            Workload(name: "gelu4M", mode: "eager", unit: "ms", summary: "tanh-GELU as separate ops on 4M float32") {
                let seconds = try BenchTiming.median(try gelu4M())
                return seconds * 1e3
            } prepareProfiledRun: { try gelu4M() },
        ]
    }

    // One run of each workload over freshly made inputs: what is timed and what is profiled.

    static func sgemm() throws -> () throws -> Void {
        let a = try Tensor.randn([1024, 1024]), b = try Tensor.randn([1024, 1024])
        return { _ = try withNoGrad { try a.matmul(b) } }
    }

    static func exp16M() throws -> () throws -> Void {
        let x = try Tensor.randn([16 << 20])
        return { _ = try withNoGrad { try x.exp() } }
    }

    static func add16() throws -> () throws -> Void {
        let a = try Tensor.randn([16]), b = try Tensor.randn([16])
        return { for _ in 0..<1000 { _ = try a + b } }
    }

    static func gelu4M() throws -> () throws -> Void {
        let x = try Tensor.randn([4 << 20])
        return { _ = try withNoGrad { try geluBySteps(x) } }
    }

    /// `0.5*x*(1+tanh(0.7978845608*(x+0.044715*x*x*x)))`, one op at a time as BENCHMARKS.md defines it.
    static func geluBySteps(_ x: Tensor) throws -> Tensor {
        let cube = try x * x * x
        let inner = try (x + cube * 0.044715) * 0.7978845608
        return try x * 0.5 * (inner.tanh() + 1)
    }
}
