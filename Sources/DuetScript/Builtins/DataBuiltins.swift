import Foundation
import DuetTensor
import DuetNN

/// A data set as a script value: `len(ds)`, `ds[i]` (a tuple of tensors), iteration.
final class DatasetObject: ScriptObject, Subscriptable {
    let dataset: any Dataset
    init(_ dataset: any Dataset) { self.dataset = dataset }
    override var typeName: String { "TensorDataset" }
    override var repr: String { "TensorDataset(\(dataset.count) examples)" }
    override var length: Int? { dataset.count }
    func item(_ index: Value, _ interp: Interpreter) throws -> Value {
        let i = try Subscript.position(try Convert.int(index, "dataset index"), dataset.count, "dataset")
        return .tuple(try dataset.example(i).map(Value.tensor))
    }
    override func makeIterator(_ interp: Interpreter) throws -> ValueIterator? { DatasetIterator(dataset) }
}

final class DatasetIterator: ValueIterator {
    private let dataset: any Dataset
    private var index = 0
    init(_ dataset: any Dataset) { self.dataset = dataset }
    override func next() throws -> Value? {
        guard index < dataset.count else { return nil }
        defer { index += 1 }
        return .tuple(try dataset.example(index).map(Value.tensor))
    }
}

/// A data loader: iterating walks one epoch of batches, each a list of tensors.
final class DataLoaderObject: ScriptObject {
    let loader: DataLoader
    init(_ loader: DataLoader) { self.loader = loader }
    override var typeName: String { "DataLoader" }
    override var repr: String { "DataLoader(\(loader.dataset.count) examples, batch_size=\(loader.batchSize), shuffle=\(loader.shuffle ? "True" : "False"))" }
    override var length: Int? { loader.count }
    override func makeIterator(_ interp: Interpreter) throws -> ValueIterator? { LoaderIterator(loader.makeIterator()) }
    override func attribute(_ name: String, _ interp: Interpreter) throws -> Value? {
        switch name {
        case "dataset": .object(DatasetObject(loader.dataset))
        case "batch_size": .int(loader.batchSize)
        default: nil
        }
    }
}

final class LoaderIterator: ValueIterator {
    private var iterator: DataLoader.Iterator
    init(_ iterator: DataLoader.Iterator) { self.iterator = iterator }
    override func next() throws -> Value? {
        try iterator.nextBatch().map { .list(ListObject($0.map(Value.tensor))) }
    }
}

