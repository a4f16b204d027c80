import Engine
import Foundation
import NetIO
import Observability
import Testing
import VisionCore
@testable import VLServeKit

/// `vlserve serve`'s flag checks and the configuration built from the flags (`ServeFlags`, `ServeOptions(flags:)`).
@Suite struct ServeFlagsTests {
    private func options(_ flags: ServeFlags, environment: [String: String] = [:]) throws -> ServeOptions {
        try ServeOptions(flags: flags, environment: environment, logger: .silent(), createdAt: 1_700_000_000)
    }

    @Test func theDefaultsServe() throws {
        let o = try options(ServeFlags())
        #expect(o.server.host == "127.0.0.1")
        #expect(o.server.port == 8000)
        #expect(o.server.peerEOFWhileResponding == .abort)
        #expect(o.server.eventLoopCount == ServerConfiguration.onlineCores)
        #expect(o.app.servedModelNames == ["qwen2.5-vl-7b"])
        #expect(o.app.modelRoot == "Qwen/Qwen2.5-VL-7B-Instruct")
        #expect(o.app.maxImagesPerPrompt == 999)
        #expect(o.app.mmProcessorCacheGiB == AppConfiguration.defaultMMProcessorCacheGiB)
        #expect(o.app.createdAt == 1_700_000_000)
        #expect(o.app.apiKeys.isEmpty)
        #expect(o.engine.modelName == "qwen2.5-vl-7b")
        #expect(o.engine.maxNumSeqs == 256)
        #expect(o.engine.maxModelLen == 32768)
        #expect(o.engine.costModel.decodeStepMs == CostModel.defaultDecodeStepMs)
        #expect(o.modelDirectory == "models/qwen2.5-vl-7b")
        #expect(o.convImplementation == .auto)
        #expect(o.dtype == .auto && o.gemmBackend == .auto)
        #expect(o.tower == nil)
        #expect(o.preprocessThreads == ServerConfiguration.onlineCores)
        #expect(o.memoryTrimInterval == 5)
        #expect(ServeFlags().drainDuration == .seconds(30))
        #expect(ServeFlags().readinessGraceDuration == .zero)
    }

    @Test func valuesReachTheirConfiguration() throws {
        var f = ServeFlags()
        f.modelDirectory = "/models/custom/"
        f.port = 0
        f.eventLoops = 3
        f.imageThreads = 2
        f.peerEOFWhileResponding = .finishResponse
        f.limitMMPerPrompt = "{\"image\": 2}"
        f.mmProcessorCacheGB = "0"
        f.maxModelLen = 4096
        f.decodeStepMs = 0
        f.perSequenceMs = 0.5
        f.maxPixels = 1_000_000
        f.tokenizer = "/tok"
        f.drainTimeout = 1.5
        let o = try options(f)
        #expect(o.app.servedModelNames == ["custom"])
        #expect(o.app.modelRoot == "/models/custom/")
        #expect(o.server.port == 0 && o.server.eventLoopCount == 3)
        #expect(o.server.peerEOFWhileResponding == .finishResponse)
        #expect(o.preprocessThreads == 2)
        #expect(o.app.maxImagesPerPrompt == 2)
        #expect(o.app.mmProcessorCacheGiB == 0)
        #expect(o.app.maxModelLen == 4096 && o.engine.maxModelLen == 4096)
        #expect(o.engine.costModel.decodeStepMs == 0 && o.engine.costModel.perSequenceMs == 0.5)
        #expect(o.maxPixels == 1_000_000 && o.minPixels == nil)
        #expect(o.tokenizerPath == "/tok")
        #expect(f.drainDuration == .milliseconds(1500))
    }

    @Test func servedNamesAndRootWhenGiven() throws {
        var f = ServeFlags()
        f.servedModelNames = ["a", "b"]
        f.modelRoot = "org/model"
        let o = try options(f)
        #expect(o.app.servedModelNames == ["a", "b"])
        #expect(o.engine.modelName == "a")
        #expect(o.app.modelRoot == "org/model")
    }

