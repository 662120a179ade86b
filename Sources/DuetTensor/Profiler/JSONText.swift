/// A minimal JSON writer for traces. Traces reach hundreds of thousands of events; building a
/// Foundation object graph for them would cost several times the memory of the text itself.
public struct JSONText {
    private(set) var text = ""

    init(reserving capacity: Int = 0) { text.reserveCapacity(capacity) }

    mutating func raw(_ s: String) { text += s }

    mutating func string(_ s: String) { text += Self.quoted(s) }

    /// `s` as a JSON string literal (also what the safetensors writer uses for its header).
    public static func quoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    mutating func int(_ v: Int) { text += String(v) }

    /// Nanoseconds as microseconds with three decimals: exact, and the unit traces use.
    mutating func micros(_ ns: UInt64) {
        text += String(ns / 1000)
        let frac = ns % 1000
        if frac != 0 {
            let digits = String(frac)
            text += "." + String(repeating: "0", count: 3 - digits.count) + digits
        }
    }

    mutating func stringArray(_ items: [String]) {
        text += "["
        for (i, s) in items.enumerated() {
            if i > 0 { text += "," }
            string(s)
        }
        text += "]"
    }
}
