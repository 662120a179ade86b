import DuetTensor

/// Tensor constructors (`tensor`, `zeros`, `randn`, `arange`…), dtypes and the seed.
enum TensorCreation {
    static func register(_ r: Builtins.Registrar) {
        let both: Builtins.Places = [.flat, .torch]
        r.function("tensor(data, *, dtype=None, device=None, requires_grad=False)", "A tensor from a number or nested lists (dtype inferred: bool, int64, or float32).", both) { b, _ in
            let data = try b.value("data")
            let dtype = try b.dtype("dtype")
            try checkDevice(b)
            let t: Tensor
            if case .tensor(let existing) = data { t = try existing.to(dtype ?? existing.dtype).clone().detach() } else { t = try TensorLiteral.make(data, dtype: dtype) }
            return .tensor(try finish(t, b))
        }
        for (name, value) in [("zeros", 0.0), ("ones", 1.0)] {
            r.function(sized(name), "A tensor filled with \(Int(value))s.", both) { b, interp in
                .tensor(try finish(try Tensor.full(try shape(b, interp), value, dtype: try b.dtype("dtype") ?? .float32), b))
            }
        }
        r.function(sized("empty"), "A tensor of the given shape (filled with zeros in Duet).", both) { b, interp in
            .tensor(try finish(try Tensor.zeros(try shape(b, interp), dtype: try b.dtype("dtype") ?? .float32), b))
        }
        r.function("full(size, fill_value, *, dtype=None, device=None, requires_grad=False)", "A tensor filled with fill_value.", both) { b, interp in
            let fill = try b.value("fill_value")
            let inferred: DType = if case .int = fill { .int64 } else if case .bool = fill { .bool } else { .float32 }
            let shape = try b.ints("size")
            _ = try checkedCount(shape, interp)
            try checkDevice(b)
            return .tensor(try finish(try Tensor.full(shape, try Convert.double(fill, b.label("fill_value")), dtype: try b.dtype("dtype") ?? inferred), b))
        }
        r.function(sized("randn"), "Standard normal samples from the seeded generator.", both) { b, interp in
            .tensor(try finish(try Tensor.randn(try shape(b, interp), dtype: try b.dtype("dtype") ?? .float32), b))
        }
        r.function(sized("rand"), "Uniform samples in [0, 1) from the seeded generator.", both) { b, interp in
            .tensor(try finish(try Tensor.rand(try shape(b, interp), dtype: try b.dtype("dtype") ?? .float32), b))
        }
        r.function(Signature("randint(high, size, *, dtype=None, device=None, requires_grad=False)",
                             "randint(low, high, size, *, dtype=None, device=None, requires_grad=False)"),
                   "Integers uniform in [low, high).", both) { b, interp in
            let low = try b.optionalInt("low") ?? 0, high = try b.int("high"), size = try b.ints("size")
            _ = try checkedCount(size, interp)
            try checkDevice(b)
            guard high > low, !high.subtractingReportingOverflow(low).overflow else {
                throw ScriptError(.value, "randint(): high (\(high)) must be greater than low (\(low)) and the range must fit in 64 bits")
            }
            return .tensor(try finish(try Tensor.randint(low, high, size, dtype: try b.dtype("dtype") ?? .int64), b))
        }
        r.function(Signature("arange(end, *, dtype=None, device=None, requires_grad=False)",
                             "arange(start, end, step=1, *, dtype=None, device=None, requires_grad=False)"),
                   "Values from start up to (not including) end; int64 when all arguments are integers.", both) { b, interp in
            let start = try b.optionalDouble("start") ?? 0, end = try b.double("end")
            // The one-argument form has no step parameter; PyTorch's is 1 there too.
            let step = try b.optionalDouble("step") ?? 1
            let count = (end - start) / step
            guard count.isFinite, Swift.abs(count) < Double(interp.maxTensorElements) else {
                throw ScriptError(.value, "arange(): too many elements (\(PyFloat.repr(count.rounded(.up))))")
            }
            try checkDevice(b)
            let anyFloat = ["start", "end", "step"].contains { if case .float = b[$0] { true } else { false } }
            return .tensor(try finish(try Tensor.arange(start, end, step: step, dtype: try b.dtype("dtype") ?? (anyFloat ? .float32 : nil)), b))
        }
        r.function("linspace(start, end, steps, *, dtype=None, device=None, requires_grad=False)", "steps evenly spaced values from start to end inclusive.", both) { b, interp in
            let steps = try b.int("steps")
            _ = try checkedCount([steps], interp)
            try checkDevice(b)
            return .tensor(try finish(try Tensor.linspace(try b.double("start"), try b.double("end"), steps: steps, dtype: try b.dtype("dtype") ?? .float32), b))
        }
        r.function("eye(n, m=None, *, dtype=None, device=None, requires_grad=False)", "The n×m identity matrix.", both) { b, interp in
            let n = try b.int("n"), m = try b.optionalInt("m")
            guard n >= 0, (m ?? 0) >= 0 else { throw ScriptError(.value, "eye(): negative size") }
            _ = try checkedCount([n, m ?? n], interp)
            try checkDevice(b)
            return .tensor(try finish(try Tensor.eye(n, m, dtype: try b.dtype("dtype") ?? .float32), b))
        }
        for (name, doc) in [("zeros_like", "zeros"), ("ones_like", "ones"), ("rand_like", "uniform samples"), ("randn_like", "normal samples")] {
            r.function("\(name)(input, *, dtype=None, device=None, requires_grad=False)", "A tensor of \(doc) with input's shape (and dtype).", both) { b, _ in
                let t = try b.tensor("input")
                let dtype = try b.dtype("dtype") ?? t.dtype
                try checkDevice(b)
                let out: Tensor = switch name {
                case "zeros_like": try Tensor.zeros(t.shape, dtype: dtype)
                case "ones_like": try Tensor.ones(t.shape, dtype: dtype)
                case "rand_like": try Tensor.rand(t.shape, dtype: dtype.isFloatingPoint ? dtype : .float32)
                default: try Tensor.randn(t.shape, dtype: dtype.isFloatingPoint ? dtype : .float32)
                }
                return .tensor(try finish(out, b))
            }
        }
        r.function("full_like(input, fill_value, *, dtype=None, device=None, requires_grad=False)", "A tensor of fill_value with input's shape (and dtype).", both) { b, _ in
            let t = try b.tensor("input")
            try checkDevice(b)
            return .tensor(try finish(try Tensor.full(t.shape, try b.double("fill_value"), dtype: try b.dtype("dtype") ?? t.dtype), b))
        }
        r.function("manual_seed(seed)", "Seeds the random generator so runs repeat exactly.", both) { b, _ in
            manualSeed(try b.int("seed"))
            return .none
        }
        r.function("is_tensor(obj)", "Whether obj is a tensor.", both) { b, _ in
            if case .tensor = try b.value("obj") { return .bool(true) }
            return .bool(false)
        }
        r.function("from_numpy(ndarray)", "The tensor of a NumPy array: in Duet arrays are tensors, so the array itself, detached (sharing its data).", .torch) { b, _ in
            let array = try b.value("ndarray")
            guard case .tensor(let t) = array else { throw ScriptError(.type, "expected np.ndarray (got \(array.typeName))") }
            return .tensor(t.detach())
        }
        r.function("numel(input)", "Number of elements.", both) { b, _ in .int(try b.tensor("input").count) }
        let dtypes: [(String, DType)] = [("float32", .float32), ("float", .float32), ("float64", .float64), ("double", .float64),
                                          ("float16", .float16), ("half", .float16), ("bfloat16", .bfloat16),
                                          ("int64", .int64), ("long", .int64), ("bool", .bool)]
        for (name, d) in dtypes {
            r.add(name, .object(DTypeObject(d)), name == "bool" || name == "float" ? .torch : both)
        }
        r.add("Tensor", .object(PythonBuiltins.tensorType), .torch)
        r.function("device(type)", "A device name; Duet runs on the CPU, so only 'cpu' can be used.", .torch) { b, _ in
            let name = try b.string("type")
            try checkDevice(name, "device()")
            return .str(name)
        }
    }

