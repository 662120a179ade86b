import DuetTensor

/// A map-style data set, as in PyTorch: `count` examples, each a list of tensors
/// (typically features and a label), fetched by index.
public protocol Dataset {
    var count: Int { get }
    func example(_ index: Int) throws -> [Tensor]
    /// The examples at `indices`, each component stacked along a new dim 0. The default
    /// stacks examples one by one; data sets that can gather a whole batch at once override it.
    func batch(_ indices: [Int]) throws -> [Tensor]
}

extension Dataset {
    public func batch(_ indices: [Int]) throws -> [Tensor] {
        let examples = try indices.map { try example($0) }
        guard let first = examples.first else {
            throw TensorError.value("batch: no indices given")
        }
        for (k, e) in examples.enumerated() where e.count != first.count {
            throw TensorError.value("batch: example \(indices[k]) has \(e.count) tensors, example \(indices[0]) has \(first.count)")
        }
        return try (0..<first.count).map { c in try Tensor.stack(examples.map { $0[c] }) }
    }
}
