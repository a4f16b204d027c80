import Testing
@testable import OpenAIAPI

func completionError(_ json: String) -> APIError? {
    do {
        _ = try CompletionRequest.decode(Array(json.utf8))
        return nil
    } catch {
        return error
    }
}

@Suite struct CompletionRequestTests {
    @Test func vllmBenchCompletionsBody() throws {
        let body = #"{"model":"m","prompt":"Hello","repetition_penalty":1.0,"max_tokens":32,"logprobs":null,"stream":true,"stream_options":{"include_usage":true}}"#
        let r = try CompletionRequest.decode(Array(body.utf8))
        #expect(r.prompt == .text("Hello"))
        #expect(r.sampling.maxTokens == 32)
        #expect(r.stream && r.streamOptions.includeUsage)
        #expect(r.echo == false && r.addSpecialTokens)
    }

    @Test func promptForms() throws {
        #expect(try CompletionRequest.decode(Array(#"{"prompt":[1,2,3]}"#.utf8)).prompt == .tokenIDs([1, 2, 3]))
        #expect(try CompletionRequest.decode(Array(#"{"prompt":[[4,5]]}"#.utf8)).prompt == .tokenIDs([4, 5]))
        #expect(try CompletionRequest.decode(Array(#"{"prompt":["only"]}"#.utf8)).prompt == .text("only"))
        let r = try CompletionRequest.decode(Array(#"{"prompt":"p","echo":true,"max_completion_tokens":3}"#.utf8))
        #expect(r.sampling.maxTokens == 16)  // default; max_completion_tokens is not a completions field
        #expect(r.echo)
    }

    @Test(arguments: [
        (#"{}"#, "prompt"),
        (#"{"prompt":null}"#, "prompt"),
        (#"{"prompt":""}"#, "prompt"),
        (#"{"prompt":[]}"#, "prompt"),
        (#"{"prompt":5}"#, "prompt"),
        (#"{"prompt":["a","b"]}"#, "prompt"),
        (#"{"prompt":[[1],[2]]}"#, "prompt"),
        (#"{"prompt":[1,"a"]}"#, "prompt[1]"),
        (#"{"prompt":[[1,-3]]}"#, "prompt[0][1]"),
        (#"{"prompt":[[]]}"#, "prompt[0]"),
        (#"{"prompt":[true]}"#, "prompt[0]"),
        (#"{"prompt":"p","max_tokens":0}"#, "max_tokens"),
        (#"{"prompt":"p","logprobs":2}"#, "logprobs"),
        (#"{"prompt":"p","logprobs":-2}"#, "logprobs"),
        (#"{"prompt":"p","logprobs":true}"#, "logprobs"),
        (#"{"prompt":"p","suffix":"s"}"#, "suffix"),
        (#"{"prompt":"p","echo":1}"#, "echo"),
        (#"{"prompt":"p","n":4}"#, "n"),
        (#"{"prompt":"p","best_of":2}"#, "best_of"),
        (#"{"prompt":"p","stream_options":{"include_usage":true}}"#, "stream_options"),
    ])
    func errors(body: String, param: String) throws {
        let e = try #require(completionError(body), "accepted: \(body)")
        #expect(e.status == 400)
        #expect(e.param == param, "\(e.message)")
    }
}

@Suite struct TokenizeRequestTests {
    @Test func promptAndChatForms() throws {
        let p = try TokenizeRequest.decode(Array(#"{"model":"m","prompt":"hi"}"#.utf8))
        #expect(p.input == .prompt("hi") && p.addSpecialTokens && !p.returnTokenStrings)
        let c = try TokenizeRequest.decode(Array(#"{"messages":[{"role":"user","content":"hi"}],"add_generation_prompt":false,"return_token_strs":true}"#.utf8))
        #expect(c.input == .messages([ChatMessage(role: "user", text: "hi")]))
        #expect(!c.addSpecialTokens && !c.addGenerationPrompt && c.returnTokenStrings)
        let e = try TokenizeRequest.decode(Array(#"{"prompt":"","add_special_tokens":false}"#.utf8))
        #expect(e.input == .prompt("") && !e.addSpecialTokens)
    }

    @Test func tokenizeErrors() {
        func err(_ s: String) -> APIError? {
            do { _ = try TokenizeRequest.decode(Array(s.utf8)); return nil } catch { return error }
        }
        #expect(err("{}")?.param == "prompt")
        #expect(err(#"{"prompt":3}"#)?.param == "prompt")
        #expect(err(#"{"messages":[]}"#)?.param == "messages")
        #expect(err(#"{"prompt":"a","add_special_tokens":"no"}"#)?.param == "add_special_tokens")
        #expect(err("{")?.status == 400)
    }

    @Test func detokenize() throws {
        #expect(try DetokenizeRequest.decode(Array(#"{"tokens":[1,2]}"#.utf8)) == DetokenizeRequest(tokens: [1, 2]))
        #expect(try DetokenizeRequest.decode(Array(#"{"model":"m","tokens":[]}"#.utf8)).tokens == [])
        func err(_ s: String) -> APIError? {
            do { _ = try DetokenizeRequest.decode(Array(s.utf8)); return nil } catch { return error }
        }
        #expect(err("{}")?.param == "tokens")
        #expect(err(#"{"tokens":"1 2"}"#)?.param == "tokens")
        #expect(err(#"{"tokens":[1,2.5]}"#)?.param == "tokens[1]")
        #expect(err(#"{"tokens":[-1]}"#)?.param == "tokens[0]")
    }
}
