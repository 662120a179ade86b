import Testing
import DuetNN
import DuetTensor

/// 16-bit tensors in checkpoint files: safetensors keeps F16 and BF16 as they are, .npy keeps
/// '<f2', and NumPy's missing bfloat16 is refused with a message rather than widened silently.
@Suite struct HalfPrecisionIOTests {
    @Test func safetensorsRoundTripsBothFormats() throws {
        try withTemporaryDirectory { dir in
            let h = try Tensor([1, -0.333, 65504, 6e-8], shape: [2, 2], dtype: .float16)
            let b = try Tensor([1, -0.333, 3e38, 1e-30], shape: [4], dtype: .bfloat16)
            try SafeTensors.save([("h", h), ("b", b)], to: dir + "/half.safetensors")
            let loaded = try SafeTensors.load(dir + "/half.safetensors").tensors
            for (name, original) in [("h", h), ("b", b)] {
                let t = try #require(loaded[name])
                #expect(t.meta == original.meta)
                #expect(try t.contiguousBytes() == original.contiguousBytes())
            }
        }
    }

    @Test func npyKeepsFloat16AndRefusesBFloat16() throws {
        try withTemporaryDirectory { dir in
            let h = try Tensor([0.5, -2, 1e-4], shape: [3], dtype: .float16)
            try NPY.save(h, to: dir + "/h.npy")
            let back = try NPY.load(dir + "/h.npy")
            #expect(back.dtype == .float16)
            #expect(try back.toDoubles() == h.toDoubles())
            #expect(throws: TensorError.dtype("npy: NumPy has no bfloat16 dtype; convert with .float() before saving")) {
                try NPY.save(try h.to(.bfloat16), to: dir + "/b.npy")
            }
        }
    }
}
