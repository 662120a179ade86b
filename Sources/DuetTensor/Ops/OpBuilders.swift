/// Shape rules and cost models shared by whole families of registry entries.
enum Rules {
    /// Elementwise shape rule: broadcast all inputs; the output takes `outDType` or the first input's dtype.
    static func broadcast(_ name: String, supported: [DType], outDType: DType? = nil)
        -> @Sendable ([TensorMeta], Attrs) throws -> [TensorMeta] {
        { metas, _ in
            let dt = metas[0].dtype
            guard supported.contains(dt) else {
                throw TensorError.dtype("\(name): not implemented for \(dt) (supported: \(supported.map(\.rawValue).joined(separator: ", ")))")
            }
            var shape = metas[0].shape
            for m in metas.dropFirst() where m.shape != shape { shape = try Shape.broadcast(shape, m.shape, op: name) }
            return [TensorMeta(shape: shape, dtype: outDType ?? dt)]
        }
    }

    /// Reads every input once, writes every output once, `flops` per output element.
    static func elementwiseCost(_ flops: Int) -> @Sendable ([TensorMeta], [TensorMeta], Attrs) throws -> Cost {
        { ins, outs, _ in
            let out = outs.reduce(0) { $0 + Shape.count($1.shape) }
            return Cost(flops: flops * out,
                        bytesRead: ins.reduce(0) { $0 + Shape.count($1.shape) * $1.dtype.itemSize },
                        bytesWritten: outs.reduce(0) { $0 + Shape.count($1.shape) * $1.dtype.itemSize })
        }
    }

    /// Views move no bytes and do no arithmetic.
    static let noCost: @Sendable ([TensorMeta], [TensorMeta], Attrs) throws -> Cost = { _, _, _ in
        Cost(flops: 0, bytesRead: 0, bytesWritten: 0)
    }

    static let floats: [DType] = [.float32, .float64]
    static let numbers: [DType] = [.int64, .float32, .float64]
    static let all: [DType] = DType.allCases
}

extension RefArray {
    /// An elementwise reference from a scalar function of the inputs' values.
    static func elementwise(_ f: @escaping @Sendable ([Double]) -> Double) -> @Sendable ([RefArray], Attrs) throws -> [RefArray] {
        { inputs, _ in [Ref.map(inputs, f)] }
    }
}
