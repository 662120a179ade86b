import Foundation
import Testing
import DuetTestSupport
@testable import DuetNN
import DuetTensor

/// End-to-end learning: models must actually learn the built-in data sets and a real one, and a
/// checkpointed run must resume bit-identically. Seeds make every run the same.
@Suite(.serialized) struct TrainingTests {
    /// Plain minibatch training; returns the last epoch's mean loss.
    @discardableResult
    static func train(_ model: Module, _ optimizer: Optimizer, _ loader: DataLoader, epochs: Int, from start: Int = 0,
                      scheduler: LRScheduler? = nil) throws -> Double {
        var last = 0.0
        model.train()
        for epoch in start..<epochs {
            var total = 0.0, batches = 0
            loader.epoch = epoch
            var iterator = loader.makeIterator()
            while let batch = try iterator.nextBatch() {
                try optimizer.zeroGrad()
                let loss = try Loss.crossEntropy(model(batch[0]), batch[1])
                try loss.backward()
                try optimizer.step()
                total += try loss.item()
                batches += 1
            }
            try scheduler?.step()
            last = total / Double(max(batches, 1))
        }
        return last
    }

    static func accuracy(_ model: Module, _ x: Tensor, _ y: Tensor) throws -> Double {
        model.eval()
        defer { model.train() }
        return try withNoGrad { try Loss.accuracy(model(x), y) }
    }

    @Test func mlpLearnsSpirals() throws {
        manualSeed(1)
        let (x, y) = try Datasets.spirals(count: 400, classes: 2, noise: 0.05, seed: 3)
        let model = Sequential(try Linear(2, 64), Tanh(), try Linear(64, 64), Tanh(), try Linear(64, 2))
        let optimizer = try Adam(model.parameters(), lr: 0.01)
        try Self.train(model, optimizer, DataLoader(TensorDataset(x, y), batchSize: 32, shuffle: true, seed: 5), epochs: 150)
        let acc = try Self.accuracy(model, x, y)
        #expect(acc >= 0.97, "training accuracy \(acc)")
    }

    @Test func convnetBeatsMLPOnShapes() throws {
        let (trainX, trainY) = try Datasets.shapes28(count: 4000, seed: 1)
        let (testX, testY) = try Datasets.shapes28(count: 1000, seed: 2)
        let loader = try DataLoader(TensorDataset(trainX, trainY), batchSize: 32, shuffle: true, seed: 3)
        manualSeed(4)
        let cnn = Sequential(
            try Conv2d(1, 16, kernelSize: 3, padding: 1), ReLU(), MaxPool2d(2),
            try Conv2d(16, 32, kernelSize: 3, padding: 1), ReLU(), MaxPool2d(2), Flatten(),
            try Linear(32 * 7 * 7, 64), ReLU(), try Linear(64, 10))
        try Self.train(cnn, try Adam(cnn.parameters(), lr: 2e-3), loader, epochs: 7)
        // An MLP with about as many parameters (~102k vs ~106k) and the same training.
        manualSeed(4)
        let mlp = Sequential(Flatten(), try Linear(784, 128), ReLU(), try Linear(128, 10))
        try Self.train(mlp, try Adam(mlp.parameters(), lr: 2e-3), loader, epochs: 7)
        let cnnAccuracy = try Self.accuracy(cnn, testX, testY), mlpAccuracy = try Self.accuracy(mlp, testX, testY)
        #expect(cnnAccuracy >= 0.95, "CNN held-out accuracy \(cnnAccuracy)")
        // "Clearly worse": at least 5 points behind and at least three times the CNN's error rate.
        #expect(mlpAccuracy <= cnnAccuracy - 0.05 && 1 - mlpAccuracy >= 3 * (1 - cnnAccuracy), "MLP \(mlpAccuracy) vs CNN \(cnnAccuracy)")
    }

    /// On a private generator: tests run in parallel, and draws by others from the shared one would
    /// make the straight and the resumed runs see different dropout masks.
    @Test func resumingFromACheckpointIsBitIdentical() throws {
        try withGenerator(Generator(seed: 0)) { try resumeCheck() }
    }

    private func resumeCheck() throws {
        let (x, y) = try Datasets.moons(count: 256, noise: 0.1, seed: 7)
        func makeRun() throws -> (Module, Optimizer, LRScheduler, DataLoader) {
            manualSeed(11)
            let model = Sequential(try Linear(2, 16), ReLU(), try Dropout(0.2), try Linear(16, 2))
            let optimizer = try Adam(model.parameters(), lr: 0.01)
            return (model, optimizer, try StepLR(optimizer, stepSize: 2, gamma: 0.5),
                    try DataLoader(TensorDataset(x, y), batchSize: 32, shuffle: true, seed: 13))
        }
        let (straight, straightOpt, straightSched, loader) = try makeRun()
        try Self.train(straight, straightOpt, loader, epochs: 6, scheduler: straightSched)

        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("duet-resume-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("ckpt.safetensors").path
        let (first, firstOpt, firstSched, firstLoader) = try makeRun()
        try Self.train(first, firstOpt, firstLoader, epochs: 3, scheduler: firstSched)
        try Checkpoint.save(model: first, optimizer: firstOpt, epoch: 3, to: path)

        manualSeed(999)
        let (resumed, resumedOpt, resumedSched, resumedLoader) = try makeRun()
        let epoch = try Checkpoint.load(from: path, model: resumed, optimizer: resumedOpt)
        resumedSched.resume(atEpoch: epoch)
        try Self.train(resumed, resumedOpt, resumedLoader, epochs: 6, from: epoch, scheduler: resumedSched)
        for ((name, a), (_, b)) in zip(straight.stateDict(), resumed.stateDict()) {
            #expect(try a.toDoubles() == b.toDoubles(), "\(name) differs after resuming")
        }
    }

    @Test func mlpLearnsScikitLearnDigits() throws {
        let csv = try PythonEnv.digitsCSV()
        let (x, y) = try CSV.load(csv, label: -1)
        #expect(x.shape == [1797, 64])
        manualSeed(21)
        let order = try Tensor.randperm(1797)
        let scaled = try x / 16.0
        let trainIndex = try order.slice(dim: 0, end: 1400), testIndex = try order.slice(dim: 0, start: 1400)
        let (trainX, trainY) = (try scaled.indexSelect(dim: 0, index: trainIndex), try y.indexSelect(dim: 0, index: trainIndex))
        let (testX, testY) = (try scaled.indexSelect(dim: 0, index: testIndex), try y.indexSelect(dim: 0, index: testIndex))
        let model = Sequential(try Linear(64, 128), ReLU(), try Linear(128, 10))
        try Self.train(model, try Adam(model.parameters(), lr: 3e-3),
                       DataLoader(TensorDataset(trainX, trainY), batchSize: 32, shuffle: true, seed: 22), epochs: 30)
        let acc = try Self.accuracy(model, testX, testY)
        #expect(acc >= 0.95, "held-out accuracy on digits \(acc)")
    }
}
