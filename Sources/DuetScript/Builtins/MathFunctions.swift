import DuetTensor

/// Scans, products, reductions and matrix-shape math of PyTorch's API. All are composites of
/// registry ops (Sources/DuetTensor/API/MathAPI.swift, MatrixAPI.swift, Einsum.swift) except the
/// scans, which are registry ops and published by their placement.
enum MathFunctions {
    private static let everywhere: Builtins.Places = [.method, .flat, .torch]

    static let entries: [TensorAPI] = [
        TensorAPI("prod(input, dim=None, keepdim=False, *, dtype=None)", "The product of all elements, or along dim.", everywhere) { t, b, _ in
            .tensor(try cast(t, b).prod(dim: try b.optionalInt("dim"), keepdim: try b.bool("keepdim")))
        },
        TensorAPI("logsumexp(input, dim, keepdim=False)", "log(sum(exp(x))) along dim, computed stably.", everywhere) { t, b, _ in
            .tensor(try t.logsumexp(dims: try b.ints("dim"), keepdim: try b.bool("keepdim")))
        },
        TensorAPI("nansum(input, dim=None, keepdim=False, *, dtype=None)", "The sum, treating NaN as zero.", everywhere) { t, b, _ in
            .tensor(try cast(t, b).nansum(dims: try b.optionalInts("dim"), keepdim: try b.bool("keepdim")))
        },
        TensorAPI("count_nonzero(input, dim=None)", "The number of nonzero elements (along dim), as int64.", everywhere) { t, b, _ in
            .tensor(try t.countNonzero(dims: try b.optionalInts("dim")))
        },
        TensorAPI("median(input, dim=None, keepdim=False)", "The lower median of all elements, or (values, indices) along dim.", everywhere) { t, b, _ in
            guard let dim = try b.optionalInt("dim") else {
                guard !b.isGiven("keepdim") else { throw ScriptError(.type, "median(): keepdim needs a dim") }
                return .tensor(try t.median())
            }
            let r = try t.median(dim: dim, keepdim: try b.bool("keepdim"))
            return .object(NamedTuple(b.function, ["values", "indices"], [.tensor(r.values), .tensor(r.indices)]))
        },
        TensorAPI("var_mean(input, dim=None, unbiased=True, keepdim=False, *, correction=None)", "(variance, mean), as var and mean compute them.", [.flat, .torch]) { t, b, _ in
            let v = try variance(t, b)
            return .tuple([.tensor(v), .tensor(try t.mean(dims: try b.optionalInts("dim"), keepdim: try b.bool("keepdim")))])
        },
        TensorAPI("std_mean(input, dim=None, unbiased=True, keepdim=False, *, correction=None)", "(standard deviation, mean).", [.flat, .torch]) { t, b, _ in
            let v = try variance(t, b)
            return .tuple([.tensor(try v.sqrt()), .tensor(try t.mean(dims: try b.optionalInts("dim"), keepdim: try b.bool("keepdim")))])
        },
        TensorAPI("diff(input, n=1, dim=-1, prepend=None, append=None)", "The n-th forward difference along dim.", everywhere) { t, b, _ in
            .tensor(try t.diff(n: try b.int("n"), dim: try b.int("dim"), prepend: try b.optionalTensor("prepend"), append: try b.optionalTensor("append")))
        },
        TensorAPI("tril(input, diagonal=0)", "The lower triangle of the last two dims (on and below the diagonal-th diagonal); the rest zero.", everywhere) { t, b, _ in
            .tensor(try t.tril(diagonal: try b.int("diagonal")))
        },
        TensorAPI("triu(input, diagonal=0)", "The upper triangle of the last two dims (on and above the diagonal-th diagonal); the rest zero.", everywhere) { t, b, _ in
            .tensor(try t.triu(diagonal: try b.int("diagonal")))
        },
        TensorAPI("diag(input, diagonal=0)", "A vector as a diagonal matrix, or a matrix's diagonal as a vector.", everywhere) { t, b, _ in
            .tensor(try t.diag(diagonal: try b.int("diagonal")))
        },
        TensorAPI("diagonal(input, offset=0, dim1=0, dim2=1)", "The offset-th diagonal of dims dim1 and dim2, as the last dim.", everywhere) { t, b, _ in
            .tensor(try t.diagonal(offset: try b.int("offset"), dim1: try b.int("dim1"), dim2: try b.int("dim2")))
        },
        TensorAPI("trace(input)", "The sum of a matrix's main diagonal.", everywhere) { t, _, _ in .tensor(try t.trace()) },
        TensorAPI("flip(input, dims)", "A copy with the order of elements reversed along dims.", everywhere) { t, b, _ in
            .tensor(try t.flip(dims: try b.ints("dims")))
        },
        TensorAPI("roll(input, shifts, dims=None)", "Elements shifted cyclically along dims (over the flattened tensor when None).", everywhere) { t, b, _ in
            .tensor(try t.roll(shifts: try b.ints("shifts"), dims: try b.optionalInts("dims") ?? []))
        },
        TensorAPI("dot(input, other)", "The inner product of two 1-D tensors.", everywhere) { t, b, _ in .tensor(try t.dot(try b.tensor("other"))) },
        TensorAPI("outer(input, vec2)", "The outer product of two 1-D tensors.", everywhere) { t, b, _ in .tensor(try t.outer(try b.tensor("vec2"))) },
        TensorAPI("mv(input, vec)", "Matrix-vector product.", everywhere) { t, b, _ in .tensor(try t.mv(try b.tensor("vec"))) },
        TensorAPI("bmm(input, mat2)", "Batched matrix product of two 3-D tensors.", everywhere) { t, b, _ in .tensor(try t.bmm(try b.tensor("mat2"))) },
        TensorAPI("inverse(input)", "The inverse of each square matrix in the last two dims (as torch.linalg.inv).", everywhere) { t, _, _ in .tensor(try t.inverse()) },
        TensorAPI("det(input)", "The determinant of each square matrix in the last two dims (as torch.linalg.det).", everywhere) { t, _, _ in .tensor(try t.det()) },
        TensorAPI("cdist(x1, x2, p=2.0)", "The p-norm distance between each row of x1 and each row of x2.", [.flat, .torch]) { t, b, _ in
            .tensor(try t.cdist(try b.tensor("x2"), p: try b.double("p")))
        },
    ]

