import Foundation
import Testing
@testable import DuetTensor

/// One VectorMath function with its Double reference and the ulp bound it must meet.
struct VectorMathCase: Sendable, CustomStringConvertible {
    let description: String
    let apply: @Sendable (UnsafePointer<Float>, UnsafeMutablePointer<Float>, Int) -> Void
    let reference: @Sendable (Double) -> Double
    let maxUlp: Int

    func callAsFunction(_ input: [Float]) -> [Float] {
        var output = [Float](repeating: .nan, count: input.count)
        input.withUnsafeBufferPointer { x in
            output.withUnsafeMutableBufferPointer { y in
                if let xb = x.baseAddress, let yb = y.baseAddress { apply(xb, yb, input.count) }
            }
        }
        return output
    }

    /// Distance in floats from the Double reference rounded to Float (NaN must match NaN).
    func ulpError(_ x: Float, _ y: Float) -> Int {
        ulpDistance(y, Float(reference(Double(x))))
    }
}

/// Floats between a and b: bit patterns mapped to a monotonic integer line (±0 coincide).
private func ulpDistance(_ a: Float, _ b: Float) -> Int {
    if a.isNaN || b.isNaN { return a.isNaN && b.isNaN ? 0 : Int.max }
    func line(_ v: Float) -> Int {
        let magnitude = Int(v.bitPattern & 0x7FFF_FFFF)
        return v.sign == .minus ? -magnitude : magnitude
    }
    return abs(line(a) - line(b))
}

private func linearSweep(_ lower: Double, _ upper: Double, points: Int) -> [Float] {
    (0..<points).map { Float(lower + (upper - lower) * Double($0) / Double(points - 1)) }
}

/// Points evenly spaced in ln x between lower and upper (both > 0).
private func logSweep(_ lower: Double, _ upper: Double, points: Int) -> [Float] {
    let a = Foundation.log(lower), b = Foundation.log(upper)
    return (0..<points).map { Float(Foundation.exp(a + (b - a) * Double($0) / Double(points - 1))) }
}

/// The bounds are what the sweeps below measure (exp, log, tanh, erf 1 ulp; sigmoid 3 ulp).
/// Ulp is a fair measure for all five, also near 0: tanh and erf keep full relative accuracy there.
@Suite struct VectorMathTests {
    static let exp = VectorMathCase(
        description: "exp", apply: { VectorMath.exp($0, $1, count: $2) },
        reference: { Foundation.exp($0) }, maxUlp: 1)
    static let log = VectorMathCase(
        description: "log", apply: { VectorMath.log($0, $1, count: $2) },
        reference: { Foundation.log($0) }, maxUlp: 1)
    static let tanh = VectorMathCase(
        description: "tanh", apply: { VectorMath.tanh($0, $1, count: $2) },
        reference: { Foundation.tanh($0) }, maxUlp: 1)
    static let sigmoid = VectorMathCase(
        description: "sigmoid", apply: { VectorMath.sigmoid($0, $1, count: $2) },
        reference: { 1 / (1 + Foundation.exp(-$0)) }, maxUlp: 3)
    static let erf = VectorMathCase(
        description: "erf", apply: { VectorMath.erf($0, $1, count: $2) },
        reference: { Foundation.erf($0) }, maxUlp: 1)

    /// Dense sweeps of each function's useful range, plus where its formula switches or
    /// its results turn denormal.
    static let sweeps: [(VectorMathCase, [Float])] = [
        (exp, linearSweep(-88, 88, points: 2_000_000)),
        (exp, linearSweep(-104, -87, points: 200_000)),
        (exp, linearSweep(87, 89, points: 200_000)),
        (log, logSweep(Double(Float.leastNonzeroMagnitude), 1e30, points: 2_000_000)),
        (log, linearSweep(0.5, 2, points: 500_000)),
        (tanh, linearSweep(-10, 10, points: 2_000_000)),
        (tanh, logSweep(1e-30, 1, points: 200_000)),
        (sigmoid, linearSweep(-10, 10, points: 2_000_000)),
        (sigmoid, linearSweep(-104, 100, points: 200_000)),
        (erf, linearSweep(-10, 10, points: 2_000_000)),
        (erf, logSweep(1e-30, 4, points: 200_000)),
    ]

    @Test(arguments: sweeps.indices)
    func maxUlpErrorWithinBound(_ index: Int) {
        let (function, input) = Self.sweeps[index]
        let output = function(input)
        var worst = (ulp: 0, at: Float.nan)
        for (x, y) in zip(input, output) {
            let error = function.ulpError(x, y)
            if error > worst.ulp { worst = (error, x) }
        }
        #expect(worst.ulp <= function.maxUlp, "\(function) off by \(worst.ulp) ulp at \(worst.at)")
    }

