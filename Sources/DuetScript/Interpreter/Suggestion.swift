/// "Did you mean: 'model'?" for a NameError or AttributeError, as Python words it: the
/// closest known name by edit distance, where a change of case costs half a substitution and
/// names too far apart suggest nothing.
enum Suggestion {
    /// An error of `kind` that suggests the candidate closest to `name`, if one is close enough.
    /// Candidates come in tiers searched in order, as Python searches locals, then globals, then
    /// builtins: a near local beats a nearer builtin.
    static func error(_ kind: ErrorKind, _ message: String, for name: String, among tiers: [String]...) -> ScriptError {
        var e = ScriptError(kind, message)
        e.suggestion = tiers.lazy.compactMap { closest(to: name, among: $0) }.first
        return e
    }

    static func closest(to name: String, among candidates: [String]) -> String? {
        let target = Array(name)
        guard !target.isEmpty, target.count <= 40 else { return nil }
        var best: (String, Int)?
        for c in Set(candidates) where c != name && !c.isEmpty {
            let other = Array(c)
            let limit = (target.count + other.count + 3) * substitution / 6
            guard abs(other.count - target.count) * substitution <= limit,
                  let d = distance(target, other, limit: limit), d <= limit else { continue }
            if best.map({ d < $0.1 || (d == $0.1 && c < $0.0) }) ?? true { best = (c, d) }
        }
        return best?.0
    }

    private static let substitution = 2

    /// Levenshtein distance with substitution 2, case change 1, insertion and deletion 2; nil
    /// once every path exceeds `limit`.
    private static func distance(_ a: [Character], _ b: [Character], limit: Int) -> Int? {
        var previous = Array(stride(from: 0, through: b.count * substitution, by: substitution))
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i * substitution
            var rowMin = current[0]
            for j in 1...max(b.count, 1) where j <= b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : (a[i - 1].lowercased() == b[j - 1].lowercased() ? 1 : substitution)
                current[j] = min(previous[j - 1] + cost, previous[j] + substitution, current[j - 1] + substitution)
                rowMin = min(rowMin, current[j])
            }
            if rowMin > limit { return nil }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
