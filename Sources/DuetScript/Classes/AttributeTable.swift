/// Attributes by name in the order they were first set: an instance's `__dict__` or a class's
/// namespace (`vars(x)` lists them in that order, as Python does).
struct AttributeTable {
    private(set) var names: [String] = []
    private var values: [String: Value] = [:]

    subscript(_ name: String) -> Value? {
        get { values[name] }
        set {
            if let newValue {
                if values.updateValue(newValue, forKey: name) == nil { names.append(name) }
            } else if values.removeValue(forKey: name) != nil {
                names.removeAll { $0 == name }
            }
        }
    }

    var pairs: [(name: String, value: Value)] { names.compactMap { n in values[n].map { (n, $0) } } }
    var isEmpty: Bool { names.isEmpty }

    /// `vars(x)`: a new dict of the attributes.
    func dict() throws -> DictObject { try DictObject(pairs: pairs.map { (.str($0.name), $0.value) }) }
}
