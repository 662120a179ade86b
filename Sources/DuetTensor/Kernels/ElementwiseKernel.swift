/// The 1-D loop of an elementwise op for each dtype it supports; nil where it does not.
struct TypedLoops: Sendable {
    var bool: (@Sendable (Row) -> Void)? = nil
    var int64: (@Sendable (Row) -> Void)? = nil
    var float32: (@Sendable (Row) -> Void)? = nil
    var float64: (@Sendable (Row) -> Void)? = nil

    func loop(for dtype: DType) -> (@Sendable (Row) -> Void)? {
        switch dtype {
        case .bool: bool
        case .int64: int64
        case .float32: float32
        case .float64: float64
        case .float16, .bfloat16: nil
        }
    }

    var supported: [DType] { DType.allCases.filter { loop(for: $0) != nil } }
}

/// What the eager fast path needs of an elementwise op: its loops and its output dtype
/// (nil: the inputs' dtype).
public struct FastElementwise: Sendable {
    let loops: TypedLoops
    let outDType: DType?
}

enum Kernels {
    /// A compute kernel that runs the loop for the dtype of input `dtypeInput` over the broadcast shape.
    static func elementwise(_ name: String, dtypeInput: Int = 0, _ loops: TypedLoops,
                            check: (@Sendable (KernelArgs) throws -> Void)? = nil) -> Kernel {
        .compute { args in
            let dt = args.inputs[dtypeInput].dtype
            guard let loop = loops.loop(for: dt) else {
                throw TensorError.dtype("\(name): not implemented for \(dt)")
            }
            try check?(args)
            StridedLoop.run(out: args.outputs[0], inputs: args.inputs, loop)
        }
    }

    /// Copies `src` (broadcast to `dst`'s shape) into `dst`, converting dtype if they differ.
    static func copy(from src: Tensor, into dst: Tensor) throws {
        _ = try Shape.broadcast(src.shape, dst.shape, op: "copy_")
        if src.dtype == dst.dtype && src.shape == dst.shape && src.isContiguous && dst.isContiguous {
            if let from = src.rawPointer, let to = dst.rawPointer, from != to {
                to.copyMemory(from: from, byteCount: src.count * src.dtype.itemSize)
            }
            return
        }
        StridedLoop.run(out: dst, inputs: [src], src.dtype == dst.dtype ? moveLoop(itemSize: src.dtype.itemSize) : castLoop(from: src.dtype, to: dst.dtype))
    }

    /// A same-dtype copy moves bit patterns, whatever the element type.
    static func moveLoop(itemSize: Int) -> (Row) -> Void {
        switch itemSize {
        case 8: { map1($0) { (x: UInt64) in x } }
        case 4: { map1($0) { (x: UInt32) in x } }
        case 2: { map1($0) { (x: UInt16) in x } }
        default: { map1($0) { (x: UInt8) in x } }
        }
    }

    static func castLoop(from: DType, to: DType) -> (Row) -> Void {
        switch from {
        case .bool: castLoop(Bool.self, to: to)
        case .int64: castLoop(Int64.self, to: to)
        case .float32: castLoop(Float.self, to: to)
        case .float64: castLoop(Double.self, to: to)
        case .float16: castLoop(Float16.self, to: to)
        case .bfloat16: castLoop(BFloat16.self, to: to)
        }
    }

    private static func castLoop<S: DuetScalar>(_: S.Type, to: DType) -> (Row) -> Void {
        switch to {
        case .bool: { map1($0) { (x: S) in x.duetDouble != 0 } }
        case .int64: { map1($0) { (x: S) in Int64(duetDouble: x.duetDouble) } }
        case .float32: { map1($0) { (x: S) in Float(x.duetDouble) } }
        case .float64: { map1($0) { (x: S) in x.duetDouble } }
        case .float16: { map1($0) { (x: S) in Float16(duetDouble: x.duetDouble) } }
        case .bfloat16: { map1($0) { (x: S) in BFloat16(duetDouble: x.duetDouble) } }
        }
    }
}
