/// Shape arithmetic shared by kernels, shape rules and views.
enum Shape {
    static func count(_ shape: [Int]) -> Int { shape.reduce(1, *) }

    /// Row-major strides in elements.
    static func contiguousStrides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var acc = 1
        for i in stride(from: shape.count - 1, through: 0, by: -1) {
            strides[i] = acc
            acc *= max(shape[i], 1)
        }
        return strides
    }

    static func isContiguous(shape: [Int], strides: [Int]) -> Bool {
        var expected = 1
        for i in stride(from: shape.count - 1, through: 0, by: -1) where shape[i] != 1 {
            if strides[i] != expected { return false }
            expected *= shape[i]
        }
        return true
    }

    /// NumPy/PyTorch broadcasting of two shapes, or an error naming the op and both shapes.
    static func broadcast(_ a: [Int], _ b: [Int], op: String) throws -> [Int] {
        if a == b { return a }
        let n = max(a.count, b.count)
        var out = [Int](repeating: 1, count: n)
        for i in 0..<n {
            let da = i < n - a.count ? 1 : a[i - (n - a.count)]
            let db = i < n - b.count ? 1 : b[i - (n - b.count)]
            if da == db || db == 1 { out[i] = da }
            else if da == 1 { out[i] = db }
            else {
                throw TensorError.shape("\(op): shapes \(shapeString(a)) and \(shapeString(b)) cannot be broadcast (dimension \(i): \(da) vs \(db))")
            }
        }
        return out
    }

    static func broadcast(_ shapes: [[Int]], op: String) throws -> [Int] {
        var out: [Int] = shapes.first ?? []
        for s in shapes.dropFirst() { out = try broadcast(out, s, op: op) }
        return out
    }

    /// Strides that read a tensor of `shape`/`strides` as if it had the broadcast shape `target`
    /// (stride 0 along broadcast dimensions).
    static func broadcastStrides(shape: [Int], strides: [Int], to target: [Int]) -> [Int] {
        if shape == target { return strides }
        let lead = target.count - shape.count
        var out = [Int](repeating: 0, count: target.count)
        for i in 0..<shape.count { out[i + lead] = shape[i] == 1 ? 0 : strides[i] }
        return out
    }

    /// Wraps a possibly negative dim into 0..<rank, or throws naming the op.
    static func normalize(dim: Int, rank: Int, op: String) throws -> Int {
        let r = max(rank, 1)
        guard dim >= -r && dim < r else {
            throw TensorError.dim("\(op): dim \(dim) is out of range for a tensor of rank \(rank) (expected \(-r)...\(r - 1))")
        }
        return dim < 0 ? dim + r : dim
    }

    /// Normalized, sorted, de-duplicated reduction dims; `nil` or empty means all dims.
    static func reductionDims(_ dims: [Int]?, rank: Int, op: String) throws -> [Int] {
        guard let dims, !dims.isEmpty else { return Array(0..<rank) }
        var out: [Int] = []
        for d in dims {
            let n = try normalize(dim: d, rank: rank, op: op)
            if out.contains(n) { throw TensorError.dim("\(op): dim \(d) appears more than once") }
            out.append(n)
        }
        return out.sorted()
    }

    static func reducedShape(_ shape: [Int], dims: [Int], keepdim: Bool) -> [Int] {
        var out: [Int] = []
        for (i, s) in shape.enumerated() {
            if dims.contains(i) { if keepdim { out.append(1) } } else { out.append(s) }
        }
        return out
    }
}
