/// An n-dimensional array: a view (shape, strides, offset) onto shared storage, plus the
/// autograd links that make it part of a tape. A reference type, like a PyTorch tensor.
public final class Tensor {
    public let storage: Storage
    public let shape: [Int]
    /// In elements, not bytes.
    public let strides: [Int]
    public let offset: Int
    public let dtype: DType

    /// Leaves that require grad accumulate `.grad`; results of ops on them require grad too.
    public internal(set) var requiresGrad = false
    public var grad: Tensor?
    /// The tape node that produced this tensor (nil for leaves), and which of its outputs it is.
    public internal(set) var gradFn: Node?
    var outputIndex = 0
    /// For outputs of view ops: the tensor whose storage they alias (the root, not the previous view),
    /// so in-place writes through a view can be checked against the base's autograd state.
    public internal(set) var viewBase: Tensor?
    /// A Python number wrapped as a 0-dim tensor: it takes part in type promotion with lower priority.
    public internal(set) var isWrappedNumber = false
    /// An `nn.Parameter`: assigning it to a module attribute registers it, and it prints as one.
    public var isParameter = false
    /// Told by backward when this leaf's gradient is complete (`BackwardListener`).
    public var backwardListeners: [WeakBackwardListener] = []

    init(storage: Storage, shape: [Int], strides: [Int], offset: Int, dtype: DType) {
        self.storage = storage
        self.shape = shape
        self.strides = strides
        self.offset = offset
        self.dtype = dtype
        self.isContiguous = Shape.isContiguous(shape: shape, strides: strides)
    }

    /// An uninitialized contiguous tensor.
    convenience init(empty shape: [Int], dtype: DType) throws {
        let count = try Shape.checkedCount(shape, op: "tensor")
        let (bytes, overflow) = count.multipliedReportingOverflow(by: dtype.itemSize)
        if overflow { throw TensorError.memory("tensor: a \(dtype) tensor of shape \(shapeString(shape)) needs more bytes than a 64-bit integer counts") }
        self.init(storage: try Storage(bytes: bytes), shape: shape, strides: Shape.contiguousStrides(shape), offset: 0, dtype: dtype)
    }

    /// A tensor with shape and dtype but no data, for tracing.
    public static func symbolic(shape: [Int], dtype: DType) -> Tensor {
        let count = shape.reduce(1, *)
        return Tensor(storage: .symbolic(bytes: count * dtype.itemSize), shape: shape,
                      strides: Shape.contiguousStrides(shape), offset: 0, dtype: dtype)
    }

    public var rank: Int { shape.count }
    public var count: Int { Shape.count(shape) }
    /// Computed once: the dispatcher and kernels ask on every call.
    public let isContiguous: Bool
    public var isLeaf: Bool { gradFn == nil }
    public var isSymbolic: Bool { storage.isSymbolic }
    public var version: Int { storage.version }
    public var meta: TensorMeta { TensorMeta(shape: shape, dtype: dtype) }

    /// Address of element 0 of this view; nil for symbolic tensors.
    var rawPointer: UnsafeMutableRawPointer? {
        storage.base.map { $0 + offset * dtype.itemSize }
    }

    func pointer<T>(_: T.Type) -> UnsafeMutablePointer<T> {
        rawPointer.unsafelyUnwrapped.assumingMemoryBound(to: T.self)
    }

    /// Another view of the same storage.
    func view(shape: [Int], strides: [Int], offset: Int) -> Tensor {
        Tensor(storage: storage, shape: shape, strides: strides, offset: offset, dtype: dtype)
    }

    /// Same data, no history: what `detach()` returns and what saved outputs hold.
    public func detach() -> Tensor { view(shape: shape, strides: strides, offset: offset) }

    /// Marks a leaf as a parameter whose gradient is wanted.
    @discardableResult
    public func requiresGrad(_ flag: Bool = true) throws -> Tensor {
        guard isLeaf else {
            throw TensorError.autograd("requires_grad can only be changed on leaf tensors; use detach() first")
        }
        if flag && !dtype.isFloatingPoint {
            throw TensorError.dtype("only floating-point tensors can require gradients (got \(dtype))")
        }
        requiresGrad = flag
        return self
    }
}

/// Shape and dtype: what shape rules compute and what symbolic tensors carry.
public struct TensorMeta: Sendable, Equatable, CustomStringConvertible {
    public var shape: [Int]
    public var dtype: DType
    public init(shape: [Int], dtype: DType) {
        self.shape = shape
        self.dtype = dtype
    }
    public var description: String { "\(dtype)\(shapeString(shape))" }
    /// Bytes of a contiguous tensor of this shape and dtype.
    public var byteCount: Int { Shape.count(shape) * dtype.itemSize }

    /// The element count of a shape read from a file or a user: a negative dim or an overflowing
    /// product is an error naming `op`, not a trap.
    public static func checkedCount(_ shape: [Int], op: String) throws -> Int { try Shape.checkedCount(shape, op: op) }
}
