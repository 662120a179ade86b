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
        let step = compile("step") { xs in
            try opt.zeroGrad()
            try Loss.crossEntropy(model(xs[0]), xs[1]).backward()
            try opt.step()
            return []
        }
        let g = try step.graph([x, y])
        let plan = try #require(g.reports.last)
        #expect(plan.pass == "plan")
        // Everything the step computes, each in its own buffer, against the arena sharing them.
        let all = g.nodes.filter { !$0.inPlace && !$0.op.isView }.flatMap(\.outputs).reduce(0) { $0 + g.values[$1].meta.byteCount }
        let arena = (g.bufferOffsets.map { $0.value + g.values[$0.key].meta.byteCount }.max() ?? 0)
        #expect(arena < all / 2, "arena \(arena) of \(all) bytes")
    }
}
