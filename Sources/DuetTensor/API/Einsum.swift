/// `einsum` in Einstein notation, written from diagonal views, sums, permutes, reshapes and
/// batched matmuls, so it is differentiable and each step shows in the profile. Subscripts are
/// letters; an explicit output (`->`) names the kept ones, else they are the letters used once,
/// in alphabetical order. Ellipses and broadcasting of size-1 subscripts are not supported.
extension Tensor {
    public static func einsum(_ equation: String, _ operands: [Tensor]) throws -> Tensor {
        let spec = try EinsumSpec(equation, ranks: operands.map(\.rank))
        var sizes: [Character: Int] = [:]
        for (k, (labels, t)) in zip(spec.inputs, operands).enumerated() {
            for (label, size) in zip(labels, t.shape) {
                if let known = sizes[label], known != size {
                    throw TensorError.shape("einsum(): subscript \(label) has size \(size) for operand \(k) which does not match previously seen size \(known)")
                }
                sizes[label] = size
            }
        }
        var terms = try zip(operands, spec.inputs).map { try EinsumTerm($0, $1).diagonalized() }
        // Letters no other operand or the output uses are summed out before any product.
        for k in terms.indices {
            let elsewhere = Set(spec.output + terms.indices.filter { $0 != k }.flatMap { terms[$0].labels })
            terms[k] = try terms[k].summing { !elsewhere.contains($0) }
        }
        var acc = terms[0]
        for k in terms.indices.dropFirst() {
            let keep = Set(spec.output + terms[(k + 1)...].flatMap(\.labels))
            acc = try acc.contracted(with: terms[k], keep: keep, sizes: sizes)
        }
        acc = try acc.summing { !spec.output.contains($0) }
        return try acc.tensor.permute(spec.output.map { label in acc.labels.firstIndex(of: label) ?? 0 })
    }
}

/// A parsed equation: one list of subscripts per operand, and the output's.
struct EinsumSpec {
    let inputs: [[Character]]
    let output: [Character]

    init(_ equation: String, ranks: [Int]) throws {
        let text = equation.filter { $0 != " " }
        guard !text.contains(".") else { throw TensorError.value("einsum(): ellipsis (...) in the equation is not supported") }
        let sides = text.components(separatedBy: "->")
        guard sides.count <= 2 else { throw TensorError.value("einsum(): an equation has at most one '->'") }
        let terms = sides[0].split(separator: ",", omittingEmptySubsequences: false).map(Array.init)
        guard terms.count == ranks.count else {
            throw TensorError.value("einsum(): more operands were provided than specified in the equation")
        }
        for (k, term) in terms.enumerated() {
            if let bad = term.first(where: { !($0.isASCII && $0.isLetter) }) {
                throw TensorError.value("einsum(): invalid subscript '\(bad)' for operand \(k) (subscripts are letters)")
            }
            guard term.count == ranks[k] else {
                throw TensorError.value("einsum(): the number of subscripts in the equation (\(term.count)) does not match the number of dimensions (\(ranks[k])) for operand \(k)")
            }
        }
        let all = terms.flatMap { $0 }
        if sides.count == 2 {
            let out = Array(sides[1])
            for label in out {
                guard label.isASCII && label.isLetter else { throw TensorError.value("einsum(): invalid subscript '\(label)' in the output") }
                guard out.filter({ $0 == label }).count == 1 else { throw TensorError.value("einsum(): output subscript \(label) appears more than once in the output") }
                guard all.contains(label) else { throw TensorError.value("einsum(): output subscript \(label) does not appear in the equation for any input operand") }
            }
            output = out
        } else {
            output = Set(all).filter { label in all.filter { $0 == label }.count == 1 }.sorted()
        }
        inputs = terms
    }
}

/// An intermediate of an einsum: a tensor and the subscript of each of its dims.
struct EinsumTerm {
    var tensor: Tensor
    var labels: [Character]

    init(_ tensor: Tensor, _ labels: [Character]) {
        self.tensor = tensor
        self.labels = labels
    }

    /// A subscript repeated within one operand (`ii`) takes the diagonal of those dims.
    func diagonalized() throws -> EinsumTerm {
        var t = self
        while let q = t.labels.indices.first(where: { i in t.labels[..<i].contains(t.labels[i]) }),
              let p = t.labels.firstIndex(of: t.labels[q]) {
            let label = t.labels[q]
            t.tensor = try t.tensor.diagonal(dim1: p, dim2: q)
            t.labels.remove(at: q)
            t.labels.remove(at: p)
            t.labels.append(label)
        }
        return t
    }

    /// The dims whose subscripts satisfy `drop`, summed away.
    func summing(_ drop: (Character) -> Bool) throws -> EinsumTerm {
        let dims = labels.indices.filter { drop(labels[$0]) }
        guard !dims.isEmpty else { return self }
        return EinsumTerm(try tensor.sum(dims: dims), labels.filter { !drop($0) })
    }

    /// The product with `other`, summing shared subscripts that are not kept, as one batched
    /// matmul: (batch, mine, summed) @ (batch, summed, theirs).
    func contracted(with other: EinsumTerm, keep: Set<Character>, sizes: [Character: Int]) throws -> EinsumTerm {
        let a = try summing { !other.labels.contains($0) && !keep.contains($0) }
        let b = try other.summing { !labels.contains($0) && !keep.contains($0) }
        let shared = a.labels.filter { b.labels.contains($0) }
        let batch = shared.filter { keep.contains($0) }, summed = shared.filter { !keep.contains($0) }
        let mine = a.labels.filter { !b.labels.contains($0) }, theirs = b.labels.filter { !a.labels.contains($0) }
        func size(_ labels: [Character]) -> [Int] { labels.map { sizes[$0] ?? 1 } }
        func count(_ labels: [Character]) throws -> Int { try Shape.checkedProduct(size(labels), op: "einsum") }
        let left = try a.arranged(batch + mine + summed).reshape([try count(batch), try count(mine), try count(summed)])
        let right = try b.arranged(batch + summed + theirs).reshape([try count(batch), try count(summed), try count(theirs)])
        let product = try left.matmul(right).reshape(size(batch + mine + theirs))
        return EinsumTerm(product, batch + mine + theirs)
    }

    /// The tensor with its dims in the order of `order`.
    private func arranged(_ order: [Character]) throws -> Tensor {
        try tensor.permute(order.map { label in labels.firstIndex(of: label) ?? 0 })
    }
}
