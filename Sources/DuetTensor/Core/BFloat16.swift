/// Google Brain's 16-bit float: float32's sign and 8-bit exponent with a 7-bit mantissa, so it
/// covers float32's range at a quarter of its precision. Swift has no such type; this one only
/// stores and converts (the engine computes on float32), rounding to nearest even as PyTorch does.
struct BFloat16: Sendable, Equatable {
    var bits: UInt16

    init(_ value: Float) {
        let b = value.bitPattern
        if value.isNaN {
            bits = UInt16(truncatingIfNeeded: b >> 16) | 0x40
        } else {
            let roundingBias = 0x7FFF + ((b >> 16) & 1)
            bits = UInt16(truncatingIfNeeded: (b &+ roundingBias) >> 16)
        }
    }

    var float: Float { Float(bitPattern: UInt32(bits) << 16) }
}
