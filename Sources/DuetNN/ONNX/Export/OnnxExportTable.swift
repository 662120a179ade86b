import Foundation
import DuetGraph
import DuetTensor

/// How each registry op is written as ONNX (opset 13 to 17): the one table beside the registry
/// that export reads. Every op in `Ops.all` is either here or in `refused` with the reason, which
/// a test holds to (docs/language.md "Deployment").
enum OnnxExportTable {
    typealias Rule = @Sendable (inout OnnxGraphBuilder, GraphNode) throws -> Void

    static func rule(_ op: String) -> Rule? { rules[op] }

    /// Ops no ONNX operator (or short composite) expresses, or that make no sense in a deployed model.
    static let refused: [String: String] = [
        "relu_backward": "it is a backward op (export a model's forward in eval mode)",
        "rand": "a random draw is not part of an inference graph (put the model in eval mode)",
        "randn": "a random draw is not part of an inference graph (put the model in eval mode)",
        "unfold": "ONNX has no im2col operator", "fold": "ONNX has no col2im operator",
        "index_add": "ONNX has no index-add operator", "cumprod": "ONNX has no cumulative product",
        "argsort": "ONNX's TopK does not keep ties in order", "atan2": "ONNX has no atan2",
        "all_reduce": "a collective talks to other ranks", "all_reduce_start": "a collective talks to other ranks",
        "all_reduce_wait": "a collective talks to other ranks", "broadcast": "a collective talks to other ranks",
        "all_gather": "a collective talks to other ranks", "reduce_scatter": "a collective talks to other ranks",
    ]

    private static func same(_ opType: String) -> Rule { { b, n in try b.simple(opType, n) } }

    private static func axis(_ d: Int, _ rank: Int) -> Int { d < 0 ? d + max(rank, 1) : d }

    private static func rank(_ b: OnnxGraphBuilder, _ n: GraphNode) -> Int { b.meta(n.inputs[0]).shape.count }

    /// Two-element window attrs: Duet accepts one number for both.
    private static func pair(_ v: [Int]) -> [Int] { v.count == 1 ? [v[0], v[0]] : v }

    /// A unary composite: `body` gets the input's name and returns the result's.
    private static func composite(_ body: @escaping @Sendable (inout OnnxGraphBuilder, String, DType) throws -> String) -> Rule {
        { b, n in
            let x = try b.promotedInputs(n)[0]
            let result = try body(&b, x, b.meta(n.outputs[0]).dtype)
            b.emit("Identity", [result], to: b.output(n))
        }
    }

    private static func logBase(_ base: Double) -> Rule {
        composite { b, x, dtype in b.emit("Div", [b.emit("Log", [x]), try b.scalar(Foundation.log(base), dtype, "ln\(Int(base))")]) }
    }

    private static func reduce(_ opType: String) -> Rule {
        { b, n in
            let dims = try n.attrs.optionalInts("dim") ?? []
            let keep = OnnxAttribute.int("keepdims", try n.attrs.bool("keepdim") ? 1 : 0)
            // sum of bools and integers is int64, and ONNX reduces bools not at all: cast first.
            let x = try b.input(n, 0, as: b.meta(n.outputs[0]).dtype)
            let axes = dims.map { axis($0, rank(b, n)) }
            if opType == "ReduceSum" || b.opset >= 18 {
                let inputs = axes.isEmpty ? [x] : [x, try b.ints(axes, "axes")]
                b.emit(opType, inputs, [keep], to: b.output(n))
            } else {
                b.emit(opType, [x], axes.isEmpty ? [keep] : [keep, .ints("axes", axes)], to: b.output(n))
            }
        }
    }

