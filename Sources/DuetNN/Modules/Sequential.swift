import DuetTensor

/// Runs its children in order; they are named "0", "1", … as in PyTorch.
public final class Sequential: Module {
    public init(_ layers: [Module]) {
        super.init()
        for (i, layer) in layers.enumerated() { registerModule(String(i), layer) }
    }

    public convenience init(_ layers: Module...) { self.init(layers) }

    public var layers: [Module] { children.map(\.module) }

    public override func forward(_ input: Tensor) throws -> Tensor {
        var x = input
        for layer in layers { x = try layer(x) }
        return x
    }
}
