#!/usr/bin/env bash
# Runs VLServe's test suite on a fresh Debian machine with Swift: installs the apt packages, then `swift test`.
# Extra arguments go to `swift test` (for example `--filter VisionCoreTests`).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build --build-tests
swift test --skip-build "$@"
