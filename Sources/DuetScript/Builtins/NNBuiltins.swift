import DuetTensor
import DuetNN

/// `nn.Identity()`: returns its input.
final class Identity: Module {
    override func forward(_ input: Tensor) throws -> Tensor { input }
}

/// `nn.Softmax(dim)` and `nn.LogSoftmax(dim)`.
final class Softmax: Module {
    let dim: Int
    init(dim: Int) { self.dim = dim }
    override func forward(_ input: Tensor) throws -> Tensor { try input.softmax(dim: dim) }
    override var extraDescription: String { "dim=\(dim)" }
}

final class LogSoftmax: Module {
    let dim: Int
    init(dim: Int) { self.dim = dim }
    override func forward(_ input: Tensor) throws -> Tensor { try input.logSoftmax(dim: dim) }
    override var extraDescription: String { "dim=\(dim)" }
}

/// What `summary(model, input_size)` returns; it prints as the table.
final class SummaryObject: ScriptObject {
    let summary: ModelSummary
    init(_ summary: ModelSummary) { self.summary = summary }
    override var typeName: String { "ModelSummary" }
    override var repr: String { summary.description }
    override func attribute(_ name: String, _ interp: Interpreter) throws -> Value? {
        switch name {
        case "total_params": .int(summary.totalParameters)
        case "trainable_params": .int(summary.trainableParameters)
        default: nil
        }
    }
}

enum NNBuiltins {
    static func layer(_ r: Builtins.Registrar, _ signature: Signature, doc: String,
                              _ make: @escaping (BoundArguments, Interpreter) throws -> Module) {
        r.type(signature, doc, [.flat, .nn]) { b, interp in .object(ModuleObject(try make(b, interp))) }
    }

    /// Refuses parameter shapes beyond the tensor limit before the layer draws its initial values
    /// (the engine's random initializers build a Swift array of that size first).
    static func checkSize(_ shape: [Int], _ interp: Interpreter) throws {
        _ = try TensorCreation.checkedCount(shape, interp)
    }

    /// A kernel size, stride or padding: an int or a pair.
    static func pair(_ b: BoundArguments, _ name: String) throws -> [Int] {
        let v = try b.ints(name)
        guard v.count == 1 || v.count == 2, v.allSatisfy({ $0 >= 0 }) else {
            throw ScriptError(.value, "\(b.label(name)) must be a non-negative int or a pair of them")
        }
        return v
    }

