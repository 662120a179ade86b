import Testing
@testable import DuetTensor

/// Exact error text for bad calls: each message names the op and the values involved, and the
/// error's case says what kind of mistake it was. These pin what the engine really says.
@Suite struct ErrorMessageTests {
    /// Asserts that `body` throws exactly `expected`, both as a value and as printed text.
    private func expectError(_ expected: TensorError, sourceLocation: SourceLocation = #_sourceLocation,
                             _ body: () throws -> Any) {
        do {
            _ = try body()
            Issue.record("expected the error \"\(expected)\", but nothing was thrown", sourceLocation: sourceLocation)
        } catch {
            #expect(String(describing: error) == expected.description, sourceLocation: sourceLocation)
            #expect(error as? TensorError == expected, sourceLocation: sourceLocation)
        }
    }

    private func zeros(_ shape: [Int]) throws -> Tensor { try Tensor.zeros(shape) }
    private func ints(_ v: [Double]) throws -> Tensor { try Tensor(v, shape: [v.count], dtype: .int64) }

    // MARK: - Shapes

    @Test func matmulInnerDimensionMismatch() throws {
        let a = try zeros([3, 4]), b = try zeros([5, 6])
        expectError(.shape("matmul: shapes [3,4] and [5,6] cannot be multiplied (4 ≠ 5)")) { try a.matmul(b) }
    }

    @Test func matmulOfAZeroDimTensor() throws {
        let a = try Tensor([1], shape: []), b = try zeros([2])
        expectError(.shape("matmul: both arguments need at least 1 dim, got [] and [2]")) { try a.matmul(b) }
    }

    @Test func broadcastMismatch() throws {
        let a = try zeros([2, 3]), b = try zeros([4])
        expectError(.shape("add: shapes [2,3] and [4] cannot be broadcast (dimension 1: 3 vs 4)")) { try a + b }
        expectError(.shape("mul: shapes [4] and [2,3] cannot be broadcast (dimension 1: 4 vs 3)")) { try b * a }
    }

    @Test func viewWithAWrongElementCount() throws {
        let x = try zeros([2, 3])
        expectError(.shape("view: shape [4] is invalid for input of size 6")) { try x.view([4]) }
        expectError(.shape("reshape: shape [4,-1] is invalid for input of size 6")) { try x.reshape([4, -1]) }
        expectError(.shape("reshape: only one dimension can be inferred (-1) in [-1,-1]")) { try x.reshape([-1, -1]) }
    }

    @Test func viewOfANonViewableLayout() throws {
        let t = try zeros([2, 3]).T
        expectError(.shape("view: size [6] is not compatible with the input's strides [1,3]; use reshape(), which copies")) {
            try t.view([6])
        }
    }

    @Test func catWithMismatchedShapes() throws {
        let a = try zeros([2, 3]), b = try zeros([2, 4])
        expectError(.shape("cat: tensor 1 has shape [2,4], expected [2,3] except in dim 0")) { try Tensor.cat([a, b], dim: 0) }
        #expect(try Tensor.cat([a, b], dim: 1).shape == [2, 7])
    }

    @Test func expandToAnIncompatibleSize() throws {
        let x = try zeros([3])
        expectError(.shape("expand: the size of dim 1 (3) must match 4 or be 1 (from [3] to [2,4])")) { try x.expand([2, 4]) }
    }

    // MARK: - Dims and indices

    @Test func reductionDimOutOfRange() throws {
        let x = try zeros([2, 3])
        expectError(.dim("sum: dim 2 is out of range for a tensor of rank 2 (expected -2...1)")) { try x.sum(dims: [2]) }
        expectError(.dim("sum: dim -3 is out of range for a tensor of rank 2 (expected -2...1)")) { try x.sum(dims: [-3]) }
        expectError(.dim("sum: dim -1 appears more than once")) { try x.sum(dims: [1, -1]) }
    }

    @Test func permuteWithRepeatedDims() throws {
        let x = try zeros([2, 3])
        expectError(.dim("permute: repeated dim in [0,-2]")) { try x.permute([0, -2]) }
        expectError(.dim("permute: got 1 dims for a tensor of rank 2")) { try x.permute([0]) }
    }

    /// PyTorch's own wording for `x[i]`; note that, unlike the other messages, it does not name the op.
    @Test func selectIndexOutOfRange() throws {
        let x = try zeros([3, 4])
        expectError(.index("index 3 is out of bounds for dimension 0 with size 3")) { try x.select(dim: 0, index: 3) }
        expectError(.index("index -5 is out of bounds for dimension 1 with size 4")) { try x.select(dim: 1, index: -5) }
        expectError(.dim("select: dim 2 is out of range for a tensor of rank 2 (expected -2...1)")) { try x.select(dim: 2, index: 0) }
    }

    @Test func sliceWithANonPositiveStep() throws {
        let x = try zeros([5])
        expectError(.index("slice: step must be positive (got 0)")) { try x.slice(dim: 0, step: 0) }
        expectError(.index("slice: step must be positive (got -1)")) { try x.slice(dim: 0, step: -1) }
    }

