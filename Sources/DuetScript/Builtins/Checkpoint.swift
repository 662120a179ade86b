import DuetTensor
import DuetNN

/// `save(obj, path)` and `load(path)`: a tensor or a (nested) dict or list of tensors, numbers
/// and strings — a `state_dict()`, or a checkpoint dict with model, optimizer and epoch — in a
/// safetensors file. Tensors are stored by their path ("model/0.weight"); the structure and
/// the other values go into the file's metadata, in order. Dict keys are strings, or ints (an
/// optimizer's `state`), marked as such after the entry's path.
enum Checkpoint {
    static func register(_ r: Builtins.Registrar) {
        r.function("save(obj, f)", "Writes a tensor, or a dict/list of tensors, numbers and strings, to a safetensors file.", [.flat, .torch]) { b, interp in
            var tensors: [(String, Tensor)] = []
            var entries: [String] = []
            var metadata: [String: String] = [:]
            try encode(try b.value("obj"), path: "", &tensors, &entries, &metadata, interp, depth: 0)
            metadata["duet.entries"] = entries.joined(separator: "\n")
            try SafeTensors.save(tensors, metadata: metadata, to: try b.string("f"))
            return .none
        }
        r.function("load(f, map_location=None, weights_only=None)",
                   "Reads what save() wrote (map_location may only name the CPU; the file holds no code, so weights_only changes nothing).", [.flat, .torch]) { b, _ in
            if let device = try b.optionalString("map_location") { try TensorCreation.checkDevice(device, "load()") }
            let (tensors, metadata) = try SafeTensors.load(try b.string("f"))
            guard let entries = metadata["duet.entries"] else {
                // A safetensors file from elsewhere: its tensors by name.
                return .dict(try DictObject(pairs: tensors.keys.sorted().compactMap { k in tensors[k].map { (.str(k), .tensor($0)) } }))
            }
            return try decode(entries.split(separator: "\n", omittingEmptySubsequences: false).map(String.init), tensors, metadata)
        }
    }

    private static func encode(_ v: Value, path: String, intKey: Bool = false, _ tensors: inout [(String, Tensor)], _ entries: inout [String],
                               _ metadata: inout [String: String], _ interp: Interpreter, depth: Int) throws {
        guard depth < 32 else { throw ScriptError(.value, "save(): the object is nested too deeply") }
        let suffix = intKey ? "\tint" : ""
        func scalar(_ kind: String, _ text: String) {
            entries.append("\(kind)\t\(path)\(suffix)")
            metadata["duet.value:" + path] = text
        }
        switch v {
        case .tensor(let t):
            entries.append("tensor\t\(path)\(suffix)")
            tensors.append((path.isEmpty ? "tensor" : path, t.detach()))
        case .int(let i): scalar("int", String(i))
        case .float(let d): scalar("float", PyFloat.repr(d))
        case .bool(let b): scalar("bool", b ? "1" : "0")
        case .str(let s): scalar("str", s)
        case .none: entries.append("none\t\(path)\(suffix)")
        case .dict(let d):
            entries.append("dict\t\(path)\(suffix)")
            for (k, value) in zip(d.keys, d.values) {
                let key: String
                switch k {
                case .str(let s) where !s.contains("/") && !s.contains("\t") && !s.contains("\n"): key = s
                case .int(let i): key = String(i)
                default: throw ScriptError(.value, "save(): dict keys must be ints or strings without '/', tabs or newlines (got \(Repr.repr(k)))")
                }
                let isInt = if case .int = k { true } else { false }
                try encode(value, path: path.isEmpty ? key : path + "/" + key, intKey: isInt, &tensors, &entries, &metadata, interp, depth: depth + 1)
            }
        case .list, .tuple:
            entries.append("list\t\(path)\(suffix)")
            for (i, item) in try Iteration.collect(v, interp).enumerated() {
                try encode(item, path: path.isEmpty ? String(i) : path + "/" + String(i), &tensors, &entries, &metadata, interp, depth: depth + 1)
            }
        default:
            throw ScriptError(.type, "save(): cannot save a \(v.typeName) (save a state_dict() instead)")
        }
    }

    /// Rebuilds the value from its entries, each `kind<TAB>path` (then `<TAB>int` when the last
    /// key is an int), parents before children.
    private static func decode(_ entries: [String], _ tensors: [String: Tensor], _ metadata: [String: String]) throws -> Value {
        var containers: [String: Value] = [:]
        var root: Value = .none
        func bad() -> ScriptError { ScriptError(.value, "load(): the file's structure is damaged") }
        for entry in entries where !entry.isEmpty {
            let parts = entry.split(separator: "\t", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 2 || (parts.count == 3 && parts[2] == "int") else { throw bad() }
            let (kind, path) = (parts[0], parts[1])
            let text = metadata["duet.value:" + path]
            let value: Value
            switch kind {
            case "tensor":
                guard let t = tensors[path.isEmpty ? "tensor" : path] else { throw bad() }
                value = .tensor(t)
            case "int": value = .int(Int(text ?? "") ?? 0)
            case "float": value = .float(Double(text ?? "") ?? 0)
            case "bool": value = .bool(text == "1")
            case "str": value = .str(text ?? "")
            case "none": value = .none
            case "dict": value = .dict(DictObject())
            case "list": value = .list(ListObject([]))
            default: throw bad()
            }
            if kind == "dict" || kind == "list" { containers[path] = value }
            guard !path.isEmpty else {
                root = value
                continue
            }
            let parentPath = path.split(separator: "/").dropLast().joined(separator: "/")
            let key = String(path.split(separator: "/").last ?? "")
            switch containers[parentPath] {
            case .dict(let d)?:
                if parts.count == 3 {
                    guard let i = Int(key) else { throw bad() }
                    try d.set(.int(i), value)
                } else {
                    try d.set(.str(key), value)
                }
            case .list(let l)?: l.items.append(value)
            default: throw bad()
            }
        }
        return root
    }
}
