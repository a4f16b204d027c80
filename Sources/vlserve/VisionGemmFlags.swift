import ArgumentParser
import VisionCore

/// `--dtype` and `--gemm-backend` for the vision GEMMs (resolved by `GemmConfiguration.resolve`).
struct VisionGemmFlags: ParsableArguments {
    @Option(help: "Vision GEMM dtype: auto (bfloat16 for a BF16 checkpoint on a CPU with native bf16, else float32), float32 or bfloat16.")
    var dtype: DTypeChoice = .auto

    @Option(name: .customLong("gemm-backend"),
            help: "Vision GEMM library: auto (openblas for float32, onednn for bfloat16), openblas or onednn.")
    var gemmBackend: GemmBackendChoice = .auto

    func resolve(weightsAreBFloat16: Bool) throws -> GemmConfiguration {
        try GemmConfiguration.resolve(dtype: dtype, backend: gemmBackend, weightsAreBFloat16: weightsAreBFloat16)
    }
}
