import Testing
@testable import DuetTensor

/// Sizes so large that their arithmetic overflows used to trap the process (an illegal
/// instruction, or a segfault walking a tensor whose element count wrapped). Each test is one of
/// the script one-liners from issue #17 as engine calls; each must now give PyTorch's result or a
/// TensorError that names the op and the numbers.
@Suite struct SizeOverflowTests {
    /// Runs `body` with the engine's element limit set to `limit` on this thread.
    private func withLimit<R>(_ limit: Int, _ body: () throws -> R) rethrows -> R {
        let ctx = EngineContext.current
        let saved = ctx.maxElements
        ctx.maxElements = limit
        defer { ctx.maxElements = saved }
        return try body()
    }

    /// `torch.ones(5)[::9223372036854775807]` has shape (1,), and its gradient reaches element 0 only.
    @Test func sliceWithTheLargestStepKeepsTheFirstElement() throws {
        let x = try Tensor.arange(0, 5, dtype: .float64).requiresGrad()
        let y = try x.slice(dim: 0, step: Int.max)
        #expect(y.shape == [1])
        #expect(try y.toDoubles() == [0])
        try y.sum().backward()
        #expect(try x.grad?.toDoubles() == [1, 0, 0, 0, 0])
        let rows = try Tensor.ones([5, 4]).slice(dim: 0, start: Int.min, end: Int.max, step: Int.max)
        #expect(rows.shape == [1, 4])
    }

    /// `torch.zeros(3, 4)[:, 2:1].softmax(1)` is a (3, 0) tensor.
    @Test func softmaxOfAnEmptySliceIsEmpty() throws {
        let empty = try Tensor.zeros([3, 4]).slice(dim: 1, start: 2, end: 1)
        #expect(empty.shape == [3, 0])
        #expect(try empty.softmax(dim: 1).shape == [3, 0])
        #expect(try empty.logSoftmax(dim: 0).shape == [3, 0])
    }

