import DuetTensor

/// Tensor methods: the registry's (generated) plus PyTorch's methods that are not ops of their
/// own — shapes, views with varargs, reductions returning tuples, autograd, conversions.
enum TensorMethods {
    static let table: [String: Method] = {
        var t = OpBuiltins.methods
        for api in TensorAPI.all where api.places.contains(.method) { t[api.name] = api.method }
        return t
    }()

    private static let method: Builtins.Places = .method
    private static let everywhere: Builtins.Places = [.method, .flat, .torch]

    /// Methods that are not ops of their own: shapes, views with varargs, autograd, conversions.
    static let entries: [TensorAPI] = [
        TensorAPI("size(self, dim=None)", "The shape as a torch.Size, or the size of one dim.", method) { t, b, _ in
            guard let d = try b.optionalInt("dim") else { return .object(SizeObject(t.shape)) }
            return .int(t.shape[try dimension(d, t.rank, "size")])
        },
        TensorAPI("dim(self)", "Number of dims.", method) { t, _, _ in .int(t.rank) },
        TensorAPI("numel(self)", "Number of elements.", method) { t, _, _ in .int(t.count) },
        TensorAPI("item(self)", "The value of a one-element tensor as a Python number.", method) { t, _, _ in try scalarValue(t) },
        TensorAPI("tolist(self)", "The elements as nested lists of Python numbers.", method) { t, _, _ in try TensorLiteral.toList(t) },
        TensorAPI("backward(self, gradient=None, retain_graph=False, create_graph=False)",
                  "Backpropagates from this tensor, accumulating .grad on the leaves that require it.", method) { t, b, _ in
            try t.backward(try b.optionalTensor("gradient"), retainGraph: try b.bool("retain_graph"), createGraph: try b.bool("create_graph"))
            return .none
        },
        TensorAPI("detach(input)", "The same data without history.", everywhere) { t, _, _ in .tensor(t.detach()) },
        TensorAPI("requires_grad_(self, requires_grad=True)", "Marks a leaf as requiring gradients; returns it.", method) { t, b, _ in
            .tensor(try t.requiresGrad(try b.bool("requires_grad")))
        },
        TensorAPI("zero_(self)", "Fills with zeros in place.", method) { t, _, _ in .tensor(try t.zero_()) },
        TensorAPI("fill_(self, value)", "Fills with value in place.", method) { t, b, _ in .tensor(try t.copy_(try b.tensor("value"))) },
        TensorAPI("float(self)", "As float32.", method) { t, _, _ in .tensor(try t.to(.float32)) },
        TensorAPI("double(self)", "As float64.", method) { t, _, _ in .tensor(try t.to(.float64)) },
        TensorAPI("half(self)", "As float16 (stored in 16 bits; ops compute in float32 and round back).", method) { t, _, _ in .tensor(try t.to(.float16)) },
        TensorAPI("bfloat16(self)", "As bfloat16 (float32's range in 16 bits; ops compute in float32 and round back).", method) { t, _, _ in .tensor(try t.to(.bfloat16)) },
        TensorAPI("long(self)", "As int64.", method) { t, _, _ in .tensor(try t.to(.int64)) },
        TensorAPI("int(self)", "As int64 (Duet's only integer dtype).", method) { t, _, _ in .tensor(try t.to(.int64)) },
        TensorAPI("bool(self)", "As bool.", method) { t, _, _ in .tensor(try t.to(.bool)) },
        TensorAPI("to(self, *args, dtype=None, device=None, non_blocking=False, copy=False)",
                  "As another dtype (to(torch.float64), to('cpu', torch.float64), to(other)); devices other than the CPU are not available.", method) { t, b, _ in
            var target = try b.dtype("dtype")
            if let device = b["device"] { try TensorCreation.checkDevice(try Convert.string(device, b.label("device")), "to()") }
            for v in b.rest {
                switch v {
                case .object(let o as DTypeObject): target = o.dtype
                case .tensor(let other): target = other.dtype
                case .str(let s): try TensorCreation.checkDevice(s, "to()")
                default: throw ScriptError(.type, "to(): expected a dtype, a device or a tensor, not \(v.typeName)")
                }
            }
            let out = try target.map { try t.to($0) } ?? t
            return .tensor(try b.bool("copy") && out === t ? out.clone() : out)
        },
        TensorAPI("cpu(self)", "The tensor itself (Duet runs on the CPU).", method) { t, _, _ in .tensor(t) },
        TensorAPI("reshape(self, *shape)", "Same data in another shape (a view when possible, else a copy).", method) { t, b, _ in
            .tensor(try t.reshape(try varShape(b)))
        },
        TensorAPI("view(self, *shape)", "Same data seen with another shape; fails if the strides forbid it.", method) { t, b, _ in
            .tensor(try t.view(try varShape(b)))
        },
        TensorAPI("permute(self, *dims)", "Reorders dims (a view).", method) { t, b, _ in .tensor(try t.permute(try varShape(b))) },
        TensorAPI("expand(self, *sizes)", "Broadcasts size-1 dims without copying (-1 keeps a dim).", method) { t, b, _ in
            .tensor(try t.expand(try varShape(b)))
        },
        TensorAPI("expand_as(self, other)", "expand to other's shape.", method) { t, b, _ in .tensor(try t.expand(try b.tensor("other").shape)) },
        TensorAPI("view_as(self, other)", "view with other's shape.", method) { t, b, _ in .tensor(try t.view(try b.tensor("other").shape)) },
        TensorAPI("reshape_as(self, other)", "reshape to other's shape.", method) { t, b, _ in .tensor(try t.reshape(try b.tensor("other").shape)) },
        TensorAPI("transpose(input, dim0, dim1)", "Swaps two dims (a view).", everywhere) { t, b, _ in
            .tensor(try t.transpose(try b.int("dim0"), try b.int("dim1")))
        },
        TensorAPI("t(input)", "Transpose of a tensor of at most 2 dims.", everywhere) { t, _, _ in
            guard t.rank <= 2 else { throw ScriptError(.index, "t() expects a tensor with <= 2 dimensions, but self is \(t.rank)D") }
            return .tensor(try t.T)
        },
        TensorAPI("squeeze(input, dim=None)", "Removes size-1 dims (or the given one).", everywhere) { t, b, _ in
            .tensor(try t.squeeze(dim: try b.optionalInt("dim")))
        },
        TensorAPI("unsqueeze(input, dim)", "Inserts a size-1 dim.", everywhere) { t, b, _ in .tensor(try t.unsqueeze(try b.int("dim"))) },
        TensorAPI("flatten(input, start_dim=0, end_dim=-1)", "Merges dims start_dim…end_dim into one.", everywhere) { t, b, _ in
            .tensor(try t.flatten(startDim: try b.int("start_dim"), endDim: try b.int("end_dim")))
        },
        TensorAPI("is_contiguous(self)", "Whether the elements are laid out in row-major order without gaps.", method) { t, _, _ in .bool(t.isContiguous) },
        TensorAPI("contiguous(self)", "Itself if contiguous, else a contiguous copy.", method) { t, _, _ in .tensor(try t.contiguous()) },
        TensorAPI("numpy(self, *, force=False)", "The tensor as a NumPy array, which in Duet is the tensor itself, detached (sharing its data).", method) { t, b, _ in
            if t.requiresGrad, !(try b.bool("force")) {
                throw ScriptError(.runtime, "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.")
            }
            return .tensor(t.detach())
        },
    ]

    /// Varargs or one sequence: `view(2, 3)` and `view((2, 3))`.
    private static func varShape(_ b: BoundArguments) throws -> [Int] {
        guard !b.rest.isEmpty else { throw ScriptError(.type, "\(b.function)() missing required argument 'shape'") }
        return try Convert.shape(Array(b.rest), "\(b.function)(): shape")
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
        case .float16, .bfloat16, .float32, .float64: return .float(v)
        }
    }
}

/// Tensor attributes (`x.shape`, `x.T`, `x.grad`…), resolved by name at compile time.
enum TensorAttributes {
    static let table: [String: @Sendable (Tensor) throws -> Value] = [
        "shape": { .object(SizeObject($0.shape)) },
        "retains_grad": { .bool($0.retainsGrad) },
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
