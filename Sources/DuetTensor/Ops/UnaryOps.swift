import Foundation

/// Elementwise functions of one tensor. Transcendentals promote integers to float32.
extension Ops {
    static func unary(
        _ name: String, _ doc: String, float: Bool = true, supported: [DType] = Rules.floats,
        loops: TypedLoops, reference: @escaping @Sendable (Double) -> Double,
        backward: Backward, flops: Int = 1, domain: SampleValues = .uniform(-2, 2), placement: OpPlacement? = nil
    ) -> OpDef {
        OpDef(name: name, doc: doc, inputs: [InputParam("input")], fusion: .elementwise,
              promotion: float ? .commonFloat([0]) : .none,
              infer: Rules.broadcast(name, supported: supported),
              kernel: Kernels.elementwise(name, loops),
              reference: RefArray.elementwise { reference($0[0]) },
              backward: backward, cost: Rules.elementwiseCost(flops),
              samples: OpSample.elementwise([domain]) + (supported.contains(.int64) ? [OpSample([SampleInput([2, 3], .integers(-5, 5))])] : []),
              fast: FastElementwise(loops: loops, outDType: nil), placement: placement)
    }

    public static let neg: OpDef = unary(
        "neg", "Elementwise negation.", float: false, supported: Rules.numbers,
        loops: TypedLoops(int64: { map1($0) { (a: Int64) in 0 &- a } },
                          float32: { map1($0) { (a: Float) in -a } },
                          float64: { map1($0) { (a: Double) in -a } }),
        reference: { -$0 },
        backward: .rule(saves: []) { ctx in [try -ctx.grad] })

    public static let abs: OpDef = unary(
        "abs", "Elementwise absolute value.", float: false, supported: Rules.numbers,
        loops: TypedLoops(int64: { map1($0) { (a: Int64) in a < 0 ? 0 &- a : a } },
                          float32: { map1($0) { (a: Float) in Swift.abs(a) } },
                          float64: { map1($0) { (a: Double) in Swift.abs(a) } }),
        reference: { Swift.abs($0) },
        backward: .rule(saves: .inputs) { ctx in [try ctx.grad * ctx.input(0).sign()] })

    public static let sign: OpDef = unary(
        "sign", "-1, 0 or 1 by the sign of each element (gradient zero).", float: false, supported: Rules.numbers,
        loops: TypedLoops(int64: { map1($0) { (a: Int64) in a > 0 ? 1 : (a < 0 ? -1 : 0) } },
                          float32: { map1($0) { (a: Float) in a > 0 ? 1 : (a < 0 ? -1 : (a.isNaN ? a : 0)) } },
                          float64: { map1($0) { (a: Double) in a > 0 ? 1 : (a < 0 ? -1 : (a.isNaN ? a : 0)) } }),
        reference: { $0 > 0 ? 1 : ($0 < 0 ? -1 : ($0.isNaN ? .nan : 0)) },
        backward: .rule(saves: []) { ctx in [try Tensor.zeros(ctx.grad.shape, dtype: ctx.grad.dtype)] })

    public static let relu: OpDef = unary(
        "relu", "max(x, 0) elementwise.", float: false, supported: Rules.numbers,
        loops: TypedLoops(int64: { map1($0) { (a: Int64) in a > 0 ? a : 0 } },
                          float32: { map1($0) { (a: Float) in a > 0 ? a : 0 } },
                          float64: { map1($0) { (a: Double) in a > 0 ? a : 0 } }),
        reference: { $0 > 0 ? $0 : 0 },
        backward: .rule(saves: .outputs) { ctx in [try ctx.grad.reluBackward(ctx.output(0))] },
        placement: [.function, .method, .functional, .inPlace])

    public static let exp: OpDef = unary(
        "exp", "e raised to each element.",
        loops: TypedLoops(float32: { r in
                              if r.so == 1 && r.sa == 1 { VectorMath.exp(r.a.assumingMemoryBound(to: Float.self), r.out.assumingMemoryBound(to: Float.self), count: r.n) }
                              else { map1(r) { (a: Float) in Foundation.exp(a) } }
                          },
                          float64: { map1($0) { (a: Double) in Foundation.exp(a) } }),
        reference: { Foundation.exp($0) },
        backward: .rule(saves: .outputs) { ctx in [try ctx.grad * ctx.output(0)] }, flops: 8)

