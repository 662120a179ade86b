import DuetTensor
import DuetNN

/// torch.nn.functional's activations, pooling, resizing, normalization, distances and dropout
/// variants: all compositions of registry ops (Sources/DuetNN/Functional), published here with
/// PyTorch's signatures.
enum FunctionalAPI {
    private static let functional: Builtins.Places = [.flat, .functional]
    private static let torchToo: Builtins.Places = [.flat, .torch, .functional]

    /// `inplace=True` writes the result into the input (and returns it), as PyTorch's in-place forms.
    private static func result(_ x: Tensor, _ y: Tensor, _ b: BoundArguments) throws -> Value {
        guard try b.bool("inplace") else { return .tensor(y) }
        return .tensor(try x.copy_(y))
    }

    /// Refuses a flag Duet does not implement when it is set.
    private static func refuse(_ b: BoundArguments, _ flag: String) throws {
        if try b.bool(flag) { throw ScriptError(.notImplemented, "\(b.function)(): \(flag)=True is not supported") }
    }

    /// Refuses an int option Duet implements only at its default of 1.
    private static func onlyOne(_ b: BoundArguments, _ name: String) throws {
        if try b.int(name) != 1 { throw ScriptError(.notImplemented, "\(b.function)(): \(name) other than 1 is not supported") }
    }

    /// A 1-D size: an int or a 1-tuple.
    static func single(_ b: BoundArguments, _ name: String) throws -> Int {
        let v = try b.ints(name)
        guard v.count == 1 else { throw ScriptError(.value, "\(b.label(name)) must be an int or a 1-tuple, got \(v.count) values") }
        return v[0]
    }

    /// An int, or a tuple of ints in which None keeps the input's size (adaptive pooling).
    static func optionalSizes(_ b: BoundArguments, _ name: String) throws -> [Int?] {
        let v = try b.value(name)
        let items: [Value]
        switch v {
        case .tuple(let t): items = t
        case .list(let l): items = l.items
        default: items = [v]
        }
        return try items.map { $0.isNone ? nil : try Convert.int($0, b.label(name)) }
    }

