import Foundation
import Testing
@testable import DuetNN
import DuetTensor

/// Layer forward values against hand computations and naive loops, normalization statistics,
/// dropout, embedding lookups, default initialisation bounds and shape errors.
@Suite struct LayerTests {
    private func tensor(_ values: [Double], _ shape: [Int], _ dtype: DType = .float32) throws -> Tensor {
        try Tensor(values, shape: shape, dtype: dtype)
    }

    private func set(_ t: Tensor, _ values: [Double]) throws {
        _ = try withNoGrad { try t.copy_(try Tensor(values, shape: t.shape, dtype: t.dtype)) }
    }

    private func expectClose(_ actual: [Double], _ expected: [Double], tol: Double,
                             sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(actual.count == expected.count, "\(actual.count) values, expected \(expected.count)", sourceLocation: sourceLocation)
        for (i, (a, e)) in zip(actual, expected).enumerated() where !(Swift.abs(a - e) <= tol * Swift.max(1, Swift.abs(e))) {
            Issue.record("element \(i): got \(a), expected \(e)", sourceLocation: sourceLocation)
        }
    }

    /// The error's message, for checking that it names what went wrong.
    private func message(_ body: () throws -> Any) -> String? {
        do { _ = try body() } catch { return String(describing: error) }
        return nil
    }

    // MARK: Linear

    @Test func linearOnKnownWeights() throws {
        let layer = try Linear(3, 2)
        try set(layer.weight, [1, 2, 3, 4, 5, 6])
        try set(layer.bias!, [0.5, -1])
        let x = try tensor([1, 0, -1, 2, 1, 0], [2, 3])
        let y = try layer(x)
        #expect(y.shape == [2, 2])
        #expect(try y.toDoubles() == [-1.5, -3, 4.5, 12])
        // Leading dims are batch dims.
        let y3 = try layer(try x.reshape([2, 1, 3]))
        #expect(y3.shape == [2, 1, 2])
        #expect(try y3.toDoubles() == [-1.5, -3, 4.5, 12])
        // Without bias.
        let plain = try Linear(3, 2, bias: false)
        #expect(plain.bias == nil && plain.parameters().count == 1)
        try set(plain.weight, [1, 2, 3, 4, 5, 6])
        #expect(try plain(x).toDoubles() == [-2, -2, 4, 13])
        // Gradient flows to weight and bias: d(sum y)/dW = column sums of x per output row.
        try layer(x).sum().backward()
        #expect(try layer.weight.grad!.toDoubles() == [3, 1, -1, 3, 1, -1])
        #expect(try layer.bias!.grad!.toDoubles() == [2, 2])
    }

    @Test func linearRejectsBadShapesAndSizes() throws {
        let layer = try Linear(3, 2)
        #expect(throws: TensorError.shape("Linear(3, 2): input shape [2, 4] does not end in 3")) { try layer(try Tensor.zeros([2, 4])) }
        #expect(throws: TensorError.self) { try layer(try Tensor.zeros([])) }
        #expect(throws: TensorError.value("Linear: in_features and out_features must be positive, got 0 and 2")) { try Linear(0, 2) }
        #expect(throws: TensorError.self) { try Linear(3, -1) }
    }

    // MARK: Conv2d

    /// A direct loop over output pixels: what conv2d means, written without im2col.
    private func naiveConv2d(_ x: [Double], _ xs: [Int], _ w: [Double], _ ws: [Int], _ b: [Double]?,
                             stride: [Int], padding: [Int], dilation: [Int]) -> (values: [Double], shape: [Int]) {
        let (n, c, h, wd) = (xs[0], xs[1], xs[2], xs[3])
        let (o, kh, kw) = (ws[0], ws[2], ws[3])
        let oh = (h + 2 * padding[0] - dilation[0] * (kh - 1) - 1) / stride[0] + 1
        let ow = (wd + 2 * padding[1] - dilation[1] * (kw - 1) - 1) / stride[1] + 1
        var out: [Double] = []
        for bi in 0..<n {
            for oc in 0..<o {
                for i in 0..<oh {
                    for j in 0..<ow {
                        var acc = b?[oc] ?? 0
                        for ic in 0..<c {
                            for u in 0..<kh {
                                for v in 0..<kw {
                                    let y = i * stride[0] - padding[0] + u * dilation[0]
                                    let xx = j * stride[1] - padding[1] + v * dilation[1]
                                    guard y >= 0, y < h, xx >= 0, xx < wd else { continue }
                                    acc += x[((bi * c + ic) * h + y) * wd + xx] * w[((oc * c + ic) * kh + u) * kw + v]
                                }
                            }
                        }
                        out.append(acc)
                    }
                }
            }
        }
        return (out, [n, o, oh, ow])
    }

