import Foundation
import DuetTensor

/// Built-in data sets made from a seed, no download: the TensorFlow Playground's 2-D toy
/// problems (as scikit-learn's `make_moons`, `make_circles`, `make_blobs`) and `shapes28`.
/// Each returns features `X` (float32) and labels `y` (int64), classes as balanced as the count
/// allows, rows in a seeded random order so that any prefix is a fair sample.
public enum Datasets {
    /// `classes` interleaved spiral arms of 1.5 turns each, radius growing to 1.
    public static func spirals(count: Int = 300, classes: Int = 2, noise: Double = 0.05, seed: Int = 0) throws -> (X: Tensor, y: Tensor) {
        try check("spirals", count: count, classes: classes, spread: noise, name: "noise")
        return try points(count: count, classes: classes, seed: seed) { c, j, n, random in
            let t = Double(j) / Double(max(n, 1))
            let r = 0.05 + 0.95 * t
            let angle = 2 * Double.pi * Double(c) / Double(classes) + 3 * Double.pi * t
            return (r * cos(angle) + noise * random.normal(), r * sin(angle) + noise * random.normal())
        }
    }

    /// Two interleaving half circles (scikit-learn's `make_moons`).
    public static func moons(count: Int = 200, noise: Double = 0.1, seed: Int = 0) throws -> (X: Tensor, y: Tensor) {
        try check("moons", count: count, classes: 2, spread: noise, name: "noise")
        return try points(count: count, classes: 2, seed: seed) { c, j, n, random in
            let angle = Double.pi * Double(j) / Double(max(n - 1, 1))
            let (x, y) = c == 0 ? (cos(angle), sin(angle)) : (1 - cos(angle), 0.5 - sin(angle))
            return (x + noise * random.normal(), y + noise * random.normal())
        }
    }

    /// A circle of radius 1 (class 0) around one of radius `factor` (class 1).
    public static func circles(count: Int = 200, noise: Double = 0.05, factor: Double = 0.5, seed: Int = 0) throws -> (X: Tensor, y: Tensor) {
        try check("circles", count: count, classes: 2, spread: noise, name: "noise")
        guard factor > 0 && factor < 1 else {
            throw TensorError.value("circles: factor must be between 0 and 1 (exclusive), got \(factor)")
        }
        return try points(count: count, classes: 2, seed: seed) { c, j, n, random in
            let angle = 2 * Double.pi * Double(j) / Double(max(n, 1))
            let r = c == 0 ? 1 : factor
            return (r * cos(angle) + noise * random.normal(), r * sin(angle) + noise * random.normal())
        }
    }

    /// Points in [-1, 1]², kept 0.1 away from the axes: class 0 where x and y share a sign.
    public static func xor(count: Int = 200, noise: Double = 0, seed: Int = 0) throws -> (X: Tensor, y: Tensor) {
        try check("xor", count: count, classes: 2, spread: noise, name: "noise")
        return try points(count: count, classes: 2, seed: seed) { c, j, _, random in
            let x = random.uniform(0.1, 1), y = random.uniform(0.1, 1)
            let flip: Double = j % 2 == 0 ? 1 : -1
            return (flip * x + noise * random.normal(), flip * (c == 0 ? y : -y) + noise * random.normal())
        }
    }

    /// Gaussian blobs of standard deviation `std` around `centers` centers drawn uniformly
    /// from [-10, 10]² (scikit-learn's `make_blobs`).
    public static func blobs(count: Int = 300, centers: Int = 3, std: Double = 1, seed: Int = 0) throws -> (X: Tensor, y: Tensor) {
        try check("blobs", count: count, classes: centers, spread: std, name: "std")
        var random = SeededRandom(seed: seed, stream: 1)
        let middles = (0..<centers).map { _ in (random.uniform(-10, 10), random.uniform(-10, 10)) }
        return try points(count: count, classes: centers, seed: seed) { c, _, _, random in
            (middles[c].0 + std * random.normal(), middles[c].1 + std * random.normal())
        }
    }

    static func check(_ op: String, count: Int, classes: Int, spread: Double, name: String) throws {
        guard count >= 0 else { throw TensorError.value("\(op): count must be non-negative, got \(count)") }
        guard classes >= 1 else { throw TensorError.value("\(op): the number of classes must be positive, got \(classes)") }
        guard spread >= 0 && spread.isFinite else {
            throw TensorError.value("\(op): \(name) must be a finite non-negative number, got \(spread)")
        }
    }

    /// Class sizes differing by at most one, larger classes first: `count` split `classes` ways.
    static func classSizes(count: Int, classes: Int) -> [Int] {
        (0..<classes).map { count / classes + ($0 < count % classes ? 1 : 0) }
    }

    /// Draws point `j` of the `n` in class `c` with `point`, then shuffles the rows.
    private static func points(count: Int, classes: Int, seed: Int,
                               _ point: (_ c: Int, _ j: Int, _ n: Int, inout SeededRandom) -> (Double, Double)) throws -> (X: Tensor, y: Tensor) {
        var random = SeededRandom(seed: seed)
        var xs: [Double] = [], labels: [Double] = []
        xs.reserveCapacity(2 * count)
        labels.reserveCapacity(count)
        for (c, n) in classSizes(count: count, classes: classes).enumerated() {
            for j in 0..<n {
                let (a, b) = point(c, j, n, &random)
                xs += [a, b]
                labels.append(Double(c))
            }
        }
        let order = random.permutation(count)
        let X = try Tensor(order.flatMap { [xs[2 * $0], xs[2 * $0 + 1]] }, shape: [count, 2], dtype: .float32)
        let y = try Tensor(order.map { labels[$0] }, shape: [count], dtype: .int64)
        return (X, y)
    }
}
