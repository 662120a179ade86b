/// One innermost run of an elementwise loop: up to three inputs and the output, each a base
/// address and an element stride (0 for a broadcast operand), `n` elements long.
struct Row {
    var out: UnsafeMutableRawPointer
    var a: UnsafeMutableRawPointer
    var b: UnsafeMutableRawPointer
    var c: UnsafeMutableRawPointer
    var so: Int
    var sa: Int
    var sb: Int
    var sc: Int
    var n: Int
}

/// The loop nest shared by every elementwise kernel: broadcasting by strides, dimensions merged
/// where memory allows, and one call of the typed 1-D loop per innermost row.
enum StridedLoop {
    /// Below this many elements a loop runs on the calling thread: waking the pool costs more.
    static let parallelThreshold = 32_768

    /// Runs `body` over `out`'s shape with `inputs` broadcast to it, on both cores when large.
    static func run(out: Tensor, inputs: [Tensor], _ body: (Row) -> Void) {
        let shape = out.shape
        let n = out.count
        if n == 0 { return }
        let outBase = out.rawPointer.unsafelyUnwrapped
        let sizes = (out.dtype.itemSize, inputs.count > 0 ? inputs[0].dtype.itemSize : 0,
                     inputs.count > 1 ? inputs[1].dtype.itemSize : 0, inputs.count > 2 ? inputs[2].dtype.itemSize : 0)
        // Fast path: everything contiguous with the output's shape, or a broadcast scalar.
        if out.isContiguous {
            var row = Row(out: outBase, a: outBase, b: outBase, c: outBase, so: 1, sa: 0, sb: 0, sc: 0, n: n)
            var simple = true
            for (k, t) in inputs.enumerated() {
                let s: Int
                if t.count == 1 { s = 0 } else if t.shape == shape && t.isContiguous { s = 1 } else {
                    simple = false
                    break
                }
                let base = t.rawPointer.unsafelyUnwrapped
                switch k {
                case 0: (row.a, row.sa) = (base, s)
                case 1: (row.b, row.sb) = (base, s)
                default: (row.c, row.sc) = (base, s)
                }
            }
            if simple {
                runSplit(row, sizes, body)
                return
            }
        }
        let bases = inputs.map { $0.rawPointer.unsafelyUnwrapped }
        var strides = [out.strides] + inputs.map { Shape.broadcastStrides(shape: $0.shape, strides: $0.strides, to: shape) }
        var dims = shape
        collapse(&dims, &strides)
        let rank = dims.count
        let inner = dims[rank - 1]
        let rows = n / inner
        let itemSizes = [sizes.0, sizes.1, sizes.2, sizes.3]
        func walk(_ range: Range<Int>) {
            // Offsets of the first row in the range, then an odometer over the outer dims.
            var index = [Int](repeating: 0, count: rank)
            var offsets = [Int](repeating: 0, count: strides.count)
            var rest = range.lowerBound
            for d in stride(from: rank - 2, through: 0, by: -1) {
                index[d] = rest % dims[d]
                rest /= dims[d]
                for k in offsets.indices { offsets[k] += index[d] * strides[k][d] }
            }
            var row = Row(out: outBase, a: outBase, b: outBase, c: outBase,
                          so: strides[0][rank - 1], sa: 0, sb: 0, sc: 0, n: inner)
            for _ in range {
                row.out = outBase + offsets[0] * itemSizes[0]
                if bases.count > 0 { row.a = bases[0] + offsets[1] * itemSizes[1]; row.sa = strides[1][rank - 1] }
                if bases.count > 1 { row.b = bases[1] + offsets[2] * itemSizes[2]; row.sb = strides[2][rank - 1] }
                if bases.count > 2 { row.c = bases[2] + offsets[3] * itemSizes[3]; row.sc = strides[3][rank - 1] }
                body(row)
                var d = rank - 2
                while d >= 0 {
                    index[d] += 1
                    for k in offsets.indices { offsets[k] += strides[k][d] }
                    if index[d] < dims[d] { break }
                    for k in offsets.indices { offsets[k] -= strides[k][d] * dims[d] }
                    index[d] = 0
                    d -= 1
                }
            }
        }
        if n < parallelThreshold || rows < 2 {
            walk(0..<rows)
        } else {
            Parallel.forEachChunk(count: rows, grain: max(1, parallelThreshold / 2 / inner), walk)
        }
    }

