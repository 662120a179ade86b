import Testing
import DuetGraph
import DuetTensor

/// Graph nodes hold attrs bound to their op's signature: readable by name in passes and the plan,
/// and a traced call with bad attrs fails the compile with the dispatcher's error.
@Suite struct GraphAttrTests {
    @Test func tracedNodesHoldBoundAttrs() throws {
        let x = try Tensor.randn([2, 3, 4])
        let g = try compile("perm", passes: .none) { xs in [try xs[0].permute([2, 0, 1]).sum(dims: [1], keepdim: true)] }.graph([x])
        let permute = try #require(g.nodes.first { $0.op.name == "permute" })
        #expect(try permute.attrs.ints("dims") == [2, 0, 1])
        let sum = try #require(g.nodes.first { $0.op.name == "sum" })
        #expect(try sum.attrs.optionalInts("dim") == [1] && sum.attrs.bool("keepdim"))
        #expect(throws: TensorError.value("sum(): no argument named 'dims' (declared: dim, keepdim)")) { try sum.attrs.ints("dims") }
    }

    @Test func badAttrsFailTheTrace() throws {
        let f = compile("bad") { xs in [try Dispatch.call1(Ops.sum, xs, Attrs([.dtype(.float32)]))] }
        #expect(throws: TensorError.value("sum(): argument 'dim' must be ints, not torch.dtype")) { try f([try Tensor.randn([3])]) }
    }
}
