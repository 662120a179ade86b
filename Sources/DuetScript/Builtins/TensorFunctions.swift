import DuetTensor

/// PyTorch functions that are not registry ops of their own but compositions of them (so their
/// gradients and profiles come from their parts), and the API forms of ops whose PyTorch
/// signature differs from the raw entry (`matmul` with vectors, `one_hot` with -1 classes).
enum TensorFunctions {
    private static let everywhere: Builtins.Places = [.method, .flat, .torch]

    /// Composites published as functions, methods or both (`TensorAPI`).
    static let entries: [TensorAPI] = [
        // Only under torch.: the flat any/all are Python's (which take any iterable).
        TensorAPI("any(input, dim=None, keepdim=False)", "Whether any element (along dim) is nonzero.", [.method, .torch]) { t, b, _ in
            .tensor(try anyAll(t, b, any: true))
        },
        TensorAPI("all(input, dim=None, keepdim=False)", "Whether every element (along dim) is nonzero.", [.method, .torch]) { t, b, _ in
            .tensor(try anyAll(t, b, any: false))
        },
        TensorAPI("matmul(input, other)", Ops.matmul.doc + " 1-D operands are vectors.", everywhere) { t, b, _ in
            .tensor(try t.matmul(try b.tensor("other")))
        },
        TensorAPI("mm(input, mat2)", "Matrix product of two 2-D tensors.", everywhere) { t, b, _ in .tensor(try t.matmul(try b.tensor("mat2"))) },
        TensorAPI("one_hot(tensor, num_classes=-1)", Ops.oneHot.doc + " With -1, the count is the largest label + 1.", [.flat, .functional]) { t, b, _ in
            .tensor(try t.oneHot(numClasses: try b.int("num_classes")))
        },
        TensorAPI("mean(input, dim=None, keepdim=False)", "Mean over dim (all when None).", everywhere) { t, b, _ in
            .tensor(try t.mean(dims: try b.optionalInts("dim"), keepdim: try b.bool("keepdim")))
        },
        TensorAPI("var(input, dim=None, unbiased=True, keepdim=False, *, correction=None)", "Variance (Bessel-corrected unless unbiased=False).", everywhere) { t, b, _ in
            .tensor(try variance(t, b))
        },
        TensorAPI("std(input, dim=None, unbiased=True, keepdim=False, *, correction=None)", "Standard deviation.", everywhere) { t, b, _ in
            .tensor(try variance(t, b).sqrt())
        },
        TensorAPI("max(input, dim=None, keepdim=False)", "The maximum, or (values, indices) along dim, or the elementwise maximum with a tensor.", .method) { t, b, _ in
            try extremum(t, b, max: true)
        },
        TensorAPI("min(input, dim=None, keepdim=False)", "The minimum, or (values, indices) along dim, or the elementwise minimum with a tensor.", .method) { t, b, _ in
            try extremum(t, b, max: false)
        },
        TensorAPI("gelu(input, approximate='none')", "Gaussian error linear unit (exact, or 'tanh' approximation).", [.flat, .torch, .functional]) { t, b, _ in
            .tensor(try t.gelu(approximate: try b.string("approximate") == "tanh"))
        },
        TensorAPI("silu(input, inplace=False)", "x * sigmoid(x).", [.flat, .torch, .functional]) { t, _, _ in .tensor(try t.silu()) },
        TensorAPI("linear(input, weight, bias=None)", "input @ weight.T + bias.", [.flat, .functional]) { t, b, _ in
            .tensor(try t.linear(try b.tensor("weight"), try b.optionalTensor("bias")))
        },
        TensorAPI("layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-05)", "Normalizes over the trailing dims.", [.flat, .functional]) { t, b, _ in
            .tensor(try t.layerNorm(try b.ints("normalized_shape"), weight: try b.optionalTensor("weight"), bias: try b.optionalTensor("bias"), eps: try b.double("eps")))
        },
        TensorAPI("allclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False)", "Whether |input - other| <= atol + rtol * |other| everywhere.", everywhere) { t, b, _ in
            .bool(try TensorHelpersAPI.isclose(t, b).toDoubles().allSatisfy { $0 != 0 })
        },
        TensorAPI("reshape(input, shape)", "Same data in another shape (a view when possible, else a copy).", [.flat, .torch]) { t, b, _ in
            .tensor(try t.reshape(try Convert.shape([try b.value("shape")], "reshape(): shape")))
        },
        TensorAPI("permute(input, dims)", "Reorders dims (a view).", [.flat, .torch]) { t, b, _ in .tensor(try t.permute(try b.ints("dims"))) },
        TensorAPI("square(input)", "x * x.", everywhere) { t, _, _ in .tensor(try t * t) },
        TensorAPI("norm(input, p='fro', dim=None, keepdim=False)", "The p-norm over dim (all elements when None); 'fro' is 2, inf the largest magnitude.", everywhere) { t, b, _ in
            .tensor(try norm(t, b))
        },
    ]

