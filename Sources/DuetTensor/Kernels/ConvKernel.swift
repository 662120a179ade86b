/// conv2d forward. Float32 stride-1 convolutions of images that fit in cache go to `DirectConv`;
/// the rest take im2col of a group of images into [C*kh*kw, G*L] and one GEMM
/// [O, C*kh*kw] × [C*kh*kw, G*L] per group, then [O, G, L] is scattered to [N, O, L] with the bias
/// added. One large GEMM instead of one per image, because GEMMs are serialized and small ones
/// run on one core.
enum ConvKernel {
    /// Upper bound on the column buffer's elements; the batch is split into groups that fit.
    static let columnBudget = 1 << 23

    /// `columnBudget` is a parameter so tests can split small batches into several groups.
    static func forward(_ args: KernelArgs, columnBudget: Int = columnBudget) throws {
        let x = try args.inputs[0].contiguousCopyIfNeeded(), w = try args.inputs[1].contiguousCopyIfNeeded()
        let out = args.outputs[0]
        let (n, c, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let o = w.shape[0], ck = c * w.shape[2] * w.shape[3]
        let win = try Ops.convWindow(args.attrs, kernel: (w.shape[2], w.shape[3]))
        let (oh, ow) = try win.output(h, wd, op: "conv2d")
        let l = oh * ow
        let bias = args.inputs.count > 2 ? try args.inputs[2].contiguousCopyIfNeeded() : nil
        if x.dtype == .float32, DirectConv.applies(c: c, h: h, w: wd, window: win) {
            return try DirectConv.forward(x, w, bias, out, window: win)
        }
        let group = max(1, min(n, columnBudget / max(try Shape.checkedProduct([ck, l], op: "conv2d"), 1)))
        let cols = try Tensor(empty: [ck, group * l], dtype: x.dtype)
        let product = group > 1 ? try Tensor(empty: [o, group * l], dtype: x.dtype) : nil
        let geometry = Geometry(n: n, c: c, h: h, w: wd, o: o, ck: ck, l: l, group: group)
        if x.dtype == .float32 {
            try run(x.pointer(Float.self), w.pointer(Float.self), bias?.pointer(Float.self), out.pointer(Float.self),
                    cols.pointer(Float.self), product?.pointer(Float.self), geometry, win, oh: oh, ow: ow) { a, b, c, m, n, k in
                try BLAS.sgemm(transA: false, transB: false, m: m, n: n, k: k, alpha: 1, a: a, lda: k, b: b, ldb: n, beta: 0, c: c, ldc: n)
            }
        } else {
            try run(x.pointer(Double.self), w.pointer(Double.self), bias?.pointer(Double.self), out.pointer(Double.self),
                    cols.pointer(Double.self), product?.pointer(Double.self), geometry, win, oh: oh, ow: ow) { a, b, c, m, n, k in
                try BLAS.dgemm(transA: false, transB: false, m: m, n: n, k: k, alpha: 1, a: a, lda: k, b: b, ldb: n, beta: 0, c: c, ldc: n)
            }
        }
    }

    /// Sizes of one call: input [n, c, h, w], o output channels, ck = c*kh*kw, l = oh*ow, images per group.
    struct Geometry {
        var n, c, h, w, o, ck, l, group: Int
    }

    /// `gemm(a, b, c, m, n, k)` is C[m, n] = A[m, k] × B[k, n], all contiguous. With one image per group
    /// the GEMM writes the output directly and the bias is added in place.
    private static func run<T: BinaryFloatingPoint & SIMDScalar>(
        _ x: UnsafeMutablePointer<T>, _ w: UnsafeMutablePointer<T>, _ bias: UnsafeMutablePointer<T>?, _ out: UnsafeMutablePointer<T>,
        _ cols: UnsafeMutablePointer<T>, _ product: UnsafeMutablePointer<T>?, _ s: Geometry, _ win: Window2D, oh: Int, ow: Int,
        gemm: (UnsafePointer<T>, UnsafePointer<T>, UnsafeMutablePointer<T>, Int, Int, Int) throws -> Void
    ) throws {
        for first in stride(from: 0, to: s.n, by: s.group) {
            let g = min(s.group, s.n - first)
            let dst = out + first * s.o * s.l
            try Im2Col.unfold(x + first * s.c * s.h * s.w, cols, n: g, c: s.c, h: s.h, w: s.w, window: win, oh: oh, ow: ow,
                              layout: .batch(n: g, k: win.kernelCount, l: s.l), op: "conv2d")
            Parallel.yieldCores()
            let target = product ?? dst
            try gemm(w, cols, target, s.o, g * s.l, s.ck)
            if product != nil || bias != nil { scatter(target, dst, bias, images: g, channels: s.o, length: s.l) }
        }
    }

    /// out[b, o, :] = product[o, b, :] + bias[o] (product may be out itself when there is one image).
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    private static func scatter<T: BinaryFloatingPoint>(_ product: UnsafeMutablePointer<T>, _ out: UnsafeMutablePointer<T>, _ bias: UnsafeMutablePointer<T>?,
                                                        images: Int, channels: Int, length: Int) {
        Parallel.forEachChunk(count: images * channels, grain: max(1, StridedLoop.parallelThreshold / 2 / max(length, 1))) { rows in
            for row in rows {
                let (b, o) = row.quotientAndRemainder(dividingBy: channels)
                let src = product + (o * images + b) * length, dst = out + row * length
                let v = bias?[o] ?? 0
                for i in 0..<length { dst[i] = src[i] + v }
            }
        }
    }
}

/// Direct float32 convolution for stride 1. The batch is copied once into zero-padded planes of
/// width wp, so output (i, j) of tap (ki, kj) reads plane[(i + ki*dh)*wp + j + kj*dw]: on the flat
/// grid q = i*wp + j every tap is one contiguous run, shifted by a fixed offset. Each register
/// block holds `channels` output channels × `span` flat positions (12 AVX2 accumulators) and walks
/// all C*kh*kw taps, loading each input vector once for all its channels. Columns j >= ow of the
/// grid are computed and dropped. Beats im2col + GEMM for LeNet-sized layers because the
/// 25×-larger column matrix is never written, and GEMMs with 6 or 16 rows use BLAS poorly.
enum DirectConv {
    static let channels = 3
    typealias Lanes = SIMD8<Float>
    static let span = 4 * Lanes.scalarCount

