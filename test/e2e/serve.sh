#!/usr/bin/env bash
# Builds the site and serves it on 127.0.0.1:$1 for the Playwright tests, on a fresh embedded
# database of its own (so tests never touch a developer's .data/).
set -euo pipefail
port=${1:-3107}
export HEADPREP_DATA_DIR=${HEADPREP_DATA_DIR:-$(mktemp -d /tmp/headprep-e2e-XXXXXX)}
unset DATABASE_URL POSTGRES_URL
if [ "${E2E_SKIP_BUILD:-}" != "1" ]; then npx next build; fi
exec npx next start -p "$port" -H 127.0.0.1
