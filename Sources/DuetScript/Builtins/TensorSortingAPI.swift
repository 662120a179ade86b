import DuetTensor

/// Sorting and sampling. `argsort` is the registry's kernel; `sort` and `topk` (and `Tensor.median`)
/// gather their values with its indices (so the values are differentiable, through `gather`). `unique`,
/// `bincount` and the samplers read values, since their results' shapes or draws depend on them.
enum TensorSortingAPI {
    private static let everywhere: Builtins.Places = [.method, .flat, .torch]

    static let entries: [TensorAPI] = [
        TensorAPI("sort(input, dim=-1, descending=False, stable=False)", "(values, indices) sorted along dim; ties keep their order.", everywhere) { t, b, _ in
            let (values, indices) = try sorted(t, dim: try b.int("dim"), descending: try b.bool("descending"))
            return .object(NamedTuple("sort", ["values", "indices"], [.tensor(values), .tensor(indices)]))
        },
        TensorAPI("topk(input, k, dim=-1, largest=True, sorted=True)", "(values, indices) of the k largest (or smallest) elements along dim.", everywhere) { t, b, _ in
            let k = try b.int("k"), dim = try TensorMethods.dimension(try b.int("dim"), t.rank, "topk()")
            let size = t.rank == 0 ? 1 : t.shape[dim]
            guard k >= 0 && k <= size else { throw ScriptError(.runtime, "topk(): selected index k out of range") }
            var indices = try t.argsort(dim: dim, descending: try b.bool("largest"))
            if t.rank > 0 { indices = try indices.slice(dim: dim, start: 0, end: k) }
            let values = t.rank == 0 ? t : try t.gather(dim: dim, index: indices)
            return .object(NamedTuple("topk", ["values", "indices"], [.tensor(values), .tensor(indices)]))
        },
        TensorAPI("unique(input, sorted=True, return_inverse=False, return_counts=False, dim=None)",
                  "The distinct elements (sorted), with the position of each input element among them and their counts when asked.", everywhere) { t, b, _ in
            guard b["dim"] == nil else { throw ScriptError(.runtime, "unique(): dim= is not supported in Duet; only the flattened form is") }
            let values = try t.toDoubles()
            let distinct = Array(Set(values.filter { !$0.isNaN })).sorted() + values.filter(\.isNaN)
            let position = Dictionary(distinct.enumerated().filter { !$1.isNaN }.map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
            var result: [Value] = [.tensor(try Tensor(distinct, shape: [distinct.count], dtype: t.dtype))]
            if try b.bool("return_inverse") {
                let nanBase = distinct.count - values.filter(\.isNaN).count
                var nanSeen = 0
                let inverse = values.map { v -> Double in
                    if v.isNaN { defer { nanSeen += 1 }; return Double(nanBase + nanSeen) }
                    return Double(position[v] ?? 0)
                }
                result.append(.tensor(try Tensor(inverse, shape: t.shape, dtype: .int64)))
            }
            if try b.bool("return_counts") {
                var counts = [Double](repeating: 0, count: distinct.count)
                for v in values where !v.isNaN { counts[position[v] ?? 0] += 1 }
                for k in distinct.indices where distinct[k].isNaN { counts[k] = 1 }
                result.append(.tensor(try Tensor(counts, shape: [counts.count], dtype: .int64)))
            }
            return result.count == 1 ? result[0] : .tuple(result)
        },
        TensorAPI("bincount(input, weights=None, minlength=0)", "How often each value 0…max occurs in a 1-D int64 tensor (or the sum of its weights).", everywhere) { t, b, _ in
            guard t.dtype == .int64, t.rank == 1 else { throw ScriptError(.runtime, "bincount(): only 1-d non-negative integral inputs are supported") }
            let minlength = try b.int("minlength")
            guard minlength >= 0 else { throw ScriptError(.runtime, "bincount(): minlength should be >= 0") }
            let values = try t.toDoubles()
            guard values.allSatisfy({ $0 >= 0 }) else { throw ScriptError(.runtime, "bincount(): only 1-d non-negative integral inputs are supported") }
            let length = Swift.max(minlength, Int(values.max() ?? -1) + 1)
            _ = try EngineContext.current.checkedElementCount([length], op: "bincount")
            let weights = try b.optionalTensor("weights")
            if let weights, weights.shape != t.shape { throw ScriptError(.runtime, "bincount(): weights should be 1-d and have the same length as input") }
            let w = try weights?.toDoubles()
            var bins = [Double](repeating: 0, count: length)
            for (k, v) in values.enumerated() { bins[Int(v)] += w?[k] ?? 1 }
            let dtype: DType = weights.map { $0.dtype.isFloatingPoint ? $0.dtype : .float64 } ?? .int64
            return .tensor(try Tensor(bins, shape: [length], dtype: dtype))
        },
        TensorAPI("multinomial(input, num_samples, replacement=False)", "Indices drawn from the rows of input as (unnormalized) probabilities, from the seeded generator.", everywhere) { t, b, _ in
            .tensor(try multinomial(t, try b.int("num_samples"), replacement: try b.bool("replacement")))
        },
    ]

    static func register(_ r: Builtins.Registrar) {
        r.function("randperm(n, *, dtype=None, device=None, requires_grad=False)", "A random permutation of 0…n-1 from the seeded generator.", [.flat, .torch]) { b, _ in
            try TensorCreation.checkDevice(b)
            return .tensor(try Tensor.randperm(try b.int("n")).to(try b.dtype("dtype") ?? .int64))
        }
    }

    /// Values and indices sorted along dim (a 0-dim tensor is its own sort).
    static func sorted(_ t: Tensor, dim: Int, descending: Bool) throws -> (Tensor, Tensor) {
        let indices = try t.argsort(dim: dim, descending: descending)
        guard t.rank > 0 else { return (t, indices) }
        return (try t.gather(dim: dim, index: indices), indices)
    }

    /// Inverse-CDF draws per row; without replacement a drawn category's weight drops to zero.
    private static func multinomial(_ t: Tensor, _ n: Int, replacement: Bool) throws -> Tensor {
        guard t.rank == 1 || t.rank == 2 else { throw ScriptError(.runtime, "multinomial(): prob_dist must be 1 or 2 dim") }
        guard t.dtype.isFloatingPoint else { throw ScriptError(.runtime, "multinomial(): only floating-point dtypes are supported for input") }
        let categories = t.shape[t.rank - 1], rows = t.rank == 1 ? 1 : t.shape[0]
        guard n > 0 else { throw ScriptError(.runtime, "multinomial(): cannot sample n_sample <= 0 samples") }
        guard replacement || n <= categories else {
            throw ScriptError(.runtime, "multinomial(): cannot sample n_sample > prob_dist.size(-1) samples without replacement")
        }
        let weights = try t.toDoubles()
        let uniforms = try Tensor.rand([rows, n], dtype: .float64).toDoubles()
        var out: [Double] = []
        out.reserveCapacity(rows * n)
        for row in 0..<rows {
            var w = Array(weights[(row * categories)..<((row + 1) * categories)])
            guard w.allSatisfy({ $0 >= 0 && $0.isFinite }), w.contains(where: { $0 > 0 }) else {
                throw ScriptError(.runtime, "multinomial(): probability tensor contains either inf, nan or element < 0, or all are zero")
            }
            guard replacement || w.filter({ $0 > 0 }).count >= n else {
                throw ScriptError(.runtime, "multinomial(): invalid multinomial distribution (with replacement=False, not enough non-negative category to sample)")
            }
            for k in 0..<n {
                let total = w.reduce(0, +)
                var target = uniforms[row * n + k] * total, pick = w.lastIndex { $0 > 0 } ?? 0
                for (c, p) in w.enumerated() where p > 0 {
                    if target < p { pick = c; break }
                    target -= p
                }
                out.append(Double(pick))
                if !replacement { w[pick] = 0 }
            }
        }
        return try Tensor(out, shape: t.rank == 1 ? [n] : [rows, n], dtype: .int64)
    }
}
