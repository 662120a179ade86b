import DuetTensor

extension JSON {
    /// A tensor as nested JSON lists (what `duet predict` prints and `duet serve` answers):
    /// float32 and 16-bit values in their shortest round-trip form, non-finite ones as null.
    public static func nestedList(_ t: Tensor) throws -> String {
        let values = try t.toDoubles()
        var out = ""
        func write(_ offset: Int, _ dims: ArraySlice<Int>) {
            guard let n = dims.first else {
                let v = values[offset]
                switch t.dtype {
                case .bool: out += v != 0 ? "true" : "false"
                case .int64: out += String(Int64(v))
                case .float64: out += v.isFinite ? "\(v)" : "null"
                default: out += v.isFinite ? "\(Float(v))" : "null"
                }
                return
            }
            let step = dims.dropFirst().reduce(1, *)
            out += "["
            for i in 0..<n {
                if i > 0 { out += ", " }
                write(offset + i * step, dims.dropFirst())
            }
            out += "]"
        }
        write(0, t.shape[...])
        return out
    }
}
