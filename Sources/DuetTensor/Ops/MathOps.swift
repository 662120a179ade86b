import Foundation

/// Trigonometric, hyperbolic, logarithmic and rounding functions: each one elementwise kernel,
/// so they fuse in graph mode and get in-place forms. Transcendentals promote integers to
/// float32 like torch.sin; the rounding ops keep integer dtypes (an integer is already whole).
extension Ops {
    private static func floatLoops(_ f: @escaping @Sendable (Double) -> Double, _ g: @escaping @Sendable (Float) -> Float) -> TypedLoops {
        TypedLoops(float32: { map1($0) { (a: Float) in g(a) } }, float64: { map1($0) { (a: Double) in f(a) } })
    }

    /// A rounding op: integers pass through unchanged, the gradient is zero almost everywhere.
    private static func rounding(_ name: String, _ doc: String, _ rule: FloatingPointRoundingRule) -> OpDef {
        unary(name, doc, float: false, supported: Rules.numbers,
              loops: TypedLoops(int64: { map1($0) { (a: Int64) in a } },
                                float32: { map1($0) { (a: Float) in a.rounded(rule) } },
                                float64: { map1($0) { (a: Double) in a.rounded(rule) } }),
              reference: { $0.rounded(rule) },
              backward: .rule(saves: []) { ctx in [try Tensor.zeros(ctx.grad.shape, dtype: ctx.grad.dtype)] })
    }

    public static let sin: OpDef = unary(
        "sin", "Sine of each element (radians).", loops: floatLoops(Foundation.sin, Foundation.sin), reference: Foundation.sin,
        backward: .rule(saves: .inputs) { ctx in [try ctx.grad * ctx.input(0).cos()] }, flops: 8)

    public static let cos: OpDef = unary(
        "cos", "Cosine of each element (radians).", loops: floatLoops(Foundation.cos, Foundation.cos), reference: Foundation.cos,
        backward: .rule(saves: .inputs) { ctx in [try -(ctx.grad * ctx.input(0).sin())] }, flops: 8)

    public static let tan: OpDef = unary(
        "tan", "Tangent of each element (radians).", loops: floatLoops(Foundation.tan, Foundation.tan), reference: Foundation.tan,
        backward: .rule(saves: .outputs) { ctx in
            let y = try ctx.output(0)
            return [try ctx.grad * (y * y + 1)]
        }, flops: 10, domain: .uniform(-1.2, 1.2))

    public static let asin: OpDef = unary(
        "asin", "Inverse sine of each element.", loops: floatLoops(Foundation.asin, Foundation.asin), reference: Foundation.asin,
        backward: .rule(saves: .inputs) { ctx in
            let x = try ctx.input(0)
            return [try ctx.grad * (1 - x * x).rsqrt()]
        }, flops: 10, domain: .uniform(-0.9, 0.9))

    public static let acos: OpDef = unary(
        "acos", "Inverse cosine of each element.", loops: floatLoops(Foundation.acos, Foundation.acos), reference: Foundation.acos,
        backward: .rule(saves: .inputs) { ctx in
            let x = try ctx.input(0)
            return [try -(ctx.grad * (1 - x * x).rsqrt())]
        }, flops: 10, domain: .uniform(-0.9, 0.9))

    public static let atan: OpDef = unary(
        "atan", "Inverse tangent of each element.", loops: floatLoops(Foundation.atan, Foundation.atan), reference: Foundation.atan,
        backward: .rule(saves: .inputs) { ctx in
            let x = try ctx.input(0)
            return [try ctx.grad / (x * x + 1)]
        }, flops: 10)

    public static let sinh: OpDef = unary(
        "sinh", "Hyperbolic sine of each element.", loops: floatLoops(Foundation.sinh, Foundation.sinh), reference: Foundation.sinh,
        backward: .rule(saves: .inputs) { ctx in [try ctx.grad * ctx.input(0).cosh()] }, flops: 10)

    public static let cosh: OpDef = unary(
        "cosh", "Hyperbolic cosine of each element.", loops: floatLoops(Foundation.cosh, Foundation.cosh), reference: Foundation.cosh,
        backward: .rule(saves: .inputs) { ctx in [try ctx.grad * ctx.input(0).sinh()] }, flops: 10)

    public static let log2: OpDef = unary(
        "log2", "Base-2 logarithm of each element.", loops: floatLoops(Foundation.log2, Foundation.log2), reference: Foundation.log2,
        backward: .rule(saves: .inputs) { ctx in [try ctx.grad / (ctx.input(0) * M_LN2)] }, flops: 8, domain: .uniform(0.5, 3))

    public static let log10: OpDef = unary(
        "log10", "Base-10 logarithm of each element.", loops: floatLoops(Foundation.log10, Foundation.log10), reference: Foundation.log10,
        backward: .rule(saves: .inputs) { ctx in [try ctx.grad / (ctx.input(0) * M_LN10)] }, flops: 8, domain: .uniform(0.5, 3))

    public static let log1p: OpDef = unary(
        "log1p", "log(1 + x) of each element, accurate for small x.", loops: floatLoops(Foundation.log1p, Foundation.log1p), reference: Foundation.log1p,
        backward: .rule(saves: .inputs) { ctx in [try ctx.grad / (ctx.input(0) + 1)] }, flops: 8, domain: .uniform(-0.5, 2))

