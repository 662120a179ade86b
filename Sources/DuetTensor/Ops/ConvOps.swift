/// Convolution and pooling over [N, C, H, W]. unfold (im2col) and fold (its adjoint) are the
/// primitives the backward rules are written in, so every gradient here traces and nests.
extension Ops {
    private static let windowAttrs = [AttrParam("kernel_size", .ints), AttrParam("dilation", .ints, default: .ints([1])),
                                      AttrParam("padding", .ints, default: .ints([0])), AttrParam("stride", .ints, default: .ints([1]))]

    private static func image(_ m: TensorMeta, _ op: String) throws -> (Int, Int, Int, Int) {
        guard m.shape.count == 4 else { throw TensorError.shape("\(op): expected a 4-D input [N, C, H, W], got \(shapeString(m.shape))") }
        guard m.dtype.isFloatingPoint else { throw TensorError.dtype("\(op): expected a floating-point input, got \(m.dtype)") }
        return (m.shape[0], m.shape[1], m.shape[2], m.shape[3])
    }

    /// Runs a typed body for float32 or float64 tensors.
    private static func floating(_ t: Tensor, f32: () throws -> Void, f64: () throws -> Void) rethrows {
        if t.dtype == .float32 { try f32() } else { try f64() }
    }

    public static let unfold: OpDef = OpDef(
        name: "unfold", doc: "im2col: sliding kernel windows of [N,C,H,W] as columns [N, C*kh*kw, L].",
        inputs: [InputParam("input")], attrs: windowAttrs, fusion: .opaque,
        infer: { metas, attrs in
            let (n, c, h, w) = try image(metas[0], "unfold")
            let win = try Window2D(attrs, op: "unfold")
            let (oh, ow) = try win.output(h, w, op: "unfold")
            let rows = try Shape.checkedProduct([c, win.kernelCount], op: "unfold")
            return [TensorMeta(shape: [n, rows, try Shape.checkedProduct([oh, ow], op: "unfold")], dtype: metas[0].dtype)]
        },
        kernel: .compute { args in
            let x = try args.inputs[0].contiguousCopyIfNeeded(), out = args.outputs[0]
            let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
            let win = try Window2D(args.attrs, op: "unfold")
            let (oh, ow) = try win.output(h, w, op: "unfold")
            try floating(x, f32: { try Im2Col.unfold(x.pointer(Float.self), out.pointer(Float.self), n: n, c: c, h: h, w: w, window: win, oh: oh, ow: ow, op: "unfold") },
                         f64: { try Im2Col.unfold(x.pointer(Double.self), out.pointer(Double.self), n: n, c: c, h: h, w: w, window: win, oh: oh, ow: ow, op: "unfold") })
        },
        reference: { ins, attrs in
            let x = ins[0]
            let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
            let win = try Window2D(attrs, op: "unfold")
            let (oh, ow) = try win.output(h, w, op: "unfold")
            let rows = c * win.kernelCount, l = oh * ow
            var data: [Double] = []
            for b in 0..<n {
                for r in 0..<rows {
                    let ch = r / win.kernelCount, ki = (r % win.kernelCount) / win.kernel.1, kj = r % win.kernel.1
                    for p in 0..<l {
                        let y = (p / ow) * win.stride.0 - win.padding.0 + ki * win.dilation.0
                        let xx = (p % ow) * win.stride.1 - win.padding.1 + kj * win.dilation.1
                        data.append(y < 0 || y >= h || xx < 0 || xx >= w ? 0 : x.data[((b * c + ch) * h + y) * w + xx])
                    }
                }
            }
            return [RefArray(shape: [n, rows, l], data: data)]
        },
        backward: .rule(saves: []) { ctx in
            let s = ctx.inputMetas[0].shape
            return [try ctx.grad.fold(outputSize: [s[2], s[3]], kernelSize: ctx.attrs.ints("kernel_size"), dilation: ctx.attrs.ints("dilation"),
                                      padding: ctx.attrs.ints("padding"), stride: ctx.attrs.ints("stride"))]
        },
        cost: Rules.elementwiseCost(0),
        samples: [OpSample([SampleInput([2, 2, 5, 4])], [.ints([2, 3]), .ints([1]), .ints([1]), .ints([1])]),
                  OpSample([SampleInput([1, 3, 6, 6])], [.ints([3]), .ints([2]), .ints([0]), .ints([2, 1])]),
                  OpSample([SampleInput([0, 2, 5, 4])], [.ints([2, 3]), .ints([1]), .ints([1]), .ints([1])]),
                  OpSample([SampleInput([1, 0, 4, 4])], [.ints([2]), .ints([1]), .ints([0]), .ints([1])]),
                  // Padding wider than the kernel, strides longer than the padded image.
                  OpSample([SampleInput([1, 2, 4, 5])], [.ints([2]), .ints([1]), .ints([3]), .ints([100, 7])])],
        placement: [.function, .functional])

