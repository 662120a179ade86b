import Foundation
import DuetTensor

/// Runs one untrusted program the way `duet run` does — lexer, parser, compiler, interpreter —
/// in a fresh interpreter held to a step budget, a time budget and a small tensor limit, and
/// says how it ended. Anything but a result or a located Duet error is a fuzzing failure.
public enum FuzzRun {
    public enum Outcome: Equatable {
        case completed
        /// A located Duet error: the program was wrong, and Duet said where and why.
        case scriptError
        /// The step, time or size budget stopped it.
        case limit
        /// A Swift error that is not a Duet error, or a Duet error without a location.
        case failure(String)
    }

    public static func run(_ program: String, steps: Int = 20_000, seconds: Double = 2, maxElements: Int = 1 << 16) -> Outcome {
        let interp = Interpreter(output: { _ in })
        interp.stepLimit = steps
        let savedLimit = EngineContext.current.maxElements
        interp.maxTensorElements = maxElements
        defer { EngineContext.current.maxElements = savedLimit }
        let deadline = DispatchWorkItem { [handle = interp.interruption] in handle.request() }
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds, execute: deadline)
        defer { deadline.cancel() }
        do {
            try interp.run(program, file: "fuzz.py")
            return .completed
        } catch let e as ScriptError {
            switch e.kind {
            case .stepLimit, .keyboardInterrupt, .memory, .recursion: return .limit
            default: return e.isLocated ? .scriptError : .failure("unlocated \(e.kind.rawValue): \(e.message)")
            }
        } catch {
            return .failure("not a Duet error: \(error)")
        }
    }
}
