import Testing
@testable import DuetTensor

/// Views share storage with their base: writes through either side are seen by the other, and
/// shapes, strides and offsets follow PyTorch's rules. Expected values are written out by hand.
@Suite struct ViewTests {
    /// 0…11 as a contiguous float32 [3,4]:
    /// [[0,1,2,3],[4,5,6,7],[8,9,10,11]].
    private func grid() throws -> Tensor { try Tensor.arange(0, 12, dtype: .float32).view([3, 4]) }

    private func values(_ t: Tensor) throws -> [Double] { try t.toDoubles() }

    // MARK: - Writes through views

    @Test func fillThroughSliceIsSeenByBase() throws {
        let base = try grid()
        let cols = try base.slice(dim: 1, start: 1, end: 3)
        #expect(cols.storage === base.storage)
        #expect(cols.shape == [3, 2])
        #expect(cols.strides == [4, 1])
        #expect(cols.offset == 1)
        #expect(try values(cols) == [1, 2, 5, 6, 9, 10])
        try cols.fill_(-1)
        #expect(try values(base) == [0, -1, -1, 3, 4, -1, -1, 7, 8, -1, -1, 11])
    }

    @Test func writesToBaseAreSeenByViews() throws {
        let base = try grid()
        let row = try base.select(dim: 0, index: 1)
        let col = try base.T.select(dim: 0, index: 2)
        try base.add_(Tensor.scalar(100.0))
        #expect(try values(row) == [104, 105, 106, 107])
        #expect(try values(col) == [102, 106, 110])
    }

    @Test func copyThroughTransposeSelectWritesAColumn() throws {
        let base = try grid()
        let t = try base.T
        #expect(t.storage === base.storage)
        #expect(t.shape == [4, 3])
        #expect(t.strides == [1, 4])
        try t.select(dim: 0, index: 1).copy_(Tensor([-1, -2, -3]))
        #expect(try values(base) == [0, -1, 2, 3, 4, -2, 6, 7, 8, -3, 10, 11])
    }

    @Test func addThroughNegativeSelectWritesTheLastRow() throws {
        let base = try grid()
        let last = try base.select(dim: 0, index: -1)
        #expect(last.shape == [4])
        #expect(last.offset == 8)
        try last.add_(Tensor([10, 20, 30, 40]))
        #expect(try values(base) == [0, 1, 2, 3, 4, 5, 6, 7, 18, 29, 40, 51])
    }

    @Test func mulThroughUnsqueezeAndViewReachesBase() throws {
        let base = try grid()
        let u = try base.unsqueeze(0)
        #expect(u.shape == [1, 3, 4])
        #expect(u.storage === base.storage)
        try u.mul_(2)
        #expect(try values(base) == [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22])

        let v = try base.view([2, 6])
        #expect(v.storage === base.storage)
        try v.select(dim: 0, index: 1).copy_(Tensor.scalar(7.0))
        #expect(try values(base) == [0, 2, 4, 6, 8, 10, 7, 7, 7, 7, 7, 7])
    }

    @Test func steppedSliceWriteBroadcastsARow() throws {
        let base = try grid()
        let everyOther = try base.slice(dim: 1, start: 0, end: 4, step: 2)
        #expect(everyOther.strides == [4, 2])
        try everyOther.copy_(Tensor([50, 60]))
        #expect(try values(base) == [50, 1, 60, 3, 50, 5, 60, 7, 50, 9, 60, 11])
    }

    // MARK: - reshape, view, contiguous

    @Test func reshapeOfContiguousIsAView() throws {
        let base = try grid()
        let r = try base.reshape([4, 3])
        #expect(r.storage === base.storage)
        #expect(r.strides == [3, 1])
        try base.fill_(1)
        #expect(try values(r) == Array(repeating: 1, count: 12))
    }

    @Test func reshapeOfRowSliceIsAViewWithOffset() throws {
        let rows = try grid().slice(dim: 0, start: 1, end: 3)
        let flat = try rows.reshape([8])
        #expect(flat.storage === rows.storage)
        #expect(flat.offset == 4)
        #expect(try values(flat) == [4, 5, 6, 7, 8, 9, 10, 11])
    }

