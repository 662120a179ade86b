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
    /// Runs around every call of this module from Swift (the language's forward hooks and
    /// pre-hooks, which may replace the input or the output).
    public var callInterceptor: ModuleCallInterceptor?
    /// Buffers left out of `stateDict()` (`register_buffer(..., persistent=False)`).
    public private(set) var nonPersistentBuffers: Set<String> = []

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
        let output: Tensor
        if let callInterceptor {
            output = try callInterceptor.intercept(self, input) { x in try inCallScope { try forward(x) } }
        } else {
            output = try inCallScope { try forward(input) }
        }
        forwardHook?(self, output)
        return output
    }

    /// Runs a call of this module inside its profiler scope (the path of registered names), as
    /// `callAsFunction` does; callers that pass other arguments than one tensor use it directly.
    public func inCallScope<R>(_ body: () throws -> R) rethrows -> R {
        let ctx = EngineContext.current
        guard ctx.observer != nil else { return try body() }
        return try ctx.withScope(registeredName.isEmpty ? typeName : "\(registeredName).\(typeName)", body)
    }

    open var typeName: String { String(describing: type(of: self)) }

    // MARK: Registration

    /// Registers (or replaces, keeping its place) a parameter; it becomes a leaf that needs grad.
    @discardableResult
    public func registerParameter(_ name: String, _ tensor: Tensor) throws -> Tensor {
        // A Parameter keeps its own flag (`nn.Parameter(t, requires_grad=False)` stays frozen).
        if !tensor.isParameter && tensor.isLeaf && !tensor.requiresGrad { try tensor.requiresGrad(true) }
        tensor.isParameter = true
        removeRegistration(name, keeping: .parameter)
        if let i = registeredParameters.firstIndex(where: { $0.name == name }) {
            registeredParameters[i].tensor = tensor
        } else {
            registeredParameters.append((name, tensor))
        }
        return tensor
    }

    @discardableResult
    public func registerBuffer(_ name: String, _ tensor: Tensor, persistent: Bool = true) -> Tensor {
        removeRegistration(name, keeping: .buffer)
        if let i = registeredBuffers.firstIndex(where: { $0.name == name }) {
            registeredBuffers[i].tensor = tensor
        } else {
            registeredBuffers.append((name, tensor))
        }
        if persistent { nonPersistentBuffers.remove(name) } else { nonPersistentBuffers.insert(name) }
        return tensor
    }

    @discardableResult
    public func registerModule<M: Module>(_ name: String, _ module: M) -> M {
        module.registeredName = name
        removeRegistration(name, keeping: .module)
        if let i = children.firstIndex(where: { $0.name == name }) {
            children[i].module = module
        } else {
            children.append((name, module))
        }
        return module
    }

    /// What a name is registered as.
    public enum Registration { case parameter, buffer, module }

    public func registration(_ name: String) -> Registration? {
        if registeredParameters.contains(where: { $0.name == name }) { return .parameter }
        if registeredBuffers.contains(where: { $0.name == name }) { return .buffer }
        if children.contains(where: { $0.name == name }) { return .module }
        return nil
    }

    /// Drops `name` from the registries (all but `keeping`): `del self.fc`, or a name reassigned
    /// to another kind of value.
    public func removeRegistration(_ name: String, keeping: Registration? = nil) {
        if keeping != .parameter { registeredParameters.removeAll { $0.name == name } }
        if keeping != .buffer {
            registeredBuffers.removeAll { $0.name == name }
            nonPersistentBuffers.remove(name)
        }
        if keeping != .module { children.removeAll { $0.name == name } }
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

    /// What `stateDict` holds, in PyTorch's order: each module's parameters, then its persistent
    /// buffers, module by module in registration order.
    public func namedState(prefix: String = "") -> [(name: String, tensor: Tensor)] {
        namedModules(prefix: prefix).flatMap { path, m in
            m.registeredParameters.map { (Self.join(path, $0.name), $0.tensor) }
                + m.registeredBuffers.filter { !m.nonPersistentBuffers.contains($0.name) }.map { (Self.join(path, $0.name), $0.tensor) }
        }
    }

    public func parameters() -> [Tensor] { namedParameters().map(\.tensor) }

    public static func join(_ prefix: String, _ name: String) -> String { prefix.isEmpty ? name : "\(prefix).\(name)" }

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

    /// This module's own flag only (summary restores modes one module at a time; a script's
    /// `self.training = False` sets it so).
    public func setTraining(_ mode: Bool) { training = mode }

    public func zeroGrad() {
        for p in parameters() { p.zeroGrad() }
    }

    // MARK: Printing

    /// A child's text nested one level: every line after the first indented by two spaces.
    static func indented(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .enumerated().map { $0.offset == 0 ? String($0.element) : "  " + $0.element }.joined(separator: "\n")
    }

    open var description: String {
        let extra = extraDescription
        if children.isEmpty { return "\(typeName)(\(extra))" }
        var lines = ["\(typeName)("]
        // As PyTorch: the extra text's lines first, then the children.
        if !extra.isEmpty { lines += extra.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 } }
        for (name, child) in children { lines.append("  (\(name)): \(Self.indented(child.description))") }
        lines.append(")")
        return lines.joined(separator: "\n")
    }
}

/// Code that runs around a module's calls from Swift (`Module.callInterceptor`): it receives the
/// input and the module's own call, and returns the output.
public protocol ModuleCallInterceptor: AnyObject {
    func intercept(_ module: Module, _ input: Tensor, _ call: (Tensor) throws -> Tensor) throws -> Tensor
}
