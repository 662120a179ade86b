import Foundation

/// Binary arithmetic: the inputs are promoted to one dtype, broadcast, and combined elementwise.
extension Ops {
    private static func arithmetic(
        _ name: String, _ doc: String, float: Bool = false, supported: [DType] = Rules.numbers,
        loops: TypedLoops, reference: @escaping @Sendable (Double, Double) -> Double,
        check: (@Sendable (KernelArgs) throws -> Void)? = nil, backward: Backward, flops: Int = 1,
        samples: [OpSample] = OpSample.elementwise([.uniform(-2, 2), .uniform(-2, 2)])
    ) -> OpDef {
        OpDef(name: name, doc: doc, inputs: [InputParam("input"), InputParam("other")],
              fusion: .elementwise, promotion: float ? .commonFloat([0, 1]) : .common([0, 1]),
              infer: Rules.broadcast(name, supported: supported),
              kernel: Kernels.elementwise(name, loops, check: check),
              reference: RefArray.elementwise { reference($0[0], $0[1]) },
              backward: backward, cost: Rules.elementwiseCost(flops), samples: samples,
              fast: check == nil ? FastElementwise(loops: loops, outDType: nil) : nil)
    }

    public static let add: OpDef = arithmetic(
        "add", "Elementwise sum of two tensors, broadcasting.",
        loops: TypedLoops(int64: { map2($0) { (a: Int64, b: Int64) in a &+ b } },
                          float32: { map2($0) { (a: Float, b: Float) in a + b } },
                          float64: { map2($0) { (a: Double, b: Double) in a + b } }),
        reference: { $0 + $1 },
        backward: .rule(saves: []) { ctx in [ctx.grad, ctx.grad] })

    public static let sub: OpDef = arithmetic(
        "sub", "Elementwise difference input - other, broadcasting.",
        loops: TypedLoops(int64: { map2($0) { (a: Int64, b: Int64) in a &- b } },
                          float32: { map2($0) { (a: Float, b: Float) in a - b } },
                          float64: { map2($0) { (a: Double, b: Double) in a - b } }),
        reference: { $0 - $1 },
        backward: .rule(saves: []) { ctx in [ctx.grad, ctx.needsGrad[1] ? try -ctx.grad : nil] })

    public static let mul: OpDef = arithmetic(
        "mul", "Elementwise product, broadcasting.",
        loops: TypedLoops(int64: { map2($0) { (a: Int64, b: Int64) in a &* b } },
                          float32: { map2($0) { (a: Float, b: Float) in a * b } },
                          float64: { map2($0) { (a: Double, b: Double) in a * b } }),
        reference: { $0 * $1 },
        backward: .rule(saves: .inputs) { ctx in
            let a = try ctx.input(0), b = try ctx.input(1)
            return [ctx.needsGrad[0] ? try ctx.grad * b : nil, ctx.needsGrad[1] ? try ctx.grad * a : nil]
        })

    public static let div: OpDef = arithmetic(
        "div", "True division input / other (integers divide as float32), broadcasting.", float: true,
        supported: Rules.floats,
        loops: TypedLoops(float32: { map2($0) { (a: Float, b: Float) in a / b } },
                          float64: { map2($0) { (a: Double, b: Double) in a / b } }),
        reference: { $0 / $1 },
        backward: .rule(saves: .inputs) { ctx in
            let a = try ctx.input(0), b = try ctx.input(1)
            return [ctx.needsGrad[0] ? try ctx.grad / b : nil,
                    ctx.needsGrad[1] ? try -(ctx.grad * a) / (b * b) : nil]
        },
        samples: OpSample.elementwise([.uniform(-2, 2), .uniform(0.5, 2)]))

