import Testing
@testable import DuetNN
import DuetTensor

/// The profiler on real modules and optimizers: event counts and FLOPs of a known small model
/// against the cost formulas worked out by hand, the optimizer's own scope, and training steps
/// whose numbers do not change when they are profiled.
@Suite struct ProfilerTrainingTests {
    /// Linear(4, 3) – ReLU – Linear(3, 2) on a batch of 5.
    private static func smallModel() throws -> (Sequential, Tensor, Tensor) {
        manualSeed(21)
        let model = Sequential(try Linear(4, 3), ReLU(), try Linear(3, 2))
        return (model, try Tensor.randn([5, 4]), try Tensor([0, 1, 1, 0, 1], shape: [5], dtype: .int64))
    }

    /// Events that do work: views (the weight's transpose) move no bytes and are left out.
    private static func computing(_ events: [ProfileEvent]) -> [ProfileEvent] {
        events.filter { !(Ops.byName[$0.op]?.isView ?? false) }
    }

    /// Forward: x @ W1ᵀ + b1, relu, h @ W2ᵀ + b2 — a matmul costs 2·M·N·K, add and relu one per element.
    @Test func forwardEventsAndFlopsMatchTheFormulas() throws {
        let (model, x, _) = try Self.smallModel()
        let (_, profiler) = try withNoGrad { try profile { try model(x) } }
        let events = Self.computing(profiler.events)
        #expect(events.map(\.op) == ["matmul", "add", "relu", "matmul", "add"])
        let expected: [Int] = [2 * 5 * 3 * 4, 5 * 3, 5 * 3, 2 * 5 * 2 * 3, 5 * 2]
        #expect(events.map(\.flops) == expected)
        let total: Int = profiler.events.reduce(0) { $0 + $1.flops }
        #expect(total == 220)
        #expect(events[0].scopes == ["Sequential", "0.Linear"] && events[2].scopes == ["Sequential", "1.ReLU"])
    }

    /// A whole step: forward matmuls F = 120 + 60; backward computes both weight gradients and the
    /// hidden layer's input gradient (x needs none), each a matmul of the forward's size.
    @Test func trainingStepMatmulsMatchTheFormulas() throws {
        let (model, x, y) = try Self.smallModel()
        let optimizer = try SGD(model.parameters(), lr: 0.1)
        let (_, profiler) = try profile {
            try optimizer.zeroGrad()
            try Loss.crossEntropy(model(x), y).backward()
            try optimizer.step()
        }
        let matmuls = profiler.events.filter { $0.op == "matmul" }
        #expect(matmuls.count == 2 + 3)
        let forward = 120 + 60, backward = 120 + 60 + 60
        let total: Int = matmuls.reduce(0) { $0 + $1.flops }
        #expect(total == forward + backward)
        #expect(matmuls.filter { $0.scopes.first == "Sequential" }.count == 2)
    }

    /// The optimizer's ops appear under `SGD.step` / `Adam.zero_grad`, not "(no scope)".
    @Test func optimizerOpsHaveTheirOwnScope() throws {
        let (model, x, y) = try Self.smallModel()
        let optimizer = try Adam(model.parameters(), lr: 0.01)
        try Loss.crossEntropy(model(x), y).backward()
        let (_, profiler) = try profile {
            try optimizer.step()
            try optimizer.zeroGrad(setToNone: false)
        }
        let table = ProfileTable(profiler.recording, groupBy: .scope)
        let names = Set(table.rows.map(\.name))
        #expect(names == ["Adam.step", "Adam.zero_grad"])
        // One in-place fill per parameter (weight and bias of two layers).
        #expect(profiler.events.filter { $0.scopes == ["Adam.zero_grad"] && $0.inPlace }.count == 4)
        #expect(EngineContext.current.scopes.isEmpty)
    }

    /// Same seed, same steps, with and without the profiler: parameters and optimizer state are
    /// bit-identical (compared as exact Doubles converted from float32).
    @Test func profilingATrainingStepDoesNotChangeItsNumbers() throws {
        // A private generator: other suites draw from the shared one in parallel.
        func train(profiled: Bool) throws -> [[Double]] { try withGenerator(Generator(seed: 5)) { try trainSeeded(profiled: profiled) } }
        func trainSeeded(profiled: Bool) throws -> [[Double]] {
            let model = Sequential(try Linear(6, 8), ReLU(), try Dropout(0.25), try Linear(8, 3))
            let optimizer = try Adam(model.parameters(), lr: 0.01)
            let x = try Tensor.randn([16, 6]), y = try Tensor.randint(0, 3, [16])
            let steps = {
                for _ in 0..<3 {
                    try optimizer.zeroGrad()
                    try Loss.crossEntropy(model(x), y).backward()
                    try optimizer.step()
                }
            }
            if profiled {
                let (_, profiler) = try profile(steps)
                #expect(profiler.events.contains { $0.scopes.first == "Adam.step" })
            } else {
                try steps()
            }
            let state = optimizer.stateDict().sorted { $0.key < $1.key }.map(\.value)
            return try (model.parameters() + state).map { try $0.toDoubles() }
        }
        let plain = try train(profiled: false)
        let profiled = try train(profiled: true)
        #expect(plain.count == profiled.count)
        for (i, (a, b)) in zip(plain, profiled).enumerated() {
            #expect(a.map(\.bitPattern) == b.map(\.bitPattern), "tensor \(i) differs")
        }
    }
}