    static func register(_ r: Builtins.Registrar) {
        layer(r, "Linear(in_features, out_features, bias=True)", doc: "y = x W^T + b over the last dim.") { b, interp in
            let n = try b.int("in_features"), m = try b.int("out_features")
            try checkSize([n, m], interp)
            return try Linear(n, m, bias: try b.bool("bias"))
        }
        layer(r, "Conv2d(in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1, bias=True)",
              doc: "2-D convolution over [N, C, H, W].") { b, interp in
            let n = try b.int("in_channels"), m = try b.int("out_channels"), kernel = try pair(b, "kernel_size")
            try checkSize([n, m] + kernel, interp)
            return try Conv2d(n, m, kernelSize: kernel, stride: try pair(b, "stride"), padding: try pair(b, "padding"),
                              dilation: try pair(b, "dilation"), bias: try b.bool("bias"))
        }
        layer(r, "MaxPool2d(kernel_size, stride=None, padding=0)", doc: "Maximum over windows (stride defaults to kernel_size).") { b, _ in
            MaxPool2d(kernelSize: try pair(b, "kernel_size"), stride: b["stride"] == nil ? nil : try pair(b, "stride"), padding: try pair(b, "padding"))
        }
        layer(r, "AvgPool2d(kernel_size, stride=None, padding=0)", doc: "Mean over windows (stride defaults to kernel_size).") { b, _ in
            AvgPool2d(kernelSize: try pair(b, "kernel_size"), stride: b["stride"] == nil ? nil : try pair(b, "stride"), padding: try pair(b, "padding"))
        }
        layer(r, "ReLU(inplace=False)", doc: "max(x, 0).") { _, _ in ReLU() }
        layer(r, "GELU(approximate='none')", doc: "Gaussian error linear unit ('none' or 'tanh').") { b, _ in GELU(approximate: try b.string("approximate") == "tanh") }
        layer(r, "SiLU(inplace=False)", doc: "x * sigmoid(x).") { _, _ in SiLU() }
        layer(r, "Tanh()", doc: "tanh(x).") { _, _ in Tanh() }
        layer(r, "Sigmoid()", doc: "1 / (1 + exp(-x)).") { _, _ in Sigmoid() }
        layer(r, "Identity(*args, **kwargs)", doc: "Returns its input (its arguments are ignored, as in PyTorch).") { _, _ in Identity() }
        layer(r, "Softmax(dim=None)", doc: "softmax along dim.") { b, _ in Softmax(dim: try b.optionalInt("dim") ?? -1) }
        layer(r, "LogSoftmax(dim=None)", doc: "log_softmax along dim.") { b, _ in LogSoftmax(dim: try b.optionalInt("dim") ?? -1) }
        layer(r, "Flatten(start_dim=1, end_dim=-1)", doc: "Merges dims start_dim…end_dim (the batch dim stays).") { b, _ in
            Flatten(startDim: try b.int("start_dim"), endDim: try b.int("end_dim"))
        }
        layer(r, "Dropout(p=0.5, inplace=False)", doc: "Zeroes elements with probability p while training.") { b, _ in try Dropout(try b.double("p")) }
        layer(r, "LayerNorm(normalized_shape, eps=1e-05, elementwise_affine=True, bias=True)",
              doc: "Normalizes over the trailing dims with a learned scale and shift.") { b, interp in
            let shape = try b.ints("normalized_shape")
            try checkSize(shape, interp)
            return try LayerNorm(shape, eps: try b.double("eps"), elementwiseAffine: try b.bool("elementwise_affine"), bias: try b.bool("bias"))
        }
        for (name, what, make) in [("BatchNorm1d", "[N, C] or [N, C, L]", BatchNorm1d.init(_:eps:momentum:affine:bias:trackRunningStats:)),
                                  ("BatchNorm2d", "[N, C, H, W]", BatchNorm2d.init(_:eps:momentum:affine:bias:trackRunningStats:))]
            as [(String, String, (Int, Double, Double?, Bool, Bool, Bool) throws -> BatchNorm)] {
            layer(r, "\(name)(num_features, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True, *, bias=True)",
                  doc: "Batch normalization of \(what); momentum=None keeps a cumulative average.") { b, interp in
                let n = try b.int("num_features")
                try checkSize([n], interp)
                return try make(n, try b.double("eps"), try b.optionalDouble("momentum"), try b.bool("affine"), try b.bool("bias"), try b.bool("track_running_stats"))
            }
        }
        layer(r, "Embedding(num_embeddings, embedding_dim, padding_idx=None, max_norm=None, norm_type=2.0)",
              doc: "A lookup table of learned vectors; the padding_idx row is zero and gets no gradient.") { b, interp in
            let n = try b.int("num_embeddings"), d = try b.int("embedding_dim")
            guard n > 0, d > 0 else { throw ScriptError(.value, "Embedding: sizes must be positive, got \(n) and \(d)") }
            try checkSize([n, d], interp)
            return try Embedding(n, d, paddingIdx: try b.optionalInt("padding_idx"), maxNorm: try b.optionalDouble("max_norm"), normType: try b.double("norm_type"))
        }
        NNLayerBuiltins.register(r)
        r.type("Sequential(*args)", "Runs its modules in order; they are named \"0\", \"1\", …", [.flat, .nn]) { b, _ in
            var items = Array(b.rest)
            if items.count == 1, case .list(let l) = items[0] { items = l.items }
            let layers = try items.map { v -> Module in
                guard case .object(let o as ModuleObject) = v else { throw ScriptError(.type, "Sequential: \(v.typeName) is not a Module") }
                return o.module
            }
            return .object(ModuleObject(Sequential(layers)))
        }
        r.function("summary(model, input_size, dtype=None)", "Runs the model once on zeros (float32 unless dtype says) and lists each layer's output shape and parameter count.", .flat) { b, _ in
            guard case .object(let m as ModuleObject) = try b.value("model") else { throw ScriptError(.type, "summary() needs a module") }
            return .object(SummaryObject(try DuetNN.summary(m.module, inputShape: try b.ints("input_size"), dtype: try b.dtype("dtype") ?? .float32)))
        }
    }
}