    public static let floorDivide: OpDef = arithmetic(
        "floor_divide", "Division rounded toward negative infinity (Python's //).",
        loops: TypedLoops(int64: { map2($0) { (a: Int64, b: Int64) in floorDiv(a, b) } },
                          float32: { map2($0) { (a: Float, b: Float) in (a / b).rounded(.down) } },
                          float64: { map2($0) { (a: Double, b: Double) in (a / b).rounded(.down) } }),
        reference: { ($0 / $1).rounded(.down) },
        check: checkIntegerDivisor("floor_divide"),
        backward: .notDifferentiable,
        samples: integerDivisionSamples)

    public static let remainder: OpDef = arithmetic(
        "remainder", "Python's modulo: the remainder takes the sign of the divisor.",
        loops: TypedLoops(int64: { map2($0) { (a: Int64, b: Int64) in a &- floorDiv(a, b) &* b } },
                          float32: { map2($0) { (a: Float, b: Float) in a - (a / b).rounded(.down) * b } },
                          float64: { map2($0) { (a: Double, b: Double) in a - (a / b).rounded(.down) * b } }),
        reference: { a, b in a - Foundation.floor(a / b) * b },
        check: checkIntegerDivisor("remainder"),
        backward: .rule(saves: .inputs) { ctx in
            let a = try ctx.input(0), b = try ctx.input(1)
            return [ctx.grad, ctx.needsGrad[1] ? try -(ctx.grad * a.floorDivide(b)) : nil]
        },
        samples: integerDivisionSamples + OpSample.elementwise([.uniform(0.1, 0.9), .uniform(1.1, 2)]))

    public static let pow: OpDef = arithmetic(
        "pow", "Elementwise power input ** exponent.",
        loops: TypedLoops(int64: { map2($0) { (a: Int64, b: Int64) in integerPower(a, b) } },
                          float32: { map2($0) { (a: Float, b: Float) in Foundation.pow(a, b) } },
                          float64: { map2($0) { (a: Double, b: Double) in Foundation.pow(a, b) } }),
        reference: { Foundation.pow($0, $1) },
        check: { args in
            if args.inputs[1].dtype == .int64, try args.inputs[1].scalars(Int64.self).contains(where: { $0 < 0 }) {
                throw TensorError.value("pow: integers to negative integer powers are not allowed")
            }
        },
        backward: .rule(saves: [.inputs, .outputs]) { ctx in
            let a = try ctx.input(0), b = try ctx.input(1), y = try ctx.output(0)
            let ga = ctx.needsGrad[0] ? try ctx.grad * b * Ops.powTensor(a, b - 1) : nil
            // d/db a^b = a^b log a, taken as 0 where a == 0 (PyTorch's convention).
            let gb = ctx.needsGrad[1] ? try Tensor.where_(a == 0, Tensor.scalar(0.0), ctx.grad * y * a.log()) : nil
            return [ga, gb]
        },
        flops: 10,
        samples: OpSample.elementwise([.uniform(0.5, 2), .uniform(-2, 2)]))

    public static let maximum: OpDef = arithmetic(
        "maximum", "Elementwise maximum; NaN wins.",
        loops: TypedLoops(int64: { map2($0) { (a: Int64, b: Int64) in Swift.max(a, b) } },
                          float32: { map2($0) { (a: Float, b: Float) in nanMax(a, b) } },
                          float64: { map2($0) { (a: Double, b: Double) in nanMax(a, b) } }),
        reference: { a, b in a.isNaN || b.isNaN ? .nan : Swift.max(a, b) },
        backward: .rule(saves: .inputs) { ctx in try extremumGrads(ctx, pickFirst: { try $0 > $1 }) })

    public static let minimum: OpDef = arithmetic(
        "minimum", "Elementwise minimum; NaN wins.",
        loops: TypedLoops(int64: { map2($0) { (a: Int64, b: Int64) in Swift.min(a, b) } },
                          float32: { map2($0) { (a: Float, b: Float) in nanMin(a, b) } },
                          float64: { map2($0) { (a: Double, b: Double) in nanMin(a, b) } }),
        reference: { a, b in a.isNaN || b.isNaN ? .nan : Swift.min(a, b) },
        backward: .rule(saves: .inputs) { ctx in try extremumGrads(ctx, pickFirst: { try $0 < $1 }) })

