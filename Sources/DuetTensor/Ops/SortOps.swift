/// Sorting: `argsort` is the one kernel; `sort` and `topk` gather their values with its indices,
/// so their gradients come from `gather`.
extension Ops {
    /// PyTorch's order: NaN is the largest value (last ascending, first descending). Ties keep
    /// their original order, so every sort is stable.
    @inline(__always)
    static func sortsBefore<T: Comparable>(_ a: T, _ b: T, descending: Bool) -> Bool {
        let aNaN = a != a, bNaN = b != b
        if descending { return bNaN ? false : aNaN || a > b }
        return aNaN ? false : bNaN || a < b
    }

    /// The positions 0..<n ordered by `value`, ties by position.
    static func sortedPositions<T: Comparable>(_ n: Int, descending: Bool, _ value: (Int) -> T) -> [Int] {
        let values = (0..<n).map(value)
        return (0..<n).sorted { i, j in
            let a = values[i], b = values[j]
            if sortsBefore(a, b, descending: descending) { return true }
            if sortsBefore(b, a, descending: descending) { return false }
            return i < j
        }
    }

    private static func argsortRows<T: Comparable>(_ x: Tensor, _ out: Tensor, dim: Int, descending: Bool, _: T.Type) {
        let p = x.rawPointer.unsafelyUnwrapped.assumingMemoryBound(to: T.self), o = out.pointer(Int64.self)
        let n = x.shape[dim], xs = x.strides[dim], os = out.strides[dim]
        var outer = x.shape
        outer[dim] = 1
        forEachOffsets(shape: outer, strides: [x.strides, out.strides]) { base in
            let order = sortedPositions(n, descending: descending) { p[base[0] + $0 * xs] }
            for (k, i) in order.enumerated() { o[base[1] + k * os] = Int64(i) }
        }
    }

    public static let argsort: OpDef = OpDef(
        name: "argsort", doc: "The indices that sort input along dim (ascending unless descending; NaN counts as largest; ties keep their order).",
        inputs: [InputParam("input")],
        attrs: [AttrParam("dim", .int, default: .int(-1)), AttrParam("descending", .bool, default: .bool(false)),
                AttrParam("stable", .bool, default: .bool(false))],
        fusion: .opaque,
        infer: { metas, attrs in
            _ = try Shape.normalize(dim: attrs.int("dim"), rank: metas[0].shape.count, op: "argsort")
            return [TensorMeta(shape: metas[0].shape, dtype: .int64)]
        },
        kernel: .compute { args in
            let x = args.inputs[0], out = args.outputs[0]
            guard x.rank > 0 else {
                out.pointer(Int64.self).pointee = 0
                return
            }
            let dim = try Shape.normalize(dim: args.attrs.int("dim"), rank: x.rank, op: "argsort")
            let descending = try args.attrs.bool("descending")
            switch x.dtype {
            case .bool: argsortRows(x, out, dim: dim, descending: descending, UInt8.self)
            case .int64: argsortRows(x, out, dim: dim, descending: descending, Int64.self)
            case .float32: argsortRows(x, out, dim: dim, descending: descending, Float.self)
            case .float64: argsortRows(x, out, dim: dim, descending: descending, Double.self)
            case .float16, .bfloat16: throw TensorError.halfPrecisionKernel("argsort")
            }
        },
        reference: { ins, attrs in
            let x = ins[0]
            guard !x.shape.isEmpty else { return [RefArray(shape: [], data: [0])] }
            let dim = try Ref.dim(attrs.int("dim"), rank: x.shape.count)
            let descending = try attrs.bool("descending")
            var out = RefArray(shape: x.shape, data: [Double](repeating: 0, count: x.data.count))
            for flat in 0..<x.data.count {
                var idx = Ref.unravel(flat, x.shape)
                guard idx[dim] == 0 else { continue }
                let order = sortedPositions(x.shape[dim], descending: descending) { k -> Double in
                    idx[dim] = k
                    return x.data[Ref.ravel(idx, x.shape)]
                }
                for (k, i) in order.enumerated() {
                    idx[dim] = k
                    out.data[Ref.ravel(idx, x.shape)] = Double(i)
                }
            }
            return [out]
        },
        backward: .notDifferentiable,
        cost: { ins, outs, _ in
            let n = Shape.count(ins[0].shape)
            return Cost(flops: n * max(1, n.bitWidth - n.leadingZeroBitCount), bytesRead: n * ins[0].dtype.itemSize, bytesWritten: n * 8)
        },
        samples: [OpSample([SampleInput([7])], [.int(-1), .bool(false), .bool(false)]),
                  OpSample([SampleInput([3, 4])], [.int(0), .bool(true), .bool(false)]),
                  OpSample([SampleInput([2, 3, 4], .integers(0, 3))], [.int(1), .bool(false), .bool(true)]),
                  OpSample([SampleInput([6], .exactly([2, 1, 2, 0, 1, 2]))], [.int(0), .bool(true), .bool(true)]),
                  OpSample([SampleInput([])], [.int(0), .bool(false), .bool(false)]),
                  OpSample([SampleInput([0, 3])], [.int(0), .bool(false), .bool(false)])])
}