    @Test func reshapeOfNonContiguousButSplittableIsAView() throws {
        let base = try Tensor.arange(0, 24, dtype: .float32).view([4, 6])
        let rows = try base.slice(dim: 0, start: 0, end: 4, step: 2) // [2,6], strides [12,1]
        let split = try rows.reshape([2, 2, 3])
        #expect(split.storage === base.storage)
        #expect(split.strides == [12, 3, 1])
        #expect(try values(split) == [0, 1, 2, 3, 4, 5, 12, 13, 14, 15, 16, 17])
    }

    @Test func reshapeOfTransposeCopies() throws {
        let base = try grid()
        let flat = try base.T.reshape([12])
        #expect(flat.storage !== base.storage)
        #expect(flat.isContiguous)
        #expect(try values(flat) == [0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11])
        try flat.fill_(0)
        #expect(try values(base) == (0..<12).map(Double.init))
    }

    @Test func reshapeInfersOneDimension() throws {
        let r = try grid().reshape([-1, 6])
        #expect(r.shape == [2, 6])
    }

    @Test func viewOfTransposeThrows() throws {
        let t = try grid().T
        #expect(throws: TensorError.self) { try t.view([12]) }
        #expect(throws: TensorError.self) { try t.view([2, 6]) }
    }

    @Test func contiguousReturnsSelfOrACopy() throws {
        let base = try grid()
        #expect(try base.contiguous() === base)
        let t = try base.T
        #expect(!t.isContiguous)
        let c = try t.contiguous()
        #expect(c !== t)
        #expect(c.storage !== base.storage)
        #expect(c.isContiguous)
        #expect(c.strides == [3, 1])
        #expect(try values(c) == [0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11])
    }

    // MARK: - Slicing and selecting

    @Test func slicingFollowsPythonRules() throws {
        let x = try Tensor.arange(0, 10, dtype: .float32)
        #expect(try values(x.slice(dim: 0, start: 1, end: 8, step: 3)) == [1, 4, 7])
        #expect(try values(x.slice(dim: 0, start: -3)) == [7, 8, 9])
        #expect(try values(x.slice(dim: 0, end: -7)) == [0, 1, 2])
        #expect(try values(x.slice(dim: 0, start: -100, end: 100, step: 4)) == [0, 4, 8])
        #expect(try values(x.slice(dim: 0, start: 2, end: 9, step: 2)) == [2, 4, 6, 8])
        let empty = try x.slice(dim: 0, start: 6, end: 2)
        #expect(empty.shape == [0])
        #expect(throws: TensorError.self) { try x.slice(dim: 0, step: 0) }
    }

    @Test func sliceOfSliceComposesOffsetsAndStrides() throws {
        let x = try Tensor.arange(0, 20, dtype: .float32)
        let a = try x.slice(dim: 0, start: 2, step: 3)     // 2,5,8,11,14,17
        let b = try a.slice(dim: 0, start: 1, end: -1, step: 2) // 5,11
        #expect(b.offset == 5)
        #expect(b.strides == [6])
        #expect(try values(b) == [5, 11])
    }

    @Test func negativeDimAndIndexSelect() throws {
        let base = try grid()
        #expect(try values(base.select(dim: -1, index: -1)) == [3, 7, 11])
        #expect(try values(base.select(dim: 1, index: 0)) == [0, 4, 8])
        #expect(try values(base.slice(dim: -1, start: -2)) == [2, 3, 6, 7, 10, 11])
        #expect(throws: TensorError.self) { try base.select(dim: 0, index: 3) }
        #expect(throws: TensorError.self) { try base.select(dim: 0, index: -4) }
    }

    // MARK: - permute, transpose, expand

