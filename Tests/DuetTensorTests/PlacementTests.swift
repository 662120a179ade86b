import Testing
@testable import DuetTensor

/// Each op's declared placement is PyTorch's: these are functions only (no Tensor method), these
/// also live in torch.nn.functional, these elementwise ops have no in-place form, and the
/// collectives are placed nowhere (torch.distributed calls them). The
/// language generates its builtins from the field alone.
@Suite struct PlacementTests {
    static let functionOnly: Set<String> = ["where", "unfold", "fold", "conv2d", "max_pool2d", "avg_pool2d", "one_hot", "cat", "pad", "slice"]
    static let functional: Set<String> = ["relu", "sigmoid", "tanh", "softmax", "log_softmax", "conv2d", "max_pool2d", "avg_pool2d", "pad", "one_hot", "unfold", "fold"]
    static let noInPlace: Set<String> = ["to", "clone"]
    /// Ops that are not elementwise but have PyTorch's in-place form.
    static let inPlaceIndexing: Set<String> = ["scatter", "scatter_add", "index_add"]
    /// torch.distributed's collectives: the `dist` namespace publishes them, not `torch.`.
    static let collectives: Set<String> = ["all_reduce", "all_reduce_start", "all_reduce_wait", "broadcast", "all_gather", "reduce_scatter"]

    @Test(arguments: Ops.all.map(\.name))
    func placementMatchesTheBuiltinSets(name: String) throws {
        let op = try #require(Ops.byName[name])
        if Self.collectives.contains(name) {
            #expect(op.placement == [], "\(name) is published by torch.distributed only")
            return
        }
        let method = !Self.functionOnly.contains(name)
        #expect(op.placement.contains(.function), "\(name) is a function")
        #expect(op.placement.contains(.method) == method, "\(name) method")
        #expect(op.placement.contains(.functional) == Self.functional.contains(name), "\(name) in F")
        let inPlace = Self.inPlaceIndexing.contains(name) || (method && op.fusion == .elementwise && !Self.noInPlace.contains(name))
        #expect(op.placement.contains(.inPlace) == inPlace, "\(name)_ in place")
    }

    @Test func namedOpsArePlacedAsListed() {
        #expect(Ops.where_.placement == [.function])
        #expect(Ops.cat.placement == [.function])
        #expect(Ops.slice.placement == [.function])
        #expect(Ops.conv2d.placement == [.function, .functional])
        #expect(Ops.oneHot.placement == [.function, .functional])
        #expect(Ops.relu.placement == [.function, .method, .functional, .inPlace])
        #expect(Ops.softmax.placement == [.function, .method, .functional])
        #expect(Ops.to.placement == [.function, .method])
        #expect(Ops.clone.placement == [.function, .method])
        #expect(Ops.add.placement == [.function, .method, .inPlace])
        #expect(Ops.sum.placement == [.function, .method])
    }
}
