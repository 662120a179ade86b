/// Moving values between Swift arrays and tensors.
extension Tensor {
    /// A tensor from row-major values, converted to `dtype`.
    public convenience init(_ values: [Double], shape: [Int], dtype: DType = .float32) throws {
        let count = try Shape.checkedCount(shape, op: "tensor")
        guard values.count == count else {
            throw TensorError.shape("tensor: \(values.count) values do not fill shape \(shapeString(shape)) (\(count) elements)")
        }
        try self.init(empty: shape, dtype: dtype)
        guard let base = rawPointer else { return }
        switch dtype {
        case .bool: values.enumerated().forEach { base.storeBytes(of: $1 != 0, toByteOffset: $0, as: Bool.self) }
        case .int64: values.enumerated().forEach { base.storeBytes(of: Int64(duetDouble: $1), toByteOffset: $0 * 8, as: Int64.self) }
        case .float16: values.enumerated().forEach { base.storeBytes(of: Float16(duetDouble: $1), toByteOffset: $0 * 2, as: Float16.self) }
        case .bfloat16: values.enumerated().forEach { base.storeBytes(of: BFloat16(duetDouble: $1), toByteOffset: $0 * 2, as: BFloat16.self) }
        case .float32: values.enumerated().forEach { base.storeBytes(of: Float($1), toByteOffset: $0 * 4, as: Float.self) }
        case .float64: values.enumerated().forEach { base.storeBytes(of: $1, toByteOffset: $0 * 8, as: Double.self) }
        }
    }

    public convenience init(_ values: [Float]) throws { try self.init(values.map(Double.init), shape: [values.count]) }
    public convenience init(_ values: [[Float]]) throws {
        let cols = values.first?.count ?? 0
        guard values.allSatisfy({ $0.count == cols }) else { throw TensorError.shape("tensor: rows have different lengths") }
        try self.init(values.flatMap { $0.map(Double.init) }, shape: [values.count, cols])
    }

    /// A Python number as a 0-dim tensor that promotes like one (`x * 2.0` keeps x's float dtype).
    public static func scalar(_ v: Double) -> Tensor { wrapped(v, .float64) }
    public static func scalar(_ v: Int) -> Tensor { wrapped(Double(v), .int64) }
    public static func scalar(_ v: Bool) -> Tensor { wrapped(v ? 1 : 0, .bool) }

    private static func wrapped(_ v: Double, _ dtype: DType) -> Tensor {
        // A 0-dim tensor of one element cannot exceed memory; fall back to a symbolic tensor only if
        // allocation itself failed, which the first op on it then reports.
        let t = (try? Tensor([v], shape: [], dtype: dtype)) ?? Tensor.symbolic(shape: [], dtype: dtype)
        t.isWrappedNumber = true
        return t
    }

    /// The elements in row-major order as `T` (which must match the dtype).
    func scalars<T: DuetScalar>(_: T.Type) throws -> [T] {
        guard T.dtype == dtype else { throw TensorError.dtype("expected a \(T.dtype) tensor, got \(dtype)") }
        try EngineContext.checkValuesReadable("reading values")
        guard let base = rawPointer else { throw TensorError.value("cannot read the values of a symbolic tensor") }
        let p = base.assumingMemoryBound(to: T.self)
        var out: [T] = []
        out.reserveCapacity(count)
        forEachOffsets(shape: shape, strides: [strides]) { o in out.append(p[o[0]]) }
        return out
    }

    /// The elements in row-major order, converted to Double (tests, printing, references).
    public func toDoubles() throws -> [Double] {
        switch dtype {
        case .bool: try scalars(Bool.self).map(\.duetDouble)
        case .int64: try scalars(Int64.self).map(\.duetDouble)
        case .float16: try scalars(Float16.self).map(\.duetDouble)
        case .bfloat16: try scalars(BFloat16.self).map(\.duetDouble)
        case .float32: try scalars(Float.self).map(\.duetDouble)
        case .float64: try scalars(Double.self)
        }
    }

    public func toRefArray() throws -> RefArray { RefArray(shape: shape, data: try toDoubles()) }

    /// The value of a one-element tensor.
    public func item() throws -> Double {
        try EngineContext.checkValuesReadable("item()")
        guard count == 1 else {
            throw TensorError.value("item: a tensor with \(count) elements cannot be converted to a scalar")
        }
        return try toDoubles()[0]
    }
}
