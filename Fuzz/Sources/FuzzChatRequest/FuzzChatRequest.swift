import OpenAIAPI

/// libFuzzer entry: decodes the input as a `/v1/chat/completions` body (JSON parsing + validation).
/// Every input must end in a value or an `APIError`; a crash or a sanitizer report is a bug.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzChatRequest(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let body = Array(UnsafeBufferPointer(start: data, count: size))
    _ = try? ChatCompletionRequest.decode(body)
    return 0
}
