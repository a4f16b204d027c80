import Engine
import Foundation
import Observability
import VisionCore

extension VLServer {
    /// Loads the model directory's configs and the vision weights, logs what was loaded, and builds the server.
    public static func load(_ options: ServeOptions, logger: Logger) throws -> VLServer {
        var preprocessorConfig: PreprocessorConfig
        let preprocessorPath = (options.modelDirectory as NSString).appendingPathComponent("preprocessor_config.json")
        if FileManager.default.fileExists(atPath: preprocessorPath) {
            preprocessorConfig = try PreprocessorConfig.load(modelDirectory: options.modelDirectory)
            logger.notice("preprocessor: \(preprocessorPath)")
        } else {
            preprocessorConfig = .qwen25VLDefault
            logger.notice("preprocessor: no preprocessor_config.json in \(options.modelDirectory); using the released "
                            + "Qwen2.5-VL values (min_pixels 3136, max_pixels 12845056)")
        }
        if let maxPixels = options.maxPixels { preprocessorConfig.maxPixels = maxPixels }
        if let minPixels = options.minPixels { preprocessorConfig.minPixels = minPixels }
        try preprocessorConfig.validate()
        let (weights, description) = try VisionWeights.load(modelDirectory: options.modelDirectory,
                                                            weightsPath: options.weightsPath)
        logger.notice("weights: \(description)")
        let gemm = try GemmConfiguration.resolve(dtype: options.dtype, backend: options.gemmBackend,
                                                 weightsAreBFloat16: weights.isBFloat16)
        logger.notice("vision: \(VisionInfo.summary); \(VisionThreads.count) GEMM thread(s)")
        let encoder: any VisionEncoder
        var framesPerPatch: Int?
        if var towerOptions = options.tower {
            towerOptions.gemm = gemm
            let tower = try VisionTower(weights: VisionTowerWeights(weights), options: towerOptions)
            encoder = TowerEncoder(tower: tower)
            let kernels = tower.kernelNames(rows: 1024).sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }
            logger.notice("vision encoder: the whole tower (\(weights.config.depth) blocks, out \(weights.config.outHiddenSize)), "
                            + "\(towerOptions), dtype \(gemm.dtype.rawValue) (--dtype \(options.dtype.rawValue)); kernels: "
                            + kernels.joined(separator: ", "))
        } else {
            let patch = PatchEmbeddingEncoder(embedding: try weights.patchEmbedding(gemm: gemm),
                                              implementation: options.convImplementation)
            encoder = patch
            framesPerPatch = patch.framesPerPatch
            logger.notice("patch embedding: conv implementation \(options.convImplementation.rawValue), dtype \(gemm.dtype.rawValue) "
                            + "(--dtype \(options.dtype.rawValue)), backend \(gemm.backend.rawValue), "
                            + "[N, \(patch.embedding.inputSize)] -> [N, \(weights.config.hiddenSize)], kernel \(patch.kernelName)")
        }
        let cost = options.engine.costModel
        logger.notice("engine: max_num_seqs \(options.engine.maxNumSeqs), max_num_batched_tokens \(options.engine.maxNumBatchedTokens), "
                        + "max_patches_per_step \(options.engine.maxPatchesPerStep), max_waiting_requests \(options.engine.maxWaitingRequests), "
                        + "cost model decode_step_ms \(cost.decodeStepMs) + per_seq_ms \(cost.perSequenceMs), "
                        + "prefill_ms_per_1k_tokens \(cost.prefillMsPer1kTokens)")
        logger.notice("api: model \(options.app.servedModelNames.joined(separator: ", ")) (root \(options.app.modelRoot)), "
                        + "max_model_len \(options.app.maxModelLen), images per prompt ≤ \(options.app.maxImagesPerPrompt), "
                        + "max_pixels \(preprocessorConfig.maxPixels), auth \(options.app.apiKeys.isEmpty ? "off" : "on"), "
                        + "image threads \(options.preprocessThreads), "
                        + "memory trim \(options.memoryTrimInterval > 0 ? "every ≥ \(options.memoryTrimInterval) s when idle" : "off"), "
                        + "image cache \(options.app.mmProcessorCacheGiB > 0 ? "\(options.app.mmProcessorCacheGiB) GiB (SHA-256 keys: \(SHA256.Implementation.best.rawValue))" : "off")")
        let tokenizer = try options.loadTokenizer(logger: logger)
        var app = options.app, engine = options.engine
        app.tokenizer = tokenizer
        engine.tokenizer = tokenizer
        return try VLServer(app: app, engine: engine, server: options.server, encoder: encoder,
                            preprocessor: ImagePreprocessor(config: preprocessorConfig, framesPerPatch: framesPerPatch),
                            preprocessThreads: options.preprocessThreads,
                            memoryTrimInterval: options.memoryTrimInterval,
                            weightsIdentity: "\(weights.source)", logger: logger)
    }
}
