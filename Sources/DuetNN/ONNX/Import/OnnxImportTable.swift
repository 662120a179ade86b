import Foundation
import DuetTensor

/// How each ONNX op runs in Duet, by the semantics of the model's opset (6 to 17): every entry
/// is a short composition of registry ops, so an imported model traces, fuses and plans like any
/// compiled Duet function (docs/language.md "Deployment").
enum OnnxImportTable {
    typealias Rule = @Sendable (OnnxCall) throws -> [Tensor]

    static func rule(_ opType: String) -> Rule? { rules[opType] }

    static var supported: [String] { rules.keys.sorted() }

    private static func unary(_ f: @escaping @Sendable (Tensor) throws -> Tensor) -> Rule { { c in [try f(try c.input(0))] } }

    private static func binary(_ op: OpDef) -> Rule {
        { c in [try Dispatch.call1(op, [try c.input(0), try c.input(1)])] }
    }

    /// Sum, Max, Min, Mean: any number of inputs, broadcast.
    private static func variadic(_ op: OpDef, mean: Bool = false) -> Rule {
        { c in
            let xs = c.inputs.compactMap { $0 }
            guard var acc = xs.first else { throw c.error("needs at least one input") }
            for x in xs.dropFirst() { acc = try Dispatch.call1(op, [acc, x]) }
            return [mean ? try acc.div(.scalar(Double(xs.count))) : acc]
        }
    }

    private static func compare(_ op: OpDef) -> Rule { binary(op) }

    private static func dtype(_ c: OnnxCall, code: Int) throws -> DType {
        guard let d = OnnxDataType.dtype(code) else { throw c.error("element type \(OnnxDataType.name(code)) is not supported") }
        return d
    }

    /// Reduction axes: an attribute before ReduceSum's opset 13 (and the others' 18), an input after.
    private static func reduceAxes(_ c: OnnxCall, inputSince: Int) throws -> [Int]? {
        c.opset >= inputSince ? try c.values(1) : try c.ints("axes")
    }

    private static func reduce(inputSince: Int, _ body: @escaping @Sendable (Tensor, [Int]?, Bool) throws -> Tensor) -> Rule {
        { c in
            let x = try c.input(0)
            let keep = try c.int("keepdims", 1) == 1
            let axes = try reduceAxes(c, inputSince: inputSince)
            if axes?.isEmpty ?? true, try c.int("noop_with_empty_axes", 0) == 1 { return [x] }
            let dims = try axes.map { try $0.map { try c.axis($0, rank: x.rank) } }
            return [try body(x, dims?.isEmpty == true ? nil : dims, keep)]
        }
    }

    /// Softmax and LogSoftmax: before opset 13 the input is flattened to 2-D at `axis` (default 1).
    private static func softmax(log: Bool) -> Rule {
        { c in
            let x = try c.input(0)
            let apply: (Tensor, Int) throws -> Tensor = { t, d in log ? try t.logSoftmax(dim: d) : try t.softmax(dim: d) }
            if c.opset >= 13 { return [try apply(x, try c.axis(try c.int("axis", -1), rank: x.rank))] }
            let axis = try c.axis(try c.int("axis", 1), rank: x.rank)
            let rows = x.shape.prefix(axis).reduce(1, *)
            return [try apply(try x.reshape([rows, -1]), 1).reshape(x.shape)]
        }
    }

    /// ONNX pads are all begins, then all ends; Duet's run (left, right) from the last dim backward.
    private static func duetPad(_ pads: [Int], rank: Int) -> [Int] {
        (0..<rank).reversed().flatMap { d in [pads[d], pads[rank + d]] }
    }

