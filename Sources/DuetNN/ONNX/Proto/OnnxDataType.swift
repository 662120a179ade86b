import DuetTensor

/// ONNX's element type codes (TensorProto.DataType) and how they meet Duet's dtypes: files may
/// hold integer widths Duet lacks, which are widened to int64 on load as `.npy` files are.
enum OnnxDataType {
    static func code(_ dtype: DType) -> Int {
        switch dtype {
        case .float32: 1
        case .int64: 7
        case .bool: 9
        case .float16: 10
        case .float64: 11
        case .bfloat16: 16
        }
    }

    static func elementType(_ code: Int) -> ElementType? {
        switch code {
        case 1: .float32
        case 2: .uint8
        case 3: .int8
        case 4: .uint16
        case 5: .int16
        case 6: .int32
        case 7: .int64
        case 9: .bool
        case 10: .float16
        case 11: .float64
        case 12: .uint32
        case 16: .bfloat16
        default: nil
        }
    }

    static func dtype(_ code: Int) -> DType? { elementType(code)?.dtype }

    /// onnx.proto's names, for messages ("type 8 (STRING) is not supported").
    static func name(_ code: Int) -> String {
        let names = ["UNDEFINED", "FLOAT", "UINT8", "INT8", "UINT16", "INT16", "INT32", "INT64", "STRING", "BOOL", "FLOAT16",
                     "DOUBLE", "UINT32", "UINT64", "COMPLEX64", "COMPLEX128", "BFLOAT16"]
        return code >= 0 && code < names.count ? "\(code) (\(names[code]))" : "\(code)"
    }
}

extension OnnxTensor {
    init(name: String, _ tensor: Tensor) throws {
        self.init(name: name, dims: tensor.shape, dataType: OnnxDataType.code(tensor.dtype), raw: try tensor.contiguousBytes())
    }

    /// The engine tensor these bytes hold; a size that disagrees with the dims is an error.
    func tensor() throws -> Tensor {
        guard let type = OnnxDataType.elementType(dataType) else {
            throw TensorError.dtype("tensor '\(name)' has element type \(OnnxDataType.name(dataType)), which Duet does not support")
        }
        guard dims.allSatisfy({ $0 >= 0 }) else { throw TensorError.shape("tensor '\(name)' has a negative dim in \(dims)") }
        let count = try TensorMeta.checkedCount(dims, op: "onnx tensor '\(name)'")
        let (bytes, overflow) = count.multipliedReportingOverflow(by: type.size)
        guard !overflow, bytes == raw.count else {
            throw TensorError.shape("tensor '\(name)': dims \(dims) need \(overflow ? "too many" : String(bytes)) bytes, the file holds \(raw.count)")
        }
        return try raw.withUnsafeBytes { try type.tensor($0, shape: dims, bigEndian: false) }
    }
}
