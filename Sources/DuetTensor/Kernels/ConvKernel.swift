/// conv2d forward: im2col of each image into a scratch buffer, then one GEMM per image,
/// [O, C*kh*kw] × [C*kh*kw, L], with the bias added to each output row.
enum ConvKernel {
    static func forward(_ args: KernelArgs) throws {
        let x = try args.inputs[0].contiguousCopyIfNeeded(), w = try args.inputs[1].contiguousCopyIfNeeded()
        let out = args.outputs[0]
        let (n, c, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let o = w.shape[0], ck = c * w.shape[2] * w.shape[3]
        let win = try Ops.convWindow(args.attrs, kernel: (w.shape[2], w.shape[3]))
        let (oh, ow) = try win.output(h, wd, op: "conv2d")
        let l = oh * ow
        let cols = try Tensor(empty: [ck, l], dtype: x.dtype)
        let bias = args.inputs.count > 2 ? try args.inputs[2].contiguousCopyIfNeeded() : nil
        Parallel.yieldCores()
        for b in 0..<n {
            if x.dtype == .float32 {
                let xp = x.pointer(Float.self) + b * c * h * wd, op = out.pointer(Float.self) + b * o * l
                Im2Col.unfold(xp, cols.pointer(Float.self), n: 1, c: c, h: h, w: wd, window: win, oh: oh, ow: ow)
                try BLAS.sgemm(transA: false, transB: false, m: o, n: l, k: ck, alpha: 1, a: w.pointer(Float.self), lda: ck,
                               b: cols.pointer(Float.self), ldb: l, beta: 0, c: op, ldc: l)
                if let bias { addRows(op, bias.pointer(Float.self), rows: o, length: l) }
            } else {
                let xp = x.pointer(Double.self) + b * c * h * wd, op = out.pointer(Double.self) + b * o * l
                Im2Col.unfold(xp, cols.pointer(Double.self), n: 1, c: c, h: h, w: wd, window: win, oh: oh, ow: ow)
                try BLAS.dgemm(transA: false, transB: false, m: o, n: l, k: ck, alpha: 1, a: w.pointer(Double.self), lda: ck,
                               b: cols.pointer(Double.self), ldb: l, beta: 0, c: op, ldc: l)
                if let bias { addRows(op, bias.pointer(Double.self), rows: o, length: l) }
            }
        }
    }

    /// out[r, :] += bias[r]
    @inline(__always)
    private static func addRows<T: FloatingPoint>(_ out: UnsafeMutablePointer<T>, _ bias: UnsafeMutablePointer<T>, rows: Int, length: Int) {
        for r in 0..<rows {
            let v = bias[r], row = out + r * length
            for i in 0..<length { row[i] += v }
        }
    }
}

/// max_pool2d / avg_pool2d forward, one window per output element; padded taps are skipped for
/// max and count as zero for the average (PyTorch's count_include_pad=True).
enum PoolKernel {
    static func run(_ args: KernelArgs, max: Bool) throws {
        let x = try args.inputs[0].contiguousCopyIfNeeded(), out = args.outputs[0]
        let win = try Window2D(args.attrs, kernelAt: 0, dilationAt: nil, paddingAt: 2, strideAt: 1, op: max ? "max_pool2d" : "avg_pool2d")
        if x.dtype == .float32 { pool(x.pointer(Float.self), out.pointer(Float.self), x.shape, out.shape, win, max) }
        else { pool(x.pointer(Double.self), out.pointer(Double.self), x.shape, out.shape, win, max) }
    }

    private static func pool<T: BinaryFloatingPoint>(_ x: UnsafeMutablePointer<T>, _ y: UnsafeMutablePointer<T>, _ xs: [Int], _ ys: [Int],
                                                     _ win: Window2D, _ max: Bool) {
        let (h, w, oh, ow) = (xs[2], xs[3], ys[2], ys[3])
        let inv = 1 / T(win.kernelCount)
        for plane in 0..<(xs[0] * xs[1]) {
            let src = x + plane * h * w, dst = y + plane * oh * ow
            for i in 0..<oh {
                for j in 0..<ow {
                    var acc: T = max ? -.infinity : 0
                    for ki in 0..<win.kernel.0 {
                        let yy = i * win.stride.0 - win.padding.0 + ki
                        guard yy >= 0 && yy < h else { continue }
                        for kj in 0..<win.kernel.1 {
                            let xx = j * win.stride.1 - win.padding.1 + kj
                            guard xx >= 0 && xx < w else { continue }
                            let v = src[yy * w + xx]
                            if max { if v > acc || v.isNaN { acc = v } } else { acc += v }
                        }
                    }
                    dst[i * ow + j] = max ? acc : acc * inv
                }
            }
        }
    }
}
