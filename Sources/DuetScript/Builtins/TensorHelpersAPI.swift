import DuetTensor

/// Everyday tensor helpers: repetition (composites of view/expand/reshape and index_select, so
/// differentiable), `new_*` constructors in self's dtype, dtype queries, comparisons, retain_grad.
enum TensorHelpersAPI {
    private static let everywhere: Builtins.Places = [.method, .flat, .torch]
    private static let method: Builtins.Places = .method

    static let entries: [TensorAPI] = [
        TensorAPI("repeat(self, *sizes)", "The tensor tiled sizes[d] times along each dim (leading sizes add dims).", method) { t, b, _ in
            guard !b.rest.isEmpty else { throw ScriptError(.type, "repeat() missing required argument 'sizes'") }
            return .tensor(try tile(t, try Convert.shape(Array(b.rest), "repeat(): sizes")))
        },
        TensorAPI(Signature("repeat_interleave(input, repeats, dim=None, *, output_size=None)", "repeat_interleave(input, *, output_size=None)"),
                  "Each element (or slice along dim) repeated repeats times in place; with repeats alone, the repeated positions.", everywhere) { t, b, _ in
            guard let repeats = b["repeats"] else { return .tensor(try interleave(try Tensor.arange(Double(t.count), dtype: .int64), t, dim: 0)) }
            let x = b["dim"] == nil ? try t.reshape([-1]) : t
            let dim = try b.optionalInt("dim") ?? 0
            return .tensor(try interleave(x, try Convert.tensor(repeats, b.label("repeats")), dim: dim))
        },
        TensorAPI("new_zeros(self, *size, dtype=None, device=None, requires_grad=False)", "Zeros of the given shape, in self's dtype unless dtype is given.", method) { t, b, interp in
            .tensor(try TensorCreation.finish(try Tensor.zeros(try TensorCreation.shape(b, interp), dtype: try b.dtype("dtype") ?? t.dtype), b))
        },
        TensorAPI("new_ones(self, *size, dtype=None, device=None, requires_grad=False)", "Ones of the given shape, in self's dtype unless dtype is given.", method) { t, b, interp in
            .tensor(try TensorCreation.finish(try Tensor.ones(try TensorCreation.shape(b, interp), dtype: try b.dtype("dtype") ?? t.dtype), b))
        },
        TensorAPI("new_empty(self, *size, dtype=None, device=None, requires_grad=False)", "A tensor of the given shape (zeros in Duet), in self's dtype unless dtype is given.", method) { t, b, interp in
            .tensor(try TensorCreation.finish(try Tensor.zeros(try TensorCreation.shape(b, interp), dtype: try b.dtype("dtype") ?? t.dtype), b))
        },
        TensorAPI("new_full(self, size, fill_value, *, dtype=None, device=None, requires_grad=False)", "fill_value in the given shape, in self's dtype unless dtype is given.", method) { t, b, interp in
            let shape = try b.ints("size")
            _ = try TensorCreation.checkedCount(shape, interp)
            return .tensor(try TensorCreation.finish(try Tensor.full(shape, try b.double("fill_value"), dtype: try b.dtype("dtype") ?? t.dtype), b))
        },
        TensorAPI("new_tensor(self, data, *, dtype=None, device=None, requires_grad=False)", "A tensor from data, in self's dtype unless dtype is given.", method) { t, b, _ in
            let dtype = try b.dtype("dtype") ?? t.dtype
            let data = try b.value("data")
            let out = if case .tensor(let existing) = data { try existing.to(dtype).clone().detach() } else { try TensorLiteral.make(data, dtype: dtype) }
            return .tensor(try TensorCreation.finish(out, b))
        },
        TensorAPI("type_as(self, other)", "As other's dtype.", method) { t, b, _ in .tensor(try t.to(try b.tensor("other").dtype)) },
        TensorAPI("is_floating_point(input)", "Whether the dtype is a floating-point one.", everywhere) { t, _, _ in .bool(t.dtype.isFloatingPoint) },
        TensorAPI("element_size(self)", "Bytes per element.", method) { t, _, _ in .int(t.dtype.itemSize) },
        TensorAPI("retain_grad(self)", "Keeps this non-leaf's gradient in .grad after backward.", method) { t, _, _ in
            try t.retainGrad()
            return .none
        },
        TensorAPI("equal(input, other)", "Whether both have the same shape and the same elements.", everywhere) { t, b, _ in
            let other = try b.tensor("other")
            guard t.shape == other.shape else { return .bool(false) }
            return .bool(try Dispatch.call1(Ops.eq, [t, other]).toDoubles().allSatisfy { $0 != 0 })
        },
        TensorAPI("isclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False)", "Elementwise |input - other| <= atol + rtol * |other| (equal values, infinities included, are close).", everywhere) { t, b, _ in
            .tensor(try isclose(t, b))
        },
    ]

