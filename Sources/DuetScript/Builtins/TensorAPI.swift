import DuetTensor

/// One hand-written piece of the tensor API, declared once: PyTorch's signature with the tensor
/// first (`input` when `torch.name` exists too, `self` for a method only), its doc, and where it
/// is published. The function form binds the whole signature; the method form binds it without
/// the receiver, so `torch.var(x, 0)` and `x.var(0)` share one declaration and one body.
struct TensorAPI: Sendable {
    let signature: Signature
    let doc: String
    let places: Builtins.Places
    let body: @Sendable (Tensor, BoundArguments, Interpreter) throws -> Value

    init(_ signature: Signature, _ doc: String, _ places: Builtins.Places,
         _ body: @escaping @Sendable (Tensor, BoundArguments, Interpreter) throws -> Value) {
        self.signature = signature
        self.doc = doc
        self.places = places
        self.body = body
    }

    var name: String { signature.name }

    /// Every hand-written entry: the method table and the function namespaces both read this.
    static var all: [TensorAPI] {
        TensorMethods.entries + TensorFunctions.entries + MathFunctions.entries + FunctionalAPI.entries
            + TensorJoinAPI.entries + TensorIndexingAPI.entries + TensorSortingAPI.entries + TensorHelpersAPI.entries
    }

    var method: Method {
        let body = body
        return Method(signature.droppingFirst, doc) { v, b, interp in
            guard case .tensor(let t) = v else { return .none }
            return try body(t, b, interp)
        }
    }

    func register(_ r: Builtins.Registrar) {
        let places = places.subtracting(.method)
        guard !places.isEmpty else { return }
        let receiver = signature.overloads.first?.parameters.first?.name ?? "input"
        let body = body
        r.function(signature, doc, places) { b, interp in try body(try b.tensor(receiver), b, interp) }
    }
}
