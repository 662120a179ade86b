/// Python's float repr: the shortest digits that round-trip (which Swift's `description` also
/// finds), laid out by Python's rule — positional for exponents -4…15, `1e-05` style otherwise.
enum PyFloat {
    static func repr(_ d: Double) -> String {
        if d.isNaN { return "nan" }
        if d.isInfinite { return d < 0 ? "-inf" : "inf" }
        if d == 0 { return d.sign == .minus ? "-0.0" : "0.0" }
        let (digits, point) = shortestDigits(Swift.abs(d))
        let sign = d < 0 ? "-" : ""
        if point > -4 && point <= 16 {
            if point <= 0 { return sign + "0." + String(repeating: "0", count: -point) + digits }
            if point >= digits.count { return sign + digits + String(repeating: "0", count: point - digits.count) + ".0" }
            let i = digits.index(digits.startIndex, offsetBy: point)
            return sign + digits[..<i] + "." + digits[i...]
        }
        let exponent = point - 1
        let mantissa = digits.count > 1 ? String(digits.prefix(1)) + "." + digits.dropFirst() : digits
        let e = Swift.abs(exponent)
        return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + (e < 10 ? "0" : "") + String(e)
    }

    /// Significant digits without leading or trailing zeros, and the decimal point's position
    /// relative to them (value = 0.DIGITS × 10^point).
    private static func shortestDigits(_ d: Double) -> (String, Int) {
        let text = d.description
        var mantissa = Substring(text)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<e]
            exponent = Int(text[text.index(after: e)...]) ?? 0
        }
        var digits = ""
        var point = 0
        var seenPoint = false
        for c in mantissa {
            if c == "." {
                seenPoint = true
            } else {
                digits.append(c)
                if !seenPoint { point += 1 }
            }
        }
        while digits.hasPrefix("0") && digits.count > 1 {
            digits.removeFirst()
            point -= 1
        }
        while digits.hasSuffix("0") && digits.count > 1 { digits.removeLast() }
        return (digits, point + exponent)
    }
}