    @Test func conv2dTinyCaseByHand() throws {
        let conv = try Conv2d(1, 1, kernelSize: 2, bias: false)
        try set(conv.weight, [1, 1, 1, 1])
        let x = try tensor((1...9).map(Double.init), [1, 1, 3, 3])
        let y = try conv(x)
        #expect(y.shape == [1, 1, 2, 2])
        #expect(try y.toDoubles() == [12, 16, 24, 28])
        // Padding 1 with a [1, -1] kernel: differences along a row, zeros outside.
        let edge = try Conv2d(1, 1, kernelSize: [1, 2], padding: [0, 1], bias: true)
        try set(edge.weight, [1, -1])
        try set(edge.bias!, [10])
        let e = try edge(x)
        #expect(e.shape == [1, 1, 3, 4])
        #expect(try e.toDoubles() == [9, 9, 9, 13, 6, 9, 9, 16, 3, 9, 9, 19])
    }

    struct ConvCase: Sendable, CustomTestStringConvertible {
        let input: [Int], outChannels: Int, kernel: [Int], stride: [Int], padding: [Int], dilation: [Int], outHW: [Int]
        var testDescription: String { "input \(input) k\(kernel) s\(stride) p\(padding) d\(dilation)" }
    }

    @Test(arguments: [
        ConvCase(input: [2, 3, 7, 6], outChannels: 4, kernel: [3, 2], stride: [2, 1], padding: [1, 0], dilation: [1, 2], outHW: [4, 4]),
        ConvCase(input: [1, 2, 5, 5], outChannels: 3, kernel: [3, 3], stride: [1, 1], padding: [1, 1], dilation: [1, 1], outHW: [5, 5]),
        ConvCase(input: [1, 1, 8, 9], outChannels: 2, kernel: [3, 3], stride: [3, 2], padding: [2, 0], dilation: [2, 1], outHW: [3, 4]),
        ConvCase(input: [3, 2, 4, 4], outChannels: 1, kernel: [1, 1], stride: [2, 2], padding: [0, 0], dilation: [1, 1], outHW: [2, 2]),
    ])
    func conv2dMatchesANaiveLoop(_ c: ConvCase) throws {
        let conv = try Conv2d(c.input[1], c.outChannels, kernelSize: c.kernel, stride: c.stride, padding: c.padding, dilation: c.dilation)
        let x = try Tensor.randn(c.input)
        let y = try conv(x)
        #expect(y.shape == [c.input[0], c.outChannels] + c.outHW)
        let ref = naiveConv2d(try x.toDoubles(), c.input, try conv.weight.toDoubles(), conv.weight.shape, try conv.bias!.toDoubles(),
                              stride: c.stride, padding: c.padding, dilation: c.dilation)
        #expect(ref.shape == y.shape)
        expectClose(try y.toDoubles(), ref.values, tol: 1e-5)
    }

    @Test func conv2dRejectsBadInputs() throws {
        let conv = try Conv2d(3, 4, kernelSize: 3)
        #expect(throws: TensorError.self) { try conv(try Tensor.zeros([1, 2, 5, 5])) }   // wrong channel count
        #expect(throws: TensorError.self) { try conv(try Tensor.zeros([3, 5, 5])) }      // not 4-D
        #expect(throws: TensorError.self) { try conv(try Tensor.zeros([1, 3, 2, 2])) }   // smaller than the kernel
        #expect(message { try conv(try Tensor.zeros([3, 5, 5])) }?.contains("[3,5,5]") == true)
        #expect(throws: TensorError.self) { try Conv2d(0, 4, kernelSize: 3) }
        #expect(throws: TensorError.self) { try Conv2d(3, 4, kernelSize: 0) }
        #expect(throws: TensorError.self) { try Conv2d(3, 4, kernelSize: [2, 2, 2]) }
    }

