import Foundation

/// Random creation as registry entries, so a traced function records a node that draws fresh
/// values on every run instead of freezing the values seen while tracing.
extension Ops {
    public static let rand: OpDef = OpDef(
        name: "rand", doc: "Uniform random values in [low, high) of the given size, from the shared generator.",
        inputs: [],
        attrs: [AttrParam("size", .ints), AttrParam("low", .double, default: .double(0)),
                AttrParam("high", .double, default: .double(1)), AttrParam("dtype", .dtype, default: .dtype(.float32))],
        fusion: .opaque,
        infer: { _, attrs in [try RandomDraw.meta("rand", attrs)] },
        kernel: .compute { args in
            let low = try args.attrs.double("low"), span = try args.attrs.double("high") - low
            try RandomDraw.fill(args.outputs[0]) { next in low + span * RandomDraw.unit(next()) }
        },
        reference: { _, attrs in
            let shape = try attrs.ints("size"), low = try attrs.double("low"), high = try attrs.double("high")
            var data: [Double] = []
            Generator.current.draw { next in
                for _ in 0..<Ref.count(shape) { data.append(low + (high - low) * RandomDraw.unit(next())) }
            }
            return [RefArray(shape: shape, data: data)]
        },
        backward: .notDifferentiable,
        cost: RandomDraw.cost,
        samples: [OpSample([], [.ints([3, 4]), .double(-1), .double(2), .dtype(.float32)]),
                  OpSample([], [.ints([5]), .double(0), .double(1), .dtype(.float64)]),
                  OpSample([], [.ints([0, 3]), .double(0), .double(1), .dtype(.float32)])],
        isRandom: true)

    public static let randn: OpDef = OpDef(
        name: "randn", doc: "Normal random values (mean, std) of the given size, from the shared generator (Box–Muller).",
        inputs: [],
        attrs: [AttrParam("size", .ints), AttrParam("mean", .double, default: .double(0)),
                AttrParam("std", .double, default: .double(1)), AttrParam("dtype", .dtype, default: .dtype(.float32))],
        fusion: .opaque,
        infer: { _, attrs in [try RandomDraw.meta("randn", attrs)] },
        kernel: .compute { args in
            let mean = try args.attrs.double("mean"), std = try args.attrs.double("std")
            var pending: Double?
            try RandomDraw.fill(args.outputs[0]) { next in
                if let p = pending { pending = nil; return p }
                let (a, b) = RandomDraw.normalPair(next(), next())
                pending = mean + std * b
                return mean + std * a
            }
        },
        reference: { _, attrs in
            let shape = try attrs.ints("size"), mean = try attrs.double("mean"), std = try attrs.double("std")
            let n = Ref.count(shape)
            var data: [Double] = []
            Generator.current.draw { next in
                while data.count < n {
                    let (a, b) = RandomDraw.normalPair(next(), next())
                    data.append(mean + std * a)
                    if data.count < n { data.append(mean + std * b) }
                }
            }
            return [RefArray(shape: shape, data: data)]
        },
        backward: .notDifferentiable,
        cost: RandomDraw.cost,
        samples: [OpSample([], [.ints([4, 3]), .double(0), .double(1), .dtype(.float32)]),
                  OpSample([], [.ints([7]), .double(1), .double(0.5), .dtype(.float64)]),
                  OpSample([], [.ints([3, 0]), .double(0), .double(1), .dtype(.float64)])],
        isRandom: true)
}

/// The arithmetic the random entries share: 53-bit uniforms and Box–Muller pairs.
enum RandomDraw {
    static func unit(_ bits: UInt64) -> Double { Double(bits >> 11) * 0x1p-53 }

    /// Two independent standard normals from two draws; the first uniform is shifted off zero.
    static func normalPair(_ a: UInt64, _ b: UInt64) -> (Double, Double) {
        let u1 = (Double(a >> 11) + 1) * 0x1p-53, u2 = unit(b)
        let r = (-2 * Foundation.log(u1)).squareRoot()
        return (r * Foundation.cos(2 * .pi * u2), r * Foundation.sin(2 * .pi * u2))
    }

    static func meta(_ name: String, _ attrs: Attrs) throws -> TensorMeta {
        let shape = try attrs.ints("size"), dtype = try attrs.dtype("dtype")
        guard dtype.isFloatingPoint else { throw TensorError.dtype("\(name): dtype must be floating point, got \(dtype)") }
        _ = try Shape.checkedCount(shape, op: name)
        return TensorMeta(shape: shape, dtype: dtype)
    }

    /// Writes `value(next)` into every element of a contiguous float output, in order.
    static func fill(_ out: Tensor, _ value: (() -> UInt64) -> Double) throws {
        guard let base = out.rawPointer else { return }
        let n = out.count
        Generator.current.draw { bits in
            withoutActuallyEscaping(bits) { next in
                switch out.dtype {
                case .float32:
                    let p = base.assumingMemoryBound(to: Float.self)
                    for i in 0..<n { p[i] = Float(value(next)) }
                case .float64:
                    let p = base.assumingMemoryBound(to: Double.self)
                    for i in 0..<n { p[i] = value(next) }
                case .float16:
                    let p = base.assumingMemoryBound(to: Float16.self)
                    for i in 0..<n { p[i] = Float16(duetDouble: value(next)) }
                case .bfloat16:
                    let p = base.assumingMemoryBound(to: BFloat16.self)
                    for i in 0..<n { p[i] = BFloat16(duetDouble: value(next)) }
                case .bool, .int64: break
                }
            }
        }
    }

    static let cost: @Sendable ([TensorMeta], [TensorMeta], Attrs) throws -> Cost = { _, outs, _ in
        let n = outs.reduce(0) { $0 + Shape.count($1.shape) }
        return Cost(flops: n, bytesRead: 0, bytesWritten: outs.reduce(0) { $0 + Shape.count($1.shape) * $1.dtype.itemSize })
    }
}
