import Foundation
import Synchronization
import Testing
@testable import DuetScript

/// Limits that turn would-be crashes and hangs into Duet errors, and interruption.
@Suite struct LimitsTests {
    final class Outcome: Sendable {
        let kind = Mutex<ErrorKind?>(nil)
    }

    @Test func deepRecursionOnATestThreadIsARecursionError() {
        for depth in [50_000] {
            let e = failure("def down(n):\n    return 0 if n == 0 else 1 + down(n - 1)\ndown(\(depth))")
            #expect(e?.kind == .recursion)
        }
    }

    /// Without the depth limit, the stack guard stops the recursion — also on a thread with a
    /// small stack.
    @Test func theStackGuardCatchesWhatTheDepthLimitDoesNot() throws {
        let result = Outcome()
        let done = DispatchSemaphore(value: 0)
        let thread = Thread {
            let interp = Interpreter(output: { _ in })
            interp.maxCallDepth = Int.max
            do { try interp.run("def down(n):\n    return 0 if n == 0 else 1 + down(n - 1)\ndown(10000000)", file: "t") } catch let e as ScriptError {
                result.kind.withLock { $0 = e.kind }
            } catch {}
            done.signal()
        }
        thread.stackSize = 1 << 20
        thread.start()
        done.wait()
        #expect(result.kind.withLock { $0 } == .recursion)
    }

    @Test func deepRecursionThroughComprehensionsAndLambdas() {
        #expect(failure("f = lambda n: [f(n + 1) for _ in [0]]\nf(0)")?.kind == .recursion)
    }

    @Test func recursionErrorTracebackIsLocatedAndCollapsed() {
        let e = failure("def f():\n    return f()\nf()")
        #expect(e?.location?.line == 2)
        #expect((e?.trace.count ?? 0) > 10)
        let text = e?.description ?? ""
        #expect(text.contains("  [Previous line repeated "))
        #expect(text.split(separator: "\n").count < 20)
    }

    @Test func stepLimitStopsInfiniteLoops() throws {
        let interp = Interpreter(output: { _ in })
        interp.stepLimit = 10_000
        do {
            try interp.run("n = 0\nwhile True:\n    n += 1", file: "t")
            Issue.record("expected the step limit")
        } catch let e as ScriptError {
            #expect(e.kind == .stepLimit)
        }
        guard case .int(let n)? = interp.global("n") else { return }
        #expect(n > 1000 && n < 10_000)
    }

    @Test func interruptRaisesKeyboardInterruptAndKeepsState() throws {
        let interp = Interpreter(output: { _ in })
        try interp.run("n = 0", file: "t")
        let handle = interp.interruption
        let thread = Thread {
            Thread.sleep(forTimeInterval: 0.05)
            handle.request()
        }
        thread.start()
        do {
            try interp.run("while True:\n    n += 1", file: "t")
            Issue.record("expected KeyboardInterrupt")
        } catch let e as ScriptError {
            #expect(e.kind == .keyboardInterrupt)
            #expect(e.isLocated)
        }
        guard case .int(let n)? = interp.global("n") else {
            Issue.record("n was lost")
            return
        }
        #expect(n > 0)
        try interp.run("n = n + 1", file: "t")
    }

    @Test func hugeTensorsAndSequencesAreErrors() {
        #expect(failure("zeros(100000, 100000, 100000)")?.kind == .memory)
        #expect(failure("nn.Linear(10 ** 9, 10 ** 9)")?.kind == .memory)
        #expect(failure("x = [0] * (10 ** 12)")?.kind == .memory)
        #expect(failure("arange(1e300)")?.kind == .value)
    }

    @Test func selfContainingListsPrint() throws {
        #expect(try output("a = [1]\na.append(a)\nprint(a)") == "[1, [...]]\n")
    }
}

extension LimitsTests {
    @Test func extremeRangesDoNotOverflow() throws {
        #expect(try output("r = range(-9223372036854775807 - 1, 9223372036854775807, 3)\nprint(len(r) > 0, r[-1], 5 in r, list(range(9223372036854775806, 9223372036854775807)))")
            == "True 9223372036854775804 False [9223372036854775806]\n")
    }
}
