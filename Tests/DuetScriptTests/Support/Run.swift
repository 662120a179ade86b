import Foundation
import Testing
@testable import DuetScript

/// Runs `code` in a fresh interpreter and returns everything it printed.
func output(_ code: String, echo: Bool = false, file: String = "test.duet") throws -> String {
    var text = ""
    let interp = Interpreter(output: { text += $0 })
    try interp.run(code, file: file, echo: echo)
    return text
}

/// The error `code` raises, or nil (recorded as a test issue) when it runs cleanly.
func failure(_ code: String, file: String = "test.duet", sourceLocation: Testing.SourceLocation = #_sourceLocation) -> ScriptError? {
    do {
        _ = try output(code, file: file)
        Issue.record("expected an error, but the program ran", sourceLocation: sourceLocation)
        return nil
    } catch let e as ScriptError {
        return e
    } catch {
        Issue.record("expected a ScriptError, got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}

/// The repository folder, found from this file's path.
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
