import Foundation
import DuetTensor

/// `help(x)`, `?x` and `dir(x)`: signatures and one-line docs come from the op registry (and
/// from each builtin's declaration), never from a second hand-kept list.
enum Help {
    static func text(for v: Value, _ interp: Interpreter? = nil) -> String {
        switch v {
        case .str(let name):
            if let interp, let b = interp.builtins[name] { return text(for: b, interp) }
            if let m = TensorMethods.table[name] { return "Tensor.\(m.signature.text)\n    \(m.doc)" }
            return "No Duet function named '\(name)'. Try dir() for the names defined, or dir(torch)."
        case .tensor(let t):
            return "Tensor of shape \(t.shape), dtype \(t.dtype)\(t.requiresGrad ? ", requires grad" : ""). dir(x) lists its methods; help(x.method) explains one."
        case .object(let o):
            return o.help ?? "\(o.typeName): \(o.repr)"
        default:
            return "\(v.typeName): \(Repr.repr(v))"
        }
    }

    static func names(of v: Value) -> [String] {
        switch v {
        case .tensor: return Array(Set(TensorMethods.table.keys).union(TensorAttributes.table.keys)).sorted()
        case .list: return ContainerMethods.list.keys.sorted()
        case .dict: return ContainerMethods.dict.keys.sorted()
        case .tuple: return ContainerMethods.tuple.keys.sorted()
        case .str: return StringMethods.table.keys.sorted()
        case .object(let o): return o.attributeNames
        default: return []
        }
    }

    static func register(_ r: Builtins.Registrar) {
        r.function(Signature("help()", "help(request, /)"), "Shows the signature and documentation of a function, method, class or value.", .flat) { b, interp in
            let text = b.given("request").map { Help.text(for: $0, interp) }
                ?? "Duet: Python syntax with PyTorch's names. help(x) or ?x explains x; dir(torch), dir(nn), dir(F), dir(optim) list what exists."
            interp.write(text + "\n")
            return .none
        }
        r.function(Signature("dir()", "dir(object, /)"), "The attribute names of object, or the names defined so far.", .flat) { b, interp in
            guard let v = b.given("object") else {
                return .list(ListObject(interp.globals.names.filter { interp.globals.lookup($0) != nil }.sorted().map(Value.str)))
            }
            return .list(ListObject(names(of: v).map(Value.str)))
        }
        r.function("tape(reset=False)", "The operations the autograd tape recorded since the last reset; tape(reset=True) clears it.", .flat) { b, _ in
            let log = EngineContext.current.tape
            if try b.bool("reset") {
                log.reset()
                return .none
            }
            return .object(TapeObject(log.records, dropped: log.dropped))
        }
    }
}

/// The recorded tape, printed as a table (op, input shapes, which need grad, saved bytes).
final class TapeObject: ScriptObject {
    let records: [TapeRecord]
    let dropped: Int
    init(_ records: [TapeRecord], dropped: Int) {
        self.records = records
        self.dropped = dropped
    }
    override var typeName: String { "Tape" }
    override var length: Int? { records.count }
    override var repr: String {
        guard !records.isEmpty else { return "(the tape is empty)" }
        func shapes(_ s: [[Int]], _ grads: [Bool]? = nil) -> String {
            s.enumerated().map { i, shape in
                "[" + shape.map(String.init).joined(separator: ",") + "]" + ((grads?[i] ?? false) ? "*" : "")
            }.joined(separator: " ")
        }
        let rows = records.map { ["\($0.index)", $0.op, shapes($0.inputShapes, $0.inputNeedsGrad), shapes($0.outputShapes), "\($0.savedBytes)"] }
        let header = ["#", "op", "inputs (* needs grad)", "outputs", "saved bytes"]
        let widths = (0..<header.count).map { c in ([header] + rows).map { $0[c].count }.max() ?? 0 }
        let lines = ([header] + rows).map { row in
            row.enumerated().map { c, cell in c == 0 || c == 4 ? String(repeating: " ", count: widths[c] - cell.count) + cell : cell.padding(toLength: widths[c], withPad: " ", startingAt: 0) }
                .joined(separator: "  ").replacingTrailingSpaces()
        }
        return lines.joined(separator: "\n") + (dropped > 0 ? "\n(\(dropped) more not kept)" : "")
    }
}

extension String {
    func replacingTrailingSpaces() -> String {
        var s = self
        while s.last == " " { s.removeLast() }
        return s
    }
}
