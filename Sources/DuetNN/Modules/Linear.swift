import DuetTensor

/// y = x Wᵀ + b over the last dim.
public final class Linear: Module {
    public let inFeatures: Int
    public let outFeatures: Int
    public let weight: Tensor
    public let bias: Tensor?

    public init(_ inFeatures: Int, _ outFeatures: Int, bias: Bool = true) throws {
        guard inFeatures > 0, outFeatures > 0 else {
            throw TensorError.value("Linear: in_features and out_features must be positive, got \(inFeatures) and \(outFeatures)")
        }
        self.inFeatures = inFeatures
        self.outFeatures = outFeatures
        weight = try Init.fanInUniform([outFeatures, inFeatures], fanIn: inFeatures)
        self.bias = bias ? try Init.fanInUniform([outFeatures], fanIn: inFeatures) : nil
        super.init()
        try registerParameter("weight", weight)
        if let b = self.bias { try registerParameter("bias", b) }
    }

    public override func forward(_ input: Tensor) throws -> Tensor {
        guard input.rank >= 1, input.shape[input.rank - 1] == inFeatures else {
            throw TensorError.shape("Linear(\(inFeatures), \(outFeatures)): input shape \(input.shape) does not end in \(inFeatures)")
        }
        return try input.linear(weight, bias)
    }

    public override var extraDescription: String { "in_features=\(inFeatures), out_features=\(outFeatures), bias=\(bias != nil ? "True" : "False")" }
}

/// Token ids to learned vectors: a lookup into a [num_embeddings, dim] table.
public final class Embedding: Module {
    public let weight: Tensor

    public init(_ numEmbeddings: Int, _ embeddingDim: Int) throws {
        weight = try Tensor.randn([numEmbeddings, embeddingDim])
        super.init()
        try registerParameter("weight", weight)
    }

    public override func forward(_ input: Tensor) throws -> Tensor {
        guard input.dtype == .int64 else { throw TensorError.dtype("Embedding: expected int64 indices, got \(input.dtype)") }
        let rows = try weight.indexSelect(dim: 0, index: input.flatten())
        return try rows.reshape(input.shape + [weight.shape[1]])
    }

    public override var extraDescription: String { "\(weight.shape[0]), \(weight.shape[1])" }
}
