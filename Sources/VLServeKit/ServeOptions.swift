import Engine
import NetIO
import VisionCore

/// Everything `vlserve serve` configures, before anything is loaded.
public struct ServeOptions: Sendable {
    public var server: ServerConfiguration
    public var app: AppConfiguration
    public var engine: EngineConfiguration
    /// Directory with `config.json` and optionally `preprocessor_config.json` and safetensors.
    public var modelDirectory: String
    /// A safetensors file or directory; nil = the model directory's, else seeded weights.
    public var weightsPath: String?
    public var convImplementation: Conv3dImplementation
    /// `--dtype` of the vision GEMMs (auto: bfloat16 for bf16 weights on a CPU with native bf16).
    public var dtype: DTypeChoice = .auto
    /// `--gemm-backend` of the vision GEMMs (auto: openblas for float32, onednn for bfloat16).
    public var gemmBackend: GemmBackendChoice = .auto
    /// `--vision-encoder full`: the whole vision tower with these operators (their `gemm` is replaced by the
    /// resolved `--dtype`/`--gemm-backend`); nil runs the patch embedding only (`--conv-impl`).
    public var tower: VisionTowerOptions?
    /// Overrides the preprocessor's `max_pixels` (the resize budget) when set.
    public var maxPixels: Int?
    /// Overrides the preprocessor's `min_pixels` when set.
    public var minPixels: Int?
    public var preprocessThreads: Int
    /// Least seconds between two `malloc_trim(0)` calls when the engine goes idle; 0 disables (5).
    public var memoryTrimInterval: Double
    /// Directory (or file) with the `tokenizer.json` to use (`--tokenizer`); nil = the model directory's, if any.
    public var tokenizerPath: String? = nil

    public init(server: ServerConfiguration, app: AppConfiguration, engine: EngineConfiguration, modelDirectory: String,
                weightsPath: String?, convImplementation: Conv3dImplementation, maxPixels: Int?, minPixels: Int?,
                preprocessThreads: Int, memoryTrimInterval: Double = 5) {
        self.server = server
        self.app = app
        self.engine = engine
        self.modelDirectory = modelDirectory
        self.weightsPath = weightsPath
        self.convImplementation = convImplementation
        self.maxPixels = maxPixels
        self.minPixels = minPixels
        self.preprocessThreads = preprocessThreads
        self.memoryTrimInterval = memoryTrimInterval
    }
}