    public static let fold: OpDef = OpDef(
        name: "fold", doc: "col2im, the adjoint of unfold: sums columns [N, C*kh*kw, L] back into [N, C, H, W].",
        inputs: [InputParam("input")], attrs: [AttrParam("output_size", .ints)] + windowAttrs, fusion: .opaque,
        infer: { metas, attrs in
            let m = metas[0]
            let size = try attrs.ints("output_size")
            let win = try Window2D(attrs, op: "fold")
            guard m.shape.count == 3, size.count == 2, m.dtype.isFloatingPoint, m.shape[1] % win.kernelCount == 0 else {
                throw TensorError.shape("fold: expected a floating [N, C*kh*kw, L] input and a 2-int output_size, got \(shapeString(m.shape)) and \(shapeString(size))")
            }
            let (oh, ow) = try win.output(size[0], size[1], op: "fold")
            let windows = try Shape.checkedProduct([oh, ow], op: "fold")
            guard m.shape[2] == windows else {
                throw TensorError.shape("fold: input has \(m.shape[2]) columns but output_size \(shapeString(size)) gives \(windows) windows")
            }
            return [TensorMeta(shape: [m.shape[0], m.shape[1] / win.kernelCount, size[0], size[1]], dtype: m.dtype)]
        },
        kernel: .compute { args in
            let cols = try args.inputs[0].contiguousCopyIfNeeded(), out = args.outputs[0]
            let (n, c, h, w) = (out.shape[0], out.shape[1], out.shape[2], out.shape[3])
            let win = try Window2D(args.attrs, op: "fold")
            let (oh, ow) = try win.output(h, w, op: "fold")
            try floating(cols, f32: { try Im2Col.fold(cols.pointer(Float.self), out.pointer(Float.self), n: n, c: c, h: h, w: w, window: win, oh: oh, ow: ow) },
                         f64: { try Im2Col.fold(cols.pointer(Double.self), out.pointer(Double.self), n: n, c: c, h: h, w: w, window: win, oh: oh, ow: ow) })
        },
        reference: { ins, attrs in
            let cols = ins[0], size = try attrs.ints("output_size")
            let win = try Window2D(attrs, op: "fold")
            let (h, w) = (size[0], size[1]), (oh, ow) = try win.output(h, w, op: "fold")
            let n = cols.shape[0], c = cols.shape[1] / win.kernelCount, l = oh * ow
            var out = [Double](repeating: 0, count: n * c * h * w)
            for b in 0..<n {
                for r in 0..<cols.shape[1] {
                    let ch = r / win.kernelCount, ki = (r % win.kernelCount) / win.kernel.1, kj = r % win.kernel.1
                    for p in 0..<l {
                        let y = (p / ow) * win.stride.0 - win.padding.0 + ki * win.dilation.0
                        let xx = (p % ow) * win.stride.1 - win.padding.1 + kj * win.dilation.1
                        if y >= 0 && y < h && xx >= 0 && xx < w { out[((b * c + ch) * h + y) * w + xx] += cols.data[(b * cols.shape[1] + r) * l + p] }
                    }
                }
            }
            return [RefArray(shape: [n, c, h, w], data: out)]
        },
        backward: .rule(saves: []) { ctx in
            [try ctx.grad.unfold(kernelSize: ctx.attrs.ints("kernel_size"), dilation: ctx.attrs.ints("dilation"),
                                 padding: ctx.attrs.ints("padding"), stride: ctx.attrs.ints("stride"))]
        },
        cost: Rules.elementwiseCost(1),
        samples: [OpSample([SampleInput([2, 12, 9])], [.ints([4, 5]), .ints([2, 3]), .ints([1]), .ints([0]), .ints([1])]),
                  OpSample([SampleInput([1, 8, 15])], [.ints([5, 4]), .ints([2]), .ints([1]), .ints([1]), .ints([2, 1])]),
                  OpSample([SampleInput([0, 12, 9])], [.ints([4, 5]), .ints([2, 3]), .ints([1]), .ints([0]), .ints([1])]),
                  OpSample([SampleInput([1, 4, 1])], [.ints([3, 3]), .ints([2]), .ints([1]), .ints([0]), .ints([50])])],
        placement: [.function, .functional])

