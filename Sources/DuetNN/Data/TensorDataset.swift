import DuetTensor

/// Tensors that share their first dim, example `i` being row `i` of each (PyTorch's TensorDataset).
public struct TensorDataset: Dataset {
    public let tensors: [Tensor]
    public let count: Int

    public init(_ tensors: [Tensor]) throws {
        guard let first = tensors.first else {
            throw TensorError.value("TensorDataset: expected at least one tensor")
        }
        for (k, t) in tensors.enumerated() {
            guard t.rank > 0 else {
                throw TensorError.shape("TensorDataset: tensor \(k) is 0-dim; every tensor needs a first dim to index examples")
            }
            guard t.shape[0] == first.shape[0] else {
                throw TensorError.shape("TensorDataset: tensor \(k) has \(t.shape[0]) rows (shape \(shapeText(t.shape))), but tensor 0 has \(first.shape[0]) (shape \(shapeText(first.shape)))")
            }
        }
        self.tensors = tensors
        count = first.shape[0]
    }

    public init(_ tensors: Tensor...) throws { try self.init(tensors) }

    /// Features and labels, as the built-in data sets and readers return them.
    public init(_ pair: (Tensor, Tensor)) throws { try self.init([pair.0, pair.1]) }

    public func example(_ index: Int) throws -> [Tensor] {
        guard index >= 0 && index < count else {
            throw TensorError.index("TensorDataset: index \(index) is out of range for \(count) examples")
        }
        return try tensors.map { try $0.select(dim: 0, index: index) }
    }

    /// One gather per tensor instead of one stack per example.
    public func batch(_ indices: [Int]) throws -> [Tensor] {
        for i in indices where i < 0 || i >= count {
            throw TensorError.index("TensorDataset: index \(i) is out of range for \(count) examples")
        }
        let index = try Tensor(indices.map(Double.init), shape: [indices.count], dtype: .int64)
        return try tensors.map { try $0.indexSelect(dim: 0, index: index) }
    }
}
