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
        r.add("TensorDataset", .object(TypeObject("TensorDataset", doc: "TensorDataset(*tensors)\n    Examples are the rows of tensors that share their first dim.") { a, _ in
            try a.expectPositional("TensorDataset", min: 1, max: Int.max)
            return .object(DatasetObject(try TensorDataset(try a.positional.map { try Convert.tensor($0, "TensorDataset()") })))
        }), [.flat, .data])
        let loaderParameters = ["dataset", "batch_size", "shuffle", "sampler", "batch_sampler", "num_workers", "collate_fn", "pin_memory",
                                "drop_last", "timeout", "worker_init_fn", "seed"]
        r.add("DataLoader", .object(TypeObject("DataLoader", doc: "DataLoader(dataset, batch_size=1, shuffle=False, sampler=None, batch_sampler=None, num_workers=0, collate_fn=None, pin_memory=False, drop_last=False, timeout=0, worker_init_fn=None, seed=0)\n    Batches of a data set (a TensorDataset, an (X, y) pair, or a Dataset/IterableDataset subclass); shuffled orders are seeded. Workers and pinned memory are accepted and unused: Duet loads in the calling thread.") { a, interp in
            let b = try BoundArguments(a, "DataLoader", loaderParameters, required: 1)
            let source = b.values[0] ?? .none
            let isScriptData = source.objectValue?.scriptClass != nil
            if isScriptData || b[3] != nil || b[4] != nil || b[6] != nil || (b.isGiven(1) && b.values[1]?.isNone == true) {
                return .object(try ScriptDataLoader(dataset: source, batchSize: b.isGiven(1) ? try b.optionalInt(1) : 1, shuffle: try b.bool(2, false),
                                                    dropLast: try b.bool(8, false), sampler: b[3], batchSampler: b[4], collate: b[6],
                                                    seed: try b.int(11, 0), interp))
            }
            let loader = try DataLoader(try dataset(source, interp), batchSize: try b.int(1, 1), shuffle: try b.bool(2, false),
                                        dropLast: try b.bool(8, false), seed: try b.int(11, 0))
            return .object(DataLoaderObject(loader))
        }), [.flat, .data])
        r.add("RandomSampler", .object(TypeObject("RandomSampler", doc: "RandomSampler(data_source, seed=0)\n    The indices of data_source in a new seeded order each epoch.") { a, interp in
            let b = try BoundArguments(a, "RandomSampler", ["data_source", "replacement", "num_samples", "generator", "seed"], required: 1)
            return .object(SamplerObject(count: try PythonBuiltins.length(b.values[0] ?? .none), shuffle: true, seed: try b.int(4, 0)))
        }), [.flat, .data])
        r.add("SequentialSampler", .object(TypeObject("SequentialSampler", doc: "SequentialSampler(data_source)\n    The indices of data_source in order.") { a, interp in
            let b = try BoundArguments(a, "SequentialSampler", ["data_source"], required: 1)
            return .object(SamplerObject(count: try PythonBuiltins.length(b.values[0] ?? .none), shuffle: false, seed: 0))
        }), [.flat, .data])
        let toy: [(String, String, (BoundArguments) throws -> (X: Tensor, y: Tensor))] = [
            ("spirals", "spirals(count=300, classes=2, noise=0.05, seed=0)", { b in
                try Datasets.spirals(count: try b.int(0, 300), classes: try b.int(1, 2), noise: try b.double(2, 0.05), seed: try b.int(3, 0)) }),
            ("moons", "moons(count=200, noise=0.1, seed=0)", { b in
                try Datasets.moons(count: try b.int(0, 200), noise: try b.double(1, 0.1), seed: try b.int(2, 0)) }),
            ("circles", "circles(count=200, noise=0.05, factor=0.5, seed=0)", { b in
                try Datasets.circles(count: try b.int(0, 200), noise: try b.double(1, 0.05), factor: try b.double(2, 0.5), seed: try b.int(3, 0)) }),
            ("xor", "xor(count=200, noise=0, seed=0)", { b in
                try Datasets.xor(count: try b.int(0, 200), noise: try b.double(1, 0), seed: try b.int(2, 0)) }),
            ("blobs", "blobs(count=300, centers=3, std=1, seed=0)", { b in
                try Datasets.blobs(count: try b.int(0, 300), centers: try b.int(1, 3), std: try b.double(2, 1), seed: try b.int(3, 0)) }),
            ("shapes28", "shapes28(count=10000, seed=0)", { b in
                try Datasets.shapes28(count: try b.int(0, 10_000), seed: try b.int(1, 0)) }),
        ]
        for (name, signature, make) in toy {
            let parameters = signatureNames(signature)
            r.function(name, signature, "A built-in data set (no download): returns (X, y), float32 features and int64 labels.", [.flat, .datasets]) { a, interp in
                let b = try BoundArguments(a, name, parameters)
                if let count = try b.optionalInt(0) { _ = try TensorCreation.checkedCount([count, name == "shapes28" ? 784 : 2], interp) }
                let (X, y) = try make(b)
                return .tuple([.tensor(X), .tensor(y)])
            }
        }
        r.function("load_csv", "load_csv(path, label=-1, header=None)", "Reads a CSV file of numbers: features X (float32) and the label column y.", [.flat, .datasets]) { a, _ in
            let b = try BoundArguments(a, "load_csv", ["path", "label", "header"], required: 1)
            let label: CSVColumn
            switch b[1] {
            case .str(let s)?: label = .name(s)
            case let v?: label = .index(try Convert.int(v, "load_csv(): label"))
            case nil: label = -1
            }
            let header: Bool? = try b[2].map { try Convert.bool($0, "load_csv(): header") }
            let (X, y) = try CSV.load(try b.string(0, ""), label: label, header: header)
            return .tuple([.tensor(X), .tensor(y)])
        }
    }

    /// Parameter names of a `name(a=1, b=2)` signature.
    private static func signatureNames(_ signature: String) -> [String] {
        guard let open = signature.firstIndex(of: "("), let close = signature.lastIndex(of: ")") else { return [] }
        return signature[signature.index(after: open)..<close].split(separator: ",").map {
            String($0.split(separator: "=")[0]).trimmingCharacters(in: .whitespaces)
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