    // MARK: Pooling and Flatten

    @Test func maxAndAveragePoolingValues() throws {
        let x = try tensor((0..<16).map(Double.init), [1, 1, 4, 4])
        let mx = try MaxPool2d(2)(x)
        #expect(mx.shape == [1, 1, 2, 2])
        #expect(try mx.toDoubles() == [5, 7, 13, 15])
        let av = try AvgPool2d(2)(x)
        #expect(try av.toDoubles() == [2.5, 4.5, 10.5, 12.5])
        // Overlapping windows (stride 1).
        let x3 = try tensor([1, 5, 2, 0, 3, 9, 4, 8, 6], [1, 1, 3, 3])
        #expect(try MaxPool2d(2, stride: 1)(x3).toDoubles() == [5, 9, 8, 9])
        #expect(try AvgPool2d(2, stride: 1)(x3).toDoubles() == [2.25, 4.75, 3.75, 6.5])
        // Channels and batch are pooled independently.
        let two = try tensor([1, 2, 3, 4, -1, -2, -3, -4], [1, 2, 2, 2])
        #expect(try MaxPool2d(2)(two).toDoubles() == [4, -1])
        #expect(try AvgPool2d(2)(two).toDoubles() == [2.5, -2.5])
    }

    @Test func poolingWithPaddingFollowsPyTorch() throws {
        // PyTorch: max pooling pads with -inf; average pooling counts the zero padding (count_include_pad=True).
        let x = try tensor((1...9).map(Double.init), [1, 1, 3, 3])
        let mx = try MaxPool2d(2, stride: 2, padding: 1)(x)
        #expect(mx.shape == [1, 1, 2, 2])
        #expect(try mx.toDoubles() == [1, 3, 7, 9])
        let av = try AvgPool2d(2, stride: 2, padding: 1)(x)
        #expect(try av.toDoubles() == [0.25, 1.25, 2.75, 7])
        let negative = try tensor((1...9).map { -Double($0) }, [1, 1, 3, 3])
        #expect(try MaxPool2d(2, stride: 2, padding: 1)(negative).toDoubles() == [-1, -2, -4, -5])
    }

    @Test func poolingRejectsBadShapes() throws {
        #expect(throws: TensorError.self) { try MaxPool2d(2)(try Tensor.zeros([4, 4])) }
        #expect(throws: TensorError.self) { try AvgPool2d(5)(try Tensor.zeros([1, 1, 4, 4])) }
    }

    @Test func flattenShapesAndOrder() throws {
        let x = try tensor((0..<120).map(Double.init), [2, 3, 4, 5])
        let f = try Flatten()(x)
        #expect(f.shape == [2, 60])
        #expect(try f.toDoubles() == (0..<120).map(Double.init))
        #expect(try Flatten(startDim: 0)(x).shape == [120])
        #expect(try Flatten(startDim: 1, endDim: 2)(x).shape == [2, 12, 5])
        #expect(try Flatten(startDim: -2)(x).shape == [2, 3, 20])
        #expect(throws: TensorError.self) { try Flatten(startDim: 3, endDim: 1)(x) }
        #expect(throws: TensorError.self) { try Flatten(startDim: 5)(x) }
    }

    // MARK: Activations

