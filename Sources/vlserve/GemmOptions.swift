import ArgumentParser
import VisionCore

extension DTypeChoice: ExpressibleByArgument {}
extension GemmBackendChoice: ExpressibleByArgument {}

/// `--dtype`, `--gemm-backend` and `--vision-threads`: the vision GEMMs' number format, library and threads,
/// shared by `serve`, `encode` and `bench-conv`.
struct GemmOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Vision GEMM number format. auto: bfloat16 when the checkpoint's weights are bf16 and "
                                + "the CPU runs bf16 natively (avx512_bf16 or amx_bf16), else float32.",
                               valueName: "dtype"))
    var dtype: DTypeChoice = .auto

    @Option(name: .customLong("gemm-backend"),
            help: ArgumentHelp("Library of the vision GEMMs. auto: openblas for float32, onednn for bfloat16.",
                               valueName: "backend"))
    var gemmBackend: GemmBackendChoice = .auto

    @Option(name: .customLong("vision-threads"),
            help: "Threads of each vision GEMM, for OpenBLAS and oneDNN alike (default: all cores).")
    var visionThreads: Int?

    func validate() throws {
        if let visionThreads, visionThreads < 1 { throw ValidationError("--vision-threads must be at least 1") }
    }

    /// Applies `--vision-threads` (or the default) and resolves dtype and backend; a combination that cannot
    /// run here is a `ValidationError` that says why and what to use.
    func resolve(weightsAreBFloat16: Bool) throws -> GemmConfiguration {
        VisionThreads.set(visionThreads ?? VisionThreads.defaultCount)
        do {
            return try GemmConfiguration.resolve(dtype: dtype, backend: gemmBackend, weightsAreBFloat16: weightsAreBFloat16)
        } catch {
            throw ValidationError(error.description)
        }
    }
}
