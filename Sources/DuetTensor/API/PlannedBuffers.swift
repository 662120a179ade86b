/// What the graph executor needs to run registry kernels outside the dispatcher: buffers it
/// allocates once per plan, value copies without tape or dispatch, and version bumps for the
/// in-place writes it makes, so eager code that saved those tensors still notices them.
extension Tensor {
    /// An uninitialized contiguous tensor.
    public static func uninitialized(_ shape: [Int], dtype: DType) throws -> Tensor {
        try Tensor(empty: shape, dtype: dtype)
    }

    /// Writes `src` (broadcast and cast to this tensor) into this tensor's elements.
    public func assignValues(from src: Tensor) throws {
        try Kernels.copy(from: src, into: self)
        storage.bumpVersion()
    }

    /// Records that this tensor's storage was written by a kernel run outside the dispatcher.
    public func markWritten() { storage.bumpVersion() }
}

extension Tensor {
    /// A contiguous tensor of `shape` and `dtype` at `byteOffset` in this tensor's storage: how the
    /// executor places values in one arena, sharing bytes between values that are not alive together.
    public func reinterpreted(_ shape: [Int], dtype: DType, byteOffset: Int) throws -> Tensor {
        let bytes = try Shape.checkedProduct([Shape.checkedCount(shape, op: "reinterpreted"), dtype.itemSize], op: "reinterpreted")
        guard !storage.isSymbolic, byteOffset >= 0, byteOffset % dtype.itemSize == 0, byteOffset <= storage.byteCount - bytes else {
            throw TensorError.value("an arena of \(storage.byteCount) bytes cannot hold \(dtype)\(shapeString(shape)) at byte \(byteOffset)")
        }
        return Tensor(storage: storage, shape: shape, strides: Shape.contiguousStrides(shape), offset: byteOffset / dtype.itemSize, dtype: dtype)
    }

    /// Bytes of the storage under this tensor.
    public var storageBytes: Int { storage.byteCount }
}

extension Tensor {
    /// A contiguous tensor with no memory of its own, for a compiled plan's arguments and results:
    /// views made from it follow it, and `bind(to:)` points them all at a real tensor's elements.
    public static func unbound(_ shape: [Int], dtype: DType) throws -> Tensor {
        let bytes = try Shape.checkedProduct([Shape.checkedCount(shape, op: "unbound"), dtype.itemSize], op: "unbound")
        return Tensor(storage: .unbound(bytes: bytes), shape: shape, strides: Shape.contiguousStrides(shape), offset: 0, dtype: dtype)
    }

    /// Makes this unbound tensor (and its views) read and write `other`'s elements until `unbind()`.
    /// `other` must be contiguous with the same shape and dtype, and outlive the binding.
    public func bind(to other: Tensor) throws {
        guard other.isContiguous || other.count == 0, other.shape == shape, other.dtype == dtype, !other.isSymbolic, storage.rebind(other.rawPointer) else {
            throw TensorError.value("cannot bind \(dtype)\(shapeString(shape)) to \(other.dtype)\(shapeString(other.shape))\(other.isContiguous ? "" : " (not contiguous)")")
        }
    }

    public func unbind() { _ = storage.rebind(nil) }
}
