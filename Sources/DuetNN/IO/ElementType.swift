import DuetTensor

/// An element type as files store it, which may be one the engine lacks: those are widened on
/// load to the engine's nearest dtype (half floats to float32, small integers to int64).
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
        case .float16, .bfloat16, .float32: .float32
        case .float64: .float64
        }
    }

    /// The file type that stores an engine dtype as it is.
    init(_ dtype: DType) {
        switch dtype {
        case .bool: self = .bool
        case .int64: self = .int64
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
            let values: [Float] = (0..<n).map { i in
                switch self {
                case .float16: ElementType.halfToFloat(load(UInt16.self, i))
                case .bfloat16: Float(bitPattern: UInt32(load(UInt16.self, i)) << 16)
                default: Float(bitPattern: load(UInt32.self, i))
                }
            }
            return try values.withUnsafeBytes { try Tensor(bytes: $0, shape: shape, dtype: .float32) }
        case .float64, .bool:
            // Bool was copied above: only big-endian float64 gets here.
            let values = (0..<n).map { Double(bitPattern: load(UInt64.self, $0)) }
            return try values.withUnsafeBytes { try Tensor(bytes: $0, shape: shape, dtype: .float64) }
        }
    }

    /// IEEE 754 binary16 → binary32, exactly (written out because `Float16` is missing on some hosts).
    static func halfToFloat(_ h: UInt16) -> Float {
        let sign = UInt32(h >> 15) << 31
        let exponent = Int((h >> 10) & 0x1F), mantissa = UInt32(h & 0x3FF)
        switch exponent {
        case 0:
            // Zero or subnormal: mantissa × 2^-24, exact in binary32.
            let magnitude = Float(mantissa) * 0x1p-24
            return sign == 0 ? magnitude : -magnitude
        case 31:
            return Float(bitPattern: sign | 0x7F80_0000 | mantissa << 13)
        default:
            return Float(bitPattern: sign | UInt32(exponent + 112) << 23 | mantissa << 13)
        }
    }
}
