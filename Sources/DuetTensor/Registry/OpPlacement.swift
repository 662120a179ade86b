/// Where the language offers an op: a flat and `torch.` function, a tensor method, a
/// `torch.nn.functional` (`F.`) function, and an in-place `name_` tensor method. Declared with the
/// op so the builtins need no name lists of their own.
public struct OpPlacement: OptionSet, Sendable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    public static let function = OpPlacement(rawValue: 1)
    public static let method = OpPlacement(rawValue: 2)
    public static let functional = OpPlacement(rawValue: 4)
    public static let inPlace = OpPlacement(rawValue: 8)

    /// PyTorch's usual case: a function and a method, and for an elementwise op an in-place
    /// method too (its result has the input's shape, so it can be written back).
    public static func standard(for fusion: FusionClass) -> OpPlacement {
        fusion == .elementwise ? [.function, .method, .inPlace] : [.function, .method]
    }
}
