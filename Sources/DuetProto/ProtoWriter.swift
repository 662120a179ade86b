/// Protocol Buffers' wire format, written by hand (docs/architecture.md "Protobuf"): ONNX models
/// and TensorBoard event files need a dozen message types with a few fields each, which a
/// hundred lines of encoder cover without swift-protobuf's runtime in every build.
///
/// Fields are appended in call order; a message field is written into a nested writer first,
/// because its length prefix must precede it.
public struct ProtoWriter {
    public private(set) var bytes: [UInt8] = []

    public init() {}

    /// Wire types (https://protobuf.dev/programming-guides/encoding/#structure).
    enum WireType: UInt64 {
        case varint = 0, fixed64 = 1, lengthDelimited = 2, fixed32 = 5
    }

    private mutating func tag(_ field: Int, _ type: WireType) {
        varint(UInt64(field) << 3 | type.rawValue)
    }

    private mutating func varint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(v & 0x7f) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    /// int32, int64, enum and uint64 fields: negative numbers take ten bytes, as protobuf's
    /// two's-complement encoding of int64 requires.
    public mutating func int(_ field: Int, _ value: Int) {
        tag(field, .varint)
        varint(UInt64(bitPattern: Int64(value)))
    }

    public mutating func bool(_ field: Int, _ value: Bool) { int(field, value ? 1 : 0) }

    public mutating func float(_ field: Int, _ value: Float) {
        tag(field, .fixed32)
        withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
    }

    public mutating func double(_ field: Int, _ value: Double) {
        tag(field, .fixed64)
        withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
    }

    public mutating func bytes<C: Collection>(_ field: Int, _ value: C) where C.Element == UInt8 {
        tag(field, .lengthDelimited)
        varint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    public mutating func string(_ field: Int, _ value: String) { bytes(field, Array(value.utf8)) }

    /// A nested message, built by `body` into its own writer.
    public mutating func message(_ field: Int, _ body: (inout ProtoWriter) throws -> Void) rethrows {
        var inner = ProtoWriter()
        try body(&inner)
        bytes(field, inner.bytes)
    }

    /// A packed repeated int64 field (proto3's default for scalars; ONNX marks its own packed).
    public mutating func packedInts(_ field: Int, _ values: [Int]) {
        guard !values.isEmpty else { return }
        var inner = ProtoWriter()
        for v in values { inner.varint(UInt64(bitPattern: Int64(v))) }
        bytes(field, inner.bytes)
    }

    public mutating func packedFloats(_ field: Int, _ values: [Float]) {
        guard !values.isEmpty else { return }
        var inner = ProtoWriter()
        for v in values { withUnsafeBytes(of: v.bitPattern.littleEndian) { inner.bytes.append(contentsOf: $0) } }
        bytes(field, inner.bytes)
    }
}