    public static let expm1: OpDef = unary(
        "expm1", "exp(x) - 1 of each element, accurate for small x.", loops: floatLoops(Foundation.expm1, Foundation.expm1), reference: Foundation.expm1,
        backward: .rule(saves: .outputs) { ctx in [try ctx.grad * (ctx.output(0) + 1)] }, flops: 8)

    public static let reciprocal: OpDef = unary(
        "reciprocal", "1 / x of each element (integers become float32).", loops: floatLoops({ 1 / $0 }, { 1 / $0 }), reference: { 1 / $0 },
        backward: .rule(saves: .outputs) { ctx in
            let y = try ctx.output(0)
            return [try -(ctx.grad * y * y)]
        }, domain: .uniform(0.5, 2))

    public static let floor: OpDef = rounding("floor", "The largest integer not above each element.", .down)
    public static let ceil: OpDef = rounding("ceil", "The smallest integer not below each element.", .up)
    public static let trunc: OpDef = rounding("trunc", "Each element rounded toward zero.", .towardZero)

    public static let frac: OpDef = unary(
        "frac", "x - trunc(x): the fractional part, with the sign of x.", float: false,
        loops: floatLoops({ $0 - $0.rounded(.towardZero) }, { $0 - $0.rounded(.towardZero) }), reference: { $0 - $0.rounded(.towardZero) },
        backward: .rule(saves: []) { ctx in [ctx.grad] })

    /// round(x * 10^decimals) / 10^decimals, halves to even; negative decimals round to tens, hundreds, ….
    @Sendable static func roundHalfEven(_ x: Double, decimals: Int) -> Double {
        if decimals == 0 { return x.rounded(.toNearestOrEven) }
        let scale = Foundation.pow(10, Double(Swift.abs(decimals)))
        return decimals > 0 ? (x * scale).rounded(.toNearestOrEven) / scale : (x / scale).rounded(.toNearestOrEven) * scale
    }

    public static let round: OpDef = OpDef(
        name: "round", doc: "Each element rounded to `decimals` places, halves to even (integers unchanged).",
        inputs: [InputParam("input")], attrs: [AttrParam("decimals", .int, default: .int(0))],
        fusion: .elementwise,
        infer: Rules.broadcast("round", supported: Rules.numbers),
        kernel: .compute { args in
            let d = try args.attrs.int("decimals")
            let loop: (Row) -> Void
            switch args.inputs[0].dtype {
            case .int64: loop = { map1($0) { (a: Int64) in a } }
            case .float32: loop = { map1($0) { (a: Float) in Float(roundHalfEven(Double(a), decimals: d)) } }
            default: loop = { map1($0) { (a: Double) in roundHalfEven(a, decimals: d) } }
            }
            StridedLoop.run(out: args.outputs[0], inputs: args.inputs, loop)
        },
        reference: { ins, attrs in
            let d = try attrs.int("decimals")
            return [Ref.map(ins) { roundHalfEven($0[0], decimals: d) }]
        },
        backward: .rule(saves: []) { ctx in [try Tensor.zeros(ctx.grad.shape, dtype: ctx.grad.dtype)] },
        cost: Rules.elementwiseCost(1),
        samples: [OpSample([SampleInput([3, 4], .uniform(-5, 5))]), OpSample([SampleInput([2, 3], .exactly([0.4, 1.6, 2.3, -0.7, -1.2, 0.49]))]),
                  OpSample([SampleInput([3, 4], .uniform(-5, 5))], [.int(2)]), OpSample([SampleInput([3, 4], .uniform(-500, 500))], [.int(-1)]),
                  OpSample([SampleInput([2, 3], .integers(-5, 5))]), OpSample([SampleInput([0, 3])])])

    public static let atan2: OpDef = OpDef(
        name: "atan2", doc: "The angle of the point (other, input): atan(input / other) in the right quadrant, broadcasting.",
        inputs: [InputParam("input"), InputParam("other")],
        fusion: .elementwise, promotion: .commonFloat([0, 1]),
        infer: Rules.broadcast("atan2", supported: Rules.floats),
        kernel: Kernels.elementwise("atan2", atan2Loops),
        reference: RefArray.elementwise { Foundation.atan2($0[0], $0[1]) },
        backward: .rule(saves: .inputs) { ctx in
            let y = try ctx.input(0), x = try ctx.input(1)
            let r2 = try x * x + y * y
            return [ctx.needsGrad[0] ? try ctx.grad * x / r2 : nil, ctx.needsGrad[1] ? try -(ctx.grad * y) / r2 : nil]
        },
        cost: Rules.elementwiseCost(20),
        samples: OpSample.elementwise([.uniform(-2, 2), .uniform(0.5, 2)]) + [OpSample([SampleInput([3, 4]), SampleInput([3, 4], .uniform(-2, -0.5))])],
        fast: FastElementwise(loops: atan2Loops, outDType: nil))

    private static let atan2Loops = TypedLoops(float32: { map2($0) { (a: Float, b: Float) in Foundation.atan2(a, b) } },
                                               float64: { map2($0) { (a: Double, b: Double) in Foundation.atan2(a, b) } })
}
