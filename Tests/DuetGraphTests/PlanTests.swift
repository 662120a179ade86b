import Testing
import DuetGraph
import DuetNN
import DuetTensor

/// What running a plan must not do (record tape nodes, allocate beyond its outputs), when it
/// must retrace, and what it refuses to trace.
@Suite struct PlanTests {
    @Test func callsAfterTheFirstRecordNoTapeAndAllocateOnlyTheirOutputs() throws {
        let model = Sequential(try Linear(8, 16), ReLU(), try Linear(16, 3))
        let opt = try SGD(model.parameters(), lr: 0.1)
        let step = compiledTrainingStep(model, opt)
        let x = try Tensor.randn([4, 8]), y = try Tensor.randint(0, 3, [4])
        _ = try step([x, y])
        let tape = EngineContext.current.tape
        tape.reset()
        let before = EngineContext.current.allocations
        let loss = try step([x, y])
        let after = EngineContext.current.allocations
        #expect(tape.records.isEmpty, "a compiled call recorded \(tape.records.count) tape nodes")
        #expect(after - before == loss.count, "allocations per call: \(after - before), outputs: \(loss.count)")
        // The step's own SGD update consumed the gradients (TensorFlow's behaviour), so none is kept.
        #expect(model.parameters().allSatisfy { $0.grad == nil })
    }

    @Test func keptGradientsMatchEager() throws {
        let model = Sequential(try Linear(8, 16), ReLU(), try Linear(16, 3))
        let opt = try SGD(model.parameters(), lr: 0.1)
        let x = try Tensor.randn([4, 8]), y = try Tensor.randint(0, 3, [4])
        try Loss.crossEntropy(model(x), y).backward()
        let eagerGrads = model.parameters().map(\.grad)
        let step = compile("step") { xs in
            try opt.zeroGrad()
            try Loss.crossEntropy(model(xs[0]), xs[1]).backward()
            return []
        }
        // No update in the function: the gradients are its results and are written back.
        _ = try step([x, y])
        for (p, e) in zip(model.parameters(), eagerGrads) {
            let g = try #require(p.grad), e = try #require(e)
            #expect(try maxAbsDifference(g, e) < 1e-6)
        }
        let updating = compiledTrainingStep(model, opt, name: "update")
        updating.keepGradients = true
        _ = try updating([x, y])
        #expect(model.parameters().allSatisfy { $0.grad != nil })
    }

    @Test func retracesExactlyWhenTheSignatureChangesAndSaysWhy() throws {
        var told: [String] = []
        let f = compile("double") { xs in [try xs[0] * 2] }
        f.onRetrace = { told.append($0) }
        _ = try f([Tensor.ones([64, 784])])
        _ = try f([Tensor.zeros([64, 784])])
        #expect(f.traceCount == 1 && told.isEmpty)
        _ = try f([Tensor.ones([32, 784])])
        #expect(f.traceCount == 2)
        #expect(told == ["retracing double: argument 1 shape [64,784] → [32,784]"])
        _ = try f([Tensor.ones([32, 784], dtype: .float64)])
        #expect(told.last == "retracing double: argument 1 dtype float32 → float64")
        _ = try f([Tensor.ones([64, 784])])
        #expect(f.traceCount == 3, "a signature seen before reuses its plan")
        #expect(f.retraceReasons == told)
    }

    @Test func switchingAModuleToEvalModeRetraces() throws {
        let drop = try Dropout(0.5)
        let x = try Tensor.ones([4, 8])
        var told: [String] = []
        let f = compile("drop") { xs in [try drop(xs[0])] }
        f.onRetrace = { told.append($0) }
        let trained = try withGenerator(Generator(seed: 11)) { try f([x])[0].toDoubles() }
        #expect(trained.contains(0) && trained.contains(2), "training mode drops and rescales")
        drop.eval()
        #expect(try f([x])[0].toDoubles() == x.toDoubles(), "eval mode is the identity")
        #expect(told == ["retracing drop: Dropout.training True → False"])
        _ = try f([x])
        #expect(f.traceCount == 2, "an unchanged flag reuses the plan")
        drop.train()
        _ = try f([x])
        #expect(told.last == "retracing drop: Dropout.training False → True")
    }

    @Test func readingValuesInsideATraceIsAClearError() throws {
        let f = compile("branchy") { xs in
            if try xs[0].sum().item() > 0 { return [xs[0]] }
            return [try -xs[0]]
        }
        #expect {
            _ = try f([Tensor.ones([3])])
        } throws: { error in
            "\(error)".contains("item(): cannot read a tensor's values inside a compiled function")
        }
    }

    @Test func capturedStateIsReadAtEveryRunNotFrozen() throws {
        let scale = try Tensor.full([], 2.0)
        let f = compile("scaled") { xs in [try xs[0] * scale] }
        let x = try Tensor.ones([3])
        #expect(try f([x])[0].toDoubles() == [2, 2, 2])
        try scale.fill_(5)
        #expect(try f([x])[0].toDoubles() == [5, 5, 5])
    }

    @Test func inPlaceUpdatesOfCapturedTensorsPersistAcrossCalls() throws {
        let counter = try Tensor.zeros([])
        let f = compile("tick") { _ in [try counter.add_(1)] }
        for _ in 0..<3 { _ = try f([]) }
        #expect(try counter.item() == 3)
    }

    @Test func theTextFormListsEveryNode() throws {
        let w = try Tensor.randn([3, 4])
        let f = compile("affine") { xs in [try (xs[0].matmul(w)).relu().sum(dims: [1])] }
        let g = try f.graph([Tensor.randn([2, 3])])
        let text = g.text
        // The relu is folded into the matmul's output pass (the gemm pass).
        #expect(text.hasPrefix("graph affine: 2 nodes, 1 arguments, 1 captured"))
        #expect(text.contains("#0    %3 = matmul+relu(%0, %1)"))
        #expect(text.contains("#1    %4 = sum(%3; dim=(1), keepdim=False)"))
        #expect(text.contains("returned"))
        #expect(g.dot.hasPrefix("digraph \"affine\" {"))
    }
}
