import DuetScript

/// Workloads that time the Duet interpreter: what a script pays on top of the engine.
enum ScriptWorkloads {
    static var all: [Workload] {
        [
            Workload(name: "add16_overhead", mode: "script", unit: "µs/op", summary: "1000 × a + b on 16-element tensors, in a parsed Duet loop") {
                let interp = Interpreter(output: { _ in })
                try interp.run("a = randn(16)\nb = randn(16)", file: "<bench>")
                let loop = try interp.prepare("for i in range(1000):\n    c = a + b", file: "<bench>")
                let seconds = try BenchTiming.median(repeats: 15) { try loop.run() }
                return seconds / 1000 * 1e6
            },
        ]
    }
}
