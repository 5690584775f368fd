#!/usr/bin/env bash
# Installs what is missing, builds, and runs `vitrine demo` (a demo brand, its catalog, an owner).
# Extra arguments go to `vitrine demo`, e.g. `scripts/demo.sh --http-port 9000`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
swift build --product vitrine
exec "$(swift build --show-bin-path)/vitrine" demo "$@"
