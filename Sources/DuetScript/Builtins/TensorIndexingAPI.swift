import DuetTensor

/// Indexing with masks and index tensors. `scatter` is a registry op (a write with its own
/// kernel); `masked_select` is `index_select` at the mask's positions, so it is differentiable;
/// `nonzero` reads values, since its result's shape depends on them.
enum TensorIndexingAPI {
    private static let everywhere: Builtins.Places = [.method, .flat, .torch]

    static let entries: [TensorAPI] = [
        TensorAPI("nonzero(input, *, as_tuple=False)", "The positions of the nonzero elements: one row per element, or with as_tuple one 1-D tensor per dim.", everywhere) { t, b, _ in
            try nonzero(t, asTuple: try b.bool("as_tuple"))
        },
        TensorAPI("masked_select(input, mask)", "The elements where mask (broadcast with input) is true, as a 1-D tensor.", everywhere) { t, b, _ in
            let mask = try b.tensor("mask")
            guard mask.dtype == .bool else { throw ScriptError(.type, "masked_select(): expected mask to be a bool tensor, got \(mask.dtype)") }
            let shape = try Tensor.broadcastShapes([t.shape, mask.shape])
            let flatMask = try mask.expand(shape).toDoubles()
            let positions = flatMask.indices.filter { flatMask[$0] != 0 }.map(Double.init)
            let index = try Tensor(positions, shape: [positions.count], dtype: .int64)
            return .tensor(try t.expand(shape).reshape([-1]).indexSelect(dim: 0, index: index))
        },
        TensorAPI(Signature("scatter(input, dim, index, src)", "scatter(input, dim, index, *, value)"),
                  "Copy of input with src (or value) written at the positions index names along dim.", everywhere) { t, b, _ in
            .tensor(try Dispatch.call1(Ops.scatter, try scatterInputs(t, b), Attrs([.int(try b.int("dim"))])))
        },
        TensorAPI(Signature("scatter_(self, dim, index, src)", "scatter_(self, dim, index, *, value)"),
                  "In place: writes src (or value) at the positions index names along dim.", .method) { t, b, _ in
            .tensor(try Dispatch.inPlace(Ops.scatter, try scatterInputs(t, b), Attrs([.int(try b.int("dim"))])))
        },
    ]

    static func register(_ r: Builtins.Registrar) {
        r.function(Signature("where(condition, input, other)", "where(condition)"),
                   "condition ? input : other elementwise; with the condition alone, nonzero(condition, as_tuple=True).", [.flat, .torch]) { b, _ in
            let condition = try b.tensor("condition")
            guard let input = b["input"] else { return try nonzero(condition, asTuple: true) }
            return .tensor(try Tensor.where_(condition, try Convert.tensor(input, b.label("input")), try b.tensor("other")))
        }
    }

    /// The positions of the nonzero elements, as PyTorch's `nonzero` returns them.
    static func nonzero(_ t: Tensor, asTuple: Bool) throws -> Value {
        let values = try t.toDoubles()
        let hits = values.indices.filter { values[$0] != 0 }
        let rank = t.rank
        var strides = [Int](repeating: 1, count: rank)
        for d in stride(from: rank - 2, through: 0, by: -1) { strides[d] = strides[d + 1] * t.shape[d + 1] }
        let columns = (0..<rank).map { d in hits.map { Double($0 / strides[d] % t.shape[d]) } }
        if asTuple {
            if rank == 0 { return .tuple([.tensor(try Tensor(hits.map { _ in 0 }, shape: [hits.count], dtype: .int64))]) }
            return .tuple(try columns.map { .tensor(try Tensor($0, shape: [$0.count], dtype: .int64)) })
        }
        let rows = (0..<hits.count).flatMap { k in columns.map { $0[k] } }
        return .tensor(try Tensor(rows, shape: [hits.count, rank], dtype: .int64))
    }

    /// [input, index, src]: `value` becomes a src of index's shape in input's dtype.
    private static func scatterInputs(_ t: Tensor, _ b: BoundArguments) throws -> [Tensor] {
        let index = try b.tensor("index")
        if let src = b["src"], case .tensor(let s) = src { return [t, index, s] }
        let value = try b["src"] ?? b.value("value")
        return [t, index, try Tensor.full(index.shape, try Convert.double(value, b.label(b.isGiven("src") ? "src" : "value")), dtype: t.dtype)]
    }
}
