import Foundation
import Testing
@testable import DuetTensor

/// The im2col, conv and pooling kernels against the ops' naive references on geometries the
/// registry samples leave out (stride 2 with padding, dilation, non-square kernels, planes large
/// enough to split across threads, several GEMM groups), in float32 and float64.
@Suite struct ConvKernelTests {
    func tensor(_ shape: [Int], _ dtype: DType, seed: Double) throws -> Tensor {
        let n = shape.reduce(1, *)
        return try Tensor((0..<n).map { Foundation.sin(Double($0) * 0.61 + seed) * 2 }, shape: shape, dtype: dtype)
    }

    func expectMatchesReference(_ op: OpDef, _ inputs: [Tensor], _ attrs: Attrs, _ label: String) throws {
        let out = try Dispatch.call(op, inputs, attrs)[0]
        let ref = try op.runReference(inputs.map { try $0.toRefArray() }, attrs)[0]
        let got = try out.toDoubles()
        let tol = out.dtype == .float32 ? 1e-4 : 1e-11
        #expect(out.shape == ref.shape, "\(label): shape \(out.shape) vs \(ref.shape)")
        #expect(allClose(got, ref.data, atol: tol, rtol: tol), "\(label): max difference \(maxDifference(got, ref.data))")
    }

    /// (input shape, kernel, dilation, padding, stride)
    static let windows: [([Int], [Int], [Int], [Int], [Int])] = [
        ([3, 4, 40, 37], [3, 3], [1, 1], [1, 1], [1, 1]),
        ([2, 3, 31, 29], [5, 3], [1, 1], [2, 1], [2, 2]),
        ([2, 2, 33, 35], [3, 2], [2, 3], [3, 0], [1, 2]),
        ([1, 1, 9, 6], [2, 4], [1, 1], [0, 5], [3, 1]),
        ([2, 3, 19, 23], [2, 3], [2, 1], [0, 2], [1, 1]),
    ]

    @Test(arguments: [DType.float32, .float64])
    func unfoldAndFold(dtype: DType) throws {
        for (k, (shape, kernel, dilation, padding, stride)) in Self.windows.enumerated() {
            let window: [AttrValue] = [.ints(kernel), .ints(dilation), .ints(padding), .ints(stride)]
            let x = try tensor(shape, dtype, seed: Double(k))
            try expectMatchesReference(Ops.unfold, [x], Attrs(window), "unfold \(k) \(dtype)")
            let cols = try x.unfold(kernelSize: kernel, dilation: dilation, padding: padding, stride: stride)
            let g = try tensor(cols.shape, dtype, seed: Double(k) + 0.5)
            try expectMatchesReference(Ops.fold, [g], Attrs([.ints([shape[2], shape[3]])] + window), "fold \(k) \(dtype)")
        }
    }

    @Test(arguments: [DType.float32, .float64])
    func conv2dGeometries(dtype: DType) throws {
        for (k, (shape, kernel, dilation, padding, stride)) in Self.windows.enumerated() {
            let x = try tensor(shape, dtype, seed: Double(k))
            let w = try tensor([5, shape[1]] + kernel, dtype, seed: Double(k) + 1), b = try tensor([5], dtype, seed: Double(k) + 2)
            let attrs = Attrs([.ints(stride), .ints(padding), .ints(dilation)])
            try expectMatchesReference(Ops.conv2d, [x, w, b], attrs, "conv2d \(k) \(dtype)")
            try expectMatchesReference(Ops.conv2d, [x, w], attrs, "conv2d \(k) \(dtype) without bias")
        }
    }

    /// A small column budget splits the batch into groups of 2, 2 and 1 images (stride 2 takes the GEMM path).
    @Test(arguments: [DType.float32, .float64])
    func conv2dInGroups(dtype: DType) throws {
        let x = try tensor([5, 3, 11, 9], dtype, seed: 1), w = try tensor([4, 3, 3, 3], dtype, seed: 2), b = try tensor([4], dtype, seed: 3)
        let attrs = try Ops.conv2d.bind(Attrs([.ints([2]), .ints([1]), .ints([1])]))
        for inputs in [[x, w, b], [x, w]] {
            let out = try Tensor(empty: [5, 4, 6, 5], dtype: dtype)
            try ConvKernel.forward(KernelArgs(inputs: inputs, outputs: [out], attrs: attrs), columnBudget: 2 * 27 * 30)
            let ref = try Ops.conv2d.runReference(inputs.map { try $0.toRefArray() }, attrs)[0]
            let tol = dtype == .float32 ? 1e-4 : 1e-11
            #expect(allClose(try out.toDoubles(), ref.data, atol: tol, rtol: tol))
        }
    }

