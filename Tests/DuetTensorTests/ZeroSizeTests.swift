import Foundation
import Testing
@testable import DuetTensor

/// Zero-size tensors give PyTorch's results: reductions with an identity return it, those without
/// one refuse an empty reduced dim by name, and shapes flow through softmax, matmul and conv.
/// (The registry-wide tests run every op on zero-size samples against its reference; these pin
/// the values PyTorch users rely on.)
@Suite struct ZeroSizeTests {
    @Test func sumOfNothingIsZeroAndMeanIsNaN() throws {
        #expect(try Tensor.zeros([0]).sum().item() == 0)
        #expect(try Tensor.zeros([3, 0]).sum(dims: [1]).toDoubles() == [0, 0, 0])
        #expect(try Tensor.zeros([0, 3], dtype: .int64).sum().item() == 0)
        #expect(try Tensor.zeros([0]).mean().item().isNaN)
        #expect(try Tensor.zeros([0, 2]).mean(dims: [0]).toDoubles().allSatisfy(\.isNaN))
    }

    /// max has no identity: an empty reduced dim is an error that names it; an empty kept dim is not.
    @Test func extremaOverAnEmptyDimThrowNamingTheDim() throws {
        let x = try Tensor.zeros([3, 0])
        #expect(throws: TensorError.dim("amax: expected reduction dim 1 to have non-zero size (input shape [3,0])")) { try x.amax(dims: [1]) }
        #expect(throws: TensorError.dim("amin: expected reduction dim 1 to have non-zero size (input shape [3,0])")) { try x.min() }
        #expect(throws: TensorError.dim("argmax: expected reduction dim 1 to have non-zero size (input shape [3,0])")) { try x.argmax(dim: -1) }
        #expect(throws: TensorError.dim("argmin: expected reduction dim 1 to have non-zero size (input shape [3,0])")) { try x.argmin() }
        #expect(try x.amax(dims: [0]).shape == [0])
        #expect(try x.argmax(dim: 0, keepdim: true).shape == [1, 0])
    }

    @Test func softmaxKeepsAnEmptyShape() throws {
        let x = try Tensor.zeros([3, 0]).requiresGrad()
        let y = try x.softmax(dim: 1)
        #expect(y.shape == [3, 0])
        try y.sum().backward()
        #expect(x.grad?.shape == [3, 0])
    }

    @Test func matmulOverAnEmptyInnerDimIsZeros() throws {
        let a = try Tensor.ones([2, 0]).requiresGrad(), b = try Tensor.ones([0, 3]).requiresGrad()
        let c = try a.matmul(b)
        #expect(c.shape == [2, 3])
        #expect(try c.toDoubles() == [Double](repeating: 0, count: 6))
        try c.sum().backward()
        #expect(a.grad?.shape == [2, 0])
        #expect(b.grad?.shape == [0, 3])
    }

    @Test func convolutionOfAnEmptyBatchAndOfNoChannels() throws {
        let w = try Tensor.ones([4, 3, 3, 3]), bias = try Tensor([1, 2, 3, 4])
        #expect(try Tensor.zeros([0, 3, 8, 8]).conv2d(w, bias, padding: [1]).shape == [0, 4, 8, 8])
        // With no input channels every output is its channel's bias.
        let out = try Tensor.zeros([1, 0, 2, 2]).conv2d(Tensor.zeros([4, 0, 1, 1]), bias)
        #expect(try out.toDoubles() == [1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4])
        #expect(try Tensor.zeros([0, 2, 4, 4]).maxPool2d(kernelSize: [2]).shape == [0, 2, 2, 2])
    }

    @Test func emptyPiecesJoinAndPad() throws {
        let joined = try Tensor.cat([Tensor.zeros([2, 0]), Tensor.ones([2, 3])], dim: 1)
        #expect(joined.shape == [2, 3])
        #expect(try Tensor.zeros([2, 0]).pad([1, 1], value: 7).toDoubles() == [7, 7, 7, 7])
        #expect(try Tensor.zeros([0, 3]).reshape([-1, 3]).shape == [0, 3])
    }
}
