import Testing
@testable import DuetNN
import DuetTensor

/// Data sets and loaders: batching, shuffling that repeats from the seed, drop_last, errors.
@Suite struct DataLoaderTests {
    /// Ten examples: X row i is [i, 10i], y is i.
    private func tenExamples() throws -> TensorDataset {
        let X = try Tensor((0..<10).flatMap { [Double($0), Double(10 * $0)] }, shape: [10, 2])
        let y = try Tensor((0..<10).map(Double.init), shape: [10], dtype: .int64)
        return try TensorDataset(X, y)
    }

    @Test func tensorDatasetExamplesAreRows() throws {
        let data = try tenExamples()
        #expect(data.count == 10)
        let e = try data.example(3)
        #expect(try e[0].toDoubles() == [3, 30])
        #expect(e[1].shape == [] && e[1].dtype == .int64)
        #expect(throws: TensorError.index("TensorDataset: index 10 is out of range for 10 examples")) { try data.example(10) }
    }

    @Test func tensorDatasetRefusesDifferentLengths() throws {
        let X = try Tensor.zeros([100, 3]), y = try Tensor.zeros([99], dtype: .int64)
        #expect(throws: TensorError.shape("TensorDataset: tensor 1 has 99 rows (shape [99]), but tensor 0 has 100 (shape [100,3])")) {
            try TensorDataset(X, y)
        }
        #expect(throws: TensorError.self) { try TensorDataset([]) }
        #expect(throws: TensorError.self) { try TensorDataset(try Tensor([1], shape: [])) }
    }

    @Test func batchesInOrderWithARaggedLastBatch() throws {
        let loader = try DataLoader(try tenExamples(), batchSize: 4)
        #expect(loader.count == 3)
        let batches = Array(loader)
        #expect(batches.map { $0[0].shape } == [[4, 2], [4, 2], [2, 2]])
        #expect(try batches.flatMap { try $0[1].toDoubles() } == (0..<10).map(Double.init))
        #expect(try batches[2][0].toDoubles() == [8, 80, 9, 90])
        #expect(batches[0][1].dtype == .int64)
    }

    @Test func dropLastDropsTheShortBatch() throws {
        let loader = try DataLoader(try tenExamples(), batchSize: 4, dropLast: true)
        #expect(loader.count == 2)
        #expect(Array(loader).map { $0[0].shape[0] } == [4, 4])
        let exact = try DataLoader(try tenExamples(), batchSize: 5, dropLast: true)
        #expect(Array(exact).count == 2)
    }

    @Test func shuffleIsAPermutationThatChangesPerEpochAndRepeatsPerSeed() throws {
        func epochs(seed: Int) throws -> [[Double]] {
            let loader = try DataLoader(try tenExamples(), batchSize: 3, shuffle: true, seed: seed)
            return try (0..<3).map { _ in try Array(loader).flatMap { try $0[1].toDoubles() } }
        }
        let a = try epochs(seed: 7), b = try epochs(seed: 7), c = try epochs(seed: 8)
        #expect(a == b)
        #expect(a != c)
        #expect(a[0] != a[1] && a[1] != a[2])
        for order in a { #expect(order.sorted() == (0..<10).map(Double.init)) }
        // Features travel with their labels.
        let loader = try DataLoader(try tenExamples(), batchSize: 10, shuffle: true, seed: 1)
        let batch = try #require(Array(loader).first)
        #expect(try batch[0].toDoubles() == batch[1].toDoubles().flatMap { [$0, 10 * $0] })
    }

    @Test func settingTheEpochResumesItsOrder() throws {
        let first = try DataLoader(try tenExamples(), batchSize: 10, shuffle: true, seed: 3)
        _ = Array(first)
        let second = try Array(first).map { try $0[1].toDoubles() }
        let resumed = try DataLoader(try tenExamples(), batchSize: 10, shuffle: true, seed: 3)
        resumed.epoch = 1
        #expect(try Array(resumed).map { try $0[1].toDoubles() } == second)
        #expect(first.order(epoch: 1) == resumed.order(epoch: 1))
    }

    @Test func aPairOfTensorsIsADataset() throws {
        let loader = try DataLoader(try Datasets.moons(count: 50, seed: 1), batchSize: 16)
        #expect(Array(loader).map { $0[0].shape } == [[16, 2], [16, 2], [16, 2], [2, 2]])
    }

    @Test func badBatchSizeIsAnError() throws {
        #expect(throws: TensorError.value("DataLoader: batch_size must be positive, got 0")) {
            try DataLoader(try tenExamples(), batchSize: 0)
        }
    }

    /// A data set written from scratch: batches by stacking examples; its errors surface.
    private struct Squares: Dataset {
        let count = 5
        func example(_ index: Int) throws -> [Tensor] {
            if index == 4 { throw TensorError.value("example 4 is unreadable") }
            return [try Tensor([Double(index * index)], shape: [1])]
        }
    }

    @Test func customDatasetsStackAndReportErrors() throws {
        let loader = try DataLoader(Squares(), batchSize: 2)
        var iterator = loader.makeIterator()
        #expect(try iterator.nextBatch()?[0].toDoubles() == [0, 1])
        #expect(try iterator.nextBatch()?[0].shape == [2, 1])
        #expect(throws: TensorError.value("example 4 is unreadable")) { try iterator.nextBatch() }
        // A for loop cannot throw: it ends early and the loader keeps the error.
        #expect(Array(loader).count == 2)
        #expect(loader.lastError as? TensorError == .value("example 4 is unreadable"))
    }
}
