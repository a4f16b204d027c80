-- wrk script: POST a streaming chat request for 64 tokens (66 SSE events: 64 content chunks, finish, [DONE]).
wrk.method = "POST"
wrk.path = "/v1/chat/completions"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"model":"qwen2.5-vl-7b","messages":[{"role":"user","content":"Describe a cat."}],"max_tokens":64,"ignore_eos":true,"stream":true}'
