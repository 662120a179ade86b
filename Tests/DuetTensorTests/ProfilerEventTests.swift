import Testing
@testable import DuetTensor

/// What the profiler records for real op calls: names, shapes, costs from the registry, nesting,
/// scopes, the observer's installation and removal, the event cap, and unchanged numerics.
@Suite struct ProfilerEventTests {
    @Test func matmulEventHasShapesAndRegistryFlops() throws {
        let a = try Tensor.randn([4, 3]), b = try Tensor.randn([3, 5])
        let (_, profiler) = try profile { try a.matmul(b) }
        let matmuls = profiler.events.filter { $0.op == "matmul" }
        #expect(matmuls.count == 1)
        let e = try #require(matmuls.first)
        #expect(e.inputs == [TensorMeta(shape: [4, 3], dtype: .float32), TensorMeta(shape: [3, 5], dtype: .float32)])
        #expect(e.outputs == [TensorMeta(shape: [4, 5], dtype: .float32)])
        #expect(e.flops == 2 * 4 * 5 * 3)
        #expect(e.bytesRead == (12 + 15) * 4)
        #expect(e.bytesWritten == 20 * 4)
        #expect(e.mode == "eager")
        #expect(!e.inPlace)
        #expect(e.completed)
        #expect(e.endNs >= e.startNs)
    }

    /// Event counts and FLOP totals of a known small computation equal the registry's formulas.
    @Test func flopTotalsMatchTheRegistry() throws {
        let x = try Tensor.randn([8, 6]), w1 = try Tensor.randn([6, 4]), w2 = try Tensor.randn([4, 2])
        let (_, profiler) = try profile { try x.matmul(w1).relu().matmul(w2) }
        #expect(profiler.events.map(\.op) == ["matmul", "relu", "matmul"])
        let expected = try Ops.matmul.costFor([x.meta, w1.meta], [TensorMeta(shape: [8, 4], dtype: .float32)], Attrs()).flops
            + Ops.relu.costFor([TensorMeta(shape: [8, 4], dtype: .float32)], [TensorMeta(shape: [8, 4], dtype: .float32)], Attrs()).flops
            + Ops.matmul.costFor([TensorMeta(shape: [8, 4], dtype: .float32), w2.meta], [TensorMeta(shape: [8, 2], dtype: .float32)], Attrs()).flops
        #expect(profiler.events.reduce(0) { $0 + $1.flops } == expected)
        #expect(profiler.events[0].flops == 2 * 8 * 4 * 6)
    }

    @Test func viewsMoveNoBytes() throws {
        let x = try Tensor.randn([4, 6])
        let (_, profiler) = try profile { try x.reshape([6, 4]) }
        let e = try #require(profiler.events.first)
        #expect(e.op == "view" && Ops.view.isView)
        #expect(e.bytesRead == 0 && e.bytesWritten == 0)
    }

