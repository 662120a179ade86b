import DuetTensor

/// Tensor methods: the registry's (generated) plus PyTorch's methods that are not ops of their
/// own — shapes, views with varargs, reductions returning tuples, autograd, conversions.
enum TensorMethods {
    static let table: [String: Method] = {
        var t = OpBuiltins.methods
        for (name, m) in handWritten { t[name] = m }
        return t
    }()

    private static func method(_ name: String, _ sig: String, _ doc: String, _ body: @escaping @Sendable (Tensor, Arguments, Interpreter) throws -> Value) -> (String, Method) {
        (name, Method(name: name, signature: sig, doc: doc) { v, a, interp in
            guard case .tensor(let t) = v else { return .none }
            return try body(t, a, interp)
        })
    }

    private static func tensor(_ t: Tensor) -> Value { .tensor(t) }

    private static var handWritten: [(String, Method)] {
        [
            method("size", "size(dim=None)", "The shape as a tuple, or the size of one dim.") { t, a, _ in
                let b = try BoundArguments(a, "size", ["dim"])
                guard let d = try b.optionalInt(0) else { return .tuple(t.shape.map(Value.int)) }
                return .int(t.shape[try dimension(d, t.rank, "size")])
            },
            method("dim", "dim()", "Number of dims.") { t, a, _ in
                try a.expectPositional("dim", min: 0, max: 0)
                return .int(t.rank)
            },
            method("numel", "numel()", "Number of elements.") { t, a, _ in
                try a.expectPositional("numel", min: 0, max: 0)
                return .int(t.count)
            },
            method("item", "item()", "The value of a one-element tensor as a Python number.") { t, a, _ in
                try a.expectPositional("item", min: 0, max: 0)
                return try scalarValue(t)
            },
            method("tolist", "tolist()", "The elements as nested lists of Python numbers.") { t, a, _ in
                try a.expectPositional("tolist", min: 0, max: 0)
                return try TensorLiteral.toList(t)
            },
            method("backward", "backward(gradient=None, retain_graph=False, create_graph=False)",
                   "Backpropagates from this tensor, accumulating .grad on the leaves that require it.") { t, a, _ in
                let b = try BoundArguments(a, "backward", ["gradient", "retain_graph", "create_graph"])
                try t.backward(try b.optionalTensor(0), retainGraph: try b.bool(1, false), createGraph: try b.bool(2, false))
                return .none
            },
            method("detach", "detach()", "The same data without history.") { t, a, _ in
                try a.expectPositional("detach", min: 0, max: 0)
                return .tensor(t.detach())
            },
            method("requires_grad_", "requires_grad_(requires_grad=True)", "Marks a leaf as requiring gradients; returns it.") { t, a, _ in
                let b = try BoundArguments(a, "requires_grad_", ["requires_grad"])
                return .tensor(try t.requiresGrad(try b.bool(0, true)))
            },
            method("zero_", "zero_()", "Fills with zeros in place.") { t, a, _ in
                try a.expectPositional("zero_", min: 0, max: 0)
                return .tensor(try t.zero_())
            },
            method("fill_", "fill_(value)", "Fills with value in place.") { t, a, _ in
                let b = try BoundArguments(a, "fill_", ["value"], required: 1)
                return .tensor(try t.copy_(try b.tensor(0)))
            },
            method("float", "float()", "As float32.") { t, a, _ in try cast(t, a, "float", .float32) },
            method("double", "double()", "As float64.") { t, a, _ in try cast(t, a, "double", .float64) },
            method("long", "long()", "As int64.") { t, a, _ in try cast(t, a, "long", .int64) },
            method("int", "int()", "As int64 (Duet's only integer dtype).") { t, a, _ in try cast(t, a, "int", .int64) },
            method("bool", "bool()", "As bool.") { t, a, _ in try cast(t, a, "bool", .bool) },
            method("to", "to(dtype)", "As another dtype; devices other than the CPU are not available.") { t, a, _ in
                for v in a.positional + a.keywords {
                    if case .str(let s) = v, DType(rawValue: s) == nil {
                        guard s.hasPrefix("cpu") else { throw ScriptError(.value, "to(): device '\(s)' is not available; Duet runs on the CPU") }
                        continue
                    }
                    if case .object(let o as DTypeObject) = v { return .tensor(try t.to(o.dtype)) }
                    if case .str(let s) = v, let d = DType(rawValue: s) { return .tensor(try t.to(d)) }
                }
                return .tensor(t)
            },
            method("cpu", "cpu()", "The tensor itself (Duet runs on the CPU).") { t, _, _ in .tensor(t) },
            method("reshape", "reshape(*shape)", "Same data in another shape (a view when possible, else a copy).") { t, a, _ in
                .tensor(try t.reshape(try Convert.shape(try positional(a, "reshape", "shape"), "reshape(): shape")))
            },
            method("view", "view(*shape)", "Same data seen with another shape; fails if the strides forbid it.") { t, a, _ in
                .tensor(try t.view(try Convert.shape(try positional(a, "view", "size"), "view(): shape")))
            },
            method("permute", "permute(*dims)", "Reorders dims (a view).") { t, a, _ in
                .tensor(try t.permute(try Convert.shape(try positional(a, "permute", "dims"), "permute(): dims")))
            },
            method("expand", "expand(*sizes)", "Broadcasts size-1 dims without copying (-1 keeps a dim).") { t, a, _ in
                .tensor(try t.expand(try Convert.shape(try positional(a, "expand", "size"), "expand(): sizes")))
            },
            method("expand_as", "expand_as(other)", "expand to other's shape.") { t, a, _ in
                .tensor(try t.expand(try BoundArguments(a, "expand_as", ["other"], required: 1).tensor(0).shape))
            },
            method("view_as", "view_as(other)", "view with other's shape.") { t, a, _ in
                .tensor(try t.view(try BoundArguments(a, "view_as", ["other"], required: 1).tensor(0).shape))
            },
            method("reshape_as", "reshape_as(other)", "reshape to other's shape.") { t, a, _ in
                .tensor(try t.reshape(try BoundArguments(a, "reshape_as", ["other"], required: 1).tensor(0).shape))
            },
            method("transpose", "transpose(dim0, dim1)", "Swaps two dims (a view).") { t, a, _ in
                let b = try BoundArguments(a, "transpose", ["dim0", "dim1"], required: 2)
                return .tensor(try t.transpose(try b.int(0, 0), try b.int(1, 1)))
            },
            method("t", "t()", "Transpose of a tensor of at most 2 dims.") { t, a, _ in
                try a.expectPositional("t", min: 0, max: 0)
                guard t.rank <= 2 else { throw ScriptError(.index, "t() expects a tensor with <= 2 dimensions, but self is \(t.rank)D") }
                return .tensor(try t.T)
            },
            method("squeeze", "squeeze(dim=None)", "Removes size-1 dims (or the given one).") { t, a, _ in
                .tensor(try t.squeeze(dim: try BoundArguments(a, "squeeze", ["dim"]).optionalInt(0)))
            },
            method("unsqueeze", "unsqueeze(dim)", "Inserts a size-1 dim.") { t, a, _ in
                .tensor(try t.unsqueeze(try BoundArguments(a, "unsqueeze", ["dim"], required: 1).int(0, 0)))
            },
            method("flatten", "flatten(start_dim=0, end_dim=-1)", "Merges dims start_dim…end_dim into one.") { t, a, _ in
                let b = try BoundArguments(a, "flatten", ["start_dim", "end_dim"])
                return .tensor(try t.flatten(startDim: try b.int(0, 0), endDim: try b.int(1, -1)))
            },
            method("is_contiguous", "is_contiguous()", "Whether the elements are laid out in row-major order without gaps.") { t, _, _ in
                .bool(t.isContiguous)
            },
            method("contiguous", "contiguous()", "Itself if contiguous, else a contiguous copy.") { t, _, _ in .tensor(try t.contiguous()) },
            method("matmul", "matmul(other)", "Matrix product (1-D operands are vectors, batch dims broadcast).") { t, a, _ in
                .tensor(try t.matmul(try BoundArguments(a, "matmul", ["other"], required: 1).tensor(0)))
            },
            method("mm", "mm(mat2)", "Matrix product of two 2-D tensors.") { t, a, _ in
                .tensor(try t.matmul(try BoundArguments(a, "mm", ["mat2"], required: 1).tensor(0)))
            },
            method("max", "max(dim=None, keepdim=False)", "The maximum, or (values, indices) along dim, or the elementwise maximum with a tensor.") { t, a, _ in
                try TensorFunctions.extremum(t, a, "max", max: true)
            },
            method("min", "min(dim=None, keepdim=False)", "The minimum, or (values, indices) along dim, or the elementwise minimum with a tensor.") { t, a, _ in
                try TensorFunctions.extremum(t, a, "min", max: false)
            },
            method("mean", "mean(dim=None, keepdim=False)", "Mean over dim (all when None).") { t, a, _ in
                let b = try BoundArguments(a, "mean", ["dim", "keepdim"])
                return .tensor(try t.mean(dims: try b.optionalInts(0), keepdim: try b.bool(1, false)))
            },
            method("var", "var(dim=None, unbiased=True, keepdim=False, correction=None)", "Variance (Bessel-corrected unless unbiased=False).") { t, a, _ in
                .tensor(try TensorFunctions.variance(t, a, "var"))
            },
            method("std", "std(dim=None, unbiased=True, keepdim=False, correction=None)", "Standard deviation.") { t, a, _ in
                .tensor(try TensorFunctions.variance(t, a, "std").sqrt())
            },
            method("square", "square()", "x * x.") { t, _, _ in .tensor(try t * t) },
            method("any", "any(dim=None, keepdim=False)", "Whether any element (along dim) is nonzero.") { t, a, _ in
                .tensor(try TensorFunctions.anyAll(t, a, "any"))
            },
            method("all", "all(dim=None, keepdim=False)", "Whether every element (along dim) is nonzero.") { t, a, _ in
                .tensor(try TensorFunctions.anyAll(t, a, "all"))
            },
            method("norm", "norm(p=2)", "The p-norm of all elements.") { t, a, _ in
                let p = try BoundArguments(a, "norm", ["p"]).double(0, 2)
                return .tensor(try t.abs().pow(p).sum().pow(1 / p))
            },
            method("numpy", "numpy()", "Not available: Duet has no NumPy; use tolist().") { _, _, _ in
                throw ScriptError(.runtime, "numpy() is not available in Duet; use tolist() or item()")
            },
        ]
    }