    /// `torch.ones(1).expand(2**40, 2**40).sum()`: 2^80 elements cannot be counted in 64 bits.
    @Test func expandWhoseElementCountOverflowsThrows() throws {
        let one = try Tensor.ones([1])
        #expect(throws: TensorError.memory("expand: numel: integer multiplication overflow in shape [1099511627776,1099511627776]")) {
            try one.expand([1 << 40, 1 << 40]).sum()
        }
    }

    /// A view is held to the element limit like an allocation: whatever reads it walks every element.
    @Test func viewsAboveTheElementLimitThrow() throws {
        let one = try Tensor.ones([1])
        #expect(throws: TensorError.memory("expand: a tensor of shape [1048576,1048576] has 1099511627776 elements, more than the limit of 2147483648")) {
            try one.expand([1 << 20, 1 << 20])
        }
        try withLimit(100) { () throws -> Void in
            #expect(throws: TensorError.memory("add: a tensor of shape [10,20] has 200 elements, more than the limit of 100")) {
                try Tensor.zeros([20]) + Tensor.zeros([10, 1])
            }
            #expect(try Tensor.zeros([10]).expand([10, 10]).shape == [10, 10])
        }
    }

    /// `torch.arange(6).reshape(9223372036854775807, 3)`: PyTorch's error, not a trap.
    @Test func reshapeToAnOverflowingShapeThrows() throws {
        let x = try Tensor.arange(6)
        #expect(throws: TensorError.shape("reshape: shape [9223372036854775807,3] is invalid for input of size 6")) {
            try x.reshape([Int.max, 3])
        }
        #expect(throws: TensorError.shape("view: shape [-1,4611686018427387904,4] is invalid for input of size 6")) {
            try x.view([-1, 1 << 62, 4])
        }
    }

    /// `F.pad(x, (2**62, 2**62))`: the padded size overflows; one power lower it is merely too large.
    @Test func padWhoseSizeOverflowsThrows() throws {
        let x = try Tensor.zeros([1, 5])
        #expect(throws: TensorError.value("pad: the size 5 + 4611686018427387904 + 4611686018427387904 does not fit in a 64-bit integer")) {
            try x.pad([1 << 62, 1 << 62])
        }
        #expect(throws: TensorError.memory("pad: a tensor of shape [1,4611686018427387909] has 4611686018427387909 elements, more than the limit of 2147483648")) {
            try x.pad([1 << 61, 1 << 61])
        }
    }

    /// `F.max_pool2d(x, 2, padding=2**62)`: PyTorch's padding rule, checked without arithmetic.
    @Test func maxPoolWithAHugePaddingThrows() throws {
        let x = try Tensor.zeros([1, 1, 4, 4])
        #expect(throws: TensorError.value("max_pool2d: padding should be at most half of kernel_size")) {
            try x.maxPool2d(kernelSize: [2], padding: [1 << 62])
        }
        #expect(throws: TensorError.value("max_pool2d: the size 1099511627776 * 1099511627776 does not fit in a 64-bit integer")) {
            try x.maxPool2d(kernelSize: [1 << 40])
        }
    }

    /// `F.max_pool2d(x, 0)` divided by zero (a zero kernel is also the default stride): every
    /// window op now refuses a kernel, stride or dilation below 1 and a negative padding.
    @Test func windowsBelowOneAreRefusedBeforeAnyDivision() throws {
        let x = try Tensor.zeros([1, 1, 4, 4])
        #expect(throws: TensorError.value("max_pool2d: kernel_size must be greater than zero, but got 0×0")) { try x.maxPool2d(kernelSize: [0]) }
        #expect(throws: TensorError.value("avg_pool2d: stride must be greater than zero, but got 0×1")) { try x.avgPool2d(kernelSize: [2], stride: [0, 1]) }
        #expect(throws: TensorError.value("conv2d: stride must be greater than zero, but got 0×0")) { try x.conv2d(Tensor.ones([1, 1, 2, 2]), stride: [0]) }
        #expect(throws: TensorError.value("conv2d: dilation must be greater than zero, but got 0×0")) { try x.conv2d(Tensor.ones([1, 1, 2, 2]), dilation: [0]) }
        #expect(throws: TensorError.value("conv2d: kernel_size must be greater than zero, but got 0×2")) { try x.conv2d(Tensor.ones([1, 1, 0, 2])) }
        #expect(throws: TensorError.value("unfold: padding must be at least zero, but got -1×-1")) { try x.unfold(kernelSize: [2], padding: [-1]) }
        #expect(throws: TensorError.value("fold: kernel_size must be greater than zero, but got 0×0")) {
            try Tensor.ones([1, 4, 4]).fold(outputSize: [3, 3], kernelSize: [0])
        }
    }

    /// A window far wider than the image covers it once: only the taps that land on it are visited.
    @Test func poolingWithAHugeKernelReadsOnlyTheImage() throws {
        let x = try Tensor((0..<12).map(Double.init), shape: [1, 1, 3, 4])
        let k = 1 << 20
        let maxed = try x.maxPool2d(kernelSize: [k], padding: [k / 2])
        #expect(maxed.shape == [1, 1, 1, 1])
        #expect(try maxed.item() == 11)
        let averaged = try x.avgPool2d(kernelSize: [k], padding: [k / 2])
        #expect(try averaged.item() == 66 / Double(k * k))
    }

    /// `nn.Conv2d(1, 1, 3, padding=2**62)(x)`, and the paddings and dilations just below overflow.
    @Test func convWithAHugePaddingThrows() throws {
        let x = try Tensor.zeros([1, 1, 5, 5]), w = try Tensor.zeros([1, 1, 3, 3])
        #expect(throws: TensorError.value("conv2d: the size 5 + 4611686018427387904 + 4611686018427387904 does not fit in a 64-bit integer")) {
            try x.conv2d(w, padding: [1 << 62])
        }
        #expect(throws: TensorError.memory("conv2d: numel: integer multiplication overflow in shape [1,1,2199023255555,2199023255555]")) {
            try x.conv2d(w, padding: [1 << 40])
        }
        #expect(throws: TensorError.memory("conv2d: a tensor of shape [1,1,2097155,2097155] has 4398059094025 elements, more than the limit of 2147483648")) {
            try x.conv2d(w, padding: [1 << 20])
        }
        // A one-pixel output whose zero-padded input plane would not fit.
        #expect(throws: TensorError.memory("conv2d: numel: integer multiplication overflow in shape [2199023255557,2199023255557]")) {
            try x.conv2d(w, stride: [1 << 42], padding: [1 << 40])
        }
        let x2 = try Tensor.zeros([1, 2, 1, 1]), w2 = try Tensor.zeros([1, 2, 2, 2])
        #expect(throws: TensorError.memory("conv2d: a tensor of shape [2147483649,2147483649] has 4611686022722355201 elements, more than the limit of 2147483648")) {
            try x2.conv2d(w2, padding: [1 << 30], dilation: [1 << 31])
        }
    }

    /// cat adds sizes too: two views whose lengths sum past Int.max (bools, so their bytes fit).
    @Test func catWhoseLengthOverflowsThrows() throws {
        try withLimit(Int.max) { () throws -> Void in
            let long = try Tensor.ones([1], dtype: .bool).expand([1 << 62])
            #expect(throws: TensorError.value("cat: the size 4611686018427387904 + 4611686018427387904 does not fit in a 64-bit integer")) {
                try Tensor.cat([long, long])
            }
        }
    }

    /// Creation functions that build their values first are held to the limit before they do.
    @Test func creationAboveTheLimitThrows() throws {
        #expect(throws: TensorError.memory("arange: 1e+300 elements (start 0.0, end 1e+300, step 1.0) is more than the limit of 2147483648")) {
            try Tensor.arange(0, 1e300)
        }
        #expect(throws: TensorError.memory("randperm: a tensor of shape [4611686018427387904] has 4611686018427387904 elements, more than the limit of 2147483648")) {
            try Tensor.randperm(1 << 62)
        }
        #expect(throws: TensorError.value("randint: high (9223372036854775807) must be greater than low (-9223372036854775808) and the range must fit in 64 bits")) {
            try Tensor.randint(Int.min, Int.max, [1])
        }
    }
}
