/// What `fit` returns: the per-epoch metrics as a dict-like object (`history["loss"]`, `keys()`,
/// `items()`, `len`, `in`, iteration, as the dict fit returned before), plus Keras's `history`
/// and `epoch`, and `interrupted`: true when Ctrl-C stopped the fit, in which case it holds the
/// epochs finished before it (`history = fit(…)` still binds it, see `Interpreter.interrupted`).
final class HistoryObject: ScriptObject, Subscriptable {
    let metrics: DictObject
    let epochs: Int
    let interrupted: Bool

    init(metrics: DictObject, epochs: Int, interrupted: Bool) {
        self.metrics = metrics
        self.epochs = epochs
        self.interrupted = interrupted
    }

    override var typeName: String { "History" }

    override func attribute(_ name: String, _ interp: Interpreter) throws -> Value? {
        switch name {
        case "interrupted": return .bool(interrupted)
        case "history": return .dict(metrics)
        case "epoch": return .list(ListObject((0..<epochs).map(Value.int)))
        default: return ContainerMethods.dict[name].map { .object(BoundMethod(.dict(metrics), $0)) }
        }
    }

    override var attributeNames: [String] { ["epoch", "history", "interrupted"] + ContainerMethods.dict.keys.sorted() }

    func item(_ index: Value, _ interp: Interpreter) throws -> Value { try Subscript.get(.dict(metrics), index, interp) }

    func contains(_ key: Value) throws -> Bool { try metrics.get(key) != nil }

    override func makeIterator(_ interp: Interpreter) throws -> ValueIterator? { ArrayIterator(metrics.keys) }

    override var length: Int? { metrics.count }

    /// The dict's repr, so a finished fit echoes as before; an interrupted one says so.
    override var repr: String { Repr.repr(.dict(metrics)) + (interrupted ? " (interrupted after \(epochs) epoch\(epochs == 1 ? "" : "s"))" : "") }
}
