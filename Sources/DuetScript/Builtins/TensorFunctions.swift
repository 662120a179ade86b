import DuetTensor

/// PyTorch functions that are not registry ops of their own but compositions of them (so their
/// gradients and profiles come from their parts), and the API forms of ops whose PyTorch
/// signature differs from the raw entry (`matmul` with vectors, `one_hot` with -1 classes).
enum TensorFunctions {
    static func register(_ r: Builtins.Registrar) {
        let both: Builtins.Places = [.flat, .torch]
        let nnF: Builtins.Places = [.flat, .torch, .functional]
        // Only under torch.: the flat any/all are Python's (which take any iterable).
        for name in ["any", "all"] {
            r.function(name, "\(name)(input, dim=None, keepdim=False)", "Whether \(name == "any" ? "any" : "every") element (along dim) is nonzero.", .torch) { a, _ in
                guard case .tensor(let t)? = a.positional.first else { throw ScriptError(.type, "\(name)(): argument 'input' must be a Tensor") }
                return .tensor(try anyAll(t, Arguments(Array(a.positional.dropFirst()), names: a.names, keywords: a.keywords), name))
            }
        }
        r.function("matmul", "matmul(input, other)", Ops.matmul.doc + " 1-D operands are vectors.", both) { a, _ in
            let b = try BoundArguments(a, "matmul", ["input", "other"], required: 2)
            return .tensor(try b.tensor(0).matmul(try b.tensor(1)))
        }
        r.function("mm", "mm(input, mat2)", "Matrix product of two 2-D tensors.", both) { a, _ in
            let b = try BoundArguments(a, "mm", ["input", "mat2"], required: 2)
            return .tensor(try b.tensor(0).matmul(try b.tensor(1)))
        }
        r.function("one_hot", "one_hot(input, num_classes=-1)", Ops.oneHot.doc + " With -1, the count is the largest label + 1.", [.flat, .functional]) { a, _ in
            let b = try BoundArguments(a, "one_hot", ["input", "num_classes"], required: 1)
            return .tensor(try b.tensor(0).oneHot(numClasses: try b.int(1, -1)))
        }
        r.function("stack", "stack(tensors, dim=0)", "Joins tensors of one shape along a new dim.", both) { a, interp in
            let b = try BoundArguments(a, "stack", ["tensors", "dim"], required: 1)
            let items = try Iteration.collect(b.values[0] ?? .none, interp).map { try Convert.tensor($0, "stack(): tensors") }
            return .tensor(try Tensor.stack(items, dim: try b.int(1, 0)))
        }
        r.function("mean", "mean(input, dim=None, keepdim=False)", "Mean over dim (all when None).", both) { a, _ in
            let b = try BoundArguments(a, "mean", ["input", "dim", "keepdim"], required: 1)
            return .tensor(try b.tensor(0).mean(dims: try b.optionalInts(1), keepdim: try b.bool(2, false)))
        }
        r.function("var", "var(input, dim=None, unbiased=True, keepdim=False, correction=None)", "Variance.", both) { a, _ in
            let (t, rest) = try split(a, "var")
            return .tensor(try variance(t, rest, "var"))
        }
        r.function("std", "std(input, dim=None, unbiased=True, keepdim=False, correction=None)", "Standard deviation.", both) { a, _ in
            let (t, rest) = try split(a, "std")
            return .tensor(try variance(t, rest, "std").sqrt())
        }
        r.function("max", "max(input, dim=None, keepdim=False) | max(iterable) | max(a, b, ...)",
                   "On a tensor: its maximum, (values, indices) along dim, or the elementwise maximum with another tensor. Otherwise Python's max.", both) { a, interp in
            if case .tensor(let t)? = a.positional.first { return try extremum(t, try split(a, "max").1, "max", max: true) }
            return try PythonBuiltins.extreme(a, interp, "max", largest: true)
        }
        r.function("min", "min(input, dim=None, keepdim=False) | min(iterable) | min(a, b, ...)",
                   "On a tensor: its minimum, (values, indices) along dim, or the elementwise minimum with another tensor. Otherwise Python's min.", both) { a, interp in
            if case .tensor(let t)? = a.positional.first { return try extremum(t, try split(a, "min").1, "min", max: false) }
            return try PythonBuiltins.extreme(a, interp, "min", largest: false)
        }
        r.function("gelu", "gelu(input, approximate='none')", "Gaussian error linear unit (exact, or 'tanh' approximation).", nnF) { a, _ in
            let b = try BoundArguments(a, "gelu", ["input", "approximate"], required: 1)
            return .tensor(try b.tensor(0).gelu(approximate: try b.string(1, "none") == "tanh"))
        }
        r.function("silu", "silu(input)", "x * sigmoid(x).", nnF) { a, _ in
            .tensor(try BoundArguments(a, "silu", ["input"], required: 1).tensor(0).silu())
        }
        r.function("linear", "linear(input, weight, bias=None)", "input @ weight.T + bias.", [.flat, .functional]) { a, _ in
            let b = try BoundArguments(a, "linear", ["input", "weight", "bias"], required: 2)
            return .tensor(try b.tensor(0).linear(try b.tensor(1), try b.optionalTensor(2)))
        }
        r.function("layer_norm", "layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-5)", "Normalizes over the trailing dims.", [.flat, .functional]) { a, _ in
            let b = try BoundArguments(a, "layer_norm", ["input", "normalized_shape", "weight", "bias", "eps"], required: 2)
            return .tensor(try b.tensor(0).layerNorm(try b.ints(1, []), weight: try b.optionalTensor(2), bias: try b.optionalTensor(3), eps: try b.double(4, 1e-5)))
        }
        r.function("dropout", "dropout(input, p=0.5, training=True)", "Zeroes elements with probability p and scales the rest by 1/(1-p).", [.flat, .functional]) { a, _ in
            let b = try BoundArguments(a, "dropout", ["input", "p", "training"], required: 1)
            let x = try b.tensor(0), p = try b.double(1, 0.5)
            guard (0...1).contains(p) else { throw ScriptError(.value, "dropout probability has to be between 0 and 1, but got \(PyFloat.repr(p))") }
            guard try b.bool(2, true), p > 0 else { return .tensor(x) }
            if p == 1 { return .tensor(try x * 0) }
            let keep = try (Tensor.rand(x.shape, dtype: x.dtype.isFloatingPoint ? x.dtype : .float32) >= p).to(x.dtype)
            return .tensor(try x * keep * (1 / (1 - p)))
        }
        r.function("softplus", "softplus(input)", "log(1 + exp(x)), computed stably.", nnF) { a, _ in
            let x = try BoundArguments(a, "softplus", ["input"], required: 1).tensor(0)
            return .tensor(try x.relu() + ((-x.abs()).exp() + 1).log())
        }
        r.function("allclose", "allclose(input, other, rtol=1e-5, atol=1e-8)", "Whether |input - other| <= atol + rtol * |other| everywhere.", both) { a, _ in
            let b = try BoundArguments(a, "allclose", ["input", "other", "rtol", "atol"], required: 2)
            let x = try b.tensor(0).to(.float64), y = try b.tensor(1).to(.float64)
            let tolerance = try y.abs() * (try b.double(2, 1e-5)) + (try b.double(3, 1e-8))
            return .bool(try ((x - y).abs() <= tolerance).toDoubles().allSatisfy { $0 != 0 })
        }
        let views: [(String, String, String)] = [
            ("reshape", "reshape(input, shape)", "reshape"), ("flatten", "flatten(input, start_dim=0, end_dim=-1)", "flatten"),
            ("transpose", "transpose(input, dim0, dim1)", "transpose"), ("squeeze", "squeeze(input, dim=None)", "squeeze"),
            ("unsqueeze", "unsqueeze(input, dim)", "unsqueeze"), ("detach", "detach(input)", "detach"),
            ("square", "square(input)", "square"), ("norm", "norm(input, p=2)", "norm"),
        ]
        for (name, signature, method) in views {
            guard let m = TensorMethods.table[method] else { continue }
            r.function(name, signature, m.doc, both) { a, interp in
                let (t, rest) = try split(a, name)
                return try m.body(.tensor(t), rest, interp)
            }
        }
        r.function("permute", "permute(input, dims)", "Reorders dims (a view).", both) { a, _ in
            let b = try BoundArguments(a, "permute", ["input", "dims"], required: 2)
            return .tensor(try b.tensor(0).permute(try b.ints(1, [])))
        }
    }

