/// Visits every position of `shape`, passing each operand's element offset (from its strides).
/// The slow, general walk used by gather/scatter-style kernels that index one operand by another.
@inline(__always)
func forEachOffsets(shape: [Int], strides: [[Int]], _ body: ([Int]) throws -> Void) rethrows {
    let total = Shape.count(shape)
    if total == 0 { return }
    var offsets = [Int](repeating: 0, count: strides.count)
    var index = [Int](repeating: 0, count: shape.count)
    for _ in 0..<total {
        try body(offsets)
        var d = shape.count - 1
        while d >= 0 {
            index[d] += 1
            for k in offsets.indices { offsets[k] += strides[k][d] }
            if index[d] < shape[d] { break }
            for k in offsets.indices { offsets[k] -= strides[k][d] * shape[d] }
            index[d] = 0
            d -= 1
        }
    }
}

/// Copies one element of `size` bytes (1, 4 or 8).
@inline(__always)
func moveElement(_ dst: UnsafeMutableRawPointer, _ src: UnsafeRawPointer, _ size: Int) {
    switch size {
    case 8: dst.storeBytes(of: src.load(as: UInt64.self), as: UInt64.self)
    case 4: dst.storeBytes(of: src.load(as: UInt32.self), as: UInt32.self)
    case 2: dst.storeBytes(of: src.load(as: UInt16.self), as: UInt16.self)
    default: dst.storeBytes(of: src.load(as: UInt8.self), as: UInt8.self)
    }
}

/// Adds `src` into `dst` (same dtype) at one position each: the accumulate step of scatter_add/index_add.
@inline(__always)
func accumulateElement(_ dst: UnsafeMutableRawPointer, _ src: UnsafeRawPointer, _ dtype: DType) {
    switch dtype {
    case .float32: dst.storeBytes(of: dst.load(as: Float.self) + src.load(as: Float.self), as: Float.self)
    case .float64: dst.storeBytes(of: dst.load(as: Double.self) + src.load(as: Double.self), as: Double.self)
    case .int64: dst.storeBytes(of: dst.load(as: Int64.self) &+ src.load(as: Int64.self), as: Int64.self)
    case .bool: dst.storeBytes(of: dst.load(as: Bool.self) || src.load(as: Bool.self), as: Bool.self)
    case .float16: dst.storeBytes(of: Float16(Float(dst.load(as: Float16.self)) + Float(src.load(as: Float16.self))), as: Float16.self)
    case .bfloat16: dst.storeBytes(of: BFloat16(dst.load(as: BFloat16.self).float + src.load(as: BFloat16.self).float), as: BFloat16.self)
    }
}

extension Kernels {
    /// Writes `value` into every element of `t` (any strides).
    static func fill(_ t: Tensor, _ value: Double) {
        switch t.dtype {
        case .bool: fillTyped(t, value != 0)
        case .int64: fillTyped(t, Int64(duetDouble: value))
        case .float32: fillTyped(t, Float(value))
        case .float64: fillTyped(t, value)
        case .float16: fillTyped(t, Float16(duetDouble: value))
        case .bfloat16: fillTyped(t, BFloat16(duetDouble: value))
        }
    }

    private static func fillTyped<T>(_ t: Tensor, _ v: T) {
        guard let base = t.rawPointer else { return }
        if t.isContiguous {
            base.assumingMemoryBound(to: T.self).initialize(repeating: v, count: t.count)
            return
        }
        let p = base.assumingMemoryBound(to: T.self)
        forEachOffsets(shape: t.shape, strides: [t.strides]) { o in p[o[0]] = v }
    }

    /// Reads an index element as Int and checks it against `size` (no negative indices, as in PyTorch's
    /// gather and index_select).
    @inline(__always)
    static func checkedIndex(_ raw: Int64, size: Int, op: String, dim: Int) throws -> Int {
        let i = Int(raw)
        guard i >= 0 && i < size else {
            throw TensorError.index("\(op): index \(i) is out of bounds for dim \(dim) with size \(size)")
        }
        return i
    }

    /// A view of `t` narrowed to `start..<start+count` along `dim` (used to write into part of an output).
    static func narrow(_ t: Tensor, dim: Int, start: Int, count: Int) -> Tensor {
        var shape = t.shape
        shape[dim] = count
        return t.view(shape: shape, strides: t.strides, offset: t.offset + start * t.strides[dim])
    }
}

extension StridedLoop {
    /// dst += src elementwise (same dtype, src broadcast to dst): the accumulate step of index_add.
    static func addInto(_ dst: Tensor, _ src: Tensor) throws {
        let loop: (Row) -> Void
        switch dst.dtype {
        case .float32: loop = { map2($0) { (a: Float, b: Float) in a + b } }
        case .float64: loop = { map2($0) { (a: Double, b: Double) in a + b } }
        case .int64: loop = { map2($0) { (a: Int64, b: Int64) in a &+ b } }
        case .bool: loop = { map2($0) { (a: Bool, b: Bool) in a || b } }
        case .float16, .bfloat16: throw TensorError.halfPrecisionKernel("index_add")
        }
        _ = try Shape.broadcast(src.shape, dst.shape, op: "index_add")
        run(out: dst, inputs: [dst, src], loop)
    }
}
