/// The op registry. Each entry is declared once, in the file for its group under `Ops/`; this list
/// is what tools walk (the language's builtins and help, the registry-wide tests, the profiler).
public enum Ops {
    public static let all: [OpDef] = [
        add, sub, mul, div, floorDivide, remainder, pow, maximum, minimum,
        neg, abs, sign, relu, reluBackward, exp, log, sqrt, rsqrt, erf, tanh, sigmoid,
        eq, ne, lt, le, gt, ge, logicalAnd, logicalOr, logicalNot,
        where_, maskedFill, clamp,
        to, clone, copy,
        sum, amax, amin, argmax, argmin,
        view, permute, expand, slice,
        gather, scatterAdd, indexSelect, indexAdd, oneHot,
        cat, pad,
        matmul, softmax, logSoftmax,
        unfold, fold, conv2d, maxPool2d, avgPool2d,
        rand, randn,
        sin, cos, tan, asin, acos, atan, sinh, cosh, log2, log10, log1p, expm1, reciprocal,
        floor, ceil, round, trunc, frac, atan2, cumsum, cumprod,
        scatter, argsort,
        allReduce, allReduceStart, allReduceWait, broadcast, allGather, reduceScatter,
    ]

    /// Entries by their PyTorch name.
    public static let byName: [String: OpDef] = Dictionary(all.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
}
