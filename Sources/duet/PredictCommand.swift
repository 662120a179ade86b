import ArgumentParser
import Foundation
import DuetNN
import DuetTensor

/// `duet predict MODEL.onnx INPUT.npy …`: runs an ONNX model on `.npy` inputs (in the graph's
/// input order) through Duet's graph executor, and writes the outputs to `-o` (`.npy` for one
/// output, `.npz` for any number) or prints them as JSON, TF Serving's `outputs` shape.
struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Run an ONNX model on .npy inputs.")

    @Argument(help: "The ONNX model.")
    var model: String

    @Argument(help: "One .npy file per graph input, in the graph's input order (initializers excluded).")
    var inputs: [String] = []

    @Option(name: .shortAndLong, help: "Write the outputs here: .npy (one output) or .npz (named by output). Without it they are printed as JSON.")
    var output: String?

    func run() throws {
        do {
            let module = try OnnxModule(path: model)
            guard inputs.count == module.inputs.count else {
                throw ValidationError("\(model) takes \(module.inputs.count) input\(module.inputs.count == 1 ? "" : "s") (\(module.inputs.map(\.description).joined(separator: "; "))); \(inputs.count) .npy file\(inputs.count == 1 ? " was" : "s were") given")
            }
            let arguments = try inputs.map { try NPY.load($0) }
            let results = try module(arguments)
            let named = zip(module.outputs.map(\.name), results).map { ($0, $1) }
            guard let output else {
                Console.write(try json(named) + "\n")
                return
            }
            if output.hasSuffix(".npz") {
                try NPZ.save(named, to: output)
            } else if named.count == 1 {
                try NPY.save(results[0], to: output)
            } else {
                throw ValidationError("\(model) has \(named.count) outputs (\(named.map(\.0).joined(separator: ", "))): write them to an .npz file")
            }
        } catch let e as ValidationError {
            throw e
        } catch {
            Console.error("duet predict: \(error)\n")
            throw ExitCode(1)
        }
    }

    /// `{"outputs": {"name": nested lists}}`, TF Serving's column form.
    private func json(_ outputs: [(String, Tensor)]) throws -> String {
        "{\"outputs\": {" + (try outputs.map { "\"\($0)\": " + (try JSON.nestedList($1)) }).joined(separator: ", ") + "}}"
    }
}