    @Test func gatherIndexOutOfRange() throws {
        let x = try zeros([2, 3])
        let index = try Tensor([0, 3], shape: [1, 2], dtype: .int64)
        expectError(.index("gather: index 3 is out of bounds for dim 1 with size 3")) { try x.gather(dim: 1, index: index) }
        let negative = try Tensor([-1], shape: [1, 1], dtype: .int64)
        expectError(.index("gather: index -1 is out of bounds for dim 1 with size 3")) { try x.gather(dim: 1, index: negative) }
        expectError(.dtype("gather: expected index to be an int64 tensor, got float32")) { try x.gather(dim: 1, index: x) }
    }

    @Test func indexSelectIndexOutOfRange() throws {
        let x = try zeros([3, 2])
        expectError(.index("index_select: index 5 is out of bounds for dim 0 with size 3")) {
            try x.indexSelect(dim: 0, index: self.ints([0, 5]))
        }
        expectError(.shape("index_select: index must be 1-D, got shape [1,1]")) {
            try x.indexSelect(dim: 0, index: Tensor([0], shape: [1, 1], dtype: .int64))
        }
    }

    @Test func oneHotClassOutOfRange() throws {
        let labels = try ints([0, 3])
        expectError(.index("one_hot: class value 3 is out of range for num_classes 3")) { try labels.oneHot(numClasses: 3) }
        expectError(.index("one_hot: class value -1 is out of range for num_classes 2")) { try self.ints([1, -1]).oneHot(numClasses: 2) }
        expectError(.value("one_hot: num_classes must be positive, got 0")) { try labels.oneHot(numClasses: 0) }
    }

    // MARK: - Dtypes and values

    @Test func whereWithANonBoolCondition() throws {
        let c = try ints([1, 0]), a = try zeros([2])
        expectError(.dtype("where: expected condition to be a bool tensor, got int64")) { try Tensor.where_(c, a, a) }
    }

    @Test func integerDivisionByZero() throws {
        let a = try ints([1, 2]), b = try ints([1, 0])
        expectError(.value("floor_divide: integer division by zero")) { try a.floorDivide(b) }
        expectError(.value("remainder: integer division by zero")) { try a % b }
    }

    @Test func inPlaceShapeAndDtypeErrors() throws {
        let x = try zeros([3])
        expectError(.shape("add_: the result shape [2,3] does not match the in-place target's shape [3]")) { try x.add_(self.zeros([2, 3])) }
        expectError(.shape("copy_: src of shape [2,3] does not broadcast to [3]")) { try x.copy_(self.zeros([2, 3])) }
        expectError(.dtype("add_: result type float32 can't be cast to the in-place target's type int64")) { try self.ints([1]).add_(0.5) }
    }

    // MARK: - Autograd and scalars

    @Test func backwardOnANonScalar() throws {
        let y = try zeros([2, 3]).requiresGrad() * 2
        expectError(.autograd("backward: grad can be implicitly created only for scalar outputs (this tensor has shape [2,3]); pass a gradient")) {
            try y.backward()
        }
        expectError(.shape("backward: gradient shape [3] does not match the tensor's shape [2,3]")) { try y.backward(self.zeros([3])) }
    }

    @Test func backwardOnATensorWithoutGrad() throws {
        let y = try zeros([1]).sum()
        expectError(.autograd("element 0 of tensors does not require grad and does not have a grad_fn")) { try y.backward() }
    }

    @Test func itemOnAMultiElementTensor() throws {
        let x = try zeros([2, 3])
        expectError(.value("item: a tensor with 6 elements cannot be converted to a scalar")) { try x.item() }
        #expect(try zeros([1, 1]).item() == 0)
    }

    // MARK: - Memory

    @Test func allocationLargerThanTheMachineThrows() throws {
        do {
            _ = try Tensor.zeros([1 << 40, 1 << 10])
            Issue.record("a 4 PB tensor should not be allocated")
        } catch let error as TensorError {
            guard case .memory(let message) = error else {
                Issue.record("expected a .memory error, got \(error)")
                return
            }
            // The machine's size is part of the text, so only the rest is pinned.
            #expect(message.hasPrefix("cannot allocate 4096.0 TB: this machine has "))
            #expect(message.hasSuffix(" of memory"))
        }
    }

    @Test func shapeWhoseSizeOverflowsThrows() throws {
        expectError(.memory("tensor: numel: integer multiplication overflow in shape [4611686018427387904,1024]")) { try Tensor.zeros([1 << 62, 1 << 10]) }
        expectError(.memory("tensor: a float32 tensor of shape [4611686018427387904] needs more bytes than a 64-bit integer counts")) { try Tensor.zeros([1 << 62]) }
        expectError(.shape("tensor: negative dimension -2 in shape [3,-2]")) { try Tensor.zeros([3, -2]) }
    }
}
