#!/usr/bin/env bash
# Runs the test suite under AddressSanitizer and ThreadSanitizer (separate build folders).
#
#   scripts/sanitizers.sh [address|thread]... [-- extra swift test args, e.g. --filter NetIOTests]
#
# Default: both. CI (.ci/run) runs `scripts/sanitizers.sh thread -- --filter "NetIOTests|VLServeKitTests|EngineTests"` and `scripts/sanitizers.sh address`
set -euo pipefail
cd "$(dirname "$0")/.."
kinds=()
while (($#)) && [[ "$1" != "--" ]]; do kinds+=("$1"); shift; done
[[ "${1:-}" == "--" ]] && shift
((${#kinds[@]})) || kinds=(address thread)
scripts/install-deps.sh
status=0
# LeakSanitizer runs at exit under ASan; only XCTest's own bookkeeping is suppressed (scripts/lsan.supp).
export LSAN_OPTIONS="suppressions=$PWD/scripts/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
for kind in "${kinds[@]}"; do
    echo "==> swift test --sanitize=$kind $*"
    if ! swift test --scratch-path ".build-$kind" --sanitize="$kind" "$@"; then
        echo "==> FAILED under $kind sanitizer"; status=1
    fi
done
exit $status
