import DuetTensor

/// Tensor constructors (`tensor`, `zeros`, `randn`, `arange`…), dtypes and the seed.
enum TensorCreation {
    static func register(_ r: Builtins.Registrar) {
        let both: Builtins.Places = [.flat, .torch]
        r.function("tensor", "tensor(data, dtype=None, requires_grad=False)", "A tensor from a number or nested lists (dtype inferred: bool, int64, or float32).", both) { a, _ in
            let b = try BoundArguments(a, "tensor", ["data", "dtype", "requires_grad"], required: 1)
            guard let data = b.values[0] else { throw ScriptError(.type, "tensor() missing required argument 'data'") }
            let dtype = try b.dtype(1)
            let t: Tensor
            if case .tensor(let existing) = data { t = try existing.to(dtype ?? existing.dtype).clone().detach() } else { t = try TensorLiteral.make(data, dtype: dtype) }
            return try finish(t, b, requiresGrad: 2)
        }
        for (name, value) in [("zeros", 0.0), ("ones", 1.0)] {
            r.function(name, "\(name)(*size, dtype=None, requires_grad=False)", "A tensor filled with \(Int(value))s.", both) { a, interp in
                let (shape, b) = try sized(a, name, ["dtype", "requires_grad"], interp)
                return try finish(try Tensor.full(shape, value, dtype: try b.dtype(0) ?? .float32), b, requiresGrad: 1)
            }
        }
        r.function("empty", "empty(*size, dtype=None)", "A tensor of the given shape (filled with zeros in Duet).", both) { a, interp in
            let (shape, b) = try sized(a, "empty", ["dtype", "requires_grad"], interp)
            return try finish(try Tensor.zeros(shape, dtype: try b.dtype(0) ?? .float32), b, requiresGrad: 1)
        }
        r.function("full", "full(size, fill_value, dtype=None, requires_grad=False)", "A tensor filled with fill_value.", both) { a, interp in
            let b = try BoundArguments(a, "full", ["size", "fill_value", "dtype", "requires_grad"], required: 2)
            let fill = b.values[1] ?? .float(0)
            let inferred: DType = if case .int = fill { .int64 } else if case .bool = fill { .bool } else { .float32 }
            let shape = try b.ints(0, [])
            _ = try checkedCount(shape, interp)
            let t = try Tensor.full(shape, try Convert.double(fill, "full(): fill_value"), dtype: try b.dtype(2) ?? inferred)
            return try finish(t, b, requiresGrad: 3)
        }
        r.function("randn", "randn(*size, dtype=None, requires_grad=False)", "Standard normal samples from the seeded generator.", both) { a, interp in
            let (shape, b) = try sized(a, "randn", ["dtype", "requires_grad"], interp)
            return try finish(try Tensor.randn(shape, dtype: try b.dtype(0) ?? .float32), b, requiresGrad: 1)
        }
        r.function("rand", "rand(*size, dtype=None, requires_grad=False)", "Uniform samples in [0, 1) from the seeded generator.", both) { a, interp in
            let (shape, b) = try sized(a, "rand", ["dtype", "requires_grad"], interp)
            return try finish(try Tensor.rand(shape, dtype: try b.dtype(0) ?? .float32), b, requiresGrad: 1)
        }
        r.function("randint", "randint(low=0, high, size, dtype=int64)", "Integers uniform in [low, high).", both) { a, interp in
            let b = try BoundArguments(a, "randint", ["low", "high", "size", "dtype"], required: 2)
            let (low, high, size) = b.values[2] == nil
                ? (0, try b.int(0, 0), try b.ints(1, []))
                : (try b.int(0, 0), try b.int(1, 0), try b.ints(2, []))
            _ = try checkedCount(size, interp)
            guard high > low, !high.subtractingReportingOverflow(low).overflow else {
                throw ScriptError(.value, "randint(): high (\(high)) must be greater than low (\(low)) and the range must fit in 64 bits")
            }
            return .tensor(try Tensor.randint(low, high, size, dtype: try b.dtype(3) ?? .int64))
        }
        r.function("arange", "arange(start=0, end, step=1, dtype=None)", "Values from start up to (not including) end; int64 when all arguments are integers.", both) { a, interp in
            let b = try BoundArguments(a, "arange", ["start", "end", "step", "dtype"], required: 1)
            let (start, end) = b.values[1] == nil ? (0.0, try b.double(0, 0)) : (try b.double(0, 0), try b.double(1, 0))
            let step = try b.double(2, 1)
            let count = (end - start) / step
            guard count.isFinite, Swift.abs(count) < Double(interp.maxTensorElements) else {
                throw ScriptError(.value, "arange(): too many elements (\(PyFloat.repr(count.rounded(.up))))")
            }
            let anyFloat = [b.values[0], b.values[1], b.values[2]].contains { if case .float = $0 { true } else { false } }
            return .tensor(try Tensor.arange(start, end, step: step, dtype: try b.dtype(3) ?? (anyFloat ? .float32 : nil)))
        }
        r.function("linspace", "linspace(start, end, steps, dtype=None)", "steps evenly spaced values from start to end inclusive.", both) { a, interp in
            let b = try BoundArguments(a, "linspace", ["start", "end", "steps", "dtype"], required: 3)
            let steps = try b.int(2, 0)
            _ = try checkedCount([steps], interp)
            return .tensor(try Tensor.linspace(try b.double(0, 0), try b.double(1, 0), steps: steps, dtype: try b.dtype(3) ?? .float32))
        }
        r.function("eye", "eye(n, m=None, dtype=None)", "The n×m identity matrix.", both) { a, interp in
            let b = try BoundArguments(a, "eye", ["n", "m", "dtype"], required: 1)
            let n = try b.int(0, 0), m = try b.optionalInt(1)
            guard n >= 0, (m ?? 0) >= 0 else { throw ScriptError(.value, "eye(): negative size") }
            _ = try checkedCount([n, m ?? n], interp)
            return .tensor(try Tensor.eye(n, m, dtype: try b.dtype(2) ?? .float32))
        }
        for (name, doc) in [("zeros_like", "zeros"), ("ones_like", "ones"), ("rand_like", "uniform samples"), ("randn_like", "normal samples")] {
            r.function(name, "\(name)(input, dtype=None)", "A tensor of \(doc) with input's shape (and dtype).", both) { a, _ in
                let b = try BoundArguments(a, name, ["input", "dtype", "requires_grad"], required: 1)
                let t = try b.tensor(0)
                let dtype = try b.dtype(1) ?? t.dtype
                let out: Tensor = switch name {
                case "zeros_like": try Tensor.zeros(t.shape, dtype: dtype)
                case "ones_like": try Tensor.ones(t.shape, dtype: dtype)
                case "rand_like": try Tensor.rand(t.shape, dtype: dtype.isFloatingPoint ? dtype : .float32)
                default: try Tensor.randn(t.shape, dtype: dtype.isFloatingPoint ? dtype : .float32)
                }
                return try finish(out, b, requiresGrad: 2)
            }
        }
        r.function("full_like", "full_like(input, fill_value, dtype=None)", "A tensor of fill_value with input's shape (and dtype).", both) { a, _ in
            let b = try BoundArguments(a, "full_like", ["input", "fill_value", "dtype"], required: 2)
            let t = try b.tensor(0)
            return .tensor(try Tensor.full(t.shape, try b.double(1, 0), dtype: try b.dtype(2) ?? t.dtype))
        }
        r.function("manual_seed", "manual_seed(seed)", "Seeds the random generator so runs repeat exactly.", both) { a, _ in
            manualSeed(try BoundArguments(a, "manual_seed", ["seed"], required: 1).int(0, 0))
            return .none
        }
        r.function("is_tensor", "is_tensor(obj)", "Whether obj is a tensor.", both) { a, _ in
            try a.expectPositional("is_tensor", min: 1, max: 1)
            if case .tensor = a.positional[0] { return .bool(true) }
            return .bool(false)
        }
        r.function("numel", "numel(input)", "Number of elements.", both) { a, _ in
            .int(try BoundArguments(a, "numel", ["input"], required: 1).tensor(0).count)
        }
        let dtypes: [(String, DType)] = [("float32", .float32), ("float", .float32), ("float64", .float64), ("double", .float64),
                                          ("int64", .int64), ("long", .int64), ("bool", .bool)]
        for (name, d) in dtypes {
            r.add(name, .object(DTypeObject(d)), name == "bool" || name == "float" ? .torch : both)
        }
        r.add("Tensor", .object(PythonBuiltins.tensorType), .torch)
        r.function("device", "device(name)", "A device name; Duet runs on the CPU, so only 'cpu' can be used.", .torch) { a, _ in
            .str(try BoundArguments(a, "device", ["type"], required: 1).string(0, "cpu"))
        }
    }

