import Foundation
import DuetTensor

/// Python's format-spec mini-language (`f"{x:>8.3f}"`, `format(x, ",")`) for numbers and strings.
struct FormatSpec {
    var fill: Character = " "
    var align: Character?
    var sign: Character = "-"
    var alternate = false
    var zeroPad = false
    var width = 0
    var grouping: Character?
    var precision: Int?
    var type: Character?

    init(_ spec: String) throws {
        let chars = Array(spec)
        var i = 0
        func bad() -> ScriptError { ScriptError(.value, "invalid format specifier '\(spec)'") }
        if chars.count >= 2, "<>=^".contains(chars[1]) {
            fill = chars[0]
            align = chars[1]
            i = 2
        } else if let c = chars.first, "<>=^".contains(c) {
            align = c
            i = 1
        }
        if i < chars.count, "+- ".contains(chars[i]) {
            sign = chars[i]
            i += 1
        }
        if i < chars.count, chars[i] == "#" {
            alternate = true
            i += 1
        }
        if i < chars.count, chars[i] == "0" {
            zeroPad = true
            i += 1
        }
        var widthText = ""
        while i < chars.count, chars[i].isASCII, chars[i].isNumber {
            widthText.append(chars[i])
            i += 1
        }
        if !widthText.isEmpty {
            guard let w = Int(widthText), w <= 10_000 else { throw bad() }
            width = w
        }
        if i < chars.count, chars[i] == "," || chars[i] == "_" {
            grouping = chars[i]
            i += 1
        }
        if i < chars.count, chars[i] == "." {
            i += 1
            var p = ""
            while i < chars.count, chars[i].isASCII, chars[i].isNumber {
                p.append(chars[i])
                i += 1
            }
            guard let v = Int(p), v <= 1000 else { throw bad() }
            precision = v
        }
        if i < chars.count {
            type = chars[i]
            i += 1
        }
        guard i == chars.count else { throw bad() }
        if zeroPad && align == nil {
            fill = "0"
            align = "="
        }
    }

    /// Formats a value; 1-element tensors format as their number, as PyTorch allows.
    static func format(_ v: Value, _ spec: String) throws -> String {
        if spec.isEmpty { return Repr.str(v) }
        let f = try FormatSpec(spec)
        switch v {
        case .int(let i): return try f.formatInt(i)
        case .bool(let b): return f.type == nil ? f.pad(b ? "True" : "False", numeric: false) : try f.formatInt(b ? 1 : 0)
        case .float(let d): return try f.formatDouble(d)
        case .str(let s): return try f.formatString(s)
        case .tensor(let t) where t.count == 1:
            let x = try t.item()
            return t.dtype.isFloatingPoint || f.type.map({ "eEfFgG%".contains($0) }) == true ? try f.formatDouble(x) : try f.formatInt(Convert.integral(x))
        default:
            if case .none = f.type, f.precision == nil { return f.pad(Repr.str(v), numeric: false) }
            throw ScriptError(.type, "unsupported format string passed to \(v.typeName).__format__")
        }
    }

    func formatString(_ s: String) throws -> String {
        guard type == nil || type == "s" else { throw ScriptError(.value, "Unknown format code '\(type.map(String.init) ?? "")' for object of type 'str'") }
        let text = precision.map { String(s.prefix($0)) } ?? s
        return pad(text, numeric: false)
    }

    func formatInt(_ i: Int) throws -> String {
        switch type {
        case nil, "d", "n":
            return pad(signed(group(String(i.magnitude)), negative: i < 0), numeric: true)
        case "x", "X", "o", "b":
            let radix = type == "o" ? 8 : type == "b" ? 2 : 16
            var body = String(i.magnitude, radix: radix, uppercase: type == "X")
            if alternate { body = "0" + String(type ?? "x") + body }
            return pad(signed(body, negative: i < 0), numeric: true)
        case "c":
            guard i >= 0, let u = Unicode.Scalar(UInt32(clamping: i)) else { throw ScriptError(.overflow, "%c arg not in range") }
            return pad(String(Character(u)), numeric: false)
        default:
            return try formatDouble(Double(i))
        }
    }

    func formatDouble(_ d: Double) throws -> String {
        let negative = d < 0 || (d == 0 && d.sign == .minus)
        let m = Swift.abs(d)
        var body: String
        if !m.isFinite {
            body = m.isNaN ? "nan" : "inf"
            if type.map({ $0.isUppercase }) == true { body = body.uppercased() }
            return pad(signed(body, negative: negative && !m.isNaN), numeric: true)
        }
        switch type {
        case "f", "F": body = group(String(format: "%.\(precision ?? 6)f", m))
        case "e", "E": body = String(format: "%.\(precision ?? 6)\(type == "E" ? "E" : "e")", m)
        case "g", "G": body = general(m, precision ?? 6, upper: type == "G")
        case "%": body = group(String(format: "%.\(precision ?? 6)f", m * 100)) + "%"
        case nil:
            if let p = precision {
                body = general(m, p, upper: false)
                if !body.contains(".") && !body.contains("e") { body += ".0" }
            } else {
                body = group(PyFloat.repr(m))
            }
        default:
            throw ScriptError(.value, "Unknown format code '\(type.map(String.init) ?? "")' for object of type 'float'")
        }
        return pad(signed(body, negative: negative), numeric: true)
    }

    /// `%g`: significant digits, trailing zeros removed unless `#`.
    private func general(_ m: Double, _ p: Int, upper: Bool) -> String {
        String(format: "%\(alternate ? "#" : "").\(Swift.max(p, 1))\(upper ? "G" : "g")", m)
    }

    private func signed(_ body: String, negative: Bool) -> String {
        if negative { return "-" + body }
        switch sign {
        case "+": return "+" + body
        case " ": return " " + body
        default: return body
        }
    }

    /// Thousands separators in the integer part.
    private func group(_ s: String) -> String {
        guard let g = grouping else { return s }
        let intEnd = s.firstIndex(where: { !$0.isNumber }) ?? s.endIndex
        let intPart = Array(s[..<intEnd])
        var out = ""
        for (k, c) in intPart.enumerated() {
            if k > 0 && (intPart.count - k) % 3 == 0 { out.append(g) }
            out.append(c)
        }
        return out + s[intEnd...]
    }

    func pad(_ s: String, numeric: Bool) -> String {
        let n = s.count
        guard width > n else { return s }
        let padding = width - n
        let a = align ?? (numeric ? ">" : "<")
        let f = String(fill)
        switch a {
        case "<": return s + String(repeating: f, count: padding)
        case "^": return String(repeating: f, count: padding / 2) + s + String(repeating: f, count: padding - padding / 2)
        case "=":
            if let first = s.first, "+- ".contains(first) {
                return String(first) + String(repeating: f, count: padding) + s.dropFirst()
            }
            return String(repeating: f, count: padding) + s
        default: return String(repeating: f, count: padding) + s
        }
    }
}
