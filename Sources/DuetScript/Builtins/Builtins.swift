/// Builds the names a script starts with: Python's builtins, every registry op (generated from
/// `Ops.all`), tensor creation, NN layers, losses, optimizers, data, training helpers — flat at
/// the top level and under PyTorch's module paths (`torch.`, `nn.`, `F.`, `optim.`).
enum Builtins {
    /// Where a name is published.
    struct Places: OptionSet {
        let rawValue: Int
        static let flat = Places(rawValue: 1)
        static let torch = Places(rawValue: 2)
        static let nn = Places(rawValue: 4)
        static let functional = Places(rawValue: 8)
        static let optim = Places(rawValue: 16)
        static let scheduler = Places(rawValue: 32)
        static let data = Places(rawValue: 64)
        static let datasets = Places(rawValue: 128)
        /// A tensor method (`TensorAPI`).
        static let method = Places(rawValue: 256)
    }

    /// Collects definitions; later ones replace earlier ones of the same name in the same place,
    /// which is how hand-written API functions refine the generated registry ones.
    final class Registrar {
        let interp: Interpreter
        let torch = Namespace("torch")
        let nn = Namespace("torch.nn")
        let functional = Namespace("torch.nn.functional")
        let optim = Namespace("torch.optim")
        let scheduler = Namespace("torch.optim.lr_scheduler")
        let data = Namespace("torch.utils.data")
        let datasets = Namespace("datasets")

        init(_ interp: Interpreter) { self.interp = interp }

        func add(_ name: String, _ value: Value, _ places: Places) {
            if places.contains(.flat) { interp.define(name, value) }
            if places.contains(.torch) { torch.add(name, value) }
            if places.contains(.nn) { nn.add(name, value) }
            if places.contains(.functional) { functional.add(name, value) }
            if places.contains(.optim) { optim.add(name, value) }
            if places.contains(.scheduler) { scheduler.add(name, value) }
            if places.contains(.data) { data.add(name, value) }
            if places.contains(.datasets) { datasets.add(name, value) }
        }

        /// A function declared by its PyTorch signature, which names it, binds its calls and is its help.
        func function(_ signature: Signature, _ doc: String, _ places: Places,
                      _ body: @escaping (BoundArguments, Interpreter) throws -> Value) {
            add(signature.name, .object(BuiltinFunction(signature, doc, body)), places)
        }

        /// A class (a layer, a loss, an optimizer…) declared by its constructor's signature.
        func type(_ signature: Signature, _ doc: String, _ places: Places,
                  _ construct: @escaping (BoundArguments, Interpreter) throws -> Value) {
            add(signature.name, .object(TypeObject(signature, doc: doc, construct)), places)
        }
    }

    static func install(into interp: Interpreter) {
        let r = Registrar(interp)
        OpBuiltins.register(r)
        TensorCreation.register(r)
        TensorFunctions.register(r)
        MathFunctions.register(r)
        TensorJoinAPI.register(r)
        TensorIndexingAPI.register(r)
        TensorSortingAPI.register(r)
        TensorHelpersAPI.register(r)
        SizeObject.register(r)
        Contexts.register(r)
        NNBuiltins.register(r)
        LossBuiltins.register(r)
        OptimBuiltins.register(r)
        DataBuiltins.register(r)
        TrainingBuiltins.register(r)
        GraphBuiltins.register(r)
        OnnxBuiltins.register(r)
        Checkpoint.register(r)
        Help.register(r)
        ClassBuiltins.register(r)
        // Last, so that flat `sum`, `abs`, `pow`… are Python's (they handle tensors too).
        PythonBuiltins.register(r)

        let utils = Namespace("torch.utils")
        utils.add("data", .object(r.data))
        r.nn.add("functional", .object(r.functional))
        r.optim.add("lr_scheduler", .object(r.scheduler))
        let autograd = TensorFunctions.autograd()
        autograd.add("Function", .object(interp.classes.autogradFunction))
        // Pasted code often asks for a GPU first: there is none.
        let cuda = Namespace("torch.cuda")
        cuda.add("is_available", .object(BuiltinFunction("is_available()", "False: Duet runs on the CPU.") { _, _ in .bool(false) }))
        cuda.add("device_count", .object(BuiltinFunction("device_count()", "0: Duet runs on the CPU.") { _, _ in .int(0) }))
        r.torch.add("cuda", .object(cuda))
        let profiler = Namespace("torch.profiler")
        if let profile = interp.builtins["profile"] { profiler.add("profile", profile) }
        profiler.function("record_function(name)", "A context that labels the ops it runs as `name` in the profiler (Duet's record).") { b, _ in
            .object(RecordContext(try b.string("name")))
        }
        let linalg = MathFunctions.linalg()
        let distributed = DistributedBuiltins.namespace()
        let onnx = OnnxBuiltins.namespace()
        let dataDistributed = Namespace("torch.utils.data.distributed")
        DistributedSamplerObject.register(dataDistributed)
        r.data.add("distributed", .object(dataDistributed))
        r.data.add("DistributedSampler", dataDistributed.members["DistributedSampler"] ?? .none)
        for (name, ns) in [("nn", r.nn), ("optim", r.optim), ("utils", utils), ("autograd", autograd), ("profiler", profiler), ("linalg", linalg),
                           ("distributed", distributed), ("onnx", onnx)] {
            r.torch.add(name, .object(ns))
        }
        let nnUtils = Namespace("torch.nn.utils")
        for name in ParameterUtilsBuiltins.names { if let f = interp.builtins[name] { nnUtils.add(name, f) } }
        r.nn.add("utils", .object(nnUtils))
        let nnInit = InitBuiltins.namespace()
        r.nn.add("init", .object(nnInit))
        let nnParallel = DataParallelBuiltins.namespace()
        r.nn.add("parallel", .object(nnParallel))
        let math = MathModule.make()
        let time = MathModule.makeTime()
        let modules: [(String, Namespace)] = [
            ("torch", r.torch), ("torch.nn", r.nn), ("torch.nn.functional", r.functional), ("torch.optim", r.optim),
            ("torch.optim.lr_scheduler", r.scheduler), ("torch.utils", utils), ("torch.utils.data", r.data),
            ("math", math), ("time", time), ("torch.autograd", autograd), ("torch.nn.utils", nnUtils), ("torch.profiler", profiler),
            ("torch.linalg", linalg), ("torch.distributed", distributed), ("torch.utils.data.distributed", dataDistributed),
            ("torch.nn.init", nnInit), ("torch.nn.parallel", nnParallel), ("torch.onnx", onnx),
        ]
        for (name, ns) in modules { interp.defineModule(name, .object(ns)) }
        OSModule.install(into: interp)
        NumpyModule.install(into: interp)
        // Pasted PyTorch code imports these; the workbench also offers them without an import.
        for (name, ns) in [("torch", r.torch), ("nn", r.nn), ("F", r.functional), ("optim", r.optim), ("datasets", r.datasets), ("math", math)] {
            interp.define(name, .object(ns))
        }
    }
}