    /// Conv and pool windows: symmetric pads go to the op, asymmetric ones (or auto_pad SAME) are
    /// applied first with `fill`.
    private static func window(_ c: OnnxCall, _ x: Tensor, kernel: [Int], strides: [Int], dilations: [Int], fill: Double) throws -> (Tensor, [Int]) {
        let spatial = x.rank - 2
        var pads = try c.ints("pads") ?? Array(repeating: 0, count: 2 * spatial)
        let auto = try c.string("auto_pad", "NOTSET")
        if auto == "SAME_UPPER" || auto == "SAME_LOWER" {
            pads = Array(repeating: 0, count: 2 * spatial)
            for d in 0..<spatial {
                guard strides[d] > 0 else { throw c.error("strides must be positive, got \(strides)") }
                let size = x.shape[2 + d], out = Int((Double(size) / Double(strides[d])).rounded(.up))
                let reach = Double(out - 1) * Double(strides[d]) + Double(kernel[d] - 1) * Double(dilations[d]) + 1
                let total = try c.size(max(0, reach - Double(size)))
                pads[d] = auto == "SAME_UPPER" ? total / 2 : total - total / 2
                pads[spatial + d] = total - pads[d]
            }
        } else if auto == "VALID" {
            pads = Array(repeating: 0, count: 2 * spatial)
        } else if auto != "NOTSET" {
            throw c.error("auto_pad \(auto) is not supported")
        }
        guard pads.count == 2 * spatial else { throw c.error("pads has \(pads.count) values for \(spatial) spatial dims") }
        let begins = Array(pads.prefix(spatial)), ends = Array(pads.suffix(spatial))
        if begins == ends { return (x, begins) }
        return (try x.pad(duetPad([0, 0] + begins + [0, 0] + ends, rank: x.rank), value: fill), Array(repeating: 0, count: spatial))
    }

    private static func twoD(_ c: OnnxCall, _ x: Tensor) throws {
        guard x.rank == 4 else { throw c.error("only 2-D windows ([N, C, H, W] inputs) are supported, got \(x.rank) dims") }
    }

    private static func pool(average: Bool) -> Rule {
        { c in
            let x = try c.input(0)
            try twoD(c, x)
            guard let kernel = try c.ints("kernel_shape") else { throw c.error("kernel_shape is required") }
            let strides = try c.ints("strides") ?? [1, 1]
            guard try c.int("ceil_mode", 0) == 0 else { throw c.error("ceil_mode=1 is not supported") }
            guard (try c.ints("dilations") ?? [1, 1]).allSatisfy({ $0 == 1 }) else { throw c.error("dilated pooling is not supported") }
            let (padded, pads) = try window(c, x, kernel: kernel, strides: strides, dilations: [1, 1], fill: average ? 0 : -Double.infinity)
            guard average else { return [try padded.maxPool2d(kernelSize: kernel, stride: strides, padding: pads)] }
            let sum = try padded.avgPool2d(kernelSize: kernel, stride: strides, padding: pads)
            guard try c.int("count_include_pad", 0) == 0, pads.contains(where: { $0 > 0 }) || padded !== x else { return [sum] }
            // Padding not counted: divide by the share of each window that lies in the input.
            let ones = try Tensor.ones([1, 1] + Array(x.shape.suffix(2)), dtype: x.dtype)
            let (onesPadded, _) = try window(c, ones, kernel: kernel, strides: strides, dilations: [1, 1], fill: 0)
            return [try sum.div(try onesPadded.avgPool2d(kernelSize: kernel, stride: strides, padding: pads))]
        }
    }

    private static func conv(_ c: OnnxCall) throws -> [Tensor] {
        let x = try c.input(0), w = try c.input(1)
        try twoD(c, x)
        guard try c.int("group", 1) == 1 else { throw c.error("grouped convolution (group=\(try c.int("group", 1))) is not supported") }
        let kernel = try c.ints("kernel_shape") ?? Array(w.shape.suffix(2))
        let strides = try c.ints("strides") ?? [1, 1], dilations = try c.ints("dilations") ?? [1, 1]
        let (padded, pads) = try window(c, x, kernel: kernel, strides: strides, dilations: dilations, fill: 0)
        return [try padded.conv2d(w, c.optional(2), stride: strides, padding: pads, dilation: dilations)]
    }

