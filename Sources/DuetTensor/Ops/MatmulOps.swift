/// Matrix product of the last two dims with broadcast batch dims; GEMM through BLAS, transposed
/// operands passed as flags rather than copied.
extension Ops {
    static func matmulShape(_ a: [Int], _ b: [Int]) throws -> [Int] {
        guard a.count >= 2, b.count >= 2 else {
            throw TensorError.shape("matmul: both operands need at least 2 dims here, got \(shapeString(a)) and \(shapeString(b))")
        }
        let k1 = a[a.count - 1], k2 = b[b.count - 2]
        guard k1 == k2 else {
            throw TensorError.shape("matmul: shapes \(shapeString(a)) and \(shapeString(b)) cannot be multiplied (\(k1) ≠ \(k2))")
        }
        let batch = try Shape.broadcast(Array(a.dropLast(2)), Array(b.dropLast(2)), op: "matmul")
        return batch + [a[a.count - 2], b[b.count - 1]]
    }

    public static let matmul: OpDef = OpDef(
        name: "matmul", doc: "Matrix product over the last two dims, batch dims broadcast (1-D operands are promoted by the API).",
        inputs: [InputParam("input"), InputParam("other")], fusion: .opaque, promotion: .common([0, 1]),
        infer: { metas, _ in
            guard metas[0].dtype != .bool else { throw TensorError.dtype("matmul: not implemented for bool") }
            return [TensorMeta(shape: try matmulShape(metas[0].shape, metas[1].shape), dtype: metas[0].dtype)]
        },
        kernel: .compute { args in try MatmulKernel.run(args.inputs[0], args.inputs[1], into: args.outputs[0]) },
        reference: { ins, _ in
            let a = ins[0], b = ins[1]
            let shape = try matmulShape(a.shape, b.shape)
            let k = a.shape[a.shape.count - 1]
            let data = (0..<Ref.count(shape)).map { flat -> Double in
                let idx = Ref.unravel(flat, shape)
                let batch = Array(idx.dropLast(2)), i = idx[idx.count - 2], j = idx[idx.count - 1]
                return (0..<k).reduce(0.0) { acc, p in
                    acc + Ref.broadcastRead(a, batch + [i, p]) * Ref.broadcastRead(b, batch + [p, j])
                }
            }
            return [RefArray(shape: shape, data: data)]
        },
        backward: .rule(saves: .inputs) { ctx in
            // A transposed operand (a Linear weight) gets its gradient computed transposed, so that
            // after the view's backward it arrives contiguous instead of needing a strided copy.
            let a = try ctx.input(0), b = try ctx.input(1), g = ctx.grad
            let ga = ctx.needsGrad[0] ? (isTransposedLayout(a) ? try b.matmul(g.mT).mT : try g.matmul(b.mT)) : nil
            let gb = ctx.needsGrad[1] ? (isTransposedLayout(b) ? try g.mT.matmul(a).mT : try a.mT.matmul(g)) : nil
            return [ga, gb]
        },
        cost: { ins, outs, _ in
            let o = outs[0].shape, k = ins[0].shape[ins[0].shape.count - 1]
            return Cost(flops: 2 * Shape.count(o) * k,
                        bytesRead: (Shape.count(ins[0].shape) + Shape.count(ins[1].shape)) * ins[0].dtype.itemSize,
                        bytesWritten: Shape.count(o) * outs[0].dtype.itemSize)
        },
        samples: [OpSample([SampleInput([3, 4]), SampleInput([4, 5])]), OpSample([SampleInput([2, 3, 4]), SampleInput([4, 5])]),
                  OpSample([SampleInput([2, 3, 4]), SampleInput([2, 4, 5])]), OpSample([SampleInput([1, 3, 4]), SampleInput([2, 4, 2])]),
                  OpSample([SampleInput([1, 4]), SampleInput([4, 1])]), OpSample([SampleInput([3, 0]), SampleInput([0, 2])]),
                  OpSample([SampleInput([2, 3], .integers(-3, 3)), SampleInput([3, 2], .integers(-3, 3))]),
                  OpSample([SampleInput([0, 4]), SampleInput([4, 3])]), OpSample([SampleInput([2, 3]), SampleInput([3, 0])]),
                  OpSample([SampleInput([0, 2, 3]), SampleInput([3, 4])])])
}

/// True for a matrix stored column-major (a transposed view of a contiguous matrix).
func isTransposedLayout(_ t: Tensor) -> Bool {
    t.rank >= 2 && t.strides[t.rank - 2] == 1 && t.strides[t.rank - 1] == t.shape[t.rank - 2] && t.shape[t.rank - 2] > 1
}