    static func register(_ r: Builtins.Registrar) {
        r.function("as_tensor(data, dtype=None, device=None)", "data as a tensor, itself when it already is one of that dtype.", [.flat, .torch]) { b, _ in
            try TensorCreation.checkDevice(b)
            let dtype = try b.dtype("dtype")
            if case .tensor(let t) = try b.value("data") { return .tensor(try t.to(dtype ?? t.dtype)) }
            return .tensor(try TensorLiteral.make(try b.value("data"), dtype: dtype))
        }
        r.function("logspace(start, end, steps, base=10.0, *, dtype=None, device=None, requires_grad=False)",
                   "steps values from base**start to base**end, evenly spaced in the exponent.", [.flat, .torch]) { b, interp in
            let steps = try b.int("steps")
            _ = try TensorCreation.checkedCount([steps], interp)
            try TensorCreation.checkDevice(b)
            let exponents = try Tensor.linspace(try b.double("start"), try b.double("end"), steps: steps, dtype: .float64)
            let values = try Tensor.scalar(try b.double("base")).pow(exponents)
            return .tensor(try TensorCreation.finish(try values.to(try b.dtype("dtype") ?? .float32), b))
        }
    }

    /// PyTorch's isclose: equal, or within atol + rtol * |other|; NaNs close to each other with equal_nan.
    static func isclose(_ t: Tensor, _ b: BoundArguments) throws -> Tensor {
        let x = try t.to(.float64), y = try b.tensor("other").to(.float64)
        let tolerance = try y.abs() * (try b.double("rtol")) + (try b.double("atol"))
        var close = try Dispatch.call1(Ops.eq, [x, y]).logicalOr(try (x - y).abs() <= tolerance)
        if try b.bool("equal_nan") {
            // NaN is the one value unequal to itself.
            let bothNaN = try Dispatch.call1(Ops.ne, [x, x]).logicalAnd(try Dispatch.call1(Ops.ne, [y, y]))
            close = try close.logicalOr(bothNaN)
        }
        return close
    }

    /// `repeat`: each dim d viewed as [1, n], expanded to [r, n] and merged (a copy, differentiable).
    private static func tile(_ t: Tensor, _ sizes: [Int]) throws -> Tensor {
        guard sizes.count >= t.rank else {
            throw ScriptError(.runtime, "repeat(): number of dimensions of repeat dims can not be smaller than number of dimensions of tensor")
        }
        guard sizes.allSatisfy({ $0 >= 0 }) else { throw ScriptError(.runtime, "repeat(): trying to create tensor with negative dimension") }
        let shape = [Int](repeating: 1, count: sizes.count - t.rank) + t.shape
        var out = zip(shape, sizes).map { [$1, $0] }
        _ = try EngineContext.current.checkedElementCount(out.flatMap { $0 }, op: "repeat")
        let interleaved = try t.reshape(shape.flatMap { [1, $0] })
        let expanded = try interleaved.expand(out.flatMap { $0 })
        out = out.map { [$0[0] * $0[1]] }
        return try expanded.reshape(out.flatMap { $0 })
    }

    /// `repeat_interleave` along dim: index_select with each position repeated its count.
    private static func interleave(_ x: Tensor, _ repeats: Tensor, dim: Int) throws -> Tensor {
        guard repeats.dtype == .int64, repeats.rank <= 1 else { throw ScriptError(.runtime, "repeat_interleave(): repeats must be an int or a 0-dim or 1-dim int64 tensor") }
        let d = try TensorMethods.dimension(dim, x.rank, "repeat_interleave()")
        let size = x.rank == 0 ? 1 : x.shape[d]
        var counts = try repeats.toDoubles().map { Int($0) }
        if counts.count == 1 { counts = [Int](repeating: counts[0], count: size) }
        guard counts.count == size else { throw ScriptError(.runtime, "repeat_interleave(): repeats must have the same size as input along dim, but got repeats.size(0) = \(counts.count) and input.size(\(d)) = \(size)") }
        guard counts.allSatisfy({ $0 >= 0 }) else { throw ScriptError(.runtime, "repeat_interleave(): repeats can not be negative") }
        let total = try EngineContext.current.checkedElementCount([counts.reduce(0) { $0 + Swift.min($1, Int.max / 2 / Swift.max(size, 1)) }], op: "repeat_interleave")
        var index: [Double] = []
        index.reserveCapacity(total)
        for (i, c) in counts.enumerated() { index += [Double](repeating: Double(i), count: c) }
        let positions = try Tensor(index, shape: [index.count], dtype: .int64)
        return try (x.rank == 0 ? x.reshape([1]) : x).indexSelect(dim: d, index: positions)
    }
}
