/// Tensors made from nothing: constants, ranges, identity.
extension Tensor {
    public static func full(_ shape: [Int], _ value: Double, dtype: DType = .float32) throws -> Tensor {
        let t = try Tensor(empty: shape, dtype: dtype)
        Kernels.fill(t, value)
        return t
    }

    public static func zeros(_ shape: [Int], dtype: DType = .float32) throws -> Tensor { try full(shape, 0, dtype: dtype) }
    public static func ones(_ shape: [Int], dtype: DType = .float32) throws -> Tensor { try full(shape, 1, dtype: dtype) }
    public static func zerosLike(_ t: Tensor) throws -> Tensor { try zeros(t.shape, dtype: t.dtype) }
    public static func onesLike(_ t: Tensor) throws -> Tensor { try ones(t.shape, dtype: t.dtype) }
    public static func fullLike(_ t: Tensor, _ value: Double) throws -> Tensor { try full(t.shape, value, dtype: t.dtype) }

    /// Values start, start+step, … below end (PyTorch's arange; int64 when all arguments are integral).
    public static func arange(_ start: Double, _ end: Double, step: Double = 1, dtype: DType? = nil) throws -> Tensor {
        guard step != 0, step.isFinite, start.isFinite, end.isFinite else {
            throw TensorError.value("arange: step must be nonzero and bounds finite (start \(start), end \(end), step \(step))")
        }
        let steps = ((end - start) / step).rounded(.up)
        let limit = EngineContext.current.maxElements
        guard steps <= Double(limit) else {
            throw TensorError.memory("arange: \(steps) elements (start \(start), end \(end), step \(step)) is more than the limit of \(limit)")
        }
        let n = Swift.max(0, Int(steps))
        let integral = [start, end, step].allSatisfy { $0 == $0.rounded() }
        return try Tensor((0..<n).map { start + Double($0) * step }, shape: [n], dtype: dtype ?? (integral ? .int64 : .float32))
    }

    public static func arange(_ end: Double, dtype: DType? = nil) throws -> Tensor { try arange(0, end, dtype: dtype) }

    /// `steps` evenly spaced values from start to end inclusive.
    public static func linspace(_ start: Double, _ end: Double, steps: Int, dtype: DType = .float32) throws -> Tensor {
        guard steps >= 0 else { throw TensorError.value("linspace: number of steps must be non-negative, got \(steps)") }
        _ = try EngineContext.current.checkedElementCount([steps], dtype: dtype, op: "linspace")
        let values = (0..<steps).map { steps == 1 ? start : start + (end - start) * Double($0) / Double(steps - 1) }
        return try Tensor(values, shape: [steps], dtype: dtype)
    }

    /// The n×m identity (m defaults to n).
    public static func eye(_ n: Int, _ m: Int? = nil, dtype: DType = .float32) throws -> Tensor {
        let cols = m ?? n
        let t = try zeros([n, cols], dtype: dtype)
        var values = [Double](repeating: 0, count: n * Swift.max(cols, 0))
        for i in 0..<Swift.min(n, cols) { values[i * cols + i] = 1 }
        return n * cols == 0 ? t : try Tensor(values, shape: [n, cols], dtype: dtype)
    }
}
