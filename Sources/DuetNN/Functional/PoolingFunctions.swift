import DuetTensor

/// Adaptive pooling, 1-D convolution and pooling, written from the 2-D registry ops, matmul and
/// slices (so their gradients come from those ops' rules).
extension Tensor {
    /// PyTorch's adaptive windows along one dim: output i covers [⌊i·n/m⌋, ⌈(i+1)·n/m⌉).
    static func adaptiveWindows(_ n: Int, _ m: Int) -> [(start: Int, end: Int)] {
        (0..<m).map { i in (i * n / m, ((i + 1) * n + m - 1) / m) }
    }

    /// The [N, C, H, W] (or [C, H, W]) input and the output size, checked.
    private func adaptiveShape(_ outputSize: [Int?], _ op: String) throws -> (h: Int, w: Int, oh: Int, ow: Int) {
        guard rank == 3 || rank == 4 else { throw TensorError.shape("\(op): expected a 3-D or 4-D input, got \(shapeString(shape))") }
        guard outputSize.count == 1 || outputSize.count == 2 else { throw TensorError.value("\(op): output_size must be an int or a pair") }
        let h = shape[rank - 2], w = shape[rank - 1]
        let oh = (outputSize[0] ?? h), ow = ((outputSize.count == 2 ? outputSize[1] : outputSize[0]) ?? w)
        guard oh > 0, ow > 0 else { throw TensorError.value("\(op): output_size must be positive, got \(oh) and \(ow)") }
        guard h > 0, w > 0 else { throw TensorError.shape("\(op): the input's spatial dims must be non-empty, got \(shapeString(shape))") }
        return (h, w, oh, ow)
    }

    /// Mean over adaptive windows: one avg_pool2d when the sizes divide, else A_h · x · A_wᵀ with
    /// averaging matrices (each row 1/len over its window).
    public func adaptiveAvgPool2d(_ outputSize: [Int?]) throws -> Tensor {
        let (h, w, oh, ow) = try adaptiveShape(outputSize, "adaptive_avg_pool2d")
        if h % oh == 0, w % ow == 0 {
            return try batched { try $0.avgPool2d(kernelSize: [h / oh, w / ow]) }
        }
        func averaging(_ n: Int, _ m: Int) throws -> Tensor {
            var values = [Double](repeating: 0, count: n * m)
            for (i, win) in Tensor.adaptiveWindows(n, m).enumerated() {
                for j in win.start..<win.end { values[i * n + j] = 1 / Double(win.end - win.start) }
            }
            return try Tensor(values, shape: [m, n], dtype: dtype)
        }
        return try averaging(h, oh).matmul(self).matmul(averaging(w, ow).mT)
    }

    /// Maximum over adaptive windows: one max_pool2d when the sizes divide, else the maximum of
    /// each row window, then of each column window (a rectangle's maximum is separable).
    public func adaptiveMaxPool2d(_ outputSize: [Int?]) throws -> Tensor {
        let (h, w, oh, ow) = try adaptiveShape(outputSize, "adaptive_max_pool2d")
        if h % oh == 0, w % ow == 0 {
            return try batched { try $0.maxPool2d(kernelSize: [h / oh, w / ow]) }
        }
        func pooled(_ x: Tensor, dim: Int, _ n: Int, _ m: Int) throws -> Tensor {
            try Tensor.cat(try Tensor.adaptiveWindows(n, m).map { try x.slice(dim: dim, start: $0.start, end: $0.end).amax(dims: [dim], keepdim: true) }, dim: dim)
        }
        return try pooled(try pooled(self, dim: rank - 2, h, oh), dim: rank - 1, w, ow)
    }

    /// Runs a 4-D op on a 3-D [C, H, W] input as a batch of one.
    func batched(_ op: (Tensor) throws -> Tensor) throws -> Tensor {
        rank == 4 ? try op(self) : try op(try unsqueeze(0)).squeeze(dim: 0)
    }

    /// 1-D cross-correlation of [N, C, L] with weight [O, C, k]: conv2d over a height of 1.
    public func conv1d(_ weight: Tensor, _ bias: Tensor? = nil, stride: Int = 1, padding: Int = 0, dilation: Int = 1) throws -> Tensor {
        guard rank == 2 || rank == 3, weight.rank == 3 else {
            throw TensorError.shape("conv1d: expected input [N, C, L] or [C, L] and weight [O, C, k], got \(shapeString(shape)) and \(shapeString(weight.shape))")
        }
        let x = rank == 3 ? self : try unsqueeze(0)
        let y = try x.unsqueeze(2).conv2d(weight.unsqueeze(2), bias, stride: [1, stride], padding: [0, padding], dilation: [1, dilation]).squeeze(dim: 2)
        return rank == 3 ? y : try y.squeeze(dim: 0)
    }

    /// max_pool1d / avg_pool1d over the last dim of [N, C, L] or [C, L]: the 2-D pools over a height of 1.
    public func pool1d(max: Bool, kernelSize: Int, stride: Int?, padding: Int) throws -> Tensor {
        let op = max ? "max_pool1d" : "avg_pool1d"
        guard rank == 2 || rank == 3 else { throw TensorError.shape("\(op): expected a 2-D or 3-D input, got \(shapeString(shape))") }
        guard kernelSize > 0, (stride ?? 1) > 0, padding >= 0 else {
            throw TensorError.value("\(op): kernel_size and stride must be positive and padding non-negative, got \(kernelSize), \(stride ?? kernelSize), \(padding)")
        }
        let x = try (rank == 3 ? self : try unsqueeze(0)).unsqueeze(2)
        let k = [1, kernelSize], s = stride.map { [1, $0] }, p = [0, padding]
        let y = try (max ? try x.maxPool2d(kernelSize: k, stride: s, padding: p) : try x.avgPool2d(kernelSize: k, stride: s, padding: p)).squeeze(dim: 2)
        return rank == 3 ? y : try y.squeeze(dim: 0)
    }
}
