import Engine
import HTTPCore
import NetIO
import Observability
import OpenAIAPI
import TextCore

extension VLServeApp {
    // MARK: - POST /v1/chat/completions

    /// Every check that needs no image (model, image count, sampling and context length, queue bound) runs
    /// before any image is fetched, decoded or preprocessed: a request rejected for its `max_tokens` costs no
    /// image work. The context check is repeated exactly once the images' token counts are known.
    func handleChat(_ request: HTTPRequest, responder: HTTPResponder) {
        let arrival = engine.now()
        let body: ChatCompletionRequest
        let textPrompt: [Int32]
        let textSampling: SamplingParameters?   // final when the request has no image
        do throws(APIError) {
            body = try ChatCompletionRequest.decode(request.body)
            try checkModel(body.model)
            let images = body.imageCount
            if images > configuration.maxImagesPerPrompt {
                throw APIError.invalidRequest(
                    "At most \(configuration.maxImagesPerPrompt) image(s) may be provided in one prompt "
                        + "(this request has \(images); see --limit-mm-per-prompt).", param: "messages")
            }
            // Each image counted as zero `<|image_pad|>` tokens: exact without images, a lower bound with them.
            textPrompt = renderChat(body.messages, imageTokenCounts: Array(repeating: 0, count: images),
                                    addGenerationPrompt: body.addGenerationPrompt,
                                    continueFinalMessage: body.continueFinalMessage)
            if images == 0 {
                textSampling = try resolveSampling(body.sampling, promptTokens: textPrompt.count, promptParam: "messages")
            } else {
                try checkContextBeforeImages(body.sampling, textPromptTokens: textPrompt.count, imageCount: images,
                                             promptParam: "messages")
                textSampling = nil
            }
            if let error = overloaded() { throw error }
        } catch {
            log(error, request.head.path)
            responder.sendError(error, retryAfterSeconds: configuration.retryAfterSeconds)
            return
        }
        let session = makeSession(.chat, stream: body.stream, streamOptions: body.streamOptions, responder: responder,
                                  id: RequestID.chat(clientRequestID(request.head, body: body.requestID)))
        let references = Self.imageReferences(body.messages)
        if references.isEmpty, let textSampling {
            submit(EngineRequest(requestID: session.id, promptTokenIDs: textPrompt, sampling: textSampling,
                                 arrivalTime: arrival, requestedMaxTokens: body.sampling.maxTokens),
                   session: session)
            return
        }
        // The image queue starts once the request is parsed, so the TTFT breakdown counts parsing once
        // (in `vlserve:request_receive_parse_seconds`).
        let parsed = engine.now()
        let accepted = pool.submit { [self] in
            guard !session.isCancelled else { return }
            let waited = engine.now() - parsed
            do throws(APIError) {
                let prepared = try pipeline.prepare(references)
                guard !session.isCancelled else { return }
                submitChat(body, images: prepared.images, preprocessSeconds: prepared.seconds,
                           decodeSeconds: prepared.decodeSeconds, imageQueueSeconds: waited, arrival: arrival,
                           cache: prepared.cache, session: session)
            } catch {
                log(error, "/v1/chat/completions")
                session.fail(error)
            }
        }
        if !accepted { session.fail(APIError.serviceUnavailable("The server is shutting down.")) }
    }

    /// Image parts in prompt order with their request paths.
    static func imageReferences(_ messages: [ChatMessage]) -> [ImageReference] {
        var references: [ImageReference] = []
        for (i, message) in messages.enumerated() {
            for (j, part) in message.content.enumerated() {
                if case .imageURL(let url, _) = part {
                    references.append(ImageReference(url: url, param: "messages[\(i)].content[\(j)].image_url.url"))
                }
            }
        }
        return references
    }

