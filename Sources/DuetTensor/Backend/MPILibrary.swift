#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Open MPI, loaded with dlopen the first time a process group starts under `mpirun` (issue #18).
///
/// Not linked at build time: a build then needs no MPI headers, `make run` installs nothing for
/// it, and a single process never loads it. MPI's handles (`MPI_COMM_WORLD`, `MPI_FLOAT`,
/// `MPI_SUM`) are C macros Swift cannot import; in Open MPI they are the addresses of exported
/// globals (`ompi_mpi_comm_world`, …), which dlsym finds, and `MPI_IN_PLACE` is `(void *) 1`.
final class MPILibrary: @unchecked Sendable {
    typealias Handle = UnsafeMutableRawPointer
    private typealias InitFn = @convention(c) (UnsafeMutablePointer<Int32>?, UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>?) -> Int32
    private typealias CommIntFn = @convention(c) (Handle, UnsafeMutablePointer<Int32>) -> Int32
    private typealias AllreduceFn = @convention(c) (UnsafeRawPointer?, UnsafeMutableRawPointer?, Int32, Handle, Handle, Handle) -> Int32
    private typealias AllgatherFn = @convention(c) (UnsafeRawPointer?, Int32, Handle, UnsafeMutableRawPointer?, Int32, Handle, Handle) -> Int32
    private typealias BcastFn = @convention(c) (UnsafeMutableRawPointer?, Int32, Handle, Int32, Handle) -> Int32
    private typealias CommFn = @convention(c) (Handle) -> Int32
    private typealias VoidFn = @convention(c) () -> Int32
    private typealias AbortFn = @convention(c) (Handle, Int32) -> Int32

    private let allreduceFn: AllreduceFn
    private let bcastFn: BcastFn
    private let allgatherFn: AllgatherFn
    private let barrierFn: CommFn
    private let finalizeFn: VoidFn
    private let abortFn: AbortFn
    let world: Handle
    private let datatypes: [DType: Handle]
    private let ops: [ReduceOp: Handle]
    let rank: Int
    let size: Int

    /// Loaded and initialized once per process; a failure is kept and rethrown.
    static let shared = Result { try MPILibrary() }

    static let candidates = ["libmpi.so.40", "libmpi.so", "/usr/lib/x86_64-linux-gnu/libmpi.so.40", "libmpi.dylib"]

    private init() throws {
        guard let handle = Self.candidates.lazy.compactMap({ dlopen($0, RTLD_NOW | RTLD_GLOBAL) }).first else {
            throw TensorError.backend("distributed: Open MPI is not installed (libmpi.so.40 not found); `make deps` installs openmpi-bin")
        }
        func address(_ name: String) throws -> Handle {
            guard let p = dlsym(handle, name) else {
                throw TensorError.backend("distributed: the loaded MPI has no \(name): Duet needs Open MPI 4")
            }
            return p
        }
        func function<F>(_ name: String, _: F.Type) throws -> F { unsafeBitCast(try address(name), to: F.self) }
        let initFn = try function("MPI_Init", InitFn.self)
        allreduceFn = try function("MPI_Allreduce", AllreduceFn.self)
        bcastFn = try function("MPI_Bcast", BcastFn.self)
        allgatherFn = try function("MPI_Allgather", AllgatherFn.self)
        barrierFn = try function("MPI_Barrier", CommFn.self)
        finalizeFn = try function("MPI_Finalize", VoidFn.self)
        abortFn = try function("MPI_Abort", AbortFn.self)
        world = try address("ompi_mpi_comm_world")
        datatypes = [.float32: try address("ompi_mpi_float"), .float64: try address("ompi_mpi_double"),
                     .int64: try address("ompi_mpi_int64_t")]
        ops = [.sum: try address("ompi_mpi_op_sum"), .max: try address("ompi_mpi_op_max"),
               .min: try address("ompi_mpi_op_min"), .product: try address("ompi_mpi_op_prod")]
        guard initFn(nil, nil) == 0 else { throw TensorError.backend("distributed: MPI_Init failed") }
        var r: Int32 = 0, s: Int32 = 0
        _ = try function("MPI_Comm_rank", CommIntFn.self)(world, &r)
        _ = try function("MPI_Comm_size", CommIntFn.self)(world, &s)
        rank = Int(r)
        size = Int(s)
    }

    private func datatype(_ dtype: DType, _ what: String) throws -> Handle {
        guard let d = datatypes[dtype] else { throw TensorError.dtype("\(what): tensors of dtype \(dtype) cannot be sent (float32, float64 and int64 can)") }
        return d
    }

    private static func check(_ code: Int32, _ what: String) throws {
        guard code == 0 else { throw TensorError.backend("\(what): MPI returned error \(code)") }
    }

    /// Reduces `count` elements at `buffer` across all ranks, in place.
    func allReduce(_ buffer: UnsafeMutableRawPointer, count: Int, dtype: DType, op: ReduceOp) throws {
        guard let mpiOp = ops[op] else { throw TensorError.value("all_reduce: op \(op) has no MPI form") }
        let inPlace = UnsafeRawPointer(bitPattern: 1)
        try Self.check(allreduceFn(inPlace, buffer, try Self.count(count), try datatype(dtype, "all_reduce"), mpiOp, world), "all_reduce")
    }

    /// Sends `count` elements at `buffer` from rank `root` to every rank.
    func broadcast(_ buffer: UnsafeMutableRawPointer, count: Int, dtype: DType, root: Int) throws {
        try Self.check(bcastFn(buffer, try Self.count(count), try datatype(dtype, "broadcast"), Int32(root), world), "broadcast")
    }

    /// Every rank's `count` elements at `send`, concatenated in rank order at `receive`.
    func allGather(_ send: UnsafeRawPointer, into receive: UnsafeMutableRawPointer, count: Int, dtype: DType) throws {
        let type = try datatype(dtype, "all_gather"), n = try Self.count(count)
        try Self.check(allgatherFn(send, n, type, receive, n, type, world), "all_gather")
    }

    func barrier() throws { try Self.check(barrierFn(world), "barrier") }

    func finalize() { _ = finalizeFn() }

    /// Ends every rank of the job (mpirun kills the others), so that ranks waiting in a
    /// collective for this one do not wait forever.
    func abort(_ code: Int32) { _ = abortFn(world, code) }

    /// MPI counts are 32-bit.
    private static func count(_ n: Int) throws -> Int32 {
        guard let c = Int32(exactly: n) else { throw TensorError.value("distributed: \(n) elements exceed MPI's 32-bit count") }
        return c
    }
}
