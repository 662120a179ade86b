import DuetTensor

extension Datasets {
    /// Names of `shapes28`'s classes, by label.
    public static let shapes28Classes = GlyphRaster.classNames

    /// `count` 28×28 grayscale images `[N,1,28,28]` (values in [0, 1]) of ten stroked shapes —
    /// ring, disk, square, triangle, plus, cross, equals, tee, ell, vee — each placed anywhere in
    /// the frame, with random size, aspect, rotation (±11°), stroke width, ink and pixel noise.
    /// Shapes roam the whole image, so a model must recognise them wherever they are: what
    /// convolutions share weights for and a plain MLP has to learn at every position.
    public static func shapes28(count: Int = 10_000, seed: Int = 0) throws -> (X: Tensor, y: Tensor) {
        guard count >= 0 else { throw TensorError.value("shapes28: count must be non-negative, got \(count)") }
        let size = 28, pixels = size * size
        var labelRandom = SeededRandom(seed: seed)
        var labels = [Int](repeating: 0, count: count)
        for (slot, i) in labelRandom.permutation(count).enumerated() { labels[i] = slot % GlyphRaster.classes.count }
        var images = [Float](repeating: 0, count: count * pixels)
        images.withUnsafeMutableBufferPointer { all in
            for i in 0..<count {
                // One stream per image: image i is the same whatever the count.
                var random = SeededRandom(seed: seed, stream: i + 1)
                let image = UnsafeMutableBufferPointer(rebasing: all[i * pixels..<(i + 1) * pixels])
                draw(GlyphRaster.classes[labels[i]], size: size, random: &random, into: image)
            }
        }
        let X = try images.withUnsafeBytes { try Tensor(bytes: $0, shape: [count, 1, size, size], dtype: .float32) }
        let y = try Tensor(labels.map(Double.init), shape: [count], dtype: .int64)
        return (X, y)
    }

    /// One jittered glyph plus noise.
    private static func draw(_ glyph: [GlyphRaster.Primitive], size: Int, random: inout SeededRandom,
                             into image: UnsafeMutableBufferPointer<Float>) {
        let radius = Float(random.uniform(4.5, 7.5))
        let scale = SIMD2(radius * Float(random.uniform(0.9, 1.1)), radius * Float(random.uniform(0.9, 1.1)))
        let width = Float(random.uniform(1.1, 1.8))
        let angle = Float(random.uniform(-0.2, 0.2))
        // Placed at the origin first, so that the shift can move the whole glyph anywhere it fits.
        let atOrigin = GlyphRaster.place(glyph, center: .zero, scale: scale, angle: angle)
        let (low, high) = GlyphRaster.bounds(atOrigin)
        let pad = width / 2 + 0.5
        func shift(_ low: Float, _ high: Float) -> Float {
            let from = pad - low, to = Float(size) - pad - high
            return from < to ? from + (to - from) * Float(random.uniform()) : (from + to) / 2
        }
        let center = SIMD2(shift(low.x, high.x), shift(low.y, high.y))
        let placed = GlyphRaster.place(glyph, center: center, scale: scale, angle: angle)
        GlyphRaster.render(placed, width: width, intensity: Float(random.uniform(0.8, 1)), size: size, into: image)
        for k in image.indices {
            let noise = Float(random.uniform() + random.uniform() - 1) * 0.08
            image[k] = min(max(image[k] + noise, 0), 1)
        }
    }
}
