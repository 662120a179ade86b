import DuetTensor

/// A training checkpoint in one safetensors file: the model's state dict under "model.", the
/// optimizer's under "optimizer.", and in the metadata the epoch and the random generator's state,
/// so that training resumed from it continues exactly as if it had never stopped.
public enum Checkpoint {
    public static func save(model: Module, optimizer: Optimizer? = nil, epoch: Int, to path: String) throws {
        var tensors = model.stateDict().map { ("model.\($0.name)", $0.tensor) }
        if let optimizer {
            tensors += optimizer.stateDict().sorted { $0.key < $1.key }.map { ("optimizer.\($0.key)", $0.value) }
        }
        let metadata = ["epoch": String(epoch), "rng": Generator.current.snapshot.map(String.init).joined(separator: ","),
                        "format": "duet-checkpoint-1"]
        try SafeTensors.save(tensors, metadata: metadata, to: path)
    }

    /// Restores model, optimizer and generator; returns the saved epoch. Names, shapes and dtypes
    /// are checked before anything is written.
    @discardableResult
    public static func load(from path: String, model: Module, optimizer: Optimizer? = nil) throws -> Int {
        let (tensors, metadata) = try SafeTensors.load(path)
        guard let epochText = metadata["epoch"], let epoch = Int(epochText) else {
            throw TensorError.value("checkpoint \(path): no epoch in its metadata (not a Duet checkpoint?)")
        }
        let words = (metadata["rng"] ?? "").split(separator: ",").compactMap { UInt64($0) }
        var modelState: [String: Tensor] = [:], optimizerState: [String: Tensor] = [:]
        for (name, t) in tensors {
            if name.hasPrefix("model.") { modelState[String(name.dropFirst(6))] = t }
            else if name.hasPrefix("optimizer.") { optimizerState[String(name.dropFirst(10))] = t }
            else { throw TensorError.value("checkpoint \(path): unexpected tensor '\(name)'") }
        }
        try model.loadStateDict(modelState)
        if let optimizer { try optimizer.loadStateDict(optimizerState) }
        try Generator.current.restore(words)
        return epoch
    }
}