    /// Stride 1 and a padded image (all channels) that stays in L2 while every tap sweeps it. The
    /// product is checked: a huge dilation and padding can give a one-pixel output from a padded
    /// plane whose size overflows.
    static func applies(c: Int, h: Int, w: Int, window: Window2D) -> Bool {
        guard window.stride == (1, 1) else { return false }
        let size = try? Shape.checkedProduct([c, h + 2 * window.padding.0, w + 2 * window.padding.1], op: "conv2d")
        return size.map { $0 <= 1 << 15 } ?? false
    }

    static func forward(_ x: Tensor, _ w: Tensor, _ bias: Tensor?, _ out: Tensor, window: Window2D) throws {
        let (n, c, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let o = w.shape[0], taps = c * window.kernelCount
        let (ph, pw) = window.padding
        let hp = h + 2 * ph, wp = wd + 2 * pw, plane = hp * wp
        let oh = hp - (window.kernel.0 - 1) * window.dilation.0, ow = wp - (window.kernel.1 - 1) * window.dilation.1
        let grid = (oh * wp + span - 1) / span * span
        let reach = (window.kernel.0 - 1) * window.dilation.0 * wp + (window.kernel.1 - 1) * window.dilation.1
        let imageSize = c * plane
        let padded = try Tensor(empty: [n * imageSize + max(0, reach + grid - plane)], dtype: .float32)
        let blocks = (o + channels - 1) / channels
        let packed = try Tensor(empty: [blocks * taps * channels], dtype: .float32)
        let src = x.pointer(Float.self), dst = padded.pointer(Float.self)
        Parallel.forEachChunk(count: n * c, grain: max(1, StridedLoop.parallelThreshold / 2 / plane)) { planes in
            for p in planes {
                let s = src + p * h * wd, d = dst + p * plane
                d.update(repeating: 0, count: ph * wp)
                for i in 0..<h {
                    let row = d + (ph + i) * wp
                    row.update(repeating: 0, count: pw)
                    (row + pw).update(from: s + i * wd, count: wd)
                    (row + pw + wd).update(repeating: 0, count: pw)
                }
                (d + (ph + h) * wp).update(repeating: 0, count: ph * wp)
            }
        }
        (dst + n * imageSize).update(repeating: 0, count: padded.count - n * imageSize)
        let weights = w.pointer(Float.self), pk = packed.pointer(Float.self)
        for b in 0..<blocks {
            for t in 0..<taps {
                for k in 0..<channels {
                    let oc = b * channels + k
                    pk[(b * taps + t) * channels + k] = oc < o ? weights[oc * taps + t] : 0
                }
            }
        }
        let offsets = UnsafeMutablePointer<Int>.allocate(capacity: taps)
        defer { offsets.deallocate() }
        for ch in 0..<c {
            for ki in 0..<window.kernel.0 {
                for kj in 0..<window.kernel.1 {
                    offsets[(ch * window.kernel.0 + ki) * window.kernel.1 + kj] = ch * plane + ki * window.dilation.0 * wp + kj * window.dilation.1
                }
            }
        }
        let y = out.pointer(Float.self), bp = bias?.pointer(Float.self)
        Parallel.forEachChunk(count: n * blocks, grain: max(1, StridedLoop.parallelThreshold / 2 / max(1, taps * grid))) { items in
            let acc = UnsafeMutablePointer<Float>.allocate(capacity: channels * grid)
            defer { acc.deallocate() }
            for item in items {
                let (b, block) = item.quotientAndRemainder(dividingBy: blocks)
                accumulate(dst + b * imageSize, pk + block * taps * channels, offsets, taps: taps, grid: grid, into: acc)
                for k in 0..<min(channels, o - block * channels) {
                    let oc = block * channels + k
                    let v = bp?[oc] ?? 0, target = y + (b * o + oc) * oh * ow
                    for i in 0..<oh {
                        let from = acc + k * grid + i * wp, to = target + i * ow
                        for j in 0..<ow { to[j] = from[j] + v }
                    }
                }
            }
        }
    }

    /// acc[k*grid + q] = Σ_t weights[t*channels + k] * image[offsets[t] + q] for the block's channels.
    @inline(__always)
    private static func accumulate(_ image: UnsafePointer<Float>, _ weights: UnsafePointer<Float>, _ offsets: UnsafePointer<Int>,
                                   taps: Int, grid: Int, into acc: UnsafeMutablePointer<Float>) {
        let width = Lanes.scalarCount
        for q in stride(from: 0, to: grid, by: span) {
            var a0 = Lanes(), a1 = Lanes(), a2 = Lanes(), a3 = Lanes()
            var b0 = Lanes(), b1 = Lanes(), b2 = Lanes(), b3 = Lanes()
            var c0 = Lanes(), c1 = Lanes(), c2 = Lanes(), c3 = Lanes()
            var w = weights
            for t in 0..<taps {
                // Each input vector is loaded right before its three FMAs: 12 accumulators, 3 weights and
                // one input vector fill the 16 AVX2 registers without spilling.
                let p = UnsafeRawPointer(image + (offsets[t] &+ q))
                let wa = Lanes(repeating: w[0]), wb = Lanes(repeating: w[1]), wc = Lanes(repeating: w[2])
                w += channels
                let x0 = p.loadUnaligned(as: Lanes.self)
                a0.addProduct(x0, wa); b0.addProduct(x0, wb); c0.addProduct(x0, wc)
                let x1 = p.loadUnaligned(fromByteOffset: 4 * width, as: Lanes.self)
                a1.addProduct(x1, wa); b1.addProduct(x1, wb); c1.addProduct(x1, wc)
                let x2 = p.loadUnaligned(fromByteOffset: 8 * width, as: Lanes.self)
                a2.addProduct(x2, wa); b2.addProduct(x2, wb); c2.addProduct(x2, wc)
                let x3 = p.loadUnaligned(fromByteOffset: 12 * width, as: Lanes.self)
                a3.addProduct(x3, wa); b3.addProduct(x3, wb); c3.addProduct(x3, wc)
            }
            let r = UnsafeMutableRawPointer(acc + q)
            func store(_ k: Int, _ v0: Lanes, _ v1: Lanes, _ v2: Lanes, _ v3: Lanes) {
                let base = r + k * grid * 4
                base.storeBytes(of: v0, as: Lanes.self)
                base.storeBytes(of: v1, toByteOffset: 4 * width, as: Lanes.self)
                base.storeBytes(of: v2, toByteOffset: 8 * width, as: Lanes.self)
                base.storeBytes(of: v3, toByteOffset: 12 * width, as: Lanes.self)
            }
            store(0, a0, a1, a2, a3)
            store(1, b0, b1, b2, b3)
            store(2, c0, c1, c2, c3)
        }
    }
}

/// max_pool2d / avg_pool2d forward, a tap row at a time over planes in parallel; padded taps are
/// skipped for max (NaN wins) and count as zero for the average (PyTorch's count_include_pad=True).
enum PoolKernel {
    static func run(_ args: KernelArgs, max: Bool) throws {
        let x = try args.inputs[0].contiguousCopyIfNeeded(), out = args.outputs[0]
        let win = try Window2D(args.attrs, dilated: false, op: max ? "max_pool2d" : "avg_pool2d")
        if x.dtype == .float32 { pool(x.pointer(Float.self), out.pointer(Float.self), x.shape, out.shape, win, max) }
        else { pool(x.pointer(Double.self), out.pointer(Double.self), x.shape, out.shape, win, max) }
    }