    static func register(_ r: Builtins.Registrar) {
        for api in TensorAPI.all { api.register(r) }
        for (name, largest) in [("max", true), ("min", false)] {
            let word = largest ? "maximum" : "minimum"
            r.function(Signature("\(name)(input, dim=None, keepdim=False)", "\(name)(*args, key=None, default=None)"),
                       "On a tensor: its \(word), (values, indices) along dim, or the elementwise \(word) with another tensor. Otherwise Python's \(name).",
                       [.flat, .torch]) { b, interp in
                if case .tensor(let t)? = b["input"] { return try extremum(t, b, max: largest) }
                return try PythonBuiltins.extreme(b.args, interp, name, largest: largest)
            }
        }
        r.function("stack(tensors, dim=0)", "Joins tensors of one shape along a new dim.", [.flat, .torch]) { b, interp in
            let items = try Iteration.collect(try b.value("tensors"), interp).map { try Convert.tensor($0, b.label("tensors")) }
            return .tensor(try Tensor.stack(items, dim: try b.int("dim")))
        }
    }

    /// `torch.autograd`: gradients without touching `.grad` (and higher-order ones).
    static func autograd() -> Namespace {
        let ns = Namespace("torch.autograd")
        ns.add("grad", .object(BuiltinFunction("grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False, allow_unused=False)",
                                               "Gradients of outputs with respect to inputs, as a tuple; with create_graph they are differentiable.") { b, interp in
            func tensors(_ name: String) throws -> [Tensor]? {
                guard let v = b[name] else { return nil }
                if case .tensor(let t) = v { return [t] }
                return try Iteration.collect(v, interp).map { try Convert.tensor($0, b.label(name)) }
            }
            let grads = try DuetTensor.grad(try tensors("outputs") ?? [], try tensors("inputs") ?? [], gradOutputs: try tensors("grad_outputs"),
                                            retainGraph: try b["retain_graph"].map { try Convert.bool($0, b.label("retain_graph")) },
                                            createGraph: try b.bool("create_graph"), allowUnused: try b.bool("allow_unused"))
            return .tuple(grads.map { $0.map(Value.tensor) ?? .none })
        }))
        return ns
    }

    private static func variance(_ t: Tensor, _ b: BoundArguments) throws -> Tensor {
        let correction = try b.optionalInt("correction") ?? (try b.bool("unbiased") ? 1 : 0)
        return try t.variance(dims: try b.optionalInts("dim"), correction: correction, keepdim: try b.bool("keepdim"))
    }

    /// `x.any(dim, keepdim)` / `x.all(dim, keepdim)`, written from registry ops (so they trace):
    /// any counts the nonzero elements, all the zero ones. An empty reduction is False / True.
    private static func anyAll(_ t: Tensor, _ b: BoundArguments, any: Bool) throws -> Tensor {
        let zero = Tensor.scalar(0)
        let hits = try Dispatch.call1(any ? Ops.ne : Ops.eq, [t, zero]).to(.float32)
        let count = try hits.sum(dims: try b.optionalInts("dim"), keepdim: try b.bool("keepdim"))
        return try Dispatch.call1(any ? Ops.gt : Ops.eq, [count, zero])
    }

    /// `x.max()`, `x.max(dim, keepdim)` → (values, indices), `x.max(other)` → elementwise.
    private static func extremum(_ t: Tensor, _ b: BoundArguments, max: Bool) throws -> Value {
        if case .tensor(let other)? = b["dim"] {
            guard !b.isGiven("keepdim") else { throw ScriptError(.type, "\(b.function)(): with a tensor argument, no other arguments are allowed") }
            return .tensor(max ? try t.maximum(other) : try t.minimum(other))
        }
        guard let dim = try b.optionalInt("dim") else {
            guard !b.isGiven("keepdim") else { throw ScriptError(.type, "\(b.function)(): keepdim needs a dim") }
            return .tensor(max ? try t.amax() : try t.amin())
        }
        let keep = try b.bool("keepdim")
        let r = max ? try t.max(dim: dim, keepdim: keep) : try t.min(dim: dim, keepdim: keep)
        return .object(NamedTuple(b.function, ["values", "indices"], [.tensor(r.values), .tensor(r.indices)]))
    }

    /// PyTorch's `norm`: sum(|x|^p)^(1/p) over dim; p may be 'fro' (2), inf or -inf (the largest
    /// or smallest magnitude) or 0 (the count of nonzero elements).
    private static func norm(_ t: Tensor, _ b: BoundArguments) throws -> Tensor {
        let dims = try b.optionalInts("dim"), keep = try b.bool("keepdim")
        let p: Double
        if case .str(let s)? = b["p"] {
            guard s == "fro" else { throw ScriptError(.value, "norm(): p must be a number or 'fro', not '\(s)'") }
            p = 2
        } else {
            p = try b.double("p")
        }
        let magnitude = try t.abs()
        if p.isInfinite { return p > 0 ? try magnitude.amax(dims: dims, keepdim: keep) : try magnitude.amin(dims: dims, keepdim: keep) }
        if p == 0 { return try (magnitude > 0).to(t.dtype.isFloatingPoint ? t.dtype : .float32).sum(dims: dims, keepdim: keep) }
        return try magnitude.pow(p).sum(dims: dims, keepdim: keep).pow(1 / p)
    }
}