enum DataBuiltins {
    static func register(_ r: Builtins.Registrar) {
        DataSplits.register(r)
        r.type("TensorDataset(*tensors)", "Examples are the rows of tensors that share their first dim.", [.flat, .data]) { b, _ in
            guard !b.rest.isEmpty else { throw ScriptError(.type, "TensorDataset() needs at least one tensor") }
            return .object(DatasetObject(try TensorDataset(try b.rest.map { try Convert.tensor($0, "TensorDataset()") })))
        }
        r.type("DataLoader(dataset, batch_size=1, shuffle=False, sampler=None, batch_sampler=None, num_workers=0, collate_fn=None, pin_memory=False, drop_last=False, timeout=0, worker_init_fn=None, multiprocessing_context=None, generator=None, seed=0)",
               "Batches of a data set (a TensorDataset, an (X, y) pair, or a Dataset/IterableDataset subclass); shuffled orders are seeded. Workers and pinned memory are accepted and unused: Duet loads in the calling thread.",
               [.flat, .data]) { b, interp in
            let source = try b.value("dataset")
            let isScriptData = source.objectValue?.scriptClass != nil || source.objectValue is SubsetObject || source.objectValue is ConcatDatasetObject
            let seed = try b["generator"].map { try GeneratorObject.seed(from: $0) } ?? b.int("seed")
            if isScriptData || b["sampler"] != nil || b["batch_sampler"] != nil || b["collate_fn"] != nil || b["batch_size"] == nil {
                return .object(try ScriptDataLoader(dataset: source, batchSize: try b.optionalInt("batch_size"), shuffle: try b.bool("shuffle"),
                                                    dropLast: try b.bool("drop_last"), sampler: b["sampler"], batchSampler: b["batch_sampler"],
                                                    collate: b["collate_fn"], seed: seed, interp))
            }
            let loader = try DataLoader(try dataset(source, interp), batchSize: try b.int("batch_size"), shuffle: try b.bool("shuffle"),
                                        dropLast: try b.bool("drop_last"), seed: seed)
            return .object(DataLoaderObject(loader))
        }
        r.type("RandomSampler(data_source, replacement=False, num_samples=None, generator=None, seed=0)",
               "The indices of data_source in a new seeded order each epoch.", [.flat, .data]) { b, _ in
            guard try !b.bool("replacement"), b["num_samples"] == nil else {
                throw ScriptError(.notImplemented, "RandomSampler: replacement and num_samples are not supported; Duet draws each index once per epoch")
            }
            return .object(SamplerObject(count: try PythonBuiltins.length(try b.value("data_source")), shuffle: true, seed: try b.int("seed")))
        }
        r.type("SequentialSampler(data_source)", "The indices of data_source in order.", [.flat, .data]) { b, _ in
            .object(SamplerObject(count: try PythonBuiltins.length(try b.value("data_source")), shuffle: false, seed: 0))
        }
        let toy: [(Signature, (BoundArguments) throws -> (X: Tensor, y: Tensor))] = [
            ("spirals(count=300, classes=2, noise=0.05, seed=0)", { b in
                try Datasets.spirals(count: try b.int("count"), classes: try b.int("classes"), noise: try b.double("noise"), seed: try b.int("seed")) }),
            ("moons(count=200, noise=0.1, seed=0)", { b in
                try Datasets.moons(count: try b.int("count"), noise: try b.double("noise"), seed: try b.int("seed")) }),
            ("circles(count=200, noise=0.05, factor=0.5, seed=0)", { b in
                try Datasets.circles(count: try b.int("count"), noise: try b.double("noise"), factor: try b.double("factor"), seed: try b.int("seed")) }),
            ("xor(count=200, noise=0, seed=0)", { b in
                try Datasets.xor(count: try b.int("count"), noise: try b.double("noise"), seed: try b.int("seed")) }),
            ("blobs(count=300, centers=3, std=1, seed=0)", { b in
                try Datasets.blobs(count: try b.int("count"), centers: try b.int("centers"), std: try b.double("std"), seed: try b.int("seed")) }),
            ("shapes28(count=10000, seed=0)", { b in
                try Datasets.shapes28(count: try b.int("count"), seed: try b.int("seed")) }),
        ]
        for (signature, make) in toy {
            let width = signature.name == "shapes28" ? 784 : 2
            r.function(signature, "A built-in data set (no download): returns (X, y), float32 features and int64 labels.", [.flat, .datasets]) { b, interp in
                _ = try TensorCreation.checkedCount([try b.int("count"), width], interp)
                let (X, y) = try make(b)
                return .tuple([.tensor(X), .tensor(y)])
            }
        }
        r.function("load_csv(path, label=-1, header=None)", "Reads a CSV file of numbers: features X (float32) and the label column y.", [.flat, .datasets]) { b, _ in
            let label: CSVColumn
            if case .str(let s) = try b.value("label") { label = .name(s) } else { label = .index(try b.int("label")) }
            let header: Bool? = try b["header"].map { try Convert.bool($0, b.label("header")) }
            let (X, y) = try CSV.load(try b.string("path"), label: label, header: header)
            return .tuple([.tensor(X), .tensor(y)])
        }
    }

    /// A data set from a DatasetObject or an `(X, y)` pair of tensors.
    static func dataset(_ v: Value, _ interp: Interpreter) throws -> any Dataset {
        switch v {
        case .object(let d as DatasetObject): return d.dataset
        case .tuple, .list:
            return try TensorDataset(try Iteration.collect(v, interp).map { try Convert.tensor($0, "data") })
        default:
            throw ScriptError(.type, "expected a Dataset or an (X, y) tuple of tensors, not \(v.typeName)")
        }
    }
}

/// `RandomSampler` / `SequentialSampler`: indices, reshuffled (from the seed and the epoch) each time it is iterated.
final class SamplerObject: ScriptObject {
    let count: Int, shuffle: Bool, seed: Int
    private var epoch = 0
    init(count: Int, shuffle: Bool, seed: Int) {
        self.count = count
        self.shuffle = shuffle
        self.seed = seed
    }
    override var typeName: String { shuffle ? "RandomSampler" : "SequentialSampler" }
    override var length: Int? { count }
    override func makeIterator(_ interp: Interpreter) throws -> ValueIterator? {
        defer { epoch += 1 }
        let order = shuffle ? DataLoader.shuffledOrder(count: count, seed: seed, epoch: epoch) : Array(0..<count)
        return ArrayIterator(order.map(Value.int))
    }
}
