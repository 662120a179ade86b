import Testing
import DuetGraph
import DuetNN
import DuetTensor

/// Each pass: its structural effect on a graph built to show it, and the compiled results still
/// equal to eager ones with the pass on.
@Suite struct PassTests {
    static func only(_ names: String...) -> PassOptions {
        var o = PassOptions.none
        for n in names { _ = o.set(n, true) }
        return o
    }

    static func ops(_ g: Graph) -> [String] { g.nodes.map(\.op.name) }

    @Test func cseMergesARepeatedSubexpression() throws {
        let x = try Tensor.randn([4, 5])
        let body: ([Tensor]) throws -> [Tensor] = { xs in [try xs[0].exp() + xs[0].exp()] }
        let off = try compile("twice", passes: .none, body).graph([x])
        let on = compile("twice", passes: Self.only("cse"), body)
        let g = try on.graph([x])
        #expect(Self.ops(off).filter { $0 == "exp" }.count == 2)
        #expect(Self.ops(g).filter { $0 == "exp" }.count == 1)
        #expect(g.reports.first?.line == "cse: merged 1 repeated node")
        #expect(try maxAbsDifference(on([x])[0], body([x])[0]) == 0)
    }

    @Test func dceRemovesAnUnusedBranch() throws {
        let x = try Tensor.randn([4, 5])
        let body: ([Tensor]) throws -> [Tensor] = { xs in
            _ = try xs[0].tanh().sum()
            return [try xs[0] * 2]
        }
        let f = compile("unused", passes: Self.only("dce"), body)
        let g = try f.graph([x])
        #expect(!Self.ops(g).contains("tanh") && !Self.ops(g).contains("sum"))
        #expect(g.reports.first?.line == "dce: removed 2 unused nodes")
        #expect(try maxAbsDifference(f([x])[0], body([x])[0]) == 0)
    }

    @Test func foldingAndSimplificationRemoveConstantWork() throws {
        let x = try Tensor.randn([3])
        let body: ([Tensor]) throws -> [Tensor] = { xs in [try (xs[0] * 1 + 0).transpose(0, 1).transpose(0, 1)] }
        let g = try compile("identities", passes: Self.only("fold", "simplify", "dce"), body).graph([Tensor.randn([3, 2])])
        // Simplification leaves the inner transpose unread; DCE then drops it.
        #expect(g.nodes.isEmpty, "every node was an identity: \(Self.ops(g))")
        let f = compile("casts", passes: Self.only("fold"), { xs in [try xs[0] * 0.5] })
        // The wrapped 0.5 is cast to float32 by a `to` node; folding computes it now.
        #expect(try !f.graph([x]).nodes.contains { $0.op.name == "to" })
        #expect(try f([x])[0].toDoubles() == (x * 0.5).toDoubles())
    }

    @Test func theGeluChainBecomesOneFusedKernel() throws {
        let x = try Tensor.randn([10_000])
        let gelu: ([Tensor]) throws -> [Tensor] = { xs in
            let v = xs[0]
            let inner = try (v + v * v * v * 0.044715) * 0.7978845608
            return [try v * 0.5 * (inner.tanh() + 1)]
        }
        let f = compile("gelu", gelu)
        let g = try f.graph([x])
        #expect(g.nodes.count == 1 && g.nodes[0].members.count == 9, "\(Self.ops(g))")
        #expect(g.reports.contains { $0.line == "fuse: fused 9 ops into 1 kernel" })
        #expect(try maxAbsDifference(f([x])[0], gelu([x])[0]) <= 1e-6)
    }

    @Test func theMLPStepsPlannedMemoryIsBelowItsEagerPeak() throws {
        let model = Sequential(try Linear(64, 128), ReLU(), try Linear(128, 10))
        let opt = try SGD(model.parameters(), lr: 0.01)
        let x = try Tensor.randn([32, 64]), y = try Tensor.randint(0, 10, [32])
        let step = compiledTrainingStep(model, opt)
        let g = try step.graph([x, y])
        let plan = try #require(g.reports.last)
        #expect(plan.pass == "plan")
        // Everything the step computes, each in its own buffer, against the arena sharing them.
        let all = g.nodes.filter { !$0.inPlace && !$0.op.isView }.flatMap(\.outputs).reduce(0) { $0 + g.values[$1].meta.byteCount }
        let arena = (g.bufferOffsets.map { $0.value + g.values[$0.key].meta.byteCount }.max() ?? 0)
        #expect(arena < all, "arena \(arena) of \(all) bytes")
        // Eager code holds every gradient at once when the optimizer steps, besides the saved
        // activations; the plan's whole arena is smaller than the gradients alone, because the
        // weight updates run inside their gradients' GEMMs.
        let gradientBytes = model.parameters().reduce(0) { $0 + $1.meta.byteCount }
        #expect(arena < gradientBytes, "arena \(arena), gradients \(gradientBytes) bytes")
        #expect(g.nodes.filter { $0.op.name.hasPrefix("matmul+") && $0.inPlace }.count == 2)
    }

