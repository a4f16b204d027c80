#!/usr/bin/env bash
# Sets up and starts vlserve with the bundled Qwen2.5-VL-7B model config (seeded weights) on 127.0.0.1:8000.
# Extra arguments go to `vlserve serve` (for example `--port 9000 --conv-impl direct`).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build -c release --product vlserve
exec .build/release/vlserve serve --model-dir models/qwen2.5-vl-7b "$@"
