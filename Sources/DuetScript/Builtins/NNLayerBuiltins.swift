import DuetTensor
import DuetNN

/// The nn layers for activations with settings, 1-D convolution and pooling, adaptive pooling,
/// resizing, reshaping and channel dropout (their computations are in Sources/DuetNN).
enum NNLayerBuiltins {
    static func register(_ r: Builtins.Registrar) {
        let layer = NNBuiltins.layer
        layer(r, "LeakyReLU(negative_slope=0.01, inplace=False)", "x where x > 0, else negative_slope · x.") { b, _ in
            LeakyReLU(negativeSlope: try b.double("negative_slope"))
        }
        layer(r, "ELU(alpha=1.0, inplace=False)", "x where x > 0, else alpha · (exp(x) − 1).") { b, _ in ELU(alpha: try b.double("alpha")) }
        layer(r, "SELU(inplace=False)", "Scaled ELU with the self-normalizing constants.") { _, _ in SELU() }
        layer(r, "Mish(inplace=False)", "x · tanh(softplus(x)).") { _, _ in Mish() }
        layer(r, "Hardtanh(min_val=-1.0, max_val=1.0, inplace=False)", "x clamped to [min_val, max_val].") { b, _ in
            try Hardtanh(minVal: try b.double("min_val"), maxVal: try b.double("max_val"))
        }
        layer(r, "Softplus(beta=1.0, threshold=20.0)", "log(1 + exp(beta · x)) / beta; x itself where beta · x > threshold.") { b, _ in
            Softplus(beta: try b.double("beta"), threshold: try b.double("threshold"))
        }
        for kind in [FeatureDropout.Kind.dropout1d, .dropout2d, .alphaDropout] {
            layer(r, "\(kind.rawValue)(p=0.5, inplace=False)", kind == .alphaDropout ? "Dropout that keeps SELU activations' mean and variance."
                    : "Zeroes whole channels with probability p while training.") { b, _ in
                try FeatureDropout(kind, p: try b.double("p"))
            }
        }
        for (name, max) in [("AdaptiveAvgPool2d", false), ("AdaptiveMaxPool2d", true)] {
            layer(r, "\(name)(output_size)", "\(max ? "Maximum" : "Mean") over windows chosen so the output has output_size (None keeps a dim).") { b, _ in
                AdaptivePool2d(try FunctionalAPI.optionalSizes(b, "output_size"), max: max)
            }
        }
        layer(r, "Conv1d(in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, bias=True)", "1-D convolution over [N, C, L].") { b, interp in
            let n = try b.int("in_channels"), m = try b.int("out_channels"), k = try FunctionalAPI.single(b, "kernel_size")
            try NNBuiltins.checkSize([n, m, k], interp)
            return try Conv1d(n, m, kernelSize: k, stride: try FunctionalAPI.single(b, "stride"), padding: try FunctionalAPI.single(b, "padding"),
                              dilation: try FunctionalAPI.single(b, "dilation"), bias: try b.bool("bias"))
        }
        for (name, max) in [("MaxPool1d", true), ("AvgPool1d", false)] {
            layer(r, "\(name)(kernel_size, stride=None, padding=0)", "\(max ? "Maximum" : "Mean") over windows of the last dim (stride defaults to kernel_size).") { b, _ in
                Pool1d(max: max, kernelSize: try FunctionalAPI.single(b, "kernel_size"), stride: b["stride"] == nil ? nil : try FunctionalAPI.single(b, "stride"),
                       padding: try FunctionalAPI.single(b, "padding"))
            }
        }
        layer(r, "Unflatten(dim, unflattened_size)", "Splits dim into unflattened_size.") { b, _ in
            Unflatten(dim: try b.int("dim"), sizes: try b.ints("unflattened_size"))
        }
    }
}
