import DuetTensor

/// Containers whose children are numbered "0", "1", …: both grow at the end or at an index.
public protocol NumberedModules: Module {
    func append(_ m: Module)
    func insert(_ m: Module, at index: Int)
}

extension Sequential: NumberedModules {}

/// `nn.ModuleList`: submodules named "0", "1", … that a model's forward uses as it likes.
public final class ModuleList: Module, NumberedModules {
    public init(_ modules: [Module] = []) {
        super.init()
        for m in modules { append(m) }
    }

    public var modules: [Module] { children.map(\.module) }

    public func append(_ m: Module) { registerModule(String(children.count), m) }

    /// Puts `m` at `index` and renumbers the ones after it, as PyTorch does.
    public func insert(_ m: Module, at index: Int) {
        var items = modules
        items.insert(m, at: Swift.max(0, Swift.min(index, items.count)))
        replaceAll(items)
    }

    public func set(_ m: Module, at index: Int) {
        var items = modules
        items[index] = m
        replaceAll(items)
    }

    public func remove(at index: Int) {
        var items = modules
        items.remove(at: index)
        replaceAll(items)
    }

    private func replaceAll(_ items: [Module]) {
        for (name, _) in children { removeRegistration(name) }
        for (i, m) in items.enumerated() { registerModule(String(i), m) }
    }

    public override func forward(_ input: Tensor) throws -> Tensor {
        throw TensorError.value("ModuleList has no forward: iterate over it in your model's forward")
    }

    /// Runs of the same printed module collapse to `(0-2): 3 x Linear(…)`, as PyTorch prints them.
    public override var description: String {
        guard !children.isEmpty else { return "ModuleList()" }
        var lines = ["ModuleList("]
        var i = 0
        let texts = modules.map(\.description)
        while i < texts.count {
            var j = i
            while j + 1 < texts.count && texts[j + 1] == texts[i] { j += 1 }
            let body = Module.indented(texts[i])
            lines.append(j == i ? "  (\(i)): \(body)" : "  (\(i)-\(j)): \(j - i + 1) x \(body)")
            i = j + 1
        }
        lines.append(")")
        return lines.joined(separator: "\n")
    }
}

/// `nn.ModuleDict`: submodules by string key, in insertion order.
public final class ModuleDict: Module {
    public init(_ modules: [(String, Module)] = []) {
        super.init()
        for (k, m) in modules { registerModule(k, m) }
    }
    public var keys: [String] { children.map(\.name) }
    public func module(_ key: String) -> Module? { children.first { $0.name == key }?.module }
    public override func forward(_ input: Tensor) throws -> Tensor {
        throw TensorError.value("ModuleDict has no forward: index it in your model's forward")
    }
}

/// `nn.ParameterList`: parameters named "0", "1", …
public final class ParameterList: Module {
    public init(_ parameters: [Tensor] = []) throws {
        super.init()
        for p in parameters { try append(p) }
    }
    public var items: [Tensor] { registeredParameters.map(\.tensor) }
    public func append(_ p: Tensor) throws { try registerParameter(String(registeredParameters.count), p) }
    public override func forward(_ input: Tensor) throws -> Tensor {
        throw TensorError.value("ParameterList has no forward: use its parameters in your model's forward")
    }
    public override var description: String {
        guard !registeredParameters.isEmpty else { return "ParameterList()" }
        let rows = registeredParameters.map { "    (\($0.name)): Parameter containing: [torch.\($0.tensor.dtype.rawValue) of size \($0.tensor.shape.map(String.init).joined(separator: "x"))]" }
        return (["ParameterList("] + rows + [")"]).joined(separator: "\n")
    }
}
