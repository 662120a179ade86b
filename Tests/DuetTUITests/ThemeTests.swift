import Foundation
import Testing
@testable import DuetTUI

@Suite struct ThemeTests {
    @Test(arguments: ["dark", "light", "high-contrast"])
    func shippedThemesLoad(name: String) throws {
        let theme = try Fixture.theme(name)
        #expect(theme.name == name)
        #expect(Role.allCases.allSatisfy { theme.styles[$0] != nil })
        #expect(theme.series.count >= 6)
    }

    @Test func stylesAndColours() throws {
        let s = try ThemeLoader.style("bold 16 on #0087ff", key: "k", file: "f")
        #expect(s.bold && s.fg == .indexed(16) && s.bg == .indexed(33))
        #expect(try ThemeLoader.color("bright-red", key: "k", file: "f") == .indexed(9))
        #expect(try ThemeLoader.color("default", key: "k", file: "f") == .default)
    }

    private func text(replacing key: String, with line: String?) throws -> String {
        let original = try String(contentsOfFile: Fixture.themes + "/dark.toml", encoding: .utf8)
        return original.split(separator: "\n", omittingEmptySubsequences: false).compactMap { l in
            l.hasPrefix(key + " =") ? line : String(l)
        }.joined(separator: "\n")
    }

    @Test func unknownColourNamesKeyAndValue() throws {
        let bad = try text(replacing: "accent", with: "accent = \"bold purpleish\"")
        #expect(throws: ThemeError("t.toml: roles.accent: unknown colour 'purpleish' (use default, a name such as red or bright-red, 0-255, or #rrggbb)")) {
            try ThemeLoader.parse(bad, file: "t.toml")
        }
    }

    @Test func missingKeyIsNamed() throws {
        let bad = try text(replacing: "prompt", with: nil)
        #expect(throws: ThemeError("t.toml: missing key roles.prompt")) { try ThemeLoader.parse(bad, file: "t.toml") }
    }

    @Test func fileNotFoundListsTheAvailableThemes() {
        #expect(throws: ThemeError("theme 'neon' not found; available: dark, high-contrast, light")) {
            try ThemeLoader.load("neon", dirs: [Fixture.themes])
        }
        #expect(throws: ThemeError("theme file '/nonexistent/x.toml' not found or not readable")) {
            try ThemeLoader.load("/nonexistent/x.toml")
        }
    }

    @Test func syntaxErrorsNameTheLine() {
        #expect(throws: ThemeError("t.toml: line 2: expected key = value")) { try ThemeLoader.parse("name = \"x\"\nroles\n", file: "t.toml") }
        #expect(throws: ThemeError("t.toml: line 1: unterminated or malformed string \"x")) { try ThemeLoader.parse("name = \"x", file: "t.toml") }
        #expect(throws: ThemeError("t.toml: unknown key 'roles.txt' (roles are: \(Role.allCases.map(\.rawValue).joined(separator: ", ")))")) {
            try ThemeLoader.parse("[roles]\ntxt = \"red\"", file: "t.toml")
        }
    }
}