    @Test func activationValues() throws {
        let xs: [Double] = [-3, -1, -0.25, 0, 0.5, 2]
        let x = try tensor(xs, [6], .float64)
        #expect(try ReLU()(x).toDoubles() == xs.map { Swift.max($0, 0) })
        expectClose(try Tanh()(x).toDoubles(), xs.map { Foundation.tanh($0) }, tol: 1e-12)
        expectClose(try Sigmoid()(x).toDoubles(), xs.map { 1 / (1 + Foundation.exp(-$0)) }, tol: 1e-12)
        expectClose(try SiLU()(x).toDoubles(), xs.map { $0 / (1 + Foundation.exp(-$0)) }, tol: 1e-12)
        expectClose(try GELU()(x).toDoubles(), xs.map { 0.5 * $0 * (1 + Foundation.erf($0 / 2.0.squareRoot())) }, tol: 1e-7)
        expectClose(try GELU(approximate: true)(x).toDoubles(),
                    xs.map { 0.5 * $0 * (1 + Foundation.tanh((2 / Double.pi).squareRoot() * ($0 + 0.044715 * $0 * $0 * $0))) }, tol: 1e-12)
    }

    // MARK: LayerNorm

    @Test func layerNormNormalizesEachRow() throws {
        let ln = try LayerNorm([6])
        let x = try Tensor.randn([5, 6], mean: 3, std: 4, dtype: .float64)
        let y = try ln(x.to(.float32))
        let rows = try y.toDoubles()
        for r in 0..<5 {
            let row = Array(rows[(r * 6)..<(r * 6 + 6)])
            let mean = row.reduce(0, +) / 6
            let variance = row.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 6
            #expect(Swift.abs(mean) < 1e-5, "row \(r) mean \(mean)")
            #expect(Swift.abs(variance - 1) < 1e-3, "row \(r) variance \(variance)")
        }
        // Hand computation of row 0, then scale and shift.
        let x0 = Array(try x.toDoubles()[0..<6])
        let m0 = x0.reduce(0, +) / 6
        let v0 = x0.map { ($0 - m0) * ($0 - m0) }.reduce(0, +) / 6
        expectClose(Array(rows[0..<6]), x0.map { ($0 - m0) / (v0 + 1e-5).squareRoot() }, tol: 1e-5)
        try set(ln.weight!, [2, 2, 2, 2, 2, 2])
        try set(ln.bias!, [1, 1, 1, 1, 1, 1])
        let scaled = try ln(x.to(.float32)).toDoubles()
        expectClose(Array(scaled[0..<6]), x0.map { 2 * ($0 - m0) / (v0 + 1e-5).squareRoot() + 1 }, tol: 1e-5)
        #expect(ln.namedParameters().map(\.name) == ["weight", "bias"])
    }

    @Test func layerNormRejectsAMismatchedShape() throws {
        let ln = try LayerNorm([4])
        #expect(throws: TensorError.self) { try ln(try Tensor.zeros([2, 5])) }
        #expect(message { try ln(try Tensor.zeros([2, 5])) }?.contains("[2,5]") == true)
    }

    // MARK: BatchNorm