    /// Runs one long row, split into contiguous pieces across the pool when it is large.
    static func runSplit(_ row: Row, _ sizes: (Int, Int, Int, Int), _ body: (Row) -> Void) {
        guard row.n >= parallelThreshold else {
            body(row)
            return
        }
        Parallel.forEachChunk(count: row.n, grain: parallelThreshold / 2) { range in
            var piece = row
            piece.n = range.count
            let k = range.lowerBound
            piece.out += k * row.so * sizes.0
            piece.a += k * row.sa * sizes.1
            piece.b += k * row.sb * sizes.2
            piece.c += k * row.sc * sizes.3
            body(piece)
        }
    }

    /// Drops size-1 dims and merges neighbours that are contiguous for every operand, so a
    /// broadcast or transposed loop runs as few, long rows as possible.
    static func collapse(_ dims: inout [Int], _ strides: inout [[Int]]) {
        var keptDims: [Int] = []
        var kept = [[Int]](repeating: [], count: strides.count)
        for i in dims.indices where dims[i] != 1 {
            if let last = keptDims.indices.last,
               strides.indices.allSatisfy({ kept[$0][last] == strides[$0][i] * dims[i] }) {
                keptDims[last] *= dims[i]
                for k in strides.indices { kept[k][last] = strides[k][i] }
            } else {
                keptDims.append(dims[i])
                for k in strides.indices { kept[k].append(strides[k][i]) }
            }
        }
        if keptDims.isEmpty {
            keptDims = [1]
            kept = kept.map { _ in [0] }
        }
        dims = keptDims
        strides = kept
    }
}

/// Typed 1-D loops, inlined into each op's kernel closure so the operation itself is inlined
/// and the contiguous case vectorizes.
@inline(__always)
func map1<A, O>(_ r: Row, _ f: (A) -> O) {
    let o = r.out.assumingMemoryBound(to: O.self)
    let a = r.a.assumingMemoryBound(to: A.self)
    if r.so == 1 && r.sa == 1 {
        for i in 0..<r.n { o[i] = f(a[i]) }
    } else {
        for i in 0..<r.n { o[i * r.so] = f(a[i * r.sa]) }
    }
}

@inline(__always)
func map2<A, B, O>(_ r: Row, _ f: (A, B) -> O) {
    let o = r.out.assumingMemoryBound(to: O.self)
    let a = r.a.assumingMemoryBound(to: A.self)
    let b = r.b.assumingMemoryBound(to: B.self)
    if r.so == 1 && r.sa == 1 && r.sb == 1 {
        for i in 0..<r.n { o[i] = f(a[i], b[i]) }
    } else if r.so == 1 && r.sa == 1 && r.sb == 0 {
        let y = b[0]
        for i in 0..<r.n { o[i] = f(a[i], y) }
    } else if r.so == 1 && r.sa == 0 && r.sb == 1 {
        let x = a[0]
        for i in 0..<r.n { o[i] = f(x, b[i]) }
    } else {
        for i in 0..<r.n { o[i * r.so] = f(a[i * r.sa], b[i * r.sb]) }
    }
}

@inline(__always)
func map3<A, B, C, O>(_ r: Row, _ f: (A, B, C) -> O) {
    let o = r.out.assumingMemoryBound(to: O.self)
    let a = r.a.assumingMemoryBound(to: A.self)
    let b = r.b.assumingMemoryBound(to: B.self)
    let c = r.c.assumingMemoryBound(to: C.self)
    if r.so == 1 && r.sa == 1 && r.sb == 1 && r.sc == 1 {
        for i in 0..<r.n { o[i] = f(a[i], b[i], c[i]) }
    } else {
        for i in 0..<r.n { o[i * r.so] = f(a[i * r.sa], b[i * r.sb], c[i * r.sc]) }
    }
}