    /// `torch.autograd`: gradients without touching `.grad` (and higher-order ones).
    static func autograd() -> Namespace {
        let ns = Namespace("torch.autograd")
        ns.add("grad", .object(BuiltinFunction("grad", "grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False, allow_unused=False)",
                                               "Gradients of outputs with respect to inputs, as a tuple; with create_graph they are differentiable.") { a, interp in
            let b = try BoundArguments(a, "grad", ["outputs", "inputs", "grad_outputs", "retain_graph", "create_graph", "allow_unused"], required: 2)
            func tensors(_ i: Int) throws -> [Tensor]? {
                guard let v = b[i] else { return nil }
                if case .tensor(let t) = v { return [t] }
                return try Iteration.collect(v, interp).map { try Convert.tensor($0, b.name(i)) }
            }
            let grads = try DuetTensor.grad(try tensors(0) ?? [], try tensors(1) ?? [], gradOutputs: try tensors(2),
                                            retainGraph: try b[3].map { try Convert.bool($0, b.name(3)) }, createGraph: try b.bool(4, false),
                                            allowUnused: try b.bool(5, false))
            return .tuple(grads.map { $0.map(Value.tensor) ?? .none })
        }))
        return ns
    }

    /// The first argument (positional or `input=`) as a tensor, and the rest.
    static func split(_ a: Arguments, _ name: String) throws -> (Tensor, Arguments) {
        if let first = a.positional.first {
            return (try Convert.tensor(first, "\(name)(): argument 'input'"), Arguments(Array(a.positional.dropFirst()), names: a.names, keywords: a.keywords))
        }
        guard let i = a.names.firstIndex(of: "input") else { throw ScriptError(.type, "\(name)() missing required argument 'input'") }
        var rest = a
        rest.names.remove(at: i)
        let v = rest.keywords.remove(at: i)
        return (try Convert.tensor(v, "\(name)(): argument 'input'"), rest)
    }