    @Test func theAPIKeyComesFromTheEnvironmentOnlyWithoutTheFlag() throws {
        #expect(try options(ServeFlags(), environment: ["VLSERVE_API_KEY": "env"]).app.apiKeys == ["env"])
        #expect(try options(ServeFlags(), environment: ["VLSERVE_API_KEY": ""]).app.apiKeys.isEmpty)
        var f = ServeFlags()
        f.apiKeys = ["k1", "k2"]
        #expect(try options(f, environment: ["VLSERVE_API_KEY": "env"]).app.apiKeys == ["k1", "k2"])
    }

    @Test func theFullEncoderGetsTheTowerOperators() throws {
        var f = ServeFlags()
        f.visionEncoder = .full
        f.towerOperators = VisionTowerOptions(attention: .reference, rotary: .table, norm: .fused, mlp: .reference)
        let tower = try #require(try options(f).tower)
        #expect(tower == VisionTowerOptions(attention: .reference, rotary: .table, norm: .fused, mlp: .reference,
                                            gemm: .openblasFloat32))
    }

    @Test func rejectedValuesNameTheFlag() {
        func rejected(_ change: (inout ServeFlags) -> Void) -> String? {
            var f = ServeFlags()
            change(&f)
            do throws(FlagValueError) {
                try f.validate()
                return nil
            } catch {
                #expect(throws: error) { try ServeOptions(flags: f, environment: [:], logger: .silent()) }
                return error.description
            }
        }
        #expect(rejected { $0.limitMMPerPrompt = "many" }
                == "--limit-mm-per-prompt must be JSON such as '{\"image\": 4}' or a number, got 'many'")
        #expect(rejected { $0.mmProcessorCacheGB = "-1" }?.hasPrefix("--mm-processor-cache-gb must be a number of GiB") == true)
        #expect(rejected { $0.allowedLocalMediaPath = "/no/such/dir" }
                == "--allowed-local-media-path /no/such/dir is not an existing directory")
        #expect(rejected { $0.decodeStepMs = -1 } == "--decode-step-ms must be a non-negative number, got -1.0")
        #expect(rejected { $0.perSequenceMs = .nan } == "--decode-ms-per-seq must be a non-negative number, got nan")
        #expect(rejected { $0.prefillMsPer1kTokens = -2 }
                == "--prefill-ms-per-1k-tokens must be a non-negative number, got -2.0")
        #expect(rejected { $0.drainTimeout = .infinity } == "--drain-timeout must be a non-negative number, got inf")
        #expect(rejected { $0.readinessGrace = -0.5 } == "--readiness-grace must be a non-negative number, got -0.5")
        #expect(rejected { $0.memoryTrimInterval = -1 } == "--memory-trim-interval must be a non-negative number, got -1.0")
        #expect(rejected { $0.maxNumSeqs = 0 } == "--max-num-seqs must be at least 1, got 0")
        #expect(rejected { $0.maxModelLen = 0 } == "--max-model-len must be at least 1, got 0")
        #expect(rejected { $0.maxNumBatchedTokens = -3 } == "--max-num-batched-tokens must be at least 1, got -3")
        #expect(rejected { $0.maxPatchesPerStep = 0 } == "--max-patches-per-step must be at least 1, got 0")
        #expect(rejected { $0.blockSize = 0 } == "--block-size must be at least 1, got 0")
        #expect(rejected { $0.kvCacheBlocks = 0 } == "--num-gpu-blocks-override must be at least 1, got 0")
        #expect(rejected { $0.visionEncoder = .full; $0.convImplementation = .gemm }
                == "--conv-impl gemm applies to --vision-encoder patch-embed; the whole tower embeds patches with its own "
                + "exact GEMM (drop --conv-impl, or use --vision-encoder patch-embed)")
        #expect(rejected { $0.blockSize = 16; $0.kvCacheBlocks = 2; $0.maxModelLen = 33 }
                == "--max-model-len 33 is larger than the simulated KV cache holds (2 blocks x 16 tokens = 32); lower "
                + "--max-model-len or raise --num-gpu-blocks-override")
        #expect(rejected { $0.blockSize = 16; $0.kvCacheBlocks = 2; $0.maxModelLen = 32 } == nil)
        #expect(rejected { $0.visionEncoder = .full } == nil)
        #expect(rejected { $0.allowedLocalMediaPath = NSTemporaryDirectory() } == nil)
    }
}