    /// A promoted add runs its `to` cast inside the add call: the cast is the add's child.
    @Test func promotionCastIsANestedChild() throws {
        let i = try Tensor([1, 2, 3], shape: [3], dtype: .int64), f = try Tensor([0.5, 0.5, 0.5], shape: [3])
        let (_, profiler) = try profile { try i + f }
        let events = profiler.events
        #expect(events.map(\.op) == ["add", "to"])
        #expect(events[0].depth == 0 && events[0].parent == nil)
        #expect(events[1].depth == 1 && events[1].parent == 0)
        #expect(events[1].startNs >= events[0].startNs && events[1].endNs <= events[0].endNs)
        #expect(events[0].childNs == events[1].durationNs)
        for e in events { #expect(e.selfNs <= e.durationNs) }
    }

    /// Self time counts each nanosecond of op time once: summed over all events it equals the
    /// top-level calls' durations, which fit in the recorded wall time.
    @Test func selfTimesSumToTopLevelTime() throws {
        let i = try Tensor([1, 2, 3, 4], shape: [2, 2], dtype: .int64), f = try Tensor.randn([2, 2])
        let (_, profiler) = try profile { try ((i + f).matmul(f) * 2).sum() }
        let recording = profiler.recording
        let selfSum = recording.events.reduce(UInt64(0)) { $0 + $1.selfNs }
        let topLevel = recording.events.filter { $0.depth == 0 }.reduce(UInt64(0)) { $0 + $1.durationNs }
        #expect(selfSum == topLevel)
        #expect(topLevel <= recording.wallNs)
        #expect(recording.events.contains { $0.depth > 0 })
    }

    @Test func scopesComeFromRecordAndBackward() throws {
        let w = try Tensor.randn([3, 2]).requiresGrad()
        let x = try Tensor.randn([4, 3])
        let (_, profiler) = try profile {
            let loss = try record("outer") { try record("inner") { try x.matmul(w) }.sum() }
            try record("step") { try loss.backward() }
        }
        let events = profiler.events
        let forward = try #require(events.first { $0.op == "matmul" })
        #expect(forward.scopes == ["outer", "inner"])
        #expect(events.first { $0.op == "sum" }?.scopes == ["outer"])
        let backwardOps = events.filter { $0.scopes.count == 2 && $0.scopes[0] == "step" }
        #expect(backwardOps.contains { $0.scopes[1].hasPrefix("backward of matmul#") && $0.op == "matmul" })
        #expect(EngineContext.current.scopes.isEmpty)
    }

    @Test func inPlaceCallsAreFlagged() throws {
        let a = try Tensor.randn([5]), b = try Tensor.randn([5])
        let (_, profiler) = try withNoGrad { try profile { try a.add_(b) } }
        let e = try #require(profiler.events.first)
        #expect(e.op == "add" && e.inPlace)
    }

    @Test func stopRemovesTheObserverAndRestoresThePreviousOne() throws {
        #expect(EngineContext.current.observer == nil)
        let outer = Profiler(), inner = Profiler()
        let x = try Tensor.randn([2])
        outer.start()
        inner.start()
        #expect(EngineContext.current.observer === inner)
        _ = try x.exp()
        inner.stop()
        #expect(EngineContext.current.observer === outer)
        outer.stop()
        #expect(EngineContext.current.observer == nil)
        // The enclosing profiler kept seeing the calls made while the inner one was installed.
        #expect(inner.events.map(\.op) == ["exp"])
        #expect(outer.events.map(\.op) == ["exp"])
    }

    @Test func profileUninstallsWhenTheBodyThrows() {
        #expect(throws: TensorError.self) {
            _ = try profile { try Tensor.randn([2, 3]).matmul(Tensor.randn([4, 5])) }
        }
        #expect(EngineContext.current.observer == nil)
    }

    @Test func failedCallsAreRecordedAsIncomplete() throws {
        let profiler = Profiler()
        profiler.start()
        defer { profiler.stop() }
        _ = try? Tensor.randn([2, 3]).matmul(Tensor.randn([4, 5]))
        let e = try #require(profiler.events.first { $0.op == "matmul" })
        #expect(!e.completed && e.flops == 0 && e.outputs.isEmpty)
    }

    @Test func capCountsDroppedCalls() throws {
        let x = try Tensor.randn([3])
        let (_, profiler) = try profile(capacity: 2) { for _ in 0..<5 { _ = try x.exp() } }
        #expect(profiler.events.count == 2)
        #expect(profiler.droppedEvents == 3)
        #expect(profiler.recording.droppedEvents == 3)
        #expect(ProfileTable(profiler.recording).text().contains("3 not recorded"))
    }

    /// Profiling observes; it must not change what a training step computes.
    @Test func profilingDoesNotChangeGradients() throws {
        // A private generator: other suites draw from the shared one in parallel.
        func step() throws -> [Double] { try withGenerator(Generator(seed: 7)) { try seededStep() } }
        func seededStep() throws -> [Double] {
            let x = try Tensor.randn([6, 5]), w = try Tensor.randn([5, 3]).requiresGrad()
            let i = try Tensor([1, 0, 2, 1, 0, 2], shape: [6, 1], dtype: .int64)
            try ((x.matmul(w) + i).relu() * 0.5).sum().backward()
            return try #require(w.grad).toDoubles()
        }
        let plain = try step()
        let (profiled, profiler) = try profile { try step() }
        #expect(plain == profiled)
        #expect(!profiler.events.isEmpty)
    }
}
