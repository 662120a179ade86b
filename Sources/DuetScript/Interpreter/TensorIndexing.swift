import DuetTensor

/// PyTorch's tensor indexing: integers, slices (positive steps), `None`, `...`, boolean masks
/// and integer tensors or lists. Basic indices give views; advanced ones gather through
/// `index_select` on the merged indexed dims, so gradients flow through both.
enum TensorIndexing {
    enum Item {
        case integer(Int)
        case slice(SliceObject)
        case newAxis
        case ellipsis
        case mask(Tensor)
        case indices(Tensor)
    }

    static func items(_ index: Value) throws -> [Item] {
        if case .tuple(let parts) = index { return try parts.map(item) }
        return [try item(index)]
    }

    private static func item(_ v: Value) throws -> Item {
        switch v {
        case .int(let i): return .integer(i)
        case .bool: throw ScriptError(.index, "boolean scalar indices are not supported; use a bool tensor mask")
        case .none: return .newAxis
        case .object(let s as SliceObject): return .slice(s)
        case .object(is EllipsisObject): return .ellipsis
        case .tensor(let t): return try tensorItem(t)
        case .list, .tuple: return try tensorItem(TensorLiteral.make(v, dtype: nil))
        default: throw ScriptError(.index, "only integers, slices (`:`), ellipsis (`...`), None and long or bool tensors are valid indices (got \(v.typeName))")
        }
    }

    private static func tensorItem(_ t: Tensor) throws -> Item {
        switch t.dtype {
        case .bool: return .mask(t)
        case .int64: return .indices(t)
        default: throw ScriptError(.index, "tensors used as indices must be long or bool tensors, not \(t.dtype)")
        }
    }

    private static func consumed(_ item: Item) -> Int {
        switch item {
        case .integer, .slice, .indices: 1
        case .mask(let m): m.rank
        case .newAxis, .ellipsis: 0
        }
    }

    /// The basic part applied (a view of `t`) and the advanced indices left, at their dims in it.
    private static func applyBasic(_ t: Tensor, _ items: [Item]) throws -> (Tensor, [(dim: Int, item: Item)]) {
        let used = items.reduce(0) { $0 + consumed($1) }
        let ellipses = items.filter { if case .ellipsis = $0 { true } else { false } }.count
        guard ellipses <= 1 else { throw ScriptError(.index, "an index can only have a single ellipsis ('...')") }
        guard used <= t.rank else {
            throw ScriptError(.index, "too many indices for tensor of dimension \(t.rank)")
        }
        var out = t
        var dim = 0
        var advanced: [(dim: Int, item: Item)] = []
        for item in items {
            switch item {
            case .integer(let i):
                out = try out.select(dim: dim, index: i)
            case .slice(let s):
                let (start, stop, step) = try s.indices(out.shape[dim])
                guard step > 0 else { throw ScriptError(.value, "step must be greater than zero") }
                out = try out.slice(dim: dim, start: start, end: max(stop, start), step: step)
                dim += 1
            case .newAxis:
                out = try out.unsqueeze(dim)
                dim += 1
            case .ellipsis:
                dim += t.rank - used
            case .mask(let m):
                advanced.append((dim, item))
                dim += m.rank
            case .indices:
                advanced.append((dim, item))
                dim += 1
            }
        }
        return (out, advanced)
    }

    static func get(_ t: Tensor, _ index: Value) throws -> Tensor {
        let (basic, advanced) = try applyBasic(t, try items(index))
        guard !advanced.isEmpty else { return basic }
        let plan = try AdvancedPlan(basic, advanced)
        let gathered = try plan.merged.indexSelect(dim: plan.first, index: plan.linearTensor())
        return try gathered.reshape(plan.resultShape)
    }

    /// `t[index] = value`: basic indices write through the view with `copy_`; advanced ones
    /// compute the updated values and write them back the same way.
    static func set(_ t: Tensor, _ index: Value, _ value: Value) throws {
        let v = try Convert.tensor(value, "assigned value")
        let (basic, advanced) = try applyBasic(t, try items(index))
        guard !advanced.isEmpty else {
            try basic.copy_(v)
            return
        }
        let plan = try AdvancedPlan(basic, advanced)
        var (positions, rows) = (plan.linear, Array(0..<plan.linear.count))
        // With repeated indices the last assignment wins, as a sequential write would give.
        var seen: [Int: Int] = [:]
        for (k, p) in positions.enumerated() { seen[p] = k }
        if seen.count < positions.count {
            rows = rows.filter { seen[positions[$0]] == $0 }
            positions = rows.map { positions[$0] }
        }
        let flatShape = Array(plan.merged.shape[..<plan.first]) + [plan.linear.count] + Array(plan.merged.shape[(plan.first + 1)...])
        var values = try v.to(basic.dtype).expand(plan.resultShape).reshape(flatShape)
        let index = try Tensor(positions.map(Double.init), shape: [positions.count], dtype: .int64)
        if rows.count < plan.linear.count {
            values = try values.indexSelect(dim: plan.first, index: Tensor(rows.map(Double.init), shape: [rows.count], dtype: .int64))
        }
        let delta = try values - plan.merged.indexSelect(dim: plan.first, index: index)
        let updated = try plan.merged.indexAdd(dim: plan.first, index: index, source: delta)
        try basic.copy_(plan.unmerge(updated))
    }