    static let entries: [TensorAPI] = [
        TensorAPI("leaky_relu(input, negative_slope=0.01, inplace=False)", "x where x > 0, else negative_slope · x.", functional) { x, b, _ in
            try result(x, try x.leakyRelu(negativeSlope: try b.double("negative_slope")), b)
        },
        TensorAPI("elu(input, alpha=1.0, inplace=False)", "x where x > 0, else alpha · (exp(x) − 1).", functional) { x, b, _ in
            try result(x, try x.elu(alpha: try b.double("alpha")), b)
        },
        TensorAPI("selu(input, inplace=False)", "Scaled ELU with the self-normalizing constants.", torchToo) { x, b, _ in try result(x, try x.selu(), b) },
        TensorAPI("mish(input, inplace=False)", "x · tanh(softplus(x)).", functional) { x, b, _ in try result(x, try x.mish(), b) },
        TensorAPI("hardtanh(input, min_val=-1.0, max_val=1.0, inplace=False)", "x clamped to [min_val, max_val].", functional) { x, b, _ in
            try result(x, try x.hardtanh(minVal: try b.double("min_val"), maxVal: try b.double("max_val")), b)
        },
        TensorAPI("softplus(input, beta=1.0, threshold=20.0)", "log(1 + exp(beta · x)) / beta, computed stably; x itself where beta · x > threshold.", torchToo) { x, b, _ in
            .tensor(try x.softplus(beta: try b.double("beta"), threshold: try b.double("threshold")))
        },
        TensorAPI("normalize(input, p=2.0, dim=1, eps=1e-12, out=None)", "x / max(‖x‖ₚ, eps) along dim.", functional) { x, b, _ in
            guard b["out"] == nil else { throw ScriptError(.notImplemented, "normalize(): out= is not supported") }
            return .tensor(try x.normalize(p: try b.double("p"), dim: try b.int("dim"), eps: try b.double("eps")))
        },
        TensorAPI("cosine_similarity(x1, x2, dim=1, eps=1e-08)", "Cosine of the angle between x1 and x2 along dim.", torchToo) { x, b, _ in
            .tensor(try Tensor.cosineSimilarity(x, try b.tensor("x2"), dim: try b.int("dim"), eps: try b.double("eps")))
        },
        TensorAPI("pairwise_distance(x1, x2, p=2.0, eps=1e-06, keepdim=False)", "‖x1 − x2 + eps‖ₚ over the last dim.", torchToo) { x, b, _ in
            .tensor(try Tensor.pairwiseDistance(x, try b.tensor("x2"), p: try b.double("p"), eps: try b.double("eps"), keepdim: try b.bool("keepdim")))
        },
        TensorAPI("adaptive_avg_pool2d(input, output_size)", "Mean over windows chosen so the output has output_size.", functional) { x, b, _ in
            .tensor(try x.adaptiveAvgPool2d(try optionalSizes(b, "output_size")))
        },
        TensorAPI("adaptive_max_pool2d(input, output_size, return_indices=False)", "Maximum over windows chosen so the output has output_size.", functional) { x, b, _ in
            try refuse(b, "return_indices")
            return .tensor(try x.adaptiveMaxPool2d(try optionalSizes(b, "output_size")))
        },
        TensorAPI("conv1d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1)", "1-D cross-correlation of [N, C, L] with weight [O, C, k].", torchToo) { x, b, _ in
            try onlyOne(b, "groups")
            return .tensor(try conv1d(x, b))
        },
        TensorAPI("max_pool1d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False)",
                  "Maximum over windows of the last dim (stride defaults to kernel_size).", torchToo) { x, b, _ in
            try onlyOne(b, "dilation")
            try refuse(b, "ceil_mode")
            try refuse(b, "return_indices")
            return .tensor(try x.pool1d(max: true, kernelSize: try single(b, "kernel_size"), stride: b["stride"] == nil ? nil : try single(b, "stride"), padding: try single(b, "padding")))
        },
        TensorAPI("avg_pool1d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True)",
                  "Mean over windows of the last dim, padding counted as zeros (stride defaults to kernel_size).", torchToo) { x, b, _ in
            try refuse(b, "ceil_mode")
            guard try b.bool("count_include_pad") else { throw ScriptError(.notImplemented, "avg_pool1d(): count_include_pad=False is not supported") }
            return .tensor(try x.pool1d(max: false, kernelSize: try single(b, "kernel_size"), stride: b["stride"] == nil ? nil : try single(b, "stride"), padding: try single(b, "padding")))
        },
        TensorAPI("interpolate(input, size=None, scale_factor=None, mode='nearest', align_corners=None, recompute_scale_factor=None, antialias=False)",
                  "Resizes [N, C, …] by nearest neighbour or (bi)linear interpolation.", functional) { x, b, _ in
            .tensor(try interpolate(x, b))
        },
        TensorAPI("dropout(input, p=0.5, training=True, inplace=False)", "Zeroes elements with probability p and scales the rest by 1/(1-p).", functional) { x, b, _ in
            try result(x, try x.dropout(p: try probability(b), training: try b.bool("training")), b)
        },
        TensorAPI("dropout1d(input, p=0.5, training=True, inplace=False)", "Zeroes whole channels of [N, C, L] (or [C, L]) with probability p.", functional) { x, b, _ in
            let mask = try x.channelMaskShape("dropout1d", ranks: [2, 3], unbatchedRank: 2)
            return try result(x, try x.dropout(p: try probability(b), training: try b.bool("training"), maskShape: mask), b)
        },
        TensorAPI("dropout2d(input, p=0.5, training=True, inplace=False)", "Zeroes whole channels of [N, C, H, W] with probability p.", functional) { x, b, _ in
            let mask = try x.channelMaskShape("dropout2d", ranks: [3, 4], unbatchedRank: 0)
            return try result(x, try x.dropout(p: try probability(b), training: try b.bool("training"), maskShape: mask), b)
        },
        TensorAPI("alpha_dropout(input, p=0.5, training=False, inplace=False)", "Dropout that keeps SELU activations' mean and variance.", functional) { x, b, _ in
            try result(x, try x.alphaDropout(p: try probability(b), training: try b.bool("training")), b)
        },
        TensorAPI("embedding(input, weight, padding_idx=None, max_norm=None, norm_type=2.0, scale_grad_by_freq=False, sparse=False)",
                  "Rows of weight picked by int64 ids; the padding_idx row gets no gradient.", functional) { x, b, _ in
            try refuse(b, "scale_grad_by_freq")
            try refuse(b, "sparse")
            return .tensor(try x.embedding(try b.tensor("weight"), paddingIdx: try b.optionalInt("padding_idx"), maxNorm: try b.optionalDouble("max_norm"),
                                           normType: try b.double("norm_type")))
        },
    ]