    @Test func biasAndActivationFoldIntoTheMatmul() throws {
        let x = try Tensor.randn([6, 5]), w = try Tensor.randn([4, 5]), b = try Tensor.randn([4]), row = try Tensor.randn([1, 4])
        let bodies: [(String, ([Tensor]) throws -> [Tensor], String)] = [
            ("linear_relu", { xs in [try (xs[0].matmul(w.mT) + b).relu()] }, "matmul+add+relu"),
            ("bias_first", { xs in [try (b + xs[0].matmul(w.mT)).relu()] }, "matmul+add+relu"),
            ("row_bias", { xs in [try xs[0].matmul(w.mT) + row] }, "matmul+add"),
            ("group", { xs in [try (xs[0].matmul(w.mT) + b).tanh() * 2] }, "matmul+add+tanh+mul"),
        ]
        for (name, body, fused) in bodies {
            let f = compile(name, body)
            let g = try f.graph([x])
            #expect(g.nodes.filter { !$0.op.isView }.map(\.op.name) == [fused], "\(name): \(Self.ops(g))")
            #expect(try maxAbsDifference(f([x])[0], body([x])[0]) <= 1e-6, "\(name)")
            #expect(try compile(name, passes: { var o = PassOptions(); o.gemm = false; return o }(), body).graph([x]).nodes.count > 1)
        }
    }

    @Test func aConvolutionsActivationFoldsIntoIt() throws {
        let x = try Tensor.randn([2, 3, 8, 8]), w = try Tensor.randn([4, 3, 3, 3]), b = try Tensor.randn([4])
        let body: ([Tensor]) throws -> [Tensor] = { xs in [try xs[0].conv2d(w, b, padding: [1]).relu()] }
        let f = compile("conv_relu", body)
        #expect(try Self.ops(f.graph([x])) == ["conv2d+relu"])
        #expect(try maxAbsDifference(f([x])[0], body([x])[0]) <= 1e-5)
    }

    @Test func theMLPStepsBiasReluAndUpdatesFoldIntoTheirGEMMs() throws {
        let model = try withGenerator(Generator(seed: 5)) { Sequential(try Linear(20, 32), ReLU(), try Linear(32, 32), ReLU(), try Linear(32, 5)) }
        let opt = try SGD(model.parameters(), lr: 0.1)
        let (x, y) = try withGenerator(Generator(seed: 6)) { (try Tensor.randn([16, 20]), try Tensor.randint(0, 5, [16])) }
        let step = compiledTrainingStep(model, opt)
        let ops = Self.ops(try step.graph([x, y]))
        #expect(ops.filter { $0 == "matmul+add+relu" }.count == 2, "\(ops)")
        #expect(ops.filter { $0 == "matmul+add" }.count == 1)
        #expect(ops.filter { $0 == "matmul+relu_backward" }.count == 2)
        #expect(ops.filter { $0 == "matmul+to+mul+sub" }.count == 3)
        #expect(!ops.contains("relu") && !ops.contains("matmul"), "every matmul has something folded in")
    }

    @Test func aFoldedUpdateWaitsForTheLastReadOfTheOldWeight() throws {
        let w = try withGenerator(Generator(seed: 7)) { try Tensor.randn([3, 4]).requiresGrad() }
        let w2 = try w.detach().clone().requiresGrad()
        let x = try withGenerator(Generator(seed: 8)) { try Tensor.randn([5, 4]) }
        func body(_ w: Tensor, _ opt: SGD, _ x: Tensor) throws -> [Tensor] {
            try opt.zeroGrad()
            try x.matmul(w.mT).sum().backward()
            // Read after the gradient's GEMM, before the update: must see the old weight.
            let before = try w.detach().sum()
            try opt.step()
            return [before]
        }
        let eagerOpt = try SGD([w], lr: 0.5), graphOpt = try SGD([w2], lr: 0.5)
        let f = compile("late_read") { xs in try body(w2, graphOpt, xs[0]) }
        for _ in 0..<3 {
            let eager = try body(w, eagerOpt, x)[0], graph = try f([x])[0]
            #expect(try maxAbsDifference(eager, graph) <= 1e-5)
        }
        #expect(try maxAbsDifference(w, w2) <= 1e-5)
        #expect(try Self.ops(f.graph([x])).contains("matmul+to+mul+sub"))
    }

    @Test func keptGradientsAreNotFoldedAway() throws {
        let w = try withGenerator(Generator(seed: 9)) { try Tensor.randn([3, 4]).requiresGrad() }
        let x = try withGenerator(Generator(seed: 10)) { try Tensor.randn([5, 4]) }
        let opt = try SGD([w], lr: 0.5)
        let f = compile("keep") { xs in
            try opt.zeroGrad()
            try xs[0].matmul(w.mT).sum().backward()
            try opt.step()
            return []
        }
        f.keepGradients = true
        _ = try f([x])
        #expect(try !Self.ops(f.graph([x])).contains("matmul+to+mul+sub"))
        let expected = try x.sum(dims: [0]).view([1, 4]).expand([3, 4])
        #expect(try maxAbsDifference(try #require(w.grad), expected) <= 1e-6)
    }
}
