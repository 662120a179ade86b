/// printf-style `"%.3f" % x`, which older PyTorch snippets still use: each directive becomes a
/// format spec for `FormatSpec`.
enum PercentFormat {
    static func format(_ template: String, _ args: [Value]) throws -> String {
        let chars = Array(template)
        var out = ""
        var next = 0
        var i = 0
        while i < chars.count {
            let c = chars[i]
            i += 1
            guard c == "%" else {
                out.append(c)
                continue
            }
            guard i < chars.count else { throw ScriptError(.value, "incomplete format") }
            if chars[i] == "%" {
                out.append("%")
                i += 1
                continue
            }
            var flags = ""
            while i < chars.count, "-+ 0#".contains(chars[i]) {
                flags.append(chars[i])
                i += 1
            }
            var width = ""
            while i < chars.count, chars[i].isASCII, chars[i].isNumber {
                width.append(chars[i])
                i += 1
            }
            var precision = ""
            if i < chars.count, chars[i] == "." {
                precision = "."
                i += 1
                while i < chars.count, chars[i].isASCII, chars[i].isNumber {
                    precision.append(chars[i])
                    i += 1
                }
                if precision == "." { precision = ".0" }
            }
            guard i < chars.count else { throw ScriptError(.value, "incomplete format") }
            let type = chars[i]
            i += 1
            guard next < args.count else { throw ScriptError(.type, "not enough arguments for format string") }
            let arg = args[next]
            next += 1
            let align = flags.contains("-") ? "<" : ""
            let sign = flags.contains("+") ? "+" : flags.contains(" ") ? " " : ""
            let zero = flags.contains("0") && align.isEmpty ? "0" : ""
            let alt = flags.contains("#") ? "#" : ""
            switch type {
            case "s": out += try FormatSpec.format(.str(Repr.str(arg)), align + width + precision)
            case "r": out += try FormatSpec.format(.str(Repr.repr(arg)), align + width + precision)
            case "d", "i", "u":
                let n: Value = .int(try Convert.integral(Convert.double(arg, "%\(type) format")))
                out += try FormatSpec.format(n, align + sign + zero + width)
            case "f", "F", "e", "E", "g", "G", "x", "X", "o":
                let n: Value = "xXo".contains(type) ? .int(try Convert.int(arg, "%\(type) format")) : .float(try Convert.double(arg, "%\(type) format"))
                out += try FormatSpec.format(n, align + sign + alt + zero + width + precision + String(type))
            default:
                throw ScriptError(.value, "unsupported format character '\(type)'")
            }
        }
        guard next == args.count else { throw ScriptError(.type, "not all arguments converted during string formatting") }
        return out
    }
}
