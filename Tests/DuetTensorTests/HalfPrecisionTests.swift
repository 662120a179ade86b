import Testing
@testable import DuetTensor

/// float16 and bfloat16: rounding on store, PyTorch's promotion, every registry op computing in
/// float32 on 16-bit inputs (against the naive reference, to one rounding), in-place writes,
/// gradients and composites that round once.
@Suite struct HalfPrecisionTests {
    /// Collectives refuse 16-bit tensors (CollectiveOpTests checks the message).
    static let names = Ops.all.filter { !$0.isRandom && !$0.communicates }.map(\.name)

    @Test func storesRoundToNearestEven() throws {
        // 1 + 2^-11 is halfway between two float16 values: it rounds to the even one, 1.
        let h = try Tensor([1 + 0x1p-11, 1 + 3 * 0x1p-11, 70000, 1e-8, -.infinity, .nan], shape: [6], dtype: .float16)
        let v = try h.toDoubles()
        #expect(Array(v[0..<5]) == [1, 1 + 0x1p-9, .infinity, 0, -.infinity])
        #expect(v[5].isNaN)
        #expect(h.dtype.itemSize == 2 && h.dtype.isFloatingPoint)
        let b = try Tensor([1 + 0x1p-8, 1 + 3 * 0x1p-8, 70000, 1e-8, .nan], shape: [5], dtype: .bfloat16).toDoubles()
        #expect(Array(b[0..<4]) == [1, 1 + 0x1p-6, 70144, Double(Float(bitPattern: 0x322C_0000))])
        #expect(b[4].isNaN)
    }

    @Test func promotionFollowsPyTorch() throws {
        let h = try Tensor.ones([2], dtype: .float16), b = try Tensor.ones([2], dtype: .bfloat16)
        #expect(try (h + h).dtype == .float16)
        #expect(try (h * 2.5).dtype == .float16)
        #expect(try (h + Tensor.ones([2])).dtype == .float32)
        #expect(try (h + b).dtype == .float32)
        #expect(try (h + Tensor.ones([2], dtype: .int64)).dtype == .float16)
        #expect(try (h > 0.5).dtype == .bool)
        #expect(try h.argmax().dtype == .int64)
    }

    /// Each op on 16-bit inputs equals its reference on the same (already rounded) values, to
    /// within the one rounding of the result; float outputs come back 16-bit.
    @Test(arguments: names)
    func everyOpComputesInFloat32(name: String) throws {
        let op = try #require(Ops.byName[name])
        for half in [DType.float16, .bfloat16] {
            let tol = half == .float16 ? 1e-3 : 8e-3
            for (k, sample) in op.samples.enumerated() {
                var gen = SampleTensors(seed: UInt64(k + 1))
                let inputs = try gen.tensors(sample, floatDType: half, contiguous: true)
                let outputs = try Dispatch.call(op, inputs, sample.attrs)
                let expected = try op.runReference(inputs.map { try $0.toRefArray() }, sample.attrs)
                let wide = try Dispatch.call(op, inputs.map { $0.dtype == half ? try $0.to(.float32) : $0 }, sample.attrs)
                for (i, (out, ref)) in zip(outputs, expected).enumerated() {
                    let label = "\(name) sample \(k) \(half) output \(i)"
                    let hasHalfInput = inputs.contains { $0.dtype == half }
                    let dtype = wide[i].dtype == .float32 && hasHalfInput ? half : wide[i].dtype
                    #expect(out.dtype == dtype && out.shape == ref.shape, "\(label): \(out.meta)")
                    let got = try out.toDoubles()
                    #expect(allClose(got, ref.data, atol: tol, rtol: tol), "\(label): max difference \(maxDifference(got, ref.data))")
                }
            }
        }
    }

    @Test func inPlaceWritesRoundIntoTheTarget() throws {
        let h = try Tensor([1, 2, 3], shape: [3], dtype: .float16)
        let storage = h.storage
        try h.add_(Tensor.scalar(0x1p-12))
        #expect(h.storage === storage && h.dtype == .float16)
        #expect(try h.toDoubles() == [1, 2, 3])
        try h.mul_(Tensor([0.5, 0.5, 0.5], shape: [3]))
        #expect(try h.toDoubles() == [0.5, 1, 1.5])
        #expect(throws: TensorError.self) { try Tensor.ones([2], dtype: .int64).add_(Tensor.ones([2], dtype: .float16)) }
    }

    @Test func gradientsKeepEachLeafsDType() throws {
        let w = try Tensor([0.5, -1, 2], shape: [3], dtype: .float16).requiresGrad()
        try (w * w).sum().backward()
        #expect(w.grad?.dtype == .float16)
        #expect(try w.grad?.toDoubles() == [1, -2, 4])
        let x = try Tensor([0.25, 3], shape: [2]).requiresGrad()
        try (x.to(.bfloat16) * 3).sum().backward()
        #expect(x.grad?.dtype == .float32)
        #expect(try x.grad?.toDoubles() == [3, 3])
    }

    /// linear, layer_norm, gelu and silu round once, as PyTorch's single kernels do.
    @Test func fusedCompositesRoundOnce() throws {
        let x = try Tensor.linspace(-2, 2, steps: 12).reshape([3, 4]), w = try Tensor.linspace(1, -1, steps: 8).reshape([2, 4])
        let bias = try Tensor([0.3, -0.1], shape: [2])
        for half in [DType.float16, .bfloat16] {
            let (xh, wh, bh) = (try x.to(half), try w.to(half), try bias.to(half))
            let once = try xh.to(.float32).linear(wh.to(.float32), bh.to(.float32)).to(half)
            #expect(try xh.linear(wh, bh).toDoubles() == once.toDoubles())
            #expect(try xh.layerNorm([4]).toDoubles() == xh.to(.float32).layerNorm([4]).to(half).toDoubles())
            #expect(try xh.gelu().toDoubles() == xh.to(.float32).gelu().to(half).toDoubles())
            #expect(try xh.silu().dtype == half)
        }
    }

    @Test func randomDrawsRoundIntoHalfStorage() throws {
        let r = try withGenerator(Generator(seed: 3)) { try Tensor.rand([1000], dtype: .float16) }
        let v = try r.toDoubles()
        #expect(v.allSatisfy { $0 >= 0 && $0 <= 1 })
        #expect(Set(v).count > 100)
    }
}