    /// ConvTranspose as the adjoint of im2col: weight columns times the input, summed back by `fold`.
    private static func convTranspose(_ c: OnnxCall) throws -> [Tensor] {
        let x = try c.input(0), w = try c.input(1)
        try twoD(c, x)
        guard try c.int("group", 1) == 1 else { throw c.error("grouped transposed convolution is not supported") }
        guard (try c.ints("output_padding") ?? [0, 0]).allSatisfy({ $0 == 0 }), try c.ints("output_shape") == nil else {
            throw c.error("output_padding and output_shape are not supported")
        }
        guard try c.string("auto_pad", "NOTSET") == "NOTSET" else { throw c.error("auto_pad is not supported") }
        let kernel = Array(w.shape.suffix(2)), strides = try c.ints("strides") ?? [1, 1], dilations = try c.ints("dilations") ?? [1, 1]
        let pads = try c.ints("pads") ?? [0, 0, 0, 0]
        guard pads.count == 4, pads[0] == pads[2], pads[1] == pads[3] else { throw c.error("asymmetric pads are not supported") }
        let (n, cin, h, wd) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let cout = w.shape[1]
        let outSize = try (0..<2).map { d -> Int in
            let extent = Double([h, wd][d] - 1) * Double(strides[d]) - 2 * Double(pads[d])
            return try c.size(extent + Double(dilations[d]) * Double(kernel[d] - 1) + 1)
        }
        let columns = try w.reshape([cin, cout * kernel[0] * kernel[1]]).transpose(0, 1).matmul(try x.reshape([n, cin, h * wd]))
        var y = try columns.fold(outputSize: outSize, kernelSize: kernel, dilation: dilations, padding: Array(pads.prefix(2)), stride: strides)
        if let b = c.optional(2) { y = try y.add(b.reshape([1, cout, 1, 1])) }
        return [y]
    }

    /// BatchNormalization at inference: the running statistics, per channel (dim 1).
    private static func batchNorm(_ c: OnnxCall) throws -> [Tensor] {
        let x = try c.input(0)
        let testMode = try c.opset < 7 && c.int("is_test", 0) == 1
        guard c.node.outputs.dropFirst().allSatisfy(\.isEmpty) || testMode else {
            throw c.error("training mode (running statistics as outputs) is not supported")
        }
        let shape = [1, x.shape.count > 1 ? x.shape[1] : 1] + Array(repeating: 1, count: max(x.rank - 2, 0))
        let eps = try c.float("epsilon", 1e-5)
        let scale = try c.input(1).reshape(shape), bias = try c.input(2).reshape(shape)
        let mean = try c.input(3).reshape(shape), variance = try c.input(4).reshape(shape)
        let inv = try variance.add(.scalar(eps)).rsqrt()
        return [try x.sub(mean).mul(inv).mul(scale).add(bias)]
    }

    private static func instanceNorm(_ c: OnnxCall) throws -> [Tensor] {
        let x = try c.input(0)
        let dims = Array(2..<max(x.rank, 2))
        guard !dims.isEmpty else { throw c.error("needs spatial dims") }
        let shape = [1, x.shape[1]] + Array(repeating: 1, count: x.rank - 2)
        let mean = try x.mean(dims: dims, keepdim: true)
        let centered = try x.sub(mean)
        let variance = try centered.mul(centered).mean(dims: dims, keepdim: true)
        let normed = try centered.mul(try variance.add(.scalar(try c.float("epsilon", 1e-5))).rsqrt())
        return [try normed.mul(try c.input(1).reshape(shape)).add(try c.input(2).reshape(shape))]
    }

    private static func layerNorm(_ c: OnnxCall) throws -> [Tensor] {
        let x = try c.input(0)
        let axis = try c.axis(try c.int("axis", -1), rank: x.rank)
        guard c.node.outputs.dropFirst().allSatisfy(\.isEmpty) else { throw c.error("Mean and InvStdDev outputs are not supported") }
        let dims = Array(axis..<x.rank)
        let mean = try x.mean(dims: dims, keepdim: true)
        let centered = try x.sub(mean)
        let variance = try centered.mul(centered).mean(dims: dims, keepdim: true)
        var y = try centered.mul(try variance.add(.scalar(try c.float("epsilon", 1e-5))).rsqrt()).mul(try c.input(1))
        if let b = c.optional(2) { y = try y.add(b) }
        return [y]
    }

    private static func gemm(_ c: OnnxCall) throws -> [Tensor] {
        var a = try c.input(0), b = try c.input(1)
        if try c.int("transA", 0) == 1 { a = try a.transpose(0, 1) }
        if try c.int("transB", 0) == 1 { b = try b.transpose(0, 1) }
        var y = try a.matmul(b)
        let alpha = try c.float("alpha", 1), beta = try c.float("beta", 1)
        if alpha != 1 { y = try y.mul(.scalar(alpha)) }
        if let bias = c.optional(2) { y = try y.add(beta == 1 ? bias : bias.mul(.scalar(beta))) }
        return [y]
    }

