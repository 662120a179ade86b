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
