import DuetTensor

/// `tensor([[1, 2], [3, 4]])` and back: nested lists of numbers to tensors (dtype inferred as
/// PyTorch does — bool, int64, or float32 when any element is a float) and tensors to lists.
enum TensorLiteral {
    static func make(_ v: Value, dtype: DType?) throws -> Tensor {
        var shape: [Int] = []
        var values: [Double] = []
        var kind = 0
        try flatten(v, depth: 0, shape: &shape, values: &values, kind: &kind)
        let inferred: DType = kind == 2 ? .float32 : kind == 1 ? .int64 : values.isEmpty ? .float32 : .bool
        return try Tensor(values, shape: shape, dtype: dtype ?? inferred)
    }

    /// Walks the nesting, fixing the shape from the first path and checking every other path
    /// against it. `kind` tracks the widest element type seen: 0 bool, 1 int, 2 float.
    private static func flatten(_ v: Value, depth: Int, shape: inout [Int], values: inout [Double], kind: inout Int) throws {
        guard depth < 64 else { throw ScriptError(.value, "tensor(): nesting is too deep") }
        switch v {
        case .list, .tuple, .object(is SizeObject):
            let items: [Value]
            if case .list(let l) = v { items = l.items } else { items = v.tupleItems ?? [] }
            if depth == shape.count {
                guard values.isEmpty || depth == 0 else {
                    throw ScriptError(.value, "tensor(): expected a number at dim \(depth), got a sequence")
                }
                shape.append(items.count)
            } else if depth > shape.count || shape[depth] != items.count {
                throw ScriptError(.value, "tensor(): expected sequence of length \(depth < shape.count ? shape[depth] : 0) at dim \(depth) (got \(items.count))")
            }
            for item in items { try flatten(item, depth: depth + 1, shape: &shape, values: &values, kind: &kind) }
        case .tensor(let t) where t.count == 1 && t.rank == 0:
            try leaf(depth, shape)
            values.append(try t.item())
            kind = max(kind, t.dtype.isFloatingPoint ? 2 : t.dtype == .int64 ? 1 : 0)
        case .bool(let b):
            try leaf(depth, shape)
            values.append(b ? 1 : 0)
        case .int(let i):
            try leaf(depth, shape)
            values.append(Double(i))
            kind = max(kind, 1)
        case .float(let d):
            try leaf(depth, shape)
            values.append(d)
            kind = 2
        case .tensor:
            throw ScriptError(.value, "tensor(): only one-element tensors can be converted to Python scalars; use stack() to join tensors")
        default:
            throw ScriptError(.type, "tensor(): could not infer dtype of \(v.typeName)")
        }
    }

    private static func leaf(_ depth: Int, _ shape: [Int]) throws {
        guard depth == shape.count || (depth == 0 && shape.isEmpty) else {
            throw ScriptError(.value, "tensor(): expected sequence at dim \(depth), got a number")
        }
    }

    static func toList(_ t: Tensor) throws -> Value {
        let values = try t.toDoubles()
        func element(_ d: Double) throws -> Value {
            switch t.dtype {
            case .bool: .bool(d != 0)
            case .int64: .int(try Convert.integral(d))
            default: .float(d)
            }
        }
        func build(_ dim: Int, _ offset: Int) throws -> Value {
            if dim == t.rank { return try element(values[offset]) }
            let stride = t.shape[(dim + 1)...].reduce(1, *)
            return .list(ListObject(try (0..<t.shape[dim]).map { try build(dim + 1, offset + $0 * stride) }))
        }
        return try build(0, 0)
    }
}
