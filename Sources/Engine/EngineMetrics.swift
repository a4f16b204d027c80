import Observability

/// The engine's Prometheus metrics: vLLM's names, types and buckets (`vllm/v1/metrics/loggers.py`;
/// openai-api.md §6.1), labelled `model_name` and `engine="0"`, plus VLServe's own `vlserve:*`
/// image and vision-encoder metrics (the encoder ones labelled by the encoder: `conv_impl`, `gemm_backend`, `dtype`).
public final class EngineMetrics: Sendable {
    public static let ttftBuckets: [Double] = [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75,
                                               1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0, 160.0, 640.0, 2560.0]
    public static let itlBuckets: [Double] = [0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75,
                                              1.0, 2.5, 5.0, 7.5, 10.0, 20.0, 40.0, 80.0]
    public static let requestLatencyBuckets: [Double] = [0.3, 0.5, 0.8, 1.0, 1.5, 2.0, 2.5, 5.0, 10.0, 15.0, 20.0,
                                                         30.0, 40.0, 50.0, 60.0, 120.0, 240.0, 480.0, 960.0,
                                                         1920.0, 7680.0]
    public static let iterationTokenBuckets: [Double] = [1, 8, 16, 32, 64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384]
    public static let paramsNBuckets: [Double] = [1, 2, 5, 10, 20]
    /// VLServe's buckets for image and encoder times, in seconds.
    public static let visionSecondsBuckets: [Double] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25,
                                                        0.5, 1.0, 2.5, 5.0, 10.0]
    /// VLServe's buckets for patches per encoder batch.
    public static let patchBuckets: [Double] = [64, 256, 1024, 2048, 4096, 8192, 16384, 32768, 65536]

    /// vLLM's `build_1_2_5_buckets(max_value)`: 1, 2, 5, 10, 20, 50, ... ≤ maxValue.
    public static func oneTwoFiveBuckets(upTo maxValue: Int) -> [Double] {
        var result: [Double] = []
        var exponent = 1.0
        while true {
            for mantissa in [1.0, 2.0, 5.0] {
                let value = mantissa * exponent
                if value > Double(maxValue) { return result }
                result.append(value)
            }
            exponent *= 10
        }
    }

    public let registry: MetricsRegistry
    public let running: Gauge
    public let waiting: Gauge
    public let kvCacheUsage: Gauge
    public let promptTokens: Counter
    public let generationTokens: Counter
    public let preemptions: Counter
    public let successStop: Counter
    public let successLength: Counter
    public let successAbort: Counter
    public let successError: Counter
    public let timeToFirstToken: Histogram
    public let interTokenLatency: Histogram
    public let timePerOutputToken: Histogram
    public let e2eLatency: Histogram
    public let queueTime: Histogram
    public let inferenceTime: Histogram
    public let prefillTime: Histogram
    public let decodeTime: Histogram
    public let requestPromptTokens: Histogram
    public let requestGenerationTokens: Histogram
    public let requestMaxTokensParam: Histogram
    public let requestParamsN: Histogram
    public let iterationTokens: Histogram
    /// Per request: image fetch + decode + preprocess time (seconds).
    public let imagePreprocessTime: Histogram
    /// Per request with images: time waiting for an image worker thread (seconds).
    public let imageQueueTime: Histogram
    /// Requests refused before the engine (`reason` = queue_full).
    public let rejectedQueueFull: Counter
    /// TTFT breakdown, observed at the first token of every request (seconds): arrival to `Engine.submit`
    /// minus the image queue and preprocessing (parsing, chat template, tokenization).
    public let receiveParseTime: Histogram
    /// TTFT breakdown: `Engine.submit` to admission, i.e. waiting for the engine thread to finish its
    /// current step, then in the scheduler's waiting queue (`vllm:request_queue_time_seconds` is the latter).
    public let engineQueueTime: Histogram
    /// TTFT breakdown: admission to the end of the simulated prefill, minus the vision encoder call
    /// (vLLM's `request_prefill_time` minus the encoder and the first decode step). For a request whose images
    /// all came with their encoder output (image-cache hits) its own encoder time is 0, so this phase includes
    /// any encoder call the step ran for other requests admitted with it.
    public let prefillAfterEncoderTime: Histogram
    /// TTFT breakdown: end of the simulated prefill to the first token (the decode part of the step that
    /// the new sequence shares with the running batch, and sampling).
    public let firstDecodeStepTime: Histogram
    /// Labels of the encoder metrics (from `VisionEncoder.metricLabels`).
    public let encoderLabels: [(String, String)]
    /// `model_name` and `engine`, the labels every metric carries.
    public let baseLabels: [(String, String)]
    /// Per vision-encoder call (all images admitted in a step; seconds), labelled by `encoderLabels`.
    public let encoderBatchTime: Histogram
    /// Patch rows per encoder call, labelled by `encoderLabels`.
    public let encoderBatchPatches: Histogram
    /// Per request with images: the time of the encoder call that encoded its images (seconds; 0 when every image
    /// came with its encoder output from the image cache), labelled by `encoderLabels`.
    public let requestEncoderTime: Histogram
    public let encodedImages: Counter
    public let encodedPatches: Counter

    /// Registers everything in `registry`. `encoderLabels` label the encoder metrics (`conv_impl`,
    /// `gemm_backend`, `dtype`; none without an encoder).
    public init(registry: MetricsRegistry, modelName: String, maxModelLen: Int, encoderLabels: [(String, String)]) {
        self.registry = registry
        self.encoderLabels = encoderLabels
        let base = [("model_name", modelName), ("engine", "0")]
        let r = registry
        running = r.gauge("vllm:num_requests_running", help: "Number of requests in model execution batches.", labels: base)
        waiting = r.gauge("vllm:num_requests_waiting", help: "Number of requests waiting to be processed.", labels: base)
        kvCacheUsage = r.gauge("vllm:kv_cache_usage_perc", help: "KV-cache usage. 1 means 100 percent usage.", labels: base)
        promptTokens = r.counter("vllm:prompt_tokens", help: "Number of prefill tokens processed.", labels: base)
        generationTokens = r.counter("vllm:generation_tokens", help: "Number of generation tokens processed.", labels: base)
        preemptions = r.counter("vllm:num_preemptions", help: "Cumulative number of preemption from the engine.", labels: base)
        let successHelp = "Count of successfully processed requests."
        successStop = r.counter("vllm:request_success", help: successHelp, labels: base + [("finished_reason", "stop")])
        successLength = r.counter("vllm:request_success", help: successHelp, labels: base + [("finished_reason", "length")])
        successAbort = r.counter("vllm:request_success", help: successHelp, labels: base + [("finished_reason", "abort")])
        successError = r.counter("vllm:request_success", help: successHelp, labels: base + [("finished_reason", "error")])
        timeToFirstToken = r.histogram("vllm:time_to_first_token_seconds", help: "Histogram of time to first token in seconds.",
                                       buckets: Self.ttftBuckets, labels: base)
        interTokenLatency = r.histogram("vllm:inter_token_latency_seconds", help: "Histogram of inter-token latency in seconds.",
                                        buckets: Self.itlBuckets, labels: base)
        timePerOutputToken = r.histogram("vllm:request_time_per_output_token_seconds",
                                         help: "Histogram of time_per_output_token_seconds per request.",
                                         buckets: Self.itlBuckets, labels: base)
        e2eLatency = r.histogram("vllm:e2e_request_latency_seconds", help: "Histogram of e2e request latency in seconds.",
                                 buckets: Self.requestLatencyBuckets, labels: base)
        queueTime = r.histogram("vllm:request_queue_time_seconds", help: "Histogram of time spent in WAITING phase for request.",
                                buckets: Self.requestLatencyBuckets, labels: base)
        inferenceTime = r.histogram("vllm:request_inference_time_seconds", help: "Histogram of time spent in RUNNING phase for request.",
                                    buckets: Self.requestLatencyBuckets, labels: base)
        prefillTime = r.histogram("vllm:request_prefill_time_seconds", help: "Histogram of time spent in PREFILL phase for request.",
                                  buckets: Self.requestLatencyBuckets, labels: base)
        decodeTime = r.histogram("vllm:request_decode_time_seconds", help: "Histogram of time spent in DECODE phase for request.",
                                 buckets: Self.requestLatencyBuckets, labels: base)
        let tokenBuckets = Self.oneTwoFiveBuckets(upTo: maxModelLen)
        requestPromptTokens = r.histogram("vllm:request_prompt_tokens", help: "Number of prefill tokens processed.",
                                          buckets: tokenBuckets, labels: base)
        requestGenerationTokens = r.histogram("vllm:request_generation_tokens", help: "Number of generation tokens processed.",
                                              buckets: tokenBuckets, labels: base)
        requestMaxTokensParam = r.histogram("vllm:request_params_max_tokens", help: "Histogram of the max_tokens request parameter.",
                                            buckets: tokenBuckets, labels: base)
        requestParamsN = r.histogram("vllm:request_params_n", help: "Histogram of the n request parameter.",
                                     buckets: Self.paramsNBuckets, labels: base)
        iterationTokens = r.histogram("vllm:iteration_tokens_total", help: "Histogram of number of tokens per engine_step.",
                                      buckets: Self.iterationTokenBuckets, labels: base)
        imagePreprocessTime = r.histogram("vlserve:request_image_preprocess_seconds",
                                          help: "Per request: time fetching, decoding and preprocessing its images, in seconds.",
                                          buckets: Self.visionSecondsBuckets, labels: base)
        imageQueueTime = r.histogram("vlserve:request_image_queue_seconds",
                                     help: "Per request with images: time waiting for an image worker thread, in seconds.",
                                     buckets: Self.visionSecondsBuckets, labels: base)
        rejectedQueueFull = r.counter("vlserve:requests_rejected", help: "Requests refused with 503 before reaching the engine.",
                                      labels: base + [("reason", "queue_full")])
        receiveParseTime = r.histogram("vlserve:request_receive_parse_seconds",
                                       help: "Per request, at its first token: arrival to engine submit minus image queue and preprocessing, in seconds.",
                                       buckets: Self.visionSecondsBuckets, labels: base)
        engineQueueTime = r.histogram("vlserve:request_engine_queue_seconds",
                                      help: "Per request, at its first token: engine submit to admission (engine inbox and waiting queue), in seconds.",
                                      buckets: Self.requestLatencyBuckets, labels: base)
        prefillAfterEncoderTime = r.histogram("vlserve:request_prefill_after_encoder_seconds",
                                              help: "Per request, at its first token: admission to end of prefill minus the vision encoder, in seconds.",
                                              buckets: Self.visionSecondsBuckets, labels: base)
        firstDecodeStepTime = r.histogram("vlserve:request_first_decode_step_seconds",
                                          help: "Per request, at its first token: end of prefill to the first token, in seconds.",
                                          buckets: Self.visionSecondsBuckets, labels: base)
        let conv = base + encoderLabels
        self.baseLabels = base
        encoderBatchTime = r.histogram("vlserve:vision_encoder_batch_seconds",
                                       help: "Time of one batched patch-embedding call (all images admitted in a step), in seconds.",
                                       buckets: Self.visionSecondsBuckets, labels: conv)
        encoderBatchPatches = r.histogram("vlserve:vision_encoder_batch_patches", help: "Patch rows per batched patch-embedding call.",
                                          buckets: Self.patchBuckets, labels: conv)
        requestEncoderTime = r.histogram("vlserve:request_vision_encoder_seconds",
                                         help: "Per request: time of the patch-embedding batch that encoded its images, in seconds.",
                                         buckets: Self.visionSecondsBuckets, labels: conv)
        encodedImages = r.counter("vlserve:vision_encoder_images", help: "Images encoded by the patch embedding.", labels: conv)
        encodedPatches = r.counter("vlserve:vision_encoder_patches", help: "Patch rows encoded by the patch embedding.", labels: conv)
    }

    /// Records a finished request's reason.
    func recordFinish(_ reason: EngineFinishReason) {
        switch reason {
        case .stop: successStop.increment()
        case .length: successLength.increment()
        case .abort: successAbort.increment()
        case .error: successError.increment()
        }
    }
}