    /// A creation function's declaration: the shape as varargs (`zeros(2, 3)`, `zeros((2, 3))`)
    /// or as `size=`, then PyTorch's keywords.
    private static func sized(_ name: String) -> Signature {
        Signature("\(name)(*size, dtype=None, device=None, requires_grad=False)",
                  "\(name)(size, *, dtype=None, device=None, requires_grad=False)")
    }

    static func shape(_ b: BoundArguments, _ interp: Interpreter) throws -> [Int] {
        let values = b.rest.isEmpty ? (b["size"].map { [$0] } ?? []) : Array(b.rest)
        let shape = values.isEmpty ? [] : try Convert.shape(values, "\(b.function)(): size")
        _ = try checkedCount(shape, interp)
        return shape
    }

    /// `device=` accepts the CPU only: pasted code names its device, and a GPU one is a clear error.
    static func checkDevice(_ b: BoundArguments) throws {
        guard let v = b["device"] else { return }
        try checkDevice(try Convert.string(v, b.label("device")), "\(b.function)()")
    }

    static func checkDevice(_ name: String, _ function: String) throws {
        guard name == "cpu" || name.hasPrefix("cpu:") else {
            throw ScriptError(.value, "\(function): device '\(name)' is not available; Duet runs on the CPU")
        }
    }

    /// Element count of a requested shape, refusing negative dims and absurd sizes up front. The
    /// limit is the engine's (`interp.maxTensorElements` writes through to it), so creation and
    /// every op are held to the same one.
    static func checkedCount(_ shape: [Int], _: Interpreter) throws -> Int {
        try EngineContext.current.checkedElementCount(shape, op: "tensor")
    }

    static func finish(_ t: Tensor, _ b: BoundArguments) throws -> Tensor {
        if try b.bool("requires_grad") { try t.requiresGrad(true) }
        return t
    }
}
