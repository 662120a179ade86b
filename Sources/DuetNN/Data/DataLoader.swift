import DuetTensor

/// Batches of a data set, as PyTorch's DataLoader: `for batch in loader` walks one epoch, each
/// batch a list of tensors stacked along dim 0. With `shuffle` every epoch has its own order,
/// drawn from the loader's seed and the epoch number alone: epochs differ, runs repeat, and a
/// run resumed at epoch `k` (set `epoch`) sees the order it would have seen.
public final class DataLoader: Sequence {
    public let dataset: any Dataset
    public let batchSize: Int
    public let shuffle: Bool
    public let dropLast: Bool
    public let seed: Int
    /// The epoch the next iteration walks; each `makeIterator()` takes one and advances it.
    public var epoch = 0
    /// Why the last `for` loop over the loader ended early: `Sequence` cannot throw, so a failing
    /// data set ends the loop and leaves its error here. `Iterator.nextBatch()` throws it instead.
    public private(set) var lastError: (any Error)?

    public init(_ dataset: any Dataset, batchSize: Int = 1, shuffle: Bool = false, dropLast: Bool = false, seed: Int = 0) throws {
        guard batchSize > 0 else {
            throw TensorError.value("DataLoader: batch_size must be positive, got \(batchSize)")
        }
        self.dataset = dataset
        self.batchSize = batchSize
        self.shuffle = shuffle
        self.dropLast = dropLast
        self.seed = seed
    }

    /// A loader over features and labels, e.g. what `Datasets.moons` or `CSV.load` return.
    public convenience init(_ data: (Tensor, Tensor), batchSize: Int = 1, shuffle: Bool = false, dropLast: Bool = false, seed: Int = 0) throws {
        try self.init(TensorDataset(data), batchSize: batchSize, shuffle: shuffle, dropLast: dropLast, seed: seed)
    }

    /// Batches per epoch.
    public var count: Int {
        dropLast ? dataset.count / batchSize : (dataset.count + batchSize - 1) / batchSize
    }

    /// The order in which epoch `epoch` visits the examples.
    public func order(epoch: Int) -> [Int] {
        shuffle ? Self.shuffledOrder(count: dataset.count, seed: seed, epoch: epoch) : Array(0..<dataset.count)
    }

    /// A permutation of `0..<count` that depends on the seed and the epoch alone.
    public static func shuffledOrder(count: Int, seed: Int, epoch: Int) -> [Int] {
        var random = SeededRandom(seed: seed, stream: epoch)
        return random.permutation(count)
    }

    public func makeIterator() -> Iterator {
        defer { epoch += 1 }
        lastError = nil
        return Iterator(loader: self, order: order(epoch: epoch))
    }

    public struct Iterator: IteratorProtocol {
        let loader: DataLoader
        let order: [Int]
        var position = 0

        /// The next batch, or nil at the end of the epoch; a data set's error is thrown.
        public mutating func nextBatch() throws -> [Tensor]? {
            let remaining = order.count - position
            guard remaining > 0, remaining >= loader.batchSize || !loader.dropLast else { return nil }
            let end = position + Swift.min(loader.batchSize, remaining)
            let indices = Array(order[position..<end])
            position = end
            return try loader.dataset.batch(indices)
        }

        /// As `nextBatch()`, but an error ends the epoch and is kept in the loader's `lastError`.
        public mutating func next() -> [Tensor]? {
            do {
                return try nextBatch()
            } catch {
                loader.lastError = error
                position = order.count
                return nil
            }
        }
    }
}
