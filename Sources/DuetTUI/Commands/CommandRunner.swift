import DuetScript
import Foundation

/// The commands that work the same in the workbench and in `duet repl`: timing, notebooks,
/// graphs. Output goes through the interpreter's `output`, errors are thrown as messages.
public final class CommandRunner {
    let interp: Interpreter
    public private(set) var notebook: NotebookCursor?

    public init(interpreter: Interpreter) { interp = interpreter }

    /// `:time EXPR`: runs EXPR once, then repeatedly for about half a second (3 to 1000 runs),
    /// and reports the median, like IPython's `%timeit`.
    public func time(_ expression: String) throws -> String {
        let program = try interp.prepare(expression, file: "<time>")
        func once() throws -> Double {
            let start = DispatchTime.now().uptimeNanoseconds
            try program.run()
            return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        }
        let first = try once()
        let runs = min(1000, max(3, Int(0.5 / max(first, 1e-6))))
        var samples: [Double] = []
        for _ in 0..<runs { samples.append(try once()) }
        samples.sort()
        let median = samples.count % 2 == 1 ? samples[samples.count / 2] : (samples[samples.count / 2 - 1] + samples[samples.count / 2]) / 2
        return "\(Self.duration(median)) median of \(runs) runs (min \(Self.duration(samples.first ?? 0)), max \(Self.duration(samples.last ?? 0)))"
    }

    static func duration(_ seconds: Double) -> String {
        switch seconds {
        case ..<1e-6: return String(format: "%.0f ns", seconds * 1e9)
        case ..<1e-3: return String(format: "%.2f µs", seconds * 1e6)
        case ..<1: return String(format: "%.3f ms", seconds * 1e3)
        default: return String(format: "%.3f s", seconds)
        }
    }

    /// `:load FILE`.
    public func load(_ path: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else { throw CommandError("cannot open '\(path)': no such file or not readable") }
        let cursor = NotebookCursor(file: path, text: String(decoding: data, as: UTF8.self))
        notebook = cursor
        return "loaded \(path): \(cursor.cells.count) cell\(cursor.cells.count == 1 ? "" : "s"); F5 (or :next) runs the next one"
    }

    /// The next cell of the loaded notebook, advancing past it; the caller runs its text.
    public func nextCell() throws -> NotebookCursor.Cell {
        guard notebook != nil else { throw CommandError("no notebook loaded: :load FILE first") }
        guard let cell = notebook?.advance() else { throw CommandError("the notebook has no more cells (:load it again to restart)") }
        return cell
    }

    /// Runs a notebook cell as `duet run` would (its statements echo their values).
    public func run(_ cell: NotebookCursor.Cell) -> Bool {
        // The runner swaps the interpreter's output while a cell runs: hand it the current one.
        let output = interp.output
        let text = cell.text.hasPrefix("\n") ? "# %% \(cell.title)" + cell.text : cell.text
        return NotebookRunner(mode: .run, interpreter: interp, output: output, errors: output).run(text: text, file: cell.file).passed
    }

    /// `:graph NAME`: the graph of the compiled function `NAME`'s latest call.
    public func graph(_ name: String) throws -> GraphView {
        do {
            return GraphView(try interp.compiledGraph(named: name))
        } catch let e as ScriptError {
            throw CommandError(":graph: \(e.message)")
        }
    }
}
