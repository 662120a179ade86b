import Foundation

/// Naive scalar-loop helpers for the registry's reference implementations: everything in Double
/// over logical row-major arrays, written for obviousness, never for speed, and sharing no code
/// with the kernels they check.
enum Ref {
    static func count(_ shape: [Int]) -> Int { shape.reduce(1, *) }

    /// A dim counted from the end when negative (the reference's own wrap, unchecked).
    static func dim(_ d: Int, rank: Int) -> Int { d < 0 ? d + rank : d }

    /// Multi-index of flat position `flat` in a row-major array of `shape`.
    static func unravel(_ flat: Int, _ shape: [Int]) -> [Int] {
        var idx = [Int](repeating: 0, count: shape.count)
        var rest = flat
        for d in stride(from: shape.count - 1, through: 0, by: -1) {
            idx[d] = rest % shape[d]
            rest /= shape[d]
        }
        return idx
    }

    static func ravel(_ idx: [Int], _ shape: [Int]) -> Int {
        var flat = 0
        for d in 0..<shape.count { flat = flat * shape[d] + idx[d] }
        return flat
    }

    /// The element of `a` that broadcasting maps to output index `idx`.
    static func broadcastRead(_ a: RefArray, _ idx: [Int]) -> Double {
        let lead = idx.count - a.shape.count
        var own = [Int](repeating: 0, count: a.shape.count)
        for d in 0..<a.shape.count { own[d] = a.shape[d] == 1 ? 0 : idx[d + lead] }
        return a.data[ravel(own, a.shape)]
    }

    static func broadcastShape(_ arrays: [RefArray]) -> [Int] {
        let rank = arrays.map(\.shape.count).max() ?? 0
        var out = [Int](repeating: 1, count: rank)
        for a in arrays {
            for (d, s) in a.shape.enumerated() where s != 1 { out[d + rank - a.shape.count] = s }
        }
        return out
    }

    /// Applies `f` elementwise over broadcast inputs.
    static func map(_ inputs: [RefArray], _ f: ([Double]) -> Double) -> RefArray {
        let shape = broadcastShape(inputs)
        var data: [Double] = []
        for flat in 0..<count(shape) {
            let idx = unravel(flat, shape)
            data.append(f(inputs.map { broadcastRead($0, idx) }))
        }
        return RefArray(shape: shape, data: data)
    }

    /// Reduces `dims` of `a` with `f` over the collected values of each output position.
    static func reduce(_ a: RefArray, dims: [Int]?, keepdim: Bool, _ f: ([Double]) -> Double) -> RefArray {
        let rank = a.shape.count
        let given = dims ?? []
        let rdims = given.isEmpty ? Array(0..<rank) : given.map { $0 < 0 ? $0 + max(rank, 1) : $0 }
        var keptShape = a.shape
        for d in rdims where d < rank { keptShape[d] = 1 }
        var groups = [[Double]](repeating: [], count: count(keptShape))
        for flat in 0..<a.data.count {
            var idx = unravel(flat, a.shape)
            for d in rdims where d < rank { idx[d] = 0 }
            groups[ravel(idx, keptShape)].append(a.data[flat])
        }
        let outShape = keepdim ? keptShape : a.shape.enumerated().filter { !rdims.contains($0.offset) }.map(\.element)
        return RefArray(shape: outShape, data: groups.map(f))
    }
}