    /// Shape from varargs or a `size=` keyword, plus the other keyword arguments.
    private static func sized(_ a: Arguments, _ name: String, _ keywords: [String], _ interp: Interpreter) throws -> ([Int], BoundArguments) {
        var rest = Arguments([], names: [], keywords: [])
        var sizeValues = a.positional
        for (k, n) in a.names.enumerated() {
            if n == "size" {
                guard sizeValues.isEmpty else { throw ScriptError(.type, "\(name)() got multiple values for argument 'size'") }
                sizeValues = [a.keywords[k]]
            } else {
                rest.names.append(n)
                rest.keywords.append(a.keywords[k])
            }
        }
        let shape = sizeValues.isEmpty ? [] : try Convert.shape(sizeValues, "\(name)(): size")
        _ = try checkedCount(shape, interp)
        return (shape, try BoundArguments(rest, name, keywords))
    }

    /// Element count of a requested shape, refusing negative dims and absurd sizes up front. The
    /// limit is the engine's (`interp.maxTensorElements` writes through to it), so creation and
    /// every op are held to the same one.
    static func checkedCount(_ shape: [Int], _: Interpreter) throws -> Int {
        try EngineContext.current.checkedElementCount(shape, op: "tensor")
    }

    private static func finish(_ t: Tensor, _ b: BoundArguments, requiresGrad index: Int) throws -> Value {
        if try b.bool(index, false) { try t.requiresGrad(true) }
        return .tensor(t)
    }
}
