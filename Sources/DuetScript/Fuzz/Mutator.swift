/// Deterministic program mutations for fuzzing (`duet fuzz`, the suite's fuzz tests and the
/// libFuzzer harness under `fuzz/`): seeded, so a failing mutant is named by (seed, index) and
/// can be replayed alone. The mutations are the ones that found crashes before: numbers swapped
/// for extreme values, tokens dropped and duplicated, lines spliced in from another program,
/// brackets nested deeply, indentation broken.
public struct Mutator {
    /// A small, fast generator (SplitMix64): the same seed gives the same mutants on every machine.
    public struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        public init(seed: UInt64) { state = seed }
        public mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    public let programs: [String]

    public init(programs: [String]) { self.programs = programs.isEmpty ? [""] : programs }

    static let tokens = ["(", ")", "[", "]", "{", "}", ":", ",", ".", "=", "+", "-", "*", "/", "//", "%", "**", "@", "<", "==",
                         "not", "and", "or", "in", "is", "if", "else", "for", "while", "def", "class", "lambda", "return", "yield",
                         "with", "try:", "except", "raise", "None", "True", "x", "y", "self", "f", "0", "1", "-1", "2.5", "'s'",
                         "f'{x}'", "...", "tensor([1, 2])", "zeros(2, 3)", "range(5)", "print", "len", "\n", "\n    ", "\t",
                         "  ", "#", "\\", "?", ";", "[[[[", "]]]]", "((((", "))))"]

    static let extremes = ["0", "-1", "2", "100", "0.5", "-0.0", "1e308", "-1e308", "1e-320", "float('nan')", "float('inf')",
                           "9223372036854775807", "-9223372036854775808", "2**62", "2**63", "10**20", "4096", "65536"]

    /// Mutant `index` of the stream for `seed`: each index draws its own generator, so replaying
    /// one needs no others.
    public func mutant(seed: UInt64, index: Int) -> String {
        var rng = SplitMix(seed: seed &+ UInt64(truncatingIfNeeded: index) &* 0x2545_F491_4F6C_DD1D)
        if Int.random(in: 0..<10, using: &rng) == 0 { return randomProgram(&rng) }
        var text = programs[Int.random(in: 0..<programs.count, using: &rng)]
        for _ in 0..<Int.random(in: 1...3, using: &rng) { text = mutate(text, &rng) }
        return text
    }

    private func randomProgram(_ rng: inout SplitMix) -> String {
        (0..<Int.random(in: 1...40, using: &rng)).map { _ in Self.tokens.randomElement(using: &rng) ?? "" }.joined(separator: " ")
    }

    private func mutate(_ program: String, _ rng: inout SplitMix) -> String {
        var chars = Array(program)
        guard !chars.isEmpty else { return randomProgram(&rng) }
        let at = Int.random(in: 0..<chars.count, using: &rng)
        switch Int.random(in: 0..<9, using: &rng) {
        case 0:
            chars.removeSubrange(at..<min(chars.count, at + Int.random(in: 1...10, using: &rng)))
        case 1:
            chars.insert(contentsOf: " " + (Self.tokens.randomElement(using: &rng) ?? "") + " ", at: at)
        case 2:
            // A token duplicated in place.
            let end = chars[at...].firstIndex { $0 == " " || $0 == "\n" } ?? chars.count
            chars.insert(contentsOf: chars[at..<end], at: end)
        case 3:
            var lines = String(chars).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let i = Int.random(in: 0..<lines.count, using: &rng), j = Int.random(in: 0..<lines.count, using: &rng)
            if Bool.random(using: &rng) { lines.insert(lines[i], at: j) } else { lines.swapAt(i, j) }
            chars = Array(lines.joined(separator: "\n"))
        case 4:
            // A line of another program spliced in.
            let other = programs[Int.random(in: 0..<programs.count, using: &rng)].split(separator: "\n", omittingEmptySubsequences: false)
            let line = other.isEmpty ? "" : other[Int.random(in: 0..<other.count, using: &rng)]
            let lineStart = chars[..<at].lastIndex(of: "\n").map { $0 + 1 } ?? 0
            chars.insert(contentsOf: line + "\n", at: lineStart)
        case 5:
            if let d = chars[at...].firstIndex(where: { $0.isNumber }) {
                var end = d
                while end < chars.count && (chars[end].isNumber || chars[end] == ".") { end += 1 }
                chars.replaceSubrange(d..<end, with: Array(Self.extremes.randomElement(using: &rng) ?? "0"))
            }
        case 6:
            // An expression nested in many brackets.
            let depth = Int.random(in: 1...300, using: &rng)
            let (open, close) = [("(", ")"), ("[", "]"), ("{", "}")][Int.random(in: 0..<3, using: &rng)]
            let end = min(chars.count, at + Int.random(in: 1...8, using: &rng))
            chars.insert(contentsOf: String(repeating: close, count: depth), at: end)
            chars.insert(contentsOf: String(repeating: open, count: depth), at: at)
        case 7:
            chars.removeSubrange(at...)
        default:
            let lineStart = chars[..<at].lastIndex(of: "\n").map { $0 + 1 } ?? 0
            chars.insert(contentsOf: Bool.random(using: &rng) ? "    " : "\t", at: lineStart)
        }
        return String(chars)
    }
}
