import Engine
import HTTPCore
import NetIO
import OpenAIAPI

extension VLServeApp {
    /// `POST /tokenize` (vLLM): `{"prompt"}` or `{"messages"}` → `{"count","max_model_len","tokens","token_strs"}`.
    /// Images in `messages` are fetched and their headers read (on the pool) to count their tokens.
    func handleTokenize(_ request: HTTPRequest, responder: HTTPResponder) {
        let body: TokenizeRequest
        do throws(APIError) {
            body = try TokenizeRequest.decode(request.body)
            try checkModel(body.model)
        } catch {
            responder.sendError(error)
            return
        }
        switch body.input {
        case .prompt(let text):
            respondTokens(template.tokenizer.encode(text), strings: body.returnTokenStrings, responder: responder)
        case .messages(let messages):
            let references = Self.imageReferences(messages)
            if references.count > configuration.maxImagesPerPrompt {
                responder.sendError(.invalidRequest("At most \(configuration.maxImagesPerPrompt) image(s) may be provided "
                                                        + "in one prompt.", param: "messages"))
                return
            }
            let work: @Sendable () -> Void = { [self] in
                do throws(APIError) {
                    let counts = references.isEmpty ? [] : try pipeline.tokenCounts(references)
                    let ids = renderChat(messages, imageTokenCounts: counts, addGenerationPrompt: body.addGenerationPrompt,
                                         continueFinalMessage: body.continueFinalMessage)
                    respondTokens(ids, strings: body.returnTokenStrings, responder: responder)
                } catch {
                    responder.sendError(error)
                }
            }
            if references.isEmpty {
                work()
            } else if !pool.submit(work) {
                responder.sendError(.serviceUnavailable("The server is shutting down."))
            }
        }
    }

    private func respondTokens(_ ids: [Int32], strings: Bool, responder: HTTPResponder) {
        let texts = strings ? ids.map { template.tokenizer.pieceText($0) ?? "" } : nil
        responder.sendJSON(ResponseEncoder.tokenize(tokens: ids.map(Int.init), maxModelLen: configuration.maxModelLen,
                                                    tokenStrings: texts))
    }

    /// `POST /detokenize`: `{"tokens": [int]}` → `{"prompt": text}`; unknown ids are a 400.
    func handleDetokenize(_ request: HTTPRequest, responder: HTTPResponder) {
        do throws(APIError) {
            let body = try DetokenizeRequest.decode(request.body)
            try checkModel(body.model)
            var ids: [Int32] = []
            for (i, token) in body.tokens.enumerated() {
                guard let id = Int32(exactly: token), template.tokenizer.isKnown(id) else {
                    throw APIError.invalidRequest("Token id \(token) is out of vocabulary.", param: "tokens[\(i)]")
                }
                ids.append(id)
            }
            let text = (try? template.tokenizer.decode(ids)) ?? ""
            responder.sendJSON(ResponseEncoder.detokenize(prompt: text))
        } catch {
            responder.sendError(error)
        }
    }
}
