extension VectorMath {
    /// y = eˣ. Measured max error 1 ulp against Double over every float32 input (denormal
    /// results included; the tests sweep [-104, 89]); overflow → +inf and underflow → 0
    /// exactly where the rounded result does; NaN → NaN.
    static func exp(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        map(x, y, count: count) { expLanes($0) }
    }

    /// eˣ = 2ⁿ·eʳ with n = round(x·log₂e) and |r| ≤ ln2/2; eʳ is a degree-7 polynomial
    /// (minimax fit of (eʳ−1−r)/r²). 2ⁿ is applied as two factors 2^(n/2)·2^(n−n/2) so that
    /// overflow to inf and gradual underflow to denormals and 0 round correctly.
    @inline(__always)
    static func expLanes(_ x: Lanes) -> Lanes {
        // Clamping keeps n in [-150, 129]; NaN fails both compares and passes through.
        var xc = x.replacing(with: 89, where: x .> 89)
        xc = xc.replacing(with: -104, where: xc .< -104)
        // Adding 1.5·2²³ rounds x·log₂e to an integer held in the low mantissa bits.
        let magic = Lanes(repeating: 12_582_912)
        let t = magic.addingProduct(xc, Lanes(repeating: 1.442_695_04))
        let n = t - magic
        // ln2 split so that n·ln2Hi is exact for |n| < 2¹⁵.
        var r = xc.addingProduct(n, Lanes(repeating: -0.693_359_375))
        r = r.addingProduct(n, Lanes(repeating: 2.121_944_4e-4))
        var p = Lanes(repeating: 1.985_779_67e-4)
        p = Lanes(repeating: 1.393_359_74e-3).addingProduct(p, r)
        p = Lanes(repeating: 8.333_360_78e-3).addingProduct(p, r)
        p = Lanes(repeating: 4.166_646_67e-2).addingProduct(p, r)
        p = Lanes(repeating: 1.666_666_72e-1).addingProduct(p, r)
        p = Lanes(repeating: 0.5).addingProduct(p, r)
        let er = (r + 1).addingProduct(p, r * r)
        // The integer n is the difference of the bit patterns of t and magic.
        let ni = bits(t) &- bits(magic)
        let half = unsafeBitCast(unsafeBitCast(ni, to: SIMD16<Int32>.self) &>> 1, to: LaneBits.self)
        let scaleA = float((half &+ 127) &<< 23)
        let scaleB = float((ni &- half &+ 127) &<< 23)
        return er * scaleA * scaleB
    }
}