    @Test(arguments: [DType.float32, .float64])
    func pooling(dtype: DType) throws {
        let cases: [([Int], [Int], AttrValue, [Int])] = [
            ([4, 6, 28, 28], [2, 2], .none, [0, 0]),
            ([2, 5, 27, 31], [3, 3], .ints([2, 2]), [1, 1]),
            ([3, 2, 20, 17], [2, 5], .ints([1, 3]), [1, 2]),
        ]
        for (k, (shape, kernel, stride, padding)) in cases.enumerated() {
            let x = try tensor(shape, dtype, seed: Double(k))
            let attrs = Attrs([.ints(kernel), stride, .ints(padding)])
            try expectMatchesReference(Ops.maxPool2d, [x], attrs, "max_pool2d \(k) \(dtype)")
            try expectMatchesReference(Ops.avgPool2d, [x], attrs, "avg_pool2d \(k) \(dtype)")
        }
    }

    @Test func maxPoolPropagatesNaN() throws {
        var values = [Double](repeating: 1, count: 16)
        values[5] = .nan
        values[2] = .nan
        values[3] = 9
        values[10] = 7
        let y = try Tensor(values, shape: [1, 1, 4, 4]).maxPool2d(kernelSize: [2, 2]).toDoubles()
        #expect(y[0].isNaN && y[1].isNaN)
        #expect(y[2] == 1 && y[3] == 7)
    }

    /// Tied maxima share the gradient, for tiling windows (stride = kernel) and overlapping ones.
    @Test(arguments: [[2, 2], [1, 1]])
    func maxPoolGradientSharedOnTies(stride: [Int]) throws {
        let x = try Tensor([1, 3, 2, 2, 3, 0, 2, 2, 0, 0, 5, 1, 4, 4, 1, 5], shape: [1, 1, 4, 4], dtype: .float64).requiresGrad()
        try x.maxPool2d(kernelSize: [2, 2], stride: stride).sum().backward()
        let expected: [Double] = stride == [2, 2]
            ? [0, 0.5, 0.25, 0.25, 0.5, 0, 0.25, 0.25, 0, 0, 0.5, 0, 0.5, 0.5, 0, 0.5]
            : [0, 1.5, 0.25, 0.25, 1.5, 0, 0.25, 0.25, 0, 0, 3.5, 0, 0.5, 0.5, 0, 0.5]
        #expect(try x.grad?.toDoubles() == expected)
    }

    /// The reductions of a conv backward: contiguous runs of dims merge into one row.
    @Test(arguments: [DType.float32, .float64])
    func sumOverImageDims(dtype: DType) throws {
        let x = try tensor([6, 5, 12, 13], dtype, seed: 4)
        for dims in [[0, 2, 3], [0], [2, 3], [1, 3]] {
            try expectMatchesReference(Ops.sum, [x], Attrs([.ints(dims), .bool(false)]), "sum \(dims) \(dtype)")
            try expectMatchesReference(Ops.sum, [try x.permute([0, 2, 1, 3])], Attrs([.ints(dims), .bool(true)]), "sum \(dims) \(dtype) permuted")
        }
    }

    /// Window-sized rows (the max_pool2d backward's tie counts), and more rows per output than the
    /// plan tabulates.
    @Test(arguments: [DType.float32, .float64])
    func sumOverShortRows(dtype: DType) throws {
        let windows = try tensor([4, 3, 7, 2, 5, 2], dtype, seed: 5)
        try expectMatchesReference(Ops.sum, [windows], Attrs([.ints([3, 5]), .bool(true)]), "sum window \(dtype)")
        let many = try tensor([ReducePlan.rowTableLimit + 7, 3, 2], dtype, seed: 6)
        try expectMatchesReference(Ops.sum, [many], Attrs([.ints([0, 2]), .bool(false)]), "sum many rows \(dtype)")
    }
}
