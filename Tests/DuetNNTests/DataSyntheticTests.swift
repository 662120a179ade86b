import Testing
@testable import DuetNN
import DuetTensor

/// The built-in synthetic sets: shapes, dtypes, class balance, and determinism by seed.
@Suite struct DataSyntheticTests {
    private typealias Maker = @Sendable (Int, Int) throws -> (X: Tensor, y: Tensor)

    private static let playground: [(String, Int, Maker)] = [
        ("spirals", 3, { try Datasets.spirals(count: $0, classes: 3, seed: $1) }),
        ("moons", 2, { try Datasets.moons(count: $0, seed: $1) }),
        ("circles", 2, { try Datasets.circles(count: $0, seed: $1) }),
        ("xor", 2, { try Datasets.xor(count: $0, seed: $1) }),
        ("blobs", 4, { try Datasets.blobs(count: $0, centers: 4, seed: $1) }),
    ]

    private func classCounts(_ y: Tensor, classes: Int) throws -> [Int] {
        var counts = [Int](repeating: 0, count: classes)
        for v in try y.toDoubles() { counts[Int(v)] += 1 }
        return counts
    }

    @Test(arguments: 0..<5) func playgroundSetsHaveTheirShapeBalanceAndSeed(_ k: Int) throws {
        let (name, classes, make) = Self.playground[k]
        let (X, y) = try make(301, 5)
        #expect(X.shape == [301, 2] && X.dtype == .float32, "\(name)")
        #expect(y.shape == [301] && y.dtype == .int64, "\(name)")
        let counts = try classCounts(y, classes: classes)
        #expect((counts.max() ?? 0) - (counts.min() ?? 0) <= 1, "\(name): \(counts)")
        let again = try make(301, 5), other = try make(301, 6)
        #expect(try again.X.toDoubles() == X.toDoubles() && again.y.toDoubles() == y.toDoubles(), "\(name)")
        #expect(try other.X.toDoubles() != X.toDoubles(), "\(name)")
        // Rows are shuffled: the labels are not sorted by class.
        let labels = try y.toDoubles()
        #expect(labels != labels.sorted(), "\(name)")
    }

    @Test func pointsLieWhereEachSetPutsThem() throws {
        let (X, y) = try Datasets.circles(count: 100, noise: 0, factor: 0.5)
        let xs = try X.toDoubles(), ys = try y.toDoubles()
        for i in 0..<100 {
            let r = (xs[2 * i] * xs[2 * i] + xs[2 * i + 1] * xs[2 * i + 1]).squareRoot()
            #expect(abs(r - (ys[i] == 0 ? 1 : 0.5)) < 1e-5)
        }
        let xor = try Datasets.xor(count: 100)
        let p = try xor.X.toDoubles(), c = try xor.y.toDoubles()
        for i in 0..<100 { #expect((p[2 * i] * p[2 * i + 1] > 0) == (c[i] == 0)) }
    }

    @Test func badArgumentsAreErrors() throws {
        #expect(throws: TensorError.value("moons: count must be non-negative, got -1")) { try Datasets.moons(count: -1) }
        #expect(throws: TensorError.value("spirals: noise must be a finite non-negative number, got -0.5")) {
            try Datasets.spirals(noise: -0.5)
        }
        #expect(throws: TensorError.value("blobs: the number of classes must be positive, got 0")) { try Datasets.blobs(centers: 0) }
        #expect(throws: TensorError.self) { try Datasets.circles(factor: 1.5) }
        #expect(try Datasets.moons(count: 0).X.shape == [0, 2])
    }

    @Test func shapes28ImagesAreBalancedBoundedAndRepeatable() throws {
        let (X, y) = try Datasets.shapes28(count: 1000, seed: 3)
        #expect(X.shape == [1000, 1, 28, 28] && X.dtype == .float32)
        #expect(y.shape == [1000] && y.dtype == .int64)
        #expect(try classCounts(y, classes: 10) == [Int](repeating: 100, count: 10))
        let pixels = try X.toDoubles()
        #expect(pixels.allSatisfy { $0 >= 0 && $0 <= 1 })
        let again = try Datasets.shapes28(count: 1000, seed: 3)
        #expect(try again.X.toDoubles() == pixels && again.y.toDoubles() == y.toDoubles())
        #expect(try Datasets.shapes28(count: 1000, seed: 4).X.toDoubles() != pixels)
        #expect(Datasets.shapes28Classes.count == 10)
    }

    /// Shapes must roam the frame (what makes the set hard for an MLP): the centre of ink,
    /// over many images of one class, covers most of the image.
    @Test func shapes28ShapesAreSpreadOverTheWholeImage() throws {
        let (X, y) = try Datasets.shapes28(count: 2000, seed: 1)
        let pixels = try X.toDoubles(), labels = try y.toDoubles()
        var columns: [Double] = [], rows: [Double] = []
        for i in 0..<2000 where labels[i] == 4 {
            var mass = 0.0, cx = 0.0, cy = 0.0
            for p in 0..<784 {
                let v = max(pixels[i * 784 + p] - 0.3, 0)
                mass += v; cx += v * Double(p % 28); cy += v * Double(p / 28)
            }
            columns.append(cx / mass); rows.append(cy / mass)
        }
        let left = try #require(columns.min()), right = try #require(columns.max())
        let top = try #require(rows.min()), bottom = try #require(rows.max())
        #expect(left < 9 && right > 18 && top < 9 && bottom > 18)
    }

    @Test func shapes28ErrorsAndEmptySets() throws {
        #expect(throws: TensorError.value("shapes28: count must be non-negative, got -3")) { try Datasets.shapes28(count: -3) }
        #expect(try Datasets.shapes28(count: 0).X.shape == [0, 1, 28, 28])
    }
}
