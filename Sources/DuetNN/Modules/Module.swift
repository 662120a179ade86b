import DuetGraph
import DuetTensor

/// The base of every layer and model, as in PyTorch: parameters, buffers and child modules are
/// registered by name in a stable order; `callAsFunction` runs `forward`.
open class Module: CustomStringConvertible {
    public private(set) var registeredParameters: [(name: String, tensor: Tensor)] = []
    public private(set) var registeredBuffers: [(name: String, tensor: Tensor)] = []
    public private(set) var children: [(name: String, module: Module)] = []
    public private(set) var training = true
    /// Called with each output of this module (summary uses it, like register_forward_hook).
    public var forwardHook: ((Module, Tensor) -> Void)?

    public init() {}

    /// The layer's computation; subclasses override it.
    open func forward(_ input: Tensor) throws -> Tensor {
        throw TensorError.value("\(typeName).forward is not implemented")
    }

    /// Extra text inside the parentheses of `print(model)`, e.g. `in_features=784, out_features=10`.
    open var extraDescription: String { "" }

    /// The name this module was registered under in its parent ("0", "encoder"); the profiler
    /// labels its ops with the path of these names.
    public private(set) var registeredName = ""

    public func callAsFunction(_ input: Tensor) throws -> Tensor {
        let ctx = EngineContext.current
        let output = ctx.observer == nil ? try forward(input)
            : try ctx.withScope(registeredName.isEmpty ? typeName : "\(registeredName).\(typeName)") { try forward(input) }
        forwardHook?(self, output)
        return output
    }

    public var typeName: String { String(describing: type(of: self)) }

    // MARK: Registration

    @discardableResult
    public func registerParameter(_ name: String, _ tensor: Tensor) throws -> Tensor {
        if !tensor.requiresGrad { try tensor.requiresGrad(true) }
        registeredParameters.append((name, tensor))
        return tensor
    }

    @discardableResult
    public func registerBuffer(_ name: String, _ tensor: Tensor) -> Tensor {
        registeredBuffers.append((name, tensor))
        return tensor
    }

    @discardableResult
    public func registerModule<M: Module>(_ name: String, _ module: M) -> M {
        module.registeredName = name
        children.append((name, module))
        return module
    }

    // MARK: Traversal (names as in PyTorch: "0.weight", "encoder.layer1.bias")

    public func namedModules(prefix: String = "") -> [(name: String, module: Module)] {
        [(prefix, self)] + children.flatMap { $0.module.namedModules(prefix: Self.join(prefix, $0.name)) }
    }

    public func namedParameters(prefix: String = "") -> [(name: String, tensor: Tensor)] {
        namedModules(prefix: prefix).flatMap { path, m in m.registeredParameters.map { (Self.join(path, $0.name), $0.tensor) } }
    }

    public func namedBuffers(prefix: String = "") -> [(name: String, tensor: Tensor)] {
        namedModules(prefix: prefix).flatMap { path, m in m.registeredBuffers.map { (Self.join(path, $0.name), $0.tensor) } }
    }

    public func parameters() -> [Tensor] { namedParameters().map(\.tensor) }

    static func join(_ prefix: String, _ name: String) -> String { prefix.isEmpty ? name : "\(prefix).\(name)" }

    // MARK: Modes

    /// Training mode on (dropout active, batch norm uses batch statistics) for this module and its children.
    @discardableResult
    public func train(_ mode: Bool = true) -> Self {
        for (_, m) in namedModules() { m.training = mode }
        return self
    }

    @discardableResult
    public func eval() -> Self { train(false) }

    /// The training flag, for layers whose computation depends on it: a compiled function whose
    /// trace read it retraces when it changes, instead of running the other mode's graph.
    public var isTraining: Bool {
        noteTraceDependency(ObjectIdentifier(self), "\(typeName).training", value: training ? "True" : "False") { [weak self] in
            self?.training == true ? "True" : "False"
        }
        return training
    }

    /// This module's own flag only (summary restores modes one module at a time).
    func setTraining(_ mode: Bool) { training = mode }

    public func zeroGrad() {
        for p in parameters() { p.zeroGrad() }
    }

    // MARK: Printing

    public var description: String {
        if children.isEmpty { return "\(typeName)(\(extraDescription))" }
        var lines = ["\(typeName)("]
        for (name, child) in children {
            let body = child.description.split(separator: "\n", omittingEmptySubsequences: false)
                .enumerated().map { $0.offset == 0 ? String($0.element) : "  " + $0.element }.joined(separator: "\n")
            lines.append("  (\(name)): \(body)")
        }
        lines.append(")")
        return lines.joined(separator: "\n")
    }
}
