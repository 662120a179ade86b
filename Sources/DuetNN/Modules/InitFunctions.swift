import Foundation
import DuetTensor

/// torch.nn.init: fills a tensor in place without recording a gradient and returns it. Fans and
/// gains follow PyTorch: fan_in = size(1)·receptive field, fan_out = size(0)·receptive field.
extension Init {
    /// The recommended gain for a nonlinearity (`param` is leaky_relu's negative slope).
    public static func calculateGain(_ nonlinearity: String, param: Double? = nil) throws -> Double {
        switch nonlinearity {
        case "linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d", "sigmoid": return 1
        case "tanh": return 5.0 / 3
        case "relu": return 2.0.squareRoot()
        case "leaky_relu":
            let slope = param ?? 0.01
            return (2 / (1 + slope * slope)).squareRoot()
        case "selu": return 3.0 / 4
        default: throw TensorError.value("Unsupported nonlinearity \(nonlinearity)")
        }
    }

    public static func fans(_ shape: [Int]) throws -> (fanIn: Int, fanOut: Int) {
        guard shape.count >= 2 else { throw TensorError.value("Fan in and fan out can not be computed for tensor with fewer than 2 dimensions") }
        let receptive = shape.dropFirst(2).reduce(1, *)
        return (shape[1] * receptive, shape[0] * receptive)
    }

    /// Writes `values` (same shape, any dtype) into `tensor` outside autograd.
    @discardableResult
    static func write(_ tensor: Tensor, _ values: Tensor) throws -> Tensor {
        try withNoGrad { try tensor.copy_(values) }
        return tensor
    }

    private static func floatType(_ t: Tensor) -> DType { t.dtype.isFloatingPoint ? t.dtype : .float32 }

    @discardableResult
    public static func constant_(_ t: Tensor, _ value: Double) throws -> Tensor { try write(t, .scalar(value)) }

    @discardableResult
    public static func eye_(_ t: Tensor) throws -> Tensor {
        guard t.rank == 2 else { throw TensorError.value("Only tensors with 2 dimensions are supported") }
        return try write(t, try Tensor.eye(t.shape[0], t.shape[1], dtype: t.dtype))
    }

    @discardableResult
    public static func uniform_(_ t: Tensor, low: Double = 0, high: Double = 1) throws -> Tensor {
        try write(t, try Tensor.rand(t.shape, low: low, high: high, dtype: floatType(t)))
    }

    @discardableResult
    public static func normal_(_ t: Tensor, mean: Double = 0, std: Double = 1) throws -> Tensor {
        try write(t, try Tensor.randn(t.shape, mean: mean, std: std, dtype: floatType(t)))
    }

    @discardableResult
    public static func xavierUniform_(_ t: Tensor, gain: Double = 1) throws -> Tensor {
        let f = try fans(t.shape)
        let bound = 3.0.squareRoot() * gain * (2 / Double(f.fanIn + f.fanOut)).squareRoot()
        return try uniform_(t, low: -bound, high: bound)
    }

    @discardableResult
    public static func xavierNormal_(_ t: Tensor, gain: Double = 1) throws -> Tensor {
        let f = try fans(t.shape)
        return try normal_(t, std: gain * (2 / Double(f.fanIn + f.fanOut)).squareRoot())
    }

    /// gain / √fan for kaiming_*: `mode` is "fan_in" or "fan_out", `a` the leaky_relu slope.
    public static func kaimingStd(_ shape: [Int], a: Double, mode: String, nonlinearity: String) throws -> Double {
        let f = try fans(shape)
        let fan: Int
        switch mode {
        case "fan_in": fan = f.fanIn
        case "fan_out": fan = f.fanOut
        default: throw TensorError.value("Mode \(mode) not supported, please use one of fan_in, fan_out")
        }
        return try calculateGain(nonlinearity, param: a) / Double(fan).squareRoot()
    }

    /// Zero-element tensors are left as they are (PyTorch warns that this is a no-op).
    @discardableResult
    public static func kaimingUniform_(_ t: Tensor, a: Double = 0, mode: String = "fan_in", nonlinearity: String = "leaky_relu") throws -> Tensor {
        let bound = 3.0.squareRoot() * (try kaimingStd(t.shape, a: a, mode: mode, nonlinearity: nonlinearity))
        return t.count == 0 ? t : try uniform_(t, low: -bound, high: bound)
    }

