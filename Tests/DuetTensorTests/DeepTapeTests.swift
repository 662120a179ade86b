import Testing
@testable import DuetTensor

/// Tapes far deeper than the call stack: dropping one must not recurse once per node (each
/// node's deinit used to release the next, and 200 000 of them overflowed the stack).
@Suite struct DeepTapeTests {
    static let depth = 200_000

    /// `x = x * 1.0001` in a loop, then every reference dropped without calling backward().
    @Test func aLongChainIsReleasedWithoutBackward() throws {
        let leaf = try Tensor.ones([1]).requiresGrad()
        var x = leaf
        for _ in 0..<Self.depth { x = try x * 1.0001 }
        #expect(x.gradFn != nil)
        x = leaf
        #expect(x.isLeaf)
    }

    /// Views add a second kind of link (a view's base holds the op that made it).
    @Test func aLongChainOfViewsIsReleased() throws {
        let leaf = try Tensor.ones([2, 2]).requiresGrad()
        var x = leaf
        for _ in 0..<Self.depth { x = try (x * 1.0001).view([4]).view([2, 2]) }
        #expect(x.viewBase != nil)
        x = leaf
    }

    /// Backward through the chain, then release: what is still shared must survive the teardown.
    @Test func aLongChainIsReleasedAfterBackwardAndSharedPartsSurvive() throws {
        let leaf = try Tensor([1.0], shape: [1], dtype: .float64).requiresGrad()
        var x = leaf
        var middle: Tensor?
        for i in 0..<Self.depth {
            x = try x * 1.000001
            if i == Self.depth / 2 { middle = x }
        }
        try x.sum().backward(retainGraph: true)
        #expect(abs(try (leaf.grad?.item() ?? 0) - 1.000001.power(Self.depth)) < 1e-6)
        x = leaf
        // The first half of the chain is still reachable through `middle`, and still works.
        leaf.grad = nil
        try middle?.sum().backward()
        #expect(abs(try (leaf.grad?.item() ?? 0) - 1.000001.power(Self.depth / 2 + 1)) < 1e-6)
    }
}

private extension Double {
    func power(_ n: Int) -> Double { (0..<n).reduce(1.0) { acc, _ in acc * self } }
}
