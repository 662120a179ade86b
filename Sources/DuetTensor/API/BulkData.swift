/// Raw element bytes in and out of tensors, for file formats and data generators that move
/// whole arrays: going through `[Double]` would cost a conversion per element.
/// Bytes are the host's, which on every platform Duet supports is little-endian; bool is one byte.
extension Tensor {
    /// A contiguous tensor holding a copy of `bytes` (`count × itemSize` of them). Bool bytes
    /// other than 0 are stored as 1, since any other bit pattern is not a valid Swift `Bool`.
    public convenience init(bytes: UnsafeRawBufferPointer, shape: [Int], dtype: DType) throws {
        try Tensor.checkByteCount(bytes.count, shape: shape, dtype: dtype)
        try self.init(empty: shape, dtype: dtype)
        fill(from: bytes)
    }

    public convenience init(bytes: [UInt8], shape: [Int], dtype: DType) throws {
        try Tensor.checkByteCount(bytes.count, shape: shape, dtype: dtype)
        try self.init(empty: shape, dtype: dtype)
        bytes.withUnsafeBytes { fill(from: $0) }
    }

    private static func checkByteCount(_ byteCount: Int, shape: [Int], dtype: DType) throws {
        let count = try Shape.checkedCount(shape, op: "tensor")
        guard byteCount == count * dtype.itemSize else {
            throw TensorError.shape("tensor: \(byteCount) bytes do not fill shape \(shapeString(shape)) of \(dtype) (\(count * dtype.itemSize) bytes)")
        }
    }

    /// Copies `bytes` (already checked to be the right size) into this new tensor.
    private func fill(from bytes: UnsafeRawBufferPointer) {
        guard let to = rawPointer, let from = bytes.baseAddress, !bytes.isEmpty else { return }
        if dtype == .bool {
            let out = to.assumingMemoryBound(to: UInt8.self)
            for i in 0..<bytes.count { out[i] = bytes[i] == 0 ? 0 : 1 }
        } else {
            to.copyMemory(from: from, byteCount: bytes.count)
        }
    }

    /// Calls `body` with the elements in row-major order, copying first only when this is a
    /// non-contiguous view. The buffer is valid only during the call.
    public func withContiguousBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) throws -> R {
        try EngineContext.checkValuesReadable("bytes")
        guard !isSymbolic else { throw TensorError.value("cannot read the bytes of a symbolic tensor") }
        let source = try contiguousCopyIfNeeded()
        guard let base = source.rawPointer else { throw TensorError.value("cannot read the bytes of a symbolic tensor") }
        return try withExtendedLifetime(source) {
            try body(UnsafeRawBufferPointer(start: base, count: source.count * dtype.itemSize))
        }
    }

    /// The elements in row-major order as raw bytes.
    public func contiguousBytes() throws -> [UInt8] { try withContiguousBytes { Array($0) } }
}