    private static func probability(_ b: BoundArguments) throws -> Double {
        let p = try b.double("p")
        guard (0...1).contains(p) else { throw ScriptError(.value, "dropout probability has to be between 0 and 1, but got \(PyFloat.repr(p))") }
        return p
    }

    /// conv1d's padding: an int, 'valid' (none) or 'same' (the output keeps the length; an odd
    /// total goes to the right, as PyTorch pads).
    private static func conv1d(_ x: Tensor, _ b: BoundArguments) throws -> Tensor {
        let weight = try b.tensor("weight"), bias = try b.optionalTensor("bias")
        let stride = try single(b, "stride"), dilation = try single(b, "dilation")
        guard case .str(let mode) = try b.value("padding") else {
            return try x.conv1d(weight, bias, stride: stride, padding: try single(b, "padding"), dilation: dilation)
        }
        switch mode {
        case "valid": return try x.conv1d(weight, bias, stride: stride, dilation: dilation)
        case "same":
            guard stride == 1 else { throw ScriptError(.value, "conv1d(): padding='same' is not supported for strided convolutions") }
            guard weight.rank == 3 else { throw ScriptError(.value, "conv1d(): weight must be [O, C, k], got \(shapeString(weight.shape))") }
            let (total, overflow) = dilation.multipliedReportingOverflow(by: weight.shape[2] - 1)
            guard !overflow, dilation > 0 else { throw ScriptError(.value, "conv1d(): dilation \(dilation) is out of range") }
            return try x.pad([total / 2, total - total / 2]).conv1d(weight, bias, dilation: dilation)
        default: throw ScriptError(.value, "conv1d(): invalid padding string '\(mode)', should be one of {'valid', 'same'}")
        }
    }

    private static func interpolate(_ x: Tensor, _ b: BoundArguments) throws -> Tensor {
        let name = try b.string("mode")
        guard let mode = InterpolationMode(rawValue: name) else {
            throw ScriptError(.notImplemented, "interpolate(): mode '\(name)' is not supported (nearest, linear, bilinear are)")
        }
        if mode == .nearest, b["align_corners"] != nil {
            throw ScriptError(.value, "align_corners option can only be set with the interpolating modes: linear | bilinear | bicubic | trilinear")
        }
        try refuse(b, "antialias")
        let factors: [Double]? = try b["scale_factor"].map { v in
            if case .tuple(let t) = v { return try t.map { try Convert.double($0, b.label("scale_factor")) } }
            if case .list(let l) = v { return try l.items.map { try Convert.double($0, b.label("scale_factor")) } }
            return [try Convert.double(v, b.label("scale_factor"))]
        }
        let recompute = try b["recompute_scale_factor"].map { try Convert.bool($0, b.label("recompute_scale_factor")) } ?? false
        return try x.interpolate(size: try b.optionalInts("size"), scaleFactor: factors, mode: mode,
                                 alignCorners: try b["align_corners"].map { try Convert.bool($0, b.label("align_corners")) } ?? false,
                                 recomputeScaleFactor: recompute)
    }
}