    static func register(_ r: Builtins.Registrar) {
        r.function("einsum(equation, *operands)",
                   "Sums of products in Einstein notation ('ij,jk->ik'); operands may also be one list.", [.flat, .torch]) { b, interp in
            var values = Array(b.rest)
            if values.count == 1, case .tensor = values[0] {} else if values.count == 1 {
                values = try Iteration.collect(values[0], interp)
            }
            let operands = try values.map { try Convert.tensor($0, b.label("operands")) }
            return .tensor(try Tensor.einsum(try b.string("equation"), operands))
        }
    }

    /// `torch.linalg`: vector and matrix norms, inverse, determinant and solve.
    static func linalg() -> Namespace {
        let ns = Namespace("torch.linalg")
        ns.function("vector_norm(x, ord=2, dim=None, keepdim=False, *, dtype=None)",
                    "The ord-norm of x over dim (all elements when None); inf is the largest magnitude, 0 the count of nonzeros.") { b, _ in
            .tensor(try b.tensor("x").vectorNorm(try b.double("ord"), dims: try b.optionalInts("dim"), keepdim: try b.bool("keepdim")))
        }
        ns.function("norm(A, ord=None, dim=None, keepdim=False, *, dtype=None)",
                    "A vector norm (1-D, or an int dim) or a matrix norm ('fro', 1, -1, inf, -inf over two dims); by default the 2-norm of all elements.") { b, _ in
            .tensor(try linalgNorm(try b.tensor("A"), b))
        }
        ns.function("inv(A)", "The inverse of each square matrix in A's last two dims; a singular matrix is an error.") { b, _ in
            .tensor(try b.tensor("A").inverse())
        }
        ns.function("det(A)", "The determinant of each square matrix in A's last two dims.") { b, _ in .tensor(try b.tensor("A").det()) }
        ns.function("solve(A, B, *, left=True)", "X with A X = B, for B of shape [..., n, k] or [..., n].") { b, _ in
            guard try b.bool("left") else { throw ScriptError(.runtime, "linalg.solve: left=False is not supported in Duet") }
            return .tensor(try b.tensor("A").linalgSolve(try b.tensor("B")))
        }
        return ns
    }

