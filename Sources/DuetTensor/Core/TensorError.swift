/// Every failure user input can cause in the engine is one of these, thrown with a message
/// that names the op and the values involved.
public enum TensorError: Error, Equatable, CustomStringConvertible {
    case shape(String)
    case dtype(String)
    case index(String)
    case dim(String)
    case value(String)
    case autograd(String)
    case memory(String)
    case backend(String)
    /// A matrix the requested factorization cannot take (a singular one): PyTorch's LinAlgError.
    case linalg(String)
    /// Ctrl-C reached the engine (every rank stopping at the same collective): KeyboardInterrupt.
    case interrupted(String)

    public var description: String {
        switch self {
        case .shape(let m), .dtype(let m), .index(let m), .dim(let m), .value(let m),
             .autograd(let m), .memory(let m), .backend(let m), .linalg(let m), .interrupted(let m):
            m
        }
    }
}

/// Renders a shape the way error messages and printouts show it: `[3,4]`.
public func shapeString(_ shape: [Int]) -> String {
    "[" + shape.map(String.init).joined(separator: ",") + "]"
}

extension TensorError {
    /// A kernel was handed a 16-bit float, which `HalfPrecision` widens before any kernel runs;
    /// reaching this is a bug in a dispatch path, reported rather than misread as other bytes.
    static func halfPrecisionKernel(_ op: String) -> TensorError {
        .dtype("\(op): the kernel got a 16-bit float tensor; float16 and bfloat16 compute in float32")
    }
}
