import Testing
@testable import DuetTensor

/// PyTorch's type promotion: dimensioned tensors decide the result dtype, zero-dim tensors and
/// wrapped Python numbers only raise its category; plus casts and in-place dtype rules.
@Suite struct PromotionTests {
    private func ints(_ v: [Double]) throws -> Tensor { try Tensor(v, shape: [v.count], dtype: .int64) }
    private func floats(_ v: [Double]) throws -> Tensor { try Tensor(v, shape: [v.count], dtype: .float32) }
    private func doubles(_ v: [Double]) throws -> Tensor { try Tensor(v, shape: [v.count], dtype: .float64) }
    private func bools(_ v: [Bool]) throws -> Tensor { try Tensor(v.map { $0 ? 1 : 0 }, shape: [v.count], dtype: .bool) }

    // MARK: - Dimensioned tensors

    @Test func int64PlusFloat32IsFloat32() throws {
        let r = try ints([1, 2]) + floats([0.5, 0.25])
        #expect(r.dtype == .float32)
        #expect(try r.toDoubles() == [1.5, 2.25])
        #expect(try (floats([0.5]) + ints([3])).dtype == .float32)
    }

    @Test func float32PlusFloat64IsFloat64() throws {
        let r = try floats([1]) + doubles([0.1])
        #expect(r.dtype == .float64)
        #expect(try r.toDoubles() == [1.1])
    }

    @Test func boolPlusIntIsInt64() throws {
        let r = try bools([true, false]) + ints([5, 5])
        #expect(r.dtype == .int64)
        #expect(try r.toDoubles() == [6, 5])
    }

