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

/// Token ids to learned vectors: a lookup into a [num_embeddings, dim] table. The padding_idx row
/// starts at zero and gets no gradient; with max_norm, looked-up rows longer than it are scaled
/// down in place first (outside autograd), as PyTorch's.
public final class Embedding: Module {
    public let weight: Tensor
    public let paddingIdx: Int?
    public let maxNorm: Double?
    public let normType: Double

    public var numEmbeddings: Int { weight.shape[0] }
    public var embeddingDim: Int { weight.shape[1] }

    public init(_ numEmbeddings: Int, _ embeddingDim: Int, paddingIdx: Int? = nil, maxNorm: Double? = nil, normType: Double = 2) throws {
        if let p = paddingIdx, !(-numEmbeddings..<numEmbeddings).contains(p) {
            throw TensorError.value("Embedding: padding_idx must be within num_embeddings")
        }
        self.paddingIdx = paddingIdx.map { $0 < 0 ? $0 + numEmbeddings : $0 }
        self.maxNorm = maxNorm
        self.normType = normType
        weight = try Tensor.randn([numEmbeddings, embeddingDim])
        super.init()
        if let p = self.paddingIdx { try withNoGrad { try weight.select(dim: 0, index: p).zero_() } }
        try registerParameter("weight", weight)
    }

    public override func forward(_ input: Tensor) throws -> Tensor {
        try input.embedding(weight, paddingIdx: paddingIdx, maxNorm: maxNorm, normType: normType)
    }

    public override var extraDescription: String {
        var parts = ["\(numEmbeddings)", "\(embeddingDim)"]
        if let paddingIdx { parts.append("padding_idx=\(paddingIdx)") }
        if let maxNorm { parts.append("max_norm=\(maxNorm)") }
        return parts.joined(separator: ", ")
    }
}

extension Tensor {
    /// Rows of `weight` picked by these int64 ids (F.embedding); rows looked up at padding_idx pass
    /// no gradient back (their values come from a detached copy).
    public func embedding(_ weight: Tensor, paddingIdx: Int? = nil, maxNorm: Double? = nil, normType: Double = 2) throws -> Tensor {
        guard dtype == .int64 else { throw TensorError.dtype("Embedding: expected int64 indices, got \(dtype)") }
        guard weight.rank == 2 else { throw TensorError.shape("embedding: weight must be 2-D, got \(shapeString(weight.shape))") }
        let ids = try flatten()
        if let maxNorm { try Tensor.renormRows(weight, ids, maxNorm: maxNorm, normType: normType) }
        var rows = try weight.indexSelect(dim: 0, index: ids)
        if let p = paddingIdx.map({ $0 < 0 ? $0 + weight.shape[0] : $0 }) {
            let padding = try (ids == Double(p)).unsqueeze(1)
            rows = try Tensor.where_(padding, rows.detach(), rows)
        }
        return try rows.reshape(shape + [weight.shape[1]])
    }

    /// Scales the rows of `weight` named in `ids` whose p-norm exceeds maxNorm down to it, in place.
    static func renormRows(_ weight: Tensor, _ ids: Tensor, maxNorm: Double, normType: Double) throws {
        try withNoGrad {
            let norms = try weight.vectorNorm(p: normType, dim: 1, keepdim: true)
            let used = try Tensor.zeros([weight.shape[0], 1], dtype: weight.dtype)
                .indexAdd(dim: 0, index: ids, source: Tensor.ones([ids.count, 1], dtype: weight.dtype)) > 0
            let scale = try Tensor.where_(used.logicalAnd(norms > maxNorm), maxNorm / (norms + 1e-7), Tensor.scalar(1.0))
            try weight.mul_(scale)
        }
    }
}