    public static let conv2d: OpDef = OpDef(
        name: "conv2d", doc: "2-D cross-correlation of [N,C,H,W] with weight [O,C,kh,kw] plus optional bias (im2col + GEMM).",
        inputs: [InputParam("input"), InputParam("weight"), InputParam("bias", optional: true)],
        attrs: [AttrParam("stride", .ints, default: .ints([1])), AttrParam("padding", .ints, default: .ints([0])),
                AttrParam("dilation", .ints, default: .ints([1]))],
        fusion: .opaque, promotion: .commonAll,
        infer: { metas, attrs in
            let (n, c, h, w) = try image(metas[0], "conv2d")
            let wt = metas[1].shape
            guard wt.count == 4, wt[1] == c else {
                throw TensorError.shape("conv2d: weight \(shapeString(wt)) does not fit input \(shapeString(metas[0].shape)) (expected [out, \(c), kh, kw])")
            }
            if metas.count > 2, metas[2].shape != [wt[0]] {
                throw TensorError.shape("conv2d: bias \(shapeString(metas[2].shape)) should be [\(wt[0])]")
            }
            let win = try convWindow(attrs, kernel: (wt[2], wt[3]))
            let (oh, ow) = try win.output(h, w, op: "conv2d")
            return [TensorMeta(shape: [n, wt[0], oh, ow], dtype: metas[0].dtype)]
        },
        kernel: .compute { args in try ConvKernel.forward(args) },
        reference: { ins, attrs in
            let x = ins[0], wt = ins[1]
            let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
            let o = wt.shape[0], kh = wt.shape[2], kw = wt.shape[3]
            let win = try convWindow(attrs, kernel: (kh, kw))
            let (oh, ow) = try win.output(h, w, op: "conv2d")
            var out: [Double] = []
            for b in 0..<n {
                for oc in 0..<o {
                    for i in 0..<oh {
                        for j in 0..<ow {
                            var acc = ins.count > 2 ? ins[2].data[oc] : 0
                            for ch in 0..<c {
                                for ki in 0..<kh {
                                    for kj in 0..<kw {
                                        let y = i * win.stride.0 - win.padding.0 + ki * win.dilation.0
                                        let xx = j * win.stride.1 - win.padding.1 + kj * win.dilation.1
                                        guard y >= 0 && y < h && xx >= 0 && xx < w else { continue }
                                        acc += x.data[((b * c + ch) * h + y) * w + xx] * wt.data[((oc * c + ch) * kh + ki) * kw + kj]
                                    }
                                }
                            }
                            out.append(acc)
                        }
                    }
                }
            }
            return [RefArray(shape: [n, o, oh, ow], data: out)]
        },
        backward: .rule(saves: .inputs) { ctx in
            let x = try ctx.input(0), w = try ctx.input(1)
            let g = ctx.grad
            let (n, o, oh, ow) = (g.shape[0], g.shape[1], g.shape[2], g.shape[3])
            let kernel = [w.shape[2], w.shape[3]]
            let (stride, padding, dilation) = (try ctx.attrs.ints("stride"), try ctx.attrs.ints("padding"), try ctx.attrs.ints("dilation"))
            let g2 = try g.reshape([n, o, oh * ow])
            let w2 = try w.reshape([o, w.shape[1] * kernel[0] * kernel[1]])
            let gx = ctx.needsGrad[0] ? try w2.mT.matmul(g2).fold(outputSize: [x.shape[2], x.shape[3]], kernelSize: kernel,
                                                                   dilation: dilation, padding: padding, stride: stride) : nil
            let gw = ctx.needsGrad[1] ? try g2.matmul(x.unfold(kernelSize: kernel, dilation: dilation, padding: padding, stride: stride).mT)
                .sum(dims: [0]).reshape(w.shape) : nil
            let gb = ctx.needsGrad.count > 2 && ctx.needsGrad[2] ? try g.sum(dims: [0, 2, 3]) : nil
            return [gx, gw, gb]
        },
        cost: { ins, outs, _ in
            let w = ins[1].shape
            let out = Shape.count(outs[0].shape)
            return Cost(flops: 2 * out * w[1] * w[2] * w[3],
                        bytesRead: ins.reduce(0) { $0 + Shape.count($1.shape) * $1.dtype.itemSize },
                        bytesWritten: out * outs[0].dtype.itemSize)
        },
        samples: [OpSample([SampleInput([2, 3, 6, 5]), SampleInput([4, 3, 3, 2]), SampleInput([4])], [.ints([1]), .ints([1]), .ints([1])]),
                  OpSample([SampleInput([1, 2, 7, 7]), SampleInput([3, 2, 3, 3])], [.ints([2]), .ints([0, 1]), .ints([2])]),
                  OpSample([SampleInput([2, 1, 5, 5]), SampleInput([2, 1, 5, 5]), SampleInput([2])], [.ints([1]), .ints([2]), .ints([1])]),
                  OpSample([SampleInput([0, 3, 6, 5]), SampleInput([4, 3, 3, 2]), SampleInput([4])], [.ints([1]), .ints([1]), .ints([1])]),
                  OpSample([SampleInput([2, 3, 5, 5]), SampleInput([0, 3, 3, 3])], [.ints([1]), .ints([0]), .ints([1])]),
                  // No input channels: every output is its channel's bias.
                  OpSample([SampleInput([2, 0, 4, 4]), SampleInput([3, 0, 3, 3]), SampleInput([3])], [.ints([1]), .ints([1]), .ints([1])]),
                  OpSample([SampleInput([1, 2, 3, 3]), SampleInput([2, 2, 2, 2]), SampleInput([2])], [.ints([4, 5]), .ints([3]), .ints([1])])],
        placement: [.function, .functional])

