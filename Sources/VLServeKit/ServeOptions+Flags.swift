import Engine
import Foundation
import NetIO
import Observability
import VisionCore

extension ServeOptions {
    /// The server's configuration for `vlserve serve`'s flags, after `flags.validate()`.
    /// - Parameters:
    ///   - environment: read for `VLSERVE_API_KEY` (the API key when `--api-key` is not given).
    ///   - logger: the HTTP transport's warnings go to it, labelled `http`.
    ///   - createdAt: UNIX seconds, `created` of `/v1/models` (default: now).
    public init(flags: ServeFlags, environment: [String: String], logger: Logger,
                createdAt: Int = Int(Date().timeIntervalSince1970)) throws(FlagValueError) {
        try flags.validate()
        var keys = flags.apiKeys
        if keys.isEmpty, let environment = environment["VLSERVE_API_KEY"], !environment.isEmpty {
            keys = [environment]
        }
        let media = MediaOptions(allowedLocalMediaPath: flags.allowedLocalMediaPath,
                                 allowedMediaDomains: flags.allowedMediaDomains,
                                 fetchTimeoutSeconds: flags.mediaFetchTimeout, maxMediaBytes: flags.maxMediaBytes,
                                 maxDecodedPixels: flags.maxImageDecodePixels)
        let names = flags.servedModelNames.isEmpty ? [(flags.modelDirectory as NSString).lastPathComponent]
                                                   : flags.servedModelNames
        let app = AppConfiguration(servedModelNames: names,
                                   modelRoot: flags.modelRoot
                                       ?? AppConfiguration.defaultModelRoot(modelDirectory: flags.modelDirectory),
                                   maxModelLen: flags.maxModelLen,
                                   maxImagesPerPrompt: try AppConfiguration.imageLimit(parsing: flags.limitMMPerPrompt),
                                   apiKeys: keys, media: media,
                                   mmProcessorCacheGiB: try AppConfiguration.cacheGiB(parsing: flags.mmProcessorCacheGB),
                                   createdAt: createdAt)
        let engine = EngineConfiguration(modelName: names[0], maxNumSeqs: flags.maxNumSeqs,
                                         maxNumBatchedTokens: flags.maxNumBatchedTokens,
                                         maxPatchesPerStep: flags.maxPatchesPerStep,
                                         maxWaitingRequests: flags.maxWaitingRequests, maxModelLen: flags.maxModelLen,
                                         costModel: CostModel(decodeStepMs: flags.decodeStepMs,
                                                              perSequenceMs: flags.perSequenceMs,
                                                              prefillMsPer1kTokens: flags.prefillMsPer1kTokens),
                                         eosInterval: flags.eosInterval, blockSize: flags.blockSize,
                                         kvCacheBlocks: flags.kvCacheBlocks)
        let httpLogger = logger.with(label: "http")
        let server = ServerConfiguration(host: flags.host, port: flags.port,
                                         eventLoopCount: flags.eventLoops ?? ServerConfiguration.onlineCores,
                                         peerEOFWhileResponding: flags.peerEOFWhileResponding,
                                         log: { line in httpLogger.warning(line) })
        self.init(server: server, app: app, engine: engine, modelDirectory: flags.modelDirectory,
                  weightsPath: flags.weights, convImplementation: flags.convImplementation, maxPixels: flags.maxPixels,
                  minPixels: flags.minPixels, preprocessThreads: flags.imageThreads ?? ServerConfiguration.onlineCores,
                  memoryTrimInterval: flags.memoryTrimInterval)
        dtype = flags.dtype
        gemmBackend = flags.gemmBackend
        tokenizerPath = flags.tokenizer
        if flags.visionEncoder == .full { tower = flags.towerOperators }   // its `gemm` is set by `VLServer.load`
    }
}
