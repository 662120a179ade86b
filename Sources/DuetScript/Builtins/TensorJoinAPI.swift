import DuetTensor

/// Joining and splitting: all composites of `cat`, `slice`, `view` and `select`, so the pieces
/// are views (split, chunk, unbind, narrow) and gradients flow through their parts.
enum TensorJoinAPI {
    private static let everywhere: Builtins.Places = [.method, .flat, .torch]

    static let entries: [TensorAPI] = [
        TensorAPI("split(tensor, split_size_or_sections, dim=0)", "Views of consecutive pieces along dim: of one size (the last may be smaller) or of the listed sizes.", everywhere) { t, b, _ in
            let dim = try TensorMethods.dimension(try b.int("dim"), t.rank, "split()")
            guard t.rank > 0 else { throw ScriptError(.runtime, "split(): expects at least a 1-dimensional tensor") }
            let sizes: [Int]
            if case .int = try b.value("split_size_or_sections") {
                let size = try b.int("split_size_or_sections")
                guard size > 0 || (size == 0 && t.shape[dim] == 0) else { throw ScriptError(.runtime, "split(): split_size must be positive, got \(size)") }
                sizes = pieces(t.shape[dim], size)
            } else {
                sizes = try b.ints("split_size_or_sections")
                guard sizes.allSatisfy({ $0 >= 0 }), sizes.reduce(0, { $0 + min($1, Int.max / 2) }) == t.shape[dim] else {
                    throw ScriptError(.runtime, "split(): split_with_sizes expects split_sizes to sum exactly to \(t.shape[dim]) (input tensor's size at dimension \(dim)), but got split_sizes=\(sizes)")
                }
            }
            return .tuple(try split(t, sizes, dim: dim).map(Value.tensor))
        },
        TensorAPI("chunk(input, chunks, dim=0)", "At most chunks views along dim, each of size ceil(size / chunks) but the last.", everywhere) { t, b, _ in
            let chunks = try b.int("chunks")
            guard chunks > 0 else { throw ScriptError(.runtime, "chunk(): chunk expects `chunks` to be greater than 0, got: \(chunks)") }
            guard t.rank > 0 else { throw ScriptError(.runtime, "chunk(): expects at least a 1-dimensional tensor") }
            let dim = try TensorMethods.dimension(try b.int("dim"), t.rank, "chunk()")
            let n = t.shape[dim]
            let size = n / chunks + (n % chunks == 0 ? 0 : 1)
            return .tuple(try split(t, pieces(n, size), dim: dim).map(Value.tensor))
        },
        TensorAPI("unbind(input, dim=0)", "The slices along dim, that dim removed.", everywhere) { t, b, _ in
            guard t.rank > 0 else { throw ScriptError(.index, "unbind(): dimension specified as 0 but tensor has no dimensions") }
            let dim = try TensorMethods.dimension(try b.int("dim"), t.rank, "unbind()")
            return .tuple(try (0..<t.shape[dim]).map { .tensor(try t.select(dim: dim, index: $0)) })
        },
        TensorAPI("narrow(input, dim, start, length)", "The view of length elements along dim from start (which may be negative).", everywhere) { t, b, _ in
            guard t.rank > 0 else { throw ScriptError(.runtime, "narrow(): cannot be applied to a 0-dim tensor") }
            let dim = try TensorMethods.dimension(try b.int("dim"), t.rank, "narrow()")
            let size = t.shape[dim], length = try b.int("length")
            var start = try b.int("start")
            guard start >= -size && start <= size else {
                throw ScriptError(.index, "narrow(): start (\(start)) is out of bounds for dimension \(dim) of size \(size)")
            }
            if start < 0 { start += size }
            guard length >= 0 && length <= size - start else {
                throw ScriptError(.runtime, "narrow(): start (\(start)) + length (\(length)) exceeds dimension size (\(size)).")
            }
            return .tensor(try t.slice(dim: dim, start: start, end: start + length))
        },
        TensorAPI("unflatten(input, dim, sizes)", "Splits dim into the given sizes (one may be -1): a view.", everywhere) { t, b, _ in
            let dim = try TensorMethods.dimension(try b.int("dim"), t.rank, "unflatten()")
            let sizes = try b.ints("sizes")
            guard t.rank > 0, !sizes.isEmpty else { throw ScriptError(.runtime, "unflatten(): sizes must be non-empty and the input at least 1-D") }
            let known = sizes.filter { $0 != -1 }
            guard known.allSatisfy({ $0 >= 0 }), sizes.count - known.count <= 1,
                  known.count < sizes.count || known.reduce(1, { $0.multipliedReportingOverflow(by: $1).partialValue }) == t.shape[dim] else {
                throw ScriptError(.runtime, "unflatten(): provided sizes \(sizes) don't multiply up to the size of dim \(dim) (\(t.shape[dim])) in the input tensor")
            }
            var shape = t.shape
            shape.replaceSubrange(dim...dim, with: sizes)
            return .tensor(try t.view(shape))
        },
    ]

    static func register(_ r: Builtins.Registrar) {
        for name in ["concat", "concatenate"] {
            r.function("\(name)(tensors, dim=0)", "Alias of cat: joins tensors along an existing dim.", [.flat, .torch]) { b, interp in
                .tensor(try Tensor.cat(try tensors(b, interp), dim: try b.int("dim")))
            }
        }
        r.function("hstack(tensors)", "Joins along dim 1 (dim 0 when the tensors are 1-D).", [.flat, .torch]) { b, interp in
            let items = try tensors(b, interp).map { $0.rank == 0 ? try $0.reshape([1]) : $0 }
            return .tensor(try Tensor.cat(items, dim: items.allSatisfy { $0.rank == 1 } ? 0 : 1))
        }
        r.function("vstack(tensors)", "Joins along dim 0, 1-D tensors first made rows.", [.flat, .torch]) { b, interp in
            let items = try tensors(b, interp).map { $0.rank < 2 ? try $0.reshape([1, -1]) : $0 }
            return .tensor(try Tensor.cat(items, dim: 0))
        }
        r.function("broadcast_shapes(*shapes)", "The shape tensors of the given shapes broadcast to.", [.flat, .torch]) { b, _ in
            let shapes = try b.rest.map { try Convert.ints($0, b.label("shapes")) }
            return .object(SizeObject(try Tensor.broadcastShapes(shapes)))
        }
    }

    private static func tensors(_ b: BoundArguments, _ interp: Interpreter) throws -> [Tensor] {
        let items = try Iteration.collect(try b.value("tensors"), interp).map { try Convert.tensor($0, b.label("tensors")) }
        guard !items.isEmpty else { throw ScriptError(.runtime, "\(b.function)(): expects a non-empty TensorList") }
        return items
    }

    /// Sizes of consecutive pieces of at most `size` covering `n` (one empty piece when n is 0).
    private static func pieces(_ n: Int, _ size: Int) -> [Int] {
        guard n > 0, size > 0 else { return [0] }
        return stride(from: 0, to: n, by: size).map { min(size, n - $0) }
    }

    private static func split(_ t: Tensor, _ sizes: [Int], dim: Int) throws -> [Tensor] {
        var start = 0
        return try sizes.map { size in
            defer { start += size }
            return try t.slice(dim: dim, start: start, end: start + size)
        }
    }
}