    @Test func batchNorm2dTrainingNormalizesPerChannelAndUpdatesRunningStats() throws {
        let bn = try BatchNorm2d(2, momentum: 0.1)
        // [N=2, C=2, H=2, W=2]: channel 0 holds 1…8 in some order, channel 1 holds multiples of 3 minus 10.
        let values: [Double] = [1, 2, 3, 4, -10, -7, -4, -1, 5, 6, 7, 8, 2, 5, 8, 11]
        let x = try tensor(values, [2, 2, 2, 2])
        func channel(_ c: Int, _ v: [Double]) -> [Double] { [0, 1].flatMap { n in Array(v[(n * 8 + c * 4)..<(n * 8 + c * 4 + 4)]) } }
        let y = try bn(x)
        let out = try y.toDoubles()
        var runningMean = [0.0, 0.0], runningVar = [1.0, 1.0]
        for c in 0..<2 {
            let xs = channel(c, values)
            let mean = xs.reduce(0, +) / 8
            let biased = xs.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 8
            expectClose(channel(c, out), xs.map { ($0 - mean) / (biased + 1e-5).squareRoot() }, tol: 1e-5)
            let ys = channel(c, out)
            #expect(Swift.abs(ys.reduce(0, +) / 8) < 1e-5)
            runningMean[c] = 0.9 * runningMean[c] + 0.1 * mean
            runningVar[c] = 0.9 * runningVar[c] + 0.1 * biased * 8 / 7   // unbiased, as PyTorch stores it
        }
        expectClose(try bn.runningMean!.toDoubles(), runningMean, tol: 1e-6)
        expectClose(try bn.runningVar!.toDoubles(), runningVar, tol: 1e-6)
        // A second batch compounds with momentum.
        let x2 = try x * 2
        _ = try bn(x2)
        for c in 0..<2 {
            let xs = channel(c, values).map { $0 * 2 }
            let mean = xs.reduce(0, +) / 8
            let unbiased = xs.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 7
            runningMean[c] = 0.9 * runningMean[c] + 0.1 * mean
            runningVar[c] = 0.9 * runningVar[c] + 0.1 * unbiased
        }
        expectClose(try bn.runningMean!.toDoubles(), runningMean, tol: 1e-6)
        expectClose(try bn.runningVar!.toDoubles(), runningVar, tol: 1e-6)

        // Eval uses the running statistics, and leaves them alone.
        bn.eval()
        try set(bn.weight!, [2, 0.5])
        try set(bn.bias!, [1, -1])
        let e = try bn(x).toDoubles()
        for c in 0..<2 {
            let scale = [2.0, 0.5][c], shift = [1.0, -1.0][c]
            expectClose(channel(c, e), channel(c, values).map { scale * ($0 - runningMean[c]) / (runningVar[c] + 1e-5).squareRoot() + shift },
                        tol: 1e-5)
        }
        expectClose(try bn.runningMean!.toDoubles(), runningMean, tol: 1e-6)
        expectClose(try bn.runningVar!.toDoubles(), runningVar, tol: 1e-6)
    }

    @Test func batchNorm1dOnBothRanksAndItsGradients() throws {
        let bn = try BatchNorm1d(3, momentum: 0.5)
        let x = try tensor([1, 10, -1, 3, 20, -1, 5, 30, 2, 7, 40, 4], [4, 3])
        let y = try bn(x).toDoubles()
        for c in 0..<3 {
            let col = (0..<4).map { y[$0 * 3 + c] }
            #expect(Swift.abs(col.reduce(0, +)) < 1e-5)
        }
        // Column means 4, 25, 1; unbiased variances 20/3, 500/3, 6.
        expectClose(try bn.runningMean!.toDoubles(), [2, 12.5, 0.5], tol: 1e-6)
        expectClose(try bn.runningVar!.toDoubles(), [0.5 + 10.0 / 3, 0.5 + 250.0 / 3, 3.5], tol: 1e-6)
        let seq = try BatchNorm1d(2)
        let x3 = try Tensor.randn([3, 2, 5])
        #expect(try seq(x3).shape == [3, 2, 5])
        // Training-mode gradients flow to weight and bias.
        let w = try tensor([0.5, -1, 2], [3])
        try (bn(x) * w).sum().backward()
        #expect(try bn.bias!.grad!.toDoubles() == [2, -4, 8])
        #expect(bn.weight!.grad != nil)
    }