    public static let log: OpDef = unary(
        "log", "Natural logarithm of each element.",
        loops: TypedLoops(float32: { r in
                              if r.so == 1 && r.sa == 1 { VectorMath.log(r.a.assumingMemoryBound(to: Float.self), r.out.assumingMemoryBound(to: Float.self), count: r.n) }
                              else { map1(r) { (a: Float) in Foundation.log(a) } }
                          },
                          float64: { map1($0) { (a: Double) in Foundation.log(a) } }),
        reference: { Foundation.log($0) },
        backward: .rule(saves: .inputs) { ctx in [try ctx.grad / ctx.input(0)] }, flops: 8, domain: .uniform(0.5, 3))

    public static let sqrt: OpDef = unary(
        "sqrt", "Square root of each element.",
        loops: TypedLoops(float32: { map1($0) { (a: Float) in a.squareRoot() } },
                          float64: { map1($0) { (a: Double) in a.squareRoot() } }),
        reference: { Foundation.sqrt($0) },
        backward: .rule(saves: .outputs) { ctx in [try ctx.grad / (ctx.output(0) * 2)] }, domain: .uniform(0.5, 3))

    public static let rsqrt: OpDef = unary(
        "rsqrt", "1 / sqrt(x) of each element.",
        loops: TypedLoops(float32: { map1($0) { (a: Float) in 1 / a.squareRoot() } },
                          float64: { map1($0) { (a: Double) in 1 / a.squareRoot() } }),
        reference: { 1 / Foundation.sqrt($0) },
        backward: .rule(saves: .outputs) { ctx in
            let y = try ctx.output(0)
            return [try ctx.grad * (y * y * y) * -0.5]
        }, flops: 2, domain: .uniform(0.5, 3))

    public static let erf: OpDef = unary(
        "erf", "The error function of each element.",
        loops: TypedLoops(float32: { r in
                              if r.so == 1 && r.sa == 1 { VectorMath.erf(r.a.assumingMemoryBound(to: Float.self), r.out.assumingMemoryBound(to: Float.self), count: r.n) }
                              else { map1(r) { (a: Float) in Foundation.erf(a) } }
                          },
                          float64: { map1($0) { (a: Double) in Foundation.erf(a) } }),
        reference: { Foundation.erf($0) },
        backward: .rule(saves: .inputs) { ctx in
            let x = try ctx.input(0)
            return [try ctx.grad * (-(x * x)).exp() * (2 / Double.pi.squareRoot())]
        }, flops: 10)

    public static let tanh: OpDef = unary(
        "tanh", "Hyperbolic tangent of each element.",
        loops: TypedLoops(float32: { r in
                              if r.so == 1 && r.sa == 1 { VectorMath.tanh(r.a.assumingMemoryBound(to: Float.self), r.out.assumingMemoryBound(to: Float.self), count: r.n) }
                              else { map1(r) { (a: Float) in Foundation.tanh(a) } }
                          },
                          float64: { map1($0) { (a: Double) in Foundation.tanh(a) } }),
        reference: { Foundation.tanh($0) },
        backward: .rule(saves: .outputs) { ctx in
            let y = try ctx.output(0)
            return [try ctx.grad * (1 - y * y)]
        }, flops: 10,
        placement: [.function, .method, .functional, .inPlace])

    public static let sigmoid: OpDef = unary(
        "sigmoid", "1 / (1 + exp(-x)) of each element.",
        loops: TypedLoops(float32: { r in
                              if r.so == 1 && r.sa == 1 { VectorMath.sigmoid(r.a.assumingMemoryBound(to: Float.self), r.out.assumingMemoryBound(to: Float.self), count: r.n) }
                              else { map1(r) { (a: Float) in 1 / (1 + Foundation.exp(-a)) } }
                          },
                          float64: { map1($0) { (a: Double) in 1 / (1 + Foundation.exp(-a)) } }),
        reference: { 1 / (1 + Foundation.exp(-$0)) },
        backward: .rule(saves: .outputs) { ctx in
            let y = try ctx.output(0)
            return [try ctx.grad * y * (1 - y)]
        }, flops: 10,
        placement: [.function, .method, .functional, .inPlace])
}
