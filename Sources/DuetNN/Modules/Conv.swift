import DuetTensor

/// 2-D convolution over [N, C, H, W] with square or rectangular kernels.
public final class Conv2d: Module {
    public let inChannels: Int
    public let outChannels: Int
    public let kernelSize: [Int]
    public let stride: [Int]
    public let padding: [Int]
    public let dilation: [Int]
    public let weight: Tensor
    public let bias: Tensor?

    public init(_ inChannels: Int, _ outChannels: Int, kernelSize: [Int], stride: [Int] = [1], padding: [Int] = [0],
                dilation: [Int] = [1], bias: Bool = true) throws {
        let k = kernelSize.count == 1 ? [kernelSize[0], kernelSize[0]] : kernelSize
        guard inChannels > 0, outChannels > 0, k.count == 2, k.allSatisfy({ $0 > 0 }) else {
            throw TensorError.value("Conv2d: channels must be positive and kernel_size one or two positive ints")
        }
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.kernelSize = k
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
        let fanIn = inChannels * k[0] * k[1]
        weight = try Init.fanInUniform([outChannels, inChannels, k[0], k[1]], fanIn: fanIn)
        self.bias = bias ? try Init.fanInUniform([outChannels], fanIn: fanIn) : nil
        super.init()
        try registerParameter("weight", weight)
        if let b = self.bias { try registerParameter("bias", b) }
    }

    public convenience init(_ inChannels: Int, _ outChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0, bias: Bool = true) throws {
        try self.init(inChannels, outChannels, kernelSize: [kernelSize], stride: [stride], padding: [padding], bias: bias)
    }

    public override func forward(_ input: Tensor) throws -> Tensor {
        try input.conv2d(weight, bias, stride: stride, padding: padding, dilation: dilation)
    }

    public override var extraDescription: String {
        "\(inChannels), \(outChannels), kernel_size=(\(kernelSize[0]), \(kernelSize[1])), stride=\(stride), padding=\(padding)"
    }
}

/// Shared window settings of the 2-D pooling layers; subclasses pick the reduction.
public class Pool2d: Module {
    public let kernelSize: [Int]
    public let stride: [Int]?
    public let padding: [Int]

    public init(kernelSize: [Int], stride: [Int]? = nil, padding: [Int] = [0]) {
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
    }

    public convenience init(_ kernelSize: Int, stride: Int? = nil, padding: Int = 0) {
        self.init(kernelSize: [kernelSize], stride: stride.map { [$0] }, padding: [padding])
    }

    public override var extraDescription: String { "kernel_size=\(kernelSize), stride=\(stride ?? kernelSize), padding=\(padding)" }
}

public final class MaxPool2d: Pool2d {
    public override func forward(_ input: Tensor) throws -> Tensor {
        try input.maxPool2d(kernelSize: kernelSize, stride: stride, padding: padding)
    }
}

public final class AvgPool2d: Pool2d {
    public override func forward(_ input: Tensor) throws -> Tensor {
        try input.avgPool2d(kernelSize: kernelSize, stride: stride, padding: padding)
    }
}
