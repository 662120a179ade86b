/// Window geometry of a 2-D convolution or pooling: kernel, stride, padding and dilation, with
/// the output size they give for an input size.
public struct Window2D: Sendable {
    public let kernel: (Int, Int)
    public let stride: (Int, Int)
    public let padding: (Int, Int)
    public let dilation: (Int, Int)
    /// kernel.0 × kernel.1, checked once here so no user of the window multiplies them again.
    public let kernelCount: Int

    /// Reads the window from the attrs by name: `kernel_size` (unless the kernel comes from a
    /// weight's shape), `dilation` (for ops that declare one), `padding` and `stride`. A missing or
    /// empty stride means the kernel size (pooling's default); no dilation means 1.
    init(_ attrs: Attrs, kernel given: (Int, Int)? = nil, dilated: Bool = true, op: String) throws {
        func pair(_ v: [Int]?, _ name: String, fallback: (Int, Int)?) throws -> (Int, Int) {
            let v = v ?? []
            if v.isEmpty, let fallback { return fallback }
            switch v.count {
            case 1: return (v[0], v[0])
            case 2: return (v[0], v[1])
            default: throw TensorError.value("\(op): \(name) must be one int or two, got \(shapeString(v))")
            }
        }
        let kernel = try given ?? pair(attrs.ints("kernel_size"), "kernel_size", fallback: nil)
        self.kernel = kernel
        dilation = dilated ? try pair(attrs.ints("dilation"), "dilation", fallback: (1, 1)) : (1, 1)
        padding = try pair(attrs.ints("padding"), "padding", fallback: (0, 0))
        stride = try pair(attrs.optionalInts("stride"), "stride", fallback: kernel)
        // The output-size formula divides by the stride and spans (k-1)·d: PyTorch's own checks.
        for (name, v) in [("kernel_size", kernel), ("stride", stride), ("dilation", dilation)] where v.0 <= 0 || v.1 <= 0 {
            throw TensorError.value("\(op): \(name) must be greater than zero, but got \(v.0)×\(v.1)")
        }
        guard padding.0 >= 0, padding.1 >= 0 else {
            throw TensorError.value("\(op): padding must be at least zero, but got \(padding.0)×\(padding.1)")
        }
        kernelCount = try Shape.checkedProduct([kernel.0, kernel.1], op: op)
    }

    /// Output height and width for an input of `h`×`w`, or an error naming the op when nothing fits.
    func output(_ h: Int, _ w: Int, op: String) throws -> (Int, Int) {
        let oh = try Shape.windowCount(size: h, kernel: kernel.0, stride: stride.0, padding: padding.0, dilation: dilation.0, op: op)
        let ow = try Shape.windowCount(size: w, kernel: kernel.1, stride: stride.1, padding: padding.1, dilation: dilation.1, op: op)
        guard oh > 0, ow > 0 else {
            throw TensorError.shape("\(op): input \(h)×\(w) is too small for kernel \(kernel.0)×\(kernel.1) (dilation \(dilation.0)×\(dilation.1), padding \(padding.0)×\(padding.1))")
        }
        return (oh, ow)
    }

    /// Elements of one input plane zero-padded on every side, refused above the engine's limit:
    /// with a large padding and a large stride the output can be small while this plane is not.
    func paddedPlane(_ h: Int, _ w: Int, op: String) throws -> (height: Int, width: Int) {
        let hp = try Shape.checkedSum([h, padding.0, padding.0], op: op)
        let wp = try Shape.checkedSum([w, padding.1, padding.1], op: op)
        _ = try EngineContext.current.checkedElementCount([hp, wp], dtype: .float64, op: op)
        return (hp, wp)
    }
}

/// im2col and its adjoint over (image, channel) planes in parallel; each plane reads and writes only
/// its own memory. A plane goes through a zero-padded copy (unfold) or accumulator (fold) of
/// (h + 2ph) × (w + 2pw), so every tap row is a plain run with no bounds tests: per-element
/// window checks cost several times the copy itself.
enum Im2Col {
    /// Where unfold writes tap `tap` of channel `ch` of image `b`: `b*image + ch*channel + tap*tapRow`
    /// elements from the start, followed by its L positions.
    struct ColumnLayout {
        var image: Int, channel: Int, tapRow: Int

        /// The [N, C*K, L] layout of the unfold op.
        static func perImage(c: Int, k: Int, l: Int) -> ColumnLayout { ColumnLayout(image: c * k * l, channel: k * l, tapRow: l) }
        /// [C*K, N*L]: the whole batch as one GEMM operand.
        static func batch(n: Int, k: Int, l: Int) -> ColumnLayout { ColumnLayout(image: l, channel: k * n * l, tapRow: n * l) }
    }