    /// PyTorch's linalg.norm: ord None is the 2-norm of the flattened tensor (so Frobenius for a
    /// matrix); otherwise a vector norm over one dim or a matrix norm over two.
    private static func linalgNorm(_ a: Tensor, _ b: BoundArguments) throws -> Tensor {
        let keep = try b.bool("keepdim")
        let dims = try b.optionalInts("dim")
        guard let ordValue = b["ord"] else {
            if let dims, dims.count > 2 { throw ScriptError(.runtime, "linalg.norm: If dim is specified, it must be of length 1 or 2. Got \(dims)") }
            return try a.vectorNorm(2, dims: dims, keepdim: keep)
        }
        let matrixDims = dims ?? (a.rank == 2 ? [0, 1] : nil)
        guard let matrixDims, matrixDims.count == 2 else {
            guard (dims?.count ?? 1) == 1, dims != nil || a.rank == 1 else {
                throw ScriptError(.runtime, "linalg.norm: If dim is not specified but ord is, the input must be 1D or 2D. Got \(a.rank)D.")
            }
            if case .str(let s) = ordValue { throw ScriptError(.runtime, "linalg.vector_norm: ord '\(s)' is only for matrix norms") }
            return try a.vectorNorm(try Convert.double(ordValue, b.label("ord")), dims: dims, keepdim: keep)
        }
        guard a.dtype.isFloatingPoint else { throw ScriptError(.runtime, "linalg.matrix_norm: Expected a floating point tensor as input. Got \(a.dtype)") }
        let rows = try axis(matrixDims[0], a.rank), cols = try axis(matrixDims[1], a.rank)
        guard rows != cols else { throw ScriptError(.runtime, "linalg.matrix_norm: dims must be different. Got (\(matrixDims[0]), \(matrixDims[1]))") }
        let result: Tensor
        if case .str(let s) = ordValue {
            guard s == "fro" else { throw ScriptError(.value, "linalg.norm: ord '\(s)' needs singular values, which Duet does not compute (use 'fro', 1, -1, inf or -inf)") }
            result = try a.vectorNorm(2, dims: [rows, cols], keepdim: true)
        } else {
            let ord = try Convert.double(ordValue, b.label("ord"))
            guard ord.magnitude == 1 || ord.isInfinite else {
                throw ScriptError(.value, "linalg.norm: matrix ord \(PyFloat.repr(ord)) needs singular values, which Duet does not compute (use 'fro', 1, -1, inf or -inf)")
            }
            // 1: the largest column sum of magnitudes; inf: the largest row sum; negatives the smallest.
            let sums = try a.abs().sum(dims: [ord.isInfinite ? cols : rows], keepdim: true)
            let other = ord.isInfinite ? rows : cols
            result = ord > 0 ? try sums.amax(dims: [other], keepdim: true) : try sums.amin(dims: [other], keepdim: true)
        }
        return keep ? result : try result.squeeze(dim: Swift.max(rows, cols)).squeeze(dim: Swift.min(rows, cols))
    }

    /// A dim in 0..<rank (negative ones count from the end).
    private static func axis(_ d: Int, _ rank: Int) throws -> Int {
        guard d >= -rank && d < rank else {
            throw ScriptError(.index, "Dimension out of range (expected to be in range of [\(-rank), \(rank - 1)], but got \(d))")
        }
        return d < 0 ? d + rank : d
    }

    private static func cast(_ t: Tensor, _ b: BoundArguments) throws -> Tensor {
        guard let dtype = try b.dtype("dtype") else { return t }
        return try t.to(dtype)
    }

    private static func variance(_ t: Tensor, _ b: BoundArguments) throws -> Tensor {
        let correction = try b.optionalInt("correction") ?? (try b.bool("unbiased") ? 1 : 0)
        return try t.variance(dims: try b.optionalInts("dim"), correction: correction, keepdim: try b.bool("keepdim"))
    }
}
