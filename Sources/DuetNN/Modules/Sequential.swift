import DuetTensor

/// Runs its children in order; they are named "0", "1", … as in PyTorch.
public final class Sequential: Module {
    public init(_ layers: [Module]) {
        super.init()
        for (i, layer) in layers.enumerated() { registerModule(String(i), layer) }
    }

    public convenience init(_ layers: Module...) { self.init(layers) }

    /// Layers under the names given (a slice of another Sequential keeps its names, as in PyTorch).
    public init(named layers: [(String, Module)]) {
        super.init()
        for (name, layer) in layers { registerModule(name, layer) }
    }

    public func append(_ layer: Module) { registerModule(String(children.count), layer) }

    /// Puts `layer` at `index`, renumbering the layers after it.
    public func insert(_ layer: Module, at index: Int) {
        var items = layers
        items.insert(layer, at: Swift.max(0, Swift.min(index, items.count)))
        for (name, _) in children { removeRegistration(name) }
        for (i, m) in items.enumerated() { registerModule(String(i), m) }
    }

    public var layers: [Module] { children.map(\.module) }

    public override func forward(_ input: Tensor) throws -> Tensor {
        var x = input
        for layer in layers { x = try layer(x) }
        return x
    }
}