    /// PyTorch computes bool + bool as a logical or with a bool result; this engine refuses with a
    /// dtype error that names the op and the supported dtypes.
    @Test func boolPlusBoolIsAClearError() throws {
        #expect(throws: TensorError.dtype("add: not implemented for bool (supported: int64, float32, float64)")) {
            try self.bools([true]) + self.bools([true])
        }
    }

    // MARK: - Wrapped numbers and zero-dim tensors

    @Test func int64PlusWrappedFloatIsFloat32() throws {
        let r = try ints([1, -2]) + Tensor.scalar(2.5)
        #expect(r.dtype == .float32)
        #expect(try r.toDoubles() == [3.5, 0.5])
    }

    @Test func float32PlusWrappedIntStaysFloat32() throws {
        let r = try floats([0.5]) + Tensor.scalar(2)
        #expect(r.dtype == .float32)
        #expect(try r.toDoubles() == [2.5])
    }

    @Test func wrappedNumbersDoNotWidenWithinACategory() throws {
        #expect(try (ints([1]) + Tensor.scalar(2)).dtype == .int64)
        #expect(try (floats([1]) * Tensor.scalar(2.5)).dtype == .float32)
        #expect(try (doubles([1]) * Tensor.scalar(2.5)).dtype == .float64)
        #expect(try (bools([true]) * Tensor.scalar(1.5)).dtype == .float32)
    }

    @Test func zeroDimFloat64DoesNotWidenDimensionedFloat32() throws {
        let z = try Tensor([1], shape: [], dtype: .float64)
        #expect(!z.isWrappedNumber)
        let r = try z + floats([1, 2])
        #expect(r.dtype == .float32)
        #expect(r.shape == [2])
        #expect(try r.toDoubles() == [2, 3])
    }

    @Test func zeroDimFloat32RaisesDimensionedInt64() throws {
        let z = try Tensor([0.5], shape: [], dtype: .float32)
        let r = try ints([1, 2]) + z
        #expect(r.dtype == .float32)
        #expect(try r.toDoubles() == [1.5, 2.5])
        // A zero-dim float64 of a higher category keeps its own width (PyTorch: int64 + float64 0-dim → float64).
        #expect(try (ints([1]) + Tensor([0.5], shape: [], dtype: .float64)).dtype == .float64)
    }

    @Test func zeroDimAlonePromotesLikeDimensioned() throws {
        let a = try Tensor([1], shape: [], dtype: .float32)
        let b = try Tensor([2], shape: [], dtype: .float64)
        #expect(try (a + b).dtype == .float64)
    }

    // MARK: - Division, comparisons, where

    @Test func integerTrueDivisionIsFloat32() throws {
        let r = try ints([7, -7, 1]) / ints([2, 2, 4])
        #expect(r.dtype == .float32)
        #expect(try r.toDoubles() == [3.5, -3.5, 0.25])
    }

    @Test func floorDivideKeepsInt64() throws {
        let r = try ints([7, -7]).floorDivide(ints([2, 2]))
        #expect(r.dtype == .int64)
        #expect(try r.toDoubles() == [3, -4])
    }

    @Test func comparisonsAreBool() throws {
        let r = try ints([1, 2, 3]) < floats([1.5, 1.5, 3])
        #expect(r.dtype == .bool)
        #expect(try r.toDoubles() == [1, 0, 0])
        let e = try floats([1, 2]) == Tensor.scalar(2)
        #expect(e.dtype == .bool)
        #expect(try e.toDoubles() == [0, 1])
        #expect(try (bools([true, false]) == bools([true, true])).toDoubles() == [1, 0])
    }

    @Test func wherePromotesItsBranches() throws {
        let r = try Tensor.where_(bools([true, false]), ints([1, 2]), floats([0.5, 0.5]))
        #expect(r.dtype == .float32)
        #expect(try r.toDoubles() == [1, 0.5])
    }

    // MARK: - Casts

    @Test func longTruncatesTowardZero() throws {
        let r = try floats([-1.7, 1.7, -0.5, 2.99, 0]).long()
        #expect(r.dtype == .int64)
        #expect(try r.toDoubles() == [-1, 1, 0, 2, 0])
    }

    @Test func floatDoubleAndBoolCasts() throws {
        let f = try ints([3, -4]).float()
        #expect(f.dtype == .float32)
        #expect(try f.toDoubles() == [3, -4])

        let d = try floats([0.1]).to(.float64)
        #expect(d.dtype == .float64)
        #expect(try d.toDoubles() == [Double(Float(0.1))])

        let b = try floats([0, 0.5, -2, 0]).bool()
        #expect(b.dtype == .bool)
        #expect(try b.toDoubles() == [0, 1, 1, 0])

        let x = try floats([1])
        #expect(try x.to(.float32) === x)
    }

    // MARK: - Reductions and in-place

    @Test func sumOfBoolAndInt64IsInt64() throws {
        let b = try bools([true, false, true, true]).sum()
        #expect(b.dtype == .int64)
        #expect(try b.item() == 3)
        let i = try ints([4, -1, 10]).sum()
        #expect(i.dtype == .int64)
        #expect(try i.item() == 13)
    }

    @Test func inPlaceCannotCastFloatIntoInt64() throws {
        let x = try ints([1, 2])
        #expect(throws: TensorError.dtype("add_: result type float32 can't be cast to the in-place target's type int64")) {
            try x.add_(1.5)
        }
        #expect(throws: TensorError.self) { try x.mul_(self.floats([2, 2])) }
        #expect(try x.toDoubles() == [1, 2])
        #expect(x.version == 0)
    }

    @Test func inPlaceKeepsTheTargetDtype() throws {
        let f = try floats([1, 2])
        try f.add_(ints([1, 1]))
        #expect(f.dtype == .float32)
        #expect(try f.toDoubles() == [2, 3])
        try f.mul_(doubles([0.5, 0.5]))
        #expect(f.dtype == .float32)
        #expect(try f.toDoubles() == [1, 1.5])

        let i = try ints([1, 2])
        try i.add_(Tensor.scalar(3))
        #expect(i.dtype == .int64)
        #expect(try i.toDoubles() == [4, 5])
    }
}
