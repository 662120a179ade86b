/// ONNX's protobuf messages (onnx.proto, IR version 8): the fields Duet writes and reads, with
/// the field numbers of the schema in their coders (OnnxCoding.swift). Fields Duet does not use
/// (doc strings, metadata, training info) are skipped on read and never written.
struct OnnxModel {
    var irVersion = 8
    var producerName = "duet"
    var producerVersion = ""
    /// Operator-set versions by domain ("" is the default ONNX domain).
    var opsets: [String: Int] = ["": 17]
    var graph = OnnxGraph()

    /// The default domain's opset: what each op's semantics are read by.
    var opset: Int { opsets[""] ?? opsets["ai.onnx"] ?? 1 }
}

struct OnnxGraph {
    var name = ""
    var nodes: [OnnxNode] = []
    var initializers: [OnnxTensor] = []
    var inputs: [OnnxValueInfo] = []
    var outputs: [OnnxValueInfo] = []
}

struct OnnxNode {
    var opType: String
    var inputs: [String]
    var outputs: [String]
    var name = ""
    var domain = ""
    var attributes: [OnnxAttribute] = []
}

struct OnnxAttribute {
    enum Value {
        case float(Float)
        case int(Int)
        case string(String)
        case tensor(OnnxTensor)
        case floats([Float])
        case ints([Int])
        case strings([String])
        /// A subgraph (If, Loop, Scan): read so the op can be named in an error, never run.
        case graph
    }
    var name: String
    var value: Value
}

/// A tensor as ONNX stores it: dims, an element type code, and little-endian element bytes
/// (files may carry typed fields instead of raw bytes; the reader turns those into bytes).
struct OnnxTensor {
    var name = ""
    var dims: [Int] = []
    var dataType = 0
    var raw: [UInt8] = []
}

/// A graph input or output: its element type and shape, each dim a number or a name (`batch`).
struct OnnxValueInfo {
    enum Dim: Equatable {
        case value(Int)
        case param(String)
        case unknown
    }
    var name: String
    var elemType = 0
    var dims: [Dim]? = nil
}
