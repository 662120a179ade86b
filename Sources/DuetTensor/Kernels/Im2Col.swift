/// Window geometry of a 2-D convolution or pooling: kernel, stride, padding and dilation, with
/// the output size they give for an input size.
public struct Window2D: Sendable {
    public var kernel: (Int, Int)
    public var stride: (Int, Int)
    public var padding: (Int, Int)
    public var dilation: (Int, Int)

    /// Reads the window from the attrs at the given positions; a missing stride means the kernel size
    /// (pooling's default), a missing dilation or padding means 1 or 0.
    init(_ attrs: Attrs, kernelAt k: Int, dilationAt d: Int?, paddingAt p: Int, strideAt s: Int, op: String) throws {
        func pair(_ i: Int?, _ name: String, fallback: (Int, Int)?) throws -> (Int, Int) {
            guard let i else { return fallback ?? (1, 1) }
            let v = attrs.optionalInts(i) ?? []
            if v.isEmpty, let fallback { return fallback }
            switch v.count {
            case 1: return (v[0], v[0])
            case 2: return (v[0], v[1])
            default: throw TensorError.value("\(op): \(name) must be one int or two, got \(shapeString(v))")
            }
        }
        kernel = try pair(k, "kernel_size", fallback: nil)
        dilation = try pair(d, "dilation", fallback: (1, 1))
        padding = try pair(p, "padding", fallback: (0, 0))
        stride = try pair(s, "stride", fallback: kernel)
        guard kernel.0 > 0, kernel.1 > 0, stride.0 > 0, stride.1 > 0, dilation.0 > 0, dilation.1 > 0,
              padding.0 >= 0, padding.1 >= 0 else {
            throw TensorError.value("\(op): kernel_size, stride and dilation must be positive and padding non-negative")
        }
    }

    public var kernelCount: Int { kernel.0 * kernel.1 }

    /// Output height and width for an input of `h`×`w`, or an error naming the op when nothing fits.
    func output(_ h: Int, _ w: Int, op: String) throws -> (Int, Int) {
        let oh = (h + 2 * padding.0 - dilation.0 * (kernel.0 - 1) - 1) / stride.0 + 1
        let ow = (w + 2 * padding.1 - dilation.1 * (kernel.1 - 1) - 1) / stride.1 + 1
        guard oh > 0, ow > 0, h + 2 * padding.0 >= dilation.0 * (kernel.0 - 1) + 1, w + 2 * padding.1 >= dilation.1 * (kernel.1 - 1) + 1 else {
            throw TensorError.shape("\(op): input \(h)×\(w) is too small for kernel \(kernel.0)×\(kernel.1) (dilation \(dilation.0)×\(dilation.1), padding \(padding.0)×\(padding.1))")
        }
        return (oh, ow)
    }

    /// Calls `body(row, col, inputIndexOrNil)` for every (channel-local kernel offset, output position):
    /// the im2col walk shared by unfold, fold and the pooling kernels.
    @inline(__always)
    func forEachTap(h: Int, w: Int, oh: Int, ow: Int, _ body: (_ tap: Int, _ position: Int, _ input: Int?) -> Void) {
        for ki in 0..<kernel.0 {
            for kj in 0..<kernel.1 {
                let tap = ki * kernel.1 + kj
                for oi in 0..<oh {
                    let y = oi * stride.0 - padding.0 + ki * dilation.0
                    for oj in 0..<ow {
                        let x = oj * stride.1 - padding.1 + kj * dilation.1
                        let inside = y >= 0 && y < h && x >= 0 && x < w
                        body(tap, oi * ow + oj, inside ? y * w + x : nil)
                    }
                }
            }
        }
    }
}

enum Im2Col {
    /// cols[n, c*K + tap, position] = x[n, c, window tap at position] (0 outside the image).
    static func unfold<T: DuetScalar>(_ x: UnsafePointer<T>, _ cols: UnsafeMutablePointer<T>, n: Int, c: Int, h: Int, w: Int,
                                      window: Window2D, oh: Int, ow: Int) {
        let k = window.kernelCount, l = oh * ow
        for b in 0..<n {
            for ch in 0..<c {
                let src = x + (b * c + ch) * h * w
                let dst = cols + (b * c + ch) * k * l
                window.forEachTap(h: h, w: w, oh: oh, ow: ow) { tap, p, i in
                    dst[tap * l + p] = i.map { src[$0] } ?? T(duetDouble: 0)
                }
            }
        }
    }

    /// The adjoint of unfold: every column entry is added back to the pixel it came from.
    static func fold<T: DuetScalar & AdditiveArithmetic>(_ cols: UnsafePointer<T>, _ x: UnsafeMutablePointer<T>, n: Int, c: Int, h: Int, w: Int,
                                                        window: Window2D, oh: Int, ow: Int) {
        let k = window.kernelCount, l = oh * ow
        x.initialize(repeating: .zero, count: n * c * h * w)
        for b in 0..<n {
            for ch in 0..<c {
                let dst = x + (b * c + ch) * h * w
                let src = cols + (b * c + ch) * k * l
                window.forEachTap(h: h, w: w, oh: oh, ow: ow) { tap, p, i in
                    if let i { dst[i] += src[tap * l + p] }
                }
            }
        }
    }
}
