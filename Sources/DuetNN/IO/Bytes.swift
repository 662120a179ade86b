/// Fixed-width integers in and out of byte arrays, in either byte order. Reads are bounds-checked
/// and return nil past the end, because every offset read from a file is untrusted.
extension Array where Element == UInt8 {
    func integer<T: FixedWidthInteger>(_: T.Type, at offset: Int, bigEndian: Bool = false) -> T? {
        let size = MemoryLayout<T>.size
        guard offset >= 0, offset <= count - size else { return nil }
        var value: T = 0
        for k in 0..<size {
            let byte = self[bigEndian ? offset + k : offset + size - 1 - k]
            value = value << 8 | T(byte)
        }
        return value
    }

    mutating func append<T: FixedWidthInteger>(littleEndian value: T) {
        var v = value
        for _ in 0..<MemoryLayout<T>.size {
            append(UInt8(truncatingIfNeeded: v))
            v >>= 8
        }
    }
}