    private static func argExtremum(_ opType: String) -> Rule {
        { b, n in
            let keep = try n.attrs.bool("keepdim")
            guard let dim = try n.attrs.optionalInt("dim") else {
                let flat = b.emit("Reshape", [try b.name(n.inputs[0]), try b.ints([-1], "flat")])
                let r = b.emit(opType, [flat], [.int("axis", 0), .int("keepdims", 0)])
                b.emit("Reshape", [r, try b.ints(b.meta(n.outputs[0]).shape, "shape")], to: b.output(n))
                return
            }
            b.emit(opType, [try b.name(n.inputs[0])], [.int("axis", axis(dim, rank(b, n))), .int("keepdims", keep ? 1 : 0)], to: b.output(n))
        }
    }

    private static let rules: [String: Rule] = [
        "add": same("Add"), "sub": same("Sub"), "mul": same("Mul"), "div": same("Div"), "pow": same("Pow"),
        "maximum": same("Max"), "minimum": same("Min"),
        "floor_divide": { b, n in
            let (x, y) = try (b.promotedInputs(n)[0], b.promotedInputs(n)[1])
            guard b.meta(n.outputs[0]).dtype.isFloatingPoint else {
                throw Unexportable(reason: "ONNX's integer Div truncates toward zero, floor_divide rounds down")
            }
            b.emit("Floor", [b.emit("Div", [x, y])], to: b.output(n))
        },
        "remainder": { b, n in
            let inputs = try b.promotedInputs(n)
            if !b.meta(n.outputs[0]).dtype.isFloatingPoint {
                b.emit("Mod", inputs, [.int("fmod", 0)], to: b.output(n))
                return
            }
            let q = b.emit("Floor", [b.emit("Div", inputs)])
            b.emit("Sub", [inputs[0], b.emit("Mul", [inputs[1], q])], to: b.output(n))
        },
        "neg": same("Neg"), "abs": same("Abs"), "sign": same("Sign"), "relu": same("Relu"), "exp": same("Exp"),
        "log": same("Log"), "sqrt": same("Sqrt"), "erf": same("Erf"), "tanh": same("Tanh"), "sigmoid": same("Sigmoid"),
        "rsqrt": composite { b, x, _ in b.emit("Reciprocal", [b.emit("Sqrt", [x])]) },
        "sin": same("Sin"), "cos": same("Cos"), "tan": same("Tan"), "asin": same("Asin"), "acos": same("Acos"),
        "atan": same("Atan"), "sinh": same("Sinh"), "cosh": same("Cosh"), "reciprocal": same("Reciprocal"),
        "floor": same("Floor"), "ceil": same("Ceil"),
        "log2": logBase(2), "log10": logBase(10),
        "log1p": composite { b, x, dtype in b.emit("Log", [b.emit("Add", [x, try b.scalar(1, dtype, "one")])]) },
        "expm1": composite { b, x, dtype in b.emit("Sub", [b.emit("Exp", [x]), try b.scalar(1, dtype, "one")]) },
        "trunc": composite { b, x, _ in b.emit("Mul", [b.emit("Sign", [x]), b.emit("Floor", [b.emit("Abs", [x])])]) },
        "frac": composite { b, x, _ in
            b.emit("Sub", [x, b.emit("Mul", [b.emit("Sign", [x]), b.emit("Floor", [b.emit("Abs", [x])])])])
        },
        "round": { b, n in
            let decimals = try n.attrs.int("decimals")
            let x = try b.name(n.inputs[0])
            let dtype = b.meta(n.inputs[0]).dtype
            guard decimals != 0, dtype.isFloatingPoint else {
                b.emit(dtype.isFloatingPoint ? "Round" : "Identity", [x], to: b.output(n))
                return
            }
            let scale = try b.scalar(Foundation.pow(10, Double(decimals)), dtype, "scale")
            b.emit("Div", [b.emit("Round", [b.emit("Mul", [x, scale])]), scale], to: b.output(n))
        },
        "eq": same("Equal"), "lt": same("Less"), "le": same("LessOrEqual"), "gt": same("Greater"), "ge": same("GreaterOrEqual"),
        "ne": { b, n in b.emit("Not", [b.emit("Equal", try b.promotedInputs(n))], to: b.output(n)) },
        "logical_and": { b, n in b.emit("And", [try b.input(n, 0, as: .bool), try b.input(n, 1, as: .bool)], to: b.output(n)) },
        "logical_or": { b, n in b.emit("Or", [try b.input(n, 0, as: .bool), try b.input(n, 1, as: .bool)], to: b.output(n)) },
        "logical_not": { b, n in b.emit("Not", [try b.input(n, 0, as: .bool)], to: b.output(n)) },
        "where": { b, n in
            let dtype = b.meta(n.outputs[0]).dtype
            b.emit("Where", [try b.input(n, 0, as: .bool), try b.input(n, 1, as: dtype), try b.input(n, 2, as: dtype)], to: b.output(n))
        },
        "masked_fill": { b, n in
            let dtype = b.meta(n.outputs[0]).dtype
            let value = try b.scalar(try n.attrs.double("value"), dtype, "fill")
            b.emit("Where", [try b.input(n, 1, as: .bool), value, try b.name(n.inputs[0])], to: b.output(n))
        },
        "clamp": { b, n in
            let dtype = b.meta(n.outputs[0]).dtype
            let low = try n.attrs.optionalDouble("min").map { try b.scalar($0, dtype, "min") } ?? ""
            let high = try n.attrs.optionalDouble("max").map { try b.scalar($0, dtype, "max") } ?? ""
            b.emit("Clip", [try b.input(n, 0, as: dtype), low, high], to: b.output(n))
        },
        "to": { b, n in
            b.emit("Cast", [try b.name(n.inputs[0])], [.int("to", OnnxDataType.code(try n.attrs.dtype("dtype")))], to: b.output(n))
        },
        "clone": same("Identity"),
        "copy": { b, n in
            let src = try b.input(n, 1, as: b.meta(n.outputs[0]).dtype)
            b.emit("Expand", [src, try b.ints(b.meta(n.outputs[0]).shape, "shape")], to: b.output(n))
        },
        "sum": reduce("ReduceSum"), "amax": reduce("ReduceMax"), "amin": reduce("ReduceMin"),
        "argmax": argExtremum("ArgMax"), "argmin": argExtremum("ArgMin"),
        "view": { b, n in
            let shape = b.overrides[n.index]?["size"] ?? b.meta(n.outputs[0]).shape
            b.emit("Reshape", [try b.name(n.inputs[0]), try b.ints(shape, "shape")], to: b.output(n))
        },
        "permute": { b, n in
            let r = rank(b, n)
            b.emit("Transpose", [try b.name(n.inputs[0])], [.ints("perm", try n.attrs.ints("dims").map { axis($0, r) })], to: b.output(n))
        },
        "expand": { b, n in
            let shape = b.overrides[n.index]?["size"] ?? b.meta(n.outputs[0]).shape
            b.emit("Expand", [try b.name(n.inputs[0]), try b.ints(shape, "shape")], to: b.output(n))
        },
        "slice": { b, n in
            let dim = axis(try n.attrs.int("dim"), rank(b, n))
            let end = try b.overrides[n.index]?["end"]?.first ?? n.attrs.int("end")
            let inputs = [try b.name(n.inputs[0]), try b.ints([try n.attrs.int("start")], "starts"), try b.ints([end], "ends"),
                          try b.ints([dim], "axes"), try b.ints([try n.attrs.int("step")], "steps")]
            b.emit("Slice", inputs, to: b.output(n))
        },
        "gather": { b, n in
            b.emit("GatherElements", [try b.name(n.inputs[0]), try b.name(n.inputs[1])], [.int("axis", axis(try n.attrs.int("dim"), rank(b, n)))],
                   to: b.output(n))
        },
        "index_select": { b, n in
            b.emit("Gather", [try b.name(n.inputs[0]), try b.name(n.inputs[1])], [.int("axis", axis(try n.attrs.int("dim"), rank(b, n)))],
                   to: b.output(n))
        },
        "scatter": { b, n in
            let inputs = [try b.name(n.inputs[0]), try b.name(n.inputs[1]), try b.input(n, 2, as: b.meta(n.outputs[0]).dtype)]
            b.emit("ScatterElements", inputs, [.int("axis", axis(try n.attrs.int("dim"), rank(b, n)))], to: b.output(n))
        },
        "scatter_add": { b, n in
            guard b.opset >= 16 else { throw Unexportable(reason: "ScatterElements adds only from opset 16") }
            let inputs = [try b.name(n.inputs[0]), try b.name(n.inputs[1]), try b.input(n, 2, as: b.meta(n.outputs[0]).dtype)]
            b.emit("ScatterElements", inputs, [.int("axis", axis(try n.attrs.int("dim"), rank(b, n))), .string("reduction", "add")],
                   to: b.output(n))
        },
        "one_hot": { b, n in
            let depth = try b.ints([b.meta(n.outputs[0]).shape.last ?? 0], "depth")
            let values = try b.initializer(try Tensor([0, 1], shape: [2], dtype: b.meta(n.outputs[0]).dtype), "off_on")
            b.emit("OneHot", [try b.name(n.inputs[0]), depth, values], [.int("axis", -1)], to: b.output(n))
        },
        "cat": { b, n in
            try b.simple("Concat", n, [.int("axis", axis(try n.attrs.int("dim"), b.meta(n.outputs[0]).shape.count))])
        },
        "pad": { b, n in
            // Duet's pad runs (left, right) from the last dim backward; ONNX wants all begins, then all ends.
            let pad = try n.attrs.ints("pad"), r = rank(b, n)
            var begins = Array(repeating: 0, count: r), ends = begins
            for k in 0..<(pad.count / 2) where r - 1 - k >= 0 {
                begins[r - 1 - k] = pad[2 * k]
                ends[r - 1 - k] = pad[2 * k + 1]
            }
            let value = try b.scalar(try n.attrs.double("value"), b.meta(n.outputs[0]).dtype, "pad_value")
            b.emit("Pad", [try b.name(n.inputs[0]), try b.ints(begins + ends, "pads"), value], [.string("mode", "constant")], to: b.output(n))
        },
        "matmul": same("MatMul"),
        "softmax": { b, n in try b.simple("Softmax", n, [.int("axis", axis(try n.attrs.int("dim"), rank(b, n)))]) },
        "log_softmax": { b, n in try b.simple("LogSoftmax", n, [.int("axis", axis(try n.attrs.int("dim"), rank(b, n)))]) },
        "cumsum": { b, n in
            b.emit("CumSum", [try b.name(n.inputs[0]), try b.ints([axis(try n.attrs.int("dim"), rank(b, n))], "axis")], to: b.output(n))
        },
        "conv2d": { b, n in
            let weight = b.meta(n.inputs[1]).shape
            let padding = pair(try n.attrs.ints("padding"))
            let attributes: [OnnxAttribute] = [
                .ints("kernel_shape", Array(weight.suffix(2))), .ints("strides", pair(try n.attrs.ints("stride"))),
                .ints("pads", padding + padding), .ints("dilations", pair(try n.attrs.ints("dilation"))),
            ]
            b.emit("Conv", try b.promotedInputs(n), attributes, to: b.output(n))
        },
        "max_pool2d": pool("MaxPool", []),
        "avg_pool2d": pool("AveragePool", [.int("count_include_pad", 1)]),
    ]

    private static func pool(_ opType: String, _ extra: [OnnxAttribute]) -> Rule {
        { b, n in
            let kernel = pair(try n.attrs.ints("kernel_size"))
            let stride = try n.attrs.optionalInts("stride").map(pair) ?? kernel
            let padding = pair(try n.attrs.ints("padding"))
            let attributes: [OnnxAttribute] = [.ints("kernel_shape", kernel), .ints("strides", stride), .ints("pads", padding + padding)] + extra
            b.emit(opType, [try b.name(n.inputs[0])], attributes, to: b.output(n))
        }
    }
}