    private static func cast(_ t: Tensor, _ a: Arguments, _ name: String, _ dtype: DType) throws -> Value {
        try a.expectPositional(name, min: 0, max: 0)
        return .tensor(try t.to(dtype))
    }

    /// Varargs or one sequence: `view(2, 3)` and `view((2, 3))`.
    static func positional(_ a: Arguments, _ name: String, _ keyword: String) throws -> [Value] {
        if let k = a.names.first {
            guard k == keyword, a.names.count == 1, a.positional.isEmpty else {
                throw ScriptError(.type, "\(name)() got an unexpected keyword argument '\(k)'")
            }
            return [a.keywords[0]]
        }
        guard !a.positional.isEmpty else { throw ScriptError(.type, "\(name)() missing required argument '\(keyword)'") }
        return a.positional
    }

    static func dimension(_ d: Int, _ rank: Int, _ op: String) throws -> Int {
        let r = max(rank, 1)
        guard d >= -r && d < r else {
            throw ScriptError(.index, "\(op): dim \(d) is out of range for a tensor of rank \(rank) (expected \(-r)...\(r - 1))")
        }
        return d < 0 ? d + r : d
    }

    /// A one-element tensor as the Python number of its dtype.
    static func scalarValue(_ t: Tensor) throws -> Value {
        let v = try t.item()
        switch t.dtype {
        case .bool: return .bool(v != 0)
        case .int64: return .int(try Convert.integral(v))
        case .float32, .float64: return .float(v)
        }
    }
}

