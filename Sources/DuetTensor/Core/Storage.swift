/// A block of elements shared by a tensor and all its views. The version counter lives here
/// because an in-place write through any view changes what every alias sees.
public final class Storage {
    /// Nil for symbolic storage (tracing: shape and dtype without data) and for unbound storage.
    private(set) var base: UnsafeMutableRawPointer?
    let byteCount: Int
    private let blockSize: Int
    /// Bumped by every in-place write; saved tensors compare against it in backward.
    public internal(set) var version = 0

    init(bytes: Int) throws {
        let (p, size) = try Allocator.shared.allocate(bytes: bytes)
        EngineContext.current.allocations &+= 1
        base = p
        byteCount = bytes
        blockSize = size
    }

    private init(symbolicBytes: Int) {
        base = nil
        byteCount = symbolicBytes
        blockSize = 0
    }

    static func symbolic(bytes: Int) -> Storage { Storage(symbolicBytes: bytes) }

    /// Storage that owns no memory: a compiled plan points it at the caller's tensors for the
    /// length of one run (`Tensor.bind(to:)`), so arguments and results are never copied.
    static func unbound(bytes: Int) -> Storage { Storage(symbolicBytes: bytes) }

    /// Points unbound storage at `pointer` (nil unbinds); false for storage that owns its memory.
    func rebind(_ pointer: UnsafeMutableRawPointer?) -> Bool {
        guard blockSize == 0 else { return false }
        base = pointer
        return true
    }

    var isSymbolic: Bool { base == nil }

    func bumpVersion() { version &+= 1 }

    deinit {
        if let base, blockSize > 0 { Allocator.shared.release(base, size: blockSize) }
    }
}
