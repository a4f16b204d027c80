#!/usr/bin/env bash
# Regenerates the committed test fixtures with the real transformers / torch code.
#
#   scripts/make-fixtures.sh --install   # first time: creates the venv and installs torch, transformers, ...
#   scripts/make-fixtures.sh             # regenerate the vision, arrival and tokenizer fixtures
#
# The venv lives in $VLSERVE_VENV (default .venv-ref, git-ignored). torch's default wheel pulls ~5 GB of
# CUDA libraries it does not use on CPU; the install takes a few minutes. The Swift tests never need Python.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV="${VLSERVE_VENV:-.venv-ref}"
if [[ "${1:-}" == "--install" ]]; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q torch transformers pillow safetensors numpy
    "$VENV/bin/pip" install -q --no-deps torchvision
    shift
fi
if [[ ! -x "$VENV/bin/python" ]]; then
    echo "error: no Python venv at $VENV; run 'scripts/make-fixtures.sh --install' first (or set VLSERVE_VENV)" >&2
    exit 1
fi
for script in scripts/fixtures/make_*_fixtures.py; do
    echo "==> $script"
    "$VENV/bin/python" "$script" "$@"
done