/// Tensor attributes (`x.shape`, `x.T`, `x.grad`…), resolved by name at compile time.
enum TensorAttributes {
    static let table: [String: @Sendable (Tensor) throws -> Value] = [
        "shape": { .tuple($0.shape.map(Value.int)) },
        "T": { .tensor(try $0.T) },
        "mT": { .tensor(try $0.mT) },
        "grad": { t in t.grad.map(Value.tensor) ?? .none },
        "requires_grad": { .bool($0.requiresGrad) },
        "is_leaf": { .bool($0.isLeaf) },
        "grad_fn": { t in t.gradFn.map { .str(TensorFormatter.backwardName($0.name)) } ?? .none },
        "dtype": { .object(DTypeObject($0.dtype)) },
        "ndim": { .int($0.rank) },
        "data": { .tensor($0.detach()) },
        "device": { _ in .str("cpu") },
    ]
}

/// `torch.return_types.max(values=…, indices=…)`: a tuple whose items also have names.
final class NamedTuple: ScriptObject, Subscriptable {
    let name: String
    let fields: [String]
    let items: [Value]
    init(_ name: String, _ fields: [String], _ items: [Value]) {
        self.name = name
        self.fields = fields
        self.items = items
    }
    override var typeName: String { name }
    override var length: Int? { items.count }
    override func attribute(_ name: String, _ interp: Interpreter) throws -> Value? {
        fields.firstIndex(of: name).map { items[$0] }
    }
    override func makeIterator(_ interp: Interpreter) throws -> ValueIterator? { ArrayIterator(items) }
    func item(_ index: Value, _ interp: Interpreter) throws -> Value { try Subscript.get(.tuple(items), index, interp) }
    override var repr: String {
        "torch.return_types.\(name)(\n" + zip(fields, items).map { "\($0)=\(Repr.repr($1))" }.joined(separator: ",\n") + ")"
    }
    override var attributeNames: [String] { fields }
}
