import DuetNN
import DuetTensor

/// TF Serving's REST predict bodies (https://www.tensorflow.org/tfx/serving/api_rest): the row
/// form `{"instances": [...]}` answered by `{"predictions": [...]}`, and the column form
/// `{"inputs": ...}` answered by `{"outputs": ...}`; with several inputs or outputs each
/// instance, input and output is an object keyed by name.
enum PredictCodec {
    enum Form { case rows, columns }

    struct Request {
        let form: Form
        /// One tensor per model input, batch first, in the model's input order.
        let inputs: [Tensor]
        let rows: Int
    }

    static func decode(_ body: [UInt8], ports: [OnnxPort]) throws -> Request {
        let json: JSON
        do { json = try JSON.parse(body[...]) } catch {
            throw ServeError.bad("the body is not valid JSON: \(error.message) at byte \(error.offset)")
        }
        guard case .object(let members) = json else { throw ServeError.bad("the body must be a JSON object with \"instances\" or \"inputs\"") }
        let instances = members.first { $0.key == "instances" }?.value
        let columns = members.first { $0.key == "inputs" }?.value
        switch (instances, columns) {
        case (.some, .some): throw ServeError.bad("give \"instances\" or \"inputs\", not both")
        case (nil, nil): throw ServeError.bad("missing \"instances\" (row form) or \"inputs\" (column form)")
        case (.some(let rows), nil): return try decodeRows(rows, ports)
        case (nil, .some(let value)): return try decodeColumns(value, ports)
        }
    }

    private static func decodeRows(_ value: JSON, _ ports: [OnnxPort]) throws -> Request {
        guard case .array(let items) = value, !items.isEmpty else { throw ServeError.bad("\"instances\" must be a non-empty list") }
        var perInput: [[JSON]] = Array(repeating: [], count: ports.count)
        for (i, item) in items.enumerated() {
            let named = try fields(item, ports, what: "instance \(i)")
            for k in ports.indices { perInput[k].append(named[k]) }
        }
        let tensors = try ports.indices.map { k in try tensor(.array(perInput[k]), ports[k]) }
        return Request(form: .rows, inputs: tensors, rows: items.count)
    }

    private static func decodeColumns(_ value: JSON, _ ports: [OnnxPort]) throws -> Request {
        let named = try fields(value, ports, what: "\"inputs\"")
        let tensors = try ports.indices.map { try tensor(named[$0], ports[$0]) }
        let rows = tensors.first?.shape.first ?? 1
        guard tensors.allSatisfy({ $0.shape.first == rows }) else {
            throw ServeError.bad("the inputs differ in their first (batch) dim: \(tensors.map { $0.shape.first ?? 0 })")
        }
        return Request(form: .columns, inputs: tensors, rows: rows)
    }

    /// The value for each input: the value itself for a one-input model (unless it is an object
    /// naming that input), else an object with every input's name.
    private static func fields(_ value: JSON, _ ports: [OnnxPort], what: String) throws -> [JSON] {
        if case .object(let members) = value {
            let names = Set(members.map(\.key))
            if ports.count > 1 || names == [ports[0].name] {
                return try ports.map { port in
                    guard let v = members.first(where: { $0.key == port.name })?.value else {
                        throw ServeError.bad("\(what) lacks input \"\(port.name)\" (the model takes \(ports.map(\.name).joined(separator: ", ")))")
                    }
                    return v
                }
            }
            throw ServeError.bad("\(what) names \(names.sorted().joined(separator: ", ")); the model's input is \"\(ports[0].name)\"")
        }
        guard ports.count == 1 else {
            throw ServeError.bad("the model takes \(ports.count) inputs (\(ports.map(\.name).joined(separator: ", "))): \(what) must be an object naming each")
        }
        return [value]
    }

    /// A rectangular nested list of numbers (or bools) as a tensor of the input's dtype, held to its shape.
    private static func tensor(_ value: JSON, _ port: OnnxPort) throws -> Tensor {
        var shape: [Int] = []
        var probe = value
        while case .array(let items) = probe {
            shape.append(items.count)
            guard let first = items.first else { break }
            probe = first
        }
        var values: [Double] = []
        try flatten(value, shape[...], into: &values, port: port)
        guard port.accepts(shape) else { throw ServeError.bad("input \(port) does not take shape \(shape)") }
        do { return try Tensor(values, shape: shape, dtype: port.dtype) } catch { throw ServeError.bad("input \(port.name): \(error)") }
    }

    private static func flatten(_ value: JSON, _ shape: ArraySlice<Int>, into values: inout [Double], port: OnnxPort) throws {
        guard let n = shape.first else {
            switch value {
            case .number(let text):
                guard let v = Double(text) else { throw ServeError.bad("input \(port.name): \(text) is not a number") }
                if port.dtype == .int64, v.rounded() != v { throw ServeError.bad("input \(port.name) is int64, got \(text)") }
                if port.dtype == .bool { throw ServeError.bad("input \(port.name) is bool, got \(text)") }
                values.append(v)
            case .bool(let b):
                guard port.dtype == .bool else { throw ServeError.bad("input \(port.name) is \(port.dtype), got \(b)") }
                values.append(b ? 1 : 0)
            case .object(let members) where members.contains(where: { $0.key == "b64" }):
                throw ServeError.bad("input \(port.name): base64 ({\"b64\": ...}) values are not supported")
            default:
                throw ServeError.bad("input \(port.name): expected a number at the innermost level, got \(kind(value))")
            }
            return
        }
        guard case .array(let items) = value, items.count == n else {
            throw ServeError.bad("input \(port.name) is not a rectangular list (a list of \(n) was expected, got \(kind(value)))")
        }
        for item in items { try flatten(item, shape.dropFirst(), into: &values, port: port) }
    }

    private static func kind(_ v: JSON) -> String {
        switch v {
        case .array(let a): "a list of \(a.count)"
        case .object: "an object"
        case .string: "a string"
        case .number: "a number"
        case .bool: "a bool"
        case .null: "null"
        }
    }

    /// The response body for `outputs` (each batch first) in the request's form.
    static func encode(_ outputs: [Tensor], names: [String], form: Form) throws -> String {
        switch form {
        case .columns:
            if outputs.count == 1 { return "{\"outputs\": \(try nested(outputs[0]))}" }
            return "{\"outputs\": {" + (try zip(names, outputs).map { "\"\($0)\": \(try nested($1))" }).joined(separator: ", ") + "}}"
        case .rows:
            let rows = outputs.first?.shape.first ?? 0
            let items = try (0..<rows).map { r -> String in
                let parts = try outputs.map { try nested($0.select(dim: 0, index: r)) }
                if outputs.count == 1 { return parts[0] }
                return "{" + zip(names, parts).map { "\"\($0)\": \($1)" }.joined(separator: ", ") + "}"
            }
            return "{\"predictions\": [" + items.joined(separator: ", ") + "]}"
        }
    }

    private static func nested(_ t: Tensor) throws -> String { try JSON.nestedList(t) }
}
