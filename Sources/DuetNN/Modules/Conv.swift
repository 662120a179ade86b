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
        // Stored as pairs, as PyTorch's attributes are.
        func both(_ v: [Int]) -> [Int] { v.count == 1 ? [v[0], v[0]] : v }
        self.kernelSize = k
        self.stride = both(stride)
        self.padding = both(padding)
        self.dilation = both(dilation)
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

    /// PyTorch's form: sizes as pairs, padding and dilation only when not the default.
    public override var extraDescription: String {
        var parts = ["\(inChannels)", "\(outChannels)", "kernel_size=\(Self.pair(kernelSize))", "stride=\(Self.pair(stride))"]
        if padding.contains(where: { $0 != 0 }) { parts.append("padding=\(Self.pair(padding))") }
        if dilation.contains(where: { $0 != 1 }) { parts.append("dilation=\(Self.pair(dilation))") }
        if bias == nil { parts.append("bias=False") }
        return parts.joined(separator: ", ")
    }

    /// `[3]` → `(3, 3)`, `[3, 2]` → `(3, 2)`: one size means both dims, as in the constructor.
    static func pair(_ v: [Int]) -> String {
        let both = v.count == 1 ? [v[0], v[0]] : v
        return "(" + both.map(String.init).joined(separator: ", ") + ")"
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

    /// PyTorch prints the window as it was given: an int stays an int.
    public override var extraDescription: String {
        func shown(_ v: [Int]) -> String { v.count == 1 ? "\(v[0])" : "(" + v.map(String.init).joined(separator: ", ") + ")" }
        return "kernel_size=\(shown(kernelSize)), stride=\(shown(stride ?? kernelSize)), padding=\(shown(padding))"
    }
}

public final class MaxPool2d: Pool2d {
    /// PyTorch's max pooling also shows its dilation and ceil mode (fixed at 1 and False here).
    public override var extraDescription: String { super.extraDescription + ", dilation=1, ceil_mode=False" }

    public override func forward(_ input: Tensor) throws -> Tensor {
        try input.maxPool2d(kernelSize: kernelSize, stride: stride, padding: padding)
    }
}

public final class AvgPool2d: Pool2d {
    public override func forward(_ input: Tensor) throws -> Tensor {
        try input.avgPool2d(kernelSize: kernelSize, stride: stride, padding: padding)
    }
}
