/// Arithmetic on sizes a user chooses (requested shapes, padding, kernel sizes, strides): every
/// `+` and `*` is checked, so an absurd size becomes a TensorError naming the op and the numbers
/// instead of trapping the process. Sizes of tensors that already exist need none of this: their
/// element count was checked when they were made.
extension Shape {
    /// The element count of `shape`. Throws for a negative dim, and when the product of the dims
    /// (zeros counted as 1, because contiguous strides multiply them that way) overflows an Int.
    static func checkedCount(_ shape: [Int], op: String) throws -> Int {
        var span = 1
        var empty = false
        for d in shape {
            guard d >= 0 else { throw TensorError.shape("\(op): negative dimension \(d) in shape \(shapeString(shape))") }
            let (r, overflow) = span.multipliedReportingOverflow(by: Swift.max(d, 1))
            if overflow { throw TensorError.memory("\(op): numel: integer multiplication overflow in shape \(shapeString(shape))") }
            span = r
            empty = empty || d == 0
        }
        return empty ? 0 : span
    }

    /// The sum of `terms`, or an error naming them when it overflows an Int.
    static func checkedSum(_ terms: [Int], op: String) throws -> Int {
        var total = 0
        for t in terms {
            let (r, overflow) = total.addingReportingOverflow(t)
            if overflow { throw overflowError(terms.map(String.init).joined(separator: " + "), op: op) }
            total = r
        }
        return total
    }

    /// The product of `factors`, or an error naming them when it overflows an Int.
    static func checkedProduct(_ factors: [Int], op: String) throws -> Int {
        var total = 1
        for f in factors {
            let (r, overflow) = total.multipliedReportingOverflow(by: f)
            if overflow { throw overflowError(factors.map(String.init).joined(separator: " * "), op: op) }
            total = r
        }
        return total
    }

    private static func overflowError(_ expression: String, op: String) -> TensorError {
        .value("\(op): the size \(expression) does not fit in a 64-bit integer")
    }

    /// How many positions a window of `kernel` taps, `dilation` apart, takes at steps of `stride`
    /// along `size` elements padded by `padding` on both sides: (n + 2p - d(k-1) - 1)/s + 1, or 0
    /// when the window does not fit at all. Expects k, s, d ≥ 1 and p ≥ 0 (Window2D checks them).
    static func windowCount(size: Int, kernel: Int, stride: Int, padding: Int, dilation: Int, op: String) throws -> Int {
        let padded = try checkedSum([size, padding, padding], op: op)
        let span = try checkedSum([checkedProduct([dilation, kernel - 1], op: op), 1], op: op)
        return padded < span ? 0 : (padded - span) / stride + 1
    }
}

extension EngineContext {
    /// The element count of a tensor of `shape` that `op` is about to make, refused when it exceeds
    /// `maxElements` or its bytes do not fit in an Int. Views are held to it like allocations:
    /// whatever reads one walks all its elements, and a later op may copy it.
    public func checkedElementCount(_ shape: [Int], dtype: DType = .float32, op: String) throws -> Int {
        let n = try Shape.checkedCount(shape, op: op)
        guard n <= maxElements, !n.multipliedReportingOverflow(by: dtype.itemSize).overflow else {
            throw TensorError.memory("\(op): a tensor of shape \(shapeString(shape)) has \(n) elements, more than the limit of \(maxElements)")
        }
        return n
    }
}
