import Foundation

/// Temporary scalar versions; replaced by the SIMD implementations.
enum VectorMath {
    static func exp(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) { for i in 0..<count { y[i] = Foundation.exp(x[i]) } }
    static func log(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) { for i in 0..<count { y[i] = Foundation.log(x[i]) } }
    static func tanh(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) { for i in 0..<count { y[i] = Foundation.tanh(x[i]) } }
    static func sigmoid(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) { for i in 0..<count { y[i] = 1 / (1 + Foundation.exp(-x[i])) } }
    static func erf(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) { for i in 0..<count { y[i] = Foundation.erf(x[i]) } }
}
