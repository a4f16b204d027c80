-- wrk script: POST a small non-streaming chat request (what a text-only OpenAI client sends).
wrk.method = "POST"
wrk.path = "/v1/chat/completions"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"model":"qwen2.5-vl-7b","messages":[{"role":"user","content":"Describe a cat in one short sentence."}],"max_tokens":8,"ignore_eos":true}'
