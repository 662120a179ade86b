/// Vectorized float32 transcendentals over contiguous buffers.
///
/// A scalar `Foundation.exp` loop does ~0.2–0.3 Gelem/s; these polynomial kernels work on
/// 16 lanes at a time (two AVX2 registers, one AVX-512 register) and avoid the SIMD
/// operations that scalarize (`.rounded()`, `clamped`, int/float conversions) by using
/// compare-and-replace, the magic-number rounding trick and whole-vector bit casts.
/// Every function accepts `x == y` (in place) and any `count >= 0`, and runs on the calling
/// thread: callers split large buffers across cores with `Parallel.forEachChunk`.
enum VectorMath {
    typealias Lanes = SIMD16<Float>
    typealias LaneBits = SIMD16<UInt32>

    /// Applies `kernel` to `count` floats; the tail is padded with zeros into one full
    /// vector so it gets exactly the same arithmetic as the body.
    @inline(__always)
    static func map(
        _ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int,
        _ kernel: (Lanes) -> Lanes
    ) {
        let width = Lanes.scalarCount
        let source = UnsafeRawPointer(x)
        let target = UnsafeMutableRawPointer(y)
        var i = 0
        while i + width <= count {
            let v = source.loadUnaligned(fromByteOffset: i &* 4, as: Lanes.self)
            target.storeBytes(of: kernel(v), toByteOffset: i &* 4, as: Lanes.self)
            i &+= width
        }
        let rest = count - i
        guard rest > 0 else { return }
        var v = Lanes(repeating: 0)
        for j in 0..<rest { v[j] = x[i + j] }
        let r = kernel(v)
        for j in 0..<rest { y[i + j] = r[j] }
    }

    @inline(__always)
    static func bits(_ v: Lanes) -> LaneBits { unsafeBitCast(v, to: LaneBits.self) }

    @inline(__always)
    static func float(_ b: LaneBits) -> Lanes { unsafeBitCast(b, to: Lanes.self) }

    /// |v| by clearing the sign bit.
    @inline(__always)
    static func magnitude(_ v: Lanes) -> Lanes { float(bits(v) & 0x7FFF_FFFF) }

    /// `magnitude` with the sign of `sign` (both as bit patterns, so ±0 and NaN are exact).
    @inline(__always)
    static func withSign(of sign: Lanes, _ magnitude: Lanes) -> Lanes {
        float(bits(magnitude) | (bits(sign) & 0x8000_0000))
    }
}
