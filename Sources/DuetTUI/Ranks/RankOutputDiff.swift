/// Which of a rank's output lines to show beside rank 0's: the ones rank 0 did not print. Ranks
/// usually print the same thing, and N copies of it would bury what differs (issue #18).
enum RankOutputDiff {
    /// The lines of `other` outside a longest common subsequence with `reference`, in order.
    /// Past `limit` cells of the table, lines are compared position by position instead.
    static func extraLines(_ other: [String], comparedWith reference: [String], limit: Int = 4_000_000) -> [String] {
        let n = other.count, m = reference.count
        guard n > 0 else { return [] }
        guard m > 0 else { return other }
        let (cells, overflow) = n.multipliedReportingOverflow(by: m)
        guard !overflow, cells <= limit else {
            return other.indices.filter { $0 >= m || other[$0] != reference[$0] }.map { other[$0] }
        }
        // suffix[i][j]: LCS length of other[i...] and reference[j...], one flat row-major table.
        let width = m + 1
        var suffix = [Int32](repeating: 0, count: (n + 1) * width)
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                suffix[i * width + j] = other[i] == reference[j]
                    ? suffix[(i + 1) * width + j + 1] + 1
                    : max(suffix[(i + 1) * width + j], suffix[i * width + j + 1])
            }
        }
        var extra: [String] = []
        var i = 0, j = 0
        while i < n {
            if j < m && other[i] == reference[j] {
                i += 1
                j += 1
            } else if j < m && suffix[i * width + j + 1] >= suffix[(i + 1) * width + j] {
                j += 1
            } else {
                extra.append(other[i])
                i += 1
            }
        }
        return extra
    }

    /// Output split into lines; a progress line redrawn with carriage returns counts as its
    /// last state, and the newline at the end makes no empty line.
    static func lines(_ text: String) -> [String] {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            String(line.split(separator: "\r", omittingEmptySubsequences: false).last ?? "")
        }
        if lines.last == "" { lines.removeLast() }
        return lines
    }
}