    static func variance(_ t: Tensor, _ a: Arguments, _ name: String) throws -> Tensor {
        let b = try BoundArguments(a, name, ["dim", "unbiased", "keepdim", "correction"])
        let correction = try b.optionalInt(3) ?? (try b.bool(1, true) ? 1 : 0)
        return try t.variance(dims: try b.optionalInts(0), correction: correction, keepdim: try b.bool(2, false))
    }

    /// `x.any(dim, keepdim)` / `x.all(dim, keepdim)`, written from registry ops (so they trace):
    /// any counts the nonzero elements, all the zero ones. An empty reduction is False / True.
    static func anyAll(_ t: Tensor, _ a: Arguments, _ name: String) throws -> Tensor {
        let b = try BoundArguments(a, name, ["dim", "keepdim"])
        let zero = Tensor.scalar(0)
        let hits = try Dispatch.call1(name == "any" ? Ops.ne : Ops.eq, [t, zero]).to(.float32)
        let count = try hits.sum(dims: try b.optionalInts(0), keepdim: try b.bool(1, false))
        return try Dispatch.call1(name == "any" ? Ops.gt : Ops.eq, [count, zero])
    }

    /// `x.max()`, `x.max(dim, keepdim)` → (values, indices), `x.max(other)` → elementwise.
    static func extremum(_ t: Tensor, _ a: Arguments, _ name: String, max: Bool) throws -> Value {
        if case .tensor(let other)? = a.positional.first {
            guard a.positional.count == 1, a.names.isEmpty else { throw ScriptError(.type, "\(name)(): with a tensor argument, no other arguments are allowed") }
            return .tensor(max ? try t.maximum(other) : try t.minimum(other))
        }
        let b = try BoundArguments(a, name, ["dim", "keepdim"])
        guard let dim = try b.optionalInt(0) else {
            guard a.count == 0 else { throw ScriptError(.type, "\(name)(): keepdim needs a dim") }
            return .tensor(max ? try t.amax() : try t.amin())
        }
        let keep = try b.bool(1, false)
        let r = max ? try t.max(dim: dim, keepdim: keep) : try t.min(dim: dim, keepdim: keep)
        return .object(NamedTuple(name, ["values", "indices"], [.tensor(r.values), .tensor(r.indices)]))
    }
}
