import DuetProto

// Field numbers are onnx.proto's (ModelProto, GraphProto, NodeProto, AttributeProto, TensorProto,
// ValueInfoProto, TypeProto, TensorShapeProto, OperatorSetIdProto).

extension OnnxModel {
    func encoded() -> [UInt8] {
        var w = ProtoWriter()
        w.int(1, irVersion)
        w.string(2, producerName)
        if !producerVersion.isEmpty { w.string(3, producerVersion) }
        w.message(7) { graph.encode(&$0) }
        for (domain, version) in opsets.sorted(by: { $0.key < $1.key }) {
            w.message(8) { o in
                if !domain.isEmpty { o.string(1, domain) }
                o.int(2, version)
            }
        }
        return w.bytes
    }

    init(decoding bytes: [UInt8]) throws {
        self.init()
        opsets = [:]
        var r = ProtoReader(bytes)
        var sawGraph = false
        while let f = try r.next() {
            switch f.number {
            case 1: irVersion = try f.int()
            case 2: producerName = try f.string()
            case 3: producerVersion = try f.string()
            case 7: graph = try OnnxGraph(try f.message()); sawGraph = true
            case 8:
                var o = try f.message()
                var domain = "", version = 1
                while let g = try o.next() {
                    if g.number == 1 { domain = try g.string() } else if g.number == 2 { version = try g.int() }
                }
                opsets[domain] = version
            default: break
            }
        }
        guard sawGraph else { throw ProtoError(offset: 0, message: "the model has no graph (is this an ONNX file?)") }
        if opsets.isEmpty { opsets[""] = 1 }
    }
}

extension OnnxGraph {
    func encode(_ w: inout ProtoWriter) {
        for node in nodes { w.message(1) { node.encode(&$0) } }
        w.string(2, name)
        for t in initializers { w.message(5) { t.encode(&$0) } }
        for v in inputs { w.message(11) { v.encode(&$0) } }
        for v in outputs { w.message(12) { v.encode(&$0) } }
    }

    init(_ reader: ProtoReader) throws {
        self.init()
        var r = reader
        while let f = try r.next() {
            switch f.number {
            case 1: nodes.append(try OnnxNode(try f.message()))
            case 2: name = try f.string()
            case 5: initializers.append(try OnnxTensor(try f.message()))
            case 11: inputs.append(try OnnxValueInfo(try f.message()))
            case 12: outputs.append(try OnnxValueInfo(try f.message()))
            default: break
            }
        }
    }
}

extension OnnxNode {
    func encode(_ w: inout ProtoWriter) {
        for i in inputs { w.string(1, i) }
        for o in outputs { w.string(2, o) }
        if !name.isEmpty { w.string(3, name) }
        w.string(4, opType)
        for a in attributes { w.message(5) { a.encode(&$0) } }
        if !domain.isEmpty { w.string(7, domain) }
    }

    init(_ reader: ProtoReader) throws {
        self.init(opType: "", inputs: [], outputs: [])
        var r = reader
        while let f = try r.next() {
            switch f.number {
            case 1: inputs.append(try f.string())
            case 2: outputs.append(try f.string())
            case 3: name = try f.string()
            case 4: opType = try f.string()
            case 5: attributes.append(try OnnxAttribute(try f.message()))
            case 7: domain = try f.string()
            default: break
            }
        }
    }
}

extension OnnxAttribute {
    /// AttributeProto.AttributeType codes.
    private var typeCode: Int {
        switch value {
        case .float: 1
        case .int: 2
        case .string: 3
        case .tensor: 4
        case .graph: 5
        case .floats: 6
        case .ints: 7
        case .strings: 8
        }
    }

    func encode(_ w: inout ProtoWriter) {
        w.string(1, name)
        switch value {
        case .float(let v): w.float(2, v)
        case .int(let v): w.int(3, v)
        case .string(let v): w.string(4, v)
        case .tensor(let t): w.message(5) { t.encode(&$0) }
        case .floats(let v): for x in v { w.float(7, x) }
        case .ints(let v): for x in v { w.int(8, x) }
        case .strings(let v): for x in v { w.string(9, x) }
        case .graph: break
        }
        w.int(20, typeCode)
    }

