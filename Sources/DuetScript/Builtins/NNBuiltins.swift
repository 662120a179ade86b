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
    private static func layer(_ r: Builtins.Registrar, _ name: String, _ parameters: [String], required: Int = 0, doc: String,
                              _ make: @escaping (BoundArguments, Interpreter) throws -> Module) {
        let type = TypeObject(name, doc: "\(name)(" + parameters.joined(separator: ", ") + ")\n    " + doc) { a, interp in
            .object(ModuleObject(try make(try BoundArguments(a, name, parameters, required: required), interp)))
        }
        r.add(name, .object(type), [.flat, .nn])
    }

    /// Refuses parameter shapes beyond the tensor limit before the layer draws its initial values
    /// (the engine's random initializers build a Swift array of that size first).
    private static func checkSize(_ shape: [Int], _ interp: Interpreter) throws {
        _ = try TensorCreation.checkedCount(shape, interp)
    }

    /// A kernel size, stride or padding: an int or a pair.
    private static func pair(_ b: BoundArguments, _ i: Int, _ fallback: [Int]) throws -> [Int] {
        let v = try b.ints(i, fallback)
        guard v.count == 1 || v.count == 2, v.allSatisfy({ $0 >= 0 }) else {
            throw ScriptError(.value, "\(b.name(i)) must be a non-negative int or a pair of them")
        }
        return v
    }

    static func register(_ r: Builtins.Registrar) {
        layer(r, "Linear", ["in_features", "out_features", "bias"], required: 2, doc: "y = x W^T + b over the last dim.") { b, interp in
            try checkSize([try b.int(0, 0), try b.int(1, 0)], interp)
            return try Linear(try b.int(0, 0), try b.int(1, 0), bias: try b.bool(2, true))
        }
        layer(r, "Conv2d", ["in_channels", "out_channels", "kernel_size", "stride", "padding", "dilation", "bias"], required: 3,
              doc: "2-D convolution over [N, C, H, W].") { b, interp in
            try checkSize([try b.int(0, 0), try b.int(1, 0)] + (try pair(b, 2, [1])), interp)
            return try Conv2d(try b.int(0, 0), try b.int(1, 0), kernelSize: try pair(b, 2, [1]), stride: try pair(b, 3, [1]),
                       padding: try pair(b, 4, [0]), dilation: try pair(b, 5, [1]), bias: try b.bool(6, true))
        }
        layer(r, "MaxPool2d", ["kernel_size", "stride", "padding"], required: 1, doc: "Maximum over windows (stride defaults to kernel_size).") { b, _ in
            MaxPool2d(kernelSize: try pair(b, 0, [1]), stride: try b[1].map { _ in try pair(b, 1, [1]) }, padding: try pair(b, 2, [0]))
        }
        layer(r, "AvgPool2d", ["kernel_size", "stride", "padding"], required: 1, doc: "Mean over windows (stride defaults to kernel_size).") { b, _ in
            AvgPool2d(kernelSize: try pair(b, 0, [1]), stride: try b[1].map { _ in try pair(b, 1, [1]) }, padding: try pair(b, 2, [0]))
        }
        layer(r, "ReLU", ["inplace"], doc: "max(x, 0).") { _, _ in ReLU() }
        layer(r, "GELU", ["approximate"], doc: "Gaussian error linear unit ('none' or 'tanh').") { b, _ in GELU(approximate: try b.string(0, "none") == "tanh") }
        layer(r, "SiLU", ["inplace"], doc: "x * sigmoid(x).") { _, _ in SiLU() }
        layer(r, "Tanh", [], doc: "tanh(x).") { _, _ in Tanh() }
        layer(r, "Sigmoid", [], doc: "1 / (1 + exp(-x)).") { _, _ in Sigmoid() }
        layer(r, "Identity", [], doc: "Returns its input.") { _, _ in Identity() }
        layer(r, "Softmax", ["dim"], doc: "softmax along dim.") { b, _ in Softmax(dim: try b.int(0, -1)) }
        layer(r, "LogSoftmax", ["dim"], doc: "log_softmax along dim.") { b, _ in LogSoftmax(dim: try b.int(0, -1)) }
        layer(r, "Flatten", ["start_dim", "end_dim"], doc: "Merges dims start_dim…end_dim (the batch dim stays).") { b, _ in
            Flatten(startDim: try b.int(0, 1), endDim: try b.int(1, -1))
        }
        layer(r, "Dropout", ["p", "inplace"], doc: "Zeroes elements with probability p while training.") { b, _ in try Dropout(try b.double(0, 0.5)) }
        layer(r, "LayerNorm", ["normalized_shape", "eps"], required: 1, doc: "Normalizes over the trailing dims with a learned scale and shift.") { b, interp in
            try checkSize(try b.ints(0, []), interp)
            return try LayerNorm(try b.ints(0, []), eps: try b.double(1, 1e-5))
        }
        layer(r, "BatchNorm1d", ["num_features", "eps", "momentum"], required: 1, doc: "Batch normalization of [N, C] or [N, C, L].") { b, interp in
            try checkSize([try b.int(0, 0)], interp)
            return try BatchNorm1d(try b.int(0, 0), eps: try b.double(1, 1e-5), momentum: try b.double(2, 0.1))
        }
        layer(r, "BatchNorm2d", ["num_features", "eps", "momentum"], required: 1, doc: "Batch normalization of [N, C, H, W].") { b, interp in
            try checkSize([try b.int(0, 0)], interp)
            return try BatchNorm2d(try b.int(0, 0), eps: try b.double(1, 1e-5), momentum: try b.double(2, 0.1))
        }
        layer(r, "Embedding", ["num_embeddings", "embedding_dim"], required: 2, doc: "A lookup table of learned vectors.") { b, interp in
            let n = try b.int(0, 0), d = try b.int(1, 0)
            guard n > 0, d > 0 else { throw ScriptError(.value, "Embedding: sizes must be positive, got \(n) and \(d)") }
            try checkSize([n, d], interp)
            return try Embedding(n, d)
        }
        let sequential = TypeObject("Sequential", doc: "Sequential(*modules)\n    Runs its modules in order; they are named \"0\", \"1\", …") { a, interp in
            guard a.names.isEmpty else { throw ScriptError(.type, "Sequential() takes modules only") }
            var items = a.positional
            if items.count == 1, case .list(let l) = items[0] { items = l.items }
            let layers = try items.map { v -> Module in
                guard case .object(let o as ModuleObject) = v else { throw ScriptError(.type, "Sequential: \(v.typeName) is not a Module") }
                return o.module
            }
            return .object(ModuleObject(Sequential(layers)))
        }
        r.add("Sequential", .object(sequential), [.flat, .nn])
        r.function("summary", "summary(model, input_size, dtype=float32)", "Runs the model once on zeros and lists each layer's output shape and parameter count.", .flat) { a, _ in
            let b = try BoundArguments(a, "summary", ["model", "input_size", "dtype"], required: 2)
            guard case .object(let m as ModuleObject)? = b.values[0] else { throw ScriptError(.type, "summary() needs a module") }
            return .object(SummaryObject(try DuetNN.summary(m.module, inputShape: try b.ints(1, []), dtype: try b.dtype(2) ?? .float32)))
        }
        r.function("clip_grad_norm_", "clip_grad_norm_(parameters, max_norm)", "Scales gradients so their joint L2 norm is at most max_norm; returns the norm before.", .flat) { a, interp in
            let b = try BoundArguments(a, "clip_grad_norm_", ["parameters", "max_norm"], required: 2)
            let params = try OptimBuiltins.parameters(b.values[0] ?? .none, interp)
            return .tensor(try clipGradNorm(params, maxNorm: try b.double(1, 0)))
        }
    }
}
