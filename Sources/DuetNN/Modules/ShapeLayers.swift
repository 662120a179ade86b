import DuetTensor

/// Adaptive 2-D pooling to a fixed output size (a nil entry keeps that input dim).
public final class AdaptivePool2d: Module {
    public let outputSize: [Int?]
    public let max: Bool
    public init(_ outputSize: [Int?], max: Bool) {
        self.outputSize = outputSize
        self.max = max
    }
    public override var typeName: String { max ? "AdaptiveMaxPool2d" : "AdaptiveAvgPool2d" }
    public override func forward(_ input: Tensor) throws -> Tensor {
        max ? try input.adaptiveMaxPool2d(outputSize) : try input.adaptiveAvgPool2d(outputSize)
    }
    /// As given: `output_size=1` or `output_size=(2, None)`.
    public override var extraDescription: String {
        let items = outputSize.map { $0.map(String.init) ?? "None" }
        return "output_size=" + (items.count == 1 ? items[0] : "(" + items.joined(separator: ", ") + ")")
    }
}

/// 1-D convolution over [N, C, L].
public final class Conv1d: Module {
    public let inChannels: Int
    public let outChannels: Int
    public let kernelSize: Int
    public let stride: Int
    public let padding: Int
    public let dilation: Int
    public let weight: Tensor
    public let bias: Tensor?

    public init(_ inChannels: Int, _ outChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0, dilation: Int = 1, bias: Bool = true) throws {
        guard inChannels > 0, outChannels > 0, kernelSize > 0, stride > 0, padding >= 0, dilation > 0 else {
            throw TensorError.value("Conv1d: channels, kernel_size, stride and dilation must be positive and padding non-negative")
        }
        self.inChannels = inChannels
        self.outChannels = outChannels
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
        let (fanIn, overflow) = inChannels.multipliedReportingOverflow(by: kernelSize)
        guard !overflow else { throw TensorError.value("Conv1d: in_channels * kernel_size overflows") }
        weight = try Init.fanInUniform([outChannels, inChannels, kernelSize], fanIn: fanIn)
        self.bias = bias ? try Init.fanInUniform([outChannels], fanIn: fanIn) : nil
        super.init()
        try registerParameter("weight", weight)
        if let b = self.bias { try registerParameter("bias", b) }
    }

    public override func forward(_ input: Tensor) throws -> Tensor {
        try input.conv1d(weight, bias, stride: stride, padding: padding, dilation: dilation)
    }

    public override var extraDescription: String {
        var parts = ["\(inChannels)", "\(outChannels)", "kernel_size=(\(kernelSize),)", "stride=(\(stride),)"]
        if padding != 0 { parts.append("padding=(\(padding),)") }
        if dilation != 1 { parts.append("dilation=(\(dilation),)") }
        if bias == nil { parts.append("bias=False") }
        return parts.joined(separator: ", ")
    }
}

/// max_pool1d / avg_pool1d as layers (stride defaults to kernel_size).
public final class Pool1d: Module {
    public let max: Bool
    public let kernelSize: Int
    public let stride: Int?
    public let padding: Int
    public init(max: Bool, kernelSize: Int, stride: Int? = nil, padding: Int = 0) {
        self.max = max
        self.kernelSize = kernelSize
        self.stride = stride
        self.padding = padding
    }
    public override var typeName: String { max ? "MaxPool1d" : "AvgPool1d" }
    public override func forward(_ input: Tensor) throws -> Tensor {
        try input.pool1d(max: max, kernelSize: kernelSize, stride: stride, padding: padding)
    }
    /// PyTorch prints MaxPool1d's sizes as ints and AvgPool1d's as 1-tuples.
    public override var extraDescription: String {
        let s = stride ?? kernelSize
        return max ? "kernel_size=\(kernelSize), stride=\(s), padding=\(padding), dilation=1, ceil_mode=False"
            : "kernel_size=(\(kernelSize),), stride=(\(s),), padding=(\(padding),)"
    }
}

/// Splits one dim into several: [N, 12] → [N, 3, 4] with Unflatten(1, (3, 4)).
public final class Unflatten: Module {
    public let dim: Int
    public let sizes: [Int]
    public init(dim: Int, sizes: [Int]) {
        self.dim = dim
        self.sizes = sizes
    }
    public override func forward(_ input: Tensor) throws -> Tensor {
        guard input.rank > 0, (-input.rank..<input.rank).contains(dim) else {
            throw TensorError.index("Unflatten: dim \(dim) is out of range for a \(input.rank)-D input")
        }
        let d = dim < 0 ? dim + input.rank : dim
        let known = sizes.filter { $0 != -1 }.reduce(1) { $0 &* $1 }
        guard sizes.filter({ $0 == -1 }).count <= 1, sizes.allSatisfy({ $0 >= 0 || $0 == -1 }),
              sizes.contains(-1) ? (known > 0 && input.shape[d] % known == 0) : known == input.shape[d] else {
            throw TensorError.shape("Unflatten: unflattened_size \(shapeString(sizes)) does not multiply to dim \(dim)'s size \(input.shape[d])")
        }
        return try input.reshape(Array(input.shape[..<d]) + sizes + Array(input.shape[(d + 1)...]))
    }
    public override var extraDescription: String {
        "dim=\(dim), unflattened_size=(" + sizes.map(String.init).joined(separator: ", ") + (sizes.count == 1 ? ",)" : ")")
    }
}