    /// Reshape: 0 copies the input's dim (unless allowzero), one -1 is inferred.
    private static func reshape(_ c: OnnxCall) throws -> [Tensor] {
        let x = try c.input(0)
        guard var shape = c.opset >= 5 ? try c.values(1) : try c.ints("shape") else { throw c.error("the shape is missing") }
        if try c.int("allowzero", 0) == 0 {
            for (i, d) in shape.enumerated() where d == 0 {
                guard i < x.rank else { throw c.error("shape \(shape) copies dim \(i) of a \(x.rank)-dim input") }
                shape[i] = x.shape[i]
            }
        }
        return [try x.reshape(shape)]
    }

    private static func flatten(_ c: OnnxCall) throws -> [Tensor] {
        let x = try c.input(0)
        let axis = try c.int("axis", 1)
        let a = axis < 0 ? axis + x.rank : axis
        guard a >= 0, a <= x.rank else { throw c.error("axis \(axis) is out of range for \(x.rank) dims") }
        return [try x.reshape([x.shape.prefix(a).reduce(1, *), x.shape.dropFirst(a).reduce(1, *)])]
    }

    private static func squeezeAxes(_ c: OnnxCall) throws -> [Int]? { c.opset >= 13 ? try c.values(1) : try c.ints("axes") }

    private static func unsqueeze(_ c: OnnxCall) throws -> [Tensor] {
        var x = try c.input(0)
        guard let axes = try squeezeAxes(c) else { throw c.error("axes are missing") }
        let rank = x.rank + axes.count
        for a in try axes.map({ try c.axis($0, rank: rank) }).sorted() { x = try x.unsqueeze(a) }
        return [x]
    }

    private static func squeeze(_ c: OnnxCall) throws -> [Tensor] {
        let x = try c.input(0)
        let axes = try squeezeAxes(c).map { try $0.map { try c.axis($0, rank: x.rank) } } ?? x.shape.indices.filter { x.shape[$0] == 1 }
        for a in axes where x.shape[a] != 1 { throw c.error("cannot squeeze dim \(a) of size \(x.shape[a])") }
        return [try x.reshape(x.shape.indices.filter { !axes.contains($0) }.map { x.shape[$0] })]
    }

    /// Slice: attributes before opset 10, inputs after; ends past the dim clamp to it.
    private static func slice(_ c: OnnxCall) throws -> [Tensor] {
        var x = try c.input(0)
        let starts: [Int], ends: [Int], axes: [Int]?, steps: [Int]?
        if c.opset >= 10 {
            guard let s = try c.values(1), let e = try c.values(2) else { throw c.error("starts and ends are required") }
            (starts, ends, axes, steps) = (s, e, try c.values(3), try c.values(4))
        } else {
            guard let s = try c.ints("starts"), let e = try c.ints("ends") else { throw c.error("starts and ends are required") }
            (starts, ends, axes, steps) = (s, e, try c.ints("axes"), nil)
        }
        let dims = try (axes ?? Array(0..<starts.count)).map { try c.axis($0, rank: x.rank) }
        guard starts.count == ends.count, dims.count == starts.count, (steps?.count ?? starts.count) == starts.count else {
            throw c.error("starts, ends, axes and steps differ in length")
        }
        for (k, d) in dims.enumerated() {
            let step = steps?[k] ?? 1
            guard step != 0 else { throw c.error("step 0 on axis \(d)") }
            let size = x.shape[d]
            if step < 0 {
                // Backward: start clamps to [0, size - 1], end to [-1, size - 1]; the picks are explicit.
                func clampBack(_ v: Int) -> Int { min(max(v < 0 ? v + size : v, -1), size - 1) }
                let picks = Array(stride(from: clampBack(starts[k]), to: clampBack(ends[k]), by: step))
                x = try x.indexSelect(dim: d, index: try Tensor(picks.map(Double.init), shape: [picks.count], dtype: .int64))
                continue
            }
            func clamp(_ v: Int) -> Int { v < 0 ? max(v + size, 0) : min(v, size) }
            let start = clamp(starts[k]), end = max(clamp(ends[k]), start)
            x = try x.slice(dim: d, start: start, end: end, step: step)
        }
        return [x]
    }