    @discardableResult
    public static func kaimingNormal_(_ t: Tensor, a: Double = 0, mode: String = "fan_in", nonlinearity: String = "leaky_relu") throws -> Tensor {
        let std = try kaimingStd(t.shape, a: a, mode: mode, nonlinearity: nonlinearity)
        return t.count == 0 ? t : try normal_(t, std: std)
    }

    /// N(mean, std²) truncated to [a, b], by PyTorch's method: a uniform draw between the bounds'
    /// normal CDFs mapped back through the inverse CDF, then clamped.
    @discardableResult
    public static func truncNormal_(_ t: Tensor, mean: Double = 0, std: Double = 1, a: Double = -2, b: Double = 2) throws -> Tensor {
        func cdf(_ x: Double) -> Double { (1 + Foundation.erf(x / 2.0.squareRoot())) / 2 }
        let low = cdf((a - mean) / std), high = cdf((b - mean) / std)
        let u = try Tensor.rand(t.shape, low: 2 * low - 1, high: 2 * high - 1, dtype: .float64).toDoubles()
        let values = u.map { Swift.min(Swift.max(inverseErf($0) * std * 2.0.squareRoot() + mean, a), b) }
        return try write(t, try Tensor(values, shape: t.shape, dtype: .float64))
    }

    /// erf⁻¹ by Giles' single-precision approximation refined with two Newton steps.
    static func inverseErf(_ y: Double) -> Double {
        guard y > -1 else { return -.infinity }
        guard y < 1 else { return .infinity }
        let w = -Foundation.log((1 - y) * (1 + y))
        var x: Double
        if w < 5 {
            let v = w - 2.5
            x = [2.81022636e-08, 3.43273939e-07, -3.5233877e-06, -4.39150654e-06, 0.00021858087, -0.00125372503,
                 -0.00417768164, 0.246640727, 1.50140941].reduce(0) { $0 * v + $1 } * y
        } else {
            let v = w.squareRoot() - 3
            x = [-0.000200214257, 0.000100950558, 0.00134934322, -0.00367342844, 0.00573950773, -0.0076224613,
                 0.00943887047, 1.00167406, 2.83297682].reduce(0) { $0 * v + $1 } * y
        }
        for _ in 0..<2 { x -= (Foundation.erf(x) - y) / (2 / Double.pi.squareRoot() * Foundation.exp(-x * x)) }
        return x
    }

    /// A (semi-)orthogonal matrix over [size(0), rest]: modified Gram–Schmidt of a normal draw, the
    /// QR route PyTorch takes (R's diagonal comes out positive, so no sign fix is needed).
    @discardableResult
    public static func orthogonal_(_ t: Tensor, gain: Double = 1) throws -> Tensor {
        guard t.rank >= 2 else { throw TensorError.value("Only tensors with 2 or more dimensions are supported") }
        guard t.count > 0 else { return t }
        let rows = t.shape[0], cols = t.count / rows
        // Orthonormalize the longer side's vectors: columns of [max, min].
        let (m, n) = (Swift.max(rows, cols), Swift.min(rows, cols))
        var a = try Tensor.randn([m, n], dtype: .float64).toDoubles()
        for j in 0..<n {
            for k in 0..<j {
                var dot = 0.0
                for i in 0..<m { dot += a[i * n + j] * a[i * n + k] }
                for i in 0..<m { a[i * n + j] -= dot * a[i * n + k] }
            }
            var norm = 0.0
            for i in 0..<m { norm += a[i * n + j] * a[i * n + j] }
            norm = norm.squareRoot()
            for i in 0..<m { a[i * n + j] = norm > 0 ? a[i * n + j] / norm : 0 }
        }
        var q = try Tensor(a.map { $0 * gain }, shape: [m, n], dtype: .float64)
        if rows < cols { q = try q.mT }
        return try write(t, try q.reshape(t.shape))
    }
}
