/// Compares printed output with a notebook's expectations. Text must match exactly (trailing
/// blanks aside); numbers match within a relative tolerance of 1e-4 — or, for fixed-point
/// numbers of 3 or more decimals, one unit in the last digit shown, so values printed with 4
/// decimals (as tensors are) do not flake on rounding.
/// `#~` lines only need the same text around their numbers.
enum OutputMatch {
    static let relativeTolerance = 1e-4

    enum Piece: Equatable {
        case text(String)
        case number(Double, decimals: Int)
    }

    static func matches(_ actual: [String], _ expected: [Notebook.Expectation]) -> Bool {
        guard actual.count == expected.count else { return false }
        return zip(actual, expected).allSatisfy { line($0, $1) }
    }

    static func line(_ actual: String, _ e: Notebook.Expectation) -> Bool {
        let a = pieces(actual.replacingTrailingSpaces()), b = pieces(e.text.replacingTrailingSpaces())
        guard a.count == b.count else { return false }
        for (x, y) in zip(a, b) {
            switch (x, y) {
            case (.text(let s), .text(let t)): if s != t { return false }
            case (.number(let u, _), .number(let v, let decimals)):
                if e.kind == .shape { continue }
                // Fixed-point printouts (3+ decimals, like tensors' 4) may round either way.
                let lastDigit = decimals >= 3 ? pow10(-decimals) * 1.0000001 : 0
                let tolerance = max(relativeTolerance * max(abs(u), abs(v)), lastDigit)
                if !(abs(u - v) <= tolerance || u == v) { return false }
            default: return false
            }
        }
        return true
    }

    private static func pow10(_ exponent: Int) -> Double {
        let e = min(max(exponent, -30), 30)
        var r = 1.0
        for _ in 0..<abs(e) { r *= 10 }
        return e < 0 ? 1 / r : r
    }

    /// Splits a line into numbers and the text between them. A sign belongs to a number only
    /// where it cannot be an operator (start of line or after a non-alphanumeric character).
    static func pieces(_ s: String) -> [Piece] {
        let chars = Array(s)
        var out: [Piece] = []
        var text = ""
        var i = 0
        func isDigit(_ k: Int) -> Bool { k < chars.count && chars[k].isASCII && chars[k].isNumber }
        while i < chars.count {
            let c = chars[i]
            let prevIsWord = i > 0 && (chars[i - 1].isLetter || chars[i - 1].isNumber || chars[i - 1] == "_")
            let signed = (c == "-" || c == "+") && !prevIsWord && (isDigit(i + 1) || (i + 2 < chars.count && chars[i + 1] == "." && isDigit(i + 2)))
            let starts = (isDigit(i) || (c == "." && isDigit(i + 1)) || signed) && !prevIsWord
            guard starts else {
                text.append(c)
                i += 1
                continue
            }
            var j = signed ? i + 1 : i
            var decimals = 0
            while isDigit(j) { j += 1 }
            if j < chars.count && chars[j] == "." {
                j += 1
                while isDigit(j) {
                    j += 1
                    decimals += 1
                }
            }
            var exponent = 0
            if j < chars.count && (chars[j] == "e" || chars[j] == "E") {
                var k = j + 1
                if k < chars.count && (chars[k] == "+" || chars[k] == "-") { k += 1 }
                if isDigit(k) {
                    let start = k
                    while isDigit(k) { k += 1 }
                    exponent = (Int(String(chars[start..<k])) ?? 0) * (chars[j + 1] == "-" ? -1 : 1)
                    j = k
                }
            }
            guard let value = Double(String(chars[i..<j])) else {
                text.append(c)
                i += 1
                continue
            }
            if !text.isEmpty { out.append(.text(text)) }
            text = ""
            out.append(.number(value, decimals: decimals - exponent))
            i = j
        }
        if !text.isEmpty { out.append(.text(text)) }
        return out
    }
}