    private static func split(_ c: OnnxCall) throws -> [Tensor] {
        let x = try c.input(0)
        let axis = try c.axis(try c.int("axis", 0), rank: x.rank)
        let count = c.node.outputs.count
        var sizes = c.opset >= 13 ? try c.values(1) : try c.ints("split")
        if sizes == nil {
            guard count > 0, x.shape[axis] % count == 0 else { throw c.error("dim \(axis) of size \(x.shape[axis]) does not split evenly into \(count)") }
            sizes = Array(repeating: x.shape[axis] / count, count: count)
        }
        guard let sizes, sizes.reduce(0, +) == x.shape[axis], sizes.count == count else {
            throw c.error("split sizes do not add up to dim \(axis) (\(x.shape[axis])) over \(count) outputs")
        }
        var start = 0
        return try sizes.map { s in
            defer { start += s }
            return try x.slice(dim: axis, start: start, end: start + s)
        }
    }

    /// Gather along an axis with indices of any rank (negative ones count from the end).
    private static func gather(_ c: OnnxCall) throws -> [Tensor] {
        let x = try c.input(0), index = try c.input(1)
        let axis = try c.axis(try c.int("axis", 0), rank: x.rank)
        var flat = try index.reshape([-1])
        let negative = try flat.isSymbolic || OnnxCall.read(flat).contains { $0 < 0 }
        if negative {
            let wrapped = try flat.add(.scalar(x.shape[axis]))
            flat = try Dispatch.call1(Ops.where_, [try Dispatch.call1(Ops.lt, [flat, .scalar(0)]), wrapped, flat])
        }
        let picked = try x.indexSelect(dim: axis, index: flat)
        return [try picked.reshape(Array(x.shape.prefix(axis)) + index.shape + Array(x.shape.dropFirst(axis + 1)))]
    }

    private static func expand(_ c: OnnxCall) throws -> [Tensor] {
        let x = try c.input(0)
        guard let shape = try c.values(1) else { throw c.error("the shape is missing") }
        return [try x.expand(try Tensor.broadcastShapes([x.shape, shape]))]
    }

    private static func tile(_ c: OnnxCall) throws -> [Tensor] {
        let x = try c.input(0)
        guard let repeats = try c.values(1), repeats.count == x.rank else { throw c.error("repeats must have one value per dim") }
        let interleaved = zip(repeats, x.shape).flatMap { [1, $1] }
        let expanded = zip(repeats, x.shape).flatMap { [$0, $1] }
        let tiled = try zip(repeats, x.shape).map { try c.size(Double($0) * Double($1)) }
        return [try x.reshape(interleaved).expand(expanded).reshape(tiled)]
    }

    private static func pad(_ c: OnnxCall) throws -> [Tensor] {
        let x = try c.input(0)
        guard try c.string("mode", "constant") == "constant" else { throw c.error("mode \(try c.string("mode", "")) is not supported (only constant)") }
        guard let pads = c.opset >= 11 ? try c.values(1) : try c.ints("pads") else { throw c.error("pads are missing") }
        guard pads.count == 2 * x.rank else { throw c.error("pads has \(pads.count) values for \(x.rank) dims") }
        let value = c.opset >= 11 ? try c.scalar(2) ?? 0 : try c.float("value", 0)
        return [try x.pad(duetPad(pads, rank: x.rank), value: value)]
    }

    private static func clip(_ c: OnnxCall) throws -> [Tensor] {
        let x = try c.input(0)
        if c.opset < 11 {
            return [try x.clamp(min: try c.float("min", -Double.greatestFiniteMagnitude), max: try c.float("max", Double.greatestFiniteMagnitude))]
        }
        var y = x
        if let low = c.optional(1) { y = low.isSymbolic ? try y.maximum(low) : try y.clamp(min: try c.scalar(1)) }
        if let high = c.optional(2) { y = high.isSymbolic ? try y.minimum(high) : try y.clamp(max: try c.scalar(2)) }
        return [y]
    }

    private static func positive(_ x: Tensor) throws -> Tensor { try Dispatch.call1(Ops.gt, [x, .scalar(0)]) }

    private static func constant(_ c: OnnxCall) throws -> [Tensor] {
        if let t = try c.tensor("value") { return [t] }
        if let f = try c.floats("value_floats") { return [try Tensor(f.map(Double.init), shape: [f.count])] }
        if let i = try c.ints("value_ints") { return [try Tensor(i.map(Double.init), shape: [i.count], dtype: .int64)] }
        if c.node.attributes.contains(where: { $0.name == "value_float" }) { return [try Tensor([try c.float("value_float", 0)], shape: [])] }
        if c.node.attributes.contains(where: { $0.name == "value_int" }) {
            return [try Tensor([Double(try c.int("value_int", 0))], shape: [], dtype: .int64)]
        }
        throw c.error("no value Duet can read (sparse and string constants are not supported)")
    }