    /// Renders Qwen's chat template with each image expanded to its token count.
    func renderChat(_ messages: [ChatMessage], imageTokenCounts: [Int], addGenerationPrompt: Bool,
                    continueFinalMessage: Bool) -> [Int32] {
        var next = 0
        let prompt = messages.map { message in
            PromptMessage(role: message.role, parts: message.content.map { part -> PromptMessage.Part in
                switch part {
                case .text(let text): return .text(text)
                case .imageURL:
                    defer { next += 1 }
                    return .image(tokenCount: imageTokenCounts[next])
                }
            })
        }
        var ids = template.render(prompt, addGenerationPrompt: addGenerationPrompt && !continueFinalMessage)
        if continueFinalMessage, ids.count >= template.turnEndCount {
            ids.removeLast(template.turnEndCount)  // leave the last turn open: drop "<|im_end|>\n"
        }
        return ids
    }

    func submitChat(_ body: ChatCompletionRequest, images: [EngineImage], preprocessSeconds: Double,
                    decodeSeconds: Double, imageQueueSeconds: Double, arrival: Double, cache: ImageCache.Outcome,
                    session: RequestSession) {
        do throws(APIError) {
            let ids = renderChat(body.messages, imageTokenCounts: images.map(\.tokenCount),
                                 addGenerationPrompt: body.addGenerationPrompt,
                                 continueFinalMessage: body.continueFinalMessage)
            let sampling = try resolveSampling(body.sampling, promptTokens: ids.count, promptParam: "messages")
            var request = EngineRequest(requestID: session.id, promptTokenIDs: ids, images: images, sampling: sampling,
                                        arrivalTime: arrival, preprocessSeconds: preprocessSeconds,
                                        imageQueueSeconds: imageQueueSeconds, requestedMaxTokens: body.sampling.maxTokens)
            request.logFields = [LogField("mm_cache", cache.rawValue),
                                 LogField("image_decode_ms", String(format: "%.2f", decodeSeconds * 1000))]
            submit(request, session: session)
        } catch {
            log(error, "/v1/chat/completions")
            session.fail(error)
        }
    }

    // MARK: - POST /v1/completions

    func handleCompletion(_ request: HTTPRequest, responder: HTTPResponder) {
        let arrival = engine.now()
        let body: CompletionRequest
        let ids: [Int32]
        let promptText: String
        do throws(APIError) {
            body = try CompletionRequest.decode(request.body)
            try checkModel(body.model)
            if let error = overloaded() { throw error }
            switch body.prompt {
            case .text(let text):
                promptText = text
                ids = template.tokenizer.encode(text)
            case .tokenIDs(let tokens):
                var converted: [Int32] = []
                converted.reserveCapacity(tokens.count)
                for (i, token) in tokens.enumerated() {
                    guard token <= Int(Int32.max), template.tokenizer.isKnown(Int32(token)) else {
                        throw APIError.invalidRequest("Token id \(token) is out of vocabulary.", param: "prompt[\(i)]")
                    }
                    converted.append(Int32(token))
                }
                ids = converted
                promptText = (try? template.tokenizer.decode(converted)) ?? ""
            }
            if ids.isEmpty { throw APIError.invalidRequest("The prompt cannot be empty.", param: "prompt") }
        } catch {
            log(error, request.head.path)
            responder.sendError(error, retryAfterSeconds: configuration.retryAfterSeconds)
            return
        }
        let session = makeSession(.completion, stream: body.stream, streamOptions: body.streamOptions, responder: responder,
                                  id: RequestID.completion(clientRequestID(request.head, body: body.requestID)))
        if body.echo { session.echoPrefix = promptText }
        do throws(APIError) {
            let sampling = try resolveSampling(body.sampling, promptTokens: ids.count, promptParam: "prompt")
            submit(EngineRequest(requestID: session.id, promptTokenIDs: ids, sampling: sampling, arrivalTime: arrival,
                                 requestedMaxTokens: body.sampling.maxTokens), session: session)
        } catch {
            log(error, request.head.path)
            session.fail(error)
        }
    }

    // MARK: - Shared

