/// A malformed protobuf message: where in it (byte offset) and what is wrong.
public struct ProtoError: Error, CustomStringConvertible, Equatable {
    public let offset: Int
    public let message: String
    public var description: String { "byte \(offset): \(message)" }

    public init(offset: Int, message: String) {
        self.offset = offset
        self.message = message
    }
}

/// One field as read from the wire; the message's schema gives it a meaning.
public struct ProtoField {
    public enum Value {
        case varint(UInt64)
        case fixed64(UInt64)
        case fixed32(UInt32)
        case bytes(ArraySlice<UInt8>)
    }
    public let number: Int
    public let value: Value
    /// Where the field's value starts, for error messages.
    public let offset: Int

    private func mismatch(_ wanted: String) -> ProtoError {
        ProtoError(offset: offset, message: "field \(number) should be \(wanted)")
    }

    public func int() throws -> Int {
        guard case .varint(let v) = value else { throw mismatch("an integer") }
        return Int(Int64(bitPattern: v))
    }

    public func float() throws -> Float {
        guard case .fixed32(let v) = value else { throw mismatch("a 32-bit float") }
        return Float(bitPattern: v)
    }

    public func double() throws -> Double {
        guard case .fixed64(let v) = value else { throw mismatch("a 64-bit float") }
        return Double(bitPattern: v)
    }

    public func bytes() throws -> ArraySlice<UInt8> {
        guard case .bytes(let b) = value else { throw mismatch("length-delimited") }
        return b
    }

    public func string() throws -> String { String(decoding: try bytes(), as: UTF8.self) }

    /// A nested message's fields.
    public func message() throws -> ProtoReader { ProtoReader(try bytes()) }

    /// A repeated integer field, packed or not (parsers must accept both).
    public func ints() throws -> [Int] {
        if case .varint = value { return [try int()] }
        var r = ProtoReader(try bytes())
        var out: [Int] = []
        while !r.isAtEnd { out.append(Int(Int64(bitPattern: try r.varint()))) }
        return out
    }

    public func floats() throws -> [Float] {
        if case .fixed32 = value { return [try float()] }
        let b = try bytes()
        guard b.count % 4 == 0 else { throw ProtoError(offset: offset, message: "packed floats of \(b.count) bytes (not a multiple of 4)") }
        return stride(from: b.startIndex, to: b.endIndex, by: 4).map { Float(bitPattern: UInt32(truncatingIfNeeded: Self.littleEndian(b, $0, 4))) }
    }

    /// `width` bytes from `start`, least significant first.
    private static func littleEndian(_ b: ArraySlice<UInt8>, _ start: Int, _ width: Int) -> UInt64 {
        var v: UInt64 = 0
        for k in (0..<width).reversed() { v = v << 8 | UInt64(b[start + k]) }
        return v
    }

    public func doubles() throws -> [Double] {
        if case .fixed64 = value { return [try double()] }
        let b = try bytes()
        guard b.count % 8 == 0 else { throw ProtoError(offset: offset, message: "packed doubles of \(b.count) bytes (not a multiple of 8)") }
        return stride(from: b.startIndex, to: b.endIndex, by: 8).map { Double(bitPattern: Self.littleEndian(b, $0, 8)) }
    }
}

/// Reads a message's fields in order; every read is bounds-checked, so a truncated or corrupt
/// file is a `ProtoError` naming the byte, never a crash.
public struct ProtoReader {
    private let data: ArraySlice<UInt8>
    private var position: Int

    public init(_ data: ArraySlice<UInt8>) {
        self.data = data
        position = data.startIndex
    }

    public init(_ data: [UInt8]) { self.init(data[...]) }

    public var isAtEnd: Bool { position >= data.endIndex }

    /// Slices keep their base array's indices, so this is the byte's place in the whole file.
    private var offset: Int { position }

    mutating func varint() throws -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        let start = offset
        while true {
            guard position < data.endIndex else { throw ProtoError(offset: start, message: "a varint runs past the end") }
            let byte = data[position]
            position += 1
            guard shift < 64 else { throw ProtoError(offset: start, message: "a varint is longer than 10 bytes") }
            result |= UInt64(byte & 0x7f) << shift
            if byte < 0x80 { return result }
            shift += 7
        }
    }

    private mutating func take(_ n: Int) throws -> ArraySlice<UInt8> {
        guard n >= 0, n <= data.endIndex - position else {
            throw ProtoError(offset: offset, message: "a field of \(n) bytes runs past the end (\(data.endIndex - position) left)")
        }
        defer { position += n }
        return data[position..<(position + n)]
    }

    private mutating func fixed(_ n: Int) throws -> UInt64 {
        try take(n).reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    }

    /// The next field, or nil at the end of the message. Groups (wire types 3 and 4, deprecated
    /// since proto2) are refused.
    public mutating func next() throws -> ProtoField? {
        guard !isAtEnd else { return nil }
        let start = offset
        let key = try varint()
        let number = Int(truncatingIfNeeded: key >> 3)
        guard number > 0 else { throw ProtoError(offset: start, message: "field number 0") }
        let at = offset
        switch key & 7 {
        case 0: return ProtoField(number: number, value: .varint(try varint()), offset: at)
        case 1: return ProtoField(number: number, value: .fixed64(try fixed(8)), offset: at)
        case 2:
            let length = try varint()
            guard length <= UInt64(Int.max) else { throw ProtoError(offset: at, message: "a length of \(length) bytes") }
            return ProtoField(number: number, value: .bytes(try take(Int(length))), offset: at)
        case 5: return ProtoField(number: number, value: .fixed32(UInt32(try fixed(4))), offset: at)
        default: throw ProtoError(offset: start, message: "field \(number) has wire type \(key & 7), which protobuf does not use")
        }
    }
}