    private static func intDivide(_ a: Tensor, _ b: Tensor) throws -> Tensor {
        // ONNX's integer Div truncates toward zero.
        try a.div(b).trunc().to(.int64)
    }

    private static let rules: [String: Rule] = [
        "Identity": unary { $0 },
        "Dropout": { c in
            let x = try c.input(0)
            return c.wants(1) ? [x, try Tensor.ones(x.shape, dtype: .bool)] : [x]
        },
        "Add": binary(Ops.add), "Sub": binary(Ops.sub), "Mul": binary(Ops.mul), "Pow": binary(Ops.pow),
        "Div": { c in
            let a = try c.input(0), b = try c.input(1)
            return [a.dtype == .int64 && b.dtype == .int64 ? try intDivide(a, b) : try a.div(b)]
        },
        "Mod": { c in
            let a = try c.input(0), b = try c.input(1)
            guard try c.int("fmod", 0) == 0 else { return [try a.sub(try b.mul(try a.div(b).trunc()))] }
            return [try a.remainder(b)]
        },
        "Sum": variadic(Ops.add), "Max": variadic(Ops.maximum), "Min": variadic(Ops.minimum), "Mean": variadic(Ops.add, mean: true),
        "Neg": unary { try $0.neg() }, "Abs": unary { try $0.abs() }, "Sign": unary { try $0.sign() },
        "Relu": unary { try $0.relu() }, "Exp": unary { try $0.exp() }, "Log": unary { try $0.log() },
        "Sqrt": unary { try $0.sqrt() }, "Erf": unary { try $0.erf() }, "Tanh": unary { try $0.tanh() },
        "Sigmoid": unary { try $0.sigmoid() }, "Reciprocal": unary { try $0.reciprocal() },
        "Floor": unary { try $0.floor() }, "Ceil": unary { try $0.ceil() }, "Round": unary { try $0.round() },
        "Sin": unary { try $0.sin() }, "Cos": unary { try $0.cos() }, "Tan": unary { try $0.tan() },
        "Asin": unary { try $0.asin() }, "Acos": unary { try $0.acos() }, "Atan": unary { try $0.atan() },
        "Sinh": unary { try $0.sinh() }, "Cosh": unary { try $0.cosh() },
        "Not": unary { try $0.logicalNot() },
        "LeakyRelu": { c in
            let x = try c.input(0)
            return [try Dispatch.call1(Ops.where_, [try positive(x), x, try x.mul(.scalar(try c.float("alpha", 0.01)))])]
        },
        "PRelu": { c in
            let x = try c.input(0)
            return [try Dispatch.call1(Ops.where_, [try positive(x), x, try x.mul(try c.input(1))])]
        },
        "Elu": { c in
            let x = try c.input(0)
            return [try Dispatch.call1(Ops.where_, [try positive(x), x, try x.expm1().mul(.scalar(try c.float("alpha", 1)))])]
        },
        "Selu": { c in
            let x = try c.input(0)
            let alpha = try c.float("alpha", 1.67326319217681884765625), gamma = try c.float("gamma", 1.05070102214813232421875)
            let negative = try x.expm1().mul(.scalar(alpha))
            return [try Dispatch.call1(Ops.where_, [try positive(x), x, negative]).mul(.scalar(gamma))]
        },
        "Softplus": unary { x in try x.relu().add(try x.abs().neg().exp().log1p()) },
        "Equal": compare(Ops.eq), "Less": compare(Ops.lt), "Greater": compare(Ops.gt),
        "LessOrEqual": compare(Ops.le), "GreaterOrEqual": compare(Ops.ge),
        "And": binary(Ops.logicalAnd), "Or": binary(Ops.logicalOr),
        "Where": { c in [try Dispatch.call1(Ops.where_, [try c.input(0).to(.bool), try c.input(1), try c.input(2)])] },
        "Cast": { c in [try c.input(0).to(try dtype(c, code: try c.int("to", 1)))] },
        "Softmax": softmax(log: false), "LogSoftmax": softmax(log: true),
        "MatMul": binary(Ops.matmul),
        "Gemm": gemm,
        "Conv": conv, "ConvTranspose": convTranspose,
        "MaxPool": { c in
            guard !c.wants(1) else { throw c.error("the Indices output is not supported") }
            return try pool(average: false)(c)
        },
        "AveragePool": pool(average: true),
        "GlobalAveragePool": unary { x in try x.mean(dims: Array(2..<max(x.rank, 2)), keepdim: true) },
        "GlobalMaxPool": unary { x in try x.amax(dims: Array(2..<max(x.rank, 2)), keepdim: true) },
        "BatchNormalization": batchNorm, "InstanceNormalization": instanceNorm, "LayerNormalization": layerNorm,
        "Flatten": flatten, "Reshape": reshape,
        "Transpose": { c in
            let x = try c.input(0)
            let perm = try c.ints("perm") ?? Array((0..<x.rank).reversed())
            return [try x.permute(try perm.map { try c.axis($0, rank: x.rank) })]
        },
        "Concat": { c in
            let xs = c.inputs.compactMap { $0 }
            guard let first = xs.first else { throw c.error("needs at least one input") }
            return [try Tensor.cat(xs, dim: try c.axis(try c.int("axis", 0), rank: first.rank))]
        },
        "Split": split, "Slice": slice, "Gather": gather,
        "GatherElements": { c in
            let x = try c.input(0)
            return [try x.gather(dim: try c.axis(try c.int("axis", 0), rank: x.rank), index: try c.input(1))]
        },
        "Unsqueeze": unsqueeze, "Squeeze": squeeze, "Expand": expand, "Tile": tile, "Pad": pad, "Clip": clip,
        "ReduceMean": reduce(inputSince: 18) { x, d, k in try x.mean(dims: d, keepdim: k) },
        "ReduceSum": reduce(inputSince: 13) { x, d, k in try x.sum(dims: d, keepdim: k) },
        "ReduceMax": reduce(inputSince: 18) { x, d, k in try x.amax(dims: d, keepdim: k) },
        "ReduceMin": reduce(inputSince: 18) { x, d, k in try x.amin(dims: d, keepdim: k) },
        "ArgMax": { c in
            let x = try c.input(0)
            guard try c.int("select_last_index", 0) == 0 else { throw c.error("select_last_index=1 is not supported") }
            return [try x.argmax(dim: try c.axis(try c.int("axis", 0), rank: x.rank), keepdim: try c.int("keepdims", 1) == 1)]
        },
        "ArgMin": { c in
            let x = try c.input(0)
            guard try c.int("select_last_index", 0) == 0 else { throw c.error("select_last_index=1 is not supported") }
            return [try x.argmin(dim: try c.axis(try c.int("axis", 0), rank: x.rank), keepdim: try c.int("keepdims", 1) == 1)]
        },
        "CumSum": { c in
            let x = try c.input(0)
            guard try c.int("exclusive", 0) == 0, try c.int("reverse", 0) == 0 else { throw c.error("exclusive and reverse are not supported") }
            guard let axis = try c.values(1)?.first else { throw c.error("the axis is missing") }
            return [try x.cumsum(dim: try c.axis(axis, rank: x.rank))]
        },
        "Shape": { c in
            let shape = try c.input(0).shape
            let r = shape.count
            func at(_ v: Int) -> Int { min(max(v < 0 ? v + r : v, 0), r) }
            let dims = Array(shape[at(try c.int("start", 0))..<max(at(try c.int("end", r)), at(try c.int("start", 0)))])
            return [try Tensor(dims.map(Double.init), shape: [dims.count], dtype: .int64)]
        },
        "Size": { c in [try Tensor([Double(try c.input(0).count)], shape: [], dtype: .int64)] },
        "Constant": constant,
        "ConstantOfShape": { c in
            let shape = try c.values(0) ?? []
            let value = try c.tensor("value")
            return [try Tensor.full(shape, try value.map(OnnxCall.read)?.first ?? 0, dtype: value?.dtype ?? .float32)]
        },
        "Range": { c in
            guard let start = try c.scalar(0), let limit = try c.scalar(1), let delta = try c.scalar(2) else { throw c.error("start, limit and delta are required") }
            return [try Tensor.arange(start, limit, step: delta, dtype: try c.input(0).dtype)]
        },
    ]
}
