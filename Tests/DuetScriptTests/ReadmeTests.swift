import Foundation
import Testing
@testable import DuetScript

/// The README's Duet snippets (its ```python blocks) must run as written.
@Suite struct ReadmeTests {
    static let snippets: [String] = {
        guard let text = try? String(contentsOf: packageRoot.appendingPathComponent("README.md"), encoding: .utf8) else { return [] }
        return text.components(separatedBy: "```python\n").dropFirst().compactMap { $0.components(separatedBy: "```").first }
    }()

    @Test func theReadmeHasDuetSnippets() {
        #expect(!Self.snippets.isEmpty)
    }

    @Test(arguments: snippets)
    func snippetRuns(_ code: String) throws {
        let printed = try output(code, file: "README.md")
        #expect(!printed.isEmpty, "the snippet printed nothing")
    }
}