    @Test func batchNormRejectsBadShapes() throws {
        let bn2 = try BatchNorm2d(3)
        #expect(throws: TensorError.shape("BatchNorm2d(3): expected input of rank 4 with 3 channels in dim 1, got [2, 3, 4]")) {
            try bn2(try Tensor.zeros([2, 3, 4]))
        }
        #expect(throws: TensorError.self) { try bn2(try Tensor.zeros([2, 4, 5, 5])) }
        let bn1 = try BatchNorm1d(3)
        #expect(throws: TensorError.shape("BatchNorm1d(3): expected input of rank 2 or 3 with 3 channels in dim 1, got [2, 3, 4, 4]")) {
            try bn1(try Tensor.zeros([2, 3, 4, 4]))
        }
        #expect(throws: TensorError.self) { try bn1(try Tensor.zeros([2, 2])) }
    }

    // MARK: Dropout

    @Test func dropoutIsIdentityInEval() throws {
        let d = try Dropout(0.5)
        d.eval()
        let x = try Tensor.randn([100])
        #expect(try d(x).toDoubles() == x.toDoubles())
        #expect(try Dropout(0)(x).toDoubles() == x.toDoubles())
    }

    @Test func dropoutInTrainingZeroesAboutPAndScalesTheRest() throws {
        let p = 0.3
        let d = try Dropout(p)
        #expect(d.training)
        let n = 100_000
        let x = try Tensor.full([n], 2)
        let y = try d(x).toDoubles()
        let zeros = y.filter { $0 == 0 }.count
        // Binomial(n, p) has standard deviation ≈ 145 here; allow 7 of them.
        #expect(Swift.abs(Double(zeros) / Double(n) - p) < 0.01, "zeroed fraction \(Double(zeros) / Double(n))")
        let kept = y.filter { $0 != 0 }
        let scaled = Float(2 / (1 - p))
        #expect(kept.allSatisfy { Float($0) == scaled }, "kept values should be 2/(1-p) = \(scaled)")
        // Two calls draw different masks.
        #expect(try d(x).toDoubles() != y)
        // p = 1 drops everything.
        #expect(try Dropout(1)(x).toDoubles().allSatisfy { $0 == 0 })
        #expect(throws: TensorError.self) { try Dropout(1.5) }
        #expect(throws: TensorError.self) { try Dropout(-0.1) }
    }

    // MARK: Embedding

    @Test func embeddingLooksUpRows() throws {
        let emb = try Embedding(5, 3)
        #expect(emb.weight.shape == [5, 3] && emb.weight.requiresGrad)
        try set(emb.weight, (0..<15).map(Double.init))
        let ids = try tensor([0, 4, 2, 2], [2, 2], .int64)
        let y = try emb(ids)
        #expect(y.shape == [2, 2, 3])
        #expect(try y.toDoubles() == [0, 1, 2, 12, 13, 14, 6, 7, 8, 6, 7, 8])
        #expect(try emb(try tensor([3], [1], .int64)).toDoubles() == [9, 10, 11])
        // Gradients accumulate per row (row 2 was used twice).
        try y.sum().backward()
        #expect(try emb.weight.grad!.toDoubles() == [1, 1, 1, 0, 0, 0, 2, 2, 2, 0, 0, 0, 1, 1, 1])
        #expect(throws: TensorError.dtype("Embedding: expected int64 indices, got float32")) { try emb(try Tensor.zeros([2])) }
        #expect(throws: TensorError.self) { try emb(try tensor([5], [1], .int64)) }
        #expect(throws: TensorError.self) { try emb(try tensor([-1], [1], .int64)) }
    }

    // MARK: Initialisation

    @Test func kaimingUniformBoundsForLinearAndConv() throws {
        let linear = try Linear(50, 40)
        let bound = 1 / 50.0.squareRoot()
        for t in [linear.weight, linear.bias!] {
            let v = try t.toDoubles()
            #expect(v.allSatisfy { Swift.abs($0) <= bound })
            #expect(Set(v).count > 1)
            // Spread over the whole interval, not clustered at 0.
            #expect(v.max()! > 0.25 * bound && v.min()! < -0.25 * bound)
        }
        let w = try linear.weight.toDoubles()
        #expect(w.max()! > 0.95 * bound && w.min()! < -0.95 * bound)
        let conv = try Conv2d(3, 8, kernelSize: 3)
        let convBound = 1 / 27.0.squareRoot()
        let cw = try conv.weight.toDoubles()
        #expect(cw.allSatisfy { Swift.abs($0) <= convBound })
        #expect(cw.max()! > 0.8 * convBound && cw.min()! < -0.8 * convBound)
        #expect(try conv.bias!.toDoubles().allSatisfy { Swift.abs($0) <= convBound })
        // Init.fanInUniform on its own.
        let t = try Init.fanInUniform([1000], fanIn: 4)
        let tv = try t.toDoubles()
        #expect(tv.allSatisfy { Swift.abs($0) <= 0.5 } && tv.max()! > 0.45 && tv.min()! < -0.45)
        #expect(Swift.abs(tv.reduce(0, +) / 1000) < 0.05)
        // Two layers get different weights.
        #expect(try Linear(50, 40).weight.toDoubles() != w)
    }
}