    /// vLLM's output-length rules (openai-api.md §2.4): cap > max_model_len, prompt ≥ max_model_len and
    /// prompt + cap > max_model_len are 400s; no cap means "to the end of the context".
    func resolveSampling(_ options: SamplingOptions, promptTokens: Int, promptParam: String) throws(APIError)
        -> SamplingParameters {
        let window = configuration.maxModelLen
        if let requested = options.maxTokens, requested > window {
            throw .maxTokensTooLarge(requested, maxModelLen: window, param: options.maxTokensParam)
        }
        if promptTokens >= window {
            throw .promptTooLong(promptTokens: promptTokens, maxModelLen: window, param: promptParam)
        }
        if let requested = options.maxTokens, promptTokens + requested > window {
            var error = APIError.contextLengthExceeded(promptTokens: promptTokens, maxTokens: requested, maxModelLen: window)
            error.param = promptParam
            throw error
        }
        let maxTokens = options.maxTokens ?? (window - promptTokens)
        return SamplingParameters(maxTokens: maxTokens, minTokens: min(options.minTokens, maxTokens),
                                  ignoreEOS: options.ignoreEOS, stop: options.stop,
                                  stopTokenIDs: options.stopTokenIDs.compactMap { Int32(exactly: $0) },
                                  includeStopStringInOutput: options.includeStopStringInOutput,
                                  seed: options.seed.map { UInt64(bitPattern: Int64($0)) },
                                  temperature: options.temperature ?? 1.0, topP: options.topP ?? 1.0)
    }

    /// The context-length rules of `resolveSampling` for a prompt whose `imageCount` (≥ 1) images are not counted
    /// yet: `textPromptTokens` renders each image as zero tokens, a lower bound of the final prompt, so a request
    /// rejected here would be rejected after preprocessing too. The errors have `resolveSampling`'s status, type,
    /// param and code; their messages say the count leaves the images out.
    func checkContextBeforeImages(_ options: SamplingOptions, textPromptTokens: Int, imageCount: Int,
                                  promptParam: String) throws(APIError) {
        let window = configuration.maxModelLen
        if let requested = options.maxTokens, requested > window {
            throw .maxTokensTooLarge(requested, maxModelLen: window, param: options.maxTokensParam)
        }
        let prompt = "your prompt contains at least \(textPromptTokens) input tokens before its \(imageCount) "
            + "image(s) are counted"
        if textPromptTokens >= window {
            throw APIError(status: 400, type: "invalid_request_error",
                           message: "This model's maximum context length is \(window) tokens. However, \(prompt). "
                               + "Please reduce the length of the input prompt.",
                           param: promptParam, code: "context_length_exceeded")
        }
        if let requested = options.maxTokens, textPromptTokens + requested > window {
            throw APIError(status: 400, type: "invalid_request_error",
                           message: "This model's maximum context length is \(window) tokens. However, you requested "
                               + "\(requested) output tokens and \(prompt), for a total of at least "
                               + "\(textPromptTokens + requested) tokens. Please reduce the length of the input prompt "
                               + "or the number of requested output tokens.",
                           param: promptParam, code: "context_length_exceeded")
        }
    }

    func submit(_ request: EngineRequest, session: RequestSession) {
        do throws(EngineError) {
            let ticket = try engine.submit(request) { output in session.deliver(output) }
            session.attach(ticket)
        } catch {
            let apiError: APIError = switch error {
            case .queueFull: .serviceUnavailable(error.description)
            case .shuttingDown: .serviceUnavailable(error.description)
            }
            log(apiError, session.id)
            session.fail(apiError)
        }
    }
}

extension VLServeApp {
    /// A request's session, cancelled when its client goes away. The close callback holds the session weakly:
    /// the responder must not keep the session (and itself) alive.
    fileprivate func makeSession(_ kind: RequestSession.Kind, stream: Bool, streamOptions: StreamOptions,
                                 responder: HTTPResponder, id: String) -> RequestSession {
        let session = RequestSession(kind: kind, stream: stream, responder: responder, engine: engine, id: id,
                                     model: configuration.primaryModelName, created: Self.unixTime(),
                                     streamOptions: streamOptions, retryAfterSeconds: configuration.retryAfterSeconds,
                                     liveCount: liveSessions)
        responder.onClose { [weak session] in session?.cancel() }
        return session
    }
}