    /// conv2d's window: its kernel is the weight's last two dims.
    static func convWindow(_ attrs: Attrs, kernel: (Int, Int)) throws -> Window2D {
        try Window2D(attrs, kernel: kernel, op: "conv2d")
    }

    private static let poolAttrs = [AttrParam("kernel_size", .ints), AttrParam("stride", .ints, optional: true, default: AttrValue.none),
                                    AttrParam("padding", .ints, default: .ints([0]))]

    private static func poolInfer(_ op: String) -> @Sendable ([TensorMeta], Attrs) throws -> [TensorMeta] {
        { metas, attrs in
            let (n, c, h, w) = try image(metas[0], op)
            let win = try Window2D(attrs, dilated: false, op: op)
            guard win.padding.0 <= win.kernel.0 / 2, win.padding.1 <= win.kernel.1 / 2 else {
                throw TensorError.value("\(op): padding should be at most half of kernel_size")
            }
            let (oh, ow) = try win.output(h, w, op: op)
            return [TensorMeta(shape: [n, c, oh, ow], dtype: metas[0].dtype)]
        }
    }

    /// Reference pooling: `combine` over the window's in-image values and the count of padded taps.
    private static func poolReference(_ op: String, _ combine: @escaping @Sendable ([Double], Int) -> Double) -> @Sendable ([RefArray], Attrs) throws -> [RefArray] {
        { ins, attrs in
            let x = ins[0]
            let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
            let win = try Window2D(attrs, dilated: false, op: op)
            let (oh, ow) = try win.output(h, w, op: op)
            var out: [Double] = []
            for plane in 0..<(n * c) {
                for i in 0..<oh {
                    for j in 0..<ow {
                        var vals: [Double] = []
                        for ki in 0..<win.kernel.0 {
                            for kj in 0..<win.kernel.1 {
                                let y = i * win.stride.0 - win.padding.0 + ki, xx = j * win.stride.1 - win.padding.1 + kj
                                if y >= 0 && y < h && xx >= 0 && xx < w { vals.append(x.data[(plane * h + y) * w + xx]) }
                            }
                        }
                        out.append(combine(vals, win.kernelCount))
                    }
                }
            }
            return [RefArray(shape: [n, c, oh, ow], data: out)]
        }
    }