    /// The larger of v and a; NaN if either is NaN. Written so it compiles to selects: the forms
    /// `v > a || v.isNaN` and `(v > a) != v.isNaN` measured 4-5× slower.
    @inline(__always)
    private static func maxOrNaN<T: BinaryFloatingPoint>(_ v: T, _ a: T) -> T { a.isNaN ? a : (v.isNaN || v > a ? v : a) }

    /// Output indices 0..<count whose tap lands inside 0..<extent, where output index j reads input
    /// j*stride + offset: computed once per tap so the loops over a row have no per-element test.
    /// ceil(-offset / stride) is written so that a huge stride cannot overflow.
    private static func inside(offset: Int, stride: Int, extent: Int, count: Int) -> Range<Int> {
        let lo = offset >= 0 ? 0 : Swift.min(count, (-offset - 1) / stride + 1)
        let last = extent - 1 - offset
        let hi = last < 0 ? 0 : Swift.min(count, last / stride + 1)
        return lo..<Swift.max(lo, hi)
    }

    /// The taps of a kernel axis that land inside the input for at least one output: a window wider
    /// than the image (a huge kernel_size with padding) then costs what the image does, not what
    /// the kernel does.
    private static func taps(kernel: Int, padding: Int, extent: Int, count: Int, stride: Int) -> Range<Int> {
        let first = Swift.max(0, padding - (count - 1) * stride)
        return first..<Swift.max(first, Swift.min(kernel, padding + extent))
    }