    /// How advanced indices gather: their dims (moved to the front when not adjacent, as PyTorch
    /// and NumPy do) are merged into one, and the broadcast index tensors become one linear index.
    struct AdvancedPlan {
        let merged: Tensor
        let first: Int
        let linear: [Int]
        let resultShape: [Int]
        private let permutation: [Int]?
        private let permutedShape: [Int]

        init(_ t: Tensor, _ advanced: [(dim: Int, item: Item)]) throws {
            var dims: [Int] = []
            var indexArrays: [(values: [Int], shape: [Int])] = []
            for (dim, item) in advanced {
                switch item {
                case .mask(let m):
                    let covered = Array(t.shape[dim..<(dim + m.rank)])
                    guard covered == m.shape else {
                        throw ScriptError(.index, "the shape of the mask \(m.shape) does not match the shape of the indexed tensor \(covered) at dim \(dim)")
                    }
                    let flags = try m.toDoubles()
                    var coordinates: [[Int]] = Array(repeating: [], count: m.rank)
                    for (flat, f) in flags.enumerated() where f != 0 {
                        var rest = flat
                        for d in stride(from: m.rank - 1, through: 0, by: -1) {
                            coordinates[d].append(rest % m.shape[d])
                            rest /= m.shape[d]
                        }
                    }
                    for d in 0..<m.rank {
                        dims.append(dim + d)
                        indexArrays.append((coordinates[d], [coordinates[d].count]))
                    }
                case .indices(let idx):
                    dims.append(dim)
                    indexArrays.append((try idx.toDoubles().map(Convert.integral), idx.shape))
                default:
                    break
                }
            }
            let broadcastShape = try Self.broadcast(indexArrays.map(\.shape))
            let adjacent = zip(dims, dims.dropFirst()).allSatisfy { $1 == $0 + 1 }
            var source = t
            var permutation: [Int]?
            if !adjacent {
                let order = dims + (0..<t.rank).filter { !dims.contains($0) }
                source = try t.permute(order)
                permutation = order
            }
            let first = adjacent ? dims[0] : 0
            let sizes = (0..<dims.count).map { source.shape[first + $0] }
            let groupSize = sizes.reduce(1, *)
            let lead = Array(source.shape[..<first]), tail = Array(source.shape[(first + dims.count)...])
            permutedShape = source.shape
            merged = try source.reshape(lead + [groupSize] + tail)
            self.first = first
            self.permutation = permutation
            resultShape = lead + broadcastShape + tail
            let count = broadcastShape.reduce(1, *)
            var linear = [Int](repeating: 0, count: count)
            var multiplier = 1
            for j in stride(from: dims.count - 1, through: 0, by: -1) {
                let (values, shape) = indexArrays[j]
                let strides = Self.broadcastStrides(shape, to: broadcastShape)
                let size = sizes[j]
                for p in 0..<count {
                    var offset = 0, rest = p
                    for d in stride(from: broadcastShape.count - 1, through: 0, by: -1) {
                        offset += (rest % broadcastShape[d]) * strides[d]
                        rest /= broadcastShape[d]
                    }
                    let raw = values[offset]
                    guard raw >= -size && raw < size else {
                        throw ScriptError(.index, "index \(raw) is out of bounds for dimension \(dims[j]) with size \(size)")
                    }
                    linear[p] += (raw < 0 ? raw + size : raw) * multiplier
                }
                multiplier *= size
            }
            self.linear = linear
        }

        func linearTensor() throws -> Tensor {
            try Tensor(linear.map(Double.init), shape: [linear.count], dtype: .int64)
        }

        /// The merged layout back to the indexed tensor's (undoing reshape and permute).
        func unmerge(_ m: Tensor) throws -> Tensor {
            let unmerged = try m.reshape(permutedShape)
            guard let permutation else { return unmerged }
            var inverse = [Int](repeating: 0, count: permutation.count)
            for (i, p) in permutation.enumerated() { inverse[p] = i }
            return try unmerged.permute(inverse)
        }

        static func broadcast(_ shapes: [[Int]]) throws -> [Int] {
            let rank = shapes.map(\.count).max() ?? 0
            var out = [Int](repeating: 1, count: rank)
            for s in shapes {
                for (k, d) in s.enumerated() {
                    let i = rank - s.count + k
                    if out[i] == 1 { out[i] = d } else if d != 1 && d != out[i] {
                        throw ScriptError(.index, "shape mismatch: indexing tensors could not be broadcast together with shapes " + shapes.map { "\($0)" }.joined(separator: ", "))
                    }
                }
            }
            return out
        }

        static func broadcastStrides(_ shape: [Int], to target: [Int]) -> [Int] {
            var strides = [Int](repeating: 0, count: target.count)
            var acc = 1
            for k in stride(from: shape.count - 1, through: 0, by: -1) {
                let i = target.count - shape.count + k
                strides[i] = shape[k] == 1 ? 0 : acc
                acc *= shape[k]
            }
            return strides
        }
    }
}
