import ArgumentParser
import Foundation
import DuetServe

/// `duet-serve MODEL.onnx`: the model server `duet serve` runs (its own executable, so that the
/// `duet` binary never links SwiftNIO). SIGTERM or Ctrl-C drain the requests in flight and exit 0.
@main
struct ServeMain: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "duet serve", abstract: "Serve an ONNX model over TF Serving's REST API.")

    @Argument(help: "The ONNX model to serve.") var model: String
    @Option(help: "Port to listen on (0: any free port).") var port = 8501
    @Option(help: "Address to bind (127.0.0.1 keeps the server local).") var host = "127.0.0.1"
    @Option(help: "Model name in the URLs (default: the file's stem).") var name: String?
    @Option(help: "Largest request body in bytes; larger ones get 413.") var maxBodyBytes = 16 << 20
    @Option(help: "How long the first waiting request waits for others to batch with, in ms.") var batchWindowMs = 2.0
    @Option(help: "Most rows in one batch.") var maxBatch = 64

    /// Unbuffered, so a parent reading the pipe (the workbench, a test) sees the line at once.
    private func say(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }

    func run() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be 0 to 65535, got \(port)") }
        guard maxBodyBytes > 0, maxBatch > 0, batchWindowMs >= 0, batchWindowMs <= 10_000 else {
            throw ValidationError("--max-body-bytes and --max-batch must be positive, --batch-window-ms 0 to 10000")
        }
        var options = ServeOptions()
        options.host = host
        options.port = port
        options.name = name
        options.maxBodyBytes = maxBodyBytes
        options.batchWindowMs = batchWindowMs
        options.maxBatch = maxBatch
        let server: ModelServer
        let bound: Int
        do {
            server = try ModelServer(modelPath: model, options: options)
            bound = try server.start()
        } catch {
            FileHandle.standardError.write(Data("duet serve: \(error)\n".utf8))
            throw ExitCode(1)
        }
        let stop = DispatchSemaphore(value: 0)
        var sources: [DispatchSourceSignal] = []
        for sig in [SIGTERM, SIGINT] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { stop.signal() }
            source.resume()
            sources.append(source)
        }
        say("duet serve: \(server.name) v1 (\(server.model.inputs.map(\.description).joined(separator: ", "))) on http://\(host):\(bound)")
        say("  POST /v1/models/\(server.name):predict   GET /v1/models/\(server.name)   GET /v1/models/\(server.name)/metadata   GET /metrics")
        stop.wait()
        server.drain()
        say("duet serve: stopped")
        withExtendedLifetime(sources) {}
    }
}