    private static let poolSamples = [OpSample([SampleInput([2, 3, 6, 6])], [.ints([2]), .none, .ints([0])]),
                                      OpSample([SampleInput([1, 2, 7, 5])], [.ints([3, 2]), .ints([2, 1]), .ints([1])]),
                                      OpSample([SampleInput([2, 2, 7, 8])], [.ints([2, 3]), .none, .ints([0])]),
                                      OpSample([SampleInput([0, 2, 4, 4])], [.ints([2]), .none, .ints([0])]),
                                      OpSample([SampleInput([2, 0, 5, 5])], [.ints([3]), .ints([1]), .ints([1])]),
                                      // Strides longer than the image, and a window as large as it.
                                      OpSample([SampleInput([1, 2, 5, 4])], [.ints([3, 2]), .ints([100, 100]), .ints([1])]),
                                      OpSample([SampleInput([2, 1, 4, 5])], [.ints([4, 5]), .none, .ints([2])])]

    public static let maxPool2d: OpDef = OpDef(
        name: "max_pool2d", doc: "Maximum over kernel windows of [N,C,H,W] (stride defaults to kernel_size).",
        inputs: [InputParam("input")], attrs: poolAttrs, fusion: .opaque,
        infer: poolInfer("max_pool2d"),
        kernel: .compute { args in try PoolKernel.run(args, max: true) },
        reference: poolReference("max_pool2d") { vals, _ in vals.max() ?? -.infinity },
        backward: .rule(saves: [.inputs, .outputs]) { ctx in
            // Route each output's gradient to the window elements equal to the maximum (shared on ties).
            let x = try ctx.input(0), y = try ctx.output(0)
            let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
            let win = try Window2D(ctx.attrs, dilated: false, op: "max_pool2d")
            let (ph, pw) = win.padding
            let padded = try x.pad([pw, pw, ph, ph], value: -.infinity)
            let kernel = [win.kernel.0, win.kernel.1], stride = [win.stride.0, win.stride.1]
            let l = y.shape[2] * y.shape[3]
            let cols = try padded.unfold(kernelSize: kernel, dilation: [1], padding: [0], stride: stride)
                .reshape([n, c, win.kernelCount, l])
            let mask = try (cols == y.reshape([n, c, 1, l])).to(ctx.grad.dtype)
            // Ties per window from a mean over the K rows of [N*C, 1, K, L]: a pooling kernel reads those
            // rows contiguously, where a sum over the strided dim 2 walks windows one by one.
            let k = win.kernelCount
            let ties = try mask.reshape([n * c, 1, k, l]).avgPool2d(kernelSize: [k, 1]).reshape([n, c, 1, l]) * Double(k)
            let share = try mask / ties
            let gcols = try (share * ctx.grad.reshape([n, c, 1, l])).reshape([n, c * win.kernelCount, l])
            let gpadded = try gcols.fold(outputSize: [h + 2 * ph, w + 2 * pw], kernelSize: kernel, dilation: [1], padding: [0], stride: stride)
            return [try gpadded.slice(dim: 2, start: ph, end: ph + h).slice(dim: 3, start: pw, end: pw + w)]
        },
        cost: Rules.elementwiseCost(1),
        samples: poolSamples,
        placement: [.function, .functional])

    public static let avgPool2d: OpDef = OpDef(
        name: "avg_pool2d", doc: "Mean over kernel windows of [N,C,H,W], padding counted as zeros (stride defaults to kernel_size).",
        inputs: [InputParam("input")], attrs: poolAttrs, fusion: .opaque,
        infer: poolInfer("avg_pool2d"),
        kernel: .compute { args in try PoolKernel.run(args, max: false) },
        reference: poolReference("avg_pool2d") { vals, k in vals.reduce(0, +) / Double(k) },
        backward: .rule(saves: []) { ctx in
            let s = ctx.inputMetas[0].shape
            let win = try Window2D(ctx.attrs, dilated: false, op: "avg_pool2d")
            let g = ctx.grad
            let (n, c, l) = (g.shape[0], g.shape[1], g.shape[2] * g.shape[3])
            let k = win.kernelCount
            let gcols = try (g.reshape([n, c, 1, l]).expand([n, c, k, l]) / Double(k)).reshape([n, c * k, l])
            return [try gcols.fold(outputSize: [s[2], s[3]], kernelSize: [win.kernel.0, win.kernel.1], dilation: [1],
                                   padding: [win.padding.0, win.padding.1], stride: [win.stride.0, win.stride.1])]
        },
        cost: Rules.elementwiseCost(1),
        samples: poolSamples,
        placement: [.function, .functional])
}
