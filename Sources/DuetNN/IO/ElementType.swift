import DuetTensor

/// An element type as files store it, which may be one the engine lacks: those are widened on
/// load to the engine's nearest dtype (small integers to int64).
enum ElementType: Equatable {
    case bool, uint8, int8, int16, uint16, int32, uint32, int64, float16, bfloat16, float32, float64

    var size: Int {
        switch self {
        case .bool, .uint8, .int8: 1
        case .int16, .uint16, .float16, .bfloat16: 2
        case .int32, .uint32, .float32: 4
        case .int64, .float64: 8
        }
    }

    /// The engine dtype holding these values without loss.
    var dtype: DType {
        switch self {
        case .bool: .bool
        case .uint8, .int8, .int16, .uint16, .int32, .uint32, .int64: .int64
        case .float16: .float16
        case .bfloat16: .bfloat16
        case .float32: .float32
        case .float64: .float64
        }
    }

    /// The file type that stores an engine dtype as it is.
    init(_ dtype: DType) {
        switch dtype {
        case .bool: self = .bool
        case .int64: self = .int64
        case .float16: self = .float16
        case .bfloat16: self = .bfloat16
        case .float32: self = .float32
        case .float64: self = .float64
        }
    }

    /// A tensor from `count × size` raw elements in the given byte order.
    func tensor(_ raw: UnsafeRawBufferPointer, shape: [Int], bigEndian: Bool) throws -> Tensor {
        let n = raw.count / size
        if self == .bool || (!bigEndian && ElementType(dtype) == self) {
            return try Tensor(bytes: raw, shape: shape, dtype: dtype)
        }
        func load<T: FixedWidthInteger>(_: T.Type, _ i: Int) -> T {
            let v = raw.loadUnaligned(fromByteOffset: i * size, as: T.self)
            return bigEndian ? T(bigEndian: v) : T(littleEndian: v)
        }
        switch dtype {
        case .int64:
            let values: [Int64] = (0..<n).map { i in
                switch self {
                case .uint8: Int64(load(UInt8.self, i))
                case .int8: Int64(load(Int8.self, i))
                case .int16: Int64(load(Int16.self, i))
                case .uint16: Int64(load(UInt16.self, i))
                case .int32: Int64(load(Int32.self, i))
                case .uint32: Int64(load(UInt32.self, i))
                default: load(Int64.self, i)
                }
            }
            return try values.withUnsafeBytes { try Tensor(bytes: $0, shape: shape, dtype: .int64) }
        case .float32:
            let values = (0..<n).map { Float(bitPattern: load(UInt32.self, $0)) }
            return try values.withUnsafeBytes { try Tensor(bytes: $0, shape: shape, dtype: .float32) }
        case .float16, .bfloat16:
            let values = (0..<n).map { load(UInt16.self, $0) }
            return try values.withUnsafeBytes { try Tensor(bytes: $0, shape: shape, dtype: dtype) }
        case .float64, .bool:
            // Bool was copied above: only big-endian float64 gets here.
            let values = (0..<n).map { Double(bitPattern: load(UInt64.self, $0)) }
            return try values.withUnsafeBytes { try Tensor(bytes: $0, shape: shape, dtype: .float64) }
        }
    }
}