/// The GEMM driver: finds a BLAS-compatible layout for each operand (row-major, maybe transposed)
/// and calls one GEMM per batch entry, or one GEMM for all when the batch folds into rows.
enum MatmulKernel {
    /// Layout of a matrix view: transposed or not, and its leading dimension; nil if BLAS cannot read it.
    static func layout(rows: Int, cols: Int, rowStride: Int, colStride: Int) -> (trans: Bool, ld: Int)? {
        if colStride == 1 || cols == 1, rowStride >= Swift.max(cols, 1) || rows == 1 { return (false, Swift.max(rows == 1 ? cols : rowStride, 1)) }
        if rowStride == 1 || rows == 1, colStride >= Swift.max(rows, 1) || cols == 1 { return (true, Swift.max(cols == 1 ? rows : colStride, 1)) }
        return nil
    }

    /// out = alpha·(a @ b) + beta·out; beta is 0 or 1 (1 accumulates into what `out` holds, which
    /// is how graph mode adds a bias or applies an SGD update in the GEMM itself).
    static func run(_ a0: Tensor, _ b0: Tensor, into out: Tensor, alpha: Double = 1, beta: Double = 0) throws {
        var a = a0, b = b0
        let m = out.shape[out.rank - 2], n = out.shape[out.rank - 1], k = a.shape[a.rank - 1]
        if out.count == 0 { return }
        if k == 0 { if beta == 0 { Kernels.fill(out, 0) }; return }
        func matrixLayout(_ t: Tensor) -> (trans: Bool, ld: Int)? {
            layout(rows: t.shape[t.rank - 2], cols: t.shape[t.rank - 1], rowStride: t.strides[t.rank - 2], colStride: t.strides[t.rank - 1])
        }
        if matrixLayout(a) == nil { a = try a.contiguousCopy() }
        if matrixLayout(b) == nil { b = try b.contiguousCopy() }
        guard let la = matrixLayout(a), let lb = matrixLayout(b) else {
            throw TensorError.backend("matmul: could not find a BLAS layout")
        }
        Parallel.yieldCores()
        let batchShape = Array(out.shape.dropLast(2))
        let aBatch = Shape.broadcastStrides(shape: Array(a.shape.dropLast(2)), strides: Array(a.strides.dropLast(2)), to: batchShape)
        let bBatch = Shape.broadcastStrides(shape: Array(b.shape.dropLast(2)), strides: Array(b.strides.dropLast(2)), to: batchShape)
        let oBatch = Array(out.strides.dropLast(2))
        // A batch of row-major A against one shared B is a single tall GEMM.
        if !batchShape.isEmpty, bBatch.allSatisfy({ $0 == 0 }), !la.trans, a.isContiguous {
            let rows = Shape.count(batchShape) * m
            try gemm(a, 0, false, k, b, 0, lb.trans, lb.ld, out, 0, m: rows, n: n, k: k, alpha: alpha, beta: beta)
            return
        }
        try forEachOffsets(shape: batchShape, strides: [aBatch, bBatch, oBatch]) { o in
            try gemm(a, o[0], la.trans, la.ld, b, o[1], lb.trans, lb.ld, out, o[2], m: m, n: n, k: k, alpha: alpha, beta: beta)
        }
    }

    private static func gemm(_ a: Tensor, _ ao: Int, _ ta: Bool, _ lda: Int, _ b: Tensor, _ bo: Int, _ tb: Bool, _ ldb: Int,
                             _ c: Tensor, _ co: Int, m: Int, n: Int, k: Int, alpha: Double, beta: Double) throws {
        switch c.dtype {
        case .float32:
            try BLAS.sgemm(transA: ta, transB: tb, m: m, n: n, k: k, alpha: Float(alpha), a: a.pointer(Float.self) + ao, lda: lda,
                           b: b.pointer(Float.self) + bo, ldb: ldb, beta: Float(beta), c: c.pointer(Float.self) + co, ldc: n)
        case .float64:
            try BLAS.dgemm(transA: ta, transB: tb, m: m, n: n, k: k, alpha: alpha, a: a.pointer(Double.self) + ao, lda: lda,
                           b: b.pointer(Double.self) + bo, ldb: ldb, beta: beta, c: c.pointer(Double.self) + co, ldc: n)
        default:
            let pa = a.pointer(Int64.self) + ao, pb = b.pointer(Int64.self) + bo, pc = c.pointer(Int64.self) + co
            for i in 0..<m {
                for j in 0..<n {
                    var acc: Int64 = 0
                    for p in 0..<k {
                        let x = ta ? pa[p * lda + i] : pa[i * lda + p]
                        let y = tb ? pb[j * ldb + p] : pb[p * ldb + j]
                        acc = acc &+ x &* y
                    }
                    pc[i * n + j] = acc
                }
            }
        }
    }
}
