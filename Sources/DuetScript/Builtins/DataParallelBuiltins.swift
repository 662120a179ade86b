import DuetNN
import DuetTensor

/// `torch.nn.parallel.DistributedDataParallel` (DDP) in the language: the engine's
/// `DistributedDataParallel` module, its `no_sync()` context, and calls that pass any
/// arguments through to the wrapped model (docs/language.md, "Distributed").
enum DataParallelBuiltins {
    static func namespace() -> Namespace {
        let ns = Namespace("torch.nn.parallel")
        ns.function("DistributedDataParallel(module, device_ids=None, output_device=None, dim=0, broadcast_buffers=True, process_group=None, bucket_cap_mb=25, find_unused_parameters=False, check_reduction=False, gradient_as_bucket_view=False, static_graph=False, overlap=True)",
                    "module on every rank, its gradients averaged across ranks during backward, bucket by bucket (overlap=False reduces after backward instead).") { b, _ in
            guard case .object(let m as ModuleObject) = try b.value("module") else {
                throw ScriptError(.type, "DistributedDataParallel(): module must be an nn.Module, got \(try b.value("module").typeName)")
            }
            return .object(ModuleObject(try DistributedDataParallel(
                m.module, bucketCapMB: try b.double("bucket_cap_mb"), broadcastBuffers: try b.bool("broadcast_buffers"), overlap: try b.bool("overlap"))))
        }
        return ns
    }

    /// DDP's own attributes, beside nn.Module's.
    static func attribute(_ ddp: DistributedDataParallel, _ name: String) -> Value? {
        switch name {
        case "no_sync":
            .object(BuiltinFunction("no_sync()", "A context in which backward accumulates gradients without averaging them across ranks.") { _, _ in
                .object(NoSyncContext(ddp))
            })
        case "bucket_sizes":
            .list(ListObject(ddp.buckets.map { .int($0.count) }))
        default: nil
        }
    }
}

/// `with ddp.no_sync():` — gradient accumulation without communication; the first backward
/// after the block averages the accumulated sum.
final class NoSyncContext: ContextObject {
    let ddp: DistributedDataParallel
    init(_ ddp: DistributedDataParallel) { self.ddp = ddp }
    override var typeName: String { "no_sync" }
    override func run(_ body: () throws -> Flow) throws -> Flow {
        let previous = ddp.synchronizeGradients
        ddp.synchronizeGradients = false
        defer { ddp.synchronizeGradients = previous }
        return try body()
    }
}
