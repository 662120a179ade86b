import Foundation

/// Drawing for `shapes28`: a glyph is a few strokes (segments, circles) or filled disks in a unit
/// frame; placing it maps the frame into the image, and rendering writes each pixel's coverage
/// by the nearest stroke, anti-aliased over one pixel.
struct GlyphRaster {
    enum Primitive {
        case segment(SIMD2<Float>, SIMD2<Float>)
        /// A stroked circle.
        case circle(SIMD2<Float>, radius: Float)
        /// A filled circle.
        case disk(SIMD2<Float>, radius: Float)
    }

    /// The ten classes, as primitives in [-1, 1]² (y grows downwards, as in the image).
    static let classes: [[Primitive]] = [
        [.circle([0, 0], radius: 0.9)],
        [.disk([0, 0], radius: 0.7)],
        polygon([[-1, -1], [1, -1], [1, 1], [-1, 1]]),
        polygon([[0, -1], [0.95, 0.75], [-0.95, 0.75]]),
        [.segment([-1, 0], [1, 0]), .segment([0, -1], [0, 1])],
        [.segment([-0.8, -0.8], [0.8, 0.8]), .segment([-0.8, 0.8], [0.8, -0.8])],
        [.segment([-1, -0.4], [1, -0.4]), .segment([-1, 0.4], [1, 0.4])],
        [.segment([-1, -0.9], [1, -0.9]), .segment([0, -0.9], [0, 1])],
        [.segment([-0.6, -1], [-0.6, 1]), .segment([-0.6, 1], [0.8, 1])],
        [.segment([-0.9, -0.8], [0, 0.8]), .segment([0, 0.8], [0.9, -0.8])],
    ]

    static let classNames = ["ring", "disk", "square", "triangle", "plus", "cross", "equals", "tee", "ell", "vee"]

    private static func polygon(_ corners: [SIMD2<Float>]) -> [Primitive] {
        corners.indices.map { .segment(corners[$0], corners[($0 + 1) % corners.count]) }
    }

    /// The glyph's primitives in pixel coordinates: scaled by `scale` (per axis), rotated by
    /// `angle`, centred at `center`.
    static func place(_ glyph: [Primitive], center: SIMD2<Float>, scale: SIMD2<Float>, angle: Float) -> [Primitive] {
        let c = Float(cos(Double(angle))), s = Float(sin(Double(angle)))
        func map(_ p: SIMD2<Float>) -> SIMD2<Float> {
            let q = p * scale
            return center + SIMD2(c * q.x - s * q.y, s * q.x + c * q.y)
        }
        let mean = (scale.x + scale.y) / 2
        return glyph.map {
            switch $0 {
            case .segment(let a, let b): .segment(map(a), map(b))
            case .circle(let p, let r): .circle(map(p), radius: r * mean)
            case .disk(let p, let r): .disk(map(p), radius: r * mean)
            }
        }
    }

    /// The corners of the box holding the primitives' centre lines.
    static func bounds(_ prims: [Primitive]) -> (low: SIMD2<Float>, high: SIMD2<Float>) {
        var low = SIMD2<Float>(repeating: .infinity), high = SIMD2<Float>(repeating: -.infinity)
        for p in prims {
            switch p {
            case .segment(let a, let b):
                low = pointwiseMin(low, pointwiseMin(a, b)); high = pointwiseMax(high, pointwiseMax(a, b))
            case .circle(let c, let r), .disk(let c, let r):
                low = pointwiseMin(low, c - r); high = pointwiseMax(high, c + r)
            }
        }
        return (low, high)
    }

    /// Adds `intensity × coverage` of strokes `width` pixels wide into a `size × size` image
    /// (values saturate at `intensity`); only pixels within reach of the glyph are visited.
    static func render(_ prims: [Primitive], width: Float, intensity: Float, size: Int, into image: UnsafeMutableBufferPointer<Float>) {
        let half = width / 2
        let (low, high) = bounds(prims)
        let reach = half + 1
        let x0 = max(0, Int((low.x - reach).rounded(.down))), x1 = min(size - 1, Int((high.x + reach).rounded(.up)))
        let y0 = max(0, Int((low.y - reach).rounded(.down))), y1 = min(size - 1, Int((high.y + reach).rounded(.up)))
        guard x0 <= x1, y0 <= y1 else { return }
        for y in y0...y1 {
            for x in x0...x1 {
                let p = SIMD2(Float(x) + 0.5, Float(y) + 0.5)
                var d = Float.infinity
                for prim in prims { d = min(d, distance(p, prim)) }
                let coverage = min(max(half + 0.5 - d, 0), 1)
                let i = y * size + x
                image[i] = max(image[i], intensity * coverage)
            }
        }
    }

    /// Distance from `p` to the primitive's ink centre line (0 inside a disk).
    private static func distance(_ p: SIMD2<Float>, _ prim: Primitive) -> Float {
        switch prim {
        case .segment(let a, let b):
            let ab = b - a, ap = p - a
            let t = min(max((ap * ab).sum() / max((ab * ab).sum(), 1e-12), 0), 1)
            let e = ap - t * ab
            return (e * e).sum().squareRoot()
        case .circle(let c, let r):
            let v = p - c
            return abs((v * v).sum().squareRoot() - r)
        case .disk(let c, let r):
            let v = p - c
            return max((v * v).sum().squareRoot() - r, 0)
        }
    }
}
