#!/usr/bin/env bash
# Installs the Debian packages VLServe builds against (OpenBLAS, oneDNN, libjpeg-turbo, libspng, pkg-config).
# Idempotent: does nothing when they are already present. Set VLSERVE_EXTRA_APT for more packages
# (scripts/bench-server.sh asks for wrk, for example).
set -euo pipefail
packages=(libopenblas-dev libdnnl-dev libjpeg62-turbo-dev libspng-dev pkg-config ${VLSERVE_EXTRA_APT:-})
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
    echo "==> installing Debian packages: ${missing[*]}"
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