    /// Every float where exp overflows to inf or underflows to 0 must switch exactly where
    /// the rounded reference does (a 1-ulp bound alone would accept FLT_MAX for inf).
    @Test func expOverflowAndUnderflowEdges() {
        for (lower, upper) in [(Float(88.5), Float(89)), (Float(-104), Float(-102.5))] {
            let input = Array(sequence(first: lower) { $0 < upper ? $0.nextUp : nil })
            let y = Self.exp(input)
            let mismatches = zip(input, y).filter { x, y in
                let r = Float(Foundation.exp(Double(x)))
                return y.isInfinite != r.isInfinite || (y == 0) != (r == 0)
            }
            #expect(mismatches.isEmpty, "first mismatch: \(mismatches.first.map { "\($0)" } ?? "")")
        }
    }

    @Test func expSpecialValues() {
        let y = Self.exp([.nan, .infinity, -.infinity, 0, -0.0, 89, 88.8, 1000, -104, -200, -1000, 1])
        #expect(y[0].isNaN)
        #expect(y[1] == .infinity && y[5] == .infinity && y[6] == .infinity && y[7] == .infinity)
        #expect(y[2] == 0 && y[8] == 0 && y[9] == 0 && y[10] == 0)
        #expect(y[3] == 1 && y[4] == 1)
        #expect(y[11] == Float(M_E))
    }

    @Test func logSpecialValues() {
        let tiny = Float.leastNonzeroMagnitude, huge = Float.greatestFiniteMagnitude
        let y = Self.log([.nan, .infinity, -.infinity, 0, -0.0, -1, -tiny, 1, tiny, huge])
        #expect(y[0].isNaN && y[2].isNaN && y[5].isNaN && y[6].isNaN)
        #expect(y[1] == .infinity)
        #expect(y[3] == -.infinity && y[4] == -.infinity)
        #expect(y[7] == 0)
        #expect(y[8] == Float(Foundation.log(Double(tiny))))
        #expect(y[9] == Float(Foundation.log(Double(huge))))
    }

    @Test func tanhSpecialValues() {
        let denormal = Float.leastNormalMagnitude / 128
        let y = Self.tanh([.nan, .infinity, -.infinity, 0, -0.0, 50, -50, 1e30, -1e30, denormal])
        #expect(y[0].isNaN)
        #expect(y[1] == 1 && y[5] == 1 && y[7] == 1)
        #expect(y[2] == -1 && y[6] == -1 && y[8] == -1)
        #expect(y[3] == 0 && y[3].sign == .plus && y[4] == 0 && y[4].sign == .minus)
        #expect(y[9] == denormal)
    }

    @Test func sigmoidSpecialValues() {
        let y = Self.sigmoid([.nan, .infinity, -.infinity, 0, 50, -50, 1e30, -1e30, -95])
        #expect(y[0].isNaN)
        #expect(y[1] == 1 && y[4] == 1 && y[6] == 1)
        #expect(y[2] == 0 && y[7] == 0)
        #expect(y[3] == 0.5)
        #expect(y[5] == Float(1 / (1 + Foundation.exp(50.0))))
        #expect(y[8] > 0 && y[8] < Float.leastNormalMagnitude)
    }

    @Test func erfSpecialValues() {
        let denormal = Float.leastNormalMagnitude / 128
        let y = Self.erf([.nan, .infinity, -.infinity, 0, -0.0, 5, -5, 1e30, denormal])
        #expect(y[0].isNaN)
        #expect(y[1] == 1 && y[5] == 1 && y[7] == 1)
        #expect(y[2] == -1 && y[6] == -1)
        #expect(y[3] == 0 && y[3].sign == .plus && y[4] == 0 && y[4].sign == .minus)
        #expect(y[8] > denormal && y[8] < 2 * denormal)
    }

    /// Sizes around the 16-lane width: every element matches the one-element result (the
    /// tail uses the same arithmetic), nothing past `count` is written, in place is the same.
    @Test(arguments: [exp, log, tanh, sigmoid, erf], [0, 1, 7, 15, 16, 17, 33, 1000])
    func sizesAndInPlace(_ function: VectorMathCase, _ count: Int) {
        let input = Array(linearSweep(-3, 5, points: count + 2).dropFirst().dropLast())
        let sentinel: Float = 12345
        var output = [Float](repeating: sentinel, count: count + 3)
        input.withUnsafeBufferPointer { x in
            output.withUnsafeMutableBufferPointer { y in
                if let xb = x.baseAddress, let yb = y.baseAddress { function.apply(xb, yb, count) }
            }
        }
        #expect(output[count...].allSatisfy { $0 == sentinel })
        for i in 0..<count {
            #expect(output[i].bitPattern == function([input[i]])[0].bitPattern, "\(function)(\(input[i]))")
            #expect(function.ulpError(input[i], output[i]) <= function.maxUlp)
        }
        var inPlace = input
        inPlace.withUnsafeMutableBufferPointer { buffer in
            if let base = buffer.baseAddress { function.apply(base, base, count) }
        }
        #expect(inPlace.map(\.bitPattern) == output[..<count].map(\.bitPattern))
    }
}
