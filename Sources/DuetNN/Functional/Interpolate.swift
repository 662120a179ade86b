import DuetTensor

/// `F.interpolate`'s resampling modes.
public enum InterpolationMode: String, Sendable {
    case nearest, linear, bilinear

    /// The input rank each mode resizes (its spatial dims are all but [N, C]).
    var ranks: [Int] {
        switch self {
        case .nearest: [3, 4, 5]
        case .linear: [3]
        case .bilinear: [4]
        }
    }
}

extension Tensor {
    /// Resizes the spatial dims of [N, C, …] to `size`, or by `scaleFactor` (output ⌊in·s⌋). Nearest
    /// picks rows with index_select; (bi)linear multiplies each spatial dim by an interpolation
    /// matrix. Source positions follow PyTorch: a given scale factor is used as given unless
    /// `recomputeScaleFactor`, otherwise in/out; align_corners maps corner to corner.
    public func interpolate(size: [Int]?, scaleFactor: [Double]?, mode: InterpolationMode, alignCorners: Bool = false,
                            recomputeScaleFactor: Bool = false) throws -> Tensor {
        guard mode.ranks.contains(rank) else {
            throw TensorError.shape("interpolate: mode '\(mode.rawValue)' expects a \(mode.ranks.map { "\($0)-D" }.joined(separator: " or ")) input, got \(shapeString(shape))")
        }
        let spatial = rank - 2
        let inSizes = Array(shape.suffix(spatial))
        let outSizes: [Int], scales: [Double?]
        switch (size, scaleFactor) {
        case (let s?, nil):
            outSizes = s.count == 1 ? Array(repeating: s[0], count: spatial) : s
            scales = Array(repeating: nil, count: spatial)
        case (nil, let f?):
            let factors = f.count == 1 ? Array(repeating: f[0], count: spatial) : f
            guard factors.count == spatial, factors.allSatisfy({ $0 > 0 && $0.isFinite }) else {
                throw TensorError.value("interpolate: scale_factor must be \(spatial) positive numbers, got \(f)")
            }
            var sizes: [Int] = []
            for (n, s) in zip(inSizes, factors) {
                let out = (Double(n) * s).rounded(.down)
                guard out < Double(Int32.max) else { throw TensorError.value("interpolate: output size \(out) is too large") }
                sizes.append(Int(out))
            }
            outSizes = sizes
            scales = recomputeScaleFactor ? Array(repeating: nil, count: spatial) : factors.map { $0 }
        case (nil, nil): throw TensorError.value("interpolate: either size or scale_factor should be defined")
        case (_?, _?): throw TensorError.value("interpolate: only one of size or scale_factor should be defined")
        }
        guard outSizes.count == spatial, outSizes.allSatisfy({ $0 > 0 }) else {
            throw TensorError.value("interpolate: size must be \(spatial) positive ints for a \(rank)-D input, got \(outSizes)")
        }
        var y = self
        for d in 0..<spatial {
            let dim = 2 + d, n = inSizes[d], m = outSizes[d]
            if mode == .nearest {
                y = try y.indexSelect(dim: dim, index: try Tensor(Tensor.nearestSources(n, m, scales[d]).map(Double.init), shape: [m], dtype: .int64))
            } else {
                let weights = try Tensor(Tensor.linearWeights(n, m, scales[d], alignCorners: alignCorners), shape: [m, n], dtype: dtype)
                y = try y.transpose(dim, -1).matmul(weights.mT).transpose(dim, -1)
            }
        }
        return y
    }

    /// Nearest source index of each output position: ⌊i·scale⌋ in float arithmetic, as PyTorch's kernel.
    static func nearestSources(_ n: Int, _ m: Int, _ scale: Double?) -> [Int] {
        let s = Float(scale.map { 1 / $0 } ?? Double(n) / Double(m))
        return (0..<m).map { Swift.min(Int((Float($0) * s).rounded(.down)), n - 1) }
    }

    /// The [m, n] matrix of linear interpolation weights (two per row) from n inputs to m outputs.
    static func linearWeights(_ n: Int, _ m: Int, _ scale: Double?, alignCorners: Bool) -> [Double] {
        let step: Double = alignCorners ? (m > 1 ? Double(n - 1) / Double(m - 1) : 0) : (scale.map { 1 / $0 } ?? Double(n) / Double(m))
        var w = [Double](repeating: 0, count: m * n)
        for i in 0..<m {
            let source = alignCorners ? step * Double(i) : Swift.max(step * (Double(i) + 0.5) - 0.5, 0)
            let low = Swift.min(Int(source), n - 1)
            let high = Swift.min(low + 1, n - 1)
            let frac = Swift.min(source - Double(low), 1)
            w[i * n + low] += 1 - frac
            w[i * n + high] += frac
        }
        return w
    }
}
