import CKernels

/// The one thread policy of the vision GEMMs: both libraries (OpenBLAS's pthreads pool and oneDNN's
/// OpenMP team) use the same count, `--vision-threads` (default: the number of cores), and only one of
/// them is used per GEMM. Image decoding has its own workers (`--preprocess-threads`) and the HTTP event
/// loops their own threads; on 2 cores all of them share the cores, and the engine thread runs the GEMMs
/// one at a time, so the BLAS teams never run together.
public enum VisionThreads {
    nonisolated(unsafe) private static var stored = 0

    /// Threads each GEMM uses; 0 until `set` (then OpenBLAS's own default and the core count for oneDNN).
    public static var count: Int {
        let value = stored
        return value > 0 ? value : defaultCount
    }

    /// The default: the cores this process may run on.
    public static var defaultCount: Int { max(1, BLAS.threads) }

    /// Sets the count for OpenBLAS (`openblas_set_num_threads`) and oneDNN (OpenMP, per call). Call once at
    /// start-up, before any GEMM runs.
    public static func set(_ count: Int) {
        let value = max(1, count)
        stored = value
        BLAS.setThreads(value)
        vl_omp_set_threads(Int32(value))
    }
}
