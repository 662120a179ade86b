import Testing
@testable import DuetTensor

/// `retainGrad()`: a non-leaf keeps the gradient backward routes through it; leaves are unaffected.
@Suite struct RetainGradTests {
    @Test func aNonLeafKeepsItsGradient() throws {
        let x = try Tensor([1, 2, 3]).requiresGrad()
        let h = try x * x
        try h.retainGrad()
        #expect(h.retainsGrad)
        try (h * 3).sum().backward()
        #expect(try h.grad?.toDoubles() == [3, 3, 3])
        #expect(try x.grad?.toDoubles() == [6, 12, 18])
    }

    @Test func withoutRetainGradANonLeafHasNoGradient() throws {
        let x = try Tensor([1, 2]).requiresGrad()
        let h = try x * 2
        try h.sum().backward()
        #expect(h.grad == nil)
        #expect(!h.retainsGrad)
    }

    @Test func leavesAndTensorsWithoutGradients() throws {
        let x = try Tensor([1, 2]).requiresGrad()
        try x.retainGrad()
        #expect(!x.retainsGrad)
        #expect(throws: TensorError.self) { try Tensor([1, 2]).retainGrad() }
    }
}
