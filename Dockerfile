# VLServe container: build with the Swift toolchain image, run on slim Debian with only the runtime libraries.
#
#   docker build -t vlserve .
#   docker run --rm -p 8000:8000 vlserve                      # bundled Qwen2.5-VL-7B config, seeded weights
#   docker run --rm -p 8000:8000 vlserve --conv-impl direct   # extra flags go to `vlserve serve`
#   docker run --rm -p 8000:8000 -v /path/to/Qwen2.5-VL-7B-Instruct:/weights vlserve --weights /weights

FROM swift:6.3-bookworm AS build
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        libopenblas-dev libdnnl-dev libjpeg62-turbo-dev libspng-dev pkg-config \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY Package.swift ./
COPY Sources ./Sources
COPY Tests ./Tests
RUN swift build -c release --static-swift-stdlib --product vlserve \
 && cp "$(swift build -c release --show-bin-path)/vlserve" /vlserve

FROM debian:bookworm-slim
RUN apt-get update -qq \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        libopenblas0-pthread libdnnl2 libjpeg62-turbo libspng0 libstdc++6 ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 vlserve
COPY --from=build /vlserve /usr/local/bin/vlserve
COPY models /opt/vlserve/models
USER vlserve
EXPOSE 8000
# GET /health: 200 while serving, 503 once draining (SIGTERM) or when the engine has failed (no curl in slim).
HEALTHCHECK --interval=10s --timeout=2s CMD ["/bin/bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/8000 && printf 'GET /health HTTP/1.1\\r\\nHost: localhost\\r\\nConnection: close\\r\\n\\r\\n' >&3 && head -1 <&3 | grep -q ' 200 '"]
ENTRYPOINT ["/usr/local/bin/vlserve", "serve", "--host", "0.0.0.0", "--port", "8000", "--model-dir", "/opt/vlserve/models/qwen2.5-vl-7b"]
