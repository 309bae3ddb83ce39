#!/usr/bin/env bash
# Installs Debian's chromium for the HTML report's browser test (test/html-chromium.test.ts, driven by
# playwright-core with `executablePath`; no browser download). Idempotent: does nothing when a
# chromium is already on PATH.
# Usage: scripts/install-chromium.sh
set -euo pipefail

if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; then
  echo "chromium: $(command -v chromium || command -v chromium-browser)"
  exit 0
fi
echo "chromium: installing the Debian package"
if [ "$(id -u)" -eq 0 ]; then SUDO=""; else SUDO="sudo"; fi
$SUDO apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
command -v chromium >/dev/null 2>&1 || { echo "chromium: the package installed no chromium binary" >&2; exit 1; }
echo "chromium: $(command -v chromium) ($(chromium --version 2>/dev/null || echo 'version unknown'))"