    init(_ reader: ProtoReader) throws {
        var r = reader
        var name = "", type = 0
        var f32: Float?, i64: Int?, str: String?, tensor: OnnxTensor?
        var floats: [Float] = [], ints: [Int] = [], strings: [String] = []
        var hasGraph = false
        while let f = try r.next() {
            switch f.number {
            case 1: name = try f.string()
            case 2: f32 = try f.float()
            case 3: i64 = try f.int()
            case 4: str = try f.string()
            case 5: tensor = try OnnxTensor(try f.message())
            case 6, 11: hasGraph = true
            case 7: floats += try f.floats()
            case 8: ints += try f.ints()
            case 9: strings.append(try f.string())
            case 20: type = try f.int()
            default: break
            }
        }
        // Files before IR version 2 have no type field: the one value present decides.
        let value: Value? = switch type {
        case 1: f32.map(Value.float)
        case 2: i64.map(Value.int)
        case 3: str.map(Value.string)
        case 4: tensor.map(Value.tensor)
        case 5, 10: .graph
        case 6: .floats(floats)
        case 7: .ints(ints)
        case 8: .strings(strings)
        case 0:
            f32.map(Value.float) ?? i64.map(Value.int) ?? str.map(Value.string) ?? tensor.map(Value.tensor)
                ?? (hasGraph ? .graph : !floats.isEmpty ? .floats(floats) : !strings.isEmpty ? .strings(strings) : .ints(ints))
        default: nil
        }
        guard let value else { throw ProtoError(offset: 0, message: "attribute '\(name)' of type \(type) has no value Duet can read") }
        self.init(name: name, value: value)
    }
}

extension OnnxTensor {
    func encode(_ w: inout ProtoWriter) {
        w.packedInts(1, dims)
        w.int(2, dataType)
        if !name.isEmpty { w.string(8, name) }
        w.bytes(9, raw)
    }

    init(_ reader: ProtoReader) throws {
        self.init()
        var r = reader
        var typed: [ProtoField] = []
        var external = false
        while let f = try r.next() {
            switch f.number {
            case 1: dims += try f.ints()
            case 2: dataType = try f.int()
            case 8: name = try f.string()
            case 9: raw = Array(try f.bytes())
            case 4, 5, 7, 10, 11: typed.append(f)
            case 14: external = try f.int() == 1
            default: break
            }
        }
        guard !external else {
            throw ProtoError(offset: 0, message: "tensor '\(name)' keeps its data in an external file, which Duet does not read (save the model with its weights inside)")
        }
        if raw.isEmpty && !typed.isEmpty { raw = try OnnxTensor.rawBytes(typed, dataType: dataType, name: name) }
    }

    /// The little-endian element bytes of values stored in TensorProto's typed fields: small
    /// integers, bools and 16-bit floats sit in int32_data, one element per entry.
    private static func rawBytes(_ fields: [ProtoField], dataType: Int, name: String) throws -> [UInt8] {
        var out: [UInt8] = []
        func append<T: FixedWidthInteger>(_ v: T) { withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) } }
        for f in fields {
            switch (f.number, dataType) {
            case (4, 1): for v in try f.floats() { append(v.bitPattern) }
            case (10, 11): for v in try f.doubles() { append(v.bitPattern) }
            case (7, 7): for v in try f.ints() { append(Int64(v)) }
            case (11, 12): for v in try f.ints() { append(UInt32(truncatingIfNeeded: v)) }
            case (5, 6): for v in try f.ints() { append(Int32(truncatingIfNeeded: v)) }
            case (5, 2), (5, 3), (5, 9): for v in try f.ints() { append(UInt8(truncatingIfNeeded: v)) }
            case (5, 4), (5, 5), (5, 10), (5, 16): for v in try f.ints() { append(UInt16(truncatingIfNeeded: v)) }
            default:
                throw ProtoError(offset: f.offset, message: "tensor '\(name)': field \(f.number) does not hold data type \(dataType)")
            }
        }
        return out
    }
}

extension OnnxValueInfo {
    func encode(_ w: inout ProtoWriter) {
        w.string(1, name)
        w.message(2) { type in
            type.message(1) { tensor in
                tensor.int(1, elemType)
                guard let dims else { return }
                tensor.message(2) { shape in
                    for d in dims {
                        shape.message(1) { dim in
                            switch d {
                            case .value(let v): dim.int(1, v)
                            case .param(let p): dim.string(2, p)
                            case .unknown: break
                            }
                        }
                    }
                }
            }
        }
    }

    init(_ reader: ProtoReader) throws {
        self.init(name: "")
        var r = reader
        while let f = try r.next() {
            if f.number == 1 { name = try f.string(); continue }
            guard f.number == 2 else { continue }
            var type = try f.message()
            while let t = try type.next() {
                guard t.number == 1 else { continue }
                var tensor = try t.message()
                while let g = try tensor.next() {
                    if g.number == 1 { elemType = try g.int(); continue }
                    guard g.number == 2 else { continue }
                    var shape = try g.message()
                    var found: [Dim] = []
                    while let d = try shape.next() {
                        guard d.number == 1 else { continue }
                        var dim = try d.message()
                        var value = Dim.unknown
                        while let e = try dim.next() {
                            if e.number == 1 { value = .value(try e.int()) } else if e.number == 2 { value = .param(try e.string()) }
                        }
                        found.append(value)
                    }
                    dims = found
                }
            }
        }
    }
}
