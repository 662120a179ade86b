/// A minimal JSON writer for traces. Traces reach hundreds of thousands of events; building a
/// Foundation object graph for them would cost several times the memory of the text itself.
struct JSONText {
    private(set) var text = ""

    init(reserving capacity: Int = 0) { text.reserveCapacity(capacity) }

    mutating func raw(_ s: String) { text += s }

    mutating func string(_ s: String) {
        text += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\r": text += "\\r"
            case "\t": text += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: text.unicodeScalars.append(scalar)
            }
        }
        text += "\""
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