    /// Each output row starts at the identity and takes the kernel's taps one by one, in the same
    /// order for every output, so the average rounds as a per-window loop would.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    private static func pool<T: BinaryFloatingPoint>(_ x: UnsafeMutablePointer<T>, _ y: UnsafeMutablePointer<T>, _ xs: [Int], _ ys: [Int],
                                                     _ win: Window2D, _ max: Bool) {
        let (h, w, oh, ow) = (xs[2], xs[3], ys[2], ys[3])
        let (sh, sw) = win.stride
        let inv = 1 / T(win.kernelCount)
        Parallel.forEachChunk(count: xs[0] * xs[1], grain: Swift.max(1, StridedLoop.parallelThreshold / 2 / Swift.max(h * w, 1))) { planes in
            for plane in planes {
                let src = x + plane * h * w, dst = y + plane * oh * ow
                dst.update(repeating: max ? -.infinity : 0, count: oh * ow)
                for ki in taps(kernel: win.kernel.0, padding: win.padding.0, extent: h, count: oh, stride: sh) {
                    let rowOffset = ki - win.padding.0
                    let rows = inside(offset: rowOffset, stride: sh, extent: h, count: oh)
                    for kj in taps(kernel: win.kernel.1, padding: win.padding.1, extent: w, count: ow, stride: sw) {
                        let colOffset = kj - win.padding.1
                        let span = inside(offset: colOffset, stride: sw, extent: w, count: ow)
                        for i in rows {
                            let s = src + (i * sh + rowOffset) * w + span.lowerBound * sw + colOffset
                            let d = dst + i * ow + span.lowerBound
                            // Unit stride gets its own loops so they vectorize.
                            switch (max, sw) {
                            case (true, 1): for j in 0..<span.count { d[j] = maxOrNaN(s[j], d[j]) }
                            case (true, _): for j in 0..<span.count { d[j] = maxOrNaN(s[j &* sw], d[j]) }
                            case (false, 1): for j in 0..<span.count { d[j] += s[j] }
                            case (false, _): for j in 0..<span.count { d[j] += s[j &* sw] }
                            }
                        }
                    }
                }
                if !max { for i in 0..<(oh * ow) { dst[i] *= inv } }
            }
        }
    }
}