    /// cols[b, c*K + tap, position] = x[b, c, window tap at position] (0 outside the image).
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    static func unfold<T: BinaryFloatingPoint & SIMDScalar>(_ x: UnsafePointer<T>, _ cols: UnsafeMutablePointer<T>, n: Int, c: Int, h: Int, w: Int,
                                                            window: Window2D, oh: Int, ow: Int, layout: ColumnLayout? = nil, op: String) throws {
        let k = window.kernelCount, l = oh * ow
        let layout = layout ?? .perImage(c: c, k: k, l: l)
        let (ph, pw) = window.padding
        let (hp, wp) = try window.paddedPlane(h, w, op: op)
        let paddedCount = hp * wp
        // A stride is only taken between output rows: with one row it may be any size.
        let step = (oh > 1 ? window.stride.0 : 0) * wp, sw = window.stride.1
        Parallel.forEachChunk(count: n * c, grain: Swift.max(1, StridedLoop.parallelThreshold / 2 / Swift.max(k * l, 1))) { planes in
            let padded = UnsafeMutablePointer<T>.allocate(capacity: paddedCount)
            defer { padded.deallocate() }
            padded.initialize(repeating: 0, count: paddedCount)
            for plane in planes {
                let (b, ch) = plane.quotientAndRemainder(dividingBy: c)
                let src = x + plane * h * w, base = cols + b * layout.image + ch * layout.channel
                for i in 0..<h { (padded + (i + ph) * wp + pw).update(from: src + i * w, count: w) }
                for ki in 0..<window.kernel.0 {
                    for kj in 0..<window.kernel.1 {
                        var s = UnsafePointer(padded + ki * window.dilation.0 * wp + kj * window.dilation.1)
                        var out = base + (ki * window.kernel.1 + kj) * layout.tapRow
                        for _ in 0..<oh {
                            if sw == 1 { copyRun(s, out, ow) } else { for j in 0..<ow { out[j] = s[j &* sw] } }
                            s += step
                            out += ow
                        }
                    }
                }
            }
        }
    }

    /// The adjoint of unfold: every column entry is added back to the pixel it came from, taps in
    /// order, so each pixel's sum rounds the same as a per-element walk.
    @_specialize(where T == Float)
    @_specialize(where T == Double)
    static func fold<T: BinaryFloatingPoint & SIMDScalar>(_ cols: UnsafePointer<T>, _ x: UnsafeMutablePointer<T>, n: Int, c: Int, h: Int, w: Int,
                                                          window: Window2D, oh: Int, ow: Int) throws {
        let k = window.kernelCount, l = oh * ow
        let (ph, pw) = window.padding
        let (hp, wp) = try window.paddedPlane(h, w, op: "fold")
        let paddedCount = hp * wp
        let step = (oh > 1 ? window.stride.0 : 0) * wp, sw = window.stride.1
        Parallel.forEachChunk(count: n * c, grain: Swift.max(1, StridedLoop.parallelThreshold / 2 / Swift.max(k * l, h * w, 1))) { planes in
            let padded = UnsafeMutablePointer<T>.allocate(capacity: paddedCount)
            defer { padded.deallocate() }
            for plane in planes {
                let src = cols + plane * k * l
                padded.update(repeating: 0, count: paddedCount)
                for ki in 0..<window.kernel.0 {
                    for kj in 0..<window.kernel.1 {
                        var d = padded + ki * window.dilation.0 * wp + kj * window.dilation.1
                        var s = src + (ki * window.kernel.1 + kj) * l
                        for _ in 0..<oh {
                            if sw == 1 { addRun(s, d, ow) } else { for j in 0..<ow { d[j &* sw] += s[j] } }
                            s += ow
                            d += step
                        }
                    }
                }
                let dst = x + plane * h * w
                for i in 0..<h { (dst + i * w).update(from: padded + (i + ph) * wp + pw, count: w) }
            }
        }
    }

    /// d[0..<count] = s[0..<count]: whole 8-lane vectors, then one overlapping last vector.
    @inline(__always)
    private static func copyRun<T: BinaryFloatingPoint & SIMDScalar>(_ s: UnsafePointer<T>, _ d: UnsafeMutablePointer<T>, _ count: Int) {
        typealias Lanes = SIMD8<T>
        guard count >= Lanes.scalarCount else {
            for j in 0..<count { d[j] = s[j] }
            return
        }
        var j = 0
        while j &+ Lanes.scalarCount <= count {
            UnsafeMutableRawPointer(d + j).storeBytes(of: UnsafeRawPointer(s + j).loadUnaligned(as: Lanes.self), as: Lanes.self)
            j &+= Lanes.scalarCount
        }
        if j < count {
            let t = count &- Lanes.scalarCount
            UnsafeMutableRawPointer(d + t).storeBytes(of: UnsafeRawPointer(s + t).loadUnaligned(as: Lanes.self), as: Lanes.self)
        }
    }

    /// d[0..<count] += s[0..<count], 8 lanes at a time.
    @inline(__always)
    private static func addRun<T: BinaryFloatingPoint & SIMDScalar>(_ s: UnsafePointer<T>, _ d: UnsafeMutablePointer<T>, _ count: Int) {
        typealias Lanes = SIMD8<T>
        var j = 0
        while j &+ Lanes.scalarCount <= count {
            let sum = UnsafeRawPointer(d + j).loadUnaligned(as: Lanes.self) + UnsafeRawPointer(s + j).loadUnaligned(as: Lanes.self)
            UnsafeMutableRawPointer(d + j).storeBytes(of: sum, as: Lanes.self)
            j &+= Lanes.scalarCount
        }
        while j < count {
            d[j] += s[j]
            j &+= 1
        }
    }
}
