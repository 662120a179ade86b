import Foundation
import Testing
@testable import DuetScript

/// Notebooks as tests: every notebook in `notebooks/` must pass `duet run --check` (run here
/// in-process, so CI checks them with the test suite), and the check and update modes behave.
@Suite struct NotebookTests {
    private func run(_ text: String, _ mode: NotebookRunner.Mode) -> (NotebookRunner.Outcome, output: String, errors: String) {
        var out = "", err = ""
        let interp = Interpreter()
        let outcome = NotebookRunner(mode: mode, interpreter: interp, output: { out += $0 }, errors: { err += $0 }).run(text: text, file: "nb.duet")
        return (outcome, out, err)
    }

    /// Notebooks run alone; one that says how to start it on several ranks (`duet run -n N`,
    /// as 07 does, and as `make test` reads) is checked under mpirun by DistributedTests.
    static let notebookFiles: [URL] = {
        let folder = packageRoot.appendingPathComponent("notebooks")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".duet") }.sorted().map { folder.appendingPathComponent($0) }.filter { url in
            !((try? String(contentsOf: url, encoding: .utf8))?.contains("duet run -n ") ?? false)
        }
    }()

    @Test func theNotebooksExist() {
        let names = Self.notebookFiles.map(\.lastPathComponent)
        for expected in ["01-tensors.duet", "02-autograd.duet", "03-train-mlp.duet", "04-convnet.duet", "05-eager-vs-graph.duet", "06-profiling.duet"] { #expect(names.contains(expected)) }
    }

    @Test(arguments: notebookFiles)
    func notebookPassesCheck(_ url: URL) throws {
        let text = try String(contentsOf: url, encoding: .utf8)
        let (outcome, _, errors) = run(text, .check)
        #expect(outcome.passed, "\(url.lastPathComponent):\n\(errors)")
    }

    @Test func runPrintsCellTitlesAndOutput() {
        let (outcome, out, _) = run("# %% First\nprint(1)\n# %% Second\nx = 2\nx\n", .run)
        #expect(outcome.passed)
        #expect(out == "# %% First\n1\n# %% Second\n2\n")
    }

    @Test func plainScriptsDoNotEchoValues() {
        #expect(run("x = 2\nx\nprint(x)\n", .run).output == "2\n")
        #expect(run("x = 2\nx\n#> 2\n", .run).output == "2\n")
    }

    @Test func checkComparesNumbersWithTolerance() {
        #expect(run("print(1.00001)\n#> 1.0\n", .check).0.passed)
        #expect(run("print(0.12346)\n#> 0.1235\n", .check).0.passed)
        #expect(!run("print(1.01)\n#> 1.0\n", .check).0.passed)
        #expect(run("print('loss', 2.5e-07)\n#> loss 2.50001e-07\n", .check).0.passed)
        #expect(!run("print('loss 1')\n#> lost 1\n", .check).0.passed)
    }

    @Test func machineDependentLinesAreCheckedForShapeOnly() {
        #expect(run("print('took 12.5 ms')\n#~ took 3.1 ms\n", .check).0.passed)
        #expect(!run("print('took 12.5 s')\n#~ took 3.1 ms\n", .check).0.passed)
    }

    @Test func checkReportsADiff() {
        let (outcome, _, errors) = run("x = 1\nprint(x + 1)\n#> 3\nprint('ok')\n#> ok\n", .check)
        #expect(!outcome.passed)
        #expect(outcome.differences == 1)
        #expect(errors == "nb.duet:2: output differs from the expectation\n    print(x + 1)\n--- expected\n+++ actual\n-#> 3\n+#> 2\n")
    }

    @Test func unexpectedOutputIsADifference() {
        #expect(!run("print(5)\n", .check).0.passed)
    }

    @Test func updateRewritesExpectations() {
        let text = "# %% Cell\nfor i in range(2):\n    print(i)\n#> 7\n\nx = 3\nx\n#~ 9 ms\n"
        let (outcome, _, _) = run(text, .update)
        #expect(outcome.updatedText == "# %% Cell\nfor i in range(2):\n    print(i)\n#> 0\n#> 1\n\nx = 3\nx\n#~ 3\n")
        #expect(run(outcome.updatedText ?? "", .check).0.passed)
    }

    @Test func expectedErrorsLetTheNotebookContinue() {
        let text = "x = zeros(2)\nx.view(3)\n#> nb.duet:2:1: ShapeError: view: shape [3] is invalid for input of size 2\n#>     x.view(3)\n#>     ^^^^^^^^^\nprint('after')\n#> after\n"
        let (outcome, _, errors) = run(text, .check)
        #expect(outcome.passed, "\(errors)")
    }

    @Test func anUnexpectedErrorStopsTheRun() {
        let (outcome, out, errors) = run("print(1)\nprint(undefined)\nprint(2)\n", .run)
        #expect(!outcome.passed)
        #expect(out == "1\n")
        #expect(errors == "nb.duet:2:7: NameError: name 'undefined' is not defined\n    print(undefined)\n          ^^^^^^^^^\n")
    }

    @Test func syntaxErrorsAreReportedBeforeAnythingRuns() {
        let (outcome, out, errors) = run("print(1)\nx = = 2\n", .run)
        #expect(!outcome.passed)
        #expect(out.isEmpty)
        #expect(errors.hasPrefix("nb.duet:2:5: SyntaxError:"))
    }

    /// `duet run` itself, when the test runner sits next to the built executable.
    @Test func commandLineExitCodesAndMessages() throws {
        guard DuetBinary.isAvailable() else { return }
        func duet(_ args: [String], stdin: String = "") throws -> (status: Int32, out: String, err: String) { try DuetBinary.run(args, stdin: stdin) }
        let ok = try duet(["run", "-"], stdin: "print(1 + 1)\n")
        #expect(ok.status == 0 && ok.out == "2\n")
        let syntax = try duet(["run", "-"], stdin: "x = (1\n")
        #expect(syntax.status == 1 && syntax.err.hasPrefix("<stdin>:1:5: SyntaxError: '(' was never closed"))
        let shape = try duet(["run", "-"], stdin: "zeros(2, 3) @ zeros(2, 3)\n")
        #expect(shape.status == 1 && shape.err.hasPrefix("<stdin>:1:1: ShapeError: matmul: shapes [2,3] and [2,3] cannot be multiplied"))
        let name = try duet(["run", "-"], stdin: "print(nope)\n")
        #expect(name.status == 1 && name.err.hasPrefix("<stdin>:1:7: NameError: name 'nope' is not defined"))
        let missing = try duet(["run", "/nonexistent/file.duet"])
        #expect(missing.status == 1 && missing.err == "duet run: cannot open '/nonexistent/file.duet': no such file or not readable\n")
        let repl = try duet(["repl"], stdin: "x = 1\nx + 1\ndef f():\n    return 5\n\nf()\nprint(undefined)\nx\n")
        #expect(repl.status == 0 && repl.out == "2\n5\n1\n")
        #expect(repl.err.hasPrefix("<repl>:1:7: NameError: name 'undefined' is not defined"))
    }
}