    @Test func permuteReordersShapeAndStrides() throws {
        let x = try Tensor.arange(0, 24, dtype: .float32).view([2, 3, 4])
        let p = try x.permute([2, 0, 1])
        #expect(p.shape == [4, 2, 3])
        #expect(p.strides == [1, 12, 4])
        #expect(p.storage === x.storage)
        // p[i][j][k] = x[j][k][i] = 12j + 4k + i
        var expected: [Double] = []
        for i in 0..<4 { for j in 0..<2 { for k in 0..<3 { expected.append(Double(12 * j + 4 * k + i)) } } }
        #expect(try values(p) == expected)
        #expect(try values(p.select(dim: 0, index: 1)) == [1, 5, 9, 13, 17, 21])
    }

    @Test func transposeTAndMT() throws {
        let x = try Tensor.arange(0, 24, dtype: .float32).view([2, 3, 4])
        let t = try x.transpose(0, 2)
        #expect(t.shape == [4, 3, 2])
        #expect(t.strides == [1, 4, 12])
        #expect(try x.T.strides == [1, 4, 12])
        let mt = try x.mT
        #expect(mt.shape == [2, 4, 3])
        #expect(mt.strides == [12, 1, 4])
        #expect(try values(mt.select(dim: 0, index: 1).select(dim: 0, index: 0)) == [12, 16, 20])
        let v = try Tensor([1, 2, 3])
        #expect(try v.T === v)
        #expect(try x.transpose(1, 1) === x)
    }

    @Test func expandUsesStrideZero() throws {
        let col = try Tensor([1, 2, 3], shape: [3, 1])
        let e = try col.expand([3, 4])
        #expect(e.shape == [3, 4])
        #expect(e.strides == [1, 0])
        #expect(e.storage === col.storage)
        #expect(try values(e) == [1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3])

        let row = try Tensor([1, 2, 3])
        let lead = try row.expand([2, -1])
        #expect(lead.shape == [2, 3])
        #expect(lead.strides == [0, 1])
        #expect(try values(lead) == [1, 2, 3, 1, 2, 3])

        try col.copy_(Tensor([7, 8, 9], shape: [3, 1]))
        #expect(try values(e) == [7, 7, 7, 7, 8, 8, 8, 8, 9, 9, 9, 9])
        #expect(throws: TensorError.self) { try row.expand([2, 4]) }
    }

    // MARK: - squeeze, unsqueeze, flatten

    @Test func squeezeAndUnsqueeze() throws {
        let x = try Tensor.arange(0, 6, dtype: .float32).view([1, 3, 1, 2])
        #expect(try x.squeeze().shape == [3, 2])
        #expect(try x.squeeze(dim: 0).shape == [3, 1, 2])
        #expect(try x.squeeze(dim: -2).shape == [1, 3, 2])
        #expect(try x.squeeze(dim: 1) === x) // size 3: nothing to remove
        #expect(try x.unsqueeze(-1).shape == [1, 3, 1, 2, 1])
        #expect(try x.unsqueeze(2).shape == [1, 3, 1, 1, 2])
        #expect(try x.squeeze().storage === x.storage)
        #expect(try values(x.squeeze().select(dim: 1, index: 1)) == [1, 3, 5])
    }

    @Test func unsqueezeOfTransposeKeepsItsStrides() throws {
        let t = try grid().T // [4,3], strides [1,4]
        let u = try t.unsqueeze(1)
        #expect(u.shape == [4, 1, 3])
        #expect(u.storage === t.storage)
        #expect(try values(u) == [0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11])
    }

    @Test func flattenMergesDims() throws {
        let x = try Tensor.arange(0, 24, dtype: .float32).view([2, 3, 4])
        let f = try x.flatten()
        #expect(f.shape == [24])
        #expect(f.storage === x.storage)
        #expect(try x.flatten(startDim: 1).shape == [2, 12])
        #expect(try x.flatten(startDim: 0, endDim: 1).shape == [6, 4])
        let ft = try x.mT.flatten(startDim: 1)
        #expect(ft.shape == [2, 12])
        #expect(ft.storage !== x.storage)
        #expect(try values(ft.select(dim: 0, index: 0)) == [0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11])
        #expect(try Tensor([5], shape: []).flatten().shape == [1])
    }
}
