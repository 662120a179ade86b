/// Convolution, pooling and im2col as Tensor methods.
extension Tensor {
    public func unfold(kernelSize: [Int], dilation: [Int] = [1], padding: [Int] = [0], stride: [Int] = [1]) throws -> Tensor {
        try Dispatch.call1(Ops.unfold, [self], Attrs([.ints(kernelSize), .ints(dilation), .ints(padding), .ints(stride)]))
    }

    public func fold(outputSize: [Int], kernelSize: [Int], dilation: [Int] = [1], padding: [Int] = [0], stride: [Int] = [1]) throws -> Tensor {
        try Dispatch.call1(Ops.fold, [self], Attrs([.ints(outputSize), .ints(kernelSize), .ints(dilation), .ints(padding), .ints(stride)]))
    }

    public func conv2d(_ weight: Tensor, _ bias: Tensor? = nil, stride: [Int] = [1], padding: [Int] = [0], dilation: [Int] = [1]) throws -> Tensor {
        try Dispatch.call1(Ops.conv2d, [self, weight] + (bias.map { [$0] } ?? []), Attrs([.ints(stride), .ints(padding), .ints(dilation)]))
    }

    public func maxPool2d(kernelSize: [Int], stride: [Int]? = nil, padding: [Int] = [0]) throws -> Tensor {
        try Dispatch.call1(Ops.maxPool2d, [self], Attrs([.ints(kernelSize), stride.map(AttrValue.ints) ?? .none, .ints(padding)]))
    }

    public func avgPool2d(kernelSize: [Int], stride: [Int]? = nil, padding: [Int] = [0]) throws -> Tensor {
        try Dispatch.call1(Ops.avgPool2d, [self], Attrs([.ints(kernelSize), stride.map(AttrValue.ints) ?? .none, .ints(padding)]))
    }
}