    /// relu's gradient as one kernel (PyTorch's `threshold_backward`): `grad` where the relu's
    /// result is positive, else 0. Written as a compare, a cast and a multiply it would launch three
    /// kernels and keep two masks; as one op it also fuses into the GEMM that produces `grad`.
    public static let reluBackward: OpDef = arithmetic(
        "relu_backward", "grad where result > 0, else 0: the gradient of relu given its result.", supported: Rules.floats,
        loops: TypedLoops(float32: { map2($0) { (g: Float, r: Float) in r > 0 ? g : 0 } },
                          float64: { map2($0) { (g: Double, r: Double) in r > 0 ? g : 0 } }),
        reference: { g, r in r > 0 ? g : 0 },
        backward: .rule(saves: .inputs) { ctx in
            [ctx.needsGrad[0] ? try ctx.grad.reluBackward(ctx.input(1)) : nil,
             ctx.needsGrad[1] ? try Tensor.zeros(ctx.grad.shape, dtype: ctx.grad.dtype) : nil]
        })

    /// Gradient of maximum/minimum: to the winner, split evenly on ties (as PyTorch does).
    private static func extremumGrads(_ ctx: VJPContext, pickFirst: (Tensor, Tensor) throws -> Tensor) throws -> [Tensor?] {
        let a = try ctx.input(0), b = try ctx.input(1)
        let dt = ctx.grad.dtype
        let weightA = try pickFirst(a, b).to(dt) + (a == b).to(dt) * 0.5
        let ga = try ctx.grad * weightA
        return [ga, ctx.needsGrad[1] ? try ctx.grad - ga : nil]
    }

    /// Tensor ** tensor through the registry (used by the rule above, where `pow` the entry is in scope).
    static func powTensor(_ a: Tensor, _ b: Tensor) throws -> Tensor { try Dispatch.call1(Ops.pow, [a, b]) }

    /// Exact integer-valued cases (negative operands included) where floor rounding is unambiguous.
    private static let integerDivisionSamples: [OpSample] = [
        OpSample([SampleInput([2, 4], .integers(-9, 9)), SampleInput([2, 4], .integers(1, 4))]),
        OpSample([SampleInput([2, 4], .integers(-9, 9)), SampleInput([4], .exactly([-3, -2, 2, 3]))]),
        OpSample([SampleInput([6], .exactly([-7, -6, -1, 0, 5, 7])), SampleInput([6], .integers(-3, -1))]),
        OpSample([SampleInput([0, 4], .integers(-9, 9)), SampleInput([4], .integers(1, 4))]),
    ]

    static func checkIntegerDivisor(_ name: String) -> @Sendable (KernelArgs) throws -> Void {
        { args in
            if args.inputs[1].dtype == .int64, try args.inputs[1].scalars(Int64.self).contains(0) {
                throw TensorError.value("\(name): integer division by zero")
            }
        }
    }
}

@inline(__always) func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
    let (q, overflow) = a.dividedReportingOverflow(by: b)
    if overflow { return b == 0 ? 0 : q }
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
}

@inline(__always) func nanMax<T: FloatingPoint>(_ a: T, _ b: T) -> T { a.isNaN || b.isNaN ? .nan : (a > b ? a : b) }
@inline(__always) func nanMin<T: FloatingPoint>(_ a: T, _ b: T) -> T { a.isNaN || b.isNaN ? .nan : (a < b ? a : b) }

/// Integer power by squaring, wrapping on overflow like PyTorch's int64 arithmetic.
func integerPower(_ base: Int64, _ exponent: Int64) -> Int64 {
    if exponent < 0 { return 0 }
    var result: Int64 = 1, b = base, e = exponent
    while e > 0 {
        if e & 1 == 1 { result = result &* b }
        b = b &* b
        e >>= 1
    }
    return result
}
